"""bench/http.py keeps working: its forged sessions are accepted by the app, its clients measure a
server, and its table prints (a smoke test at tiny sizes; the benchmark itself is not a test)."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import sqlalchemy as sa

from app.votes.models import Participation
from bench import http as bench
from bench import seed as seeding
from bench.statements import HEADER


def _post(app, path: str, form: dict, cookie: str):
    client = app.test_client()
    name, value = cookie.split("=", 1)
    client.set_cookie(name, value)
    return client.post(path, data=form, headers={"User-Agent": bench.USER_AGENT},
                       environ_base={"REMOTE_ADDR": "127.0.0.1"})


def test_forged_sessions_vote_and_sign_in(app, session):
    ids = seeding.seed(seeding.TINY)
    voter = ids.resident_ids[0]
    cookie, token = bench._forge(app, voter)
    client = app.test_client()
    client.set_cookie(*cookie.split("=", 1))
    ballot = client.get(f"/rounds/{ids.voting_round}/vote", headers={"User-Agent": bench.USER_AGENT})
    assert ballot.status_code == 200
    assert ballot.get_data(as_text=True).count('name="choice"') == seeding.TINY.voting_proposals
    voted = _post(app, f"/rounds/{ids.voting_round}/vote",
                  {"csrf_token": token, "confirm": "yes", "choice": ids.voting_choices[:1]}, cookie)
    assert voted.status_code == 200, voted.get_data(as_text=True)[:300]
    assert session.scalar(sa.select(sa.func.count()).select_from(Participation).where(
        Participation.round_id == ids.voting_round, Participation.user_id == voter)) == 1

    cookie, token = bench._forge(app, None)
    signed_in = _post(app, "/login", {"csrf_token": token, "email": ids.resident_email,
                                      "password": seeding.PASSWORD}, cookie)
    assert signed_in.status_code == 303


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):  # noqa: N802 (the standard library's name)
        body = b"ok"
        self.send_response(503 if self.path == "/broken" else 200)
        self.send_header("Content-Length", str(len(body)))
        self.send_header(HEADER, "3")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_the_clients_measure_and_the_table_prints(capsys):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        port = server.server_address[1]
        healthz, broken = bench.Row("/healthz", path="/healthz"), bench.Row("broken", path="/broken")
        results = {row.name: [bench.measure(port, row, 0.2, 2) for _ in range(3)]
                   for row in (healthz, broken)}
        for base, other in zip(results["/healthz"], results["broken"], strict=True):
            base.base_rate = other.base_rate = base.rate
    finally:
        server.shutdown()
    assert all(s.count > 0 and set(s.statements) == {3} for s in results["/healthz"])
    assert all(s.errors_5xx == s.count for s in results["broken"])

    class Args:
        small, workers, clients, seconds = True, 2, 2, 0.2

    bench.print_table(results, "/healthz", "SQLite", Args)
    table = capsys.readouterr().out
    assert "| /healthz | 1.0000 | 1.0000 |" in table
    assert "| broken |" in table and "responses were 5xx" in table


def test_only_picks_requests_by_part_of_their_name():
    rows = [bench.Row("home"), bench.Row("vote cast", method="POST"), bench.Row("ballot (signed in)")]
    assert bench.selected(rows, None) == rows
    assert [r.name for r in bench.selected(rows, ["VOTE", "home"])] == ["home", "vote cast"]
    with pytest.raises(SystemExit, match="home, vote cast, ballot"):
        bench.selected(rows, ["nothing"])
