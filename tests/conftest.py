"""Test fixtures (DESIGN §7).

The schema is built once per session by running the migrations; every test runs inside a
transaction that is rolled back, on SQLite by default or on PostgreSQL when TEST_DATABASE_URL is set.
Services commit as usual: their commits release SAVEPOINTs inside the test's outer transaction.
"""

from __future__ import annotations

import contextvars
import os
import re

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import scoped_session, sessionmaker

os.environ["MAM_ENV"] = "testing"
os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production")

from app import create_app  # noqa: E402
from app.db import db  # noqa: E402
from app.extensions import limiter  # noqa: E402
from tests.factories import UserFactory  # noqa: E402

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")


def require_system(available: bool, what: str, how: str) -> None:
    """System software that pip cannot install (a browser, Redis, Pango for PDFs).

    CI installs it, so there a missing piece FAILS the test. On a newcomer's machine with only Python,
    the test is skipped with the command that installs it, so `make test` still runs everything else.
    """
    if available:
        return
    message = f"{what} is not available on this machine; install it with: {how}"
    if os.environ.get("CI"):
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def engine_name() -> str:
    return "postgresql" if TEST_DATABASE_URL.startswith("postgresql") else "sqlite"


def pytest_report_header(config):
    return f"database engine: {engine_name()} ({TEST_DATABASE_URL or 'temporary SQLite file'})"


def pytest_collection_modifyitems(config, items):
    """Under ``--dist loadgroup`` (pytest-xdist) tests are spread one by one over the workers, so one long
    file no longer keeps a worker busy while the other waits. A file whose tests share a fixture kept for
    the file (a live server with the demo data, say) stays on one worker, so that fixture is built once.

    The browser tests, a few seconds each, are handed out first (a stable sort: pytest-randomly's order
    stays within each part), so the run ends on short tests that both workers share, not on one worker
    finishing a long one while the other waits."""
    for item in items:
        fixtures = getattr(item, "_fixtureinfo", None)
        definitions = fixtures.name2fixturedefs.values() if fixtures else ()
        if any(d.scope in ("module", "class", "package") for defs in definitions for d in defs):
            item.add_marker(pytest.mark.xdist_group(item.module.__name__))
    items.sort(key=lambda item: not item.nodeid.startswith("tests/e2e/"))


def reset_schema(url: str) -> None:
    """Drop everything in the test database so the migrations start from empty."""
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(sa.text("DROP SCHEMA public CASCADE"))
            conn.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()


def worker_database_url(url: str, name: str = "") -> str:
    """Under pytest-xdist each worker has a PostgreSQL database of its own (``mam_test_gw0``, …); ``name``
    tells a second one apart (``mam_test_gw0_demo``). Made on first use; a serial run of the main database
    uses the database it is given."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    base = sa.make_url(url)
    database = "_".join(part for part in (base.database, worker, name) if part)
    if database == base.database:
        return url
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        found = conn.execute(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": database})
        if found.first() is None:
            conn.execute(sa.text(f'CREATE DATABASE "{database}"'))
    admin.dispose()
    return base.set(database=database).render_as_string(hide_password=False)


def empty_database_url(tmp_path_factory, name: str = "") -> str:
    """An empty database for this worker: ``name`` tells a second one apart (the demo's)."""
    if TEST_DATABASE_URL:
        url = worker_database_url(TEST_DATABASE_URL, name)
        reset_schema(url)
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db' + name) / 'test.db'}"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    return empty_database_url(tmp_path_factory)


def _migrated_app(database_url: str, tmp_path_factory, prepare=None):
    from flask_migrate import upgrade

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "RATELIMIT_AUTH": "1000 per minute",
            "RATELIMIT_RESIDENCY_CODE": "1000 per minute",
        }
    )
    app.instance_path = str(tmp_path_factory.mktemp("instance"))
    with app.app_context():
        upgrade()
        if prepare is not None:
            prepare(app)
            db.session.remove()
        db.engine.dispose()
    return app


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    return _migrated_app(database_url, tmp_path_factory)


@pytest.fixture(scope="session")
def demo_app(tmp_path_factory):
    """The app on a database of its own that holds the demo data (`flask demo seed`), seeded once per worker.
    A test file that reads the demo makes it its ``app`` (a fixture ``app`` that returns ``demo_app``); each
    test's changes are rolled back as usual."""
    from app.demo.seed import seed

    def prepare(app):
        with app.test_request_context():
            list(seed())

    return _migrated_app(empty_database_url(tmp_path_factory, "demo"), tmp_path_factory, prepare)


@pytest.fixture(autouse=True)
def _fresh_limits(app):
    limiter.reset()
    yield


@pytest.fixture
def session(app):
    """A database session whose work is rolled back after the test."""
    with app.app_context():
        connection = db.engine.connect()
        outer = connection.begin()
        original = db.session
        db.session = scoped_session(
            sessionmaker(bind=connection, join_transaction_mode="create_savepoint"),
            scopefunc=original.registry.scopefunc,
        )
        app.extensions["mail_sent"] = []
        try:
            yield db.session
        finally:
            db.session.remove()
            db.session = original
            outer.rollback()
            connection.close()


@pytest.fixture
def users(session):
    return UserFactory(session)


@pytest.fixture
def mail(app, session):
    """E-mails sent during the test (the memory mail backend)."""
    return app.extensions["mail_sent"]


CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


class Client:
    """The Flask test client, plus CSRF handling the way a browser form does it.

    Each request runs in an empty context, so it gets its own application context (``g``, the
    current user, the locale, a database session) as in production, instead of reusing the test's.
    """

    def __init__(self, app):
        self.app = app
        self.http = app.test_client()
        self._token = None
        self.signed_in = False

    def csrf_token(self) -> str:
        """The token a page of this session would carry in its forms (Flask-WTF's own), made without
        rendering a page: most tests post something, and the page rendered for its token was work no test
        asked for. tests/main/test_http_cache.py posts with the token a page carries."""
        if self._token is None:
            self._token = contextvars.Context().run(self._new_csrf_token)
        return self._token

    def _new_csrf_token(self) -> str:
        from flask.globals import request_ctx
        from flask_wtf.csrf import generate_csrf

        with self.http.session_transaction() as cookie_session, self.app.test_request_context():
            request_ctx._session = cookie_session  # the token is kept in the client's own session cookie
            return generate_csrf()

    def get(self, url, **kwargs):
        return contextvars.Context().run(self.http.get, url, **kwargs)

    def post(self, url, data=None, csrf=True, confirm=False, **kwargs):
        """``confirm=True`` answers "Tak" to the confirmation page of a final action (confirm=yes)."""
        data = dict(data or {})
        if csrf:
            data.setdefault("csrf_token", self.csrf_token())
        if confirm:
            data["confirm"] = "yes"
        return contextvars.Context().run(self.http.post, url, data=data, **kwargs)

    def login(self, user, password: str | None = None):
        from tests.factories import PASSWORD

        if self.signed_in:
            self.logout()  # signing in while signed in would keep the earlier person
        response = self.post("/login", {"email": user.email, "password": password or PASSWORD})
        assert response.status_code == 303, response.get_data(as_text=True)[:500]
        self.signed_in = True
        self._token = None  # Flask-Login rotates nothing, but be safe after a login
        return response

    def logout(self):
        self.signed_in = False
        return self.post("/logout")


@pytest.fixture
def client(app, session):
    return Client(app)


@pytest.fixture
def make_client(app, session):
    return lambda: Client(app)
