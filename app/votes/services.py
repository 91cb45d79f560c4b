"""Casting ballots online and on paper, and checking receipts.

Casting is one transaction: the round's lock plus UNIQUE (round, voter) on participation make
double clicks, parallel requests and several app servers unable to create two ballots.
"""

from __future__ import annotations

import hashlib
import secrets
import sqlite3
import typing
from dataclasses import dataclass
from functools import cache

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.dialects import postgresql, sqlite

from app.audit.services import record
from app.auth.identity import voter_hash
from app.auth.models import User
from app.db import commit_keeping_loaded, db, rowcount, utcnow
from app.errors import Conflict, InvalidInput
from app.permissions import require
from app.phases import permissions
from app.phases.locking import lock_round_phase
from app.phases.models import Round, Secrecy
from app.votes import counting
from app.votes import tally as engine
from app.votes.messages import ballot_problem_message
from app.votes.models import Ballot, Channel, Participation, StoredChoices, new_ballot_key

RECEIPT_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
ALREADY_VOTED = _l("You have already voted in this round.")


@dataclass(frozen=True)
class Cast:
    receipt: str | None  # shown once, for secret rounds
    changed: bool  # a public ballot that replaced the voter's earlier one


def receipt_hash(code: str) -> str:
    normalised = "".join(ch for ch in code.upper() if ch.isalnum())
    return hashlib.sha256(normalised.encode()).hexdigest()


def _new_receipt() -> str:
    code = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(16))
    return "-".join(code[i:i + 4] for i in range(0, 16, 4))


def validate(round_: Round, ballot: engine.Ballot,
             projects: tuple[engine.Project, ...] | None = None) -> None:
    """``projects``: the round's ballot (``counting.ballot_catalogue``) when the caller has it already, or
    at least the part of it that the ballot names (``ballot_catalogue(round_, named=…)``)."""
    projects = counting.ballot_catalogue(round_) if projects is None else projects
    problem = engine.validate_ballot(ballot, round_.ballot_kind, counting.limits(round_), projects)
    if problem is not None:
        raise InvalidInput(ballot_problem_message(problem, {p.id: p.name for p in projects}),
                           field="ballot")


@cache  # one statement per set of columns, built once: building it costs as much as running it
def _insert_both(participation_columns: tuple[str, ...], ballot_columns: tuple[str, ...]) -> sa.Insert:
    """PostgreSQL: the participation row, and the ballot inserted from what the participation's ``INSERT …
    ON CONFLICT DO NOTHING RETURNING`` returns (no row, no ballot). Parameters: the columns' names prefixed
    with ``participation_`` and ``ballot_``."""
    participations = typing.cast(sa.Table, Participation.__table__)
    ballots = typing.cast(sa.Table, Ballot.__table__)
    added = (postgresql.insert(participations)
             .values({name: sa.bindparam(f"participation_{name}", type_=participations.c[name].type)
                      for name in participation_columns})
             .on_conflict_do_nothing().returning(participations.c.id).cte("added"))
    row = sa.select(*(sa.bindparam(f"ballot_{name}", type_=ballots.c[name].type) for name in ballot_columns))
    return (sa.insert(ballots).from_select(list(ballot_columns), row.select_from(added))
            .returning(ballots.c.id))


def _add(participation: dict[str, object], ballot: dict[str, object]) -> bool:
    """Add the voter's participation row and the ballot, or nothing when the participation would break a
    UNIQUE constraint (the voter has voted): then False. PostgreSQL: one statement (``_insert_both``);
    SQLite has no INSERT in a WITH clause: two."""
    if db.session.get_bind().dialect.name == "postgresql":
        params = {**{f"participation_{k}": v for k, v in participation.items()},
                  **{f"ballot_{k}": v for k, v in ballot.items()}}
        return db.session.scalar(_insert_both(tuple(participation), tuple(ballot)), params) is not None
    if db.session.scalar(sqlite.insert(Participation).values(participation).on_conflict_do_nothing()
                         .returning(Participation.id)) is None:
        return False
    db.session.execute(sa.insert(Ballot).values(ballot))
    return True


def _store(round_: Round, voter: User, ballot: engine.Ballot, channel: str,
           entered_by: User | None) -> Cast:
    """Write participation and ballot. The caller commits.

    Ballots of a round are cast side by side: each holds the round's lock shared (``lock_round_phase``), so
    none is written after the round leaves voting, and the participation's UNIQUE constraints — one per
    account, one per person (the identity hash) — let exactly one of two parallel casts of the same voter
    add its row; the other finds it and is refused (or, in a public round, changes the ballot)."""
    round_ = lock_round_phase(round_, shared=True)
    if round_.phase != "voting":
        raise Conflict(_l("Voting in this round is not open."))
    choices = counting.to_stored_choices(ballot)
    identity = voter_hash(voter, round_.id)
    secret = round_.secrecy == Secrecy.SECRET
    receipt = _new_receipt() if secret else None
    if _add(
        {"round_id": round_.id, "user_id": voter.id, "channel": channel, "voted_at": utcnow(),
         "entered_by_id": getattr(entered_by, "id", None), "identity_hash": identity},
        {"id": new_ballot_key(), "round_id": round_.id, "user_id": None if secret else voter.id,
         "choices": choices, "receipt_hash": receipt_hash(receipt) if receipt else None},
    ):
        return Cast(receipt=receipt, changed=False)

    # This account has voted, or the same person under another account (deleted and registered again).
    already = Conflict(ALREADY_VOTED if entered_by is None
                       else _l("This resident has already voted in this round."))
    existing = db.session.execute(
        sa.select(Participation.id, Participation.channel)
        .where(Participation.round_id == round_.id, Participation.user_id == voter.id)
    ).one_or_none()
    if existing is None or secret or channel == Channel.PAPER or existing.channel == Channel.PAPER:
        raise already
    changed = rowcount(db.session.execute(
        sa.update(Ballot).where(Ballot.round_id == round_.id, Ballot.user_id == voter.id)
        .values(choices=choices)
    ))
    if not changed:
        raise already
    db.session.execute(
        sa.update(Participation).where(Participation.id == existing.id).values(voted_at=utcnow()))
    return Cast(receipt=None, changed=True)


def cast_ballot(actor: User, round_: Round, ballot: engine.Ballot,
                projects: tuple[engine.Project, ...] | None = None) -> Cast:
    """``projects``: the round's ballot, or the part of it that the ballot names, when the caller has read
    it (it cannot change while voting runs)."""
    require(permissions.can_vote(actor, round_))
    validate(round_, ballot, projects)
    cast = _store(round_, actor, ballot, Channel.ONLINE, None)
    commit_keeping_loaded()
    return cast


def enter_paper_ballot(actor: User, round_: Round, voter: User | None, ballot: engine.Ballot) -> Cast:
    """A moderator types in the paper ballot of a verified resident who voted in person."""
    require(permissions.can_enter_paper_ballot(actor, round_, voter))
    assert voter is not None  # refused above
    validate(round_, ballot)
    cast = _store(round_, voter, ballot, Channel.PAPER, actor)
    # The audit log names the moderator and the voter, never the choices of a secret ballot.
    record(actor, "ballot.paper_entered", round_, voter_id=voter.id,
           **({} if round_.secrecy == Secrecy.SECRET else {"choices": counting.to_stored_choices(ballot)}))
    db.session.commit()
    return cast


def has_voted(user: User | None, round_: Round) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return bool(db.session.scalar(
        sa.select(sa.exists().where(Participation.round_id == round_.id, Participation.user_id == user.id))
    ))


def who_voted(round_: Round, user_ids: list[int]) -> set[int]:
    """Which of these people have already voted in the round (online or on paper)."""
    if not user_ids:
        return set()
    return set(db.session.scalars(
        sa.select(Participation.user_id).where(Participation.round_id == round_.id,
                                               Participation.user_id.in_(user_ids))
    ))


def ballots_by_channel(round_: Round) -> dict[str, int]:
    """How many ballots came online and how many on paper, so far."""
    counts = dict(db.session.execute(
        sa.select(Participation.channel, sa.func.count())
        .where(Participation.round_id == round_.id)
        .group_by(Participation.channel)
    ).all())
    return {channel.value: counts.get(channel.value, 0) for channel in Channel}


def own_public_ballot(user: User, round_: Round) -> StoredChoices | None:
    """The voter's stored choices in a public round (to show and change), or None."""
    if round_.secrecy != Secrecy.PUBLIC:
        return None
    return db.session.scalar(
        sa.select(Ballot.choices).where(Ballot.round_id == round_.id, Ballot.user_id == user.id)
    )


def check_receipt(round_: Round, code: str) -> bool:
    """Is a ballot with this receipt stored in the round (and so in its count once closed)?"""
    if not code.strip():
        raise InvalidInput(_("Enter the receipt code."), field="code")
    return bool(db.session.scalar(
        sa.select(sa.exists().where(Ballot.round_id == round_.id,
                                    Ballot.receipt_hash == receipt_hash(code)))
    ))


# What the database keeps about how a row was written can pair a secret ballot with its
# participation row:
# - PostgreSQL's heap keeps rows in the order they came (``ctid``), and rows written by one
#   transaction share its ``xmin``. When voting closes, the closing transaction deletes the round's
#   ballots and inserts them again in the order of their random keys: the live rows then share one
#   ``xmin`` and lie in key order whatever else is running. After the commit, ``CLUSTER`` also drops
#   the old row versions from the table file when it can take the table within two seconds.
# - SQLite stores the ballots table by key (WITHOUT ROWID), but its write-ahead log keeps every page
#   as it was written during voting, and freed pages keep old copies. After the commit, the log is
#   checkpointed and truncated, the file is rebuilt (VACUUM), and the log truncated again.
# What stays (PostgreSQL's WAL segments written during voting, backups taken then) is described
# in docs/deployment.md.


def forget_voter_identities(round_id: int) -> None:
    """In the closing transaction: nobody can vote any more, so the identity hashes go."""
    db.session.execute(
        sa.update(Participation).where(Participation.round_id == round_id).values(identity_hash=None)
    )


def detach_ballots_from_casting(round_id: int) -> None:
    """In the closing transaction: write the round's ballots again in key order (PostgreSQL)."""
    if db.session.get_bind().dialect.name != "postgresql":
        return
    params = {"round_id": round_id}
    db.session.execute(sa.text(
        "CREATE TEMPORARY TABLE closing_ballots ON COMMIT DROP AS "
        "SELECT * FROM ballots WHERE round_id = :round_id"), params)
    db.session.execute(sa.text("DELETE FROM ballots WHERE round_id = :round_id"), params)
    db.session.execute(sa.text("INSERT INTO ballots SELECT * FROM closing_ballots ORDER BY id"))
    # Dropped at once, not only at commit: one transaction may close several rounds (an import).
    db.session.execute(sa.text("DROP TABLE closing_ballots"))


def forget_casting_order() -> None:
    """After the closing commit: remove the old copies of the ballots from the database files."""
    bind = db.session.get_bind()
    if isinstance(bind, sa.engine.Connection):
        # The session works inside a transaction it does not own (a caller's): nothing can be
        # rewritten outside it. The live rows are already in key order (detach_ballots_from_casting).
        return
    if bind.dialect.name == "postgresql":
        try:
            _cluster_ballots()
            db.session.commit()
        except sa.exc.DBAPIError as error:
            db.session.rollback()
            current_app.logger.warning(
                "Old row versions of the ballots stay in the table file until the next closing: %s",
                error.orig)
    elif bind.dialect.name == "sqlite":
        _compact_sqlite(bind)


def _cluster_ballots() -> None:
    # CLUSTER needs the whole table to itself: rather than queue every vote of other rounds
    # behind a long export holding a read lock, give up after a moment (logged, done next time).
    db.session.execute(sa.text("SET LOCAL lock_timeout = '2s'"))
    db.session.execute(sa.text("CLUSTER ballots USING pk_ballots"))


def _compact_sqlite(engine: sa.Engine) -> None:
    """Checkpoint and truncate the write-ahead log, rebuild the file, truncate the log again."""
    raw = engine.raw_connection()  # outside SQLAlchemy's BEGIN: VACUUM cannot run in a transaction
    try:
        cursor = raw.cursor()
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        cursor.execute("VACUUM")
        busy, _log, _moved = cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        if busy:
            current_app.logger.warning("The write-ahead log could not be truncated: a reader held it")
    except sqlite3.Error as error:
        current_app.logger.warning("Could not compact the database after closing: %s", error)
    finally:
        raw.close()
