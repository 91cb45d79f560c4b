"""Who may keep a copy of a page: shared caches for anonymous readers, only the browser for signed-in people.

The reading pages (home, proposals, rounds and their results, activities, news) answer an anonymous
visitor with ``Cache-Control: public, max-age=60`` and an ETag, and a repeat carrying the ETag gets
``304 Not Modified``. Nothing in such a page belongs to the visitor: no session cookie is set (the
CSRF token appears only where a form needs it, see base.html). A page that does set the session (a
form's token, a flash message read) or shows a signed-in person is ``private, no-cache`` instead.
``Vary`` names the request headers a page depends on: the language (cookie or Accept-Language), the
session cookie, and HX-Request.
"""

from __future__ import annotations

from flask import Flask, Response, request, session
from flask_login import current_user
from werkzeug.wrappers import Response as BaseResponse

MAX_AGE = 60
READING_PAGES = frozenset({
    "main.index",
    "proposals.index", "proposals.show",
    "rounds.index", "rounds.detail", "rounds.results",
    "activities.index", "activities.show",
    "news.index", "news.show",
})


def is_public_reader() -> bool:
    """Nothing on the page is the reader's own: not signed in, no session written by this request."""
    return not current_user.is_authenticated and not session.modified


def cache_reading_page(response: Response) -> BaseResponse:
    if (request.method not in ("GET", "HEAD") or response.status_code != 200
            or request.endpoint not in READING_PAGES or response.direct_passthrough):
        return response
    response.vary.update(("Cookie", "Accept-Language"))
    if is_public_reader():
        response.cache_control.public = True
        response.cache_control.max_age = MAX_AGE
    else:
        response.cache_control.private = True
        response.cache_control.no_cache = True
    response.add_etag()
    return response.make_conditional(request)


def register_http_cache(app: Flask) -> None:
    app.after_request(cache_reading_page)
