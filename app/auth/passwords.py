"""Password hashing (argon2) and the common-password check."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from app.config import OWASP_PARAMETERS

MIN_LENGTH = 10
MAX_LENGTH = 128
_hasher = PasswordHasher(**OWASP_PARAMETERS)
_dummy_hash: str | None = None


def configure(parameters: Mapping[str, Any]) -> None:
    """Use these argon2id parameters (the app's PASSWORD_HASHING setting; tests use cheap ones)."""
    global _hasher, _dummy_hash
    if parameters != {key: getattr(_hasher, key) for key in parameters}:
        _hasher, _dummy_hash = PasswordHasher(**parameters), None


def _dummy() -> str:
    """Verified against when the e-mail is unknown, so both answers take the same time."""
    global _dummy_hash
    if _dummy_hash is None:
        _dummy_hash = _hasher.hash("not-a-real-password-0000")
    return _dummy_hash


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _dummy(), password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


@cache
def _common_passwords() -> frozenset[str]:
    path = Path(__file__).with_name("data") / "common-passwords.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line and not line.startswith("#"))


def is_common(password: str) -> bool:
    return password.strip().lower() in _common_passwords()
