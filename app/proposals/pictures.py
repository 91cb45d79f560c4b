"""Proposals have pictures (up to 6, one the cover): registered with the media layer."""

from __future__ import annotations

from flask import url_for

from app.db import db
from app.media import Kind, register
from app.proposals import permissions
from app.proposals.models import Proposal

LIMIT = 6


def register_pictures() -> None:
    register(Kind(
        name="proposal", limit=LIMIT, load=lambda subject_id: db.session.get(Proposal, subject_id),
        can_view=permissions.can_view, can_manage=permissions.can_manage_pictures,
        title=lambda proposal: proposal.title,
        url=lambda proposal: url_for("proposals.show", proposal_id=proposal.id),
    ))
