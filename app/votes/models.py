"""Who voted (participation) and what was voted (ballots), kept apart.

In a secret round a ballot has no user column and no timestamp, and its key is random, so nobody —
administrators included — can link it to a participation row. The voter keeps a receipt code; only
its SHA-256 is stored with the ballot. In a public round the ballot names its voter and can be changed
until voting closes.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.db import Model, UTCDateTime, utcnow

#: A ballot as stored: a list of proposal ids, or an object {proposal id: points | "yes" | "no" | "abstain"}.
StoredChoices = list[str] | dict[str, Any]


class Channel(StrEnum):
    ONLINE = "online"
    PAPER = "paper"


class Participation(Model):
    __tablename__ = "participations"
    __table_args__ = (
        sa.UniqueConstraint("round_id", "user_id"),
        # One ballot per person, not only per account: see ``app.auth.identity``.
        sa.UniqueConstraint("round_id", "identity_hash"),
        sa.CheckConstraint("channel IN ('online', 'paper')", name="channel_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(sa.ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    channel: Mapped[str] = mapped_column(sa.String(8), default=Channel.ONLINE)
    voted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    entered_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    # A keyed hash of the voter's identity in this round, kept after the account is deleted so the same
    # person cannot vote again with a new account; cleared when the round closes, never exported.
    identity_hash: Mapped[str | None] = mapped_column(sa.String(64))

    user: Mapped[User | None] = relationship(foreign_keys=[user_id])
    entered_by: Mapped[User | None] = relationship(foreign_keys=[entered_by_id])


def new_ballot_key() -> str:
    return uuid.uuid4().hex


class Ballot(Model):
    __tablename__ = "ballots"
    # On SQLite the table has no hidden rowid (which would grow with each insert): rows are kept in
    # the order of their random keys.
    __table_args__ = (sa.UniqueConstraint("round_id", "user_id"), {"sqlite_with_rowid": False})

    # A random key, so the order of ballots says nothing about the order of voters.
    id: Mapped[str] = mapped_column(sa.String(32), primary_key=True, default=new_ballot_key)
    round_id: Mapped[int] = mapped_column(sa.ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    # Only in public rounds; NULL in secret ones.
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    # The chosen proposals: a list of ids (approval, choose-1, ordinal: best first) or an object
    # {proposal id: points | "yes" | "no" | "abstain"} (cumulative, yes/no).
    choices: Mapped[StoredChoices] = mapped_column(sa.JSON)
    receipt_hash: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
