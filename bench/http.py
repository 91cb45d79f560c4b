# ruff: noqa: E402, T201
"""HTTP benchmark on an estate-sized data set (run: ``.venv/bin/python bench/http.py [--small] [--sqlite]``;
``--only NAME`` measures only the requests whose name contains NAME).

Creates a database (PostgreSQL ``mam_perf_bench`` by default, a temporary SQLite file with ``--sqlite``),
builds the schema with the migrations, seeds it (bench/seed.py), starts gunicorn with the shipped
``gunicorn.conf.py`` on loopback, and drives it with keep-alive clients (threads + http.client). Prints
one table: each request's throughput as a ratio of ``/healthz`` in the same run, measured just before it
(min and median of 3 runs), its p50/p95 latency, its SQL statement count (the ``X-SQL-Statements`` header
that bench/wsgi.py adds; production never sends it), and its 5xx count, which must be 0.

A benchmark, not a test: the figures depend on the machine; ratios to /healthz make runs comparable.
"""

from __future__ import annotations

import os
import sys

# This file is named http.py: its directory must not shadow the standard library's http package.
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != os.path.dirname(os.path.abspath(__file__))]

import argparse
import http.client
import secrets
import shutil
import signal
import statistics
import subprocess
import tempfile
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import seed as seeding
from bench.statements import HEADER

USER_AGENT = "mam-bench"
PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/mam_perf_bench"


@dataclass
class Row:
    name: str
    method: str = "GET"
    path: str = "/"
    body: object = None  # None, or a callable returning (body, cookie) per request (None when exhausted)
    cookie: str = ""


@dataclass
class Sample:
    count: int = 0
    seconds: float = 0.0
    latencies: list = field(default_factory=list)
    statements: list = field(default_factory=list)
    errors_5xx: int = 0
    other: dict = field(default_factory=dict)
    base_rate: float = 0.0  # /healthz per second, measured just before (the ratio's denominator)

    @property
    def rate(self) -> float:
        return self.count / self.seconds


def _database(args) -> tuple[str, str | None]:
    """The database URL to seed, and a temporary directory to remove afterwards (SQLite)."""
    import sqlalchemy as sa

    if args.sqlite:
        tmp = tempfile.mkdtemp(prefix="mam-bench-")
        return f"sqlite:///{tmp}/bench.db", tmp
    url = sa.make_url(args.database_url)
    admin = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{url.database}"'))
    admin.dispose()
    return url.render_as_string(hide_password=False), None


def _environment(database_url: str, port: int, instance: str, page_cache: float | None = None) -> dict:
    return {
        # The anonymous page cache (app/page_cache.py) as in production unless --page-cache says otherwise;
        # --page-cache 0 measures what rendering each page costs.
        **({} if page_cache is None else {"PAGE_CACHE_SECONDS": str(page_cache)}),
        "MAM_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "BASE_URL": f"http://127.0.0.1:{port}",
        "DATABASE_URL": database_url,
        "MAM_INSTANCE_PATH": instance,
        "RATELIMIT_ENABLED": "0",  # one client address sends everything; limits would answer 429
    }


def _forge(app, user_id: int | None) -> tuple[str, str]:
    """A session cookie (signed in as ``user_id``, or anonymous) and its CSRF token, as the app would
    have issued them after a sign-in: no argon2 per voter."""
    from flask import session
    from flask_wtf.csrf import generate_csrf

    from app.extensions import login_manager

    # An app context of its own: a fresh ``g``, where Flask-WTF keeps the token it made.
    with app.app_context(), app.test_request_context(environ_base={"REMOTE_ADDR": "127.0.0.1"},
                                                     headers={"User-Agent": USER_AGENT}):
        token = generate_csrf()
        if user_id is not None:
            session["_user_id"] = f"{user_id}:1"
            session["_fresh"] = True
            session["_id"] = login_manager._session_identifier_generator()
        value = app.session_interface.get_signing_serializer(app).dumps(dict(session))
    return f"{app.config['SESSION_COOKIE_NAME']}={value}", token


def seed_database(args, env: dict) -> tuple[list[Row], float]:
    import sqlalchemy as sa
    from flask_migrate import upgrade

    os.environ.update(env)
    from app import create_app
    from app.db import db

    app = create_app()
    started = time.monotonic()
    with app.app_context():
        upgrade()
        ids = seeding.seed(seeding.SMALL if args.small else seeding.FULL)
        # A live site's tables have planner statistics (PostgreSQL's autovacuum gathers them; it may be off
        # on a test server): without them the planner guesses a handful of rows and scans instead.
        db.session.execute(sa.text("ANALYZE"))
        db.session.commit()
        db.engine.dispose()
    seconds = time.monotonic() - started

    voters = deque(_forge(app, uid) for uid in ids.resident_ids[:-1])
    ballot_cookie, _ = _forge(app, ids.resident_ids[-1])  # one who never votes: the ballot page stays a form
    anonymous_cookie, anonymous_token = _forge(app, None)
    choices = ids.voting_choices[:3]

    def vote_body():
        try:
            cookie, token = voters.popleft()
        except IndexError:
            return None
        form = [("csrf_token", token), ("confirm", "yes"), *(("choice", c) for c in choices)]
        return urlencode(form), cookie

    login_form = urlencode({"csrf_token": anonymous_token, "email": ids.resident_email,
                            "password": seeding.PASSWORD})
    hot = sorted(ids.hot.items())
    rows = [
        Row("home", path="/"),
        Row("/proposals", path="/proposals"),
        Row("/proposals?page=200", path="/proposals?page=200"),
        Row("/proposals?q=kino&page=2", path="/proposals?q=kino&page=2"),
        Row(f"proposal, {seeding.FULL.quiet if not args.small else seeding.SMALL.quiet} comments",
            path=f"/proposals/{ids.quiet}"),
        *(Row(f"proposal, {count:,} comments", path=f"/proposals/{pid}") for count, pid in hot),
        Row("/activities.ics", path="/activities.ics"),
        Row("/api/v1/proposals", path="/api/v1/proposals"),
        Row("round (voting)", path=f"/rounds/{ids.voting_round}"),
        Row("ballot (signed in)", path=f"/rounds/{ids.voting_round}/vote", cookie=ballot_cookie),
        Row("results (closed round)", path=f"/rounds/{ids.closed_round}/results"),
        Row("/activities", path="/activities"),
        Row("activity", path=f"/activities/{ids.activity}"),
        Row("/news", path="/news"),
        Row("news post", path=f"/news/{ids.news}"),
        Row("vote cast", method="POST", path=f"/rounds/{ids.voting_round}/vote", body=vote_body),
        Row("log-in", method="POST", path="/login", body=lambda: (login_form, anonymous_cookie)),
    ]
    return rows, seconds


def _client(port: int, row: Row, deadline: float, sample: Sample, lock: threading.Lock) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    latencies, statements, errors, other = [], [], 0, {}
    while time.monotonic() < deadline:
        headers = {"User-Agent": USER_AGENT, "Accept-Language": "pl"}
        body = None
        if row.cookie:
            headers["Cookie"] = row.cookie
        if callable(row.body):
            made = row.body()
            if made is None:
                break  # no voter left
            body, cookie = made
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Cookie"] = cookie
        started = time.monotonic()
        for attempt in (1, 2):
            try:
                conn.request(row.method, row.path, body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
                if attempt == 2:
                    raise
        latencies.append(time.monotonic() - started)
        if response.getheader(HEADER) is not None:
            statements.append(int(response.getheader(HEADER)))
        if response.status >= 500:
            errors += 1
        elif response.status >= 400:
            other[response.status] = other.get(response.status, 0) + 1
    conn.close()
    with lock:
        sample.count += len(latencies)
        sample.latencies += latencies
        sample.statements += statements
        sample.errors_5xx += errors
        for status, n in other.items():
            sample.other[status] = sample.other.get(status, 0) + n


def measure(port: int, row: Row, seconds: float, clients: int) -> Sample:
    sample, lock = Sample(), threading.Lock()
    started = time.monotonic()
    deadline = started + seconds
    threads = [threading.Thread(target=_client, args=(port, row, deadline, sample, lock))
               for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    sample.seconds = time.monotonic() - started
    return sample


def selected(rows: list[Row], only: list[str] | None) -> list[Row]:
    """The rows whose name contains one of ``only`` (case-insensitive), or all of them."""
    if not only:
        return rows
    wanted = [word.casefold() for word in only]
    chosen = [row for row in rows if any(word in row.name.casefold() for word in wanted)]
    if not chosen:
        raise SystemExit(f"no request matches {only}; the names are: {', '.join(r.name for r in rows)}")
    return chosen


def _start_gunicorn(env: dict, port: int, workers: int, log: Path) -> subprocess.Popen:
    command = [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "--bind", f"127.0.0.1:{port}",
               # No worker restarts in the middle of a measurement (production restarts every ~2,000).
               "--max-requests", "0", "bench.wsgi:app"]
    process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **env, "WEB_CONCURRENCY": str(workers)},
                               stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True)
    for _ in range(300):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return process
        except OSError:
            pass
        if process.poll() is not None:
            raise SystemExit(f"gunicorn stopped; see {log}")
        time.sleep(0.2)
    raise SystemExit(f"gunicorn did not answer; see {log}")


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else float("nan")


def run(args) -> None:
    port = args.port
    database_url, tmp = _database(args)
    instance = tempfile.mkdtemp(prefix="mam-bench-instance-")
    env = _environment(database_url, port, instance, args.page_cache)
    engine = "SQLite" if args.sqlite else "PostgreSQL"
    print(f"Seeding {'the small' if args.small else 'the full'} data set on {engine}…", flush=True)
    rows, seed_seconds = seed_database(args, env)
    rows = selected(rows, args.only)
    print(f"Seeded in {seed_seconds:.0f} s. Starting gunicorn ({args.workers} workers).", flush=True)
    log = Path(instance) / "gunicorn.log"
    process = _start_gunicorn(env, port, args.workers, log)
    healthz = Row("/healthz", path="/healthz")
    results: dict[str, list[Sample]] = {row.name: [] for row in [healthz, *rows]}
    try:
        for row in [healthz, *rows]:  # warm up: templates compiled, connections open
            measure(port, row, 0.01, 1)
        for repeat in range(3):
            print(f"Run {repeat + 1} of 3…", flush=True)
            for row in rows:
                # /healthz right before each request: on a shared machine the load drifts within a run.
                base = measure(port, healthz, args.seconds / 3, args.clients)
                base.base_rate = base.rate
                results[healthz.name].append(base)
                sample = measure(port, row, args.seconds, args.clients)
                sample.base_rate = base.rate
                results[row.name].append(sample)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=60)
    print_table(results, healthz.name, engine, args)
    if tmp:
        shutil.rmtree(tmp, ignore_errors=True)
    shutil.rmtree(instance, ignore_errors=True)


def _page_cache_text(seconds: float | None) -> str:
    return "as in production" if seconds is None else ("off" if not seconds else f"{seconds:g} s")


def print_table(results: dict[str, list[Sample]], base: str, engine: str, args) -> None:
    """``results``: each request's samples (one per run), each with the /healthz rate measured next to it."""
    print()
    print(f"{engine}, {'small' if args.small else 'full'} data set, {args.workers} gunicorn workers, "
          f"{args.clients} clients, {args.seconds:g} s per request and run, /healthz measured just before "
          f"each: {statistics.median(s.rate for s in results[base]):.0f} requests/s (median); "
          f"page cache: {_page_cache_text(getattr(args, 'page_cache', None))}")
    print()
    print("| request | ratio min | ratio median | req/s | p50 ms | p95 ms | SQL | 5xx | 4xx |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    total_5xx = 0
    for name, samples in results.items():
        ratios = sorted(s.rate / s.base_rate for s in samples)
        latencies = [x for s in samples for x in s.latencies]
        statements = sorted({n for s in samples for n in s.statements})
        sql = "–" if not statements else (str(statements[0]) if len(statements) == 1
                                          else f"{statements[0]}–{statements[-1]}")
        errors = sum(s.errors_5xx for s in samples)
        total_5xx += errors
        other = {}
        for s in samples:
            for status, n in s.other.items():
                other[status] = other.get(status, 0) + n
        other_text = ", ".join(f"{n}×{status}" for status, n in sorted(other.items())) or "0"
        rate = statistics.median(s.rate for s in samples)
        print(f"| {name} | {min(ratios):.4f} | {statistics.median(ratios):.4f} | {rate:.1f} | "
              f"{_percentile(latencies, 0.5) * 1000:.0f} | {_percentile(latencies, 0.95) * 1000:.0f} | "
              f"{sql} | {errors} | {other_text} |")
    if total_5xx:
        print(f"\n{total_5xx} responses were 5xx: see the gunicorn log.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sqlite", action="store_true", help="a temporary SQLite file instead of PostgreSQL")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", PG_DEFAULT),
                        help="PostgreSQL database to (re)create (default %(default)s)")
    parser.add_argument("--small", action="store_true", help="a smaller data set and shorter runs")
    parser.add_argument("--seconds", type=float, default=None,
                        help="per request and run (default 3, small 1)")
    parser.add_argument("--clients", type=int, default=4, help="concurrent keep-alive clients (default 4)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--port", type=int, default=8731)
    parser.add_argument("--page-cache", type=float, default=None, metavar="SECONDS",
                        help="PAGE_CACHE_SECONDS of the app (default: production's); 0 renders every page")
    parser.add_argument("--only", action="append", metavar="TEXT",
                        help="measure only the requests whose name contains TEXT (repeatable), "
                             "e.g. --only 'vote cast'")
    args = parser.parse_args()
    if args.seconds is None:
        args.seconds = 1.0 if args.small else 3.0
    run(args)


if __name__ == "__main__":
    main()
