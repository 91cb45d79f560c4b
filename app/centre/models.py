"""The centre's own settings: one record, edited by an administrator."""

from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Model, UTCDateTime, one_of, utcnow

THE_ONLY_ID = 1


class Compliance(enum.StrEnum):
    FULL = "full"
    PARTIAL = "partial"
    NONE = "none"


class CentreSettings(Model):
    __tablename__ = "centre_settings"
    __table_args__ = (
        sa.CheckConstraint(f"id = {THE_ONLY_ID}", name="single_record"),
        sa.CheckConstraint(one_of("compliance", Compliance), name="compliance_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False, default=THE_ONLY_ID)
    name: Mapped[str] = mapped_column(sa.String(200))
    street: Mapped[str] = mapped_column(sa.String(200))
    postcode: Mapped[str] = mapped_column(sa.String(6))
    city: Mapped[str] = mapped_column(sa.String(100))
    opening_hours: Mapped[str] = mapped_column(sa.Text)
    phone: Mapped[str] = mapped_column(sa.String(40))
    email: Mapped[str] = mapped_column(sa.String(254))
    # The accessibility statement (ustawa z 4 kwietnia 2019 r. o dostępności cyfrowej).
    compliance: Mapped[str] = mapped_column(sa.String(10))
    statement_published_on: Mapped[date] = mapped_column(sa.Date)
    statement_updated_on: Mapped[date] = mapped_column(sa.Date)
    assessment: Mapped[str] = mapped_column(sa.Text)
    accessibility_contact: Mapped[str] = mapped_column(sa.String(200))
    accessibility_phone: Mapped[str] = mapped_column(sa.String(40))
    accessibility_email: Mapped[str] = mapped_column(sa.String(254))
    entrance: Mapped[str] = mapped_column(sa.Text)
    lift: Mapped[str] = mapped_column(sa.Text)
    toilet: Mapped[str] = mapped_column(sa.Text)
    parking: Mapped[str] = mapped_column(sa.Text)
    assistance_dog: Mapped[str] = mapped_column(sa.Text)
    sign_language: Mapped[str] = mapped_column(sa.Text)
    # Who runs the centre (residents, NGOs, the city), for the centre's page.
    run_by: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
