"""Pictures: the page to manage a subject's pictures, the actions on one picture, and the files."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import flash, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.confirmation import confirmation_needed
from app.db import db
from app.errors import DomainError, NotFound
from app.htmx import redirect_to, render
from app.media import bp, queries, services, storage
from app.media.kinds import kind_named
from app.media.models import Image
from app.media.permissions import can_hide, can_see_hidden
from app.media.pipeline import ACCEPTED_FORMATS
from app.permissions import require
from app.urls import safe_next

YEAR = 365 * 24 * 3600


def picture_url(image: Image, size: str = "page") -> str:
    return url_for("media.file", name=image.size(size)[0])


def manage_url(kind: str, subject) -> str:
    return url_for("media.manage", kind=kind, subject_id=getattr(subject, "id", subject))


def sees_hidden_pictures() -> bool:
    return can_see_hidden(current_user)


def _image_or_404(image_id: int) -> Image:
    image = db.session.get(Image, image_id)
    if image is None:
        raise NotFound()
    return image


def _page(kind_name: str, subject_id: int, *, http_status: int = 200, errors: dict | None = None,
          values: dict | None = None):
    kind = kind_named(kind_name)
    subject = services.subject_for(current_user, kind, subject_id)
    require(kind.can_manage(current_user, subject))
    pictures = queries.pictures_for_page(kind.name, subject_id)
    return render(
        "media/manage.html", http_status=http_status, kind=kind, subject=subject, pictures=pictures,
        title=kind.title(subject), subject_url=kind.url(subject), errors=errors or {}, values=values or {},
        back=safe_next() if request.values.get("next") else manage_url(kind.name, subject_id),
        can_hide=can_hide(current_user), accepted=", ".join(ACCEPTED_FORMATS),
    )


def _back(image: Image) -> str:
    target = safe_next()
    if request.values.get("next"):
        return target
    return manage_url(image.subject_kind, image.subject_id)


def _refused(image: Image, error: DomainError, key: str, values: dict | None = None):
    if not error.field:
        raise error
    return _page(image.subject_kind, image.subject_id, http_status=error.status,
                 errors={key: error.message}, values=values)


def _with_text(image_id: int, action: Callable[[Any, Image, str], None], field: str, key: str, done: str):
    """An action on one picture with the text of one form field (a description, a reason): done and
    said, or the manage page again with the field's error next to that picture's form."""
    image = _image_or_404(image_id)
    try:
        action(current_user, image, request.form.get(field, ""))
    except DomainError as error:
        return _refused(image, error, f"{key}-{image.id}")
    flash(done, "success")
    return redirect_to(_back(image))


@bp.get("/media/<kind>/<id:subject_id>/pictures")
@login_required
def manage(kind: str, subject_id: int):
    return _page(kind, subject_id)


@bp.post("/media/<kind>/<id:subject_id>/pictures")
@login_required
def add(kind: str, subject_id: int):
    alt = request.form.get("alt", "")
    try:
        services.add_picture(current_user, kind, subject_id, request.files.get("picture"), alt)
    except DomainError as error:
        if not error.field:
            raise
        return _page(kind, subject_id, http_status=error.status, errors={f"new-{error.field}": error.message},
                     values={"alt": alt})
    flash(_("The picture is added."), "success")
    return redirect_to(safe_next() if request.form.get("next") else manage_url(kind, subject_id))


@bp.post("/media/pictures/<id:image_id>/alt")
@login_required
def describe(image_id: int):
    return _with_text(image_id, services.describe_picture, "alt", "alt",
                      _("The description of the picture is saved."))


@bp.post("/media/pictures/<id:image_id>/cover")
@login_required
def cover(image_id: int):
    image = _image_or_404(image_id)
    services.make_cover(current_user, image)
    flash(_("The cover picture is changed."), "success")
    return redirect_to(_back(image))


@bp.post("/media/pictures/<id:image_id>/remove")
@login_required
def remove(image_id: int):
    image = _image_or_404(image_id)
    services.require_manage(current_user, image)  # refused before asking to confirm
    if page := confirmation_needed(
        _("The picture “%(alt)s” will be removed. It cannot be restored.", alt=image.alt),
        _("Yes, remove the picture"), _back(image), danger=True,
    ):
        return page
    back = _back(image)
    services.remove_picture(current_user, image)
    flash(_("The picture is removed."), "success")
    return redirect_to(back)


@bp.post("/media/pictures/<id:image_id>/hide")
@login_required
def hide(image_id: int):
    require(can_hide(current_user))
    return _with_text(image_id, services.hide_picture, "reason", "hide", _("The picture is hidden."))


@bp.post("/media/pictures/<id:image_id>/restore")
@login_required
def restore(image_id: int):
    require(can_hide(current_user))
    image = _image_or_404(image_id)
    if page := confirmation_needed(
        _("The hidden picture “%(alt)s” will be visible to everyone again.", alt=image.alt),
        _("Yes, show the picture again"), _back(image),
    ):
        return page
    services.restore_picture(current_user, image)
    flash(_("The picture is visible again."), "success")
    return redirect_to(_back(image))


@bp.get("/media/files/<name>")
def file(name: str):
    """A picture file. Its name is its content's hash, so it never changes: cached for a year."""
    if not storage.NAME.fullmatch(name):
        raise NotFound()
    visible = services.file_visible(name)
    if visible is None or (not visible and not can_see_hidden(current_user)):
        raise NotFound()
    path = storage.path_of(name)
    if not path.is_file():
        raise NotFound()
    response = send_file(path, mimetype="image/jpeg", max_age=YEAR if visible else 0, conditional=True,
                         etag=True)
    if visible:
        response.cache_control.public = True
        response.cache_control.immutable = True
    else:  # a hidden picture, shown to a moderator: never kept by a shared cache
        response.cache_control.public = False
        response.cache_control.private = True
        response.cache_control.no_store = True
    return response
