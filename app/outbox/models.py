"""E-mails written in the same transaction as the change that causes them, sent after commit."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Model, UTCDateTime, utcnow


class OutboxMessage(Model):
    __tablename__ = "outbox_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # No address (a resident without e-mail): the message is kept, never sent, and shown to the person
    # and to the moderators at the front desk.
    recipient: Mapped[str | None] = mapped_column(sa.String(254))
    recipient_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    subject: Mapped[str] = mapped_column(sa.String(200))
    body: Mapped[str] = mapped_column(sa.Text)
    # Extra e-mail headers, such as RFC 8058 List-Unsubscribe and List-Unsubscribe-Post.
    headers: Mapped[dict | None] = mapped_column(sa.JSON)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(sa.Text)

    @property
    def sendable(self) -> bool:
        return self.recipient is not None
