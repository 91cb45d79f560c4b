"""Word-level differences between two versions of a text, as accessible <ins>/<del> HTML (no JS).

``difflib.SequenceMatcher`` is quadratic or worse on texts that repeat a few words, and a body may have
20 000 characters, so the work is capped: the common beginning and end are set aside first (an edit
usually touches a small part), what remains is compared word by word while that stays within a budget
of word pairs, then line by line, and a part still too large is shown removed and added as a whole.
The result is always a correct difference (the old text is the kept and removed parts, the new text the
kept and added parts); only its detail decreases on large, very repetitive changes.
"""

from __future__ import annotations

import difflib
import re

from flask_babel import gettext as _
from markupsafe import Markup, escape

_TOKENS = re.compile(r"\s+|[^\s]+")

# Word pairs compared word by word for one text, in all: a few tenths of a second in the worst case
# (about 100 ns a pair when the text repeats a few words), enough for a long paragraph changed throughout.
WORD_BUDGET = 2_000_000
# Line pairs compared line by line (lines are far fewer than words).
LINE_LIMIT = 250_000

EQUAL, DELETE, INSERT = "equal", "delete", "insert"


def _tokens(text: str) -> list[str]:
    return _TOKENS.findall(text or "")


def _common_ends(a: list[str], b: list[str]) -> tuple[int, int]:
    """How many tokens a and b share at their start and (not overlapping it) at their end."""
    limit = min(len(a), len(b))
    head = 0
    while head < limit and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < limit - head and a[-1 - tail] == b[-1 - tail]:
        tail += 1
    return head, tail


class _Differ:
    def __init__(self) -> None:
        self.budget = WORD_BUDGET
        self.parts: list[tuple[str, str]] = []  # (EQUAL | DELETE | INSERT, text)

    def add(self, op: str, tokens: list[str]) -> None:
        if not tokens:
            return
        text = "".join(tokens)
        if self.parts and self.parts[-1][0] == op:
            self.parts[-1] = (op, self.parts[-1][1] + text)
        else:
            self.parts.append((op, text))

    def replace(self, a: list[str], b: list[str]) -> None:
        self.add(DELETE, a)
        self.add(INSERT, b)

    def compare(self, a: list[str], b: list[str], *, by_lines: bool = True) -> None:
        head, tail = _common_ends(a, b)
        self.add(EQUAL, a[:head])
        middle_a, middle_b = a[head:len(a) - tail], b[head:len(b) - tail]
        if not middle_a or not middle_b:
            self.replace(middle_a, middle_b)
        elif len(middle_a) * len(middle_b) <= self.budget:
            self.budget -= len(middle_a) * len(middle_b)
            self._by_words(middle_a, middle_b)
        elif by_lines:
            self._by_lines(middle_a, middle_b)
        else:
            self.replace(middle_a, middle_b)
        self.add(EQUAL, a[len(a) - tail:])

    def _by_words(self, a: list[str], b: list[str]) -> None:
        matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            if op == "equal":
                self.add(EQUAL, a[i1:i2])
            else:
                self.replace(a[i1:i2], b[j1:j2])

    def _by_lines(self, a: list[str], b: list[str]) -> None:
        lines_a = "".join(a).splitlines(keepends=True)
        lines_b = "".join(b).splitlines(keepends=True)
        if len(lines_a) * len(lines_b) > LINE_LIMIT or (len(lines_a) == 1 and len(lines_b) == 1):
            self.replace(a, b)
            return
        matcher = difflib.SequenceMatcher(None, lines_a, lines_b, autojunk=False)
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            if op == "equal":
                self.add(EQUAL, lines_a[i1:i2])
            else:  # compare the changed lines word by word, as far as the budget goes
                self.compare(_tokens("".join(lines_a[i1:i2])), _tokens("".join(lines_b[j1:j2])),
                             by_lines=False)


def diff_parts(old: str, new: str) -> list[tuple[str, str]]:
    """The difference as ("equal" | "delete" | "insert", text) parts, in the order of the texts."""
    differ = _Differ()
    differ.compare(_tokens(old), _tokens(new))
    return differ.parts


def word_diff(old: str, new: str) -> Markup:
    """The new text with removed words in <del> and added words in <ins>; each change is labelled
    for screen readers, since the colours and strike-through alone say nothing to them."""
    removed, added = escape(_("removed:")), escape(_("added:"))
    end = escape(_("end of change"))
    parts: list[str] = []
    for op, text in diff_parts(old, new):
        if op == EQUAL:
            parts.append(str(escape(text)))
        elif op == DELETE:
            parts.append(f'<del><span class="visually-hidden">[{removed}]</span>'
                         f'{escape(text)}<span class="visually-hidden">[{end}]</span></del>')
        else:
            parts.append(f'<ins><span class="visually-hidden">[{added}]</span>'
                         f'{escape(text)}<span class="visually-hidden">[{end}]</span></ins>')
    return Markup("".join(parts))  # noqa: S704 (every piece of user text above is escaped)


def changed(old, new) -> bool:
    return (old or "") != (new or "")
