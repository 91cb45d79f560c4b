"""Permission decisions: small pure predicates return a ``Decision`` with a reason when denied.

Services call ``require(decision)``; templates only ask (``{% if can_x(user) %}``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from app.errors import NotAllowed

STAFF_ROLES = ("moderator", "admin")


class Actor(Protocol):
    """Who acts, as the layers below the accounts see a person (``app.auth.models.User`` is one)."""

    @property
    def id(self) -> int: ...

    @property
    def role(self) -> str: ...


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: object = None  # a lazy translatable string when denied

    def __bool__(self) -> bool:
        return self.allowed


ALLOW = Decision(True)


def deny(reason) -> Decision:
    return Decision(False, reason)


def require(decision: Decision) -> None:
    if not decision:
        raise NotAllowed(decision.reason)


def signed_in(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def is_staff(user) -> bool:
    """Moderators and administrators (administrators can do what moderators do)."""
    return signed_in(user) and user.role in STAFF_ROLES


def is_verified_resident(user) -> bool:
    return signed_in(user) and user.is_verified_resident
