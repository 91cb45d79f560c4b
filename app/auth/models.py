"""Accounts: users with roles, and one-time residency codes."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Model, UTCDateTime, utcnow


class Role(StrEnum):
    RESIDENT = "resident"
    MODERATOR = "moderator"
    STEERING = "steering"
    ADMIN = "admin"


class VerificationMethod(StrEnum):
    IN_PERSON = "in_person"
    CODE = "code"


class User(UserMixin, Model):
    __tablename__ = "users"
    __table_args__ = (
        sa.CheckConstraint(
            "role IN ('resident', 'moderator', 'steering', 'admin')", name="role_known"
        ),
        sa.CheckConstraint("locale IN ('pl', 'uk', 'en')", name="locale_known"),
        sa.CheckConstraint(
            "resident_verification_method IS NULL "
            "OR resident_verification_method IN ('in_person', 'code')",
            name="verification_method_known",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stored lower-cased, so uniqueness is case-insensitive on every engine. Optional: a resident
    # registered at the front desk may have none (NULLs never collide in a unique constraint).
    email: Mapped[str | None] = mapped_column(sa.String(254), unique=True)
    display_name: Mapped[str] = mapped_column(sa.String(80))
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    role: Mapped[str] = mapped_column(sa.String(16), default=Role.RESIDENT, index=True)
    locale: Mapped[str] = mapped_column(sa.String(5), default="pl")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    email_verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resident_verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    resident_verified_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    resident_verification_method: Mapped[str | None] = mapped_column(sa.String(16))
    # Secret token of the personal calendar feed (what the resident signed up for).
    calendar_token: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    # Part of the login id kept in the session and the remember-me cookie: raising it signs the person
    # out of every browser (sign-out, "sign out everywhere", a new password).
    session_version: Mapped[int] = mapped_column(default=1, server_default="1")
    # Where a resident registered at the front desk lives, and how to reach them (all optional).
    building: Mapped[str | None] = mapped_column(sa.String(10))
    staircase: Mapped[str | None] = mapped_column(sa.String(10))
    flat: Mapped[str | None] = mapped_column(sa.String(10))
    phone: Mapped[str | None] = mapped_column(sa.String(20))

    resident_verified_by: Mapped[User | None] = relationship(remote_side=[id])

    @property
    def is_email_verified(self) -> bool:
        return self.email_verified_at is not None

    @property
    def has_no_unconfirmed_email(self) -> bool:
        """Voting asks an account with an address to confirm it; a front-desk resident has none to confirm
        (a moderator met them in person)."""
        return self.email is None or self.is_email_verified

    @property
    def address_line(self) -> str:
        """Building, staircase and flat as one line ("" when none is known)."""
        return " / ".join(part for part in (self.building, self.staircase, self.flat) if part)

    @property
    def is_verified_resident(self) -> bool:
        return self.resident_verified_at is not None

    def get_id(self) -> str:
        """The login id Flask-Login keeps in the (signed) session and remember-me cookie: the user id and
        the session version, checked on every request, so raising the version ends every session."""
        return f"{self.id}:{self.session_version}"

    def end_sessions(self) -> None:
        """Sign out every browser signed in as this user (the caller commits)."""
        self.session_version = (self.session_version or 1) + 1

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"


class ResidencyCode(Model):
    """A one-time code printed at the centre; only its SHA-256 is stored."""

    __tablename__ = "residency_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    code_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    batch: Mapped[str] = mapped_column(sa.String(32), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    redeemed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    redeemed_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), unique=True
    )

    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    redeemed_by: Mapped[User | None] = relationship(foreign_keys=[redeemed_by_id])
