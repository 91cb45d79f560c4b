"""`flask votes import-pabulib FILE.pb` (in `app.rounds.cli`): a real Pabulib file becomes a closed round.

Its projects become accepted proposals, its votes anonymous ballots (no voter, no receipt), and the
round is then closed by the same step as any other round, so the result, hashes and recount are the
platform's own.
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from app.audit.services import record
from app.db import db
from app.phases.models import BallotKind, Phase, Round, Rule, Secrecy
from app.proposals.models import Proposal, Status
from app.rounds.services import advance_phase
from app.text import fold, render_markdown
from app.votes import counting
from app.votes import tally as engine
from app.votes.models import Ballot, Channel, Participation


def _settings(parsed: engine.PabulibFile) -> dict:
    election = parsed.election
    limits = election.limits
    rule = election.rule
    return {
        "ballot_kind": election.kind,
        "rule": rule.name if rule.name != engine.YES_NO_RULE else Rule.RANKING,
        "budget_grosze": election.budget,
        "min_choices": limits.min_choices or None,
        "max_choices": election.score_depth if election.kind == BallotKind.ORDINAL else limits.max_choices,
        "max_ballot_cost_grosze": limits.max_total_cost,
        "points_total": limits.max_points,
        "points_per_proposal": limits.max_points_per_project,
        "ranking_top_n": rule.top_n,
        # A greedy file's threshold (greedy-threshold) has no round setting: the platform counts greedy.
        "ranking_threshold": rule.min_score if rule.name == engine.RANKING else None,
        "equal_shares_completion": (
            None if not rule.completion else ("add1-comparison" if rule.compare_with_greedy else "add1")
        ),
        "tie_break": list(election.tie_break),
    }


def import_pabulib(path: Path, title: str | None = None) -> Round:
    parsed = engine.parse_pabulib(path)
    meta = parsed.meta
    description = meta.get("description", "")
    round_ = Round(
        title=title or description or path.stem,
        description=f"Imported from the Pabulib file `{path.name}`. {description}".strip(),
        phase=Phase.VOTING,
        secrecy=Secrecy.SECRET,
        imported_from=path.name[:200],
        **_settings(parsed),
    )
    round_.description_html = render_markdown(round_.description)
    db.session.add(round_)
    db.session.flush()

    ids = {}
    for project in parsed.election.projects:
        name = project.name or parsed.project_columns.get(project.id, {}).get("name") or project.id
        proposal = Proposal(
            round_id=round_.id, title=name[:200], body=f"Pabulib project {project.id}.",
            body_html=f"<p>Pabulib project {project.id}.</p>", search_text=fold(name),
            cost_grosze=project.cost, status=Status.ACCEPTED, imported=True,
        )
        db.session.add(proposal)
        db.session.flush()
        ids[project.id] = str(proposal.id)

    def renumber(ballot: engine.Ballot) -> engine.Ballot:
        if isinstance(ballot, engine.ApprovalBallot):
            return engine.ApprovalBallot(tuple(ids[p] for p in ballot.projects))
        if isinstance(ballot, engine.OrdinalBallot):
            return engine.OrdinalBallot(tuple(ids[p] for p in ballot.ranking))
        if isinstance(ballot, engine.CumulativeBallot):
            return engine.CumulativeBallot(tuple((ids[p], n) for p, n in ballot.points))
        return engine.YesNoBallot(tuple((ids[p], a) for p, a in ballot.answers))

    ballots = parsed.election.ballots
    db.session.execute(sa.insert(Ballot), [
        {"round_id": round_.id, "choices": counting.to_stored_choices(renumber(b))} for b in ballots
    ])
    db.session.execute(sa.insert(Participation), [
        {"round_id": round_.id, "user_id": None, "channel": Channel.ONLINE} for _ in ballots
    ])
    record(None, "round.imported_from_pabulib", round_, file=path.name, ballots=len(ballots))
    db.session.commit()
    return advance_phase(None, round_.id, Phase.VOTING, seed=parsed.election.seed or None, imported=True)
