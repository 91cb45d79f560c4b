"""Who may manage residents, codes, roles and read the audit log."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.auth.models import Role
from app.permissions import ALLOW, Decision, deny, is_staff, signed_in


def can_verify_residents(actor) -> Decision:
    if not is_staff(actor):
        return deny(_l("Only moderators can verify residents."))
    return ALLOW


def can_change_residency(actor, user) -> Decision:
    """Verify or withdraw the verification of ``user``: moderators for residents; only an administrator
    for staff (moderators, the steering group, administrators)."""
    decision = can_verify_residents(actor)
    if not decision:
        return decision
    if user.role != Role.RESIDENT and actor.role != Role.ADMIN:
        return deny(_l("Only administrators can change the residency of moderators, the steering group "
                       "and administrators."))
    return ALLOW


def can_manage_roles(actor) -> Decision:
    if not signed_in(actor) or actor.role != Role.ADMIN:
        return deny(_l("Only administrators can change roles."))
    return ALLOW


def can_read_audit_log(actor) -> Decision:
    if not signed_in(actor) or actor.role != Role.ADMIN:
        return deny(_l("Only administrators can read the audit log."))
    return ALLOW


def can_redeem_code(actor) -> Decision:
    if not signed_in(actor):
        return deny(_l("Sign in first."))
    if not actor.is_email_verified:
        return deny(_l("Confirm your e-mail address first."))
    if actor.is_verified_resident:
        return deny(_l("You are already a verified resident."))
    return ALLOW


def can_register_at_front_desk(actor) -> Decision:
    if not is_staff(actor):
        return deny(_l("Only moderators can register residents at the front desk."))
    return ALLOW


def can_issue_sign_in_slip(actor, user) -> Decision:
    """A slip sets the account's password, so it is only for residents without an e-mail address
    (who have no other way in); anyone with an address resets their password by e-mail."""
    decision = can_register_at_front_desk(actor)
    if not decision:
        return decision
    if user.email is not None:
        return deny(_l("%(name)s has an e-mail address and can set a password with it.",
                       name=user.display_name))
    if user.role != Role.RESIDENT:
        return deny(_l("Sign-in slips are only for residents."))
    return ALLOW
