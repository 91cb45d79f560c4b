"""Who may do what with pictures. Managing (adding, the cover, the description, removing) is the
subject's own rule, registered with its kind; hiding and showing again is for moderators only."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.permissions import ALLOW, Decision, deny, is_staff

ONLY_MODERATORS = _l("Only moderators can hide pictures.")


def can_hide(actor) -> Decision:
    if not is_staff(actor):
        return deny(ONLY_MODERATORS)
    return ALLOW


def can_see_hidden(actor) -> bool:
    return is_staff(actor)
