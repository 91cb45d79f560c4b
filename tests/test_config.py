"""Settings from the environment, safe defaults in production, and rate limits shared through Redis."""

from __future__ import annotations

import stat
import uuid

import pytest
from limits import parse, parse_many
from limits.storage import storage_from_string
from limits.strategies import STRATEGIES

from app import create_app
from app.config import ConfigError, build_config
from tests.conftest import CSRF_META, require_system
from tests.factories import PASSWORD

PRODUCTION = {"SECRET_KEY": "a-long-random-production-key", "BASE_URL": "https://mam.example.org/"}
REDIS_URL = "redis://127.0.0.1:6379/15"


# --- production refuses to start half-configured ---------------------------------------------------


def test_production_is_the_default_and_needs_a_secret_key(tmp_path):
    with pytest.raises(ConfigError, match="SECRET_KEY is not set") as error:
        build_config(str(tmp_path), environ={"BASE_URL": "https://mam.example.org"})

    assert "MAM_ENV=development" in str(error.value)
    assert not (tmp_path / "secret_key").exists()


def test_production_needs_a_base_url(tmp_path):
    with pytest.raises(ConfigError, match="BASE_URL is not set"):
        build_config(str(tmp_path), environ={"MAM_ENV": "production", "SECRET_KEY": "x" * 40})


def test_an_unknown_environment_is_refused(tmp_path):
    with pytest.raises(ConfigError, match="MAM_ENV must be one of"):
        build_config(str(tmp_path), environ={"MAM_ENV": "staging", **PRODUCTION})


def test_a_complete_production_config(tmp_path):
    config = build_config(str(tmp_path), environ=dict(PRODUCTION))

    assert config["MAM_ENV"] == "production"
    assert config["SECRET_KEY"] == PRODUCTION["SECRET_KEY"]
    assert config["BASE_URL"] == "https://mam.example.org"  # no trailing slash in links
    assert config["PREFERRED_URL_SCHEME"] == "https"
    assert config["MAIL_BACKEND"] == "console"
    assert config["RATELIMIT_STORAGE_URI"] == "memory://"


def test_create_app_in_production_without_a_secret_key_fails(tmp_path, monkeypatch):
    monkeypatch.setenv("MAM_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("BASE_URL", "https://mam.example.org")
    monkeypatch.setenv("MAM_INSTANCE_PATH", str(tmp_path))

    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app()


def test_production_refuses_https_posts_without_a_referer_from_this_site(monkeypatch, database_url, session):
    """WTF_CSRF_SSL_STRICT: over HTTPS a form must come with a Referer from the site itself, on top of the
    CSRF token (a token leaked to another site is not enough)."""
    assert build_config("/nonexistent", environ=dict(PRODUCTION))["WTF_CSRF_SSL_STRICT"] is True
    monkeypatch.setenv("MAM_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", PRODUCTION["SECRET_KEY"])
    monkeypatch.setenv("BASE_URL", PRODUCTION["BASE_URL"])
    monkeypatch.setenv("DATABASE_URL", database_url)
    http = create_app().test_client()
    site = "https://mam.example.org"
    page = http.get("/login", base_url=site).get_data(as_text=True)
    form = {"csrf_token": CSRF_META.search(page).group(1), "email": "ktos@example.org",
            "password": "zle-haslo-zle-haslo"}

    no_referer = http.post("/login", data=form, base_url=site)
    elsewhere = http.post("/login", data=form, base_url=site, headers={"Referer": "https://inna.example/login"})
    from_the_site = http.post("/login", data=form, base_url=site, headers={"Referer": f"{site}/login"})

    for refused in (no_referer, elsewhere):
        assert refused.status_code == 400
        assert "Formularz wygasł lub został wysłany z innego miejsca." in refused.get_data(as_text=True)
    assert from_the_site.status_code == 422  # past the CSRF check: only the password is wrong
    assert "Nieprawidłowy adres e-mail, numer mieszkańca lub hasło." in from_the_site.get_data(as_text=True)


# --- development keeps a generated key -----------------------------------------------------------


def test_development_generates_a_key_and_keeps_it(tmp_path):
    instance = tmp_path / "instance"

    first = build_config(str(instance), environ={"MAM_ENV": "development"})
    second = build_config(str(instance), environ={"MAM_ENV": "development"})

    assert len(first["SECRET_KEY"]) >= 32
    assert second["SECRET_KEY"] == first["SECRET_KEY"]
    key_file = instance / "secret_key"
    assert key_file.read_text().strip() == first["SECRET_KEY"]
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert first["BASE_URL"] == "http://127.0.0.1:5000"


def test_each_development_instance_gets_its_own_key(tmp_path):
    one = build_config(str(tmp_path / "one"), environ={"MAM_ENV": "development"})
    two = build_config(str(tmp_path / "two"), environ={"MAM_ENV": "development"})

    assert one["SECRET_KEY"] != two["SECRET_KEY"]


def test_a_given_secret_key_wins_in_development(tmp_path):
    config = build_config(str(tmp_path), environ={"MAM_ENV": "development", "SECRET_KEY": "mine"})

    assert config["SECRET_KEY"] == "mine"
    assert not (tmp_path / "secret_key").exists()


# --- database URL --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgres://mam:sekret@db:5432/mam", "postgresql+psycopg://mam:sekret@db:5432/mam"),
        ("postgresql://mam:sekret@db/mam", "postgresql+psycopg://mam:sekret@db/mam"),
        ("postgresql+psycopg://mam@db/mam", "postgresql+psycopg://mam@db/mam"),
    ],
)
def test_database_url_uses_the_psycopg_driver(tmp_path, given, expected):
    config = build_config(str(tmp_path), environ={**PRODUCTION, "DATABASE_URL": given})

    assert config["SQLALCHEMY_DATABASE_URI"] == expected


def test_without_database_url_sqlite_lives_in_the_instance_folder(tmp_path):
    config = build_config(str(tmp_path), environ={"MAM_ENV": "development"})

    assert config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'mam.db'}"


# --- cookies -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("mam_env", "secure"), [("production", True), ("development", False)])
def test_cookie_flags(tmp_path, mam_env, secure):
    config = build_config(str(tmp_path), environ={**PRODUCTION, "MAM_ENV": mam_env})

    assert config["SESSION_COOKIE_SECURE"] is secure
    assert config["REMEMBER_COOKIE_SECURE"] is secure
    assert config["SESSION_COOKIE_HTTPONLY"] is True
    assert config["REMEMBER_COOKIE_HTTPONLY"] is True
    assert config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert config["REMEMBER_COOKIE_SAMESITE"] == "Lax"


def test_the_session_cookie_after_sign_in_is_httponly_and_samesite_lax(session, users, client):
    user = users.resident()

    response = client.post("/login", {"email": user.email, "password": PASSWORD, "remember": "y"})

    assert response.status_code == 303
    cookies = response.headers.getlist("Set-Cookie")
    for name in ("session=", "remember_token="):
        [cookie] = [c for c in cookies if c.startswith(name)]
        assert "HttpOnly" in cookie
        assert "SameSite=Lax" in cookie


# --- mail and rate-limit settings ----------------------------------------------------------------


def test_mail_goes_over_smtp_when_a_server_is_set(tmp_path):
    config = build_config(
        str(tmp_path), environ={**PRODUCTION, "MAIL_SERVER": "smtp.example.org", "MAIL_PORT": "465",
                                "MAIL_USE_SSL": "true"}
    )

    assert config["MAIL_BACKEND"] == "smtp"
    assert config["MAIL_PORT"] == 465
    assert config["MAIL_USE_SSL"] is True


def test_rate_limit_storage_comes_from_the_environment(tmp_path):
    config = build_config(
        str(tmp_path), environ={**PRODUCTION, "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/0"}
    )

    assert config["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/0"
    assert config["RATELIMIT_ENABLED"] is True
    assert parse_many(config["RATELIMIT_AUTH"])  # the default limits are valid limit strings


def test_redis_gets_short_timeouts_and_an_in_memory_fallback(tmp_path):
    """A Redis that is down or hangs costs a request a fraction of a second, then each process counts on
    its own (tests/test_rate_limit_storage.py runs it against a real Redis)."""
    config = build_config(str(tmp_path), environ={**PRODUCTION, "RATELIMIT_STORAGE_URI": REDIS_URL})
    assert config["RATELIMIT_STORAGE_OPTIONS"] == {"socket_connect_timeout": 0.25, "socket_timeout": 0.25}
    assert config["RATELIMIT_IN_MEMORY_FALLBACK_ENABLED"] is True

    config = build_config(str(tmp_path), environ={**PRODUCTION, "RATELIMIT_STORAGE_URI": "rediss://r:6380/1",
                                                  "RATELIMIT_STORAGE_TIMEOUT": "0.1"})
    assert config["RATELIMIT_STORAGE_OPTIONS"] == {"socket_connect_timeout": 0.1, "socket_timeout": 0.1}
    assert build_config(str(tmp_path), environ=dict(PRODUCTION))["RATELIMIT_STORAGE_OPTIONS"] == {}


def _redis_answers() -> bool:
    try:
        return storage_from_string(REDIS_URL).check()
    except Exception:
        return False


def test_a_limit_in_redis_is_shared_by_several_app_servers(tmp_path):
    """Two app servers each build their own storage from the same URL; a client cannot double its
    allowance by reaching the other server."""
    require_system(_redis_answers(), "Redis on 127.0.0.1:6379", "`apt-get install -y redis-server`")
    config = build_config(str(tmp_path), environ={**PRODUCTION, "RATELIMIT_STORAGE_URI": REDIS_URL})
    url, strategy = config["RATELIMIT_STORAGE_URI"], STRATEGIES[config["RATELIMIT_STRATEGY"]]
    server_a = strategy(storage_from_string(url))
    server_b = strategy(storage_from_string(url))
    assert server_a.storage.check() and server_b.storage.check()
    limit = parse("3 per minute")
    client_address = f"test-{uuid.uuid4()}"
    try:
        assert server_a.hit(limit, "login", client_address)
        assert server_b.hit(limit, "login", client_address)
        assert server_a.hit(limit, "login", client_address)

        assert not server_b.hit(limit, "login", client_address)
        assert not server_a.hit(limit, "login", client_address)
        assert server_b.get_window_stats(limit, "login", client_address).remaining == 0
        # Somebody else is not affected.
        assert server_b.hit(limit, "login", f"{client_address}-other")
    finally:
        server_a.clear(limit, "login", client_address)
        server_a.clear(limit, "login", f"{client_address}-other")

    assert server_b.test(limit, "login", client_address)


def test_too_many_sign_in_attempts_get_429_in_polish(app, session, users, client):
    user = users.resident()
    before = app.config["RATELIMIT_AUTH"]
    app.config["RATELIMIT_AUTH"] = "3 per minute"
    try:
        for _ in range(3):
            wrong = client.post("/login", {"email": user.email, "password": "zle-haslo-zle-haslo"})
            assert wrong.status_code == 422

        # Even the right password is refused now: guessing has to wait.
        blocked = client.post("/login", {"email": user.email, "password": PASSWORD})

        assert blocked.status_code == 429
        page = blocked.get_data(as_text=True)
        assert "Zbyt wiele prób" in page
        assert "Odczekaj chwilę" in page
        # Another address is not blocked by this one.
        other = client.post(
            "/login", {"email": user.email, "password": PASSWORD}, environ_base={"REMOTE_ADDR": "10.0.0.7"}
        )
        assert other.status_code == 303
    finally:
        app.config["RATELIMIT_AUTH"] = before


def test_viewing_the_sign_in_page_is_not_limited(app, session, client):
    before = app.config["RATELIMIT_AUTH"]
    app.config["RATELIMIT_AUTH"] = "1 per minute"
    try:
        assert all(client.get("/login").status_code == 200 for _ in range(5))
    finally:
        app.config["RATELIMIT_AUTH"] = before


# --- contact address, accessibility statement, export limits, outbox retries -----------------------


def test_the_contact_address_defaults_to_the_sender_and_can_be_set(tmp_path):
    sender = "MAM Na Kozłówce <biuro@mam.example>"
    config = build_config(str(tmp_path), environ={**PRODUCTION, "MAIL_FROM": sender})
    assert config["CONTACT_EMAIL"] == "biuro@mam.example"

    config = build_config(str(tmp_path), environ={**PRODUCTION, "CONTACT_EMAIL": "dostepnosc@mam.example"})
    assert config["CONTACT_EMAIL"] == "dostepnosc@mam.example"


def test_the_accessibility_statement_date_is_a_date(tmp_path):
    from datetime import date

    config = build_config(str(tmp_path), environ={**PRODUCTION, "ACCESSIBILITY_STATEMENT_DATE": "2027-01-31"})
    assert config["ACCESSIBILITY_STATEMENT_DATE"] == date(2027, 1, 31)
    with pytest.raises(ConfigError, match="ACCESSIBILITY_STATEMENT_DATE"):
        build_config(str(tmp_path), environ={**PRODUCTION, "ACCESSIBILITY_STATEMENT_DATE": "31.01.2027"})


def test_export_limit_and_outbox_attempts_have_sane_defaults(tmp_path):
    config = build_config(str(tmp_path), environ=dict(PRODUCTION))

    assert [str(limit) for limit in parse_many(config["RATELIMIT_EXPORTS"])] == ["20 per 1 minute"]
    assert config["OUTBOX_MAX_ATTEMPTS"] == 10
    config = build_config(str(tmp_path), environ={**PRODUCTION, "OUTBOX_MAX_ATTEMPTS": "3",
                                                  "RATELIMIT_EXPORTS": "5 per minute"})
    assert config["OUTBOX_MAX_ATTEMPTS"] == 3 and config["RATELIMIT_EXPORTS"] == "5 per minute"


def test_every_setting_read_from_the_environment_is_documented():
    """docs/deployment.md lists each variable app/config.py reads."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    source = (root / "app" / "config.py").read_text()
    docs = (root / "docs" / "deployment.md").read_text()
    read = set(re.findall(r'env\.get\("([A-Z_]+)"', source))
    new = {"CONTACT_EMAIL", "ACCESSIBILITY_STATEMENT_DATE", "RATELIMIT_EXPORTS", "OUTBOX_MAX_ATTEMPTS"}
    assert new <= read
    missing = sorted(name for name in read if f"`{name}`" not in docs)
    assert missing == []
