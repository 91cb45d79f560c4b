"""Proposals can be followed (``app.notifications``): the titles and pages of public ones."""

from __future__ import annotations

import sqlalchemy as sa
from flask import url_for

from app.db import db
from app.proposals.models import Proposal
from app.proposals.queries import is_public


def followable(ids: list[int]) -> dict[int, tuple[str, str]]:
    rows = db.session.execute(sa.select(Proposal.id, Proposal.title).where(Proposal.id.in_(ids), is_public()))
    return {pid: (title, url_for("proposals.show", proposal_id=pid)) for pid, title in rows}
