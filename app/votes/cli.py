"""``flask votes ...`` commands.  ``votes_cli`` is registered on the app by the application."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import NoReturn

import click
from flask.cli import AppGroup

from app.votes.tally import (
    CRITERIA,
    EQUAL_SHARES,
    GREEDY,
    PabulibError,
    Rule,
    format_money,
    parse_pabulib,
    tally,
)

votes_cli = AppGroup("votes", help="Participatory-budgeting votes: tally and inspect results.")

RULE_CHOICES = {
    "greedy": Rule(GREEDY),
    "equal-shares": Rule(EQUAL_SHARES),
    "equal-shares-add1": Rule(EQUAL_SHARES, completion="add1"),
    "equal-shares-add1-comparison": Rule(EQUAL_SHARES, completion="add1", compare_with_greedy=True),
}


DEDUPE_HELP = ("Count a project that an approval vote names twice once, and say in how many votes "
               "(by default such a file is refused; ranked and cumulative votes always are).")


def _units(grosze: int) -> int | float:
    """Grosze as a JSON number in the file's currency units (exact for whole units)."""
    return grosze // 100 if grosze % 100 == 0 else float(format_money(grosze))


def refuse(file: Path, error: PabulibError | str) -> NoReturn:
    """One line on stderr naming the file, the section, the line and the reason; exit status 2."""
    click.echo(f"{file.name}: {error}", err=True)
    sys.exit(2)


def _tie_break(value: str | None) -> tuple[str, ...] | None:
    if value is None:
        return None
    criteria = tuple(c.strip() for c in value.split(",") if c.strip())
    unknown = [c for c in criteria if c not in CRITERIA]
    if unknown or not criteria:
        raise click.BadParameter(f"use a comma-separated list of {', '.join(CRITERIA)}")
    return criteria


@votes_cli.command("tally", with_appcontext=False)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--rule",
    type=click.Choice(sorted(RULE_CHOICES)),
    default=None,
    help="Counting rule; defaults to the file's META rule.",
)
@click.option(
    "--tie-break",
    default=None,
    help="Comma-separated criteria, e.g. more_top_ranks,lower_cost,more_voters,lot. "
    "Default: more_top_ranks first for ordinal files, then lower_cost,more_voters,lot.",
)
@click.option("--seed", default=None, help="Seed of the lot (default: META seed or empty).")
@click.option("--explain", is_flag=True, help="Add per-project outcomes and round details.")
@click.option("--dedupe-votes", is_flag=True, help=DEDUPE_HELP)
def tally_command(
    file: Path, rule: str | None, tie_break: str | None, seed: str | None, explain: bool, dedupe_votes: bool
) -> None:
    """Tally a Pabulib FILE.pb and print the result as JSON."""
    tie_break_policy = _tie_break(tie_break)
    try:
        parsed = parse_pabulib(
            file, rule=RULE_CHOICES[rule] if rule else None, tie_break=tie_break_policy, seed=seed,
            dedupe_votes=dedupe_votes,
        )
    except PabulibError as error:
        refuse(file, error)
    result = tally(parsed.election)
    out = {
        "file": file.name,
        "rule": rule or parsed.rule_text,
        "selected": list(result.winners),
        "budget": _units(result.budget) if result.budget is not None else None,
        "budget_used": _units(result.budget_used),
        "ties": [t.to_dict() for t in result.ties],
        "tie_break": list(result.tie_break),
    }
    if "rule_assumed" in result.details:
        out["rule_assumed"] = result.details["rule_assumed"]
    if dedupe_votes:
        out["votes_deduplicated"] = parsed.votes_deduplicated
    if parsed.selected is not None:
        out["official_selected"] = list(parsed.selected)
        out["matches_official"] = set(parsed.selected) == set(result.winners)
    if explain:
        full = result.to_dict()
        out["projects"] = full["projects"]
        out["rounds"] = full["rounds"]
        out["details"] = full["details"]
    click.echo(json.dumps(out, ensure_ascii=False, sort_keys=True, indent=2))
