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

  // Confirmation before destructive actions: <button data-confirm="Question?">.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-confirm]");
    if (button && !window.confirm(button.getAttribute("data-confirm"))) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  // Inside [data-swap-errors] (the discussion), the server answers refusals (409, 422, 429) with the
  // fragment to show, so swap it like a success.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    var target = event.detail.target;
    if ((status === 409 || status === 422 || status === 429) && target && target.closest("[data-swap-errors]")) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  // After an HTMX swap, move focus to what asks for it (error summaries, new content) and
  // announce the result in the live region.
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    var focus = target.querySelector("[data-autofocus]") || (target.hasAttribute("data-focus-after-swap") ? target : null);
    if (focus) {
      if (!focus.hasAttribute("tabindex")) { focus.setAttribute("tabindex", "-1"); }
      focus.focus();
    }
    var announcement = target.querySelector("[data-announce]");
    var region = document.getElementById("flash-messages");
    if (announcement && region) {
      region.textContent = announcement.getAttribute("data-announce");
    }
  });

  // Focus the error summary of a form page that came back with errors.
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector(".error-summary[data-autofocus]");
    if (summary) { summary.focus(); }
  });
})();
