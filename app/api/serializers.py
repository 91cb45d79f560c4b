"""Public fields only: no e-mails, no author names, no drafts, nothing about who voted for what."""

from __future__ import annotations

from datetime import datetime

from flask import url_for

from app.activities.models import Activity
from app.news.models import NewsPost
from app.phases.models import Round
from app.proposals.models import Proposal


def iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def round_(r: Round) -> dict:
    closed = r.result is not None and r.phase in ("closed", "archived")
    return {
        "id": r.id,
        "title": r.title,
        "description": r.description,
        "phase": r.phase,
        "ballot_kind": r.ballot_kind,
        "rule": r.rule,
        "budget_grosze": r.budget_grosze,
        "min_choices": r.min_choices,
        "max_choices": r.max_choices,
        "points_total": r.points_total,
        "points_per_proposal": r.points_per_proposal,
        "tie_break": list(r.tie_break or []),
        "secrecy": r.secrecy,
        "eligibility": r.eligibility,
        "submission_starts_at": iso(r.submission_starts_at),
        "review_starts_at": iso(r.review_starts_at),
        "voting_starts_at": iso(r.voting_starts_at),
        "voting_ends_at": iso(r.voting_ends_at),
        "closed_at": iso(r.closed_at),
        "ballots_sha256": r.ballots_sha256 if closed else None,
        "result_sha256": r.result_sha256 if closed else None,
        "results_url": url_for("api.round_results", round_id=r.id) if closed else None,
    }


def results(r: Round) -> dict:
    data = r.result
    assert data is not None  # only closed rounds are served
    tally = data["tally"]
    return {
        "round_id": r.id,
        "closed_at": iso(r.closed_at),
        "ballot_kind": data["ballot_kind"],
        "rule": data["rule"],
        "budget_grosze": data["budget"],
        "budget_used_grosze": tally["budget_used"],
        "ballots": data["ballots"],
        "eligible_voters": data["eligible_voters"],
        "turnout": {"online": data["turnout"]["online"], "paper": data["turnout"]["paper"]},
        "tie_break": list(data["tie_break"]),
        "seed": data["seed"],
        "winners": [int(w) for w in tally["winners"]],
        "proposals": [
            {
                "id": int(p["id"]),
                "title": p["name"],
                "cost_grosze": p["cost"],
                "score": p["score"],
                "votes": p["votes"],
                "no": p.get("no"),
                "rank": p["rank"],
                "selected": p["selected"],
                "reason": p["reason"],
            }
            for p in tally["projects"]
        ],
        "ties": [
            {
                "proposals": [int(x) for x in t["projects"]],
                "score": t["score"],
                "criterion": t["criterion"],
                "stage": t["stage"],
                "affects_selection": t["affects_selection"],
            }
            for t in tally["ties"]
        ],
        "ballots_sha256": r.ballots_sha256,
        "result_sha256": r.result_sha256,
        "ballots_url": url_for("exports.round_ballots", round_id=r.id, fmt="csv", sep="comma"),
    }


def proposal(p: Proposal) -> dict:
    return {
        "id": p.id,
        "round_id": p.round_id,
        "title": p.title,
        "body": p.body,
        "language": p.language,
        "category": p.category.name if p.category else None,
        "cost_grosze": p.cost_grosze,
        "status": p.status,
        "moderator_answer": p.moderator_answer,
        "pledge_count": p.pledge_count,
        "comment_count": p.comment_count,
        "created_at": iso(p.created_at),
        "submitted_at": iso(p.submitted_at),
        "updated_at": iso(p.updated_at),
    }


def activity(a: Activity) -> dict:
    return {
        "id": a.id,
        "title": a.title,
        "description": a.description,
        "starts_at": iso(a.starts_at),
        "ends_at": iso(a.ends_at),
        "place": a.place.name,
        "status": a.status,
        "capacity": a.capacity,
        "attendance": a.attendance,
        "proposal_id": a.proposal_id,
        "updated_at": iso(a.updated_at),
    }


def news(n: NewsPost) -> dict:
    return {
        "id": n.id,
        "title": n.title,
        "body": n.body,
        "language": n.language,
        "round_id": n.round_id,
        "proposal_id": n.proposal_id,
        "activity_id": n.activity_id,
        "published_at": iso(n.published_at),
        "updated_at": iso(n.updated_at),
    }
