"""What the open-data page lists."""

from __future__ import annotations

import sqlalchemy as sa

from app.phases.models import Phase, Round


def closed_rounds() -> sa.Select:
    return (
        sa.select(Round)
        .where(Round.phase.in_([Phase.CLOSED, Phase.ARCHIVED]), Round.result.is_not(None))
        .order_by(Round.closed_at.desc(), Round.id.desc())
    )
