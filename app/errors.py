"""Domain errors and the translated error pages.

Services raise a ``DomainError``; the handlers here turn it into a page (or an HTMX fragment) with
the right status, so routes stay thin.
"""

from __future__ import annotations

from flask import Flask, g, jsonify, make_response, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, OperationalError
from werkzeug.exceptions import HTTPException

from app.htmx import is_htmx


class DomainError(Exception):
    status = 400
    default_message = _l("This request cannot be carried out.")

    def __init__(self, message=None, field: str | None = None):
        # A plain str: a lazy string reaches templates unescaped (LazyString.__html__), and messages
        # can carry what users typed, such as display names.
        self.message = str(message or self.default_message)
        self.field = field  # the form field the message belongs to, when there is one
        super().__init__(self.message)


class InvalidInput(DomainError):
    status = 422
    default_message = _l("Some of the data is not valid.")


class NotAllowed(DomainError):
    status = 403
    default_message = _l("You are not allowed to do this.")


class NotFound(DomainError):
    status = 404
    default_message = _l("We could not find this page.")


class Conflict(DomainError):
    status = 409
    default_message = _l("This conflicts with the current state; reload the page and try again.")


class PhaseClosed(Conflict):
    default_message = _l("This is not possible in the current phase.")


TITLES = {
    400: _l("Bad request"),
    403: _l("Access denied"),
    404: _l("Page not found"),
    405: _l("Method not allowed"),
    409: _l("Conflict"),
    413: _l("Too much data"),
    422: _l("Invalid data"),
    429: _l("Too many requests"),
    500: _l("Something went wrong"),
    503: _l("Temporarily unavailable"),
}

MESSAGES = {
    400: _l("The request could not be understood. Go back and try again."),
    403: _l("You do not have permission to see this page."),
    404: _l("The page you are looking for does not exist or has been moved."),
    405: _l("This address does not accept this kind of request."),
    413: _l("What you sent is too large. Shorten the text, or send a picture of at most 10 MB."),
    429: _l("You have tried too many times. Wait a moment and try again."),
    500: _l("An unexpected error happened on our side. It has been logged; please try again later."),
}


BUSY = _l("Many people are saving at this moment and your change could not be saved. "
          "Nothing was changed: please try again.")

UNAVAILABLE = _l("The platform cannot reach its database at the moment. Nothing you sent was saved: "
                 "please try again in a few minutes.")

# SQLite: another writer holds the database (or committed after this transaction read);
# PostgreSQL: serialization failure, deadlock, lock timeout.
_CONTENTION_SQLSTATES = {"40001", "40P01", "55P03"}


def is_contention(error: DBAPIError) -> bool:
    """A transient conflict between concurrent writers: retrying is safe and nothing was written."""
    if getattr(error.orig, "sqlstate", None) in _CONTENTION_SQLSTATES:
        return True
    return "database is locked" in str(error.orig) or "database table is locked" in str(error.orig)


# PostgreSQL: connection exceptions, and the server shutting down or starting up.
_UNREACHABLE_SQLSTATES = {"57P01", "57P02", "57P03"}
# SQLite: the file or its directory cannot be opened or read.
_UNREACHABLE_SQLITE = ("unable to open database file", "disk I/O error")


def is_unreachable(error: DBAPIError) -> bool:
    """The database cannot be reached (down, restarting, refusing connections): nothing was written.
    Other operational errors (a missing table, say) are the platform's own fault: a 500."""
    if not isinstance(error, OperationalError) or is_contention(error):
        return False
    if error.connection_invalidated:
        return True
    if error.orig is not None and hasattr(error.orig, "sqlstate"):  # psycopg: none if the connection failed
        sqlstate = error.orig.sqlstate
        return sqlstate is None or sqlstate.startswith("08") or sqlstate in _UNREACHABLE_SQLSTATES
    return any(message in str(error.orig) for message in _UNREACHABLE_SQLITE)


def render_error(status: int, message=None):
    """The error page; JSON for the API; for HTMX a one-line fragment marked ``X-MAM-Error``, which
    mam.js shows next to the control that sent the request instead of swapping it in."""
    if request.path.startswith(("/healthz", "/readyz", "/api/")):
        return jsonify(error=str(TITLES.get(status, status)), message=str(message or "")), status
    title = TITLES.get(status, TITLES[400])
    body = message or MESSAGES.get(status, MESSAGES[400])
    if is_htmx():
        response = make_response(render_template("errors/_fragment.html", title=title, message=body), status)
        response.headers["X-MAM-Error"] = "1"
        response.vary.add("HX-Request")
        return response
    return render_template("errors/error.html", status=status, title=title, message=body), status


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def domain_error(error: DomainError):
        return render_error(error.status, error.message)

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_error(
            400, _l("Your form has expired or was sent from elsewhere. Reload the page and try again.")
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        status = error.code or 500
        if status < 400:
            return error
        return render_error(status if status in TITLES else 400)

    @app.errorhandler(DBAPIError)
    def database_error(error: DBAPIError):
        from app.db import db
        from app.extensions import login_manager

        db.session.rollback()
        if is_unreachable(error):
            # The page reads the current user; loading it would hit the database again and leave
            # gunicorn's bare 500: this request goes on as a visitor (Flask-Login keeps it in g).
            g._login_user = login_manager.anonymous_user()
            app.logger.error("Database unreachable on %s %s: %s", request.method, request.path, error.orig)
            response = make_response(render_error(503, UNAVAILABLE))
            response.headers["Retry-After"] = "30"
            return response
        if not is_contention(error):
            app.logger.exception("Database error on %s %s", request.method, request.path)
            return render_error(500)
        app.logger.warning("Write conflict on %s %s: %s", request.method, request.path, error.orig)
        response = make_response(render_error(503, BUSY))
        response.headers["Retry-After"] = "2"
        return response

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        app.logger.exception("Unhandled error on %s %s", request.method, request.path)
        from app.db import db

        db.session.rollback()
        return render_error(500)
