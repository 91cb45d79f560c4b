"""What the home page shows first: what a neighbour can do today.

Each function runs one query (or a fixed few), whatever the number of rows: a running vote (and
whether this person has voted, read from the participation record, never from the secret ballot), a
round open for proposals, this week's activities that still have places, the volunteer roles that
still need people, the latest results and the latest proposals, open ones first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from app.activities.models import Activity, ActivityStatus, Signup, SignupStatus, VolunteerRole
from app.db import db, utcnow
from app.phases.models import Phase, Round
from app.proposals.models import Proposal, Status
from app.proposals.queries import NEWEST, is_public
from app.votes.models import Participation

WEEK = timedelta(days=7)
# Proposals still in play come first on the home page; then the ones that won; the ones that lost,
# were turned down or withdrawn last.
OPEN_STATUSES = (Status.SUBMITTED, Status.ACCEPTED)
WON_STATUSES = (Status.SELECTED, Status.SCHEDULED, Status.IMPLEMENTED)


@dataclass(frozen=True)
class RunningVote:
    round: Round
    voted: bool


@dataclass(frozen=True)
class OpenActivity:
    activity: Activity
    places_left: int | None  # None: no limit


@dataclass(frozen=True)
class NeededRole:
    role: VolunteerRole
    free: int


def running_votes(user) -> list[RunningVote]:
    """Rounds in voting, closing soonest first, and whether ``user`` has voted in each (one query)."""
    user_id = user.id if getattr(user, "is_authenticated", False) else None
    voted = (
        sa.exists().where(Participation.round_id == Round.id, Participation.user_id == user_id)
        if user_id is not None else sa.false()
    )
    rows = db.session.execute(
        sa.select(Round, voted.label("voted"))
        .where(Round.phase == Phase.VOTING)
        .order_by(Round.voting_ends_at.asc().nulls_last(), Round.id)
    ).all()
    return [RunningVote(round_, bool(has_voted)) for round_, has_voted in rows]


def open_for_proposals() -> list[Round]:
    """Rounds taking proposals, the deadline nearest first."""
    return list(db.session.scalars(
        sa.select(Round)
        .where(Round.phase == Phase.SUBMISSION)
        .order_by(Round.review_starts_at.asc().nulls_last(), Round.id)
    ))


def _registered(role_clause) -> sa.Subquery:
    return (
        sa.select(Signup.activity_id, Signup.role_id, sa.func.count().label("taken"))
        .where(Signup.status == SignupStatus.REGISTERED, role_clause)
        .group_by(Signup.activity_id, Signup.role_id)
        .subquery()
    )


def this_week(now: datetime | None = None, limit: int = 6) -> list[OpenActivity]:
    """Planned activities starting in the next seven days that still have places (or no limit)."""
    now = now or utcnow()
    taken = _registered(Signup.role_id.is_(None))
    count = sa.func.coalesce(taken.c.taken, 0)
    rows = db.session.execute(
        sa.select(Activity, count)
        .options(joinedload(Activity.place))
        .outerjoin(taken, taken.c.activity_id == Activity.id)
        .where(Activity.status == ActivityStatus.PLANNED, Activity.open_to_all.is_(True),
               Activity.ends_at >= now, Activity.starts_at < now + WEEK)
        .where(sa.or_(Activity.capacity.is_(None), count < Activity.capacity))
        .order_by(Activity.starts_at, Activity.id)
        .limit(limit)
    ).all()
    return [OpenActivity(a, None if a.capacity is None else a.capacity - n) for a, n in rows]


def roles_needing_people(now: datetime | None = None, limit: int = 6) -> list[NeededRole]:
    """Volunteer roles of coming planned activities with free slots, the soonest first."""
    now = now or utcnow()
    taken = _registered(Signup.role_id.is_not(None))
    count = sa.func.coalesce(taken.c.taken, 0)
    rows = db.session.execute(
        sa.select(VolunteerRole, count)
        .join(VolunteerRole.activity)
        .options(joinedload(VolunteerRole.activity))
        .outerjoin(taken, taken.c.role_id == VolunteerRole.id)
        .where(Activity.status == ActivityStatus.PLANNED, Activity.ends_at >= now)
        .where(count < VolunteerRole.slots)
        .order_by(Activity.starts_at, VolunteerRole.id)
        .limit(limit)
    ).all()
    return [NeededRole(role, role.slots - n) for role, n in rows]


def latest_results(limit: int = 3) -> list[Round]:
    return list(db.session.scalars(
        sa.select(Round)
        .where(Round.phase.in_((Phase.CLOSED, Phase.ARCHIVED)), Round.result.is_not(None),
               Round.imported_from.is_(None))
        .order_by(Round.closed_at.desc().nulls_last(), Round.id.desc())
        .limit(limit)
    ))


def latest_proposals(limit: int = 5) -> list[Proposal]:
    """The newest public proposals, those still open first, then winners, then the rest (one query).

    Each standing takes its newest ``limit`` along the index of the newest order (ix_proposals_submitted),
    and only those few are sorted and joined with their authors: never the whole table, as one ORDER BY
    over the standing would need."""
    return list(db.session.scalars(_latest_proposals(limit)))


# The same statement on every request of the home page: built once (building it costs more than running it).
@cache
def _latest_proposals(limit: int) -> sa.Select[Proposal]:
    others = tuple(s for s in Status if s not in (*OPEN_STATUSES, *WON_STATUSES, Status.DRAFT))
    newest = [
        sa.select(Proposal.id, Proposal.submitted_at, sa.literal(standing).label("standing"))
        .where(is_public(), Proposal.imported.is_(False), Proposal.status.in_(statuses))
        .order_by(*NEWEST)
        .limit(limit)
        .subquery()
        for standing, statuses in enumerate((OPEN_STATUSES, WON_STATUSES, others))
    ]
    top = sa.union_all(*(sa.select(part) for part in newest)).subquery()
    top = (
        sa.select(top.c.id, top.c.standing)
        .order_by(top.c.standing, top.c.submitted_at.desc().nulls_last(), top.c.id.desc())
        .limit(limit)
        .subquery()
    )
    return (
        sa.select(Proposal)
        .join(top, top.c.id == Proposal.id)
        .options(joinedload(Proposal.author), joinedload(Proposal.category))
        .order_by(top.c.standing, *NEWEST)
    )
