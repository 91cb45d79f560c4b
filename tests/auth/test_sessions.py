"""Sessions end on the server: signing out, signing out of all devices and a new password raise the
user's session version, so a copied session or remember-me cookie stops working; the browser that changed
the password stays signed in, and a rehash of the password at sign-in signs nobody out."""

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


def test_a_login_id_without_the_current_session_version_signs_nobody_in(app, session, users):
    """Sessions from before session versions (the bare user id, a password fingerprint), from an
    earlier version, or with a forged id load nobody."""
    from app.auth.services import user_for_login_id

    user = users.resident()
    with app.test_request_context():
        assert user.get_id() == f"{user.id}:1"
        assert user_for_login_id(user.get_id()) == user
        assert user_for_login_id(str(user.id)) is None
        assert user_for_login_id(f"{user.id}:0000000000000000") is None
        user.session_version = 2
        session.commit()
        assert user_for_login_id(f"{user.id}:1") is None
        assert user_for_login_id(f"{user.id}:2") == user
        assert user_for_login_id("²:x") is None
        assert user_for_login_id("9" * 40) is None


def copy_of_cookies(client, other):
    """Another browser carrying copies of ``client``'s session and remember-me cookies."""
    for name in ("session", "remember_token"):
        cookie = client.http.get_cookie(name)
        if cookie is not None:
            other.http.set_cookie(name, cookie.value)
    return other


def test_a_cookie_copied_before_signing_out_no_longer_signs_in(users, make_client):
    user = users.resident()
    here = sign_in(make_client(), user)
    copied = copy_of_cookies(here, make_client())
    session_only = make_client()
    session_only.http.set_cookie("session", here.http.get_cookie("session").value)
    remember_only = only_remember_cookie(here, make_client())
    assert signed_in(copied) and signed_in(session_only) and signed_in(remember_only)

    response = here.post("/logout")

    assert response.status_code == 303
    assert not signed_in(here)
    assert not signed_in(copied)
    assert not signed_in(session_only)
    assert not signed_in(remember_only)
    assert signed_in(sign_in(make_client(), user))  # signing in again works as before


def test_signing_out_of_all_devices_asks_first_then_ends_every_session(users, make_client, session):
    user = users.resident()
    here = sign_in(make_client(), user)
    phone = sign_in(make_client(), user)
    stolen = only_remember_cookie(phone, make_client())
    page = here.get("/account").get_data(as_text=True)
    assert "Wyloguj ze wszystkich urządzeń" in page
    assert 'action="/account/sign-out-everywhere"' in page

    asked = here.post("/account/sign-out-everywhere")

    assert asked.status_code == 200
    assert "na tym urządzeniu i na wszystkich innych" in asked.get_data(as_text=True)
    assert signed_in(here) and signed_in(phone) and signed_in(stolen)  # nothing happened yet

    done = here.post("/account/sign-out-everywhere", {"confirm": "yes"})

    assert done.status_code == 303 and done.headers["Location"] == "/login"
    assert "Wylogowano ze wszystkich urządzeń." in here.get("/login").get_data(as_text=True)
    assert not signed_in(here) and not signed_in(phone) and not signed_in(stolen)
    session.refresh(user)
    assert user.session_version == 2


def test_signing_out_of_all_devices_needs_the_csrf_token(users, make_client):
    user = users.resident()
    here, phone = sign_in(make_client(), user), sign_in(make_client(), user)

    response = here.post("/account/sign-out-everywhere", {"confirm": "yes"}, csrf=False)

    assert response.status_code == 400
    assert signed_in(here) and signed_in(phone)


def test_a_password_rehash_at_sign_in_keeps_other_devices_signed_in(users, make_client, session):
    from argon2 import PasswordHasher

    from app.auth.passwords import needs_rehash

    user = users.resident()
    phone = sign_in(make_client(), user)
    # The platform has since raised its argon2 parameters: the stored hash is rewritten at the next sign-in.
    user.password_hash = PasswordHasher(time_cost=1, memory_cost=8192).hash(PASSWORD)
    session.commit()
    old_hash = user.password_hash

    sign_in(make_client(), user)

    session.refresh(user)
    assert user.password_hash != old_hash and not needs_rehash(user.password_hash)
    assert signed_in(phone)
    assert signed_in(only_remember_cookie(phone, make_client()))
