"""A real server in a thread, on a database of its own, for tests that fire parallel requests."""

from __future__ import annotations

import http.client
import re
import threading
import urllib.parse
import uuid
from contextlib import contextmanager

import sqlalchemy as sa
from flask_migrate import upgrade
from werkzeug.serving import make_server

from app import create_app
from app.db import db
from tests.conftest import TEST_DATABASE_URL

CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


@contextmanager
def scratch_database(tmp_path):
    """A new, empty database on the engine under test; dropped afterwards."""
    if not TEST_DATABASE_URL:
        yield f"sqlite:///{tmp_path / 'live.db'}"
        return
    name = f"mam_live_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(TEST_DATABASE_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield sa.make_url(TEST_DATABASE_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


class LiveServer:
    def __init__(self, database_url: str):
        self.app = create_app({
            "SQLALCHEMY_DATABASE_URI": database_url,
            "SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": 60, "max_overflow": 20, "pool_pre_ping": True}
            if database_url.startswith("postgresql") else {},
            "RATELIMIT_AUTH": "1000 per minute",
        })
        with self.app.app_context():
            upgrade()
        self.server = make_server("127.0.0.1", 0, self.app, threaded=True)
        self.port = self.server.server_port
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        with self.app.app_context():
            db.session.remove()
            db.engine.dispose()

    def request(self, method: str, path: str, cookie: str = "", form: dict | None = None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Cookie": cookie} if cookie else {}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        text = response.read().decode()
        cookies = response.headers.get_all("Set-Cookie") or []
        conn.close()
        return response.status, text, cookies

    def login(self, email: str, password: str) -> tuple[str, str]:
        """Sign in; returns (cookie header, CSRF token) for later requests."""
        status, page, cookies = self.request("GET", "/login")
        cookie = "; ".join(c.split(";", 1)[0] for c in cookies)
        token = CSRF_META.search(page).group(1)
        status, _, cookies = self.request(
            "POST", "/login", cookie, {"email": email, "password": password, "csrf_token": token}
        )
        assert status == 303, status
        cookie = "; ".join(c.split(";", 1)[0] for c in cookies) or cookie
        status, page, _ = self.request("GET", "/", cookie)
        return cookie, CSRF_META.search(page).group(1)
