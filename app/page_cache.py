"""A few seconds' copy of the reading pages for visitors who are not signed in, kept by each worker process.

The reading pages already tell shared caches that an anonymous visitor's copy may be kept a minute
(``Cache-Control: public, max-age=60``, app/http_cache.py). This keeps the same promise inside the app, for at
most PAGE_CACHE_SECONDS (default 10; 0 switches it off): a GET with no session cookie and no Authorization
header is answered with the copy made for the same request — the same address, host and scheme, the same
cookies (the language cookie), the same Accept-Language and HTMX headers — when that copy was a ``public``
200 HTML page that set no cookie. Every commit in the process drops every copy, so a visitor never sees a
page older than what this process has itself written; what other processes or servers write shows within
PAGE_CACHE_SECONDS. A signed-in person, a flash message (kept in the session cookie), a form (which sets the
session for its token) and anything but a plain reading page are never copied.
"""

from __future__ import annotations

import threading
import time
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sqlalchemy import event
from sqlalchemy.orm import Session
from werkzeug.http import is_resource_modified, unquote_etag

MAX_ENTRIES = 1000
MAX_BODY = 2 * 1024 * 1024
# All copies of a worker together: addresses that differ only in their query string are copies of their own,
# so a visitor making up queries must not be able to fill the worker's memory.
MAX_BYTES = 32 * 1024 * 1024
_KEYED_HEADERS = ("HTTP_HOST", "HTTP_COOKIE", "HTTP_ACCEPT_LANGUAGE", "HTTP_X_FORWARDED_PROTO",
                  "HTTP_X_FORWARDED_HOST", "HTTP_X_FORWARDED_PREFIX")


@dataclass(frozen=True)
class _Copy:
    made: float
    status: str
    headers: list[tuple[str, str]]
    body: bytes
    etag: str | None


class PageCache:
    """WSGI middleware around the Flask app (outermost, so a copy costs no Flask request at all)."""

    def __init__(self, app: Callable, seconds: float, session_cookie: str, remember_cookie: str,
                 clock: Callable[[], float] = time.monotonic, max_bytes: int = MAX_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.size = 0
        self.seconds = seconds
        self.private_cookies = (f"{session_cookie}=", f"{remember_cookie}=")
        self.clock = clock
        self.copies: dict[tuple, _Copy] = {}
        self.lock = threading.Lock()
        _caches.add(self)

    def clear(self) -> None:
        with self.lock:
            self.copies.clear()
            self.size = 0

    def _key(self, environ: dict) -> tuple | None:
        if environ.get("REQUEST_METHOD") != "GET" or "HTTP_AUTHORIZATION" in environ:
            return None
        cookies = environ.get("HTTP_COOKIE", "")
        if any(name in cookies for name in self.private_cookies):
            return None  # signed in, or a session (a form's token, a flash message) of this visitor
        htmx = tuple(sorted((k, v) for k, v in environ.items() if k.startswith("HTTP_HX_")))
        return (environ.get("wsgi.url_scheme"), environ.get("SCRIPT_NAME", ""), environ.get("PATH_INFO", ""),
                environ.get("QUERY_STRING", ""), *(environ.get(h, "") for h in _KEYED_HEADERS), htmx)

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        key = self._key(environ)
        if key is None:
            return self.app(environ, start_response)
        copy = self.copies.get(key)
        if copy is not None and self.clock() - copy.made < self.seconds:
            return self._answer(copy, environ, start_response)

        made = self.clock()
        captured: dict = {}

        def capture(status, headers, exc_info=None):
            captured["status"], captured["headers"] = status, headers
            return start_response(status, headers, exc_info)

        body = self.app(environ, capture)
        if not self._copyable(captured.get("status", ""), captured.get("headers", [])):
            return body
        try:
            content = b"".join(body)
        finally:
            if hasattr(body, "close"):
                body.close()
        headers = captured["headers"]
        etag = next((value for name, value in headers if name.lower() == "etag"), None)
        with self.lock:
            if len(self.copies) >= MAX_ENTRIES or self.size + len(content) > self.max_bytes:
                self.copies.clear()
                self.size = 0
            earlier = self.copies.get(key)
            self.size += len(content) - (len(earlier.body) if earlier else 0)
            self.copies[key] = _Copy(made, captured["status"], list(headers), content, etag)
        return [content]

    @staticmethod
    def _copyable(status: str, headers: list[tuple[str, str]]) -> bool:
        if not status.startswith("200"):
            return False
        named = {name.lower(): value for name, value in headers}
        return ("set-cookie" not in named
                and "public" in named.get("cache-control", "")
                and named.get("content-type", "").startswith("text/html")
                and int(named.get("content-length", MAX_BODY + 1)) <= MAX_BODY)

    @staticmethod
    def _answer(copy: _Copy, environ: dict, start_response: Callable) -> Iterable[bytes]:
        if copy.etag is not None:
            etag, _weak = unquote_etag(copy.etag)
            if etag and not is_resource_modified(environ, etag=etag, ignore_if_range=True):
                kept = [(n, v) for n, v in copy.headers
                        if n.lower() not in ("content-length", "content-type")]
                start_response("304 NOT MODIFIED", kept)
                return []
        start_response(copy.status, list(copy.headers))
        return [copy.body]


_caches: weakref.WeakSet[PageCache] = weakref.WeakSet()


@event.listens_for(Session, "after_commit")
def _drop_copies(_session) -> None:
    """Whatever this process commits may change any page: every copy goes."""
    for cache in _caches:
        cache.clear()


def install(app) -> None:
    seconds = float(app.config["PAGE_CACHE_SECONDS"])
    if seconds > 0:
        app.wsgi_app = PageCache(app.wsgi_app, seconds, app.config["SESSION_COOKIE_NAME"],
                                 app.config.get("REMEMBER_COOKIE_NAME", "remember_token"))
