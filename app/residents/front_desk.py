"""Residents registered in person at the front desk, their sign-in slips, and signing in with a slip.

A front-desk resident may have no e-mail address: they are verified on creation (a moderator met
them), and get a printed slip with a one-time sign-in code (hashed at rest, 30 days, one use) to set
a password, and optionally an address, if they ever go online.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from app.audit.services import record
from app.auth.identity import normalise_email
from app.auth.models import Role, User, VerificationMethod
from app.auth.passwords import hash_password
from app.auth.services import (
    EMAIL_TAKEN,
    check_password_strength,
    find_user_by_email,
    queue_verification,
)
from app.db import db, rowcount, utcnow
from app.errors import Conflict, DomainError, InvalidInput
from app.permissions import require
from app.residents import permissions
from app.residents.codes import CODE_LENGTH, format_code, hash_code, normalise_code, random_code
from app.residents.models import SignInCode
from app.residents.queries import active_accounts
from app.residents.services import mark_verified, require_active

SLIP_VALID_FOR = timedelta(days=30)
REFERENCE_LENGTH = 6
NAME_MAX = 80
PLACE_MAX = 10
PLACE_PATTERN = re.compile(r"^[\w .,/-]*$")  # letters (any script), digits, and 12A, 3/5, II-B …
PHONE_PATTERN = re.compile(r"^\+?[\d ()-]*$")
PHONE_DIGITS = (6, 15)
PLACE_MESSAGE = _l("Use only letters, digits, spaces and the signs / - . ,")
PHONE_MESSAGE = _l("Enter a phone number with digits only, like 600 100 200 or +48 12 345 67 89.")


@dataclass(frozen=True)
class FrontDeskData:
    display_name: str
    building: str = ""
    staircase: str = ""
    flat: str = ""
    phone: str = ""
    email: str = ""


@dataclass(frozen=True)
class IssuedSlip:
    """What the slip shows; the plain code exists only in this object, for the page right after issuing."""

    user: User
    code: str
    reference: str
    expires_at: datetime


class PossibleDuplicates(Conflict):
    """Someone like this is already registered: the moderator looks and confirms before saving."""

    default_message = _l("This person may already have an account. Check the list below.")

    def __init__(self, people: list[User]) -> None:
        super().__init__()
        self.people = people


class SlipCodeGone(DomainError):
    status = 410


# --- registration --------------------------------------------------------------------------------


def _clean_place(value: str, field: str) -> str | None:
    value = (value or "").strip()
    if len(value) > PLACE_MAX:
        raise InvalidInput(_l("This field may have at most %(max)d characters.", max=PLACE_MAX), field=field)
    if not PLACE_PATTERN.match(value):
        raise InvalidInput(PLACE_MESSAGE, field=field)
    return value or None


def clean_phone(value: str) -> str | None:
    """The number without spaces, brackets and dashes (so duplicates compare equal), or None."""
    value = (value or "").strip()
    digits = sum(ch.isdigit() for ch in value)
    if value and (not PHONE_PATTERN.match(value) or not PHONE_DIGITS[0] <= digits <= PHONE_DIGITS[1]):
        raise InvalidInput(PHONE_MESSAGE, field="phone")
    return re.sub(r"[ ()-]", "", value) or None


def _clean(data: FrontDeskData) -> dict[str, Any]:
    name = (data.display_name or "").strip()
    if not name:
        raise InvalidInput(_l("This field is required."), field="display_name")
    if len(name) > NAME_MAX:
        raise InvalidInput(_l("This field may have at most %(max)d characters.", max=NAME_MAX),
                           field="display_name")
    return {
        "display_name": name,
        "building": _clean_place(data.building, "building"),
        "staircase": _clean_place(data.staircase, "staircase"),
        "flat": _clean_place(data.flat, "flat"),
        "phone": clean_phone(data.phone),
        "email": normalise_email(data.email) if (data.email or "").strip() else None,
    }


def possible_duplicates(values: dict[str, Any]) -> list[User]:
    """Active accounts with the same name and flat, or the same phone number."""
    same = []
    if values["flat"]:
        same.append(sa.and_(
            sa.func.lower(User.display_name) == values["display_name"].lower(),
            sa.func.lower(User.flat) == values["flat"].lower(),
            sa.func.coalesce(sa.func.lower(User.building), "") == (values["building"] or "").lower(),
        ))
    if values["phone"]:
        same.append(User.phone == values["phone"])
    if not same:
        return []
    return list(db.session.scalars(
        sa.select(User).where(active_accounts(), sa.or_(*same)).order_by(User.id).limit(20)
    ))


def register_at_front_desk(actor: User, data: FrontDeskData, confirmed: bool = False) -> User:
    """A resident met in person: verified at once. Raises ``PossibleDuplicates`` unless ``confirmed``."""
    require(permissions.can_register_at_front_desk(actor))
    values = _clean(data)
    if values["email"] and find_user_by_email(values["email"]) is not None:
        raise Conflict(EMAIL_TAKEN, field="email")
    if not confirmed:
        people = possible_duplicates(values)
        if people:
            raise PossibleDuplicates(people)
    # No password until the resident sets one with a sign-in slip (an empty hash matches nothing).
    user = User(password_hash="", role=Role.RESIDENT, locale="pl", **values)
    mark_verified(user, actor, VerificationMethod.IN_PERSON)
    db.session.add(user)
    try:
        db.session.flush()
    except IntegrityError as error:  # a parallel registration took the address
        db.session.rollback()
        raise Conflict(EMAIL_TAKEN, field="email") from error
    record(actor, "resident.registered_at_front_desk", user, method=VerificationMethod.IN_PERSON,
           with_email=values["email"] is not None)
    if user.email:
        queue_verification(user)
    db.session.commit()
    return user


# --- sign-in slips -------------------------------------------------------------------------------


def issue_sign_in_slip(actor: User, user: User) -> IssuedSlip:
    """A new one-time code for ``user``; any earlier slip of theirs stops working."""
    require(permissions.can_register_at_front_desk(actor))
    require_active(user)
    require(permissions.can_issue_sign_in_slip(actor, user))
    now = utcnow()
    voided = rowcount(db.session.execute(
        sa.update(SignInCode)
        .where(SignInCode.user_id == user.id, SignInCode.used_at.is_(None), SignInCode.voided_at.is_(None))
        .values(voided_at=now)
    ))
    code, reference = random_code(), random_code(REFERENCE_LENGTH)
    slip = SignInCode(user_id=user.id, code_hash=hash_code(code), reference=reference,
                      created_by_id=actor.id, created_at=now, expires_at=now + SLIP_VALID_FOR)
    db.session.add(slip)
    db.session.flush()
    record(actor, "resident.sign_in_slip_issued", user, reference=reference, voided_earlier=voided)
    db.session.commit()
    return IssuedSlip(user=user, code=format_code(code), reference=reference, expires_at=slip.expires_at)


def open_slip(user: User, raw_code: str) -> SignInCode | None:
    """The user's slip with this code if it can still be used (to print the same slip as a PDF)."""
    code = normalise_code(raw_code or "")
    slip = db.session.scalar(sa.select(SignInCode).where(
        SignInCode.user_id == user.id, SignInCode.code_hash == hash_code(code)))
    return slip if slip is not None and slip.is_open(utcnow()) else None


def sign_in_with_code(raw_code: str, password: str, email: str | None = "") -> User:
    """Redeem a slip: the resident sets a password (and optionally an address) and may sign in."""
    code = normalise_code(raw_code or "")
    not_valid = InvalidInput(
        _l("This code is not valid. Check it against your slip: it has 10 letters and digits."), field="code"
    )
    if len(code) != CODE_LENGTH:
        raise not_valid
    slip = db.session.scalar(sa.select(SignInCode).where(SignInCode.code_hash == hash_code(code)))
    if slip is None:
        raise not_valid
    used = SlipCodeGone(_l("This code has already been used. Sign in with your password, or ask at the "
                           "centre for a new slip."), field="code")
    if slip.used_at is not None:
        raise used
    if slip.voided_at is not None:
        raise SlipCodeGone(_l("This slip has been replaced by a newer one. Use the code from the newest "
                              "slip."), field="code")
    if slip.expires_at <= utcnow():
        raise SlipCodeGone(_l("This code has expired. Ask at the centre for a new slip."), field="code")
    check_password_strength(password)
    user = slip.user
    email = normalise_email(email) if email and email.strip() else None
    if email and find_user_by_email(email) is not None:
        raise Conflict(EMAIL_TAKEN, field="email")
    # One UPDATE claims the slip, so two browsers can never both use it.
    claimed = rowcount(db.session.execute(
        sa.update(SignInCode)
        .where(SignInCode.id == slip.id, SignInCode.used_at.is_(None), SignInCode.voided_at.is_(None))
        .values(used_at=utcnow())
    ))
    if claimed != 1:
        db.session.rollback()
        raise used
    user.password_hash = hash_password(password)
    if email:
        user.email = email
        try:
            db.session.flush()
        except IntegrityError as error:  # a parallel registration took the address
            db.session.rollback()
            raise Conflict(EMAIL_TAKEN, field="email") from error
        queue_verification(user)
    record(user, "resident.signed_in_with_slip", user, reference=slip.reference, added_email=bool(email))
    db.session.commit()
    return user


def latest_slip(user: User) -> SignInCode | None:
    """The most recent slip issued to ``user`` (to say at the front desk whether it is still open)."""
    return db.session.scalar(
        sa.select(SignInCode).where(SignInCode.user_id == user.id).order_by(SignInCode.id.desc()).limit(1)
    )
