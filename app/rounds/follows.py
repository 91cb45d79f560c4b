"""Rounds can be followed (``app.notifications``): the titles and pages of published ones."""

from __future__ import annotations

import sqlalchemy as sa
from flask import url_for

from app.db import db
from app.phases.models import Phase, Round


def followable(ids: list[int]) -> dict[int, tuple[str, str]]:
    rows = db.session.execute(
        sa.select(Round.id, Round.title).where(Round.id.in_(ids), Round.phase != Phase.DRAFT))
    return {rid: (title, url_for("rounds.detail", round_id=rid)) for rid, title in rows}
