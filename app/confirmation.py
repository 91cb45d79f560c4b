"""Confirmation of final and destructive actions, with or without JavaScript (DESIGN §8).

A route for such an action starts with ``if (page := confirmation_needed(...)): return page``. A POST
without ``confirm=yes`` changes nothing and gets a page saying plainly what will happen, with a form
that repeats the POST (every original field, a fresh CSRF token and ``confirm=yes``) and a link back.
With JavaScript, mam.js asks with a dialog and adds ``confirm=yes`` to the form it submits.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import make_response, render_template, request

CONFIRM_FIELD = "confirm"
_NOT_CARRIED = {CONFIRM_FIELD, "csrf_token"}


def confirmed() -> bool:
    return request.form.get(CONFIRM_FIELD) == "yes"


def confirmation_needed(what: str, yes: str, back: str, *, danger: bool = False, when: bool = True):
    """The confirmation page for this POST, or None when it is confirmed (or ``when`` is false).

    ``what`` says what will happen, ``yes`` repeats the action on the button ("Yes, withdraw the
    proposal"), and ``back`` is the page to return to when the request does not say where it came from.
    """
    if not when or confirmed():
        return None
    fields = [(name, value) for name, value in request.form.items(multi=True) if name not in _NOT_CARRIED]
    query = request.query_string.decode("utf-8", "replace")
    response = make_response(render_template(
        "_confirm.html", what=what, yes=yes, danger=danger, fields=fields,
        action=request.path + (f"?{query}" if query else ""), back=_came_from() or back,
    ))
    # The page holds the form's data (a password, for deleting an account): never keep it.
    response.headers["Cache-Control"] = "no-store"
    response.vary.add("HX-Request")
    if request.headers.get("HX-Request") == "true":
        # An HTMX form that skipped the dialog: show the page in place of the whole body.
        response.headers["HX-Retarget"] = "body"
        response.headers["HX-Reswap"] = "innerHTML"
    return response


def _came_from() -> str | None:
    """The local page the request came from (never another site, never the action's own address)."""
    parts = urlsplit(request.referrer or "")
    if parts.netloc != request.host or not parts.path.startswith("/") or parts.path == request.path:
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")
