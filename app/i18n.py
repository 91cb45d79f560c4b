"""Locale choice and the formatting filters templates use (dates in Europe/Warsaw, money in zł).

The UI languages are ``pl``, ``uk`` and ``en``. English is British English: its Babel locale is
``en_GB`` (dates such as "2 Dec 2026"), while the language code people and pages see stays ``en``.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from functools import lru_cache, wraps
from zoneinfo import ZoneInfo

from flask import Flask, Response, current_app, g, has_request_context, request
from flask_babel import (
    format_currency,
    format_date,
    format_decimal,
    format_time,
    get_locale,
    get_timezone,
    get_translations,
    gettext,
    lazy_gettext,
    ngettext,
)
from flask_login import current_user
from markupsafe import Markup

WARSAW = ZoneInfo("Europe/Warsaw")

LANG_COOKIE = "lang"

# The languages of the UI and of what residents write, each named in itself (the language switch, forms).
LANGUAGE_NAMES = {"pl": "Polski", "uk": "Українська", "en": "English"}
CONTENT_LANGUAGES = tuple(LANGUAGE_NAMES)
DEFAULT_CONTENT_LANGUAGE = "pl"

# UI language → the Babel locale that formats its dates and numbers.
BABEL_LOCALES = {"en": "en_GB"}


def babel_locale(language: str) -> str:
    """The Babel locale for a UI language code ("en" → "en_GB"); others are their own."""
    return BABEL_LOCALES.get(language, language)


def ui_language() -> str:
    """The UI language code of the current request or ``force_locale`` block: pl, uk or en."""
    locale = getattr(_babel_state(), "babel_locale", None) or get_locale()
    return locale.language if locale is not None else current_app.config["BABEL_DEFAULT_LOCALE"]


def writing_language() -> str:
    """The language a new text is presumed to be written in: the writer's UI language."""
    return ui_language() if has_request_context() else DEFAULT_CONTENT_LANGUAGE


def content_language(value: str | None, current: str | None = None) -> str:
    """The language a text is marked as written in: one of ``CONTENT_LANGUAGES``. Nothing given keeps
    the current one (or Polish for a new text); anything else is refused with a message."""
    from app.errors import InvalidInput

    if value in (None, ""):
        return current or DEFAULT_CONTENT_LANGUAGE
    if value not in CONTENT_LANGUAGES:
        raise InvalidInput(lazy_gettext("Choose one of the languages on the list."), field="language")
    return value


def lang_attr(language: str | None) -> Markup:
    """` lang="uk"` for an element wrapping text written in another language than the page's, so screen
    readers switch voice; nothing when the text is in the page's language."""
    if not language or language not in CONTENT_LANGUAGES or language == ui_language():
        return Markup("")
    return Markup(' lang="%s"') % language


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
    if cookie is not None and cookie in languages:
        return babel_locale(cookie)
    return babel_locale(request.accept_languages.best_match(languages) or default)


def vary_on_language(response: Response) -> Response:
    """Pages differ by Accept-Language for visitors, so shared caches must keep them apart."""
    response.vary.add("Accept-Language")
    return response


def _babel_state():
    """Flask-Babel's per-request state (the locale and time zone it has chosen), or None."""
    try:
        return g._get_current_object()._flask_babel
    except (RuntimeError, AttributeError):
        return None


def _translations():
    """The current translations, looked up once per request and locale (also within ``force_locale``):
    Flask-Babel finds them again for each string, and a page has a hundred strings."""
    state = _babel_state()
    locale = getattr(state, "babel_locale", None)
    kept = getattr(state, "mam_translations", None)
    if kept is not None and locale is not None and kept[0] is locale:
        return kept[1]
    translations = get_translations()
    state = _babel_state()
    if state is not None:
        state.mam_translations = (getattr(state, "babel_locale", None), translations)
    return translations


def _current_locale_and_zone():
    state = _babel_state()
    locale = getattr(state, "babel_locale", None) or get_locale()
    zone = getattr(state, "babel_tzinfo", None) or get_timezone()
    return locale, zone


def _remembered(formatter):
    """``formatter``'s text for a value, kept per locale and time zone: Babel takes tens of microseconds for
    each date or sum, and a list page shows the same ones on every request (a few thousand kept)."""
    kept = lru_cache(maxsize=4096)(lambda value, _locale, _zone: formatter(value))

    @wraps(formatter)
    def formatted(value):
        return kept(value, *_current_locale_and_zone())

    return formatted


@_remembered
def money(grosze: int | None) -> str:
    """Integer grosze → '1 234,50 zł' (Polish), '1 234,50 PLN' (Ukrainian), 'PLN 1,234.50' (English)."""
    if grosze is None:
        return "—"
    return format_currency(grosze / 100, "PLN")


@_remembered
def day(value: date | datetime | None) -> str:
    """The one date format: '2 grudnia 2026', British '2 Dec 2026' (a moment is first put in Warsaw time)."""
    if not value:
        return "—"
    return format_date(value, "medium" if ui_language() == "en" else "long")


@_remembered
def clock(value: datetime | None) -> str:
    """The time of day in Warsaw, without seconds: '11:16'."""
    return format_time(value, "HH:mm") if value else "—"


@_remembered
def moment(value: datetime | None) -> str:
    """The one date-and-time format: '2 grudnia 2026, 11:16' (Warsaw time, no seconds, no zone name)."""
    return f"{day(value)}, {clock(value)}" if value else "—"


def deadline(value: datetime | None, now: datetime | None = None) -> str:
    """A deadline near enough to need no year: '14 grudnia, 20:00'; in another year than now,
    '14 stycznia 2027, 20:00'."""
    if not value:
        return "—"
    now = now or datetime.now(UTC)
    local = _aware(value).astimezone(WARSAW)
    if local.year != _aware(now).astimezone(WARSAW).year:
        return moment(value)
    return f"{format_date(value, 'd MMM' if ui_language() == 'en' else 'd MMMM')}, {clock(value)}"


def time_left(value: datetime | None, now: datetime | None = None) -> str:
    """How long until a moment, in words: 'zostały 3 dni', 'zostało 5 godzin', or '' once it passed."""
    if not value:
        return ""
    left = _aware(value) - _aware(now or datetime.now(UTC))
    if left <= timedelta(0):
        return ""
    if left >= timedelta(days=1):  # in calendar days in Warsaw: on the 11th, the 14th is 3 days off
        start = _aware(now or datetime.now(UTC)).astimezone(WARSAW).date()
        days = (_aware(value).astimezone(WARSAW).date() - start).days
        return ngettext("%(num)d day left", "%(num)d days left", days)
    hours = int(left.total_seconds() // 3600)
    if hours >= 1:
        return ngettext("%(num)d hour left", "%(num)d hours left", hours)
    return gettext("less than an hour left")


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


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
    # Flask-Babel's callables for {{ _("…") }}, looking the translations up once per request.
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]  # added by jinja2.ext.i18n
        gettext=lambda s: _translations().ugettext(s),
        ngettext=lambda s, p, n: _translations().ungettext(s, p, n),
        pgettext=lambda c, s: _translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: _translations().unpgettext(c, s, p, n),
        newstyle=True,
    )
    # One format per kind everywhere: a style argument some templates still pass ('short') is ignored.
    app.jinja_env.filters["datetime"] = lambda value, _style=None: moment(value)
    app.jinja_env.filters["date"] = lambda value, _style=None: day(value)
    app.jinja_env.filters["time"] = clock
    app.jinja_env.filters["iso"] = iso
    app.jinja_env.filters["deadline"] = deadline
    app.jinja_env.filters["time_left"] = time_left
    app.jinja_env.filters["number"] = format_decimal
    app.jinja_env.filters["money"] = money
    app.jinja_env.globals.update(lang_attr=lang_attr, language_names=LANGUAGE_NAMES)
