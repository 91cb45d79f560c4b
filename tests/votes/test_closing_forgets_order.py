"""After a secret round closes, nothing in the database files follows the order in which ballots
were cast, even when another reader holds the ballots table during the close (a nightly dump).

Each test uses a database of its own, outside the rolled-back test transaction, so that closing
commits for real and the files on disk can be read afterwards.
"""

from __future__ import annotations

import random
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa

from app import create_app
from app.db import db
from app.rounds import services
from app.votes.models import Ballot, Participation
from tests.live_server import scratch_database
from tests.votes.helpers import make_proposal, make_round

BALLOTS = 200


@pytest.fixture
def scratch(tmp_path):
    with scratch_database(tmp_path) as url:
        app = create_app({"SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            from flask_migrate import upgrade

            upgrade()
            yield app, url
            db.session.remove()
            db.engine.dispose()


def cast_in_order(count: int) -> tuple[int, list[str]]:
    """A secret round with ``count`` ballots, each committed on its own as casting does."""
    round_ = make_round(db.session, secrecy="secret", ballot_kind="approval", max_choices=1)
    proposal = make_proposal(db.session, round_)
    keys = [f"{random.Random(n).getrandbits(128):032x}" for n in range(count)]  # fixed, random-looking
    for key in keys:
        db.session.add(Ballot(id=key, round_id=round_.id, choices=[str(proposal.id)]))
        db.session.add(Participation(round_id=round_.id, user_id=None))
        db.session.commit()
    return round_.id, keys


def rank_correlation(order: list[str], cast: list[str]) -> float:
    """Spearman's rho between the storage position and the casting position of each ballot."""
    position = {key: n for n, key in enumerate(cast)}
    n = len(order)
    d2 = sum((stored - position[key]) ** 2 for stored, key in enumerate(order))
    return 1 - 6 * d2 / (n * (n * n - 1))


def test_closing_leaves_no_copy_in_casting_order(scratch):
    _app, url = scratch
    if url.startswith("postgresql"):
        check_postgresql_heap_even_when_a_reader_blocks_cluster(url)
    else:
        check_sqlite_files(url)


def check_postgresql_heap_even_when_a_reader_blocks_cluster(url: str) -> None:
    round_id, keys = cast_in_order(BALLOTS)
    assert rank_correlation(db.session.scalars(sa.text("SELECT id FROM ballots ORDER BY ctid")).all(),
                            keys) > 0.99  # the heap follows casting before the close

    reader = sa.create_engine(url)
    holding, release = threading.Event(), threading.Event()

    def dump_like_reader():
        with reader.connect() as conn, conn.begin():
            conn.execute(sa.text("SELECT count(*) FROM ballots"))  # keeps ACCESS SHARE until the end
            holding.set()
            release.wait(30)

    thread = threading.Thread(target=dump_like_reader)
    thread.start()
    try:
        assert holding.wait(10)
        services.advance_phase(None, round_id, "voting")  # CLUSTER gives up after 2 s
    finally:
        release.set()
        thread.join()
        reader.dispose()

    order = db.session.scalars(
        sa.text("SELECT id FROM ballots WHERE round_id = :r ORDER BY ctid"), {"r": round_id}).all()
    assert sorted(order) == sorted(keys)
    assert abs(rank_correlation(order, keys)) < 0.3  # chance level: sd ≈ 0.07 for 200 ballots
    xmins = db.session.scalars(
        sa.text("SELECT DISTINCT xmin::text FROM ballots WHERE round_id = :r"), {"r": round_id}).all()
    assert len(xmins) == 1  # written by one transaction, not one per voter


def check_sqlite_files(url: str) -> None:
    round_id, keys = cast_in_order(40)
    database = Path(sa.make_url(url).database)
    wal = database.with_name(database.name + "-wal")
    assert wal.exists() and wal.stat().st_size > 0  # voting left pages in the log

    services.advance_phase(None, round_id, "voting")

    assert not wal.exists() or wal.stat().st_size == 0
    content = database.read_bytes()
    offsets = [content.find(key.encode()) for key in keys]
    assert all(offset >= 0 for offset in offsets)
    # Each ballot's key is left once in the table and once per index, with no older copies.
    assert len({content.count(key.encode()) for key in keys}) == 1
    stored = [key for _offset, key in sorted(zip(offsets, keys, strict=True))]
    assert abs(rank_correlation(stored, keys)) < 0.5
