"""Pictures: storing an upload, and what people do with pictures. Each public service checks
permission first, validates, changes, writes the audit event and commits once; helpers only flush.

Other features call ``store`` (through ``add_picture``), ``delete_pictures_of`` when their subject is
deleted, ``forget_uploader`` when an account is deleted and ``personal_pictures`` for the data export.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import IO, Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from werkzeug.datastructures import FileStorage

from app.audit.services import record
from app.db import db, utcnow
from app.errors import Conflict, InvalidInput, NotFound
from app.forms import FORBIDDEN_CHARACTERS
from app.media import queries, storage
from app.media.kinds import Kind, kind_named, subject_of
from app.media.models import ALT_MAX, Image
from app.media.permissions import can_hide
from app.media.pipeline import EMPTY, process, read_limited
from app.permissions import Actor, is_staff, require

REASON_MAX = 500
NO_ALT = _l("Describe the picture in a few words for people who cannot see it.")
ALT_TOO_LONG = _l("Describe the picture in at most %(max)d characters.", max=ALT_MAX)
NO_REASON = _l("Give a reason.")
_SPACES = re.compile(r"\s+")


def clean_alt(alt: str | None) -> str:
    text = _SPACES.sub(" ", FORBIDDEN_CHARACTERS.sub("", alt or "")).strip()
    if not text:
        raise InvalidInput(NO_ALT, field="alt")
    if len(text) > ALT_MAX:
        raise InvalidInput(ALT_TOO_LONG, field="alt")
    return text


def store(upload: FileStorage | IO[bytes] | None, alt: str) -> Image:
    """Decode ``upload`` (a file object or Werkzeug ``FileStorage``), strip it, write its sizes and return
    the picture's record, not yet attached to a subject nor added to the session. Refusals are
    ``InvalidInput`` with a translated message, and then nothing is written."""
    alt = clean_alt(alt)
    if upload is None:
        raise InvalidInput(EMPTY, field="picture")
    sizes = process(read_limited(upload.stream if isinstance(upload, FileStorage) else upload))
    for encoded in sizes.values():
        storage.write(db.session(), encoded.name, encoded.data)
    card, page = sizes["card"], sizes["page"]
    return Image(alt=alt, card_name=card.name, card_width=card.width, card_height=card.height,
                 page_name=page.name, page_width=page.width, page_height=page.height)


def subject_for(actor: Actor | None, kind: Kind, subject_id: int) -> object:
    subject = subject_of(kind, subject_id)
    if not kind.can_view(actor, subject):
        raise NotFound()
    return subject


def require_manage(actor: Actor, image: Image) -> tuple[Kind, object]:
    """The picture's kind and subject, after checking that ``actor`` may manage its pictures."""
    kind = kind_named(image.subject_kind)
    subject = subject_for(actor, kind, image.subject_id)
    require(kind.can_manage(actor, subject))
    return kind, subject


def _full(kind: Kind) -> InvalidInput:
    return InvalidInput(ngettext("You can add at most %(num)d picture here. Remove one to add another.",
                                 "You can add at most %(num)d pictures here. Remove one to add another.",
                                 kind.limit), field="picture")


def attach(image: Image, kind: str, subject_id: int, uploaded_by_id: int | None) -> Image:
    """Give a stored picture its subject, after the subject's other pictures; the first becomes the
    cover. Flushes only (the demo calls it directly)."""
    image.subject_kind, image.subject_id, image.uploaded_by_id = kind, subject_id, uploaded_by_id
    image.position = (db.session.scalar(
        sa.select(sa.func.max(Image.position))
        .where(Image.subject_kind == kind, Image.subject_id == subject_id)
    ) or 0) + 1
    image.is_cover = db.session.scalar(
        sa.select(Image.id).where(Image.subject_kind == kind, Image.subject_id == subject_id, Image.is_cover)
    ) is None
    db.session.add(image)
    db.session.flush()
    return image


def add_picture(actor: Actor, kind_name: str, subject_id: int, upload: FileStorage | IO[bytes] | None,
                alt: str) -> Image:
    kind = kind_named(kind_name)
    subject = subject_for(actor, kind, subject_id)
    require(kind.can_manage(actor, subject))
    alt = clean_alt(alt)
    if queries.count_of(kind.name, subject_id) >= kind.limit:
        raise _full(kind)
    image = attach(store(upload, alt), kind.name, subject_id, actor.id)
    if queries.count_of(kind.name, subject_id) > kind.limit:  # another upload got in at the same time
        db.session.rollback()
        raise _full(kind)
    if is_staff(actor):
        record(actor, "image.added", image, about=f"{kind.name} {subject_id}")
    db.session.commit()
    return image


def describe_picture(actor: Actor, image: Image, alt: str) -> None:
    require_manage(actor, image)
    image.alt = clean_alt(alt)
    db.session.commit()


def make_cover(actor: Actor, image: Image) -> None:
    require_manage(actor, image)
    if image.hidden:
        raise Conflict(_l("A picture hidden by a moderator cannot be the cover."))
    _set_cover(image)
    db.session.commit()


def _set_cover(image: Image | None) -> None:
    if image is None or image.is_cover:
        return
    db.session.execute(
        sa.update(Image)
        .where(Image.subject_kind == image.subject_kind, Image.subject_id == image.subject_id,
               Image.is_cover)
        .values(is_cover=False)
        .execution_options(synchronize_session="fetch")
    )
    db.session.flush()
    image.is_cover = True
    db.session.flush()


def _forget(images: list[Image]) -> None:
    """Delete these rows and, once committed, the files no other picture uses. Flushes only."""
    names = set().union(*(image.file_names for image in images)) if images else set()
    for image in images:
        db.session.delete(image)
    db.session.flush()
    still_used = set(db.session.scalars(sa.select(Image.card_name).where(Image.card_name.in_(names)))) | set(
        db.session.scalars(sa.select(Image.page_name).where(Image.page_name.in_(names))))
    storage.remove_after_commit(db.session(), names - still_used)


def remove_picture(actor: Actor, image: Image) -> None:
    require_manage(actor, image)
    was_cover = image.is_cover
    kind, subject_id = image.subject_kind, image.subject_id
    if actor.id != image.uploaded_by_id:
        record(actor, "image.removed", image, about=f"{kind} {subject_id}", alt=image.alt)
    _forget([image])
    if was_cover:
        _set_cover(db.session.scalars(queries.pictures_of(kind, subject_id)
                                      .where(Image.hidden_at.is_(None)).limit(1)).first())
    db.session.commit()


def _clean_reason(reason: str | None) -> str:
    text = FORBIDDEN_CHARACTERS.sub("", reason or "").strip()
    if not text:
        raise InvalidInput(NO_REASON, field="reason")
    if len(text) > REASON_MAX:
        raise InvalidInput(_l("Write at most %(max)d characters.", max=REASON_MAX), field="reason")
    return text


def hide_picture(actor: Actor, image: Image, reason: str) -> None:
    """Hide a picture (the file stays stored, unserved to the public); the reason is shown instead."""
    require(can_hide(actor))
    reason = _clean_reason(reason)
    if image.hidden:
        raise Conflict(_l("This picture is already hidden."))
    image.hidden_at, image.hidden_reason, image.hidden_by_id = utcnow(), reason, actor.id
    record(actor, "image.hidden", image, reason=reason, about=f"{image.subject_kind} {image.subject_id}")
    db.session.commit()


def restore_picture(actor: Actor, image: Image) -> None:
    require(can_hide(actor))
    if not image.hidden:
        raise Conflict(_l("This picture is not hidden."))
    record(actor, "image.restored", image, hidden_reason=image.hidden_reason,
           about=f"{image.subject_kind} {image.subject_id}")
    image.hidden_at = image.hidden_reason = image.hidden_by_id = None
    db.session.commit()


# --- for other features (flush only: the caller commits) ------------------------------------------


def delete_pictures_of(kind: str, subject_ids: Iterable[int]) -> int:
    """Their subject is being deleted: the pictures go too, rows now and files after the commit."""
    ids = list(subject_ids)
    if not ids:
        return 0
    images = list(db.session.scalars(
        sa.select(Image).where(Image.subject_kind == kind, Image.subject_id.in_(ids))))
    _forget(images)
    return len(images)


def forget_uploader(user_id: int, delete_kinds: Iterable[str] = ("proposal",)) -> int:
    """An account is deleted: the pictures it added to subjects of ``delete_kinds`` (its own proposals)
    go; those it added for the centre (news, activities, places) stay, no longer linked to it."""
    images = list(db.session.scalars(
        sa.select(Image).where(Image.uploaded_by_id == user_id, Image.subject_kind.in_(delete_kinds))))
    _forget(images)
    db.session.execute(sa.update(Image).where(Image.uploaded_by_id == user_id).values(uploaded_by_id=None))
    return len(images)


def personal_pictures(user_id: int, url: Callable[[str], str]) -> list[dict[str, Any]]:
    """The pictures ``user_id`` added, for the personal-data export; ``url(name)`` makes a file's link."""
    return [
        {
            "id": image.id,
            "subject": image.subject_kind,
            "subject_id": image.subject_id,
            "alt": image.alt,
            "cover": image.is_cover,
            "created_at": image.created_at.isoformat(),
            "hidden_reason": image.hidden_reason,
            "file": url(image.page_name),
            "width": image.page_width,
            "height": image.page_height,
        }
        for image in db.session.scalars(
            sa.select(Image).where(Image.uploaded_by_id == user_id).order_by(Image.id))
    ]


def file_visible(name: str) -> bool | None:
    """None when no picture uses the file; True when the public may see it; False when only moderators
    may (every picture using it is hidden)."""
    uses = db.session.scalars(queries.uses_of(name)).all()
    if not uses:
        return None
    return any(not image.hidden for image in uses)
