"""What "my page" (/me) lists: one query per section, however many rows.

The rounds a person voted in come from the participation record (who voted, when, how), never from
the ballots: in a secret round nothing stored links a person to their ballot, and this page adds
nothing that would. The receipt check it offers sends the typed code to the round's own check and
keeps nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import aliased, joinedload

from app.activities.models import Activity, Signup, SignupStatus
from app.activities.queries import LIVE, coordinated_by
from app.db import db, utcnow
from app.discussion.models import Comment, CommentState
from app.outbox.services import kept_messages
from app.phases.models import Round
from app.proposals.models import Pledge, Proposal
from app.proposals.queries import proposals_by
from app.votes.models import Participation

SHOWN = 10  # the newest of each kind; the full lists have their own pages


@dataclass(frozen=True)
class MySignup:
    signup: Signup
    waiting_position: int | None  # 1 = next in line; None when registered


@dataclass(frozen=True)
class MyPledge:
    pledge: Pledge
    proposal: Proposal


@dataclass(frozen=True)
class MyVote:
    round: Round
    voted_at: datetime
    channel: str


@dataclass(frozen=True)
class MyComment:
    comment: Comment
    proposal_id: int
    proposal_title: str


@dataclass
class MyPage:
    proposals: list[Proposal]
    pledges: list[MyPledge]
    signups: list[MySignup]
    roles: list[MySignup]
    coordinated: list[Activity]
    votes: list[MyVote]
    comments: list[MyComment]
    messages: list


def proposals(user_id: int) -> list[Proposal]:
    return list(db.session.scalars(proposals_by(user_id).limit(SHOWN)))


def pledges(user_id: int) -> list[MyPledge]:
    rows = db.session.execute(
        sa.select(Pledge, Proposal)
        .join(Proposal, Pledge.proposal_id == Proposal.id)
        .where(Pledge.user_id == user_id)
        .order_by(Pledge.created_at.desc(), Pledge.id.desc())
        .limit(SHOWN)
    ).all()
    return [MyPledge(pledge, proposal) for pledge, proposal in rows]


def signups(user_id: int, now: datetime | None = None) -> list[MySignup]:
    """Coming sign-ups (attending, waiting, volunteering), with the place in the waiting line: how
    many waited longer for the same activity, plus one (the order the waiting list moves up in)."""
    ahead = aliased(Signup)
    position = (
        sa.select(sa.func.count())
        .where(ahead.activity_id == Signup.activity_id, ahead.role_id.is_(None),
               ahead.status == SignupStatus.WAITLISTED,
               sa.or_(ahead.created_at < Signup.created_at,
                      sa.and_(ahead.created_at == Signup.created_at, ahead.id <= Signup.id)))
        .correlate(Signup)
        .scalar_subquery()
    )
    rows = db.session.execute(
        sa.select(Signup, sa.case((Signup.status == SignupStatus.WAITLISTED, position), else_=None))
        .join(Signup.activity)
        .options(joinedload(Signup.activity).joinedload(Activity.place), joinedload(Signup.role))
        .where(Signup.user_id == user_id, Signup.status.in_(LIVE), Activity.ends_at >= (now or utcnow()))
        .order_by(Activity.starts_at, Signup.id)
    ).all()
    return [MySignup(signup, place) for signup, place in rows]


def votes(user_id: int) -> list[MyVote]:
    rows = db.session.execute(
        sa.select(Round, Participation.voted_at, Participation.channel)
        .join(Participation, Participation.round_id == Round.id)
        .where(Participation.user_id == user_id)
        .order_by(Participation.voted_at.desc(), Round.id.desc())
        .limit(SHOWN)
    ).all()
    return [MyVote(round_, voted_at, channel) for round_, voted_at, channel in rows]


def comments(user_id: int) -> list[MyComment]:
    rows = db.session.execute(
        sa.select(Comment, Proposal.id, Proposal.title)
        .join(Proposal, Comment.proposal_id == Proposal.id)
        .where(Comment.author_id == user_id, Comment.state != CommentState.DELETED)
        .order_by(Comment.created_at.desc(), Comment.id.desc())
        .limit(SHOWN)
    ).all()
    return [MyComment(comment, pid, title) for comment, pid, title in rows]


def my_page(user) -> MyPage:
    everything = signups(user.id)
    return MyPage(
        proposals=proposals(user.id),
        pledges=pledges(user.id),
        signups=[s for s in everything if s.signup.role_id is None],
        roles=[s for s in everything if s.signup.role_id is not None],
        coordinated=list(db.session.scalars(coordinated_by(user.id).where(Activity.ends_at >= utcnow()))),
        votes=votes(user.id),
        comments=comments(user.id),
        messages=kept_messages(user),
    )
