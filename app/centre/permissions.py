"""Who may change the centre's settings: administrators only."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.permissions import ALLOW, Decision, deny, signed_in


def can_edit_centre(user) -> Decision:
    if not signed_in(user):
        return deny(_l("Sign in to change the centre's details."))
    if user.role != "admin":
        return deny(_l("Only administrators can change the centre's details."))
    return ALLOW
