"""Realistic test data, hostile by default: markup, Polish diacritics, very long words."""

from __future__ import annotations

import itertools

from app.auth.models import Role, User, VerificationMethod
from app.auth.passwords import hash_password
from app.db import utcnow

PASSWORD = "spokojny-kot-na-kozlowce"
HOSTILE_NAME = "Zażółć <script>alert('x')</script> Gęślą"
_PASSWORD_HASH = None
_counter = itertools.count(1)


def password_hash() -> str:
    global _PASSWORD_HASH
    if _PASSWORD_HASH is None:
        _PASSWORD_HASH = hash_password(PASSWORD)
    return _PASSWORD_HASH


class UserFactory:
    """``users.make(role="moderator")``; ``users.resident()``, ``users.unverified()`` …"""

    def __init__(self, session):
        self.session = session

    def make(
        self,
        role: str = Role.RESIDENT,
        verified: bool = True,
        email_verified: bool = True,
        name: str | None = None,
        email: str | None = None,
        locale: str = "pl",
    ) -> User:
        n = next(_counter)
        user = User(
            email=email or f"osoba{n}@kozlowka.example",
            display_name=name or f"{HOSTILE_NAME} {n}"[:80],
            password_hash=password_hash(),
            role=role,
            locale=locale,
            email_verified_at=utcnow() if email_verified else None,
        )
        if verified:
            user.resident_verified_at = utcnow()
            user.resident_verification_method = VerificationMethod.IN_PERSON
        self.session.add(user)
        self.session.commit()
        return user

    def resident(self, **kw) -> User:
        return self.make(Role.RESIDENT, **kw)

    def unverified(self, **kw) -> User:
        return self.make(Role.RESIDENT, verified=False, **kw)

    def moderator(self, **kw) -> User:
        return self.make(Role.MODERATOR, **kw)

    def steering(self, **kw) -> User:
        return self.make(Role.STEERING, **kw)

    def admin(self, **kw) -> User:
        return self.make(Role.ADMIN, **kw)

    def front_desk(self, name: str | None = None, **columns) -> User:
        """A resident registered in person at the front desk: verified, no e-mail, no password yet."""
        user = self.make(Role.RESIDENT, email_verified=False, name=name)
        user.email = None
        user.password_hash = ""
        for key, value in columns.items():
            setattr(user, key, value)
        self.session.commit()
        return user

    def for_role(self, role: str) -> User | None:
        """The six roles of the permission matrix; ``anonymous`` gives None."""
        return {
            "anonymous": lambda: None,
            "unverified": self.unverified,
            "resident": self.resident,
            "moderator": self.moderator,
            "steering": self.steering,
            "admin": self.admin,
        }[role]()
