"""Anonymous ballots of a closed round: a CSV table and a Pabulib ``.pb`` file, both streamed.

What a ballot export says: the ballot's choices and a running number, nothing else. No user id (public
rounds have one in the database; it is left out here too), no time, no receipt hash (a published hash
next to the choices would let a voter prove how they voted, which invites vote buying; voters check
their receipt on the round's receipt page instead). Ballots are read in the order of their random keys,
so the running number says nothing about when anyone voted.
"""

from __future__ import annotations

import csv
import dataclasses
import io
from collections.abc import Iterator

import sqlalchemy as sa

from app.db import db
from app.phases.models import BallotKind, Round, Rule
from app.votes import counting
from app.votes import tally as engine
from app.votes.models import Ballot
from app.votes.tally import pabulib

BATCH = 1000


def stored_choices(round_id: int) -> Iterator:
    """The choices of every ballot, in the order of the ballots' random keys, read in batches."""
    query = (
        sa.select(Ballot.choices)
        .where(Ballot.round_id == round_id)
        .order_by(Ballot.id)
        .execution_options(yield_per=BATCH)
    )
    yield from db.session.execute(query).scalars()


def has_pabulib_form(round_: Round) -> bool:
    """Pabulib files carry budgeted rules (greedy, equal shares) and no yes/no ballots."""
    return round_.ballot_kind != BallotKind.YES_NO and round_.rule in (Rule.GREEDY, Rule.EQUAL_SHARES)


def _cell(kind: str, choices, pid: str):
    if kind in (BallotKind.APPROVAL, BallotKind.CHOOSE_ONE):
        return 1 if pid in choices else 0
    if kind == BallotKind.ORDINAL:
        return choices.index(pid) + 1 if pid in choices else ""
    if kind == BallotKind.CUMULATIVE:
        return choices.get(pid, 0)
    return choices.get(pid, "abstain")


def csv_rows(round_: Round) -> Iterator[list]:
    """A header (ballot number, then one column per proposal id) and one row per ballot.

    Approval / choose-1: 1 chosen, 0 not; ordinal: the rank given (1 = first choice), empty when not
    ranked; cumulative: points; yes/no: yes, no or abstain.
    """
    ids = [str(p.id) for p in counting.ballot_projects(round_)]
    kind = round_.ballot_kind
    yield ["ballot"] + ids  # a data file for tools: the header is not translated
    for n, choices in enumerate(stored_choices(round_.id), start=1):
        yield [n] + [_cell(kind, choices, pid) for pid in ids]


def pabulib_election(round_: Round):
    """The round's counting settings as the engine sees them (without the ballots)."""
    proposals = counting.ballot_projects(round_)
    result = round_.result or {}
    election = counting.election(round_, proposals, [], round_.lot_seed or "", result.get("eligible_voters"))
    # Pabulib states ordinal depth as max_length, which limits() already carries.
    return dataclasses.replace(election, score_depth=None)


def pabulib_meta(round_: Round) -> dict[str, str]:
    return {
        "description": round_.title,
        "country": "Poland",
        "unit": "Kraków",
        "instance": f"MAM round {round_.id}",
        "language": "pl",
        "currency": "PLN",
        "date_begin": round_.voting_starts_at.date().isoformat() if round_.voting_starts_at else "",
        "date_end": round_.closed_at.date().isoformat() if round_.closed_at else "",
    }


def stream_pabulib(round_: Round) -> Iterator[bytes]:
    """The ``.pb`` text, section by section and ballot by ballot (same layout as ``write_pabulib``)."""
    election = pabulib_election(round_)
    result = round_.result or {}
    outcome = {p["id"]: p for p in result.get("tally", {}).get("projects", [])}
    winners = set(result.get("tally", {}).get("winners", []))
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\n")

    def flush() -> bytes:
        data = buffer.getvalue().encode("utf-8")
        buffer.seek(0)
        buffer.truncate()
        return data

    meta = {k: v for k, v in pabulib_meta(round_).items() if v}
    rows = [
        (k, str(result.get("ballots", 0)) if k == "num_votes" else v)
        for k, v in pabulib.meta_rows(election, meta)
    ]
    buffer.write("META\n")
    writer.writerow(["key", "value"])
    writer.writerows(rows)
    buffer.write("PROJECTS\n")
    writer.writerow(["project_id", "cost", "name", "votes", "score", "selected"])
    for p in election.projects:
        done = outcome.get(p.id, {})
        writer.writerow(
            [
                p.id,
                pabulib.format_money(p.cost),
                p.name,
                done.get("votes", 0),
                done.get("score", 0),
                "1" if p.id in winners else "0",
            ]
        )
    buffer.write("VOTES\n")
    cumulative = round_.ballot_kind == BallotKind.CUMULATIVE
    writer.writerow(["voter_id", "vote"] + (["points"] if cumulative else []))
    yield flush()
    kind = round_.ballot_kind
    for n, choices in enumerate(stored_choices(round_.id), start=1):
        ballot = counting.to_engine_ballot(kind, choices)
        if isinstance(ballot, engine.CumulativeBallot):
            writer.writerow(
                [n, ",".join(p for p, _ in ballot.points), ",".join(str(v) for _, v in ballot.points)]
            )
        elif isinstance(ballot, engine.OrdinalBallot):
            writer.writerow([n, ",".join(ballot.ranking)])
        else:
            assert isinstance(ballot, engine.ApprovalBallot)  # has_pabulib_form: no yes / no ballots
            writer.writerow([n, ",".join(ballot.projects)])
        if n % 500 == 0:
            yield flush()
    yield flush()
