# ruff: noqa: E402
"""Benchmark the streamed ballot exports (run: ``python bench/exports.py [BALLOTS]``).

Builds a closed approval round with 100 000 ballots (or BALLOTS) in a temporary SQLite database, then
streams the anonymous ballots as CSV and as a Pabulib .pb file, and the results as XLSX, printing for
each: the size of the output, the time taken and the peak of Python memory (tracemalloc) while it ran.
Memory stays flat: the rows are read in batches of 1 000 and written out as they come.
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("MAM_ENV", "testing")
os.environ.setdefault("SECRET_KEY", "bench-only")

import sqlalchemy as sa

from app import create_app
from app.db import db, utcnow
from app.exports import ballots, results
from app.exports.writers import Sheet, stream_csv, stream_xlsx
from app.phases.models import Round
from app.proposals.models import Proposal
from app.rounds.services import _count
from app.votes import counting
from app.votes.models import Ballot


def build(n: int) -> int:
    rng = random.Random(7)
    round_ = Round(
        title="Benchmark",
        phase="voting",
        ballot_kind="approval",
        rule="greedy",
        budget_grosze=100_000_000,
        tie_break=["lower_cost", "more_voters", "lot"],
    )
    db.session.add(round_)
    db.session.flush()
    ids = []
    for i in range(20):
        p = Proposal(
            round_id=round_.id,
            title=f"Propozycja {i}",
            body="",
            body_html="",
            status="accepted",
            cost_grosze=rng.randrange(1_000_000, 20_000_000),
        )
        db.session.add(p)
        db.session.flush()
        ids.append(str(p.id))
    for start in range(0, n, 10_000):
        db.session.execute(
            sa.insert(Ballot),
            [
                {
                    "round_id": round_.id,
                    "choices": rng.sample(ids, rng.randint(1, 5)),
                    "id": f"{rng.getrandbits(128):032x}",
                }
                for _ in range(start, min(n, start + 10_000))
            ],
        )
    count = _count(round_, "bench-seed", eligible=n * 2)
    round_.phase, round_.closed_at, round_.lot_seed = "closed", utcnow(), "bench-seed"
    round_.result, round_.ballots_sha256 = count.result, count.ballots_sha256
    round_.result_sha256 = counting.canonical_sha256(count.result)
    db.session.commit()
    return round_.id


def measure(label: str, make_stream) -> None:
    """Time without tracing (tracemalloc slows Python several times), then the memory peak with it."""
    started = time.perf_counter()
    size = sum(len(chunk) for chunk in make_stream())
    elapsed = time.perf_counter() - started
    tracemalloc.start()
    for _chunk in make_stream():
        pass
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"{label:<14} {size / 1e6:6.1f} MB out  {elapsed:6.2f} s  peak Python memory {peak / 1e6:6.2f} MB")


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.db"})
        with app.test_request_context("/"):
            from flask_migrate import upgrade

            upgrade()
            started = time.perf_counter()
            round_id = build(n)
            print(f"{n} ballots written and counted in {time.perf_counter() - started:.1f} s")
            round_ = db.session.get(Round, round_id)
            measure("ballots.csv", lambda: stream_csv([Sheet("ballots", ballots.csv_rows(round_))]))
            measure("ballots.pb", lambda: ballots.stream_pabulib(round_))
            measure("results.xlsx", lambda: stream_xlsx(results.sheets(round_)))


if __name__ == "__main__":
    main()
