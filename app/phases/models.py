"""Consultation rounds: phases, ballot settings, schedule and the frozen result."""

from __future__ import annotations

import hashlib
from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Model, UTCDateTime, one_of, utcnow


class Phase(StrEnum):
    DRAFT = "draft"
    SUBMISSION = "submission"
    REVIEW = "review"
    VOTING = "voting"
    CLOSED = "closed"
    ARCHIVED = "archived"


class BallotKind(StrEnum):
    APPROVAL = "approval"
    CHOOSE_ONE = "choose-1"
    ORDINAL = "ordinal"
    CUMULATIVE = "cumulative"
    YES_NO = "yes_no"


class Rule(StrEnum):
    RANKING = "ranking"
    GREEDY = "greedy"
    EQUAL_SHARES = "equal_shares"


class Secrecy(StrEnum):
    SECRET = "secret"  # noqa: S105 (secrecy of a ballot, not a password)
    PUBLIC = "public"


class Eligibility(StrEnum):
    VERIFIED_RESIDENTS = "verified_residents"
    REGISTERED = "registered"


class Round(Model):
    __tablename__ = "rounds"
    __table_args__ = (
        sa.CheckConstraint(one_of("phase", Phase), name="phase_known"),
        sa.CheckConstraint(one_of("ballot_kind", BallotKind), name="ballot_kind_known"),
        sa.CheckConstraint(one_of("rule", Rule), name="rule_known"),
        sa.CheckConstraint(one_of("secrecy", Secrecy), name="secrecy_known"),
        sa.CheckConstraint(one_of("eligibility", Eligibility), name="eligibility_known"),
        sa.CheckConstraint("budget_grosze IS NULL OR budget_grosze >= 0", name="budget_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    description_html: Mapped[str] = mapped_column(sa.Text, default="")
    phase: Mapped[str] = mapped_column(sa.String(16), default=Phase.DRAFT, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    # A round imported from a file (its name; "pabulib" for older imports) is a historical example: its
    # proposals stay out of the platform's own lists and queues, its ballots out of the monthly statistics.
    imported_from: Mapped[str | None] = mapped_column(sa.String(200))

    # Schedule shown to residents; `flask rounds advance` applies it.
    submission_starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    review_starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    voting_starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    voting_ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    # What a ballot looks like and how it is counted.
    ballot_kind: Mapped[str] = mapped_column(sa.String(16), default=BallotKind.APPROVAL)
    rule: Mapped[str] = mapped_column(sa.String(16), default=Rule.GREEDY)
    budget_grosze: Mapped[int | None] = mapped_column(sa.BigInteger)
    min_choices: Mapped[int | None] = mapped_column()
    max_choices: Mapped[int | None] = mapped_column()
    max_ballot_cost_grosze: Mapped[int | None] = mapped_column(sa.BigInteger)
    points_total: Mapped[int | None] = mapped_column()
    points_per_proposal: Mapped[int | None] = mapped_column()
    ranking_top_n: Mapped[int | None] = mapped_column()
    ranking_threshold: Mapped[int | None] = mapped_column()
    # yes/no rounds: minimum turnout in % of eligible voters, and the yes share (% of yes + no) needed
    # to pass; without it a proposal passes with more yes than no.
    yes_no_quorum: Mapped[int | None] = mapped_column()
    yes_no_majority_percent: Mapped[int | None] = mapped_column()
    equal_shares_completion: Mapped[str | None] = mapped_column(sa.String(32))
    # Greedy rounds imported from a Pabulib file keep the file's variant of the rule (the form offers
    # none of them): {"min_score": int, "no_skip": bool, "exclusive_groups": [[proposal id, …], …],
    # "withdrawn": [proposal id, …]}; None for plain greedy.
    greedy_options: Mapped[dict | None] = mapped_column(sa.JSON)
    tie_break: Mapped[list] = mapped_column(sa.JSON, default=lambda: ["lower_cost", "more_voters", "lot"])
    secrecy: Mapped[str] = mapped_column(sa.String(8), default=Secrecy.SECRET)
    eligibility: Mapped[str] = mapped_column(sa.String(24), default=Eligibility.VERIFIED_RESIDENTS)

    # Frozen at closing. The seed of the lot is drawn when voting opens; only its SHA-256
    # (seed_commitment) is shown until the result is published.
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    lot_seed: Mapped[str | None] = mapped_column(sa.String(64))
    result: Mapped[dict | None] = mapped_column(sa.JSON)
    ballots_sha256: Mapped[str | None] = mapped_column(sa.String(64))
    result_sha256: Mapped[str | None] = mapped_column(sa.String(64))

    @property
    def seed_commitment(self) -> str | None:
        """SHA-256 of the lot's seed: public while voting runs, so the draw cannot be redone later."""
        return hashlib.sha256(self.lot_seed.encode()).hexdigest() if self.lot_seed else None

    def __repr__(self) -> str:
        return f"<Round {self.id} {self.phase}>"
