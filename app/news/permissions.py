"""Who may publish, edit and delete news posts."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.permissions import ALLOW, Decision, deny, is_staff


def can_manage_news(actor) -> Decision:
    if not is_staff(actor):
        return deny(_l("Only moderators can publish news."))
    return ALLOW
