"""Złoty as people type them, and back: the one parser and formatter for money inputs (integer grosze)."""

from __future__ import annotations

import re

_SPACES = re.compile(r"[\s\u00a0\u202f']")
_CURRENCY = re.compile(r"(zł|zl|pln)$", re.IGNORECASE)
# re.ASCII: \d is 0-9 only; Arabic-Indic "١٢٣" or superscript "²" are refused, never read as numbers.
_AMOUNT = re.compile(r"^(\d{1,3}(?:\.\d{3})+|\d{1,3}(?:,\d{3})+|\d{1,40})(?:[.,](\d{1,2}))?$", re.ASCII)
_AMOUNT_NO_COMMA_GROUPS = re.compile(r"^(\d{1,3}(?:\.\d{3})+|\d{1,40})(?:[.,](\d{1,2}))?$", re.ASCII)


def parse_zloty(text: str | None, *, comma_groups: bool = True) -> int | None:
    """ "1 234,50", "1234.50", "1.234,50", "1 234 zł" → grosze; empty → None; anything else → ValueError
    (negative amounts included: callers say what is wrong in their own words).

    ``comma_groups`` reads "12,345" as 12 345 zł (English thousands); without it that ambiguous text
    is refused, as the round settings form does for budgets.
    """
    cleaned = _CURRENCY.sub("", _SPACES.sub("", text or "")).strip()
    if not cleaned:
        return None
    match = (_AMOUNT if comma_groups else _AMOUNT_NO_COMMA_GROUPS).match(cleaned)
    if not match:
        raise ValueError(text)
    whole = int(re.sub(r"[.,]", "", match.group(1)))
    return whole * 100 + int((match.group(2) or "0").ljust(2, "0"))


def zloty_input(grosze: int | None) -> str:
    """Grosze back into the text of a złoty input ("1234,50"; whole amounts without decimals)."""
    if grosze is None:
        return ""
    whole, fraction = divmod(grosze, 100)
    return f"{whole},{fraction:02d}" if fraction else str(whole)
