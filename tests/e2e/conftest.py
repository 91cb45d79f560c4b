"""Browser end-to-end fixtures: a live server on its own database, and Debian's Chromium via Playwright.

The e2e tests never use the ``session`` fixture of tests/conftest.py (which swaps ``db.session`` for a
rolled-back transaction): the browser talks to a real server running in a background thread, on a
temporary SQLite file migrated with the real migrations. Users are created directly in that database.

Chromium is Debian's (``apt-get install chromium``); Playwright's own browser download is not used.
Without it they fail in CI, and elsewhere are skipped with the command that installs it.
"""

from __future__ import annotations

import os
import shutil
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from flask_babel import force_locale, gettext, ngettext
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Locator,
    Page,
    expect,
    sync_playwright,
)
from werkzeug.serving import WSGIRequestHandler, make_server

from app import create_app
from app.db import db
from app.extensions import limiter
from tests.conftest import empty_database_url, require_system
from tests.factories import PASSWORD, UserFactory

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
CSP_MARKERS = ("Content Security Policy", "Content-Security-Policy")


def chromium_path() -> str:
    """Debian's Chromium (or MAM_E2E_CHROMIUM); in CI a missing browser fails the tests."""
    candidates = [os.environ.get("MAM_E2E_CHROMIUM", ""), shutil.which("chromium") or "", "/usr/bin/chromium"]
    for candidate in candidates:
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    require_system(
        False,
        "Chromium (for the browser end-to-end tests)",
        "`apt-get update && apt-get install -y chromium` (gives /usr/bin/chromium), or point "
        "MAM_E2E_CHROMIUM at a Chromium binary; Playwright's own browser download is not used",
    )


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs):  # keep the test output readable
        pass


@dataclass
class LiveServer:
    app: object
    url: str
    _server: object = field(repr=False)
    _thread: threading.Thread = field(repr=False)

    # --- the database, used directly by the tests ------------------------------------------------

    def make_user(self, kind: str = "resident", **kw) -> SimpleUser:
        """Create a user through tests.factories in the live database; returns plain data."""
        with self.app.app_context():
            user = getattr(UserFactory(db.session), kind)(**kw)
            data = SimpleUser(user.id, user.email, user.display_name, PASSWORD)
            db.session.remove()
        return data

    def user_state(self, user_id: int):
        from app.auth.models import User

        with self.app.app_context():
            user = db.session.get(User, user_id)
            state = {
                "email_verified": user.is_email_verified,
                "verified_resident": user.is_verified_resident,
                "locale": user.locale,
            }
            db.session.remove()
        return state

    def user_by_email(self, email: str) -> SimpleUser:
        import sqlalchemy as sa

        from app.auth.models import User

        with self.app.app_context():
            user = db.session.scalar(sa.select(User).where(User.email == email))
            data = SimpleUser(user.id, user.email, user.display_name, PASSWORD)
            db.session.remove()
        return data

    def verify_in_person(self, actor_id: int, user_id: int) -> None:
        """A moderator's verification, through the service (it writes an audit log entry)."""
        from app.auth.models import User
        from app.residents import services

        with self.app.test_request_context():
            services.verify_in_person(db.session.get(User, actor_id), db.session.get(User, user_id))
            db.session.remove()

    # --- e-mail (the memory backend) -------------------------------------------------------------

    def mail_to(self, recipient: str, timeout: float = 5.0) -> list[dict]:
        deadline = time.monotonic() + timeout
        while True:
            sent = [m for m in self.app.extensions.get("mail_sent", []) if m["to"] == recipient]
            if sent or time.monotonic() > deadline:
                return sent
            time.sleep(0.05)

    # --- translations ----------------------------------------------------------------------------

    def t(self, locale: str, message: str, **variables) -> str:
        """The UI text ``message`` as the app shows it in ``locale``."""
        with self.app.test_request_context(), force_locale(locale):
            return gettext(message, **variables)

    def tn(self, locale: str, singular: str, plural: str, num: int) -> str:
        with self.app.test_request_context(), force_locale(locale):
            return ngettext(singular, plural, num)


@dataclass
class SimpleUser:
    id: int
    email: str
    display_name: str
    password: str


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """The app on a database of its own (the run's engine), served by werkzeug on 127.0.0.1:<free port>."""
    yield from serve(tmp_path_factory, "e2e")


def serve(tmp_path_factory, name: str, prepare=None):
    """Migrate an empty database of the run's engine (a SQLite file, or this worker's PostgreSQL database
    ``…_live_<name>``), run ``prepare(app)`` in the app context (e.g. demo data), and serve it."""
    from flask_migrate import upgrade

    database = empty_database_url(tmp_path_factory, f"live_{name}")
    sqlite = database.startswith("sqlite")
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": database,
            # SQLite: the server's threads wait for each other's writes rather than fail at once
            "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"timeout": 30}} if sqlite else {},
            "MAIL_BACKEND": "memory",
            "RATELIMIT_AUTH": "1000 per minute",
            "RATELIMIT_RESIDENCY_CODE": "1000 per minute",
        }
    )
    app.instance_path = str(tmp_path_factory.mktemp(f"{name}-instance"))
    assert app.config["MAM_ENV"] == "testing"
    with app.app_context():
        upgrade()
        if prepare is not None:
            prepare(app)
        db.session.remove()
        db.engine.dispose()

    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietHandler)
    url = f"http://127.0.0.1:{server.server_port}"
    app.config["BASE_URL"] = url  # links in e-mails point at the live server
    app.extensions["mail_sent"] = []
    thread = threading.Thread(target=server.serve_forever, name="e2e-live-server", daemon=True)
    thread.start()
    yield LiveServer(app, url, server, thread)
    server.shutdown()
    thread.join(timeout=10)
    server.server_close()
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _fresh_limits(live_server):
    """Overrides tests/conftest.py's fixture: e2e never builds the unit tests' app."""
    limiter.reset()
    yield


@pytest.fixture(scope="session")
def browser() -> Browser:
    executable = chromium_path()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, timeout=30_000)
        yield browser
        browser.close()


class ConsoleLog:
    """Console errors and uncaught exceptions of every page in a browser context."""

    def __init__(self):
        self.errors: list[str] = []

    def attach(self, page: Page) -> None:
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.errors.append(f"uncaught: {error}"))

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.errors.append(f"{message.text} ({message.location.get('url', '')})")

    def csp_violations(self) -> list[str]:
        return [e for e in self.errors if any(marker in e for marker in CSP_MARKERS)]

    def uncaught(self) -> list[str]:
        return [e for e in self.errors if e.startswith("uncaught:")]


@pytest.fixture
def new_context(browser, live_server):
    """``new_context(js=True, viewport=DESKTOP, locale="pl-PL")`` → (context, page, console log); closed
    after the test."""
    contexts: list[BrowserContext] = []

    def make(js: bool = True, viewport: dict | None = None, **kwargs):
        options = {"is_mobile": True, "has_touch": True} if viewport == PHONE else {}
        options.update(kwargs)
        options.setdefault("locale", "pl-PL")  # the browser's language (its Accept-Language)
        context = browser.new_context(
            base_url=live_server.url,
            java_script_enabled=js,
            viewport=viewport or DESKTOP,
            **options,
        )
        # Generous: a step waits only as long as it must, and a loaded 2-core CI machine (two test workers,
        # two browsers) once took over 10 s to show a page after a vote.
        context.set_default_timeout(30_000)
        contexts.append(context)
        log = ConsoleLog()
        context.on("page", log.attach)
        page = context.new_page()
        return context, page, log

    yield make
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def signed_in(browser, live_server):
    """``signed_in("admin", "en")`` → (user, storage state): log in once per kind of user and language;
    a test opens ``new_context(storage_state=state)`` to start out signed in."""
    cache: dict = {}

    def get(kind: str, locale: str = "pl", **kw):
        key = (kind, locale, tuple(sorted(kw.items())))
        if key not in cache:
            user = live_server.make_user(kind, locale=locale, **kw)
            context = browser.new_context(base_url=live_server.url)
            context.add_cookies([{"name": "lang", "value": locale, "url": live_server.url}])
            login(context.new_page(), live_server, user, locale)
            cache[key] = (user, context.storage_state())
            context.close()
        return cache[key]

    return get


@pytest.fixture(params=[True, False], ids=["js", "nojs"])
def js(request) -> bool:
    return request.param


def login(page: Page, live: LiveServer, user: SimpleUser, locale: str = "pl") -> None:
    """Sign in through the login form, as a person would."""
    page.goto("/login")
    page.fill("#email", user.email)
    page.fill("#password", user.password)
    page.locator("main form").get_by_role("button", name=live.t(locale, "Sign in"), exact=True).click()
    expect(page.locator("#flash-messages")).to_contain_text(live.t(locale, "You are signed in."))


def press_and_confirm(page: Page, live: LiveServer, js: bool, button: Locator, yes: str) -> None:
    """Press a button that asks before a final action, and answer yes (``yes`` is the English msgid of
    the server's "Tak, …" button).

    With JavaScript, mam.js asks in a dialog, which the test's dialog handler accepts. mam.js is a
    deferred script: a click before the document has finished parsing would take the path without
    JavaScript, so the press waits for DOMContentLoaded first. Without JavaScript the server shows its
    own confirmation page."""
    if js:
        page.wait_for_load_state("domcontentloaded")
        button.click()
        return
    button.click()
    expect(page.locator("h1")).to_have_text(live.t("pl", "Are you sure?"))
    page.get_by_role("button", name=live.t("pl", yes), exact=True).click()
