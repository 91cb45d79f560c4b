"""Whole numbers and record ids as people and clients type them: the one place that reads them.

ASCII digits only: ``"²".isdigit()`` is True but ``int("²")`` raises, and ``int("١٢٣")`` reads Arabic-Indic
digits, so both are refused rather than stored. Ids lie in the range both databases can hold (PostgreSQL's
``integer``), so a huge number is "not found" instead of an overflow in the query.
"""

from __future__ import annotations

import re

ID_MIN = 1
ID_MAX = 2**31 - 1

_DIGITS = re.compile(r"[0-9]{1,18}")


def parse_whole(text: str | None) -> int | None:
    """ "12" → 12; surrounding spaces allowed; anything but 1–18 ASCII digits → None."""
    if not isinstance(text, str):
        return None
    text = text.strip()
    return int(text) if _DIGITS.fullmatch(text) else None


def parse_id(text: str | None) -> int | None:
    """A record id within the database's range, or None."""
    value = parse_whole(text)
    return value if value is not None and ID_MIN <= value <= ID_MAX else None

