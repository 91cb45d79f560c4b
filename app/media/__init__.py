"""Pictures (layer 3, shared services): the Pillow pipeline, storage named by content hash, hiding.

A subject is known only as ``(kind, id)``; each feature registers its kind (``app.media.kinds.Kind``).
The API for other features:

- ``register(Kind(...))`` at start-up;
- ``services.add_picture(actor, kind, id, upload, alt)`` / ``services.store(upload, alt)``;
- ``services.delete_pictures_of(kind, ids)`` when subjects are deleted (in the same transaction),
  ``services.forget_uploader(user_id)`` when an account is, ``services.personal_pictures(user_id, url)``;
- in routes: ``queries.covers(kind, items)`` (one query per list) and ``queries.pictures_for_page(kind,
  subject)``, passed to the templates (which do not query);
- in templates: ``picture_url(image, size)``, ``manage_pictures_url(kind, subject)``, and the macros in
  ``media/_macros.html`` (``picture``, ``gallery``).
"""

from flask import Blueprint, Flask

from app.media.kinds import Kind, register

bp = Blueprint("media", __name__)

__all__ = ["Kind", "bp", "register", "register_jinja"]


def register_jinja(app: Flask) -> None:
    from app.media.routes import manage_url, picture_url, sees_hidden_pictures

    app.jinja_env.globals.update(picture_url=picture_url, manage_pictures_url=manage_url,
                                 sees_hidden_pictures=sees_hidden_pictures)
