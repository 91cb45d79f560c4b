"""Read Pabulib (``.pb``) files (and, through :mod:`.pabulib_write`, write them).

A file has sections ``META``, ``PROJECTS`` and ``VOTES``; each is a ``;``-separated table with a
header row (the format: https://pabulib.org/format).  What real files vary in is accepted: CR, LF or
CRLF line endings, a UTF-8 byte-order mark, trailing separators, spaces (no-break spaces too) around
ids and numbers, quoted fields, and a comma or a dot in a whole amount.  Anything else that does not
read as the format says raises :class:`PabulibError`, naming the section, the line (1-based, in the
whole file) and the column: a file is never read with a guess.  Project ids are case-sensitive.

Money is parsed with :class:`Decimal` into integer grosze, exactly.  The parts: the text and its
tables (:mod:`.pabulib_text`), the rules (:mod:`.pabulib_rules`), the votes (:mod:`.pabulib_votes`),
the writer (:mod:`.pabulib_write`) and the error (:mod:`.pabulib_errors`).
"""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import ParamSpec, TypeVar

from .model import (
    APPROVAL,
    CHOOSE_ONE,
    CUMULATIVE,
    DEFAULT_TIE_BREAK,
    EQUAL_SHARES,
    GREEDY,
    ORDINAL,
    BallotLimits,
    Election,
    Project,
    Rule,
)
from .pabulib_errors import MESSAGES, PabulibError
from .pabulib_rules import (
    ASSUMED_RULES,
    COMPLETION_STEPS,
    WITHDRAWN_COST,
    rule_from_text,
    rule_to_text,
)
from .pabulib_text import Section, format_money, sections, table, to_grosze, whole
from .pabulib_votes import Votes, ballots
from .pabulib_write import meta_rows, write_pabulib
from .ties import CRITERIA

#: Tie-break used for ordinal files: more first places, then more second places ... (this is
#: how Kraków's regulation breaks ties), then the default policy.
ORDINAL_TIE_BREAK = ("more_top_ranks", *DEFAULT_TIE_BREAK)

_KINDS = (APPROVAL, CHOOSE_ONE, ORDINAL, CUMULATIVE)

__all__ = [
    "ASSUMED_RULES",
    "COMPLETION_STEPS",
    "MESSAGES",
    "ORDINAL_TIE_BREAK",
    "PabulibError",
    "PabulibFile",
    "format_money",
    "meta_rows",
    "parse_pabulib",
    "parse_pabulib_text",
    "rule_from_text",
    "rule_to_text",
    "to_grosze",
    "write_pabulib",
]


@dataclass(frozen=True)
class PabulibFile:
    """A parsed file: the engine input plus everything else the file said."""

    election: Election
    meta: dict[str, str]
    project_columns: dict[str, dict[str, str]]  # all PROJECTS columns, as text, per project id
    voter_ids: tuple[str, ...]
    selected: tuple[str, ...] | None  # ids with selected = 1, in file order; None if no column
    rule_text: str = ""
    votes_deduplicated: int = 0  # approval votes naming a project twice, counted once (dedupe_votes)


# META -----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Meta:
    values: dict[str, str]
    lines: dict[str, int]
    section: Section

    def get(self, key: str) -> str:
        value = self.values.get(key, "").strip()
        return "" if value.lower() == "none" else value

    def convert(self, key: str, convert: Callable[[str], int]) -> int | None:
        """``convert(value)`` for a present value, else None; a bad value names its line."""
        value = self.get(key)
        if not value:
            return None
        try:
            result = convert(value)
        except PabulibError as exc:
            raise exc.at(self.section.name, self.lines[key], "value", key) from None
        if result < 0:
            raise self.fail(key, "negative", key=key)
        return result

    def fail(self, name: str, code: str, key: str | None = None, **params: object) -> PabulibError:
        """Error ``code`` on the line of the META key ``name``; ``key`` prefixes the reason."""
        return PabulibError(code, section=self.section.name, line=self.lines.get(name), column="value",
                            key=key, **params)


def _meta(section: Section) -> _Meta:
    header, rows = table(section, ())
    values: dict[str, str] = {}
    lines: dict[str, int] = {}
    # The header row is "key;value"; files that begin with a key directly are read the same way.
    if header and header[0].lower() != "key":
        rows = [(section.lines()[0][0], header), *rows]
    for number, row in rows:
        key = row[0].strip()
        values[key] = row[1].strip() if len(row) > 1 else ""
        lines[key] = number
    return _Meta(values, lines, section)


def _limits(meta: _Meta) -> BallotLimits:
    return BallotLimits(
        min_choices=meta.convert("min_length", whole) or 0,
        max_choices=meta.convert("max_length", whole),
        max_total_cost=meta.convert("max_sum_cost", to_grosze),
        min_points=meta.convert("min_sum_points", whole) or 0,
        max_points=meta.convert("max_sum_points", whole),
        max_points_per_project=meta.convert("max_points", whole),
    )


def _tie_break(meta: _Meta, kind: str) -> tuple[str, ...]:
    text = meta.get("tie_break")
    if not text:
        return ORDINAL_TIE_BREAK if kind == ORDINAL else DEFAULT_TIE_BREAK
    criteria = tuple(c.strip() for c in text.split(",") if c.strip())
    unknown = [c for c in criteria if c not in CRITERIA]
    if unknown or not criteria:
        raise meta.fail("tie_break", "tie_break", value=", ".join(unknown) or text, known=", ".join(CRITERIA))
    return criteria


def _rule(meta: _Meta) -> Rule:
    threshold = meta.convert("min_project_score_threshold", whole)
    try:
        return rule_from_text(meta.values.get("rule", ""), threshold, meta.values.get("currency") or "PLN")
    except PabulibError as exc:
        raise exc.at(meta.section.name, meta.lines.get("rule"), "value") from None


# PROJECTS -------------------------------------------------------------------------------------


def _projects(section: Section,
              meta: _Meta) -> tuple[list[Project], dict[str, dict[str, str]], list[str] | None]:
    header, rows = table(section, ("project_id", "cost"))
    ip, ic = header.index("project_id"), header.index("cost")
    iname = header.index("name") if "name" in header else None
    isel = header.index("selected") if "selected" in header else None
    columns: dict[str, dict[str, str]] = {}
    projects: list[Project] = []
    selected: list[str] | None = [] if isel is not None else None
    for number, row in rows:
        pid = row[ip].strip()
        if not pid:
            raise section.error("project_id_missing", number, "project_id")
        if pid in columns:
            raise section.error("project_listed_twice", number, "project_id", project=pid)
        if not row[ic].strip():
            raise section.error("no_cost", number, "cost", project=pid)
        try:
            cost = to_grosze(row[ic])
        except PabulibError as exc:
            raise exc.at(section.name, number, "cost", "cost") from None
        if cost < 0:
            raise section.error("negative", number, "cost").at(key="cost")
        columns[pid] = dict(zip(header, row, strict=True))
        projects.append(Project(pid, cost, row[iname] if iname is not None else ""))
        if selected is not None and isel is not None and row[isel].strip() == "1":
            selected.append(pid)
    declared = meta.convert("num_projects", whole)
    if declared is not None and declared != len(projects):
        raise meta.fail("num_projects", "num_projects", declared=declared, count=len(projects))
    return projects, columns, selected


# The whole file -------------------------------------------------------------------------------


def parse_pabulib(
    source: str | Path,
    *,
    rule: Rule | None = None,
    tie_break: tuple[str, ...] | None = None,
    seed: str | None = None,
    dedupe_votes: bool = False,
) -> PabulibFile:
    """Parse a ``.pb`` file (a path, or the text itself if it contains a newline).

    The rule defaults to the file's META ``rule``; the tie-break to META ``tie_break`` if
    present, else :data:`ORDINAL_TIE_BREAK` for ordinal files and the default policy otherwise.
    Raises :class:`PabulibError` for a file that does not read as the format says.  A vote naming
    the same project twice is refused, unless ``dedupe_votes`` is asked for and the votes are approval
    votes: then the project is counted once and ``votes_deduplicated`` says in how many votes.
    """
    if isinstance(source, Path) or "\n" not in source:
        try:
            text = Path(source).read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise PabulibError("not_utf8", byte=exc.start) from None
    else:
        text = source
    return parse_pabulib_text(text, rule=rule, tie_break=tie_break, seed=seed, dedupe_votes=dedupe_votes)


_P = ParamSpec("_P")
_T = TypeVar("_T")


def _without_gc(func: Callable[_P, _T]) -> Callable[_P, _T]:
    """Run ``func`` with the cyclic garbage collector paused: parsing makes many small
    acyclic objects, and repeated collections would cost a third of the time."""

    @functools.wraps(func)
    def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _T:
        enabled = gc.isenabled()
        gc.disable()
        try:
            return func(*args, **kwargs)
        finally:
            if enabled:
                gc.enable()

    return wrapper


@_without_gc
def parse_pabulib_text(
    text: str,
    *,
    rule: Rule | None = None,
    tie_break: tuple[str, ...] | None = None,
    seed: str | None = None,
    dedupe_votes: bool = False,
) -> PabulibFile:
    """Parse the text of a ``.pb`` file; see :func:`parse_pabulib`."""
    text = text.lstrip("\ufeff")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        raise PabulibError("nul_byte", line=text.count("\n", 0, text.index("\x00")) + 1)
    parts = sections(text)
    meta = _meta(parts["meta"])
    kind = meta.get("vote_type").lower()
    if kind not in _KINDS:
        raise meta.fail("vote_type", "vote_type", value=kind, known=", ".join(_KINDS))
    limits = _limits(meta)
    budget = meta.convert("budget", to_grosze)
    if rule is None:
        rule = _rule(meta)
    if budget is None and rule.name in (GREEDY, EQUAL_SHARES):
        raise meta.fail("budget", "budget_needed", value=meta.values.get("rule", "") or rule_to_text(rule))
    if tie_break is None:
        tie_break = _tie_break(meta, kind)
    projects, project_columns, selected = _projects(parts["projects"], meta)
    withdrawn = tuple(p.id for p in projects if p.cost == WITHDRAWN_COST)
    if withdrawn and rule.name == GREEDY and not rule.withdrawn:
        rule = replace(rule, withdrawn=withdrawn)
    voter_ids, votes, deduplicated = ballots(Votes(parts["votes"], kind), kind, set(project_columns), limits,
                                             dedupe_votes)
    declared = meta.convert("num_votes", whole)
    if declared is not None and declared != len(votes):
        raise meta.fail("num_votes", "num_votes", declared=declared, count=len(votes))
    election = Election(
        projects=tuple(projects),
        ballots=votes,
        kind=kind,
        budget=budget,
        rule=rule,
        limits=limits,
        tie_break=tie_break,
        seed=meta.values.get("seed", "") if seed is None else seed,
    )
    return PabulibFile(
        election=election,
        meta=meta.values,
        project_columns=project_columns,
        voter_ids=voter_ids,
        selected=tuple(selected) if selected is not None else None,
        rule_text=meta.values.get("rule", ""),
        votes_deduplicated=deduplicated,
    )
