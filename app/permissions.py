"""Permission decisions: small pure predicates return a ``Decision`` with a reason when denied.

Services call ``require(decision)``; templates only ask (``{% if can_x(user) %}``).
"""

from __future__ import annotations

from dataclasses import dataclass

from app.errors import NotAllowed


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
