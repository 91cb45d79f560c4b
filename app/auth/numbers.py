"""The resident number: how a person registered at the front desk without an e-mail address signs in.

It is printed on the sign-in slip and shown on the account page, and it is simply the account's id with
a prefix, so it never changes (a new slip keeps it)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.auth.models import User

PREFIX = "MAM-"
_NUMBER = re.compile(r"^\s*(?:MAM[\s-]*)?(\d{1,9})\s*$", re.IGNORECASE)


def resident_number(user: User) -> str:
    return f"{PREFIX}{user.id}"


def parse_resident_number(text: str) -> int | None:
    """``"MAM-123"``, ``"mam 123"`` or ``"123"`` → 123; anything else (an e-mail address) → None."""
    match = _NUMBER.match(text or "")
    return int(match.group(1)) if match else None
