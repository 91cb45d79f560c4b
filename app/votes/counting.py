"""From the database to the tally engine and back: build the Election, hash the ballots, explain."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from fractions import Fraction
from typing import Any

import sqlalchemy as sa

from app.db import db
from app.numbers import parse_id
from app.phases.models import BallotKind, Round, Rule
from app.proposals.models import Proposal, Status
from app.votes import tally as engine
from app.votes.models import Ballot, StoredChoices

_ON_BALLOT = (Status.ACCEPTED, Status.SELECTED, Status.NOT_SELECTED, Status.SCHEDULED, Status.IMPLEMENTED)


def ballot_projects(round_: Round) -> list[Proposal]:
    """The proposals on the round's ballot: the accepted ones (and, once counted, their outcomes)."""
    return list(
        db.session.scalars(
            sa.select(Proposal)
            .where(Proposal.round_id == round_.id, Proposal.status.in_(_ON_BALLOT))
            .order_by(Proposal.id)
        )
    )


# The ballot's proposals as its form shows them and a cast ballot is checked against them, read on every
# vote: built once (building the statement costs twice what running it does), the round and ids as parameters.
_ENTRIES = (sa.select(Proposal.id, Proposal.title, Proposal.cost_grosze, Proposal.language)
            .where(Proposal.round_id == sa.bindparam("round_id"), Proposal.status.in_(_ON_BALLOT))
            .order_by(Proposal.id))
_ENTRIES_NAMED = _ENTRIES.where(Proposal.id.in_(sa.bindparam("ids", expanding=True)))


def ballot_catalogue(round_: Round, named: Iterable[str] | None = None) -> tuple[engine.Project, ...]:
    """The round's ballot as the engine sees it (id, cost, title), read as a few columns: what a cast
    ballot is checked against, without loading whole proposals (``engine_projects(ballot_projects(…))``).

    ``named``: only the proposals of the ballot with these ids (as submitted), which is all that checking
    a ballot listing its choices needs (``ballots.listed_choices``)."""
    if named is None:
        return engine_projects(ballot_entries(round_))
    ids = sorted({pid for pid in map(parse_id, named) if pid is not None})
    return engine_projects(list(db.session.execute(_ENTRIES_NAMED, {"round_id": round_.id, "ids": ids})))


def ballot_entries(round_: Round) -> list[sa.Row[tuple[int, str, int | None, str]]]:
    """The round's ballot as its form shows it: id, title, cost_grosze and language of each proposal, read
    as four columns (a district's ballot lists 150 proposals: whole ones cost twice the page's time)."""
    return list(db.session.execute(_ENTRIES, {"round_id": round_.id}))


def engine_projects(proposals: Sequence[Proposal | sa.Row[Any]]) -> tuple[engine.Project, ...]:
    return tuple(engine.Project(str(p.id), p.cost_grosze or 0, p.title) for p in proposals)


def limits(round_: Round) -> engine.BallotLimits:
    kind = round_.ballot_kind
    if kind == BallotKind.CUMULATIVE:
        return engine.BallotLimits(
            min_points=1, max_points=round_.points_total, max_points_per_project=round_.points_per_proposal
        )
    if kind == BallotKind.ORDINAL:
        return engine.BallotLimits(min_choices=round_.min_choices or 1, max_choices=round_.max_choices)
    if kind == BallotKind.APPROVAL:
        return engine.BallotLimits(
            min_choices=1 if round_.min_choices is None else round_.min_choices,
            max_choices=round_.max_choices,
            max_total_cost=round_.max_ballot_cost_grosze,
        )
    return engine.BallotLimits()


#: The most runs of MES the add1 completion may compute when a round is closed (inside a web request):
#: a round of the estate needs a handful; beyond this the close is refused with a message, never left
#: to run on.
COMPLETION_MAX_RUNS = 2000


def rule(round_: Round, eligible_voters: int | None = None) -> engine.Rule:
    if round_.ballot_kind == BallotKind.YES_NO:
        quorum = round_.yes_no_quorum
        majority = round_.yes_no_majority_percent
        return engine.Rule(
            name=engine.YES_NO_RULE,
            quorum_fraction=Fraction(quorum, 100) if quorum else None,
            eligible_voters=eligible_voters if quorum else None,
            yes_fraction=Fraction(majority, 100) if majority else None,
        )
    completion = round_.equal_shares_completion
    greedy = (round_.greedy_options or {}) if round_.rule == Rule.GREEDY else {}
    return engine.Rule(
        name=round_.rule,
        top_n=round_.ranking_top_n,
        min_score=round_.ranking_threshold if round_.rule == Rule.RANKING else greedy.get("min_score"),
        no_skip=bool(greedy.get("no_skip")),
        exclusive_groups=tuple(tuple(map(str, group)) for group in greedy.get("exclusive_groups", ())),
        withdrawn=tuple(str(pid) for pid in greedy.get("withdrawn", ())),
        completion="add1" if completion else None,
        completion_max_runs=COMPLETION_MAX_RUNS,
        compare_with_greedy=completion == "add1-comparison",
    )


def to_engine_ballot(kind: str, choices: StoredChoices) -> engine.Ballot:
    """Stored choices → the engine's ballot value."""
    if kind in (BallotKind.APPROVAL, BallotKind.CHOOSE_ONE):
        return engine.ApprovalBallot(tuple(choices))
    if kind == BallotKind.ORDINAL:
        return engine.OrdinalBallot(tuple(choices))
    assert isinstance(choices, dict), "cumulative and yes/no ballots are stored as objects"
    if kind == BallotKind.CUMULATIVE:
        return engine.CumulativeBallot(tuple(sorted(choices.items())))
    return engine.YesNoBallot(tuple(sorted(choices.items())))


def to_stored_choices(ballot: engine.Ballot) -> StoredChoices:
    if isinstance(ballot, engine.ApprovalBallot):
        return list(ballot.projects)
    if isinstance(ballot, engine.OrdinalBallot):
        return list(ballot.ranking)
    if isinstance(ballot, engine.CumulativeBallot):
        return dict(ballot.points)
    return dict(ballot.answers)


def stored_ballots(round_id: int) -> list[StoredChoices]:
    """The round's ballots in the order of their random keys: without an ORDER BY the database returns
    them in the order they were written, which is the order of the voters' participation rows."""
    return list(db.session.scalars(
        sa.select(Ballot.choices).where(Ballot.round_id == round_id).order_by(Ballot.id)
    ))


def canonical_ballots_sha256(kind: str, choices_list: Sequence[StoredChoices]) -> str:
    """SHA-256 of the ballots in a canonical form that does not depend on storage order.

    Each ballot is its JSON with sorted keys; approval ballots are sets, so their ids are sorted too.
    The ballots are sorted and joined with newlines.
    """
    lines = []
    for choices in choices_list:
        if kind in (BallotKind.APPROVAL, BallotKind.CHOOSE_ONE):
            choices = sorted(choices, key=lambda pid: (len(pid), pid))
        lines.append(json.dumps(choices, sort_keys=True, separators=(",", ":")))
    lines.sort()
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def canonical_sha256(data: dict[str, Any]) -> str:
    return hashlib.sha256(
        json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    ).hexdigest()


def election(round_: Round, proposals: list[Proposal], choices_list: Sequence[StoredChoices], seed: str,
             eligible_voters: int | None) -> engine.Election:
    kind = round_.ballot_kind
    return engine.Election(
        projects=engine_projects(proposals),
        ballots=tuple(to_engine_ballot(kind, c) for c in choices_list),
        kind=kind,
        budget=round_.budget_grosze if round_.rule != "ranking" and kind != BallotKind.YES_NO else None,
        rule=rule(round_, eligible_voters),
        limits=limits(round_),
        tie_break=tuple(round_.tie_break),
        seed=seed,
        score_depth=round_.max_choices if kind == BallotKind.ORDINAL else None,
    )
