"""Signals the centre sends to the layers above it (it never imports them): the audit log listens."""

from blinker import Namespace

_signals = Namespace()

# Sent inside the changing transaction, before its commit, with ``actor``, ``subject`` (the record)
# and ``changed`` (the names of the fields that changed).
settings_changed = _signals.signal("centre-settings-changed")
