"""The `flask …` commands an operator runs on the server."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.auth.models import Role, User
from app.auth.passwords import verify_password
from app.auth.services import resend_verification
from app.demo.seed import DEMO_PASSWORD, FRONT_DESK, PEOPLE
from tests.factories import PASSWORD


@pytest.fixture
def flask_cli(app, session):
    runner = app.test_cli_runner()

    def run(*args, input=None):
        return runner.invoke(args=list(args), input=input)

    return run


def audit_actions(session) -> list[str]:
    return list(session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)))


def user_by_email(session, email: str) -> User | None:
    session.expire_all()
    return session.scalar(sa.select(User).where(User.email == email))


# --- users set-role ------------------------------------------------------------------------------


def test_set_role_changes_the_role_and_writes_an_audit_event(session, users, flask_cli):
    resident = users.resident(email="tomasz@kozlowka.example")

    result = flask_cli("users", "set-role", "Tomasz@Kozlowka.example", "moderator")

    assert result.exit_code == 0, result.output
    assert "tomasz@kozlowka.example is now moderator." in result.output
    assert user_by_email(session, resident.email).role == Role.MODERATOR
    [event] = session.scalars(sa.select(AuditEvent)).all()
    assert event.action == "user.role_changed_from_cli"
    assert event.actor_id is None
    assert event.subject_id == resident.id
    assert event.data == {"old": "resident", "new": "moderator"}


def test_set_role_with_an_unknown_email_fails_with_a_message(session, users, flask_cli):
    result = flask_cli("users", "set-role", "nikt@kozlowka.example", "admin")

    assert result.exit_code != 0
    assert "Nie ma konta z tym adresem e-mail" in result.output
    assert "Traceback" not in result.output
    assert audit_actions(session) == []


def test_set_role_refuses_an_unknown_role(session, users, flask_cli):
    resident = users.resident()

    result = flask_cli("users", "set-role", resident.email, "king")

    assert result.exit_code != 0
    assert "king" in result.output
    assert user_by_email(session, resident.email).role == Role.RESIDENT


def test_set_role_will_not_demote_the_last_admin(session, users, flask_cli):
    admin = users.admin()

    result = flask_cli("users", "set-role", admin.email, "resident")

    assert result.exit_code != 0
    assert "co najmniej jednego administratora" in result.output
    assert user_by_email(session, admin.email).role == Role.ADMIN


# --- users create-admin --------------------------------------------------------------------------


def test_create_admin_reads_the_password_from_stdin(session, flask_cli):
    result = flask_cli("users", "create-admin", "Szefowa@Kozlowka.example", input=f"{PASSWORD}\n")

    assert result.exit_code == 0, result.output
    assert "szefowa@kozlowka.example is an administrator." in result.output
    admin = user_by_email(session, "szefowa@kozlowka.example")
    assert admin.role == Role.ADMIN
    assert admin.display_name == "szefowa"
    assert admin.is_email_verified
    assert verify_password(admin.password_hash, PASSWORD)
    assert audit_actions(session) == ["admin.created_from_cli"]


def test_create_admin_promotes_an_existing_account(session, users, flask_cli):
    resident = users.resident()
    new_password = "zielony-most-nad-wisla"

    result = flask_cli("users", "create-admin", resident.email, input=f"{new_password}\n")

    assert result.exit_code == 0, result.output
    promoted = user_by_email(session, resident.email)
    assert promoted.role == Role.ADMIN
    assert verify_password(promoted.password_hash, new_password)
    assert session.scalar(sa.select(sa.func.count()).select_from(User)) == 1


@pytest.mark.parametrize(
    ("password", "message"),
    [("krotkie", "co najmniej 10 znaków"), ("qwertyuiop", "często używanych haseł")],
    ids=["short", "common"],
)
def test_create_admin_refuses_a_weak_password(session, flask_cli, password, message):
    result = flask_cli("users", "create-admin", "slaba@kozlowka.example", input=f"{password}\n")

    assert result.exit_code != 0
    assert message in result.output
    assert user_by_email(session, "slaba@kozlowka.example") is None
    assert audit_actions(session) == []


# --- users setup-link ----------------------------------------------------------------------------


def test_setup_link_is_printed_while_there_is_no_admin_and_works(session, users, client, flask_cli):
    users.moderator()  # other accounts do not count

    result = flask_cli("users", "setup-link")

    assert result.exit_code == 0, result.output
    match = re.search(r"http://localhost(/setup/\S+)", result.output)
    assert match, result.output
    assert client.get(match.group(1)).status_code == 200


def test_no_setup_link_once_an_admin_exists(session, users, flask_cli):
    users.admin()

    result = flask_cli("users", "setup-link")

    assert result.exit_code == 0
    assert "An administrator exists; sign in at http://localhost/login" in result.output
    assert "/setup/" not in result.output
    assert "demo" not in result.output


def test_after_the_demo_the_setup_link_command_names_the_demo_administrator(session, users, flask_cli):
    from app.demo.seed import DEMO_PASSWORD

    users.admin(email="admin@mam.example")  # as `flask demo seed` makes it

    result = flask_cli("users", "setup-link")

    assert "/setup/" not in result.output
    assert f"The demo's administrator: admin@mam.example, password {DEMO_PASSWORD}" in result.output


def test_an_old_setup_link_stops_working_once_an_admin_exists(session, users, client, flask_cli):
    link = re.search(r"http://localhost(/setup/\S+)", flask_cli("users", "setup-link").output).group(1)
    users.admin()

    assert client.get(link).status_code == 403


# --- outbox send ---------------------------------------------------------------------------------


def test_outbox_send_sends_pending_messages_and_prints_the_counts(session, users, mail, flask_cli):
    waiting = [users.make(verified=False, email_verified=False) for _ in range(2)]
    for user in waiting:
        resend_verification(user)

    result = flask_cli("outbox", "send")

    assert result.exit_code == 0, result.output
    assert "sent 2, failed 0" in result.output
    assert sorted(sent["to"] for sent in mail) == sorted(user.email for user in waiting)
    assert "sent 0, failed 0" in flask_cli("outbox", "send").output
    assert len(mail) == 2


def test_outbox_send_reports_failures_with_a_non_zero_exit(app, session, users, mail, flask_cli, monkeypatch):
    resend_verification(users.make(verified=False, email_verified=False))
    monkeypatch.setitem(app.config, "MAIL_BACKEND", "smtp")
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", 1)

    result = flask_cli("outbox", "send")

    assert result.exit_code == 1
    assert "sent 0, failed 1" in result.output
    assert mail == []


# --- demo seed -----------------------------------------------------------------------------------


def count_users(session) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(User))


DEMO_USERS = len(PEOPLE) + len(FRONT_DESK)  # the front desk's two residents have no e-mail


def test_demo_seed_creates_every_role_and_is_idempotent(session, flask_cli):
    first = flask_cli("demo", "seed")

    assert first.exit_code == 0, first.output
    assert f"demo accounts: {len(PEOPLE)} created, 0 already there" in first.output
    assert count_users(session) == DEMO_USERS
    roles = set(session.scalars(sa.select(User.role)))
    assert roles == {"resident", "moderator", "steering", "admin"}
    events = len(audit_actions(session))

    second = flask_cli("demo", "seed")

    assert second.exit_code == 0, second.output
    assert f"demo accounts: 0 created, {len(PEOPLE)} already there" in second.output
    assert count_users(session) == DEMO_USERS
    assert len(audit_actions(session)) == events
    assert flask_cli("audit", "verify").exit_code == 0


def test_demo_accounts_can_sign_in(session, client, flask_cli):
    flask_cli("demo", "seed")

    response = client.post("/login", {"email": "moderator@mam.example", "password": DEMO_PASSWORD})

    assert response.status_code == 303
    verified = {user.email: user.is_verified_resident
                for user in session.scalars(sa.select(User).where(User.email.is_not(None)))}
    assert verified == {email: is_verified for email, _n, _r, is_verified, _l in PEOPLE}


def test_demo_seed_refuses_a_production_database_without_force(app, session, flask_cli, monkeypatch):
    monkeypatch.setitem(app.config, "MAM_ENV", "production")

    result = flask_cli("demo", "seed")

    assert result.exit_code != 0
    assert "Refusing to seed demo content: MAM_ENV is production" in result.output
    assert "--force" in result.output
    assert "Traceback" not in result.output
    assert count_users(session) == 0
    assert user_by_email(session, "admin@mam.example") is None


def test_demo_seed_on_production_with_force_seeds(app, session, flask_cli, monkeypatch):
    monkeypatch.setitem(app.config, "MAM_ENV", "production")

    result = flask_cli("demo", "seed", "--force")

    assert result.exit_code == 0, result.output
    assert count_users(session) == DEMO_USERS


# --- audit verify --------------------------------------------------------------------------------


def test_audit_verify_reports_an_intact_chain(session, users, flask_cli):
    flask_cli("users", "set-role", users.resident().email, "steering")

    result = flask_cli("audit", "verify")

    assert result.exit_code == 0
    assert "audit chain intact" in result.output


def test_audit_verify_fails_on_a_tampered_chain(session, users, flask_cli):
    resident = users.resident()
    flask_cli("users", "set-role", resident.email, "steering")
    flask_cli("users", "set-role", resident.email, "moderator")
    event_id = session.scalars(sa.select(AuditEvent.id).order_by(AuditEvent.id)).first()
    session.execute(sa.text("UPDATE audit_events SET action = 'x' WHERE id = :id"), {"id": event_id})
    session.commit()
    session.expire_all()

    result = flask_cli("audit", "verify")

    assert result.exit_code != 0
    assert f"broken at event {event_id}" in result.output
