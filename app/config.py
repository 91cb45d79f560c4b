"""Settings, read from the environment.

``MAM_ENV`` selects the profile: ``production`` (the default, so that a forgotten setting never weakens
a live site), ``development`` (what ``make run`` uses) or ``testing``.
"""

from __future__ import annotations

import os
import secrets
from datetime import date
from email.utils import parseaddr
from pathlib import Path
from typing import Any

ENVIRONMENTS = ("production", "development", "testing")
# When the accessibility statement (app/templates/main/accessibility.html) was prepared; set
# ACCESSIBILITY_STATEMENT_DATE when it is reviewed again.
ACCESSIBILITY_STATEMENT_DATE = "2026-11-25"
# The centre's details (app/centre) until an administrator saves them at /admin/centre; each can be set
# in the environment. The values are the demo centre's.
CENTRE_DEFAULTS = {
    "CENTRE_NAME": "Miejsce Aktywności Mieszkańców Na Kozłówce",
    "CENTRE_STREET": "ul. Kozłówka 14",
    "CENTRE_POSTCODE": "30-664",
    "CENTRE_CITY": "Kraków",
    "CENTRE_HOURS": "poniedziałek–piątek 10:00–20:00\nsobota 10:00–14:00\nniedziela i święta: zamknięte",
    "CENTRE_PHONE": "+48 12 345 67 89",
    "CENTRE_ACCESSIBILITY_CONTACT": "Anna Nowak, koordynatorka MAM",
    "CENTRE_ENTRANCE": "Wejście główne od ulicy, z poziomu chodnika, bez progów i schodów. "
    "Drzwi otwierają się automatycznie.",
    "CENTRE_LIFT": "Wszystkie sale są na parterze; budynek nie ma pięter ani windy.",
    "CENTRE_TOILET": "Toaleta dostosowana do potrzeb osób poruszających się na wózku, na parterze, "
    "obok sali głównej.",
    "CENTRE_PARKING": "Jedno miejsce dla osób z niepełnosprawnościami przed wejściem; "
    "przystanek autobusowy „Kozłówek” 150 m od budynku.",
    "CENTRE_ASSISTANCE_DOG": "Do budynku można wejść z psem asystującym i psem przewodnikiem.",
    "CENTRE_SIGN_LANGUAGE": "Tłumacza polskiego języka migowego (PJM) zapewnimy na miejscu, "
    "jeśli zgłosisz to co najmniej 3 dni robocze wcześniej. Tłumacza online nie ma.",
    "CENTRE_RUN_BY": "Centrum prowadzą razem mieszkańcy osiedla Na Kozłówce, Fundacja Kozłówka i Centrum "
    "Obywatelskie Miasta Krakowa. Mieszkańcy zgłaszają pomysły i głosują, rada mieszkańców wybiera zespół, "
    "fundacja organizuje wolontariat, a miasto opłaca lokal i media.",
    "CENTRE_ASSESSMENT": "Samoocena przeprowadzona przez zespół platformy i mieszkańców: przejście "
    "wszystkich stron klawiaturą i czytnikiem ekranu (NVDA), automatyczne testy axe na każdej stronie.",
}


# argon2id: OWASP's recommendation (m=19 MiB, t=2, p=1) costs a fraction of argon2-cffi's default (m=64 MiB,
# t=3, p=4) per sign-in. Hashes made with other parameters are rewritten at the next sign-in.
# Keyword arguments of argon2.PasswordHasher.
OWASP_PARAMETERS: dict[str, Any] = {"time_cost": 2, "memory_cost": 19 * 1024, "parallelism": 1}
# Cheap on purpose: the production parameters are tested in tests/auth/test_password_hashing.py.
TEST_PASSWORD_HASHING: dict[str, Any] = {"time_cost": 1, "memory_cost": 1024, "parallelism": 1}


class ConfigError(RuntimeError):
    """The configuration cannot be used; the message says what to set."""


def _bool(value: str | None, default: bool = False) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _dev_secret_key(instance_path: Path) -> str:
    """A development key kept in instance/, so sessions survive a restart of ``make run``."""
    key_file = instance_path / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


def _rate_limit_storage_options(storage_uri: str, timeout: float) -> dict:
    """Short connect and read timeouts for Redis: a Redis that is down or does not answer costs a request
    at most ``timeout`` seconds, then Flask-Limiter falls back to counting in each process."""
    if storage_uri.startswith(("redis", "valkey")):
        return {"socket_connect_timeout": timeout, "socket_timeout": timeout}
    return {}


def build_config(instance_path: str, environ: dict[str, str] | None = None) -> dict:
    env = os.environ if environ is None else environ
    mam_env = env.get("MAM_ENV", "production").strip().lower()
    if mam_env not in ENVIRONMENTS:
        raise ConfigError(f"MAM_ENV must be one of {', '.join(ENVIRONMENTS)}, not {mam_env!r}.")
    production = mam_env == "production"
    instance = Path(instance_path)

    secret_key = env.get("SECRET_KEY", "")
    if not secret_key:
        if production:
            raise ConfigError(
                "SECRET_KEY is not set. In production the platform refuses to start without it: "
                "set SECRET_KEY to a long random value, e.g. "
                "`python -c 'import secrets; print(secrets.token_urlsafe(48))'`. "
                "For local development set MAM_ENV=development (what `make run` does)."
            )
        secret_key = _dev_secret_key(instance)

    base_url = env.get("BASE_URL", "").rstrip("/")
    if not base_url:
        if production:
            raise ConfigError(
                "BASE_URL is not set. Set it to the public address of the platform, e.g. "
                "https://mam.example.org: links in e-mails are built from it, never from the "
                "request's Host header."
            )
        base_url = "http://localhost" if mam_env == "testing" else "http://127.0.0.1:5000"

    database_url = env.get("DATABASE_URL") or f"sqlite:///{instance / 'mam.db'}"
    if database_url.startswith("postgres://"):
        database_url = "postgresql+psycopg://" + database_url.removeprefix("postgres://")
    elif database_url.startswith("postgresql://"):
        database_url = "postgresql+psycopg://" + database_url.removeprefix("postgresql://")

    rate_limit_storage = env.get("RATELIMIT_STORAGE_URI", "memory://")
    rate_limit_timeout = float(env.get("RATELIMIT_STORAGE_TIMEOUT", "0.25"))

    mail_server = env.get("MAIL_SERVER", "")
    mail_from = env.get("MAIL_FROM", "MAM Na Kozłówce <mam@localhost>")
    statement_text = env.get("ACCESSIBILITY_STATEMENT_DATE") or ACCESSIBILITY_STATEMENT_DATE
    try:
        statement_date = date.fromisoformat(statement_text)
    except ValueError as error:
        raise ConfigError(
            f"ACCESSIBILITY_STATEMENT_DATE must be a date like 2026-11-25, not {statement_text!r}."
        ) from error
    return {
        "MAM_ENV": mam_env,
        "SECRET_KEY": secret_key,
        "SQLALCHEMY_DATABASE_URI": database_url,
        # No pool_pre_ping: app.db checks a pooled connection only after it has been idle for a while.
        "SQLALCHEMY_ENGINE_OPTIONS": {},
        # A request's whole body: a picture of at most 10 MB (app/media) with its form. Text fields have
        # their own, smaller limit (Flask's MAX_FORM_MEMORY_SIZE, 500 kB).
        "MAX_CONTENT_LENGTH": int(env.get("MAX_CONTENT_LENGTH", 11 * 1024 * 1024)),
        # Where pictures are stored (app/media); empty: the instance folder's media/.
        "MEDIA_DIR": env.get("MEDIA_DIR", ""),
        # Cookies: HttpOnly and SameSite=Lax always, Secure outside development and tests.
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_DURATION": 60 * 60 * 24 * 30,
        "PREFERRED_URL_SCHEME": "https" if production else "http",
        "BASE_URL": base_url,
        "PROXY_FIX_HOPS": int(env.get("PROXY_FIX_HOPS", "0")),
        "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the session
        "WTF_CSRF_SSL_STRICT": production,
        # Translations
        "BABEL_DEFAULT_LOCALE": "pl",
        "BABEL_DEFAULT_TIMEZONE": "Europe/Warsaw",
        "LANGUAGES": ("pl", "uk", "en"),
        # Rate limits: memory by default (each process counts on its own), Redis (shared by every worker
        # and app server) in production. When Redis is unreachable, each process counts in memory until
        # it answers again (Flask-Limiter tries it again after pauses that double up to 32 s).
        "RATELIMIT_STORAGE_URI": rate_limit_storage,
        "RATELIMIT_STORAGE_OPTIONS": _rate_limit_storage_options(rate_limit_storage, rate_limit_timeout),
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "RATELIMIT_ENABLED": _bool(env.get("RATELIMIT_ENABLED"), default=True),
        "RATELIMIT_HEADERS_ENABLED": True,
        # A moving window: no burst of twice the limit across a window boundary.
        "RATELIMIT_STRATEGY": env.get("RATELIMIT_STRATEGY", "moving-window"),
        "RATELIMIT_AUTH": env.get("RATELIMIT_AUTH", "10 per minute;50 per hour"),
        # Password resets and registrations naming one address, from any IP: each e-mails that address.
        "RATELIMIT_PER_ADDRESS": env.get("RATELIMIT_PER_ADDRESS", "5 per hour;20 per day"),
        "RATELIMIT_RESIDENCY_CODE": env.get("RATELIMIT_RESIDENCY_CODE", "10 per hour"),
        "RATELIMIT_RECEIPT": env.get("RATELIMIT_RECEIPT", "30 per minute"),
        "RATELIMIT_EXPORTS": env.get("RATELIMIT_EXPORTS", "20 per minute"),  # anonymous PDF builds per IP
        "RATELIMIT_COMMENTS": env.get("RATELIMIT_COMMENTS", "5 per minute;100 per day"),
        "RATELIMIT_FLAGS": env.get("RATELIMIT_FLAGS", "10 per hour;30 per day"),
        "RATELIMIT_CONTRIBUTIONS": env.get("RATELIMIT_CONTRIBUTIONS", "30 per hour;200 per day"),
        # E-mail. Without MAIL_SERVER, messages are printed to the console (development).
        "MAIL_BACKEND": env.get("MAIL_BACKEND")
        or ("smtp" if mail_server else ("memory" if mam_env == "testing" else "console")),
        "MAIL_SERVER": mail_server,
        "MAIL_PORT": int(env.get("MAIL_PORT", "587")),
        "MAIL_USERNAME": env.get("MAIL_USERNAME", ""),
        "MAIL_PASSWORD": env.get("MAIL_PASSWORD", ""),
        "MAIL_USE_TLS": _bool(env.get("MAIL_USE_TLS"), default=True),
        "MAIL_USE_SSL": _bool(env.get("MAIL_USE_SSL")),
        "MAIL_FROM": mail_from,
        # Where people write about the platform (the accessibility statement shows it); the sender by default.
        "CONTACT_EMAIL": env.get("CONTACT_EMAIL") or parseaddr(mail_from)[1],
        "ACCESSIBILITY_STATEMENT_DATE": statement_date,
        **{key: env.get(key) or value for key, value in CENTRE_DEFAULTS.items()},
        # Failed deliveries are retried (by `flask outbox send`) this many times in all, then kept as failed.
        "OUTBOX_MAX_ATTEMPTS": max(1, int(env.get("OUTBOX_MAX_ATTEMPTS", "10"))),
        # Token lifetimes (seconds)
        "EMAIL_VERIFY_MAX_AGE": int(env.get("EMAIL_VERIFY_MAX_AGE", 3 * 24 * 3600)),
        "PASSWORD_RESET_MAX_AGE": int(env.get("PASSWORD_RESET_MAX_AGE", 3600)),
        "SETUP_LINK_MAX_AGE": int(env.get("SETUP_LINK_MAX_AGE", 7 * 24 * 3600)),
        "PAGE_SIZE": 25,
        # A proposal's discussion is shown this many comments at a time (the rest: "show more comments").
        "COMMENTS_PER_PART": 25,
        # argon2id parameters: OWASP's in every environment but the tests, which sign in thousands of times.
        "PASSWORD_HASHING": TEST_PASSWORD_HASHING if mam_env == "testing" else OWASP_PARAMETERS,
        # Each process keeps the centre's details (every page's footer) this many seconds instead of reading
        # them per request; a save shows at once in its own process and to administrators (0: read each time).
        "CENTRE_SETTINGS_CACHE_SECONDS": float(env.get("CENTRE_SETTINGS_CACHE_SECONDS",
                                                       "0" if mam_env == "testing" else "30")),
        # Each process answers a visitor who is not signed in with its copy of the same reading page made at
        # most this many seconds ago, dropped at each commit (app/page_cache.py); 0: off (development, tests).
        "PAGE_CACHE_SECONDS": float(env.get("PAGE_CACHE_SECONDS", "10" if production else "0")),
        # A pooled database connection idle for this many seconds is checked before use (a restarted
        # server has closed it); one in steady use is not, so a busy site saves a round trip per request.
        # 0: check every connection before every use.
        "DATABASE_PING_AFTER_IDLE_SECONDS": float(env.get("DATABASE_PING_AFTER_IDLE_SECONDS", "10")),
    }
