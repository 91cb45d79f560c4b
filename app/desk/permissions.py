"""Who may use the moderator's desk: moderators and administrators."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.permissions import ALLOW, Decision, deny, is_staff, signed_in


def can_use_desk(actor) -> Decision:
    if not signed_in(actor):
        return deny(_l("Sign in to see the moderator's desk."))
    if not is_staff(actor):
        return deny(_l("Only moderators and administrators can use the moderator's desk."))
    return ALLOW
