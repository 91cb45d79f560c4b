"""What waits on the moderator's desk: for each kind, one count and the first few items with what
their rows show loaded eagerly, so the desk runs the same number of queries however much waits."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import InstrumentedAttribute, joinedload

from app.activities.models import Activity, ActivityStatus, RoomRequest
from app.activities.queries import requests as room_requests
from app.auth.models import Role, User
from app.db import db, utcnow
from app.discussion.queries import moderation_queue
from app.phases.models import Phase, Round
from app.proposals.models import Proposal, Status
from app.residents.queries import active_accounts

SHOWN = 5  # items of each kind on the desk; "see all" leads to the full list

# The date that ends each phase (the one `flask rounds advance` applies).
PHASE_ENDS: dict[str, InstrumentedAttribute[datetime | None]] = {
    Phase.DRAFT: Round.submission_starts_at,
    Phase.SUBMISSION: Round.review_starts_at,
    Phase.REVIEW: Round.voting_starts_at,
    Phase.VOTING: Round.voting_ends_at,
}


@dataclass
class Pile:
    """One kind of work: how many wait, and the first ``SHOWN`` of them."""

    count: int
    items: list = field(default_factory=list)

    @property
    def more(self) -> int:
        return max(0, self.count - len(self.items))


def _pile(query: sa.Select, order, options=()) -> Pile:
    count = db.session.scalar(sa.select(sa.func.count()).select_from(query.order_by(None).subquery())) or 0
    items = db.session.scalars(
        query.options(*options).order_by(None).order_by(*order).limit(SHOWN)
    ).unique().all() if count else []
    return Pile(count, list(items))


def to_review() -> Pile:
    """Submitted proposals of rounds in review (the phase in which they can be decided), oldest first."""
    query = (
        sa.select(Proposal).join(Proposal.round)
        .where(Proposal.status == Status.SUBMITTED, Round.phase == Phase.REVIEW, Proposal.imported.is_(False))
    )
    return _pile(query, (Proposal.submitted_at, Proposal.id),
                 (joinedload(Proposal.author), joinedload(Proposal.round), joinedload(Proposal.category)))


def flags() -> Pile:
    page = moderation_queue(1, SHOWN)
    return Pile(page.total, page.items)


def unverified() -> Pile:
    """Resident accounts waiting for the in-person verification, newest first."""
    query = sa.select(User).where(active_accounts(), User.role == Role.RESIDENT,
                                  User.resident_verified_at.is_(None))
    return _pile(query, (User.created_at.desc(), User.id.desc()))


def room_requests_pending() -> Pile:
    return _pile(room_requests(), (RoomRequest.starts_at, RoomRequest.id))


def not_reported(now: datetime | None = None) -> Pile:
    """Activities that have ended and are still only planned: nobody has said they were held."""
    query = sa.select(Activity).where(Activity.status == ActivityStatus.PLANNED,
                                      Activity.ends_at < (now or utcnow()))
    return _pile(query, (Activity.ends_at, Activity.id), (joinedload(Activity.place),))


def past_deadline(now: datetime | None = None) -> Pile:
    """Rounds still in a phase whose end date has passed."""
    now = now or utcnow()
    ended = [sa.and_(Round.phase == phase, column.is_not(None), column <= now)
             for phase, column in PHASE_ENDS.items()]
    query = sa.select(Round).where(Round.imported_from.is_(None), sa.or_(*ended))
    return _pile(query, (Round.created_at, Round.id))


def not_scheduled() -> Pile:
    """Proposals selected in a vote that no activity has come from yet."""
    query = sa.select(Proposal).where(Proposal.status == Status.SELECTED, Proposal.imported.is_(False))
    return _pile(query, (Proposal.updated_at, Proposal.id), (joinedload(Proposal.round),))


@dataclass
class Desk:
    review: Pile
    flags: Pile
    unverified: Pile
    rooms: Pile
    not_reported: Pile
    past_deadline: Pile
    not_scheduled: Pile

    @property
    def total(self) -> int:
        return sum(pile.count for pile in (self.review, self.flags, self.unverified, self.rooms,
                                           self.not_reported, self.past_deadline, self.not_scheduled))


def desk(now: datetime | None = None) -> Desk:
    now = now or utcnow()
    return Desk(
        review=to_review(), flags=flags(), unverified=unverified(), rooms=room_requests_pending(),
        not_reported=not_reported(now), past_deadline=past_deadline(now), not_scheduled=not_scheduled(),
    )


def phase_end(round_: Round) -> datetime | None:
    column = PHASE_ENDS.get(round_.phase)
    return getattr(round_, column.key) if column is not None else None
