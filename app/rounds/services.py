"""Running consultation rounds: create, configure, move through phases, close and recount."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from app.audit.services import record
from app.auth.models import User
from app.db import db, utcnow
from app.errors import Conflict, InvalidInput
from app.permissions import require
from app.phases import permissions
from app.phases.locking import lock_round
from app.phases.models import BallotKind, Eligibility, Phase, Round, Rule
from app.proposals.models import Pledge, Proposal, ProposalEvent, Status
from app.rounds import notices
from app.rounds.settings import RoundSettings
from app.text import render_markdown
from app.votes import counting
from app.votes import tally as engine
from app.votes.models import Channel, Participation
from app.votes.services import detach_ballots_from_casting, forget_casting_order, forget_voter_identities

NEXT_PHASE: dict[str, str] = {
    Phase.DRAFT: Phase.SUBMISSION,
    Phase.SUBMISSION: Phase.REVIEW,
    Phase.REVIEW: Phase.VOTING,
    Phase.VOTING: Phase.CLOSED,
    Phase.CLOSED: Phase.ARCHIVED,
}


def create_round(actor: User, settings: RoundSettings) -> Round:
    require(permissions.can_manage_rounds(actor))
    settings.validate()
    round_ = Round(phase=Phase.DRAFT, created_by_id=actor.id)
    settings.apply_to(round_)
    round_.description_html = render_markdown(settings.description)
    db.session.add(round_)
    db.session.flush()
    record(actor, "round.created", round_, title=round_.title)
    db.session.commit()
    return round_


def update_round(actor: User, round_: Round, settings: RoundSettings) -> None:
    """Change a round. Once voting has started only the title, description and dates may change."""
    require(permissions.can_manage_rounds(actor))
    settings.validate()
    # Under the round's lock, so that voting cannot open (cron, another moderator) between the check
    # of the phase and the change.
    round_ = lock_round(round_.id)
    settings.validate_deadline(round_.phase)
    current = RoundSettings.of(round_)
    changed = [
        name for name in RoundSettings.VOTE_MEANING if getattr(settings, name) != getattr(current, name)
    ]
    if changed:
        require(permissions.can_edit_settings(actor, round_))
    settings.apply_to(round_)
    round_.description_html = render_markdown(settings.description)
    record(actor, "round.updated", round_, changed=changed)
    db.session.commit()


def eligible_voters(round_: Round) -> int:
    query = sa.select(sa.func.count()).select_from(User).where(
        sa.or_(User.email_verified_at.is_not(None), User.email.is_(None))
    )
    if round_.eligibility == Eligibility.VERIFIED_RESIDENTS:
        query = query.where(User.resident_verified_at.is_not(None))
    return db.session.scalar(query) or 0


def _check_deadline(round_: Round, to_phase: str) -> None:
    """A phase that residents act in has a deadline they can see: proposals until the review starts,
    votes until voting closes."""
    try:
        RoundSettings.of(round_).validate_deadline(to_phase)
    except InvalidInput as error:
        raise Conflict(error.message) from error


def _check_can_enter(round_: Round, to_phase: str) -> None:
    _check_deadline(round_, to_phase)
    if to_phase == Phase.VOTING:
        waiting = db.session.scalar(
            sa.select(sa.func.count()).where(
                Proposal.round_id == round_.id, Proposal.status == Status.SUBMITTED
            )
        )
        if waiting:
            raise Conflict(_l("%(num)d proposals still wait for review: accept or reject them first.",
                              num=waiting))
        proposals = counting.ballot_projects(round_)
        if not proposals:
            raise Conflict(_l("There is no accepted proposal to vote on."))
        try:  # settings saved before a rule was added must not fail at closing instead
            RoundSettings.of(round_).validate_kind()
        except InvalidInput as error:
            raise Conflict(error.message) from error
        if round_.voting_ends_at is not None and round_.voting_ends_at <= utcnow():
            raise Conflict(_l("The end of voting set for this round has already passed: change the dates "
                              "first."))
        _check_costs(round_, proposals)
        _check_ballot_possible(round_, proposals)


def _check_costs(round_: Round, proposals: list[Proposal]) -> None:
    """A rule that spends a budget, or a cost limit on the ballot, needs every proposal's cost: a
    proposal without one would otherwise count as free."""
    needs_costs = round_.ballot_kind != BallotKind.YES_NO and (
        round_.rule in (Rule.GREEDY, Rule.EQUAL_SHARES) or round_.max_ballot_cost_grosze is not None
    )
    missing = [p.title for p in proposals if p.cost_grosze is None]
    if needs_costs and missing:
        raise Conflict(_l("Set the final cost of these proposals before voting opens: %(titles)s.",
                          titles="; ".join(missing)))


def _check_ballot_possible(round_: Round, proposals: list[Proposal]) -> None:
    """The ballot limits must leave at least one valid ballot with these proposals."""
    limits = counting.limits(round_)
    if limits.min_choices > len(proposals):
        raise Conflict(_l("A ballot must choose at least %(min)d proposals but only %(num)d are on it: "
                          "lower the minimum or accept more proposals.",
                          min=limits.min_choices, num=len(proposals)))
    cheapest = sorted(p.cost_grosze or 0 for p in proposals)[: limits.min_choices]
    if limits.max_total_cost is not None and sum(cheapest) > limits.max_total_cost:
        raise Conflict(_l("No ballot can stay within the cost limit with the minimum number of choices: "
                          "raise the limit or lower the minimum."))


def advance_phase(actor: User | None, round_id: int, expected_phase: str, seed: str | None = None,
                  imported: bool = False) -> Round:
    """Move a round one phase on. ``expected_phase`` is the phase the moderator saw, so a double
    submit (or two moderators at once) cannot skip a phase. Review → voting draws the seed of the lot
    (its SHA-256 is shown while voting runs); voting → closed counts the votes with that seed, or
    with ``seed`` when given (an imported count keeps its own; ``imported``: its ballots came from a
    file, so the result states no electorate)."""
    if actor is not None:
        require(permissions.can_manage_rounds(actor))
    round_ = lock_round(round_id)
    if round_.phase != expected_phase or round_.phase not in NEXT_PHASE:
        raise Conflict(_l("The round has already moved on. Reload the page to see where it is."))
    to_phase = NEXT_PHASE[round_.phase]
    if to_phase == Phase.CLOSED:
        _close(actor, round_, seed or round_.lot_seed or secrets.token_hex(16), imported)
    else:
        _check_can_enter(round_, to_phase)
        round_.phase = to_phase
        if to_phase == Phase.VOTING:
            # Drawn now and published as a SHA-256 while voting runs (seed_commitment), revealed with
            # the result: nobody can draw the lot again at closing until it suits them.
            round_.lot_seed = secrets.token_hex(16)
            notices.voting_opened(actor, round_)
        record(actor, "round.phase_changed", round_, old=expected_phase, new=to_phase)
    db.session.commit()
    if to_phase == Phase.CLOSED:
        forget_casting_order()
    return round_


def apply_schedule(now: datetime | None = None) -> list[tuple[int, str, str]]:
    """For `flask rounds advance` (cron): move every round whose next date has passed.

    Each round moves in its own transaction; a round that cannot move (e.g. proposals not reviewed)
    is reported and left as it is. Safe to run every minute, from several servers.
    """
    now = now or utcnow()
    due = {
        Phase.DRAFT: Round.submission_starts_at,
        Phase.SUBMISSION: Round.review_starts_at,
        Phase.REVIEW: Round.voting_starts_at,
        Phase.VOTING: Round.voting_ends_at,
    }
    moves: list[tuple[int, str, str]] = []
    moved: set[int] = set()
    for phase, column in due.items():
        ids = db.session.scalars(
            sa.select(Round.id).where(Round.phase == phase, column.is_not(None), column <= now)
        ).all()
        for round_id in ids:
            if round_id in moved:
                continue  # one phase per run: the next run sees whether the next date has passed too
            try:
                round_ = advance_phase(None, round_id, phase)
            except Conflict as error:
                db.session.rollback()
                moves.append((round_id, phase, f"blocked: {error.message}"))
            except Exception as error:  # one broken round must not stop the others
                db.session.rollback()
                current_app.logger.exception("Round %s could not move on from %s", round_id, phase)
                moves.append((round_id, phase, f"failed: {error}"))
            else:
                moved.add(round_id)
                moves.append((round_id, phase, round_.phase))
    return moves


# --- closing and counting ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Count:
    result: dict[str, Any]
    ballots_sha256: str


def _count(round_: Round, seed: str, eligible: int | None = None, imported: bool = False) -> Count:
    """Count the stored ballots. ``imported``: the ballots came from a file, whose voters are not the
    platform's users: the result states no electorate (and so no turnout) of its own."""
    proposals = counting.ballot_projects(round_)
    choices = counting.stored_ballots(round_.id)
    if not imported:
        eligible = eligible_voters(round_) if eligible is None else eligible
    try:
        outcome = engine.tally(counting.election(round_, proposals, choices, seed, eligible))
    except engine.CompletionTooLong as error:
        raise Conflict(_l("The “add1” completion needs more than %(num)d runs of the count, more than a "
                          "page may take. Ask an administrator to count this round on the server.",
                          num=error.max_runs)) from None
    turnout = dict(
        db.session.execute(
            sa.select(Participation.channel, sa.func.count())
            .where(Participation.round_id == round_.id)
            .group_by(Participation.channel)
        ).all()
    )
    result: dict[str, Any] = {
        "round": round_.id,
        "ballot_kind": round_.ballot_kind,
        "rule": BallotKind.YES_NO if round_.ballot_kind == BallotKind.YES_NO else round_.rule,
        "budget": round_.budget_grosze,
        "tie_break": list(round_.tie_break),
        "seed": seed,
        "ballots": len(choices),
        "eligible_voters": eligible,
        **({"imported": True} if imported else {}),
        "turnout": {"online": turnout.get(Channel.ONLINE, 0), "paper": turnout.get(Channel.PAPER, 0)},
        "tally": outcome.to_dict(),
    }
    return Count(result, counting.canonical_ballots_sha256(round_.ballot_kind, choices))


def _close(actor: User | None, round_: Round, seed: str, imported: bool = False) -> None:
    if actor is not None:
        require(permissions.can_close_voting(actor, round_))
    count = _count(round_, seed, imported=imported)
    round_.phase = Phase.CLOSED
    round_.closed_at = utcnow()
    round_.lot_seed = seed
    round_.result = count.result
    round_.ballots_sha256 = count.ballots_sha256
    round_.result_sha256 = counting.canonical_sha256(count.result)
    winners = {str(pid) for pid in count.result["tally"]["winners"]}
    _publish_outcomes(actor, round_, winners)
    notices.results_published(actor, round_)
    forget_voter_identities(round_.id)
    detach_ballots_from_casting(round_.id)
    record(actor, "round.closed", round_, ballots=count.result["ballots"],
           ballots_sha256=round_.ballots_sha256, result_sha256=round_.result_sha256)


def _publish_outcomes(actor: User | None, round_: Round, winners: set[str]) -> None:
    """Mark each proposal on the ballot selected or not, on its timeline, and tell author and pledgers."""
    proposals = [p for p in counting.ballot_projects(round_) if p.status == Status.ACCEPTED]
    pledgers: dict[int, list[User]] = {}
    for pledge_proposal_id, user in db.session.execute(
        sa.select(Pledge.proposal_id, User).join(User, Pledge.user_id == User.id)
        .where(Pledge.proposal_id.in_([p.id for p in proposals]))
    ).all():
        pledgers.setdefault(pledge_proposal_id, []).append(user)
    for proposal in proposals:
        selected = str(proposal.id) in winners
        new_status = Status.SELECTED if selected else Status.NOT_SELECTED
        # The vote decided this, not the person who closed it: the timeline credits nobody.
        db.session.add(ProposalEvent(proposal_id=proposal.id, actor_id=None,
                                     kind="status", from_status=proposal.status, to_status=new_status))
        proposal.status = new_status
        notices.outcome(actor, round_, proposal, selected, pledgers.get(proposal.id, []))


def recount(round_id: int) -> tuple[bool, dict[str, Any], dict[str, Any]]:
    """Count the stored ballots again with the recorded seed; (same?, stored, recomputed)."""
    round_ = db.session.get(Round, round_id)
    if round_ is None or round_.result is None or round_.lot_seed is None:
        raise InvalidInput(_l("This round has no stored result to compare with."))
    stored = {"result": round_.result, "ballots_sha256": round_.ballots_sha256,
              "result_sha256": round_.result_sha256}
    # Eligibility changes after closing (people are verified later): use the figure that counted.
    count = _count(round_, round_.lot_seed, eligible=round_.result["eligible_voters"],
                   imported=round_.result.get("imported", False))
    recomputed = {"result": count.result, "ballots_sha256": count.ballots_sha256,
                  "result_sha256": counting.canonical_sha256(count.result)}
    same = (
        stored["ballots_sha256"] == recomputed["ballots_sha256"]
        and stored["result_sha256"] == recomputed["result_sha256"]
    )
    return same, stored, recomputed
