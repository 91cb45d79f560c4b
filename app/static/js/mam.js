// MAM progressive enhancement. Pages work without this file; it only makes them nicer.
// No inline scripts anywhere (strict CSP): everything is wired here.
(function () {
  "use strict";

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  // Send the CSRF token with every HTMX request (works on htmx 2 and 4).
  document.addEventListener("htmx:configRequest", function (event) {
    event.detail.headers["X-CSRFToken"] = csrfToken();
  });

  // Confirmation before final and destructive actions: <button data-confirm="Question?">. Without
  // this file the server answers with its own confirmation page; here the accepted dialog adds
  // confirm=yes to the form, so the server acts in one step (a native submit or an HTMX request).
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-confirm]");
    if (!button) { return; }
    var form = button.form;
    var earlier = form ? form.querySelector("input[data-confirmed]") : null;
    if (earlier) { earlier.remove(); }
    if (!window.confirm(button.getAttribute("data-confirm"))) {
      event.preventDefault();
      event.stopImmediatePropagation();
      return;
    }
    if (form) {
      var input = document.createElement("input");
      input.type = "hidden";
      input.name = "confirm";
      input.value = "yes";
      input.setAttribute("data-confirmed", "");
      form.appendChild(input);
    }
  }, true);

  // An error the server could not answer with a fragment of the page (marked X-MAM-Error: a refusal,
  // an expired form, "busy, try again"), or no answer at all: say so next to the control that sent
  // the request, and move focus there, instead of leaving the page unchanged.
  function showError(elt, text) {
    var anchor = elt && elt.closest ? (elt.closest("form") || elt) : null;
    var box = document.createElement("p");
    box.className = "flash flash-error htmx-error";
    box.setAttribute("role", "alert");
    box.setAttribute("tabindex", "-1");
    box.textContent = text;
    if (anchor && anchor.parentNode) {
      var next = anchor.nextElementSibling;
      if (next && next.classList.contains("htmx-error")) { next.remove(); }
      anchor.insertAdjacentElement("afterend", box);
    } else {
      var region = document.getElementById("flash-messages");
      if (!region) { return; }
      region.appendChild(box);
    }
    box.focus();
  }

  function requestElement(event) {
    var config = event.detail.requestConfig;
    return (config && config.elt) || event.detail.elt || event.target;
  }

  document.addEventListener("htmx:beforeSwap", function (event) {
    var xhr = event.detail.xhr;
    var status = xhr.status;
    var target = event.detail.target;
    if (status >= 400 && xhr.getResponseHeader("X-MAM-Error")) {
      event.detail.shouldSwap = false;
      event.detail.isError = false;
      var page = new DOMParser().parseFromString(xhr.responseText, "text/html");
      showError(requestElement(event), (page.body.textContent || "").trim());
      return;
    }
    // Inside [data-swap-errors] (the discussion, pledges), the server answers refusals (409, 422, 429)
    // with the fragment to show, so swap it like a success.
    if ((status === 409 || status === 422 || status === 429) && target && target.closest("[data-swap-errors]")) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  document.addEventListener("htmx:sendError", function (event) {
    showError(requestElement(event), document.body.getAttribute("data-network-error") || "");
  });

  // After an HTMX swap, move focus to what asks for it (error summaries, new content) and
  // announce the result in the live region.
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    // An outerHTML swap (the pledges) replaces the target: detail.target is the old, detached
    // element, and the event fires on the new one.
    if (target && !target.isConnected && event.target instanceof Element) { target = event.target; }
    var focus = target.querySelector("[data-autofocus]") || (target.hasAttribute("data-focus-after-swap") ? target : null);
    if (focus) {
      if (!focus.hasAttribute("tabindex")) { focus.setAttribute("tabindex", "-1"); }
      focus.focus();
    }
    var announcement = target.querySelector("[data-announce]");
    var region = document.getElementById("flash-messages");
    if (announcement && region) {
      // Emptied first, so that the same message twice in a row is announced twice.
      region.textContent = "";
      window.setTimeout(function () { region.textContent = announcement.getAttribute("data-announce"); }, 50);
    }
  });

  // Focus the error summary of a form page that came back with errors.
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector(".error-summary[data-autofocus]");
    if (summary) { summary.focus(); }
  });

  // Print buttons (<button data-print hidden>) appear only here, where they can work; the hint that
  // tells people without JavaScript to use the browser's Print command goes away.
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
    if (document.querySelector("[data-print]")) {
      document.querySelectorAll("[data-print-hint]").forEach(function (hint) { hint.hidden = true; });
    }
  });
})();
