"""Signals residents send to the layers above them (they never import them): notifications listen."""

from blinker import Namespace

_signals = Namespace()

# Sent inside the changing transaction, before its commit, with ``actor`` (the moderator) and ``user``.
residency_verified = _signals.signal("residency-verified")
