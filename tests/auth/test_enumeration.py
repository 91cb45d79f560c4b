"""Registration and password reset do not tell whether an address has an account: the answer is the
same, the owner is told by e-mail, both ways do the same work, and each address is rate-limited."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from app.auth import services
from app.auth.models import User
from tests.factories import PASSWORD, password_hash

NEW = "nowa.sasiadka@kozlowka.example"
ATTEMPT_SUBJECT = "Ktoś próbował zarejestrować się z Twoim adresem"


def without(html: str, *values: str) -> str:
    """The page without the typed e-mail and this session's CSRF token."""
    token = re.search(r'<meta name="csrf-token" content="([^"]+)"', html).group(1)
    for value in (*values, token):
        html = html.replace(value, "«…»")
    return html


def register(client, email: str, name: str = "Sąsiadka"):
    return client.post("/register", {"email": email, "display_name": name, "password": PASSWORD,
                                     "confirm": PASSWORD})


def signed_in(client) -> bool:
    return client.get("/account").status_code == 200


def test_registering_with_a_taken_address_answers_as_for_a_new_one_and_tells_the_owner(
    users, make_client, session, mail
):
    owner = users.resident(email="zajety@kozlowka.example")
    answers = []
    for email in ("Zajety@Kozlowka.example", NEW):
        browser = make_client()
        response = register(browser, email)
        page = browser.get(response.headers["Location"]).get_data(as_text=True)
        assert "Dziękujemy! Wysłaliśmy wiadomość na podany adres e-mail" in page
        answers.append((response.status_code, response.headers["Location"],
                        response.get_data(as_text=True), without(page, email)))
        assert not signed_in(browser)
    assert answers[0] == answers[1]
    assert answers[0][:2] == (303, "/login")

    # One account per address: the owner's is untouched, the new address has its own.
    assert session.scalars(sa.select(User.email).order_by(User.id)).all() == [owner.email, NEW]
    session.refresh(owner)
    assert owner.display_name != "Sąsiadka" and owner.password_hash == password_hash()
    to_owner, to_new = mail
    assert to_owner["to"] == owner.email and to_owner["subject"] == ATTEMPT_SUBJECT
    assert "Jeśli to Ty, zaloguj się:" in to_owner["body"]
    assert "http://localhost/login" in to_owner["body"]
    assert "http://localhost/reset-password" in to_owner["body"]
    assert to_new["to"] == NEW and "/verify-email/" in to_new["body"]


def test_a_taken_address_gets_the_e_mail_in_its_owners_language(users, client, mail):
    owner = users.resident(email="english@kozlowka.example", locale="en")
    register(client, owner.email)
    [message] = mail
    assert message["subject"] == "Someone tried to register with your address"


def test_a_weak_password_is_refused_the_same_way_for_a_taken_address(users, make_client, mail):
    users.resident(email="zajety@kozlowka.example")
    answers = []
    for email in ("zajety@kozlowka.example", NEW):
        browser = make_client()
        response = browser.post("/register", {"email": email, "display_name": "X", "password": "password1234",
                                              "confirm": "password1234"})
        answers.append((response.status_code, without(response.get_data(as_text=True), email)))
    assert answers[0] == answers[1] and answers[0][0] == 422
    assert mail == []


def test_both_ways_do_the_same_work(app, users, session, monkeypatch):
    """What makes the answer take as long for a taken address as for a new one (and for a reset)."""
    owner = users.resident(email="zajety@kozlowka.example")
    work = []
    real_hash, real_make = services.hash_password, services.tokens.make
    real_queue, real_queue_to = services.queue_email, services.queue_email_to
    monkeypatch.setattr(services, "hash_password", lambda p: work.append("argon2") or real_hash(p))
    monkeypatch.setattr(services, "queue_email", lambda *a, **k: work.append("e-mail") or real_queue(*a, **k))
    monkeypatch.setattr(services, "queue_email_to",
                        lambda *a, **k: work.append("e-mail") or real_queue_to(*a, **k))
    monkeypatch.setattr(services.tokens, "make", lambda *a: work.append("token") or real_make(*a))

    done = {}
    with app.test_request_context():
        for email in (owner.email, NEW):
            work.clear()
            services.register(email, "Sąsiadka", PASSWORD)
            # The argon2 hash takes the time; the new address's link token takes microseconds.
            done["register", email] = [step for step in work if step != "token"]
        for email in (owner.email, "nikt.taki@kozlowka.example"):
            work.clear()
            services.request_password_reset(email)
            done["reset", email] = list(work)

    assert done["register", owner.email] == done["register", NEW] == ["argon2", "e-mail"]
    assert done["reset", owner.email] == done["reset", "nikt.taki@kozlowka.example"] == ["token", "e-mail"]


@pytest.mark.parametrize("url", ["/reset-password", "/register"])
def test_requests_naming_one_address_are_limited_whatever_the_ip(url, app, users, client, mail, monkeypatch):
    monkeypatch.setitem(app.config, "RATELIMIT_PER_ADDRESS", "2 per hour")
    owner = users.resident(email="celem@kozlowka.example")
    data = {"display_name": "Napastnik", "password": PASSWORD, "confirm": PASSWORD}

    spellings = ("celem@kozlowka.example", "CELEM@kozlowka.example", "Celem@Kozlowka.Example")
    statuses = [
        client.post(url, {**data, "email": email}, environ_base={"REMOTE_ADDR": f"198.51.100.{n}"})
        .status_code
        for n, email in enumerate(spellings)
    ]

    assert statuses == [303, 303, 429]
    assert [m["to"] for m in mail] == [owner.email, owner.email]
    other = client.post(url, {**data, "email": "inna@kozlowka.example"},
                        environ_base={"REMOTE_ADDR": "198.51.100.9"})
    assert other.status_code == 303  # another address is not held back
