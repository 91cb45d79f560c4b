"""Notifications listen to the accounts layer's signals (it cannot import them)."""

from __future__ import annotations

from app.notifications.services import notify, path_for
from app.residents.signals import residency_verified


@residency_verified.connect
def _residency_verified(sender, actor, user) -> None:
    notify([user], "residency.verified", category="account", subject_kind="user", subject_id=user.id,
           title=user.display_name, link=path_for("auth.profile"), actor=None)
