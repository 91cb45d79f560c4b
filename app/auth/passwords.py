"""Password hashing (argon2) and the common-password check."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.config import OWASP_PARAMETERS

MIN_LENGTH = 10
MAX_LENGTH = 128
if TYPE_CHECKING:
    from argon2 import PasswordHasher

_parameters: dict[str, Any] = dict(OWASP_PARAMETERS)
_hasher: PasswordHasher | None = None  # made (and argon2 imported) when a password is first hashed
_dummy_hash: str | None = None


def configure(parameters: Mapping[str, Any]) -> None:
    """Use these argon2id parameters (the app's PASSWORD_HASHING setting; tests use cheap ones)."""
    global _parameters, _hasher, _dummy_hash
    if parameters != _parameters:
        _parameters, _hasher, _dummy_hash = dict(parameters), None, None


def _argon2() -> PasswordHasher:
    global _hasher
    if _hasher is None:
        from argon2 import PasswordHasher

        _hasher = PasswordHasher(**_parameters)
    return _hasher


def _dummy() -> str:
    """Verified against when the e-mail is unknown, so both answers take the same time."""
    global _dummy_hash
    if _dummy_hash is None:
        _dummy_hash = _argon2().hash("not-a-real-password-0000")
    return _dummy_hash


def hash_password(password: str) -> str:
    return _argon2().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    from argon2.exceptions import InvalidHashError, VerificationError

    hasher = _argon2()
    try:
        return bool(hasher.verify(password_hash or _dummy(), password)) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return bool(_argon2().check_needs_rehash(password_hash))


@cache
def _common_passwords() -> frozenset[str]:
    path = Path(__file__).with_name("data") / "common-passwords.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line and not line.startswith("#"))


def is_common(password: str) -> bool:
    return password.strip().lower() in _common_passwords()
