"""Former accounts: one its owner deleted is anonymised in place (``app.privacy``), its e-mail address
replaced by one in a domain that cannot exist, so that lists and sign-in can tell it apart."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.auth.models import User

DELETED_DOMAIN = "deleted.invalid"


def is_former(user: User | None) -> bool:
    """An account whose owner deleted it (anonymised in place)."""
    return user is not None and (user.email or "").endswith("@" + DELETED_DOMAIN)
