"""Locale choice and the formatting filters templates use (dates in Europe/Warsaw, money in zł).

The UI languages are ``pl``, ``uk`` and ``en``. English is British English: its Babel locale is
``en_GB`` (dates such as "2 Dec 2026"), while the language code people and pages see stays ``en``.
"""

from __future__ import annotations

from flask import Flask, Response, current_app, has_request_context, request
from flask_babel import format_currency, format_date, format_datetime, format_decimal, get_locale
from flask_login import current_user

LANG_COOKIE = "lang"

# UI language → the Babel locale that formats its dates and numbers.
BABEL_LOCALES = {"en": "en_GB"}


def babel_locale(language: str) -> str:
    """The Babel locale for a UI language code ("en" → "en_GB"); others are their own."""
    return BABEL_LOCALES.get(language, language)


def ui_language() -> str:
    """The UI language code of the current request or ``force_locale`` block: pl, uk or en."""
    locale = get_locale()
    return locale.language if locale is not None else current_app.config["BABEL_DEFAULT_LOCALE"]


def select_locale() -> str:
    """A signed-in user's saved choice; else the language switch's cookie; else Accept-Language
    negotiated among the UI languages; else Polish."""
    languages = current_app.config["LANGUAGES"]
    default = current_app.config["BABEL_DEFAULT_LOCALE"]
    if not has_request_context():  # the CLI, or a service called outside a request
        return babel_locale(default)
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return babel_locale(current_user.locale)
    cookie = request.cookies.get(LANG_COOKIE)
    if cookie in languages:
        return babel_locale(cookie)
    return babel_locale(request.accept_languages.best_match(languages) or default)


def vary_on_language(response: Response) -> Response:
    """Pages differ by Accept-Language for visitors, so shared caches must keep them apart."""
    response.vary.add("Accept-Language")
    return response


def money(grosze: int | None) -> str:
    """Integer grosze → '1 234,50 zł' (Polish), '1 234,50 PLN' (Ukrainian), 'PLN 1,234.50' (English)."""
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
