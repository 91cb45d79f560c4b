"""Who may do what with notifications: only a signed-in person has any to read, follow or choose."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.errors import NotAllowed
from app.permissions import signed_in


def require_signed_in(actor: object) -> None:
    if not signed_in(actor):
        raise NotAllowed(_l("Sign in first."))
