"""Only an administrator changes the residency of staff: every acting role × every target role, for
verifying in person and for withdrawing a verification, through the residents page as people use it."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.auth.models import User

ROLES = ["resident", "moderator", "steering", "admin"]
ONLY_ADMINS = ("Tylko administratorzy mogą potwierdzać lub wycofywać weryfikację moderatorów, grupy "
               "sterującej i administratorów.")


def _may_change(actor: str, target: str) -> bool:
    if actor == "admin":
        return True
    return actor == "moderator" and target == "resident"


def _is_verified(session, user: User) -> bool:
    session.expire_all()
    return session.get(User, user.id).is_verified_resident


@pytest.mark.parametrize("target_role", ROLES)
@pytest.mark.parametrize("actor_role", ROLES)
def test_withdrawing_a_verification(actor_role, target_role, client, users, session):
    actor = users.for_role(actor_role)
    target = users.for_role(target_role)  # verified
    client.login(actor)

    response = client.post(f"/residents/{target.id}/revoke", confirm=True)

    if _may_change(actor_role, target_role):
        assert response.status_code == 303
        assert not _is_verified(session, target)
        assert session.scalar(sa.select(AuditEvent.action).where(AuditEvent.subject_id == target.id)) \
            == "resident.verification_revoked"
    else:
        assert response.status_code == 403
        assert _is_verified(session, target)
        assert session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)) == 0
        if actor_role == "moderator":
            assert ONLY_ADMINS in response.get_data(as_text=True)


@pytest.mark.parametrize("target_role", ROLES)
@pytest.mark.parametrize("actor_role", ROLES)
def test_verifying_in_person(actor_role, target_role, client, users, session):
    actor = users.for_role(actor_role)
    target = users.make(target_role, verified=False)
    client.login(actor)

    response = client.post(f"/residents/{target.id}/verify", confirm=True)

    if _may_change(actor_role, target_role):
        assert response.status_code == 303
        assert _is_verified(session, target)
    else:
        assert response.status_code == 403
        assert not _is_verified(session, target)
        if actor_role == "moderator":
            assert ONLY_ADMINS in response.get_data(as_text=True)


def test_moderators_see_the_residency_buttons_for_residents_only(client, users, session):
    moderator = users.make("moderator")
    admin = users.make("admin", verified=False)
    resident = users.make("resident")
    newcomer = users.make("resident", verified=False)
    client.login(users.moderator())

    page = client.get("/residents").get_data(as_text=True)

    assert f"/residents/{resident.id}/revoke" in page
    assert f"/residents/{newcomer.id}/verify" in page
    assert f"/residents/{moderator.id}/revoke" not in page
    assert f"/residents/{admin.id}/verify" not in page
    assert "bez weryfikacji" in page


def test_administrators_see_the_residency_buttons_for_staff(client, users, session):
    moderator = users.make("moderator")
    admin = users.make("admin", verified=False)
    client.login(users.admin())

    page = client.get("/residents").get_data(as_text=True)

    assert f"/residents/{moderator.id}/revoke" in page
    assert f"/residents/{admin.id}/verify" in page
