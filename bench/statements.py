"""Counting SQL statements per request, for the benchmark and the tests (never enabled in production).

``install(app)`` wraps the WSGI app: each response carries ``X-SQL-Statements``, the number of statements
its request sent to the database until the headers were sent.
"""

from __future__ import annotations

import threading

from sqlalchemy import event
from sqlalchemy.engine import Engine

HEADER = "X-SQL-Statements"
_local = threading.local()
_listening = False


def _count(*_args, **_kwargs) -> None:
    if getattr(_local, "count", None) is not None:
        _local.count += 1


def start() -> None:
    global _listening
    if not _listening:
        event.listen(Engine, "before_cursor_execute", _count)
        _listening = True
    _local.count = 0


def stop() -> int:
    count, _local.count = getattr(_local, "count", None) or 0, None
    return count


def install(app):
    inner = app.wsgi_app

    def counted(environ, start_response):
        start()

        def start_counted(status, headers, exc_info=None):
            return start_response(status, [*headers, (HEADER, str(stop()))], exc_info)

        return inner(environ, start_counted)

    app.wsgi_app = counted
    return app
