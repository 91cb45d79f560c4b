"""The audit log listens to signals of the core layer, which cannot import it."""

from __future__ import annotations

from app.audit.services import record
from app.centre.signals import settings_changed


@settings_changed.connect
def _centre_settings_changed(sender, actor, subject, changed: list[str]) -> None:
    record(actor, "centre.settings_changed", subject, fields=changed)
