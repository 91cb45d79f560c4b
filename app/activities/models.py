"""Activities in the centre's calendar, the places they use, volunteer roles, sign-ups and room requests.

Times are stored in UTC and shown in Europe/Warsaw.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.db import Model, UTCDateTime, utcnow
from app.proposals.models import Proposal


class ActivityStatus(StrEnum):
    PLANNED = "planned"
    HELD = "held"
    CANCELLED = "cancelled"


class SignupStatus(StrEnum):
    REGISTERED = "registered"
    WAITLISTED = "waitlisted"
    CANCELLED = "cancelled"


class RequestStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    DECLINED = "declined"


class Place(Model):
    """A room or space of the centre (moderator-managed list)."""

    __tablename__ = "places"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120), unique=True)
    description: Mapped[str] = mapped_column(sa.String(500), default="")
    capacity: Mapped[int | None] = mapped_column()
    position: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)


class Activity(Model):
    __tablename__ = "activities"
    __table_args__ = (
        sa.CheckConstraint("status IN ('planned', 'held', 'cancelled')", name="status_known"),
        sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        sa.CheckConstraint("capacity IS NULL OR capacity > 0", name="capacity_positive"),
        sa.Index("ix_activities_place_time", "place_id", "starts_at", "ends_at"),
        sa.Index("ix_activities_starts_at", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("proposals.id", ondelete="SET NULL"), index=True
    )
    # Activities created together as a weekly series share a series id.
    series_id: Mapped[str | None] = mapped_column(sa.String(32), index=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    description_html: Mapped[str] = mapped_column(sa.Text, default="")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    place_id: Mapped[int] = mapped_column(sa.ForeignKey("places.id", ondelete="RESTRICT"))
    capacity: Mapped[int | None] = mapped_column()
    open_to_all: Mapped[bool] = mapped_column(default=True)
    coordinator_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(sa.String(12), default=ActivityStatus.PLANNED)
    cancel_reason: Mapped[str | None] = mapped_column(sa.String(500))
    report: Mapped[str | None] = mapped_column(sa.Text)
    report_html: Mapped[str | None] = mapped_column(sa.Text)
    attendance: Mapped[int | None] = mapped_column()
    # RFC 5545 SEQUENCE: bumped on every change calendar clients must notice.
    sequence: Mapped[int] = mapped_column(default=0)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    place: Mapped[Place] = relationship()
    proposal: Mapped[Proposal | None] = relationship()
    coordinator: Mapped[User | None] = relationship(foreign_keys=[coordinator_id])
    roles: Mapped[list[VolunteerRole]] = relationship(
        back_populates="activity", order_by="VolunteerRole.id", cascade="all, delete-orphan"
    )


class VolunteerRole(Model):
    __tablename__ = "volunteer_roles"
    __table_args__ = (sa.CheckConstraint("slots > 0", name="slots_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(sa.ForeignKey("activities.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    slots: Mapped[int] = mapped_column(default=1)

    activity: Mapped[Activity] = relationship(back_populates="roles")


class Signup(Model):
    """A resident attending (role_id NULL) or volunteering in a role."""

    __tablename__ = "signups"
    __table_args__ = (
        sa.CheckConstraint("status IN ('registered', 'waitlisted', 'cancelled')", name="status_known"),
        # One live sign-up per person as participant, and per person per role.
        sa.Index(
            "uq_signups_participant",
            "activity_id",
            "user_id",
            unique=True,
            sqlite_where=sa.text("role_id IS NULL AND status != 'cancelled'"),
            postgresql_where=sa.text("role_id IS NULL AND status != 'cancelled'"),
        ),
        sa.Index(
            "uq_signups_volunteer",
            "activity_id",
            "user_id",
            "role_id",
            unique=True,
            sqlite_where=sa.text("role_id IS NOT NULL AND status != 'cancelled'"),
            postgresql_where=sa.text("role_id IS NOT NULL AND status != 'cancelled'"),
        ),
        sa.Index("ix_signups_activity_status", "activity_id", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(sa.ForeignKey("activities.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role_id: Mapped[int | None] = mapped_column(sa.ForeignKey("volunteer_roles.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(sa.String(12), default=SignupStatus.REGISTERED)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User | None] = relationship()
    role: Mapped[VolunteerRole | None] = relationship()
    activity: Mapped[Activity] = relationship()


class RoomRequest(Model):
    """A resident's (or local organisation's) request to use a space for their own initiative."""

    __tablename__ = "room_requests"
    __table_args__ = (
        sa.CheckConstraint("status IN ('pending', 'approved', 'declined')", name="status_known"),
        sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    requester_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    organisation: Mapped[str] = mapped_column(sa.String(200), default="")
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    place_id: Mapped[int] = mapped_column(sa.ForeignKey("places.id", ondelete="RESTRICT"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expected_people: Mapped[int | None] = mapped_column()
    open_to_all: Mapped[bool] = mapped_column(default=True)
    status: Mapped[str] = mapped_column(sa.String(10), default=RequestStatus.PENDING, index=True)
    decline_reason: Mapped[str | None] = mapped_column(sa.String(500))
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    activity_id: Mapped[int | None] = mapped_column(sa.ForeignKey("activities.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    requester: Mapped[User | None] = relationship(foreign_keys=[requester_id])
    place: Mapped[Place] = relationship()
