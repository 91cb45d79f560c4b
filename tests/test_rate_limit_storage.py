"""Rate limits when their shared storage (Redis) goes away: sign-in, registration, password reset and comments
keep answering, each process counts on its own meanwhile, and the shared counts come back with Redis.

A real redis-server of the test's own is stopped and started mid-run; a "black hole" (a socket that accepts
and never answers) stands for a Redis that hangs.
"""

from __future__ import annotations

import logging
import shutil
import socket
import subprocess
import threading
import time

import pytest
import redis
import sqlalchemy as sa

from app import create_app
from app.auth.models import User
from app.db import db
from app.discussion.models import Comment
from app.extensions import limiter
from tests.conftest import Client, require_system
from tests.discussion.factories import make_proposal
from tests.factories import PASSWORD

WRONG = "zle-haslo-zle-haslo"
TOO_MANY = "Zbyt wiele prób"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RedisServer:
    """A redis-server of this test's own, on a free port, without persistence."""

    def __init__(self, directory):
        require_system(bool(shutil.which("redis-server")), "redis-server",
                       "`apt-get install -y redis-server`")
        self.port = free_port()
        self.directory = directory
        self.process: subprocess.Popen | None = None
        self.client = redis.Redis(port=self.port, socket_timeout=1)

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.directory)],
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while True:
            try:
                if self.client.ping():
                    return
            except redis.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def stop(self) -> None:
        self.process.kill()
        self.process.wait()
        self.client.connection_pool.disconnect()

    def hits(self, address: str) -> int:
        """How many hits Redis holds for a client address (the moving window keeps one entry per hit)."""
        return sum(self.client.llen(key) for key in self.client.keys(f"*{address}*"))


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(tmp_path)
    server.start()
    yield server
    if server.process.poll() is None:
        server.stop()


@pytest.fixture
def app_on(app, database_url, monkeypatch):
    """An app configured from the environment with the given rate-limit storage, as in production. The
    limiter is one object per process: the test app's own storage is put back afterwards."""
    made = []

    def make(storage_uri: str):
        monkeypatch.setenv("RATELIMIT_STORAGE_URI", storage_uri)
        other = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "RATELIMIT_AUTH": "5 per minute"})
        made.append(other)
        return other

    yield make
    limiter.init_app(app)
    limiter._storage_dead = False  # noqa: SLF001  (no public way to say the memory storage is healthy)
    for other in made:
        with other.app_context():
            db.engine.dispose()


def wrong_sign_in(client, user, address: str):
    return client.post("/login", {"email": user.email, "password": WRONG},
                       environ_base={"REMOTE_ADDR": address})


def test_redis_stopped_mid_run_then_back(app_on, redis_server, session, users, caplog, monkeypatch):
    # Running the migrations (the session's fixture) set up logging with fileConfig, which disables the
    # loggers that existed before; an app server never runs them.
    monkeypatch.setattr(logging.getLogger("flask-limiter"), "disabled", False)
    site = app_on(redis_server.url)
    user = users.resident()
    proposal = make_proposal(session, users.resident())
    visitor, resident = Client(site), Client(site)

    # Redis answers: every hit is counted there, where all workers see it.
    assert wrong_sign_in(visitor, user, "10.9.0.1").status_code == 422
    assert redis_server.hits("10.9.0.1") == 1

    redis_server.stop()
    with caplog.at_level(logging.WARNING, logger="flask-limiter"):
        signed_in = resident.login(user)
    assert signed_in.status_code == 303
    assert "Rate limit storage unreachable" in caplog.text

    new_password = "dlugie-haslo-sasiadki"
    registered = visitor.post("/register", {"email": "nowa.sasiadka@example.org", "display_name": "Ala Nowak",
                                            "password": new_password, "confirm": new_password})
    assert registered.status_code == 303
    assert session.scalar(sa.select(User).where(User.email == "nowa.sasiadka@example.org")) is not None
    assert visitor.post("/reset-password", {"email": user.email}).status_code == 303
    commented = resident.post(f"/proposals/{proposal.id}/comments", {"body": "Działa bez Redisa"})
    assert commented.status_code == 303
    comment = session.scalar(sa.select(Comment.body).where(Comment.proposal_id == proposal.id))
    assert comment == "Działa bez Redisa"

    ready = visitor.get("/readyz")
    assert ready.status_code == 200
    assert ready.get_json() == {"status": "degraded", "database": "ok", "rate_limits": "degraded"}

    # The limits still hold, counted in this process: 5 per minute, then 429 even with the right password.
    visitor = Client(site)  # the registration signed the last one in
    assert [wrong_sign_in(visitor, user, "10.9.0.2").status_code for _ in range(5)] == [422] * 5
    blocked = visitor.post("/login", {"email": user.email, "password": PASSWORD},
                           environ_base={"REMOTE_ADDR": "10.9.0.2"})
    assert blocked.status_code == 429
    assert TOO_MANY in blocked.get_data(as_text=True)

    # Redis comes back: the app uses it again by itself, without a restart.
    redis_server.start()
    deadline = time.monotonic() + 70
    attempt = 0
    while redis_server.hits("10.9.1.") == 0:
        assert time.monotonic() < deadline, "the app never went back to Redis"
        attempt += 1
        wrong_sign_in(visitor, user, f"10.9.1.{attempt}")
        time.sleep(0.25)
    assert [wrong_sign_in(visitor, user, "10.9.2.1").status_code for _ in range(5)] == [422] * 5
    assert wrong_sign_in(visitor, user, "10.9.2.1").status_code == 429
    assert redis_server.hits("10.9.2.1") == 5
    assert visitor.get("/readyz").get_json() == {"status": "ok", "database": "ok", "rate_limits": "ok"}


@pytest.fixture
def black_hole():
    """A socket that accepts connections and never answers (a Redis that hangs)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    held = []

    def accept():
        while True:
            try:
                held.append(listener.accept()[0])
            except OSError:
                return

    threading.Thread(target=accept, daemon=True).start()
    yield f"redis://127.0.0.1:{listener.getsockname()[1]}/0"
    listener.close()
    for connection in held:
        connection.close()


def timed(call):
    start = time.monotonic()
    response = call()
    return response, time.monotonic() - start


def test_a_redis_that_never_answers_holds_a_request_well_under_a_second(app_on, black_hole, session):
    visitor = Client(app_on(black_hole))
    visitor.csrf_token()
    empty_sign_in = lambda: visitor.post("/login", {"email": "", "password": ""})  # noqa: E731  (no hashing)

    first, first_took = timed(empty_sign_in)
    later, later_took = timed(empty_sign_in)
    ready, ready_took = timed(lambda: visitor.get("/readyz"))

    assert first.status_code == later.status_code == 422
    assert "To pole jest wymagane." in first.get_data(as_text=True)
    assert first_took < 1.0 and later_took < 0.5
    assert ready.status_code == 200 and ready.get_json()["rate_limits"] == "degraded"
    assert ready_took < 1.0
