"""Locale choice and the formatting filters templates use (dates in Europe/Warsaw, money in zł)."""

from __future__ import annotations

from flask import Flask, current_app, has_request_context, request
from flask_babel import format_currency, format_date, format_datetime, format_decimal
from flask_login import current_user

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


def register_filters(app: Flask) -> None:
    app.jinja_env.filters["datetime"] = lambda value, fmt="medium": (
        format_datetime(value, fmt) if value else "—"
    )
    app.jinja_env.filters["date"] = lambda value, fmt="long": format_date(value, fmt) if value else "—"
    app.jinja_env.filters["number"] = format_decimal
    app.jinja_env.filters["money"] = money
