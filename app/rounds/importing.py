"""`flask votes import-pabulib FILE.pb` (in `app.rounds.cli`): a real Pabulib file becomes a closed round.

Its projects become accepted proposals, its votes anonymous ballots (no voter, no receipt), and the
round is then closed by the same step as any other round, so the result, hashes and recount are the
platform's own.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

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


def _settings(parsed: engine.PabulibFile) -> dict[str, Any]:
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
        "ranking_threshold": rule.min_score if rule.name == engine.RANKING else None,
        "equal_shares_completion": (
            None if not rule.completion else ("add1-comparison" if rule.compare_with_greedy else "add1")
        ),
        "tie_break": list(election.tie_break),
    }


def _counted_as(parsed: engine.PabulibFile) -> str:
    """What the round's count differs in from the file's own rule, said in the description."""
    rule = parsed.election.rule
    said = ""
    if parsed.votes_deduplicated:
        said = (f"{parsed.votes_deduplicated} approval vote(s) named a project twice: it was counted once "
                f"(--dedupe-votes). ")
    if rule.assumed:
        return f"{said}The file's rule: {rule.assumed}. "
    return said


def _greedy_options(rule: engine.Rule, ids: dict[str, str]) -> dict[str, object] | None:
    """The file's variant of the greedy rule (Pabulib `greedy-threshold`, `greedy-no-skip`,
    `greedy-exclusive`, withdrawn projects), with the file's project ids turned into proposal ids."""
    if rule.name != engine.GREEDY:
        return None
    options: dict[str, object] = {
        "min_score": rule.min_score,
        "no_skip": rule.no_skip,
        "exclusive_groups": [[int(ids[pid]) for pid in group] for group in rule.exclusive_groups],
        "withdrawn": [int(ids[pid]) for pid in rule.withdrawn],
    }
    kept = {key: value for key, value in options.items() if value not in (None, False, [])}
    return kept or None


def import_pabulib(path: Path, title: str | None = None, *, dedupe_votes: bool = False) -> Round:
    """Read ``path`` (:class:`~app.votes.tally.PabulibError` if it cannot be read) and import it."""
    return import_parsed(engine.parse_pabulib(path, dedupe_votes=dedupe_votes), path, title)


def import_parsed(parsed: engine.PabulibFile, path: Path, title: str | None = None) -> Round:
    """A closed round of the file's projects and votes, counted by the platform."""
    meta = parsed.meta
    description = meta.get("description", "")
    round_ = Round(
        title=title or description or path.stem,
        description=f"Imported from the Pabulib file `{path.name}`. {_counted_as(parsed)}{description}"
        .strip(),
        phase=Phase.VOTING,
        secrecy=Secrecy.SECRET,
        imported_from=path.name[:200],
        **_settings(parsed),
    )
    round_.description_html = render_markdown(round_.description)
    db.session.add(round_)
    db.session.flush()

    ids: dict[str, str] = {}
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
    round_.greedy_options = _greedy_options(parsed.election.rule, ids)

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
