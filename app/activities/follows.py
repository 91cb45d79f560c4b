"""Activities can be followed (``app.notifications``): their titles and pages."""

from __future__ import annotations

import sqlalchemy as sa
from flask import url_for

from app.activities.models import Activity
from app.db import db


def followable(ids: list[int]) -> dict[int, tuple[str, str]]:
    rows = db.session.execute(sa.select(Activity.id, Activity.title).where(Activity.id.in_(ids)))
    return {aid: (title, url_for("activities.show", activity_id=aid)) for aid, title in rows}
