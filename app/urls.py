"""Helpers for the request URL: the ``<id:…>`` path converter; safe redirects; text, whole-number, id and
page-number query arguments."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, request, url_for
from flask_babel import lazy_gettext as _l
from werkzeug.routing import BaseConverter, Rule, ValidationError

from app.errors import DomainError
from app.forms import FORBIDDEN_CHARACTERS
from app.numbers import ID_MAX, parse_id, parse_whole


class IdConverter(BaseConverter):
    """``<id:proposal_id>``: a record id in the database's range; anything else is 404, never an overflow."""

    # 1 to 2147483647 (ID_MAX) without leading zeros, in the pattern itself: a value the converter refused
    # after matching would let Werkzeug answer 405 when another method's rule shares the path.
    regex = (
        r"(?:[1-9][0-9]{0,8}|1[0-9]{9}|20[0-9]{8}|21[0-3][0-9]{7}|214[0-6][0-9]{6}|2147[0-3][0-9]{5}"
        r"|21474[0-7][0-9]{4}|214748[0-2][0-9]{3}|2147483[0-5][0-9]{2}|21474836[0-3][0-9]|214748364[0-7])"
    )

    def to_python(self, value: str) -> int:
        number = parse_id(value)
        if number is None:
            raise ValidationError()
        return number

    def to_url(self, value) -> str:
        return str(int(value))


class LazyRule(Rule):
    """A URL rule whose two URL-building functions are generated when first used. Werkzeug generates them
    (with ``ast`` and ``compile``) as each rule is added: for the app's 150-odd rules, a fifth of every start
    of a ``flask`` command, a cron job or a worker, most of whose rules are never built in that process."""

    def _compile_builder(self, append_unknown: bool = True):
        attribute = "_build_unknown" if append_unknown else "_build"
        generate = super()._compile_builder

        def build(rule, /, **values):  # positional-only: a URL value may be called "rule"
            real = generate(append_unknown).__get__(rule, None)
            setattr(rule, attribute, real)  # later calls go straight to the generated function
            return real(**values)

        return build


MAX_NEXT = 2000  # longer than any address of ours


def safe_next(default_endpoint: str = "main.index") -> str:
    """The local ``next`` address from the form or query, or the default page (no open redirects)."""
    target = request.form.get("next") or request.args.get("next") or ""
    parts = urlsplit(target)
    local = (target.startswith("/") and not target.startswith("//") and "\\" not in target
             and target.isprintable() and len(target) <= MAX_NEXT)
    if local and not parts.scheme and not parts.netloc:
        return target
    return url_for(default_endpoint)


def external_url(endpoint: str, **values) -> str:
    """An absolute link for e-mails and the CLI, built from BASE_URL (never from the Host header)."""
    with current_app.test_request_context(base_url=current_app.config["BASE_URL"]):
        return url_for(endpoint, _external=True, **values)


MAX_PAGE = 100_000  # beyond any real list; keeps OFFSET within the database's integer range


def text_arg(name: str, limit: int = 100) -> str:
    """A text query argument such as a search, cut to ``limit`` characters and without the control
    characters forms refuse (PostgreSQL rejects a NUL byte in a query parameter: a 500)."""
    return FORBIDDEN_CHARACTERS.sub("", request.args.get(name, "")[:limit])


def int_arg(name: str) -> int | None:
    """A whole-number query argument such as a version number, or None when absent or not a sane number."""
    value = request.args.get(name, "")
    return parse_whole(value) if len(value) < 10 else None


def id_arg(name: str) -> int | None:
    """An id filter from the query string (``?round=12``): None when absent or empty; a 400 with a
    message when it is not an id (letters, other scripts' digits, beyond the database's range)."""
    value = request.args.get(name, "")
    if not value:
        return None
    number = parse_id(value)
    if number is None:
        raise DomainError(
            _l("The address has a wrong “%(name)s” value: it must be a number from 1 to %(max)d.",
               name=name, max=ID_MAX)
        )
    return number


def page_arg() -> int:
    """The ``page`` query argument for ``db.paginate``: 1 unless it is a sane positive number.

    Flask-SQLAlchemy would parse any integer, and a huge one overflows the database's OFFSET (a 500).
    """
    page = int_arg("page")
    return page if page and page <= MAX_PAGE else 1

