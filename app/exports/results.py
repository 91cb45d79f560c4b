"""A closed round's stored result as tables (CSV/XLSX), as a JSON document and as the protocol's context.

Everything comes from ``Round.result`` frozen at closing (and the hashes stored with it), never from a
new count, so an export always says what was announced.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import gettext as _

from app.audit.models import AuditEvent
from app.db import db
from app.exports.writers import Sheet, zl
from app.phases.models import Phase, Round
from app.rounds import display
from app.rounds.forms import BALLOT_KIND_LABELS, CRITERION_LABELS, RULE_LABELS, describe_policy

WARSAW = ZoneInfo("Europe/Warsaw")


def local(value: datetime | None) -> datetime | None:
    """A stored (UTC) moment in Warsaw time, for a typed cell; None (an empty cell) when missing."""
    return value.astimezone(WARSAW) if value else None


def label(labels: dict, code: str | None) -> str:
    """A code's words in the current language (the code itself when it has none)."""
    return str(labels[code]) if code in labels else (code or "")


def criterion(code: str) -> str:
    return label(CRITERION_LABELS, code)


def stage(code: str) -> str:
    """Where in the count a tie was met: the order by score, or a round of equal shares."""
    if code.startswith("round "):
        return _("round %(num)s of equal shares", num=code.removeprefix("round "))
    return _("order by score") if code == "order" else code


def yes_no(flag: bool) -> str:
    return _("yes") if flag else _("no")


def tie_notes(result: dict) -> dict[str, str]:
    """For each proposal met in a tie: with whom, and what decided the order."""
    notes: dict[str, list[str]] = {}
    for n, tie in enumerate(result["tally"]["ties"], start=1):
        steps = "; ".join(f"{s['first']} > {s['second']} ({criterion(s['criterion'])})" for s in tie["steps"])
        for pid in tie["projects"]:
            notes.setdefault(pid, []).append(_("tie %(num)d: %(steps)s", num=n, steps=steps))
    return {pid: " | ".join(texts) for pid, texts in notes.items()}


def closed_result(round_: Round) -> dict[str, Any]:
    """The result stored when the round was counted (every export is of a counted round)."""
    if round_.result is None:
        raise ValueError(f"round {round_.id} has no stored result")
    return round_.result


def facts(round_: Round) -> list[list]:
    result = closed_result(round_)
    tally = result["tally"]
    turnout = result["turnout"]
    return [
        [_("Round"), round_.title],
        [_("Round number"), round_.id],
        [_("Voting opened"), local(voting_opened_at(round_))],
        [_("Voting closed"), local(round_.closed_at)],
        [_("Ballot kind"), label(BALLOT_KIND_LABELS, result["ballot_kind"])],
        [_("Rule"), label(RULE_LABELS, result["rule"])],
        [_("Budget (zł)"), zl(result["budget"])],
        [_("Budget used (zł)"), zl(tally["budget_used"])],
        [_("Ballots counted"), result["ballots"]],
        [_("Voted online"), turnout["online"]],
        [_("Voted on paper"), turnout["paper"]],
        [_("Eligible voters"), result["eligible_voters"]],
        [_("Tie-break policy"), describe_policy(result["tie_break"])],
        [_("Seed of the lot"), result["seed"]],
        [_("Ballots SHA-256"), round_.ballots_sha256],
        [_("Result SHA-256"), round_.result_sha256],
    ]


def project_rows(round_: Round) -> list[list]:
    result = closed_result(round_)
    notes = tie_notes(result)
    header = [
        _("Rank"),
        _("Proposal number"),
        _("Proposal"),
        _("Cost (zł)"),
        _("Score"),
        _("Voters"),
        _("No answers"),
        _("Selected"),
        _("Reason"),
        _("Ties"),
        _("Reason code"),
    ]
    rows: list[list[Any]] = [header]
    for p in result["tally"]["projects"]:
        rows.append(
            [
                p["rank"],
                int(p["id"]),
                p["name"],
                zl(p["cost"]),
                p["score"],
                p["votes"],
                p.get("no", ""),
                yes_no(p["selected"]),
                display.explain(p),
                notes.get(p["id"], ""),
                p["reason"],
            ]
        )
    return rows


def tie_rows(round_: Round) -> list[list]:
    rows: list[list[Any]] = [
        [
            _("Tie"),
            _("Proposals in the order decided"),
            _("Score"),
            _("Decided by"),
            _("Stage"),
            _("Changed who won"),
        ]
    ]
    for n, tie in enumerate(closed_result(round_)["tally"]["ties"], start=1):
        rows.append(
            [
                n,
                ", ".join(tie["projects"]),
                tie["score"],
                criterion(tie["criterion"]),
                stage(tie["stage"]),
                yes_no(tie["affects_selection"]),
            ]
        )
    return rows


def sheets(round_: Round) -> list[Sheet]:
    return [
        Sheet(_("Round"), [[_("Fact"), _("Value")], *facts(round_)]),
        Sheet(_("Results"), project_rows(round_)),
        Sheet(_("Ties"), tie_rows(round_)),
    ]


def document(round_: Round) -> dict:
    """The JSON export: the round, the stored result exactly as counted, and its hashes."""
    result = closed_result(round_)
    return {
        "round": {
            "id": round_.id,
            "title": round_.title,
            "phase": round_.phase,
            "ballot_kind": round_.ballot_kind,
            "rule": round_.rule,
            "secrecy": round_.secrecy,
            "budget_grosze": round_.budget_grosze,
            "voting_starts_at": round_.voting_starts_at.isoformat() if round_.voting_starts_at else None,
            "closed_at": round_.closed_at.isoformat() if round_.closed_at else None,
        },
        "turnout": result["turnout"],
        "ballots": result["ballots"],
        "eligible_voters": result["eligible_voters"],
        "proposals": [
            {
                "id": int(p["id"]),
                "title": p["name"],
                "cost_grosze": p["cost"],
                "score": p["score"],
                "votes": p["votes"],
                "rank": p["rank"],
                "selected": p["selected"],
                "reason": p["reason"],
                **({"no": p["no"]} if "no" in p else {}),
            }
            for p in result["tally"]["projects"]
        ],
        "winners": [int(w) for w in result["tally"]["winners"]],
        "ties": result["tally"]["ties"],
        "result": result,
        "ballots_sha256": round_.ballots_sha256,
        "result_sha256": round_.result_sha256,
    }


def voting_opened_at(round_: Round) -> datetime | None:
    """When voting really opened: the audit log's phase change (by hand or by the schedule), else the
    scheduled date."""
    events = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "round.phase_changed",
                                    AuditEvent.subject_type == Round.__tablename__,
                                    AuditEvent.subject_id == round_.id)
        .order_by(AuditEvent.id)
    ).all()
    opened = [e.created_at for e in events if (e.data or {}).get("new") == Phase.VOTING]
    return opened[-1] if opened else round_.voting_starts_at


def protocol_context(round_: Round) -> dict:
    return {
        "round": round_,
        "voting_opened_at": voting_opened_at(round_),
        "results": display.results(round_),
        "selection_rules": display.selection_rules(round_),
        "local": local,
    }
