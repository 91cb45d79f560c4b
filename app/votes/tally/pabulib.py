"""Read and write Pabulib (``.pb``) files.

A file has sections ``META``, ``PROJECTS`` and ``VOTES``; each is a ``;``-separated table with a
header row.  Line endings may be CRLF, LF or mixed.  Money is parsed with :class:`Decimal` into
integer grosze, exactly.
"""

from __future__ import annotations

import csv
import functools
import gc
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from operator import itemgetter
from pathlib import Path

from .model import (
    APPROVAL,
    CHOOSE_ONE,
    CUMULATIVE,
    DEFAULT_TIE_BREAK,
    EQUAL_SHARES,
    GREEDY,
    ORDINAL,
    ApprovalBallot,
    Ballot,
    BallotLimits,
    CumulativeBallot,
    Election,
    OrdinalBallot,
    Project,
    Rule,
)

#: Tie-break used for ordinal files: more first places, then more second places ... (this is
#: how Kraków's regulation breaks ties), then the default policy.
ORDINAL_TIE_BREAK = ("more_top_ranks", *DEFAULT_TIE_BREAK)

_SECTIONS = ("meta", "projects", "votes")
_KINDS = (APPROVAL, CHOOSE_ONE, ORDINAL, CUMULATIVE)


@dataclass(frozen=True)
class PabulibFile:
    """A parsed file: the engine input plus everything else the file said."""

    election: Election
    meta: dict[str, str]
    project_columns: dict[str, dict[str, str]]  # all PROJECTS columns, as text, per project id
    voter_ids: tuple[str, ...]
    selected: tuple[str, ...] | None  # ids with selected = 1, in file order; None if no column
    rule_text: str = ""
    notes: tuple[str, ...] = field(default_factory=tuple)


def to_grosze(text: str) -> int:
    """``"1925834.77"`` -> ``192583477`` exactly; a comma is accepted as decimal separator."""
    try:
        value = Decimal(text.strip().replace(",", ".")) * 100
    except InvalidOperation as exc:
        raise ValueError(f"not an amount of money: {text!r}") from exc
    if value != value.to_integral_value():
        raise ValueError(f"amount has fractions of a grosz: {text!r}")
    return int(value)


def format_money(grosze: int) -> str:
    """Grosze as the file's currency units: ``192583477`` -> ``"1925834.77"``, 100 -> ``"1"``."""
    sign = "-" if grosze < 0 else ""
    whole, cents = divmod(abs(grosze), 100)
    return f"{sign}{whole}" if cents == 0 else f"{sign}{whole}.{cents:02d}"


def rule_from_text(text: str) -> Rule:
    """Map a META ``rule`` (greedy, equalshares, equalshares/add1, .../add1-comparison)."""
    t = text.strip().lower()
    if t == "greedy":
        return Rule(GREEDY)
    if t.startswith("equalshares"):
        return Rule(
            EQUAL_SHARES,
            completion="add1" if "add1" in t else None,
            compare_with_greedy="comparison" in t,
        )
    raise ValueError(f"unsupported rule {text!r}")


def rule_to_text(rule: Rule) -> str:
    """Inverse of :func:`rule_from_text`."""
    if rule.name == GREEDY:
        return "greedy"
    if rule.name == EQUAL_SHARES:
        text = "equalshares"
        if rule.completion == "add1":
            text += "/add1"
            if rule.compare_with_greedy:
                text += "-comparison"
        elif rule.compare_with_greedy:
            text += "/comparison"
        return text
    raise ValueError(f"rule {rule.name!r} has no Pabulib name")


_HEADER = re.compile(r"^[ \t]*(meta|projects|votes)[ \t]*\r?$", re.IGNORECASE | re.MULTILINE)
_VOTE_PAIR = re.compile(r"^([^;\r\n]*);([^;\r\n]*)", re.MULTILINE)


def _find_headers(text: str) -> list[tuple[str, int, int]] | None:
    """Fast path: titles written in capitals at the start of a line (as Pabulib does)."""
    marks = []
    for key in _SECTIONS:
        title = key.upper()
        at = 0 if text.startswith(title) else text.find("\n" + title) + 1
        if at == 0 and not text.startswith(title):
            continue
        end = at + len(title)
        rest = text[end : end + 2]
        if rest[:1] not in ("\r", "\n", ""):
            return None
        marks.append((key, at, end))
    return sorted(marks, key=lambda m: m[1]) if marks else None


def _sections(text: str) -> dict[str, str]:
    """The text of each section (without its title line)."""
    out = dict.fromkeys(_SECTIONS, "")
    marks = _find_headers(text)
    if marks is None or len(marks) < 3:
        marks = [(m.group(1).lower(), m.start(), m.end()) for m in _HEADER.finditer(text)]
    for n, (key, _, end) in enumerate(marks):
        stop = marks[n + 1][1] if n + 1 < len(marks) else len(text)
        out[key] = text[end:stop]
    return out


def _lines(section: str) -> list[str]:
    return [line for line in section.splitlines() if line and not line.isspace()]


def _table(lines: list[str]) -> tuple[list[str], list[list[str]]]:
    if not lines:
        return [], []
    rows = list(csv.reader(lines, delimiter=";"))
    return [h.strip() for h in rows[0]], rows[1:]


def _int_or_none(meta: dict[str, str], key: str) -> int | None:
    value = meta.get(key, "").strip()
    return int(Decimal(value)) if value and value.lower() != "none" else None


def _limits(meta: dict[str, str], kind: str) -> BallotLimits:
    max_cost = meta.get("max_sum_cost", "").strip()
    return BallotLimits(
        min_choices=_int_or_none(meta, "min_length") or 0,
        max_choices=_int_or_none(meta, "max_length"),
        max_total_cost=to_grosze(max_cost) if max_cost and max_cost.lower() != "none" else None,
        min_points=_int_or_none(meta, "min_sum_points") or 0,
        max_points=_int_or_none(meta, "max_sum_points"),
        max_points_per_project=_int_or_none(meta, "max_points"),
    )


def _ballots(section: str, kind: str) -> tuple[tuple[str, ...], tuple[Ballot, ...]]:
    section = section.lstrip()
    first, _, rest = section.partition("\n")
    if not first.strip():
        return (), ()
    header = [h.strip() for h in next(csv.reader([first.strip()], delimiter=";"))]
    iv = header.index("vote")
    ip = header.index("points") if "points" in header else None
    if kind == CUMULATIVE and ip is None:
        raise ValueError("cumulative votes need a points column")
    if '"' in rest:
        rows = list(csv.reader(_lines(rest), delimiter=";"))
    elif iv == 1 and kind != CUMULATIVE:
        rows = _VOTE_PAIR.findall(rest)  # one C-level pass: (voter_id, vote) pairs
    else:
        cut = max(iv, ip or 0) + 1  # split only as far as needed
        rows = [line.split(";", cut) for line in _lines(rest)]
    voter_ids = list(map(itemgetter(0), rows))
    if _needs_stripping("\n".join(voter_ids)):
        voter_ids = [vid.strip() for vid in voter_ids]
    texts = list(map(itemgetter(iv), rows))
    if kind == CUMULATIVE:
        assert ip is not None
        return tuple(voter_ids), tuple(
            _cumulative(vid, text, row[ip])
            for vid, text, row in zip(voter_ids, texts, rows, strict=True)
        )
    make = OrdinalBallot if kind == ORDINAL else ApprovalBallot
    # Identical votes share one (immutable) ballot object. The common case, "12,5,7" in every row,
    # is recognised once for all distinct votes and needs no stripping.
    distinct = list(set(texts))
    joined = "\n".join(distinct)
    if all(distinct) and not _needs_stripping(joined) and not _has_empty_item(joined):
        cache = dict(zip(distinct, map(make, map(tuple, (t.split(",") for t in distinct))), strict=True))
    else:
        cache = {text: make(_ids(text)) for text in distinct}
    ballots = list(map(cache.__getitem__, texts))
    return tuple(voter_ids), tuple(ballots)


def _needs_stripping(joined: str) -> bool:
    return " " in joined or "\t" in joined or "\r" in joined


def _has_empty_item(joined: str) -> bool:
    """Some line of ``joined`` (votes, one per line) has an empty item: ``,,`` or a comma at an end."""
    return (",," in joined or "\n," in joined or ",\n" in joined
            or joined.startswith(",") or joined.endswith(","))


def _cumulative(voter_id: str, text: str, points: str) -> CumulativeBallot:
    vote = _ids(text)
    pts = [int(Decimal(x)) for x in points.split(",") if x.strip()]
    if len(pts) != len(vote):
        raise ValueError(f"voter {voter_id!r}: {len(vote)} projects but {len(pts)} points")
    return CumulativeBallot(tuple(zip(vote, pts, strict=True)))


def _ids(text: str) -> tuple[str, ...]:
    """``"1,5, 7"`` -> ``("1", "5", "7")``; empty items are dropped."""
    items = text.split(",")
    if " " in text or "\t" in text or "" in items:
        return tuple(x.strip() for x in items if x.strip())
    return tuple(items)


def parse_pabulib(
    source: str | Path,
    *,
    rule: Rule | None = None,
    tie_break: tuple[str, ...] | None = None,
    seed: str | None = None,
) -> PabulibFile:
    """Parse a ``.pb`` file (a path, or the text itself if it contains a newline).

    The rule defaults to the file's META ``rule``; the tie-break to META ``tie_break`` if
    present, else :data:`ORDINAL_TIE_BREAK` for ordinal files and the default policy otherwise.
    """
    if isinstance(source, Path) or "\n" not in source:
        text = Path(source).read_bytes().decode("utf-8-sig")  # line endings kept as they are
    else:
        text = source
    return parse_pabulib_text(text, rule=rule, tie_break=tie_break, seed=seed)


def _without_gc(func):
    """Run ``func`` with the cyclic garbage collector paused: parsing makes many small
    acyclic objects, and repeated collections would cost a third of the time."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
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
) -> PabulibFile:
    """Parse the text of a ``.pb`` file; see :func:`parse_pabulib`."""
    sections = _sections(text.lstrip("\ufeff"))
    _, meta_rows = _table(_lines(sections["meta"]))
    meta = {r[0].strip(): (r[1].strip() if len(r) > 1 else "") for r in meta_rows if r}
    kind = meta.get("vote_type", "").strip().lower()
    if kind not in _KINDS:
        raise ValueError(f"unsupported vote_type {kind!r}")
    header, rows = _table(_lines(sections["projects"]))
    project_columns: dict[str, dict[str, str]] = {}
    projects = []
    selected: list[str] | None = [] if "selected" in header else None
    for row in rows:
        cols = dict(zip(header, row, strict=False))
        pid = cols["project_id"].strip()
        project_columns[pid] = cols
        projects.append(Project(pid, to_grosze(cols["cost"]), cols.get("name", "")))
        if selected is not None and cols.get("selected", "").strip() == "1":
            selected.append(pid)
    voter_ids, ballots = _ballots(sections["votes"], kind)
    rule_text = meta.get("rule", "")
    if rule is None:
        rule = rule_from_text(rule_text)
    if tie_break is None:
        if meta.get("tie_break"):
            tie_break = tuple(c.strip() for c in meta["tie_break"].split(","))
        else:
            tie_break = ORDINAL_TIE_BREAK if kind == ORDINAL else DEFAULT_TIE_BREAK
    election = Election(
        projects=tuple(projects),
        ballots=ballots,
        kind=kind,
        budget=to_grosze(meta["budget"]) if meta.get("budget") else None,
        rule=rule,
        limits=_limits(meta, kind),
        tie_break=tie_break,
        seed=meta.get("seed", "") if seed is None else seed,
    )
    return PabulibFile(
        election=election,
        meta=meta,
        project_columns=project_columns,
        voter_ids=voter_ids,
        selected=tuple(selected) if selected is not None else None,
        rule_text=rule_text,
    )


def _meta_rows(election: Election, meta: dict[str, str] | None) -> list[tuple[str, str]]:
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
    for key in (
        "min_length",
        "max_length",
        "max_sum_cost",
        "min_sum_points",
        "max_sum_points",
        "max_points",
        "seed",
    ):
        rows.pop(key, None)
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
    w.writerows(_meta_rows(election, meta))
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
    ids = (
        list(voter_ids)
        if voter_ids is not None
        else [str(i) for i in range(1, len(election.ballots) + 1)]
    )
    if len(ids) != len(election.ballots):
        raise ValueError("one voter id per ballot is needed")
    for vid, ballot in zip(ids, election.ballots, strict=True):
        if isinstance(ballot, CumulativeBallot):
            w.writerow(
                [
                    vid,
                    ",".join(p for p, _ in ballot.points),
                    ",".join(str(n) for _, n in ballot.points),
                ]
            )
        elif isinstance(ballot, OrdinalBallot):
            w.writerow([vid, ",".join(ballot.ranking)])
        elif isinstance(ballot, ApprovalBallot):
            w.writerow([vid, ",".join(ballot.projects)])
        else:
            raise ValueError("yes/no ballots have no Pabulib form")
    return buf.getvalue()
