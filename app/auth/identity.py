"""A keyed hash of who a person is, for refusing a second ballot from the same person.

An account can be deleted and a new one registered, so "one ballot per account" is not "one ballot per
person". While a round is open, each participation keeps a keyed hash of the voter's verified identity,
scoped to the round: the same person gives the same hash in one round, different hashes in different
rounds, and nobody without the secret key can tell whose hash it is. The hashes outlive account
deletion and are cleared when the round closes.

Identities have a kind, so others can be added beside e-mail: a resident registered at the front desk
without an e-mail address would be identified by the front-desk record, e.g. ``("front-desk", "17")``.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import TYPE_CHECKING

from flask import current_app

if TYPE_CHECKING:
    from app.auth.models import User

EMAIL = "email"


def normalise_email(email: str) -> str:
    return email.strip().lower()


def person_identity(user: User) -> tuple[str, str] | None:
    """The identity that stays the same for one person across accounts, or None when there is none."""
    if user.email:
        return EMAIL, normalise_email(user.email)
    return None


def _key() -> bytes:
    """A key of its own, derived from SECRET_KEY (rotating SECRET_KEY makes the stored hashes useless)."""
    secret = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(secret, b"mam-voter-identity", hashlib.sha256).digest()


def identity_hash(scope: str, kind: str, value: str) -> str:
    """HMAC-SHA-256 of one identity within ``scope`` (e.g. ``"round:12"``)."""
    message = "\x1f".join((scope, kind, value)).encode()
    return hmac.new(_key(), message, hashlib.sha256).hexdigest()


def voter_hash(user: User, round_id: int) -> str | None:
    identity = person_identity(user)
    return identity_hash(f"round:{round_id}", *identity) if identity else None
