"""What rounds tell people (``app.notifications``): voting opened, closing within 24 hours, results
published (to everyone who may vote, and to the round's followers), and each proposal's outcome."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.auth.models import User
from app.db import db
from app.notifications.services import Mail, followers, notify, path_for
from app.notifications.signals import reminders_due
from app.phases.models import Eligibility, Phase, Round
from app.proposals.models import Proposal
from app.urls import external_url
from app.votes.models import Participation

CLOSING_AHEAD = timedelta(hours=24)


def eligible_people(round_: Round) -> sa.Select[User]:
    """The accounts that may vote in the round (as ``services.eligible_voters`` counts them)."""
    query = sa.select(User).where(
        sa.or_(User.email_verified_at.is_not(None), User.email.is_(None)),
    ).order_by(User.id)
    if round_.eligibility == Eligibility.VERIFIED_RESIDENTS:
        query = query.where(User.resident_verified_at.is_not(None))
    return query


def _tell_round(round_: Round, event: str, people: Iterable[User], actor: User | None = None,
                once: bool = False) -> int:
    what: dict[str, Any] = {
        "subject_kind": "round", "subject_id": round_.id, "title": round_.title, "actor": actor,
        "link": path_for("rounds.results" if event == "round.results" else "rounds.detail",
                         round_id=round_.id),
    }
    told = notify(people, event, category="rounds", bulk=True, once=once, **what)
    told |= notify(followers("round", round_.id), event, category="following", bulk=True, once=once,
                   exclude=told, **what)
    return len(told)


def voting_opened(actor: User | None, round_: Round) -> None:
    _tell_round(round_, "round.voting_opened", db.session.scalars(eligible_people(round_)), actor)


def results_published(actor: User | None, round_: Round) -> None:
    _tell_round(round_, "round.results", db.session.scalars(eligible_people(round_)), actor)


def outcome(actor: User | None, round_: Round, proposal: Proposal, selected: bool,
            pledgers: Iterable[User]) -> None:
    """The author hears of their proposal's result at once (by default); pledgers and followers too."""
    event = "proposal.selected" if selected else "proposal.not_selected"
    what: dict[str, Any] = {
        "subject_kind": "proposal", "subject_id": proposal.id, "title": proposal.title, "actor": actor,
        "link": path_for("proposals.show", proposal_id=proposal.id),
    }
    mail = Mail(_l("Results of “%(round)s”", round=round_.title), "rounds/email/outcome.txt",
                {"proposal": proposal, "round": round_, "selected": selected,
                 "link": external_url("rounds.results", round_id=round_.id)})
    told = notify([proposal.author] if proposal.author else [], event, category="my_proposals", mail=mail,
                  **what)
    notify([*pledgers, *followers("proposal", proposal.id)], event, category="following", exclude=told,
           **what)


@reminders_due.connect
def closing_soon(sender: object, now: datetime) -> int:
    """`flask notifications reminders`: voting closes within 24 hours — tell those who may vote and have
    not voted yet, once."""
    told = 0
    for round_ in db.session.scalars(sa.select(Round).where(
            Round.phase == Phase.VOTING, Round.voting_ends_at.is_not(None), Round.voting_ends_at > now,
            Round.voting_ends_at <= now + CLOSING_AHEAD).order_by(Round.id)):
        voted = sa.select(Participation.user_id).where(Participation.round_id == round_.id,
                                                       Participation.user_id.is_not(None))
        people = db.session.scalars(eligible_people(round_).where(User.id.not_in(voted)))
        told += _tell_round(round_, "round.closing", people, once=True)
    return told
