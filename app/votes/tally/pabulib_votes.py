"""The VOTES section of a Pabulib file, read fast and checked strictly against the file's own limits.

Every vote names projects of PROJECTS (ids are case-sensitive), each once; approval and ordinal votes
are no longer than ``max_length``; choose-1 votes name one project; cumulative points are whole,
not negative, one per project and within ``max_sum_points`` and ``max_points``; no voter votes twice.
A vote that breaks any of these is refused with its line, never dropped or truncated.

One leniency is there to be asked for (``dedupe``), for real files exported with a slip: an approval
vote that names a project more than once approves it, and is counted once; how many votes were changed
is returned.  Other kinds stay refused: which place, or how many points, a ranked or cumulative vote
meant for a repeated project would be a guess.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Sequence
from operator import itemgetter

from .model import (
    APPROVAL,
    CHOOSE_ONE,
    CUMULATIVE,
    ORDINAL,
    ApprovalBallot,
    Ballot,
    BallotLimits,
    CumulativeBallot,
    OrdinalBallot,
)
from .pabulib_errors import PabulibError
from .pabulib_text import Section, check_width, header, split_rows, whole

_BLANK_LINE = re.compile(r"\n[ \t\xa0]*\n")
_BLANK_LINES_ABOVE = re.compile(r"(?:[ \t\xa0]*\n)*")


@functools.cache
def _exact_cells(width: int, needed: int) -> re.Pattern[str]:
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


class Votes:
    """The VOTES rows, read fast (one pass in C for the common two-column file), checked strictly.

    Errors are found on whole columns at once; only then is the offending line looked up.
    """

    def __init__(self, section: Section, kind: str) -> None:
        self.section = section
        text = section.text
        above = _BLANK_LINES_ABOVE.match(text)
        blank_above = above.end() if above else 0
        end_of_header = text.find("\n", blank_above)
        if end_of_header < 0:
            end_of_header = len(text)
        header_line = text[blank_above:end_of_header]
        if not header_line.strip():
            raise section.error("empty_section")
        header_number = section.first + text.count("\n", 0, blank_above)
        self.header = header(split_rows([header_line], lambda _n: section.error(
            "unclosed_quote", header_number))[0])
        for name in ("vote", *(("points",) if kind == CUMULATIVE else ())):
            if name not in self.header:
                raise section.error("missing_column", header_number, name=name)
        self.iv = self.header.index("vote")
        self.ip = self.header.index("points") if kind == CUMULATIVE else 0
        self.iid = self.header.index("voter_id") if "voter_id" in self.header else 0
        self.first = header_number + 1  # the line number of the first vote
        self.numbers: list[int] | None = None
        body = _without_trailing_blank_lines(text[end_of_header + 1:])
        width = len(self.header)
        needed = max(self.iid, self.iv, self.ip) + 1
        rows: Sequence[Sequence[str]] = []
        if body and _BLANK_LINE.search(f"\n{body}\n"):  # blank lines inside: number the others
            kept = [(self.first + n, line) for n, line in enumerate(body.split("\n"))
                    if line and not line.isspace()]
            self.numbers = [n for n, _ in kept]
            body = "\n".join(line for _, line in kept)
        if not body:
            pass
        elif '"' in body or needed == 1:
            # (a file whose first column is the vote comes here too: it is rare)
            rows = split_rows(body.split("\n"), lambda n: section.error("unclosed_quote", self.line_of(n)))
        else:
            # The common case in one pass in C: each line has exactly its cells; keep those needed.
            rows = _exact_cells(width, needed).findall(body)
            if len(rows) == body.count("\n") + 1:
                width = needed
            else:  # some line is off: read them all one by one, to say which
                rows = [line.split(";") for line in body.split("\n")]
        if rows and set(map(len, rows)) != {width}:
            for n, row in enumerate(rows):
                check_width(list(row), width, section, self.line_of(n))
        self.rows = rows

    def column(self, index: int) -> list[str]:
        return list(map(itemgetter(index), self.rows))

    def line_of(self, row: int) -> int:
        return self.numbers[row] if self.numbers is not None else self.first + row


def _stripped(texts: list[str]) -> list[str]:
    if _needs_stripping("\n".join(texts)):
        return [t.strip() for t in texts]
    return texts


def _items(text: str) -> tuple[str, ...]:
    """``"1,5, 7"`` -> ``("1", "5", "7")``; empty items (a trailing comma) are dropped."""
    items = text.split(",")
    if _needs_stripping(text) or "" in items:
        return tuple(x.strip() for x in items if x.strip())
    return tuple(items)


def _needs_stripping(joined: str) -> bool:
    return " " in joined or "\t" in joined or "\xa0" in joined


def _has_empty_item(joined: str) -> bool:
    """Some line of ``joined`` (votes, one per line) has an empty item: ``,,`` or a comma at an end."""
    return (",," in joined or "\n," in joined or ",\n" in joined
            or joined.startswith(",") or joined.endswith(","))


def _all_valid(split: list[tuple[str, ...]], kind: str, projects: set[str], limits: BallotLimits) -> bool:
    """Whether every vote passes :func:`vote_problem`, checked on all of them at once."""
    if not set(itertools.chain.from_iterable(split)) <= projects:
        return False
    if sum(map(len, map(set, split))) != sum(map(len, split)):
        return False
    longest = max(map(len, split), default=0)
    if kind == CHOOSE_ONE:
        return longest <= 1 and min(map(len, split), default=1) == 1
    return kind not in (APPROVAL, ORDINAL) or limits.max_choices is None or longest <= limits.max_choices


def vote_problem(items: tuple[str, ...], kind: str, projects: set[str],
                 limits: BallotLimits) -> PabulibError | None:
    """Why a vote's list of projects breaks the file (None if it does not); an empty vote is blank."""
    for pid in items:
        if pid not in projects:
            same = sorted(p for p in projects if p.lower() == pid.lower())
            if same:
                return PabulibError("unknown_project_case", project=pid, similar=same[0])
            return PabulibError("unknown_project", project=pid)
    if len(set(items)) != len(items):
        return PabulibError("project_twice_in_vote", project=next(p for p in items if items.count(p) > 1))
    if kind == CHOOSE_ONE and len(items) != 1:
        return PabulibError("choose_one", count=len(items))
    if kind in (APPROVAL, ORDINAL) and limits.max_choices is not None and len(items) > limits.max_choices:
        return PabulibError("max_length", count=len(items), max=limits.max_choices)
    return None


def ballots(votes: Votes, kind: str, projects: set[str], limits: BallotLimits,
            dedupe: bool = False) -> tuple[tuple[str, ...], tuple[Ballot, ...], int]:
    """The voter ids and the ballots, in file order, and how many approval votes ``dedupe`` changed;
    the first vote that breaks the file is refused."""
    section = votes.section
    voter_ids = _stripped(votes.column(votes.iid))
    if len(set(voter_ids)) != len(voter_ids):
        seen: set[str] = set()
        for n, vid in enumerate(voter_ids):
            if vid in seen:
                raise section.error("voter_twice", votes.line_of(n), "voter_id", voter=vid)
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
    changed = 0
    if dedupe and kind == APPROVAL and not clean:
        twice = {text for text, items in items_of.items() if len(set(items)) != len(items)}
        for text in twice:
            items_of[text] = tuple(dict.fromkeys(items_of[text]))
        changed = sum(text in twice for text in texts) if twice else 0
    if not clean:
        for n, text in enumerate(texts):
            problem = vote_problem(items_of[text], kind, projects, limits)
            if problem:
                raise problem.at(section.name, votes.line_of(n), "vote")
    if kind == CUMULATIVE:
        points = votes.column(votes.ip)
        return tuple(voter_ids), tuple(
            _cumulative(votes, n, items_of[text], cell, limits)
            for n, (text, cell) in enumerate(zip(texts, points, strict=True))
        ), 0
    make = OrdinalBallot if kind == ORDINAL else ApprovalBallot
    cache: dict[str, Ballot] = {text: make(items) for text, items in items_of.items()}
    return tuple(voter_ids), tuple(map(cache.__getitem__, texts)), changed


def _cumulative(votes: Votes, row: int, vote: tuple[str, ...], cell: str,
                limits: BallotLimits) -> CumulativeBallot:
    def fail(code: str, **params: object) -> PabulibError:
        return votes.section.error(code, votes.line_of(row), "points", key=None, **params)

    items = [x for x in cell.split(",") if x.strip()]
    try:
        pts = [whole(x) for x in items]
    except PabulibError as exc:
        raise fail("points_not_whole", value=exc.params["value"]) from None
    if len(pts) != len(vote):
        raise fail("points_count", projects=len(vote), points=len(pts))
    if any(p < 0 for p in pts):
        raise fail("points_negative")
    if limits.max_points is not None and sum(pts) > limits.max_points:
        raise fail("max_sum_points", total=sum(pts), max=limits.max_points)
    if limits.max_points_per_project is not None and max(pts) > limits.max_points_per_project:
        raise fail("max_points", most=max(pts), max=limits.max_points_per_project)
    return CumulativeBallot(tuple(zip(vote, pts, strict=True)))



