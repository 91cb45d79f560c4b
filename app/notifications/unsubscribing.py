"""Unsubscribing by one click from an e-mail (RFC 8058), without signing in: the signed link names the
person and the kind of event (or the weekly digest)."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.auth import tokens
from app.auth.models import User
from app.db import db
from app.errors import InvalidInput
from app.notifications.choices import choices_for, store_choices
from app.notifications.events import CATEGORIES, DIGEST_LIST
from app.notifications.models import Choice, Notification
from app.urls import external_url

UNSUBSCRIBE = "unsubscribe"
UNSUBSCRIBE_MAX_AGE = 2 * 365 * 24 * 3600  # links in old e-mails keep working for two years


def unsubscribe_token(user: User, list_name: str) -> str:
    return tokens.make(UNSUBSCRIBE, {"u": user.id, "l": list_name})


def unsubscribe_url(user: User, list_name: str) -> str:
    return external_url("notifications.unsubscribe", token=unsubscribe_token(user, list_name))


def unsubscribe_headers(user: User, list_name: str) -> tuple[str, dict[str, str]]:
    """The link, and the headers that give mail clients their one-click unsubscribe button."""
    url = unsubscribe_url(user, list_name)
    return url, {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


@dataclass(frozen=True)
class Unsubscription:
    user: User
    list_name: str

    @property
    def label(self) -> object:
        if self.list_name == DIGEST_LIST:
            return _l("The weekly digest")
        return CATEGORIES[self.list_name].label


def read_unsubscribe_token(token: str) -> Unsubscription:
    invalid = InvalidInput(_l("This unsubscribe link is not valid. Sign in and change your e-mail "
                              "choices in your account."))
    try:
        payload = tokens.load(UNSUBSCRIBE, token, max_age=UNSUBSCRIBE_MAX_AGE)
    except tokens.TokenInvalid as error:
        raise invalid from error
    list_name = payload.get("l")
    user = db.session.get(User, payload.get("u")) if isinstance(payload.get("u"), int) else None
    if user is None or (list_name != DIGEST_LIST and list_name not in CATEGORIES):
        raise invalid
    return Unsubscription(user, list_name)


def unsubscribe(token: str) -> Unsubscription:
    """One click, no sign-in: stop the e-mails of one kind of event, or the weekly digest (every kind
    it would carry). The notifications still appear in the app."""
    found = read_unsubscribe_token(token)
    user_id = found.user.id
    if found.list_name == DIGEST_LIST:
        current = choices_for([user_id])[user_id]
        values = {name: Choice.NEVER for name, choice in current.items() if choice == Choice.DIGEST}
    else:
        values = {found.list_name: Choice.NEVER}
    store_choices(user_id, values)
    db.session.execute(
        sa.update(Notification)
        .where(Notification.user_id == user_id, Notification.email_pending.is_not(None),
               Notification.category.in_(list(values)))
        .values(email_pending=None).execution_options(synchronize_session=False))
    db.session.commit()
    return found
