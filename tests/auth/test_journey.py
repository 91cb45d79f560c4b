"""The newcomer's journey over HTTP: register → verify e-mail → sign in → English → sign out."""

from __future__ import annotations

import re

import sqlalchemy as sa

from app.auth.models import Role, User
from tests.factories import PASSWORD

LINK = re.compile(r"http://localhost(/\S+)")


def link_in(message: dict) -> str:
    return LINK.search(message["body"]).group(1)


def test_register_verify_login_switch_language_logout(client, session, mail):
    page = client.get("/register")
    assert page.status_code == 200
    assert "Dołącz do platformy mieszkańców" in page.get_data(as_text=True)

    response = client.post(
        "/register",
        {"email": "Jadwiga.Nowak@Kozlowka.example", "display_name": "Jadwiga N.",
         "password": PASSWORD, "confirm": PASSWORD},
    )
    assert response.status_code == 303 and response.headers["Location"] == "/login"
    # Not signed in by registering: the same answer comes when the address already has an account.
    assert client.get("/account").status_code == 302
    user = session.scalar(sa.select(User).where(User.email == "jadwiga.nowak@kozlowka.example"))
    assert user is not None and user.role == Role.RESIDENT
    assert user.email_verified_at is None and user.password_hash != PASSWORD
    assert user.password_hash.startswith("$argon2")

    [message] = mail
    assert message["to"] == "jadwiga.nowak@kozlowka.example"
    assert message["subject"] == "Potwierdź swój adres e-mail"
    verify_path = link_in(message)
    assert verify_path.startswith("/verify-email/")

    client.login(user)
    account = client.get("/account").get_data(as_text=True)
    assert "niepotwierdzony" in account

    confirmed = client.get(verify_path, follow_redirects=True)
    assert "Dziękujemy, Twój adres e-mail jest potwierdzony." in confirmed.get_data(as_text=True)
    session.refresh(user)
    assert user.email_verified_at is not None

    assert client.logout().status_code == 303
    assert client.get("/account").status_code == 302  # signed out: the account page asks to sign in

    signed_in = client.post(
        "/login", {"email": "JADWIGA.nowak@kozlowka.example", "password": PASSWORD},
        follow_redirects=True,
    )
    assert "Zalogowano." in signed_in.get_data(as_text=True)

    english = client.post("/language", {"lang": "en", "next": "/account"}, follow_redirects=True)
    html = english.get_data(as_text=True)
    assert '<html lang="en">' in html and "My account" in html
    session.refresh(user)
    assert user.locale == "en"  # remembered for the user, not just this browser

    signed_out = client.logout()
    assert signed_out.status_code == 303
    home = client.get("/").get_data(as_text=True)
    assert "Sign in" in home and '<html lang="en">' in home  # the cookie keeps the language


def test_remember_me_sets_a_lasting_cookie(client, users):
    user = users.resident()
    client.post("/login", {"email": user.email, "password": PASSWORD, "remember": "y"})
    cookie = client.http.get_cookie("remember_token")
    assert cookie is not None and cookie.expires is not None and cookie.http_only


def test_visitor_language_is_kept_in_a_cookie(client):
    response = client.post("/language", {"lang": "en", "next": "/"})
    assert response.status_code == 303
    assert client.http.get_cookie("lang").value == "en"
    assert '<html lang="en">' in client.get("/").get_data(as_text=True)


def test_language_switch_never_redirects_off_site(client):
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        response = client.post("/language", {"lang": "pl", "next": target})
        assert response.headers["Location"] == "/"


def test_password_reset_link_sets_a_new_password_once(client, users, mail):
    user = users.resident()
    client.post("/reset-password", {"email": user.email})
    [message] = mail
    assert message["subject"] == "Ustaw nowe hasło"
    path = link_in(message)
    new_password = "zielony-parasol-nad-wisla"
    response = client.post(path, {"password": new_password, "confirm": new_password})
    assert response.status_code == 303
    client.logout()
    client.login(user, new_password)
    again = client.post(path, {"password": "inne-haslo-calkiem-nowe", "confirm": "inne-haslo-calkiem-nowe"})
    assert again.status_code == 400
    assert "Ten link został już użyty" in again.get_data(as_text=True)


def test_change_password_and_profile(client, users, session):
    user = users.resident()
    client.login(user)
    wrong = client.post("/account/password", {"current_password": "nie-to-haslo-123",
                                              "password": "nowe-haslo-bardzo-dobre",
                                              "confirm": "nowe-haslo-bardzo-dobre"})
    assert wrong.status_code == 422
    assert "Obecne hasło jest nieprawidłowe." in wrong.get_data(as_text=True)
    ok = client.post("/account/password", {"current_password": PASSWORD,
                                           "password": "nowe-haslo-bardzo-dobre",
                                           "confirm": "nowe-haslo-bardzo-dobre"})
    assert ok.status_code == 303
    client.logout()
    client.login(user, "nowe-haslo-bardzo-dobre")

    saved = client.post("/account", {"display_name": "Zbyszek Ś.", "locale": "en"}, follow_redirects=True)
    assert "Your profile is saved." in saved.get_data(as_text=True)
    session.refresh(user)
    assert (user.display_name, user.locale) == ("Zbyszek Ś.", "en")


def test_setup_link_creates_the_first_admin_once(app, client, session):
    from app.auth.services import setup_token

    with app.test_request_context():
        token = setup_token()
    assert token is not None
    data = {"email": "admin@kozlowka.example", "display_name": "Administratorka",
            "password": PASSWORD, "confirm": PASSWORD, "locale": "pl"}
    response = client.post(f"/setup/{token}", data)
    assert response.status_code == 303
    admin = session.scalar(sa.select(User).where(User.role == Role.ADMIN))
    assert admin.email == "admin@kozlowka.example" and admin.is_email_verified
    assert client.get("/admin/audit").status_code == 200  # signed in as the new admin

    other = client.__class__(app)
    again = other.post(f"/setup/{token}", {**data, "email": "intruz@kozlowka.example"})
    assert again.status_code == 403
    assert session.scalar(sa.select(sa.func.count()).where(User.role == Role.ADMIN)) == 1
