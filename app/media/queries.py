"""Reading pictures: a subject's pictures in order, and the covers of a whole list in one query."""

from __future__ import annotations

import sqlalchemy as sa

from app.db import db
from app.media.models import Image


def pictures_of(kind: str, subject_id: int) -> sa.Select:
    """Cover first, then in the order they were added."""
    return (
        sa.select(Image)
        .where(Image.subject_kind == kind, Image.subject_id == subject_id)
        .order_by(Image.is_cover.desc(), Image.position, Image.id)
    )


def count_of(kind: str, subject_id: int) -> int:
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(Image)
        .where(Image.subject_kind == kind, Image.subject_id == subject_id)
    ) or 0


def pictures_for_page(kind: str, subject) -> list[Image]:
    """A subject's pictures for its page, cover first (hidden ones too: the page shows the reason)."""
    return list(db.session.scalars(pictures_of(kind, getattr(subject, "id", subject))))


def covers(kind: str, subjects) -> dict[int, Image]:
    """``{subject id: cover}`` for the subjects of a list (objects with ``id``, or ids); hidden covers
    are left out. One query for the whole list."""
    ids = [getattr(subject, "id", subject) for subject in subjects or ()]
    if not ids:
        return {}
    rows = db.session.scalars(
        sa.select(Image).where(Image.subject_kind == kind, Image.subject_id.in_(ids), Image.is_cover,
                               Image.hidden_at.is_(None))
    )
    return {image.subject_id: image for image in rows}


def cover(kind: str, subject) -> Image | None:
    return covers(kind, [subject]).get(getattr(subject, "id", subject))


def uses_of(name: str) -> sa.Select:
    """The pictures that use the file ``name`` (as either size)."""
    return sa.select(Image).where(sa.or_(Image.card_name == name, Image.page_name == name))
