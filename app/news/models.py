"""News posts ("Aktualności")."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.activities.models import Activity
from app.auth.models import User
from app.db import Model, UTCDateTime, utcnow
from app.phases.models import Round
from app.proposals.models import Proposal


class NewsPost(Model):
    __tablename__ = "news_posts"
    __table_args__ = (sa.CheckConstraint("language IN ('pl', 'uk', 'en')", name="language_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    body: Mapped[str] = mapped_column(sa.Text)
    body_html: Mapped[str] = mapped_column(sa.Text)
    # The language the resident wrote it in (pages mark it with lang= when it differs from theirs).
    language: Mapped[str] = mapped_column(sa.String(5), default="pl", server_default="pl")
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    round_id: Mapped[int | None] = mapped_column(sa.ForeignKey("rounds.id", ondelete="SET NULL"))
    proposal_id: Mapped[int | None] = mapped_column(sa.ForeignKey("proposals.id", ondelete="SET NULL"))
    activity_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("activities.id", ondelete="SET NULL"), index=True
    )
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    author: Mapped[User | None] = relationship()
    round: Mapped[Round | None] = relationship()
    proposal: Mapped[Proposal | None] = relationship()
    activity: Mapped[Activity | None] = relationship()
