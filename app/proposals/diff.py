"""Word-level differences between two versions of a text, as accessible <ins>/<del> HTML (no JS)."""

from __future__ import annotations

import difflib
import re

from flask_babel import gettext as _
from markupsafe import Markup, escape

_TOKENS = re.compile(r"\s+|[^\s]+")


def _tokens(text: str) -> list[str]:
    return _TOKENS.findall(text or "")


def word_diff(old: str, new: str) -> Markup:
    """The new text with removed words in <del> and added words in <ins>; each change is labelled
    for screen readers, since the colours and strike-through alone say nothing to them."""
    a, b = _tokens(old), _tokens(new)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=len(a) + len(b) > 4000)
    removed, added = escape(_("removed:")), escape(_("added:"))
    end = escape(_("end of change"))
    parts: list[str] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(str(escape("".join(a[i1:i2]))))
            continue
        if op in ("delete", "replace"):
            parts.append(f'<del><span class="visually-hidden">[{removed}]</span>'
                         f'{escape("".join(a[i1:i2]))}<span class="visually-hidden">[{end}]</span></del>')
        if op in ("insert", "replace"):
            parts.append(f'<ins><span class="visually-hidden">[{added}]</span>'
                         f'{escape("".join(b[j1:j2]))}<span class="visually-hidden">[{end}]</span></ins>')
    return Markup("".join(parts))  # noqa: S704 (every piece of user text above is escaped)


def changed(old, new) -> bool:
    return (old or "") != (new or "")
