"""Read and write Pabulib (``.pb``) files.

A file has sections ``META``, ``PROJECTS`` and ``VOTES``; each is a ``;``-separated table with a
header row (the format: https://pabulib.org/format).  What real files vary in is accepted: CR, LF or
CRLF line endings, a UTF-8 byte-order mark, trailing separators, spaces (no-break spaces too) around
ids and numbers, quoted fields, and a comma or a dot in a whole amount.  Anything else that does not
read as the format says raises :class:`PabulibError`, naming the section, the line (1-based, in the
whole file) and the column: a file is never read with a guess.  Project ids are case-sensitive.

Money is parsed with :class:`Decimal` into integer grosze, exactly.
"""

from __future__ import annotations

import csv
import functools
import gc
import io
import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
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
from .ties import CRITERIA

#: Tie-break used for ordinal files: more first places, then more second places ... (this is
#: how Kraków's regulation breaks ties), then the default policy.
ORDINAL_TIE_BREAK = ("more_top_ranks", *DEFAULT_TIE_BREAK)

_SECTIONS = ("meta", "projects", "votes")
_KINDS = (APPROVAL, CHOOSE_ONE, ORDINAL, CUMULATIVE)
_RULE_NAMES = ("greedy, greedy-threshold, greedy-no-skip, greedy-exclusive, greedy-custom, unknown, "
               "equalshares, equalshares-comparison, equalshares/add1, equalshares/add1-comparison")

#: The add1 completion's step per voter, in hundredths of the file's currency, by META ``currency``:
#: one unit of the currency (1 zł, 1 €, 1 $ ...), but 100 Ft for forints, whose unit is worth about a
#: hundredth of the others (Budapest 2024 would need hundreds of thousands of steps of 1 Ft).
COMPLETION_STEPS = {"HUF": 10_000}

#: "If the cost is exactly 999999999, treat it as a sentinel value: it usually means the project was
#: admitted to the ballot but later could not be implemented" (https://pabulib.org/format, PROJECTS).
WITHDRAWN_COST = 999_999_999 * 100  # in grosze
DEFAULT_COMPLETION_STEP = 100

#: What a rule the engine cannot follow exactly is counted with, and why (the result says so).
#: https://pabulib.org/format: ``unknown`` -- "either the information is not available, or there
#: were multiple possibilities"; ``greedy-custom`` -- "special cases that do not fit the standard
#: algorithms ... the specific logic ... is usually explained in the comment field"; ``greedy-exclusive``
#: -- greedy with "conflicting project groups", which the format records only in the comment.
ASSUMED_RULES = {
    "unknown": "the file's rule is unknown: counted with greedy, the default",
    "greedy-custom": "not supported: greedy-custom (the file's comment describes its own logic); "
                     "counted with greedy",
    "greedy-exclusive": "greedy-exclusive: the file names no groups of mutually exclusive projects "
                        "(the format leaves them to the comment); counted with greedy, without groups",
}


class PabulibError(ValueError):
    """A Pabulib file that cannot be read as it stands: where, and what was expected.

    ``str()`` gives one line, e.g. ``VOTES, line 214, column "vote": project "17" is not in
    PROJECTS``.  ``reason`` is the part after the colon.
    """

    def __init__(self, reason: str, *, section: str | None = None, line: int | None = None,
                 column: str | None = None) -> None:
        self.reason, self.section, self.line, self.column = reason, section, line, column
        super().__init__(reason)

    def __str__(self) -> str:
        where = [part for part in (
            self.section.upper() if self.section else None,
            f"line {self.line}" if self.line else None,
            f'column "{self.column}"' if self.column else None,
        ) if part]
        return f"{', '.join(where)}: {self.reason}" if where else self.reason


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


def _number(text: str) -> Decimal:
    """A finite decimal number; a comma is accepted as the decimal separator."""
    try:
        value = Decimal(text.strip().replace(",", "."))
    except InvalidOperation:
        raise ValueError(f"{text.strip()!r} is not a number") from None
    if not value.is_finite():
        raise ValueError(f"{text.strip()!r} is not a finite number")
    return value


def to_grosze(text: str) -> int:
    """``"1925834.77"`` -> ``192583477`` exactly; a comma is accepted as decimal separator."""
    value = _number(text) * 100
    if value != value.to_integral_value():
        raise ValueError(f"{text.strip()!r} has fractions of a grosz")
    return int(value)


def _whole(text: str) -> int:
    """A whole number written as digits (``"3"``, ``" 3 "``, ``"3.0"``); anything else is refused."""
    value = _number(text)
    if value != value.to_integral_value():
        raise ValueError(f"{text.strip()!r} is not a whole number")
    return int(value)


def format_money(grosze: int) -> str:
    """Grosze as the file's currency units: ``192583477`` -> ``"1925834.77"``, 100 -> ``"1"``."""
    sign = "-" if grosze < 0 else ""
    whole, cents = divmod(abs(grosze), 100)
    return f"{sign}{whole}" if cents == 0 else f"{sign}{whole}.{cents:02d}"


def rule_from_text(text: str, threshold: int | None = None, currency: str = "PLN") -> Rule:
    """Map a META ``rule`` (https://pabulib.org/format lists them) to the engine's :class:`Rule`.

    ``threshold`` is META ``min_project_score_threshold``: the format makes it a condition of every
    greedy variant ("even if a project fits within the available budget, it will not be selected
    unless it meets this threshold"); ``greedy-threshold`` requires it.  ``currency`` chooses the add1
    step (:data:`COMPLETION_STEPS`).  ``unknown``, ``greedy-custom`` and ``greedy-exclusive`` without
    groups are counted with greedy and say so (:data:`ASSUMED_RULES`).
    """
    t = text.strip().lower()
    if t in ("greedy", "greedy-threshold", "greedy-no-skip", *ASSUMED_RULES):
        if t == "greedy-threshold" and threshold is None:
            raise ValueError("rule greedy-threshold needs min_project_score_threshold in META")
        return Rule(GREEDY, min_score=threshold, no_skip=t == "greedy-no-skip", assumed=ASSUMED_RULES.get(t))
    if t in ("equalshares", "equalshares/add1", "equalshares/add1-comparison", "equalshares/comparison",
             "equalshares-comparison"):
        return Rule(
            EQUAL_SHARES,
            completion="add1" if "add1" in t else None,
            completion_step=COMPLETION_STEPS.get(currency.strip().upper(), DEFAULT_COMPLETION_STEP),
            compare_with_greedy="comparison" in t,
        )
    raise ValueError(f"rule {text.strip()!r} is not supported; supported: {_RULE_NAMES}")


def rule_to_text(rule: Rule) -> str:
    """Inverse of :func:`rule_from_text`."""
    if rule.name == GREEDY:
        if rule.no_skip:
            return "greedy-no-skip"
        if rule.exclusive_groups:
            return "greedy-exclusive"
        return "greedy-threshold" if rule.min_score is not None else "greedy"
    if rule.name == EQUAL_SHARES:
        text = "equalshares"
        if rule.completion == "add1":
            text += "/add1"
            if rule.compare_with_greedy:
                text += "-comparison"
        elif rule.compare_with_greedy:
            text += "-comparison"
        return text
    raise ValueError(f"rule {rule.name!r} has no Pabulib name")


# Sections -------------------------------------------------------------------------------------

_HEADER = re.compile(r"^[ \t]*(meta|projects|votes)[ \t]*$", re.IGNORECASE | re.MULTILINE)


@dataclass(frozen=True, slots=True)
class _Section:
    """A section's text below its title line; ``first`` is the file line number of that text."""

    name: str
    text: str
    first: int

    def lines(self) -> list[tuple[int, str]]:
        """The non-blank lines, with their line numbers in the file."""
        return [(self.first + n, line) for n, line in enumerate(self.text.split("\n"))
                if line and not line.isspace()]

    def error(self, reason: str, line: int | None = None, column: str | None = None) -> PabulibError:
        return PabulibError(reason, section=self.name, line=line, column=column)


def _capital_titles(text: str) -> list[tuple[str, int, int]] | None:
    """Fast path: each title written once, in capitals, on a line of its own (as Pabulib does)."""
    padded = f"\n{text}\n"
    marks = []
    for key in _SECTIONS:
        line = f"\n{key.upper()}\n"
        if padded.count(line) != 1:
            return None
        at = padded.index(line)  # the title starts at ``at`` in ``text`` (one newline was added)
        marks.append((key, at, at + len(key)))
    return sorted(marks, key=itemgetter(1))


def _sections(text: str) -> dict[str, _Section]:
    """Each section by name; every one of META, PROJECTS and VOTES must be there, once."""
    marks = _capital_titles(text)
    if marks is None:
        marks = [(m.group(1).lower(), m.start(), m.end()) for m in _HEADER.finditer(text)]
    seen: set[str] = set()
    for key, start, _end in marks:
        if key in seen:
            raise PabulibError(f"a second {key.upper()} section", line=text.count("\n", 0, start) + 1)
        seen.add(key)
    for key in _SECTIONS:
        if key not in seen:
            raise PabulibError(f"the file has no {key.upper()} section")
    out = {}
    for n, (key, _start, end) in enumerate(marks):
        stop = marks[n + 1][1] if n + 1 < len(marks) else len(text)
        body = text[end:stop]
        first = text.count("\n", 0, end) + 1
        if body.startswith("\n"):
            body, first = body[1:], first + 1
        out[key] = _Section(key, body, first)
    return out


def _header(cells: list[str]) -> list[str]:
    names = [h.strip() for h in cells]
    while names and not names[-1]:
        names.pop()  # a trailing separator
    return names


def _table(section: _Section, required: tuple[str, ...]) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header and the rows (with their line numbers) of a small section, checked for shape."""
    numbered = section.lines()
    if not numbered:
        raise section.error("the section is empty: a header row is expected")
    try:
        rows = list(csv.reader([line for _, line in numbered], delimiter=";", strict=True))
    except csv.Error:
        rows = []
    if len(rows) != len(numbered):  # a quoted field ran over the end of its line
        raise section.error(_BAD_QUOTE, _unclosed_quote(numbered))
    header = _header(rows[0])
    for name in required:
        if name not in header:
            raise section.error(f'the column "{name}" is missing from the header', numbered[0][0])
    width = len(header)
    out = []
    for (number, _), row in zip(numbered[1:], rows[1:], strict=True):
        if len(row) > width and any(cell.strip() for cell in row[width:]):
            raise section.error(f"{len(row)} cells, but the header has {width}", number)
        if len(row) < width:
            raise section.error(f"{len(row)} cells, but the header has {width}", number)
        out.append((number, row[:width]))
    return header, out


_BAD_QUOTE = "a quote is not closed, or a cell goes on after its closing quote"


def _unclosed_quote(numbered: list[tuple[int, str]]) -> int | None:
    return next((number for number, line in numbered if line.count('"') % 2), None)


# META -----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Meta:
    values: dict[str, str]
    lines: dict[str, int]
    section: _Section

    def get(self, key: str) -> str:
        value = self.values.get(key, "").strip()
        return "" if value.lower() == "none" else value

    def convert(self, key: str, convert):
        """``convert(value)`` for a present value, else None; a bad value names its line."""
        value = self.get(key)
        if not value:
            return None
        try:
            result = convert(value)
        except ValueError as exc:
            raise self.section.error(f"{key}: {exc}", self.lines[key], "value") from None
        if result < 0:
            raise self.section.error(f"{key} cannot be negative", self.lines[key], "value")
        return result

    def fail(self, key: str, reason: str) -> PabulibError:
        return self.section.error(reason, self.lines.get(key), "value")


def _meta(section: _Section) -> _Meta:
    header, rows = _table(section, ())
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
        min_choices=meta.convert("min_length", _whole) or 0,
        max_choices=meta.convert("max_length", _whole),
        max_total_cost=meta.convert("max_sum_cost", to_grosze),
        min_points=meta.convert("min_sum_points", _whole) or 0,
        max_points=meta.convert("max_sum_points", _whole),
        max_points_per_project=meta.convert("max_points", _whole),
    )


# PROJECTS -------------------------------------------------------------------------------------


def _projects(section: _Section, meta: _Meta):
    header, rows = _table(section, ("project_id", "cost"))
    ip, ic = header.index("project_id"), header.index("cost")
    iname = header.index("name") if "name" in header else None
    isel = header.index("selected") if "selected" in header else None
    columns: dict[str, dict[str, str]] = {}
    projects: list[Project] = []
    selected: list[str] | None = [] if isel is not None else None
    for number, row in rows:
        pid = row[ip].strip()
        if not pid:
            raise section.error("the project id is missing", number, "project_id")
        if pid in columns:
            raise section.error(f'project "{pid}" is listed twice', number, "project_id")
        if not row[ic].strip():
            raise section.error(f'project "{pid}" has no cost', number, "cost")
        try:
            cost = to_grosze(row[ic])
        except ValueError as exc:
            raise section.error(str(exc), number, "cost") from None
        if cost < 0:
            raise section.error("a cost cannot be negative", number, "cost")
        columns[pid] = dict(zip(header, row, strict=True))
        projects.append(Project(pid, cost, row[iname] if iname is not None else ""))
        if selected is not None and row[isel].strip() == "1":
            selected.append(pid)
    declared = meta.convert("num_projects", _whole)
    if declared is not None and declared != len(projects):
        raise meta.fail("num_projects", f"num_projects is {declared}, but PROJECTS lists {len(projects)}")
    return projects, columns, selected


# VOTES ----------------------------------------------------------------------------------------


_BLANK_LINE = re.compile(r"\n[ \t\xa0]*\n")


@functools.cache
def _exact_cells(width: int, needed: int) -> re.Pattern:
    """A line of exactly ``width`` cells; the groups are its first ``needed`` cells."""
    cell = r"[^;\n]*"
    groups = [f"({cell})"] * needed + [cell] * (width - needed)
    return re.compile("^" + ";".join(groups) + "$", re.MULTILINE)


def _without_trailing_blank_lines(text: str) -> str:
    while text:
        cut = text.rfind("\n")
        if text[cut + 1:].strip():
            break
        text = text[:max(cut, 0)]
    return text


class _Votes:
    """The VOTES rows, read fast (one pass in C for the common two-column file), checked strictly.

    Errors are found on whole columns at once; only then is the offending line looked up.
    """

    def __init__(self, section: _Section, kind: str) -> None:
        self.section = section
        text = section.text
        blank_above = re.match(r"(?:[ \t\xa0]*\n)*", text).end()
        end_of_header = text.find("\n", blank_above)
        if end_of_header < 0:
            end_of_header = len(text)
        header_line = text[blank_above:end_of_header]
        if not header_line.strip():
            raise section.error("the section is empty: a header row is expected")
        header_number = section.first + text.count("\n", 0, blank_above)
        self.header = _header(next(csv.reader([header_line], delimiter=";")))
        for name in ("vote", *(("points",) if kind == CUMULATIVE else ())):
            if name not in self.header:
                raise section.error(f'the column "{name}" is missing from the header', header_number)
        self.iv = self.header.index("vote")
        self.ip = self.header.index("points") if kind == CUMULATIVE else None
        self.iid = self.header.index("voter_id") if "voter_id" in self.header else 0
        self.first = header_number + 1  # the line number of the first vote
        self.numbers: list[int] | None = None
        body = _without_trailing_blank_lines(text[end_of_header + 1:])
        width = len(self.header)
        needed = max(self.iid, self.iv, self.ip or 0) + 1
        rows: list = []
        if body and _BLANK_LINE.search(f"\n{body}\n"):  # blank lines inside: number the others
            kept = [(self.first + n, line) for n, line in enumerate(body.split("\n"))
                    if line and not line.isspace()]
            self.numbers = [n for n, _ in kept]
            body = "\n".join(line for _, line in kept)
        if not body:
            pass
        elif '"' in body or needed == 1:
            lines = body.split("\n")
            try:  # (a file whose first column is the vote comes here too: it is rare)
                rows = list(csv.reader(lines, delimiter=";", strict=True))
            except csv.Error:
                rows = []
            if len(rows) != len(lines):
                raise section.error(_BAD_QUOTE, self.line_of(_unclosed_row(lines)))
        else:
            # The common case in one pass in C: each line has exactly its cells; keep those needed.
            rows = _exact_cells(width, needed).findall(body)
            if len(rows) == body.count("\n") + 1:
                width = needed
            else:  # some line is off: read them all one by one, to say which
                rows = [line.split(";") for line in body.split("\n")]
        if rows and set(map(len, rows)) != {width}:
            for n, row in enumerate(rows):
                if len(row) < width or (len(row) > width and any(c.strip() for c in row[width:])):
                    raise section.error(f"{len(row)} cells, but the header has {width}"
                                        + (" (is a separator missing?)" if len(row) == 1 else ""),
                                        self.line_of(n))
        self.rows = rows

    def column(self, index: int) -> list[str]:
        return list(map(itemgetter(index), self.rows))

    def line_of(self, row: int) -> int:
        return self.numbers[row] if self.numbers is not None else self.first + row


def _unclosed_row(lines: list[str]) -> int:
    return next((n for n, line in enumerate(lines) if line.count('"') % 2), 0)


def _stripped(texts: list[str]) -> list[str]:
    joined = "\n".join(texts)
    if " " in joined or "\t" in joined or "\xa0" in joined:
        return [t.strip() for t in texts]
    return texts


def _items(text: str) -> tuple[str, ...]:
    """``"1,5, 7"`` -> ``("1", "5", "7")``; empty items (a trailing comma) are dropped."""
    items = text.split(",")
    if " " in text or "\t" in text or "\xa0" in text or "" in items:
        return tuple(x.strip() for x in items if x.strip())
    return tuple(items)


def _needs_stripping(joined: str) -> bool:
    return " " in joined or "\t" in joined or "\xa0" in joined


def _has_empty_item(joined: str) -> bool:
    """Some line of ``joined`` (votes, one per line) has an empty item: ``,,`` or a comma at an end."""
    return (",," in joined or "\n," in joined or ",\n" in joined
            or joined.startswith(",") or joined.endswith(","))


def _all_valid(split: list[tuple[str, ...]], kind: str, projects: set[str], limits: BallotLimits) -> bool:
    """Whether every vote passes :func:`_check_vote`, checked on all of them at once."""
    if not set(itertools.chain.from_iterable(split)) <= projects:
        return False
    if sum(map(len, map(set, split))) != sum(map(len, split)):
        return False
    longest = max(map(len, split), default=0)
    if kind == CHOOSE_ONE:
        return longest <= 1 and min(map(len, split), default=1) == 1
    return kind not in (APPROVAL, ORDINAL) or limits.max_choices is None or longest <= limits.max_choices


def _unknown(pid: str, projects: set[str]) -> str:
    same = sorted(p for p in projects if p.lower() == pid.lower())
    hint = f' (ids are case-sensitive: PROJECTS has "{same[0]}")' if same else ""
    return f'project "{pid}" is not in PROJECTS{hint}'


def _check_vote(items: tuple[str, ...], kind: str, projects: set[str], limits: BallotLimits) -> str | None:
    """Why a vote's list of projects breaks the file (None if it does not); an empty vote is blank."""
    for pid in items:
        if pid not in projects:
            return _unknown(pid, projects)
    if len(set(items)) != len(items):
        twice = next(p for p in items if items.count(p) > 1)
        return f'project "{twice}" appears twice in one vote'
    if kind == CHOOSE_ONE and len(items) != 1:
        return f"a choose-1 vote names {len(items)} projects"
    if kind in (APPROVAL, ORDINAL) and limits.max_choices is not None and len(items) > limits.max_choices:
        return f"{len(items)} projects, more than max_length {limits.max_choices}"
    return None


def _ballots(votes: _Votes, kind: str, projects: set[str],
             limits: BallotLimits) -> tuple[tuple[str, ...], tuple[Ballot, ...]]:
    section = votes.section
    voter_ids = _stripped(votes.column(votes.iid))
    if len(set(voter_ids)) != len(voter_ids):
        seen: set[str] = set()
        for n, vid in enumerate(voter_ids):
            if vid in seen:
                raise section.error(f'voter "{vid}" votes twice', votes.line_of(n), "voter_id")
            seen.add(vid)
    texts = votes.column(votes.iv)
    # Identical votes share one (immutable) ballot object, and each distinct vote is checked once:
    # in the common case ("12,5,7" in every row) for all of them at a time.
    distinct = list(set(texts))
    joined = "\n".join(distinct)
    if all(distinct) and not _needs_stripping(joined) and not _has_empty_item(joined):
        split = [tuple(t.split(",")) for t in distinct]
        clean = _all_valid(split, kind, projects, limits)
    else:
        split = [_items(t) for t in distinct]
        clean = False
    items_of = dict(zip(distinct, split, strict=True))
    if not clean:
        for n, text in enumerate(texts):
            reason = _check_vote(items_of[text], kind, projects, limits)
            if reason:
                raise section.error(reason, votes.line_of(n), "vote")
    if kind == CUMULATIVE:
        points = votes.column(votes.ip)
        return tuple(voter_ids), tuple(
            _cumulative(votes, n, items_of[text], cell, limits)
            for n, (text, cell) in enumerate(zip(texts, points, strict=True))
        )
    make = OrdinalBallot if kind == ORDINAL else ApprovalBallot
    cache = {text: make(items) for text, items in items_of.items()}
    return tuple(voter_ids), tuple(map(cache.__getitem__, texts))


def _cumulative(votes: _Votes, row: int, vote: tuple[str, ...], cell: str,
                limits: BallotLimits) -> CumulativeBallot:
    def fail(reason: str) -> PabulibError:
        return votes.section.error(reason, votes.line_of(row), "points")

    items = [x for x in cell.split(",") if x.strip()]
    try:
        pts = [_whole(x) for x in items]
    except ValueError as exc:
        raise fail(f"points must be whole numbers: {exc}") from None
    if len(pts) != len(vote):
        raise fail(f"{len(vote)} projects but {len(pts)} points")
    if any(p < 0 for p in pts):
        raise fail("points cannot be negative")
    if limits.max_points is not None and sum(pts) > limits.max_points:
        raise fail(f"{sum(pts)} points, more than max_sum_points {limits.max_points}")
    if limits.max_points_per_project is not None and max(pts) > limits.max_points_per_project:
        raise fail(f"{max(pts)} points on one project, more than max_points {limits.max_points_per_project}")
    return CumulativeBallot(tuple(zip(vote, pts, strict=True)))


# The whole file -------------------------------------------------------------------------------


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
    Raises :class:`PabulibError` for a file that does not read as the format says.
    """
    if isinstance(source, Path) or "\n" not in source:
        try:
            text = Path(source).read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise PabulibError(f"the file is not UTF-8 text (byte {exc.start})") from None
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


def _tie_break(meta: _Meta, kind: str) -> tuple[str, ...]:
    text = meta.get("tie_break")
    if not text:
        return ORDINAL_TIE_BREAK if kind == ORDINAL else DEFAULT_TIE_BREAK
    criteria = tuple(c.strip() for c in text.split(",") if c.strip())
    unknown = [c for c in criteria if c not in CRITERIA]
    if unknown or not criteria:
        raise meta.fail("tie_break", f"unknown tie_break criterion {', '.join(unknown) or text}; "
                                     f"known: {', '.join(CRITERIA)}")
    return criteria


@_without_gc
def parse_pabulib_text(
    text: str,
    *,
    rule: Rule | None = None,
    tie_break: tuple[str, ...] | None = None,
    seed: str | None = None,
) -> PabulibFile:
    """Parse the text of a ``.pb`` file; see :func:`parse_pabulib`."""
    text = text.lstrip("\ufeff")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise PabulibError("the file holds a NUL byte", line=line)
    sections = _sections(text)
    meta = _meta(sections["meta"])
    kind = meta.get("vote_type").lower()
    if kind not in _KINDS:
        raise meta.fail("vote_type", f"vote_type {kind!r} is not one of {', '.join(_KINDS)}")
    limits = _limits(meta)
    budget = meta.convert("budget", to_grosze)
    rule_text = meta.values.get("rule", "")
    if rule is None:
        threshold = meta.convert("min_project_score_threshold", _whole)
        try:
            rule = rule_from_text(rule_text, threshold, meta.values.get("currency") or "PLN")
        except ValueError as exc:
            raise meta.fail("rule", str(exc)) from None
    if tie_break is None:
        tie_break = _tie_break(meta, kind)
    projects, project_columns, selected = _projects(sections["projects"], meta)
    withdrawn = tuple(p.id for p in projects if p.cost == WITHDRAWN_COST)
    if withdrawn and rule.name == GREEDY and not rule.withdrawn:
        rule = replace(rule, withdrawn=withdrawn)
    votes = _Votes(sections["votes"], kind)
    voter_ids, ballots = _ballots(votes, kind, set(project_columns), limits)
    declared = meta.convert("num_votes", _whole)
    if declared is not None and declared != len(ballots):
        raise meta.fail("num_votes", f"num_votes is {declared}, but VOTES has {len(ballots)} votes")
    try:
        election = Election(
            projects=tuple(projects),
            ballots=ballots,
            kind=kind,
            budget=budget,
            rule=rule,
            limits=limits,
            tie_break=tie_break,
            seed=meta.values.get("seed", "") if seed is None else seed,
        )
    except ValueError as exc:  # e.g. a budget rule without a budget
        raise meta.fail("budget", str(exc)) from None
    return PabulibFile(
        election=election,
        meta=meta.values,
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
        "min_project_score_threshold",
    ):
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
