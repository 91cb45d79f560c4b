"""Account services: registration, e-mail verification, sign-in, passwords, profile, first admin.

Each public function validates, changes, writes the outbox/audit entries and commits once.
"""

from __future__ import annotations

import hmac
from typing import Any

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from app.audit.services import record
from app.auth import tokens
from app.auth.identity import normalise_email
from app.auth.models import Role, User
from app.auth.numbers import parse_resident_number
from app.auth.passwords import (
    MAX_LENGTH,
    MIN_LENGTH,
    hash_password,
    is_common,
    needs_rehash,
    verify_password,
)
from app.db import db, utcnow
from app.errors import Conflict, DomainError, InvalidInput, NotAllowed
from app.outbox.services import queue_email, queue_email_to
from app.urls import external_url


class BadToken(DomainError):
    status = 400
    default_message = _l("This link is invalid. Check that you copied all of it, or ask for a new one.")


class ExpiredToken(BadToken):
    status = 410
    default_message = _l("This link has expired. Ask for a new one.")


EMAIL_TAKEN = _l("An account with this e-mail address already exists.")


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == normalise_email(email)))


def check_password_strength(password: str) -> None:
    if len(password) < MIN_LENGTH:
        raise InvalidInput(
            _l("The password must have at least %(n)d characters.", n=MIN_LENGTH), field="password"
        )
    if len(password) > MAX_LENGTH:
        raise InvalidInput(
            _l("The password may have at most %(n)d characters.", n=MAX_LENGTH), field="password"
        )
    if is_common(password):
        raise InvalidInput(
            _l("This password is on a list of commonly used passwords. Choose another one."),
            field="password",
        )


def _load_token(purpose: str, token: str, max_age_key: str) -> dict[str, Any]:
    try:
        return tokens.load(purpose, token, current_app.config[max_age_key])
    except tokens.TokenInvalid as error:
        raise (ExpiredToken() if error.expired else BadToken()) from error


def queue_verification(user: User) -> None:
    token = tokens.make(tokens.VERIFY_EMAIL, {"uid": user.id, "email": user.email})
    queue_email_to(
        user,
        _l("Confirm your e-mail address"),
        "auth/email/verify_email.txt",
        user=user,
        link=external_url("auth.verify_email", token=token),
    )


def _add_user(email: str, display_name: str, password: str, locale: str, role: str) -> User:
    email = normalise_email(email)
    check_password_strength(password)
    if find_user_by_email(email) is not None:
        raise Conflict(EMAIL_TAKEN, field="email")
    user = User(
        email=email,
        display_name=display_name.strip(),
        password_hash=hash_password(password),
        locale=locale,
        role=role,
    )
    try:
        with db.session.begin_nested():  # a savepoint: the caller's transaction is the caller's
            db.session.add(user)
    except IntegrityError as error:  # a parallel registration won the race
        raise Conflict(EMAIL_TAKEN, field="email") from error
    return user


def register(email: str, display_name: str, password: str, locale: str = "pl") -> User | None:
    """Open an account, or, when the address already has one, e-mail its owner instead.

    The caller answers the same either way, so the form does not tell who has an account; both ways
    hash the password and queue one e-mail, so they take the same time too. Returns the new user, or
    None when the address was taken."""
    email = normalise_email(email)
    check_password_strength(password)
    user = User(
        email=email,
        display_name=display_name.strip(),
        password_hash=hash_password(password),
        locale=locale,
        role=Role.RESIDENT,
    )
    owner = find_user_by_email(email)
    if owner is None:
        db.session.add(user)
        try:
            db.session.flush()
        except IntegrityError:  # a parallel registration with this address won the race
            db.session.rollback()
            owner = find_user_by_email(email)
    if owner is not None:
        _queue_registration_attempt(owner)
        db.session.commit()
        return None
    queue_verification(user)
    db.session.commit()
    return user


def _queue_registration_attempt(owner: User) -> None:
    queue_email_to(
        owner,
        _l("Someone tried to register with your address"),
        "auth/email/registration_attempt.txt",
        user=owner,
        login_link=external_url("auth.login"),
        reset_link=external_url("auth.request_reset"),
    )


def resend_verification(user: User) -> None:
    if user.is_email_verified:
        raise Conflict(_l("Your e-mail address is already confirmed."))
    queue_verification(user)
    db.session.commit()


def verify_email(token: str) -> User:
    payload = _load_token(tokens.VERIFY_EMAIL, token, "EMAIL_VERIFY_MAX_AGE")
    user = db.session.get(User, payload.get("uid"))
    if user is None or user.email != payload.get("email"):
        raise BadToken()
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()
        db.session.commit()
    return user


def user_for_login_id(login_id: str) -> User | None:
    """The user a session or remember-me cookie names, if its session version is still current (see
    ``User.get_id``); ids from before a sign-out or a password change, or without a version, sign
    nobody in."""
    uid, _, _fingerprint = login_id.partition(":")
    if not (uid.isascii() and uid.isdigit()) or len(uid) > 18:
        return None
    user = db.session.get(User, int(uid))
    if user is None or not hmac.compare_digest(user.get_id(), login_id):
        return None
    return user


def authenticate(identifier: str, password: str) -> User | None:
    """The user for an e-mail address (or, for an account without one, its resident number) and a
    password, or None; unknown accounts cost the same time as wrong passwords."""
    number = parse_resident_number(identifier)
    if number is None:
        user = find_user_by_email(identifier)
    else:
        user = db.session.get(User, number)
        if user is not None and user.email is not None:
            user = None  # an account with an address signs in with the address
    if not verify_password(user.password_hash if user else None, password) or user is None:
        return None
    if needs_rehash(user.password_hash):  # the session version stays: other devices stay signed in
        user.password_hash = hash_password(password)
        db.session.commit()
    return user


def request_password_reset(email: str, locale: str = "pl") -> None:
    """E-mail a reset link to the account's owner, or tell the address that it has no account.

    The caller answers the same either way. Both ways sign a token, queue one e-mail and commit, so
    the answer takes the same time for known and unknown addresses."""
    email = normalise_email(email)
    user = find_user_by_email(email)
    # Signed on both ways, used on one: the work, and so the time, is the same.
    token = tokens.make(
        tokens.RESET_PASSWORD,
        {"uid": getattr(user, "id", None),
         "pw": tokens.password_fingerprint(getattr(user, "password_hash", ""))},
    )
    if user is None:
        queue_email(
            email,
            _l("Setting a new password"),
            "auth/email/reset_unknown_address.txt",
            locale=locale,
            register_link=external_url("auth.register"),
        )
    else:
        queue_email_to(
            user,
            _l("Set a new password"),
            "auth/email/reset_password.txt",
            user=user,
            link=external_url("auth.reset_password", token=token),
        )
    db.session.commit()


def user_for_reset_token(token: str) -> User:
    payload = _load_token(tokens.RESET_PASSWORD, token, "PASSWORD_RESET_MAX_AGE")
    user = db.session.get(User, payload.get("uid"))
    if user is None or payload.get("pw") != tokens.password_fingerprint(user.password_hash):
        raise BadToken(_l("This link has already been used or is no longer valid. Ask for a new one."))
    return user


def reset_password(token: str, new_password: str) -> User:
    user = user_for_reset_token(token)
    check_password_strength(new_password)
    user.password_hash = hash_password(new_password)
    user.end_sessions()  # the caller signs this browser in again
    # Following the link proves the address works.
    user.email_verified_at = user.email_verified_at or utcnow()
    db.session.commit()
    return user


def change_password(user: User, current_password: str, new_password: str) -> None:
    if not verify_password(user.password_hash, current_password):
        raise InvalidInput(_l("The current password is not correct."), field="current_password")
    check_password_strength(new_password)
    user.password_hash = hash_password(new_password)
    user.end_sessions()  # the caller signs this browser in again
    db.session.commit()


def sign_out(user: User) -> None:
    """Sign out: the login id this browser held, copied or not, no longer signs anyone in. The version is
    one per person, so their sessions on other devices end too."""
    user.end_sessions()
    db.session.commit()


def sign_out_everywhere(user: User) -> None:
    """End every session of ``user``, on every device; the caller signs this browser out too."""
    user.end_sessions()
    record(user, "account.signed_out_everywhere", user)
    db.session.commit()


def update_profile(user: User, display_name: str, locale: str) -> None:
    if locale not in current_app.config["LANGUAGES"]:
        raise InvalidInput(_l("Choose one of the offered languages."), field="locale")
    user.display_name = display_name.strip()
    user.locale = locale
    db.session.commit()


def set_locale(user: User | None, locale: str) -> None:
    """Remember the language for a signed-in user (visitors keep it in a cookie)."""
    if locale not in current_app.config["LANGUAGES"]:
        raise InvalidInput(_l("Choose one of the offered languages."))
    if user is not None and user.locale != locale:
        user.locale = locale
        db.session.commit()


# --- first administrator ------------------------------------------------------------------------


def admin_exists() -> bool:
    return bool(db.session.scalar(sa.select(sa.exists().where(User.role == Role.ADMIN))))


def setup_token() -> str | None:
    """A token for the one-time setup link, or None once an admin exists."""
    if admin_exists():
        return None
    return tokens.make(tokens.SETUP_ADMIN, {"setup": True})


def check_setup_token(token: str) -> None:
    if admin_exists():
        raise NotAllowed(_l("The platform is already set up. Sign in as an administrator."))
    _load_token(tokens.SETUP_ADMIN, token, "SETUP_LINK_MAX_AGE")


def create_first_admin(token: str, email: str, display_name: str, password: str, locale: str) -> User:
    check_setup_token(token)
    user = _add_user(email, display_name, password, locale, Role.ADMIN)
    user.email_verified_at = utcnow()
    record(user, "admin.created_by_setup_link", user)
    db.session.commit()
    return user


def create_admin(email: str, password: str, display_name: str | None = None) -> User:
    """Used by `flask users create-admin`: a new admin account (or promotes an existing one)."""
    user = find_user_by_email(email)
    if user is None:
        name = display_name or normalise_email(email).split("@")[0]
        user = _add_user(email, name, password, "pl", Role.ADMIN)
        user.email_verified_at = utcnow()
    else:
        check_password_strength(password)
        user.role = Role.ADMIN
        user.password_hash = hash_password(password)
    record(None, "admin.created_from_cli", user, email=user.email)
    db.session.commit()
    return user
