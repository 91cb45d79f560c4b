"""Write an :class:`Election` as a Pabulib ``.pb`` file, which :func:`parse_pabulib` reads back."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from .model import CUMULATIVE, GREEDY, ApprovalBallot, CumulativeBallot, Election, OrdinalBallot
from .pabulib_rules import rule_to_text
from .pabulib_text import format_money

_LIMIT_KEYS = ("min_length", "max_length", "max_sum_cost", "min_sum_points", "max_sum_points", "max_points",
               "seed", "min_project_score_threshold")


def meta_rows(election: Election, meta: dict[str, str] | None) -> list[tuple[str, str]]:
    """The META rows of ``election``: ``meta``'s own rows, with what the election says put right."""
    rows = dict(meta or {})
    lim = election.limits
    rows.update(
        num_projects=str(len(election.projects)),
        num_votes=str(len(election.ballots)),
        vote_type=election.kind,
        rule=rule_to_text(election.rule),
        tie_break=",".join(election.tie_break),
    )
    if election.budget is not None:
        rows["budget"] = format_money(election.budget)
    for key in _LIMIT_KEYS:
        rows.pop(key, None)
    if election.rule.name == GREEDY and election.rule.min_score is not None:
        rows["min_project_score_threshold"] = str(election.rule.min_score)
    if lim.min_choices:
        rows["min_length"] = str(lim.min_choices)
    if lim.max_choices is not None:
        rows["max_length"] = str(lim.max_choices)
    if lim.max_total_cost is not None:
        rows["max_sum_cost"] = format_money(lim.max_total_cost)
    if lim.min_points:
        rows["min_sum_points"] = str(lim.min_points)
    if lim.max_points is not None:
        rows["max_sum_points"] = str(lim.max_points)
    if lim.max_points_per_project is not None:
        rows["max_points"] = str(lim.max_points_per_project)
    if election.seed:
        rows["seed"] = election.seed
    return list(rows.items())


def write_pabulib(
    election: Election,
    *,
    meta: dict[str, str] | None = None,
    selected: Iterable[str] | None = None,
    voter_ids: Iterable[str] | None = None,
) -> str:
    """The ``.pb`` text of ``election`` (LF line endings); :func:`parse_pabulib` reads it back
    into an equal :class:`Election`.  ``selected`` adds a ``selected`` column."""
    if election.score_depth is not None:
        raise ValueError("score_depth is not representable; set limits.max_choices instead")
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", lineterminator="\n")
    buf.write("META\n")
    w.writerow(["key", "value"])
    w.writerows(meta_rows(election, meta))
    buf.write("PROJECTS\n")
    chosen = set(selected) if selected is not None else None
    w.writerow(["project_id", "cost", "name"] + (["selected"] if chosen is not None else []))
    for p in election.projects:
        row = [p.id, format_money(p.cost), p.name]
        if chosen is not None:
            row.append("1" if p.id in chosen else "0")
        w.writerow(row)
    buf.write("VOTES\n")
    cumulative = election.kind == CUMULATIVE
    w.writerow(["voter_id", "vote"] + (["points"] if cumulative else []))
    ids = list(voter_ids) if voter_ids is not None else [str(i) for i in range(1, len(election.ballots) + 1)]
    if len(ids) != len(election.ballots):
        raise ValueError("one voter id per ballot is needed")
    for vid, ballot in zip(ids, election.ballots, strict=True):
        if isinstance(ballot, CumulativeBallot):
            w.writerow([vid, ",".join(p for p, _ in ballot.points),
                        ",".join(str(n) for _, n in ballot.points)])
        elif isinstance(ballot, OrdinalBallot):
            w.writerow([vid, ",".join(ballot.ranking)])
        elif isinstance(ballot, ApprovalBallot):
            w.writerow([vid, ",".join(ballot.projects)])
        else:
            raise ValueError("yes/no ballots have no Pabulib form")
    return buf.getvalue()
