"""Application-wide behaviour: health checks, error pages, security headers, static assets, isolation."""

from __future__ import annotations

import base64
import hashlib
import re
import sqlite3
from pathlib import Path

import psycopg
import pytest
import sqlalchemy as sa
from flask import Blueprint, abort, request

from app import create_app
from app.auth.models import User
from app.static_files import HTMX_SHA384, HTMX_VERSION, htmx_path

ROOT = Path(__file__).resolve().parents[1]


def test_healthz_and_readyz_answer_json(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}
    assert client.get("/readyz").get_json() == {"status": "ok", "database": "ok", "rate_limits": "ok"}


def test_readyz_reports_an_unreachable_database(tmp_path):
    broken = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/missing/dir/db.sqlite"})
    response = broken.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["database"] == "unreachable"


def test_sqlite_file_databases_enforce_foreign_keys_and_use_wal(tmp_path):
    """app/db.py sets the pragmas on every new SQLite connection (not only the first one)."""
    from app.db import db

    sqlite_app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'pragmas.db'}"})
    with sqlite_app.app_context():
        engine = db.engine
        try:
            for _ in range(2):  # two separate connections, each configured on connect
                with engine.connect() as connection:
                    assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
                    assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
                    assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 10000
                    assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
                engine.pool.dispose()
            with engine.begin() as connection:
                connection.exec_driver_sql("CREATE TABLE parent (id INTEGER PRIMARY KEY)")
                connection.exec_driver_sql(
                    "CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent (id))"
                )
            with pytest.raises(sa.exc.IntegrityError), engine.begin() as connection:
                connection.exec_driver_sql("INSERT INTO child (parent_id) VALUES (42)")
        finally:
            engine.dispose()
    plain = sqlite3.connect(tmp_path / "pragmas.db")  # WAL is a property of the file, kept after closing
    try:
        assert plain.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        plain.close()


def test_accessibility_statement_gives_contact_date_and_complaint_route(client, app, monkeypatch):
    monkeypatch.setitem(app.config, "CONTACT_EMAIL", "dostepnosc@mam.example")

    polish = client.get("/accessibility").get_data(as_text=True)

    assert '<a href="mailto:dostepnosc@mam.example">dostepnosc@mam.example</a>' in polish
    assert "Deklarację sporządzono 25 listopada 2026" in polish
    assert "Rzecznika Praw Obywatelskich" in polish and "https://www.rpo.gov.pl/" in polish
    assert "nie później niż w ciągu 7 dni" in polish and "2 miesięcy" in polish
    client.http.set_cookie("lang", "en")
    english = client.get("/accessibility").get_data(as_text=True)
    assert "mailto:dostepnosc@mam.example" in english
    assert "This statement was prepared on 25 Nov 2026" in english  # British English
    assert "Commissioner for Human Rights (Rzecznik Praw Obywatelskich)" in english
    assert "file a complaint" in english


def test_accessibility_contact_defaults_to_the_sender_address(client, app):
    from email.utils import parseaddr

    html = client.get("/accessibility").get_data(as_text=True)

    assert f'href="mailto:{parseaddr(app.config["MAIL_FROM"])[1]}"' in html


@pytest.fixture(scope="module")
def error_app(app):
    """A second app with routes that fail on purpose (routes cannot be added once one has served)."""
    errors = create_app({"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                         "MAX_CONTENT_LENGTH": 1000})
    bp = Blueprint("boom", __name__)

    @bp.route("/boom/<int:code>", methods=["GET", "POST"])
    def boom(code):
        request.form.get("x")  # reading the body is what enforces MAX_CONTENT_LENGTH
        if code == 500:
            raise RuntimeError("kaboom")
        abort(code)

    @bp.post("/boom/db/<kind>")
    def database_failure(kind):
        cause = {
            "locked": sqlite3.OperationalError("database is locked"),
            "serialization": psycopg.errors.SerializationFailure("could not serialize access"),
            "deadlock": psycopg.errors.DeadlockDetected("deadlock detected"),
            "missing table": sqlite3.OperationalError("no such table: proposals"),
        }[kind]
        raise sa.exc.OperationalError("UPDATE proposals SET title = ?", {}, cause)

    errors.register_blueprint(bp)
    errors.config["WTF_CSRF_ENABLED"] = False
    return errors


@pytest.mark.parametrize(
    ("path", "status", "polish", "english"),
    [
        ("/boom/400", 400, "Nieprawidłowe żądanie", "Bad request"),
        ("/boom/403", 403, "Brak dostępu", "Access denied"),
        ("/no-such-page", 404, "Nie znaleziono strony", "Page not found"),
        ("/healthz-post", 404, "Nie znaleziono strony", "Page not found"),
        ("/boom/429", 429, "Zbyt wiele prób", "Too many requests"),
        ("/boom/500", 500, "Coś poszło nie tak", "Something went wrong"),
    ],
)
def test_error_pages_are_translated(error_app, path, status, polish, english):
    http = error_app.test_client()
    response = http.get(path)
    assert response.status_code == status
    assert polish in response.get_data(as_text=True)
    http.set_cookie("lang", "en")
    assert english in http.get(path).get_data(as_text=True)


@pytest.mark.parametrize("kind", ["locked", "serialization", "deadlock"])
def test_a_write_conflict_asks_to_try_again_instead_of_a_500(error_app, kind):
    http = error_app.test_client()
    response = http.post(f"/boom/db/{kind}")
    assert response.status_code == 503 and response.headers["Retry-After"] == "2"
    page = response.get_data(as_text=True)
    assert "Nic nie zostało zmienione: spróbuj ponownie." in page
    http.set_cookie("lang", "en")
    assert "Nothing was changed: please try again." in http.post(f"/boom/db/{kind}").get_data(as_text=True)


def test_other_database_errors_are_server_errors(error_app):
    response = error_app.test_client().post("/boom/db/missing table")
    assert response.status_code == 500 and "Coś poszło nie tak" in response.get_data(as_text=True)


def test_405_and_413_pages(error_app):
    http = error_app.test_client()
    response = http.post("/accessibility")
    assert response.status_code == 405 and "Niedozwolona metoda" in response.get_data(as_text=True)
    response = http.post("/boom/404", data={"x": "a" * 5000})
    assert response.status_code == 413 and "Zbyt dużo danych" in response.get_data(as_text=True)


def test_security_headers_and_strict_csp(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_session_cookie_is_httponly_and_lax(client, users):
    client.login(users.resident())
    cookie = client.http.get_cookie("session")
    assert cookie.http_only and cookie.same_site == "Lax"


def test_templates_have_no_inline_scripts_or_handlers():
    offenders = []
    for template in (ROOT / "app/templates").rglob("*.html"):
        text = template.read_text()
        inline_script = re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text)
        if inline_script or re.search(r"\s(on[a-z]+|(data-)?hx-on[:\w-]*)\s*=\s*[\"']", text):
            offenders.append(template.name)
    assert offenders == []


def test_vendored_htmx_is_the_pinned_version_with_the_recorded_hash(client):
    path = ROOT / "app/static" / htmx_path()
    content = path.read_bytes()
    digest = "sha384-" + base64.b64encode(hashlib.sha384(content).digest()).decode()
    assert digest == HTMX_SHA384
    assert f'version:"{HTMX_VERSION}"' in content.decode()
    assert HTMX_VERSION.startswith("2.0.")
    page = client.get("/").get_data(as_text=True)
    assert f"/static/{htmx_path()}" in page
    assert client.get(f"/static/{htmx_path()}").status_code == 200
    assert len(list((ROOT / "app/static/vendor").glob("htmx*"))) == 1


def test_every_page_works_without_javascript_forms_are_real_posts(client, users):
    """The header's sign-out and language switch are plain forms, with the CSRF token."""
    client.login(users.resident())
    html = client.get("/").get_data(as_text=True)
    for action in ("/logout", "/language"):
        form = re.search(rf'<form method="post" action="{action}"[^>]*>(.*?)</form>', html, re.S)
        assert form and 'name="csrf_token"' in form.group(1)


# Isolation canary: each test's writes are rolled back, whatever order the two run in.
CANARY = "canary@kozlowka.example"


@pytest.mark.parametrize("turn", [1, 2])
def test_canary_rolled_back_between_tests(session, users, turn):
    assert session.scalar(sa.select(sa.func.count()).where(User.email == CANARY)) == 0
    users.resident(email=CANARY)
    assert session.scalar(sa.select(sa.func.count()).where(User.email == CANARY)) == 1
