"""The one place that reads HTMX request headers."""

from __future__ import annotations

from typing import Any

from flask import Response, make_response, redirect, render_template, request
from werkzeug.wrappers import Response as BaseResponse


def is_htmx() -> bool:
    """An HTMX request that wants a fragment (a history restore wants the whole page)."""
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
    )


def render(
    template: str, fragment: str | None = None, /, *, http_status: int = 200, **context: Any
) -> Response:
    """Render the full page, or just its fragment for HTMX; always ``Vary: HX-Request``.

    The templates and the status are not ordinary keywords, so context such as ``status=`` (a
    list filter) or ``page=`` cannot clash with them.
    """
    chosen = fragment if fragment and is_htmx() else template
    response = make_response(render_template(chosen, **context), http_status)
    response.vary.add("HX-Request")
    return response


def redirect_to(url: str) -> BaseResponse:
    """Redirect after a POST; HTMX follows ``HX-Redirect`` instead of swapping the response."""
    if is_htmx():
        response = make_response("", 204)
        response.headers["HX-Redirect"] = url
        return response
    return redirect(url, code=303)
