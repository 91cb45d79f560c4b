"""Residency verification (in person or with a one-time code) and role changes."""

from __future__ import annotations

import secrets

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from app.audit.services import record
from app.auth.former import is_former
from app.auth.models import ResidencyCode, Role, User, VerificationMethod
from app.auth.services import find_user_by_email
from app.db import db, rowcount, utcnow
from app.errors import Conflict, InvalidInput, NotFound
from app.permissions import require
from app.residents import permissions, queries
from app.residents.codes import CODE_LENGTH, format_code, hash_code, normalise_code, random_code
from app.residents.signals import residency_verified

MAX_BATCH = 200


def mark_verified(user: User, by: User | None, method: VerificationMethod) -> None:
    user.resident_verified_at = utcnow()
    user.resident_verified_by_id = by.id if by else None
    user.resident_verification_method = method


def require_active(user: User) -> None:
    """A deleted (anonymised) account keeps its row for the audit chain, but nobody may act on it."""
    if is_former(user):
        raise NotFound(_l("This account has been deleted by its owner."))


def verify_in_person(actor: User, user: User) -> None:
    require(permissions.can_change_residency(actor, user))
    require_active(user)
    if user.is_verified_resident:
        raise Conflict(_l("%(name)s is already a verified resident.", name=user.display_name))
    mark_verified(user, actor, VerificationMethod.IN_PERSON)
    record(actor, "resident.verified_in_person", user)
    residency_verified.send(None, actor=actor, user=user)
    db.session.commit()


def revoke_verification(actor: User, user: User) -> None:
    require(permissions.can_change_residency(actor, user))
    if not user.is_verified_resident:
        raise Conflict(_l("%(name)s is not a verified resident.", name=user.display_name))
    method = user.resident_verification_method
    user.resident_verified_at = None
    user.resident_verified_by_id = None
    user.resident_verification_method = None
    record(actor, "resident.verification_revoked", user, method=method)
    db.session.commit()


def generate_codes(actor: User, count: int) -> list[str]:
    """Create ``count`` one-time codes; the plain codes are returned once, to print."""
    require(permissions.can_verify_residents(actor))
    if not 1 <= count <= MAX_BATCH:
        raise InvalidInput(_l("Choose between 1 and %(max)d codes.", max=MAX_BATCH))
    batch = utcnow().strftime("%Y%m%d-%H%M%S-") + secrets.token_hex(2)
    codes = [random_code() for _ in range(count)]
    db.session.add_all(
        ResidencyCode(code_hash=hash_code(code), batch=batch, created_by_id=actor.id)
        for code in codes
    )
    record(actor, "residency_codes.generated", None, batch=batch, count=count)
    db.session.commit()
    return [format_code(code) for code in codes]


def redeem_code(actor: User, raw_code: str) -> None:
    require(permissions.can_redeem_code(actor))
    code = normalise_code(raw_code)
    invalid = InvalidInput(_l("This code is not valid or has already been used."))
    if len(code) != CODE_LENGTH:
        raise invalid
    # One UPDATE claims the code, so two residents can never redeem the same one.
    try:
        claimed = rowcount(db.session.execute(
            sa.update(ResidencyCode)
            .where(ResidencyCode.code_hash == hash_code(code), ResidencyCode.redeemed_at.is_(None))
            .values(redeemed_at=utcnow(), redeemed_by_id=actor.id)
        ))
    except IntegrityError as error:  # UNIQUE(redeemed_by_id): an account redeems one code only
        db.session.rollback()
        raise InvalidInput(
            _l("This account has already used a residency code. Ask a moderator to verify you in person.")
        ) from error
    if claimed != 1:
        db.session.rollback()
        raise invalid
    mark_verified(actor, None, VerificationMethod.CODE)
    record(actor, "resident.verified_with_code", actor)
    db.session.commit()


def _change_role(actor: User | None, user: User, role: str, action: str) -> None:
    require_active(user)
    if role not in {r.value for r in Role}:
        raise InvalidInput(_l("Choose one of the roles."))
    if user.role == role:
        return
    if user.role == Role.ADMIN:
        # Lock the administrators' rows (PostgreSQL), so two admins demoting each other at once
        # cannot both pass this check. A deleted account never counts as an administrator.
        admins = db.session.scalars(
            sa.select(User.id).where(User.role == Role.ADMIN, queries.active_accounts()).with_for_update()
        ).all()
        if len(admins) <= 1:
            raise Conflict(_l("The platform needs at least one administrator."))
    old = user.role
    user.role = role
    record(actor, action, user, old=old, new=role)


def set_role(actor: User, user: User, role: str) -> None:
    require(permissions.can_manage_roles(actor))
    _change_role(actor, user, role, "user.role_changed")
    db.session.commit()


def set_role_by_email(email: str, role: str) -> User:
    """For `flask users set-role`: whoever runs the command on the server acts as the system."""
    user = find_user_by_email(email)
    if user is None:
        raise InvalidInput(_l("There is no account with this e-mail address."))
    _change_role(None, user, role, "user.role_changed_from_cli")
    db.session.commit()
    return user
