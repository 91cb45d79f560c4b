"""Changing or resetting the password ends every other session (remember-me cookies included), while the
browser that changed it stays signed in."""

from __future__ import annotations

import re

from tests.factories import PASSWORD

NEW_PASSWORD = "zielony-parasol-nad-wisla"
LINK = re.compile(r"http://localhost(/\S+)")


def sign_in(client, user, remember: bool = True):
    data = {"email": user.email, "password": PASSWORD}
    if remember:
        data["remember"] = "y"
    response = client.post("/login", data)
    assert response.status_code == 303
    if remember:
        assert client.http.get_cookie("remember_token") is not None
    return client


def signed_in(client) -> bool:
    response = client.get("/account")
    if response.status_code == 200:
        return True
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    return False


def only_remember_cookie(client, other):
    """A new browser session that carries nothing but ``client``'s remember-me cookie."""
    other.http.set_cookie("remember_token", client.http.get_cookie("remember_token").value)
    return other


def test_changing_the_password_signs_out_other_sessions_but_not_this_one(users, make_client):
    user = users.resident()
    here = sign_in(make_client(), user)
    elsewhere = sign_in(make_client(), user)  # e.g. a phone, with a 30-day remember-me cookie
    no_remember = sign_in(make_client(), user, remember=False)
    stolen_cookie = only_remember_cookie(elsewhere, make_client())
    assert signed_in(here) and signed_in(elsewhere) and signed_in(no_remember) and signed_in(stolen_cookie)

    response = here.post(
        "/account/password", {"current_password": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    )

    assert response.status_code == 303
    assert signed_in(here)
    # The browser that changed the password keeps its remember-me cookie, renewed for the new password.
    assert signed_in(only_remember_cookie(here, make_client()))
    assert not signed_in(elsewhere)  # neither its session nor its remember-me cookie sign it in
    assert not signed_in(no_remember)
    assert not signed_in(stolen_cookie)


def test_a_failed_password_change_signs_nobody_out(users, make_client):
    user = users.resident()
    here, elsewhere = sign_in(make_client(), user), sign_in(make_client(), user)

    response = here.post(
        "/account/password", {"current_password": "nie-to-haslo-123", "password": NEW_PASSWORD,
                              "confirm": NEW_PASSWORD}
    )

    assert response.status_code == 422
    assert signed_in(here) and signed_in(elsewhere)


def test_resetting_the_password_signs_out_other_sessions(users, make_client, mail):
    user = users.resident()
    elsewhere = sign_in(make_client(), user)
    cookie_only = only_remember_cookie(elsewhere, make_client())
    resetting = make_client()
    resetting.post("/reset-password", {"email": user.email})
    [message] = mail
    path = LINK.search(message["body"]).group(1)

    response = resetting.post(path, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})

    assert response.status_code == 303
    assert signed_in(resetting)
    assert not signed_in(elsewhere)
    assert not signed_in(cookie_only)
    assert signed_in(sign_in_with(make_client(), user, NEW_PASSWORD))


def sign_in_with(client, user, password):
    assert client.post("/login", {"email": user.email, "password": password}).status_code == 303
    return client


def test_a_login_id_without_the_password_fingerprint_signs_nobody_in(app, users, make_client):
    """Sessions from before this change (the bare user id) or with a forged id load nobody."""
    from app.auth.services import user_for_login_id

    user = users.resident()
    with app.test_request_context():
        assert user_for_login_id(user.get_id()) == user
        assert user_for_login_id(str(user.id)) is None
        assert user_for_login_id(f"{user.id}:0000000000000000") is None
        assert user_for_login_id("²:x") is None
        assert user_for_login_id("9" * 40) is None
