"""Residency verification (in person, one-time codes) and role changes, at the service level."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from flask_babel import force_locale, gettext
from markupsafe import escape

from app.audit.models import AuditEvent
from app.auth.models import ResidencyCode, Role, User
from app.errors import Conflict, InvalidInput, NotAllowed, NotFound
from app.residents import queries, services

CODE_FORMAT = re.compile(r"^[A-HJ-NP-Z2-9]{5}-[A-HJ-NP-Z2-9]{5}$")
ONE_CODE_PER_ACCOUNT = (
    "This account has already used a residency code. Ask a moderator to verify you in person."
)


def polish(app, msgid: str) -> str:
    """The Polish text users see for ``msgid`` (which must have been translated)."""
    with app.test_request_context(), force_locale("pl"):
        text = gettext(msgid)
    assert text != msgid, f"no Polish translation for {msgid!r}"
    return text


def audit_events(session) -> list[AuditEvent]:
    return list(session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id)))


def codes_in_table(session) -> list[ResidencyCode]:
    return list(session.scalars(sa.select(ResidencyCode).order_by(ResidencyCode.id)))


def fresh(session, user: User) -> User:
    """The user as stored, after throwing away whatever the failed call left in the session."""
    session.rollback()
    session.expire_all()
    return session.get(User, user.id)


def just_now(moment: datetime | None) -> bool:
    return moment is not None and datetime.now(UTC) - moment < timedelta(minutes=1)


# --- verification in person ----------------------------------------------------------------------


def test_verify_in_person_records_who_when_how_and_audits_it(session, users):
    moderator = users.moderator()
    newcomer = users.unverified()

    services.verify_in_person(moderator, newcomer)

    stored = fresh(session, newcomer)
    assert stored.is_verified_resident
    assert just_now(stored.resident_verified_at)
    assert stored.resident_verified_by_id == moderator.id
    assert stored.resident_verification_method == "in_person"
    [event] = audit_events(session)
    assert event.action == "resident.verified_in_person"
    assert event.actor_id == moderator.id
    assert (event.subject_type, event.subject_id) == ("users", newcomer.id)


def test_verifying_twice_is_a_conflict_and_writes_nothing(session, users):
    first, second = users.moderator(), users.moderator()
    newcomer = users.unverified()
    services.verify_in_person(first, newcomer)
    verified_at = fresh(session, newcomer).resident_verified_at

    with pytest.raises(Conflict, match="ma już zweryfikowane zamieszkanie"):
        services.verify_in_person(second, newcomer)

    stored = fresh(session, newcomer)
    assert stored.resident_verified_by_id == first.id
    assert stored.resident_verified_at == verified_at
    assert [e.action for e in audit_events(session)] == ["resident.verified_in_person"]


@pytest.mark.parametrize("role", ["resident", "steering"])
def test_only_moderators_and_admins_verify(session, users, role):
    actor = users.for_role(role)
    newcomer = users.unverified()

    with pytest.raises(NotAllowed):
        services.verify_in_person(actor, newcomer)

    assert not fresh(session, newcomer).is_verified_resident
    assert audit_events(session) == []


def test_revoke_clears_the_verification_and_audits_the_old_method(session, users):
    moderator = users.moderator()
    resident = users.unverified()
    services.verify_in_person(moderator, resident)

    services.revoke_verification(moderator, resident)

    stored = fresh(session, resident)
    assert not stored.is_verified_resident
    assert stored.resident_verified_by_id is None
    assert stored.resident_verification_method is None
    revoked = audit_events(session)[-1]
    assert revoked.action == "resident.verification_revoked"
    assert revoked.actor_id == moderator.id
    assert revoked.subject_id == resident.id
    assert revoked.data == {"method": "in_person"}


def test_revoking_someone_not_verified_is_a_conflict(session, users):
    moderator = users.moderator()
    newcomer = users.unverified()

    with pytest.raises(Conflict, match="nie ma zweryfikowanego zamieszkania"):
        services.revoke_verification(moderator, newcomer)

    assert audit_events(session) == []


# --- one-time codes ------------------------------------------------------------------------------


def test_generate_codes_returns_distinct_formatted_codes_and_stores_only_hashes(session, users):
    moderator = users.moderator()

    codes = services.generate_codes(moderator, 30)

    assert len(codes) == 30
    assert len(set(codes)) == 30
    assert all(CODE_FORMAT.match(code) for code in codes), codes
    stored = codes_in_table(session)
    assert len(stored) == 30
    expected = {hashlib.sha256(code.replace("-", "").encode()).hexdigest() for code in codes}
    assert {row.code_hash for row in stored} == expected
    assert all(row.created_by_id == moderator.id and row.redeemed_at is None for row in stored)
    assert len({row.batch for row in stored}) == 1
    # No column of the table holds a code in plain text, with or without the dash.
    rows = session.execute(sa.text("SELECT * FROM residency_codes")).all()
    dump = " ".join(str(value) for row in rows for value in row).upper()
    for code in codes:
        assert code not in dump
        assert code.replace("-", "") not in dump
    [event] = audit_events(session)
    assert event.action == "residency_codes.generated"
    assert event.actor_id == moderator.id
    assert event.data["count"] == 30


@pytest.mark.parametrize("count", [0, -1, 201])
def test_generate_codes_refuses_counts_outside_1_to_200(session, users, count):
    moderator = users.moderator()

    with pytest.raises(InvalidInput, match="od 1 do 200 kodów"):
        services.generate_codes(moderator, count)

    session.rollback()
    assert codes_in_table(session) == []
    assert audit_events(session) == []


def test_generate_codes_accepts_the_maximum_batch(session, users):
    codes = services.generate_codes(users.moderator(), 200)
    assert len(set(codes)) == 200


def test_residents_cannot_generate_codes(session, users):
    with pytest.raises(NotAllowed):
        services.generate_codes(users.resident(), 5)
    session.rollback()
    assert codes_in_table(session) == []


def test_redeem_code_verifies_with_method_code_and_marks_the_code(session, users):
    [code] = services.generate_codes(users.moderator(), 1)
    newcomer = users.unverified()

    services.redeem_code(newcomer, code)

    stored = fresh(session, newcomer)
    assert stored.is_verified_resident
    assert stored.resident_verification_method == "code"
    assert stored.resident_verified_by_id is None
    [row] = codes_in_table(session)
    assert row.redeemed_by_id == newcomer.id
    assert just_now(row.redeemed_at)
    event = audit_events(session)[-1]
    assert event.action == "resident.verified_with_code"
    assert event.actor_id == newcomer.id


def test_a_code_works_only_once(session, users):
    [code] = services.generate_codes(users.moderator(), 1)
    first, second = users.unverified(), users.unverified()
    services.redeem_code(first, code)
    events_before = len(audit_events(session))

    with pytest.raises(InvalidInput, match="nieprawidłowy lub został już użyty"):
        services.redeem_code(second, code)

    assert not fresh(session, second).is_verified_resident
    [row] = codes_in_table(session)
    assert row.redeemed_by_id == first.id
    assert len(audit_events(session)) == events_before


@pytest.mark.parametrize(
    "typed",
    [
        lambda code: code.lower(),
        lambda code: code.replace("-", ""),
        lambda code: f"  {code[:3]} {code[3:5]} {code[6:]}  ",
        lambda code: code.replace("-", " ").lower(),
    ],
    ids=["lower-case", "no-dash", "spaces", "lower-case-with-space"],
)
def test_codes_are_accepted_however_they_are_typed(session, users, typed):
    [code] = services.generate_codes(users.moderator(), 1)
    newcomer = users.unverified()

    services.redeem_code(newcomer, typed(code))

    assert fresh(session, newcomer).resident_verification_method == "code"


@pytest.mark.parametrize("typed", ["", "ABCDE-FGHJK", "ABCDE-FGHJ", "ABCDE-FGHJKL"])
def test_wrong_codes_are_refused(session, users, typed):
    services.generate_codes(users.moderator(), 3)
    newcomer = users.unverified()

    with pytest.raises(InvalidInput, match="nieprawidłowy"):
        services.redeem_code(newcomer, typed)

    assert not fresh(session, newcomer).is_verified_resident
    assert all(row.redeemed_at is None for row in codes_in_table(session))


def test_unconfirmed_email_cannot_redeem(session, users):
    [code] = services.generate_codes(users.moderator(), 1)
    newcomer = users.make(verified=False, email_verified=False)

    with pytest.raises(NotAllowed, match="Najpierw potwierdź swój adres e-mail"):
        services.redeem_code(newcomer, code)

    assert not fresh(session, newcomer).is_verified_resident
    assert codes_in_table(session)[0].redeemed_at is None


def test_a_verified_resident_cannot_use_up_a_code(session, users):
    [code] = services.generate_codes(users.moderator(), 1)
    resident = users.resident()

    with pytest.raises(NotAllowed, match="Twoje zamieszkanie jest już zweryfikowane"):
        services.redeem_code(resident, code)

    assert fresh(session, resident).resident_verification_method == "in_person"
    assert codes_in_table(session)[0].redeemed_at is None


def test_an_account_redeems_one_code_only_even_after_a_revocation(app, session, users):
    moderator = users.moderator()
    first_code, second_code = services.generate_codes(moderator, 2)
    resident = users.unverified()
    services.redeem_code(resident, first_code)
    services.revoke_verification(moderator, resident)
    events_before = len(audit_events(session))

    with pytest.raises(InvalidInput, match=re.escape(polish(app, ONE_CODE_PER_ACCOUNT))):
        services.redeem_code(fresh(session, resident), second_code)

    assert not fresh(session, resident).is_verified_resident
    unused = session.scalar(sa.select(ResidencyCode).where(ResidencyCode.redeemed_at.is_(None)))
    assert unused is not None and unused.redeemed_by_id is None
    assert len(audit_events(session)) == events_before
    # The unused code still works for somebody else.
    services.redeem_code(users.unverified(), second_code)


def test_redeeming_a_second_code_through_the_profile_page_is_refused_with_a_message(
    app, session, users, client
):
    moderator = users.moderator()
    first_code, second_code = services.generate_codes(moderator, 2)
    resident = users.unverified()
    services.redeem_code(resident, first_code)
    services.revoke_verification(moderator, resident)
    client.login(resident)

    response = client.post("/account/residency-code", {"code": second_code})

    assert response.status_code == 422
    assert str(escape(polish(app, ONE_CODE_PER_ACCOUNT))) in response.get_data(as_text=True)
    assert not fresh(session, resident).is_verified_resident


# --- roles ---------------------------------------------------------------------------------------


def test_admin_changes_a_role_and_the_audit_log_keeps_old_and_new(session, users):
    admin = users.admin()
    resident = users.resident()

    services.set_role(admin, resident, "moderator")

    assert fresh(session, resident).role == Role.MODERATOR
    [event] = audit_events(session)
    assert event.action == "user.role_changed"
    assert event.actor_id == admin.id
    assert event.subject_id == resident.id
    assert event.data == {"old": "resident", "new": "moderator"}


def test_setting_the_same_role_writes_nothing(session, users):
    admin = users.admin()
    moderator = users.moderator()

    services.set_role(admin, moderator, "moderator")

    assert audit_events(session) == []


def test_an_unknown_role_is_refused(session, users):
    admin = users.admin()
    resident = users.resident()

    with pytest.raises(InvalidInput):
        services.set_role(admin, resident, "superuser")

    assert fresh(session, resident).role == Role.RESIDENT
    assert audit_events(session) == []


@pytest.mark.parametrize("role", ["resident", "moderator", "steering"])
def test_only_admins_change_roles(session, users, role):
    actor = users.for_role(role)
    target = users.resident()

    with pytest.raises(NotAllowed, match="Tylko administratorzy mogą zmieniać role"):
        services.set_role(actor, target, "admin")

    assert fresh(session, target).role == Role.RESIDENT
    assert fresh(session, actor).role == role
    assert audit_events(session) == []


def test_the_last_admin_cannot_be_demoted(session, users):
    admin = users.admin()
    assert session.scalar(sa.select(sa.func.count()).where(User.role == Role.ADMIN)) == 1

    with pytest.raises(Conflict, match="co najmniej jednego administratora"):
        services.set_role(admin, admin, "resident")

    assert fresh(session, admin).role == Role.ADMIN
    assert audit_events(session) == []


def test_one_of_two_admins_can_be_demoted(session, users):
    admin, other = users.admin(), users.admin()

    services.set_role(admin, other, "steering")

    assert fresh(session, other).role == Role.STEERING
    with pytest.raises(Conflict):
        services.set_role(admin, admin, "resident")


def test_set_role_by_email_acts_as_the_system(session, users):
    resident = users.resident(email="zofia@kozlowka.example")

    returned = services.set_role_by_email("  Zofia@Kozlowka.EXAMPLE ", "steering")

    assert returned.id == resident.id
    assert fresh(session, resident).role == Role.STEERING
    [event] = audit_events(session)
    assert event.action == "user.role_changed_from_cli"
    assert event.actor_id is None
    assert event.data == {"old": "resident", "new": "steering"}


def test_set_role_by_email_refuses_an_unknown_address(session, users):
    with pytest.raises(InvalidInput, match="Nie ma konta z tym adresem e-mail"):
        services.set_role_by_email("nikt@kozlowka.example", "admin")
    assert audit_events(session) == []


def test_set_role_by_email_keeps_the_last_admin(session, users):
    admin = users.admin()
    with pytest.raises(Conflict):
        services.set_role_by_email(admin.email, "resident")
    assert fresh(session, admin).role == Role.ADMIN


def test_a_refusal_naming_a_resident_shows_the_name_as_text(session, users, client):
    """The display name is user input: in the 409 page it must be escaped, not run as a script."""
    moderator = users.moderator()
    resident = users.resident()
    client.login(moderator)

    response = client.post(f"/residents/{resident.id}/verify", confirm=True)

    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "ma już zweryfikowane zamieszkanie" in html
    assert "<script>alert('x')</script>" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html


def test_verifying_from_a_filtered_list_returns_to_it(client, users):
    moderator, waiting = users.moderator(), users.unverified()
    client.login(moderator)
    back = client.post(f"/residents/{waiting.id}/verify", {"next": "/residents?status=unverified&q=ab"},
                       confirm=True)
    assert back.headers["Location"] == "/residents?status=unverified&q=ab"
    elsewhere = client.post(f"/residents/{users.unverified().id}/verify", {"next": "https://evil.example/"},
                            confirm=True)
    assert elsewhere.headers["Location"] == "/residents"


# --- deleted (anonymised) accounts ---------------------------------------------------------------


def deleted_account(session, users, **kw) -> User:
    from app.privacy.services import delete_account
    from tests.factories import PASSWORD

    person = users.make(**kw)
    delete_account(person, PASSWORD)
    return fresh(session, person)


def test_deleted_accounts_are_not_listed_for_moderators(session, users, client):
    moderator = users.moderator()
    kept = users.unverified(name="Wanda Zostaje")
    gone = deleted_account(session, users, verified=False)
    client.login(moderator)

    for query in ("", "?status=unverified", "?role=resident", "?q=deleted"):
        html = client.get(f"/residents{query}").get_data(as_text=True)
        assert gone.email not in html
        assert f"/residents/{gone.id}/verify" not in html and f"role-{gone.id}" not in html
    assert "Wanda Zostaje" in client.get("/residents").get_data(as_text=True)
    listed = {user.id for user in session.scalars(queries.residents())}
    assert kept.id in listed and gone.id not in listed


def test_a_deleted_account_cannot_be_verified(session, users, client):
    moderator = users.moderator()
    gone = deleted_account(session, users, verified=False)

    with pytest.raises(NotFound, match="usunięte"):
        services.verify_in_person(moderator, gone)
    assert not fresh(session, gone).is_verified_resident
    client.login(moderator)
    response = client.post(f"/residents/{gone.id}/verify", confirm=True)
    assert response.status_code == 404
    message = polish(client.app, "This account has been deleted by its owner.")
    assert message in response.get_data(as_text=True)
    assert not fresh(session, gone).is_verified_resident
    assert [e.action for e in audit_events(session)] == ["account.deleted"]


@pytest.mark.parametrize("role", ["admin", "moderator", "steering"])
def test_a_deleted_account_cannot_be_given_a_role(session, users, client, role):
    admin = users.admin()
    gone = deleted_account(session, users)

    with pytest.raises(NotFound):
        services.set_role(admin, gone, role)
    with pytest.raises(NotFound):
        services.set_role_by_email(gone.email, role)
    client.login(admin)
    response = client.post(f"/residents/{gone.id}/role", {"role": role}, confirm=True)
    assert response.status_code == 404
    assert fresh(session, gone).role == Role.RESIDENT
    assert [e.action for e in audit_events(session)] == ["account.deleted"]


def test_a_deleted_account_never_counts_as_the_remaining_administrator(session, users):
    """Even if an old database holds a deleted account with the admin role, the last real admin stays."""
    admin = users.admin()
    gone = deleted_account(session, users)
    session.execute(sa.update(User).where(User.id == gone.id).values(role=Role.ADMIN))
    session.commit()

    with pytest.raises(Conflict, match="co najmniej jednego administratora"):
        services.set_role_by_email(admin.email, "resident")
    assert fresh(session, admin).role == Role.ADMIN


def test_changing_a_role_asks_for_confirmation(session, users, client):
    admin = users.admin()
    users.resident(name="Bożena Rola")
    client.login(admin)

    html = client.get("/residents").get_data(as_text=True)

    forms = re.findall(r'<form[^>]*action="/residents/\d+/role".*?</form>', html, re.S)
    assert forms
    for form in forms:
        assert re.search(r'<button type="submit"[^>]*data-confirm="[^"]+"', form), form
    assert "Bożena Rola" in html
