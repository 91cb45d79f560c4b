"""Locale choice and the formatting filters templates use (dates in Europe/Warsaw, money in zł)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask import Flask, current_app, has_request_context, request
from flask_babel import format_currency, format_date, format_decimal, format_time, gettext
from flask_login import current_user

WARSAW = ZoneInfo("Europe/Warsaw")

LANG_COOKIE = "lang"


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # the CLI, or a service called outside a request
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    cookie = request.cookies.get(LANG_COOKIE)
    if cookie in languages:
        return cookie
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def money(grosze: int | None) -> str:
    """Integer grosze → '1 234,50 zł' (Polish) or 'PLN 1,234.50' (English)."""
    if grosze is None:
        return "—"
    return format_currency(grosze / 100, "PLN")


def day(value: date | datetime | None) -> str:
    """The one date format: '2 grudnia 2026' (a moment is first put in Warsaw time)."""
    return format_date(value, "long") if value else "—"


def clock(value: datetime | None) -> str:
    """The time of day in Warsaw, without seconds: '11:16'."""
    return format_time(value, "HH:mm") if value else "—"


def moment(value: datetime | None) -> str:
    """The one date-and-time format: '2 grudnia 2026, 11:16' (Warsaw time, no seconds, no zone name)."""
    return f"{day(value)}, {clock(value)}" if value else "—"


def iso(value: datetime | None) -> str:
    """ISO 8601 in Warsaw time with its offset and without microseconds, for ``<time datetime>``."""
    if value is None:
        return ""
    aware = value if value.tzinfo else value.replace(tzinfo=UTC)
    return aware.astimezone(WARSAW).replace(microsecond=0).isoformat()


def quoted(text: str) -> str:
    """A name inside the language's own quotation marks (Polish „…”)."""
    return gettext("“%(text)s”", text=text)


def register_filters(app: Flask) -> None:
    # One format per kind everywhere: a style argument some templates still pass ('short') is ignored.
    app.jinja_env.filters["datetime"] = lambda value, _style=None: moment(value)
    app.jinja_env.filters["date"] = lambda value, _style=None: day(value)
    app.jinja_env.filters["time"] = clock
    app.jinja_env.filters["iso"] = iso
    app.jinja_env.filters["number"] = format_decimal
    app.jinja_env.filters["money"] = money
