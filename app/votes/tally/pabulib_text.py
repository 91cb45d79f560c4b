"""The text of a Pabulib file: its numbers, its sections and the ``;``-separated tables in them.

https://pabulib.org/format: a file has the sections ``META``, ``PROJECTS`` and ``VOTES``, each a
``;``-separated table under a header row.  Line numbers are 1-based, in the whole file.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from operator import itemgetter

from .pabulib_errors import PabulibError

SECTIONS = ("meta", "projects", "votes")

# Numbers --------------------------------------------------------------------------------------


def number(text: str) -> Decimal:
    """A finite decimal number; a comma is accepted as the decimal separator."""
    value_text = text.strip()
    try:
        value = Decimal(value_text.replace(",", "."))
    except InvalidOperation:
        raise PabulibError("not_a_number", value=value_text) from None
    if not value.is_finite():
        raise PabulibError("not_finite", value=value_text)
    return value


def to_grosze(text: str) -> int:
    """``"1925834.77"`` -> ``192583477`` exactly; a comma is accepted as decimal separator.

    Raises :class:`PabulibError` (a ``ValueError``) for anything else."""
    value = number(text) * 100
    if value != value.to_integral_value():
        raise PabulibError("grosz_fraction", value=text.strip())
    return int(value)


def whole(text: str) -> int:
    """A whole number written as digits (``"3"``, ``" 3 "``, ``"3.0"``); anything else is refused."""
    value = number(text)
    if value != value.to_integral_value():
        raise PabulibError("not_whole", value=text.strip())
    return int(value)


def format_money(grosze: int) -> str:
    """Grosze as the file's currency units: ``192583477`` -> ``"1925834.77"``, 100 -> ``"1"``."""
    sign = "-" if grosze < 0 else ""
    units, cents = divmod(abs(grosze), 100)
    return f"{sign}{units}" if cents == 0 else f"{sign}{units}.{cents:02d}"


# Sections -------------------------------------------------------------------------------------

_TITLE = re.compile(r"^[ \t]*(meta|projects|votes)[ \t]*$", re.IGNORECASE | re.MULTILINE)


@dataclass(frozen=True, slots=True)
class Section:
    """A section's text below its title line; ``first`` is the file line number of that text."""

    name: str
    text: str
    first: int

    def lines(self) -> list[tuple[int, str]]:
        """The non-blank lines, with their line numbers in the file."""
        return [(self.first + n, line) for n, line in enumerate(self.text.split("\n"))
                if line and not line.isspace()]

    def error(self, code: str, line: int | None = None, column: str | None = None,
              key: str | None = None, **params: object) -> PabulibError:
        return PabulibError(code, section=self.name, line=line, column=column, key=key, **params)


def _capital_titles(text: str) -> list[tuple[str, int, int]] | None:
    """Fast path: each title written once, in capitals, on a line of its own (as Pabulib does)."""
    padded = f"\n{text}\n"
    marks = []
    for key in SECTIONS:
        line = f"\n{key.upper()}\n"
        if padded.count(line) != 1:
            return None
        at = padded.index(line)  # the title starts at ``at`` in ``text`` (one newline was added)
        marks.append((key, at, at + len(key)))
    return sorted(marks, key=itemgetter(1))


def sections(text: str) -> dict[str, Section]:
    """Each section by name; every one of META, PROJECTS and VOTES must be there, once."""
    marks = _capital_titles(text)
    if marks is None:
        marks = [(m.group(1).lower(), m.start(), m.end()) for m in _TITLE.finditer(text)]
    seen: set[str] = set()
    for key, start, _end in marks:
        if key in seen:
            raise PabulibError("second_section", line=text.count("\n", 0, start) + 1, name=key.upper())
        seen.add(key)
    for key in SECTIONS:
        if key not in seen:
            raise PabulibError("no_section", name=key.upper())
    out = {}
    for n, (key, _start, end) in enumerate(marks):
        stop = marks[n + 1][1] if n + 1 < len(marks) else len(text)
        body = text[end:stop]
        first = text.count("\n", 0, end) + 1
        if body.startswith("\n"):
            body, first = body[1:], first + 1
        out[key] = Section(key, body, first)
    return out


# Tables ---------------------------------------------------------------------------------------


def header(cells: list[str]) -> list[str]:
    """A header row's column names; a trailing separator adds no column."""
    names = [h.strip() for h in cells]
    while names and not names[-1]:
        names.pop()
    return names


def split_rows(lines: list[str], fail: Callable[[int], PabulibError]) -> list[list[str]]:
    """The cells of each line (``;``-separated, ``"``-quoted as in CSV).

    A quote that is not closed on its line is refused (``fail(index of the line)``): a quoted cell
    never runs into the next line.  A cell that goes on after its closing quote (``"Odkupmy" i my``,
    a real project name) reads as CSV readers and pabutools read it: ``Odkupmy i my``.
    """
    try:
        rows = list(csv.reader(lines, delimiter=";", strict=True))
        if len(rows) == len(lines):
            return rows
    except csv.Error:
        pass
    rows = []
    for n, line in enumerate(lines):
        # A line whose quotes close has a row of its own before the sentinel line "x".
        read = list(csv.reader([line, "x"], delimiter=";"))
        if len(read) != 2:
            raise fail(n)
        rows.append(read[0])
    return rows


def check_width(row: list[str], width: int, section: Section, line: int) -> None:
    """A row must have its header's cells: fewer is refused, and more unless the extra ones are empty
    (trailing separators).  ``line``: the row's line number in the file."""
    if len(row) < width or (len(row) > width and any(cell.strip() for cell in row[width:])):
        raise section.error("no_separator" if len(row) == 1 < width else "cell_count", line,
                            cells=len(row), width=width)


def table(section: Section, required: tuple[str, ...]) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header and the rows (with their line numbers) of a small section, checked for shape."""
    numbered = section.lines()
    if not numbered:
        raise section.error("empty_section")
    rows = split_rows([line for _, line in numbered],
                      lambda n: section.error("unclosed_quote", numbered[n][0]))
    names = header(rows[0])
    for name in required:
        if name not in names:
            raise section.error("missing_column", numbered[0][0], name=name)
    width = len(names)
    out = []
    for (number_, _), row in zip(numbered[1:], rows[1:], strict=True):
        check_width(row, width, section, number_)
        out.append((number_, row[:width]))
    return names, out
