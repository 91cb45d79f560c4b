"""Residents registered at the front desk: registration, duplicates, sign-in slips, signing in with a slip,
and messages kept for people without an e-mail address."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.auth.models import User
from app.db import utcnow
from app.errors import Conflict, InvalidInput, NotAllowed
from app.outbox.models import OutboxMessage
from app.outbox.services import queue_email_to, send_pending
from app.residents import front_desk
from app.residents.front_desk import FrontDeskData
from app.residents.models import SignInCode

SLIP_CODE = re.compile(r'<p class="slip-code"><code>([A-HJ-NP-Z2-9]{5}-[A-HJ-NP-Z2-9]{5})</code></p>')
NEW_PASSWORD = "zielona-lawka-pod-blokiem"


def html(response) -> str:
    return response.get_data(as_text=True)


def count(session, model) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(model))


def actions(session) -> list[str]:
    return list(session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)))


# --- registration (services) -----------------------------------------------------------------------


def test_registration_without_email_verifies_in_person_and_audits(session, users):
    moderator = users.moderator()
    user = front_desk.register_at_front_desk(
        moderator, FrontDeskData("Stanisława Kowalczyk", "27", "II", "14", "600 100-200", ""))
    session.expire_all()
    stored = session.get(User, user.id)
    assert stored.email is None and stored.password_hash == ""
    assert (stored.building, stored.staircase, stored.flat, stored.phone) == ("27", "II", "14", "600100200")
    assert stored.is_verified_resident and stored.resident_verification_method == "in_person"
    assert stored.resident_verified_by_id == moderator.id and stored.resident_verified_at is not None
    event = session.scalar(
        sa.select(AuditEvent).where(AuditEvent.action == "resident.registered_at_front_desk"))
    assert (event.actor_id, event.subject_id, event.data["method"]) == (moderator.id, user.id, "in_person")


def test_two_residents_without_email_do_not_collide_and_emails_stay_unique_case_insensitively(session, users):
    moderator = users.moderator()
    front_desk.register_at_front_desk(moderator, FrontDeskData("Anna"))
    front_desk.register_at_front_desk(moderator, FrontDeskData("Bogdan"))
    taken = users.resident(email="zajety@kozlowka.example")
    with pytest.raises(Conflict) as refused:
        front_desk.register_at_front_desk(moderator,
                                          FrontDeskData("Cezary", email=" ZAJETY@Kozlowka.example "))
    assert refused.value.field == "email" and taken.id
    assert session.scalar(sa.select(sa.func.count()).where(User.email.is_(None))) == 2


def test_possible_duplicates_need_confirmation(session, users):
    moderator = users.moderator()
    first = front_desk.register_at_front_desk(moderator, FrontDeskData("Józef Wiśniewski", "29", "", "3", ""))
    phone_owner = front_desk.register_at_front_desk(moderator, FrontDeskData("Ktoś", phone="+48 600 700 800"))
    before = count(session, User)
    with pytest.raises(front_desk.PossibleDuplicates) as same_flat:
        front_desk.register_at_front_desk(moderator, FrontDeskData("józef wiśniewski", "29", "", "3", ""))
    assert [p.id for p in same_flat.value.people] == [first.id]
    with pytest.raises(front_desk.PossibleDuplicates) as same_phone:
        front_desk.register_at_front_desk(moderator, FrontDeskData("Inna osoba", phone="+48600700800"))
    assert [p.id for p in same_phone.value.people] == [phone_owner.id]
    session.rollback()
    assert count(session, User) == before
    front_desk.register_at_front_desk(moderator, FrontDeskData("Józef Wiśniewski", "29", "", "3", ""),
                                      confirmed=True)
    assert count(session, User) == before + 1


@pytest.mark.parametrize("role", ["resident", "steering"])
def test_only_moderators_and_admins_register(session, users, role):
    with pytest.raises(NotAllowed):
        front_desk.register_at_front_desk(users.for_role(role), FrontDeskData("Anna"))
    front_desk.register_at_front_desk(users.admin(), FrontDeskData("Anna"))


# --- registration (pages) --------------------------------------------------------------------------


@pytest.mark.parametrize(("role", "status"), [("anonymous", 302), ("resident", 403), ("steering", 403),
                                              ("moderator", 200), ("admin", 200)])
def test_registration_page_per_role(client, users, role, status):
    user = users.for_role(role)
    if user:
        client.login(user)
    response = client.get("/residents/new")
    assert response.status_code == status
    if status == 200:
        assert "Zarejestruj mieszkańca w punkcie obsługi" in html(response)


def test_moderator_registers_a_resident_without_email(client, users, session):
    client.login(users.moderator())
    response = client.post("/residents/new", {"display_name": "Stanisława Kowalczyk", "building": "27",
                                              "staircase": "II", "flat": "14", "phone": "", "email": ""})
    assert response.status_code == 303
    user = session.scalar(sa.select(User).where(User.display_name == "Stanisława Kowalczyk"))
    assert user.email is None and user.is_verified_resident
    page = html(client.get(response.headers["Location"]))
    assert "Stanisława Kowalczyk" in page and "27 / II / 14" in page and "Wydrukuj kartkę logowania" in page


@pytest.mark.parametrize(("form", "message"), [
    ({"display_name": ""}, "To pole jest wymagane."),
    ({"display_name": "A" * 500}, "To pole może mieć najwyżej 80 znaków."),
    ({"flat": "<script>"}, "Użyj tylko liter, cyfr, spacji i znaków / - . ,"),
    ({"phone": "600 abc 200"}, "Wpisz numer telefonu samymi cyframi"),
    ({"email": "nie-adres"}, "Wpisz poprawny adres e-mail"),
])
def test_bad_input_is_refused_with_a_message_and_saves_nothing(client, users, session, form, message):
    client.login(users.moderator())
    before = count(session, User), count(session, AuditEvent)
    response = client.post("/residents/new", {"display_name": "Anna", **form})
    assert response.status_code == 422 and message in html(response)
    assert "<script>" not in html(response).split("</header>")[-1].replace("&lt;script&gt;", "")
    assert (count(session, User), count(session, AuditEvent)) == before


def test_duplicate_is_shown_and_a_confirmed_second_post_saves(client, users, session):
    client.login(users.moderator())
    data = {"display_name": "Józef Wiśniewski", "building": "29", "flat": "3"}
    assert client.post("/residents/new", data).status_code == 303
    response = client.post("/residents/new", data)
    assert response.status_code == 409
    page = html(response)
    assert "Ta osoba może już mieć konto" in page and 'name="confirm" value="yes"' in page
    assert "Tak, to inna osoba: zarejestruj" in page
    assert session.scalar(sa.select(sa.func.count()).where(User.display_name == "Józef Wiśniewski")) == 1
    assert client.post("/residents/new", {**data, "confirm": "yes"}).status_code == 303
    assert session.scalar(sa.select(sa.func.count()).where(User.display_name == "Józef Wiśniewski")) == 2


def test_residents_list_and_search_show_people_without_email(client, users):
    person = users.front_desk(name="Bronisława Bez-Adresu", building="27", flat="14")
    client.login(users.moderator())
    page = html(client.get("/residents?q=bronis"))
    assert "Bronisława Bez-Adresu" in page and "bez adresu e-mail" in page and "27 / 14" in page
    assert f"/residents/{person.id}" in page


# --- sign-in slips ---------------------------------------------------------------------------------


def test_slip_is_hashed_expires_in_30_days_and_reissue_voids_the_old_one(session, users):
    moderator, person = users.moderator(), users.front_desk()
    first = front_desk.issue_sign_in_slip(moderator, person)
    stored = session.scalar(sa.select(SignInCode))
    plain = first.code.replace("-", "")
    assert plain not in (stored.code_hash, stored.reference) and len(stored.code_hash) == 64
    assert timedelta(days=29, hours=23) < stored.expires_at - utcnow() <= timedelta(days=30)
    second = front_desk.issue_sign_in_slip(moderator, person)
    session.expire_all()
    old, new = session.scalars(sa.select(SignInCode).order_by(SignInCode.id)).all()
    assert old.voided_at is not None and new.voided_at is None
    with pytest.raises(front_desk.SlipCodeGone) as gone:
        front_desk.sign_in_with_code(first.code, NEW_PASSWORD)
    assert gone.value.status == 410
    user = front_desk.sign_in_with_code(second.code.lower().replace("-", " "), NEW_PASSWORD)
    assert user.id == person.id
    assert actions(session).count("resident.sign_in_slip_issued") == 2


def test_slips_only_for_residents_without_email(session, users):
    moderator = users.moderator()
    with pytest.raises(NotAllowed):
        front_desk.issue_sign_in_slip(moderator, users.resident())
    with pytest.raises(NotAllowed):
        front_desk.issue_sign_in_slip(users.resident(), users.front_desk())
    assert count(session, SignInCode) == 0


def test_code_works_once(session, users):
    slip = front_desk.issue_sign_in_slip(users.moderator(), users.front_desk())
    front_desk.sign_in_with_code(slip.code, NEW_PASSWORD)
    with pytest.raises(front_desk.SlipCodeGone) as used:
        front_desk.sign_in_with_code(slip.code, "inne-bardzo-dlugie-haslo")
    assert used.value.status == 410


def test_expired_code_is_refused(session, users):
    person = users.front_desk()
    slip = front_desk.issue_sign_in_slip(users.moderator(), person)
    stored = session.scalar(sa.select(SignInCode))
    stored.expires_at = utcnow() - timedelta(seconds=1)
    session.commit()
    with pytest.raises(front_desk.SlipCodeGone):
        front_desk.sign_in_with_code(slip.code, NEW_PASSWORD)
    session.rollback()
    assert session.get(User, person.id).password_hash == ""


def test_mistyped_code_and_weak_password_change_nothing(session, users):
    person = users.front_desk()
    slip = front_desk.issue_sign_in_slip(users.moderator(), person)
    for wrong in ("", "ABC", "ABCDE-ABCDE"):
        with pytest.raises(InvalidInput):
            front_desk.sign_in_with_code(wrong, NEW_PASSWORD)
    with pytest.raises(InvalidInput):
        front_desk.sign_in_with_code(slip.code, "krotkie")
    session.rollback()
    assert session.scalar(sa.select(SignInCode.used_at)) is None


def test_slip_page_pdf_and_signing_in_with_the_code(client, make_client, users, session, mail):
    person = users.front_desk(name="Stanisława Kowalczyk")
    client.login(users.moderator())
    response = client.post(f"/residents/{person.id}/slip")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    page = html(response)
    code = SLIP_CODE.search(page).group(1)
    assert "Kartka logowania dla: Stanisława Kowalczyk" in page
    assert "http://localhost/sign-in/code" in page
    assert "ul. Kozłówka 14, 30-664 Kraków" in page and "10:00–20:00" in page
    assert code.replace("-", "") not in html(client.get(f"/residents/{person.id}"))  # shown once only
    pdf = client.post(f"/residents/{person.id}/slip.pdf", {"code": code})
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")
    assert client.post(f"/residents/{person.id}/slip.pdf", {"code": "AAAAA-BBBBB"}).status_code == 422

    resident = make_client()
    form = {"code": code.lower(), "password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD, "email": ""}
    signed_in = resident.post("/sign-in/code", form)
    assert signed_in.status_code == 303 and signed_in.headers["Location"] == "/account"
    assert "Moje konto" in html(resident.get("/account"))
    again = make_client().post("/sign-in/code", form)
    assert again.status_code == 410 and "Ten kod został już użyty." in html(again)
    assert mail == []
    assert "resident.signed_in_with_slip" in actions(session)


def test_without_email_the_resident_number_on_the_slip_signs_in_on_any_device(client, make_client, users):
    from tests.factories import PASSWORD

    person = users.front_desk(name="Stanisława Kowalczyk")
    client.login(users.moderator())
    slip = html(client.post(f"/residents/{person.id}/slip"))
    number = f"MAM-{person.id}"
    assert f"Następnym razem zaloguj się numerem mieszkańca {number} i swoim hasłem." in slip
    first = make_client()
    first.post("/sign-in/code", {"code": SLIP_CODE.search(slip).group(1), "password": NEW_PASSWORD,
                                 "password_confirm": NEW_PASSWORD, "email": ""})
    assert number in html(first.get("/account"))

    for typed in (number, f"mam {person.id}", str(person.id)):
        other = make_client()
        response = other.post("/login", {"email": typed, "password": NEW_PASSWORD})
        assert response.status_code == 303, typed
        assert "Stanisława Kowalczyk" in html(other.get("/account"))
    wrong = make_client().post("/login", {"email": number, "password": "to-nie-jest-haslo"})
    assert wrong.status_code == 422
    assert "Nieprawidłowy adres e-mail, numer mieszkańca lub hasło." in html(wrong)
    # An account with an address signs in with the address, never with its number.
    resident = users.resident()
    by_number = make_client().post("/login", {"email": f"MAM-{resident.id}", "password": PASSWORD})
    assert by_number.status_code == 422
    nonsense = make_client().post("/login", {"email": "ani-adres-ani-numer", "password": PASSWORD})
    assert nonsense.status_code == 422 and "albo numer mieszkańca, np. MAM-123" in html(nonsense)


def test_signing_in_with_a_code_can_add_an_email(make_client, users, session, mail):
    person = users.front_desk()
    slip = front_desk.issue_sign_in_slip(users.moderator(), person)
    resident = make_client()
    response = resident.post("/sign-in/code", {"code": slip.code, "password": NEW_PASSWORD,
                                              "password_confirm": NEW_PASSWORD,
                                              "email": "Nowa@Kozlowka.example"})
    assert response.status_code == 303
    session.expire_all()
    assert session.get(User, person.id).email == "nowa@kozlowka.example"
    assert [m["to"] for m in mail] == ["nowa@kozlowka.example"]
    resident.logout()
    resident.login(session.get(User, person.id), NEW_PASSWORD)


@pytest.mark.parametrize(("code", "status", "message"), [
    ("", 422, "To pole jest wymagane."),
    ("ZZZZZ-ZZZZZ", 422, "Ten kod jest nieprawidłowy."),
    ("expired", 410, "Ten kod stracił ważność."),
])
def test_sign_in_code_page_refusals(client, users, session, code, status, message):
    if code == "expired":
        code = front_desk.issue_sign_in_slip(users.moderator(), users.front_desk()).code
        session.execute(sa.update(SignInCode).values(expires_at=utcnow() - timedelta(days=1)))
        session.commit()
    response = client.post("/sign-in/code", {"code": code, "password": NEW_PASSWORD,
                                             "password_confirm": NEW_PASSWORD})
    assert response.status_code == status and message in html(response)


def test_sign_in_code_attempts_are_rate_limited(app, client):
    app.config["RATELIMIT_AUTH"] = "3 per minute"
    try:
        statuses = [client.post("/sign-in/code", {"code": "ZZZZZ-ZZZZZ", "password": NEW_PASSWORD,
                                                  "password_confirm": NEW_PASSWORD}).status_code
                    for _ in range(4)]
    finally:
        app.config["RATELIMIT_AUTH"] = "1000 per minute"
    assert statuses == [422, 422, 422, 429]


@pytest.mark.parametrize(("role", "status"), [("resident", 403), ("steering", 403), ("admin", 200)])
def test_slip_and_resident_page_per_role(client, users, role, status):
    person = users.front_desk()
    client.login(users.for_role(role))
    assert client.get(f"/residents/{person.id}").status_code == status
    assert client.post(f"/residents/{person.id}/slip").status_code == status


# --- messages for people without an address --------------------------------------------------------


def test_messages_for_a_person_without_email_are_kept_and_shown(app, client, make_client, users, session,
                                                                 mail):
    person = users.front_desk(name="Stanisława Kowalczyk")
    with app.test_request_context():
        queue_email_to(person, "Wyniki rundy", "auth/email/verify_email.txt", user=person,
                       link="http://localhost/")
    session.commit()
    assert send_pending() == (0, 0) and mail == []
    message = session.scalar(sa.select(OutboxMessage))
    assert message.recipient is None and message.recipient_id == person.id and message.sent_at is None
    client.login(users.moderator())
    page = html(client.get(f"/residents/{person.id}"))
    assert "Wyniki rundy" in page and "niewysłana: brak adresu e-mail" in page
    # The resident sees it on their own account page once they sign in.
    slip = front_desk.issue_sign_in_slip(users.moderator(), person)
    resident = make_client()
    resident.post("/sign-in/code", {"code": slip.code, "password": NEW_PASSWORD,
                                    "password_confirm": NEW_PASSWORD})
    account = html(resident.get("/account"))
    assert "Wiadomości dla Ciebie" in account and "Wyniki rundy" in account
    assert "brak: wiadomości dla Ciebie są zapisane niżej" in account


def test_a_new_slip_over_a_working_one_asks_first_and_says_the_old_one_stops(client, users, session):
    person = users.front_desk(name="Stanisława Kowalczyk")
    client.login(users.moderator())
    first = client.post(f"/residents/{person.id}/slip")  # nothing to void: no question
    assert first.status_code == 200 and SLIP_CODE.search(html(first))
    [earlier] = session.scalars(sa.select(SignInCode)).all()
    shown = html(client.get(f"/residents/{person.id}"))
    assert f'data-confirm="Wydrukować nową kartkę? Kartka {earlier.reference} przestanie działać."' in shown

    asked = client.post(f"/residents/{person.id}/slip")

    page = html(asked)
    assert "Czy na pewno?" in page and not SLIP_CODE.search(page)
    assert f"Kartka logowania {earlier.reference} osoby Stanisława Kowalczyk przestanie działać." in page
    assert count(session, SignInCode) == 1
    session.refresh(earlier)
    assert earlier.voided_at is None


def test_residency_code_slips_say_where_to_enter_the_code(client, users):
    client.login(users.moderator())

    page = html(client.post("/residents/codes", {"count": "2"}))

    assert page.count("Otwórz w przeglądarce adres http://localhost/account") == 2
