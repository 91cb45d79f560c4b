"""The shipped gunicorn.conf.py: loopback only, and clients that send their request slowly do not make the
site unavailable to everybody else."""

from __future__ import annotations

import http.client
import os
import runpy
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "gunicorn.conf.py"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(port: int, path: str, timeout: float = 10) -> tuple[int, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read().decode()
    finally:
        conn.close()


def test_the_config_binds_to_loopback_with_threads_and_timeouts():
    settings = runpy.run_path(str(CONFIG))

    assert settings["bind"].startswith(("127.0.0.1:", "unix:"))
    assert settings["worker_class"] == "gthread" and settings["threads"] >= 4
    assert 0 < settings["timeout"] <= 60 and 0 < settings["keepalive"] <= 10
    assert settings["forwarded_allow_ips"] == "127.0.0.1,::1"
    for doc in ("README.md", "docs/deployment.md"):
        text = (ROOT / doc).read_text()
        assert "0.0.0.0" not in text  # noqa: S104  (what must not be there)
        assert "gunicorn -c gunicorn.conf.py" in text


@pytest.fixture
def gunicorn(tmp_path):
    """gunicorn with the shipped config, two workers (as in the report of the problem), on a free port."""
    port = free_port()
    env = {**os.environ, "MAM_ENV": "testing", "SECRET_KEY": "gunicorn-test-key",
           "DATABASE_URL": f"sqlite:///{tmp_path / 'gunicorn.db'}", "MAM_INSTANCE_PATH": str(tmp_path)}
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", str(CONFIG), "--no-control-socket",
         "--bind", f"127.0.0.1:{port}", "--workers", "2", "wsgi:app"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while True:
        assert server.poll() is None, "gunicorn did not start"
        try:
            if get(port, "/healthz", timeout=2)[0] == 200:
                break
        except OSError:
            pass
        assert time.monotonic() < deadline, "gunicorn did not answer within 60 s"
        time.sleep(0.2)
    yield port
    server.terminate()
    server.wait(timeout=30)


def trickle(port: int, stop: threading.Event) -> None:
    """A client that sends its request headers one byte at a time and never finishes them."""
    request = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: " + b"s" * 10_000
    with socket.create_connection(("127.0.0.1", port)) as slow:
        for byte in request:
            if stop.is_set():
                return
            slow.send(bytes([byte]))
            time.sleep(0.1)


def test_two_slow_clients_do_not_block_a_normal_request(gunicorn):
    stop = threading.Event()
    slow_clients = [threading.Thread(target=trickle, args=(gunicorn, stop)) for _ in range(2)]
    for client in slow_clients:
        client.start()
    try:
        time.sleep(1.5)  # both are connected and trickling
        timings = []
        for path in ("/healthz", "/login", "/healthz", "/login"):
            start = time.monotonic()
            status, body = get(gunicorn, path)
            timings.append(time.monotonic() - start)
            assert status == 200
        assert "Zaloguj się" in body
        assert max(timings) < 2, timings
        assert all(client.is_alive() for client in slow_clients)  # still holding their connections
    finally:
        stop.set()
        for client in slow_clients:
            client.join()
