"""Every form refuses empty, over-long, malformed and duplicate input with a Polish message and
writes nothing; bad, expired and used links are refused; weak passwords are refused; sign-in and
password reset do not reveal which e-mail addresses have accounts.
"""

from __future__ import annotations

import contextvars
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.auth import tokens
from app.auth.models import ResidencyCode, Role, User
from app.outbox.models import OutboxMessage
from tests.factories import PASSWORD


def tampered(token: str) -> str:
    """The token with one signature character changed.

    The middle of the signature is used: the last base64 character also carries
    padding bits, so changing it can leave the decoded signature intact.
    """
    i = len(token) - 10
    return token[:i] + ("A" if token[i] != "A" else "B") + token[i + 1 :]


TABLES = {
    "users": User.__table__,
    "residency_codes": ResidencyCode.__table__,
    "audit_events": AuditEvent.__table__,
    "outbox_messages": OutboxMessage.__table__,
}

STRONG = "zielona-lampa-nad-rzeka"
LONG = "ż" * 10_000
NUL = "Ala ma\x00kota-i-psa"
REPLACEMENT = "Ala ma \ufffd kota-i-psa"  # what a decoder makes of invalid UTF-8
INVALID_UTF8 = "Ala ma \xff\xfe kota-i-psa".encode("latin-1")  # raw bytes that are not UTF-8

# Polish messages a user sees.
REQUIRED = "To pole jest wymagane."
FORBIDDEN_CHARS = "To pole zawiera niedozwolone znaki."
BAD_EMAIL = "Wpisz poprawny adres e-mail, np. imie@example.com."
BAD_LOGIN = "Wpisz adres e-mail, np. imie@example.com, albo numer mieszkańca, np. MAM-123."
EMAIL_TOO_LONG = "To pole może mieć najwyżej 254 znaków."
NAME_TOO_LONG = "To pole może mieć najwyżej 80 znaków."
PASSWORD_LENGTH = "Hasło musi mieć od 10 do 128 znaków."
PASSWORD_TOO_LONG = "To pole może mieć najwyżej 128 znaków."
MISMATCH = "Hasła nie są takie same."
COMMON = "To hasło jest na liście często używanych haseł. Wybierz inne."
EMAIL_TAKEN = "Konto z tym adresem e-mail już istnieje."
CHOOSE_LANGUAGE = "Wybierz język."
NOT_A_CHOICE = "Nieprawidłowy wybór"
CHOOSE_ROLE = "Wybierz jedną z ról."
ENTER_NUMBER = "Wpisz liczbę."
COUNT_RANGE = "Wybierz od 1 do 200 kodów."
CODE_TOO_LONG = "To pole może mieć najwyżej 20 znaków."
BAD_CODE = "Ten kod jest nieprawidłowy lub został już użyty."
WRONG_LOGIN = "Nieprawidłowy adres e-mail, numer mieszkańca lub hasło."
WRONG_CURRENT = "Obecne hasło jest nieprawidłowe."
BAD_LINK = "Ten link jest nieprawidłowy. Sprawdź, czy skopiowano go w całości, albo poproś o nowy."
EXPIRED_LINK = "Ten link wygasł. Poproś o nowy."
USED_LINK = "Ten link został już użyty lub stracił ważność. Poproś o nowy."
ALREADY_SET_UP = "Platforma jest już skonfigurowana. Zaloguj się jako administrator."
RESET_SENT = "Jeśli konto z tym adresem istnieje, wysłaliśmy na nie link"


# --- helpers -----------------------------------------------------------------------------------


def db_state(session) -> dict[str, list]:
    return {
        name: session.execute(sa.select(table).order_by(table.c.id)).all()
        for name, table in TABLES.items()
    }


def multipart(fields: dict[str, str | bytes]) -> tuple[bytes, str]:
    """A multipart/form-data body whose values may be raw (even invalid UTF-8) bytes."""
    boundary = "----granica-formularza"
    parts = []
    for name, value in fields.items():
        raw = value if isinstance(value, bytes) else value.encode()
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
            + raw + b"\r\n"
        )
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def post_raw(client, url: str, fields: dict[str, str | bytes]):
    body, content_type = multipart({**fields, "csrf_token": client.csrf_token()})
    return contextvars.Context().run(client.http.post, url, data=body, content_type=content_type)


def signed_in_email(client) -> str | None:
    """Whose account page the browser sees, or None when it is sent to sign in."""
    response = client.get("/account")
    if response.status_code == 302:
        return None
    match = re.search(r"<dd>(\S+@\S+)", response.get_data(as_text=True))
    return match.group(1)


@dataclass
class Prepared:
    url: str
    valid: dict[str, str]
    actor: User | None


@dataclass(frozen=True)
class FormSpec:
    name: str
    prepare: Callable  # (users, client) -> Prepared
    text_fields: tuple[str, ...]
    empty_messages: tuple[str, ...]
    long_messages: dict[str, str]  # field -> message when that field holds 10 000 characters
    malformed: tuple[tuple[str, str, str], ...] = ()  # (field, value, message)
    choice_fields: tuple[str, ...] = ()
    extra: dict = field(default_factory=dict)


def _register(users, client):
    return Prepared("/register", {"email": "nowa.osoba@kozlowka.example", "display_name": "Nowa Osoba",
                                  "password": STRONG, "confirm": STRONG}, None)


def _login(users, client):
    user = users.resident()
    return Prepared("/login", {"email": user.email, "password": PASSWORD}, None)


def _reset_request(users, client):
    user = users.resident()
    return Prepared("/reset-password", {"email": user.email}, None)


def reset_token(user: User) -> str:
    return tokens.make(tokens.RESET_PASSWORD,
                       {"uid": user.id, "pw": tokens.password_fingerprint(user.password_hash)})


def _reset_password(users, client):
    user = users.resident()
    return Prepared(f"/reset-password/{reset_token(user)}", {"password": STRONG, "confirm": STRONG}, None)


def _change_password(users, client):
    user = users.resident()
    client.login(user)
    return Prepared("/account/password",
                    {"current_password": PASSWORD, "password": STRONG, "confirm": STRONG}, user)


def _profile(users, client):
    user = users.resident()
    client.login(user)
    return Prepared("/account", {"display_name": "Nowe Imię", "locale": "en"}, user)


def setup_token() -> str:
    return tokens.make(tokens.SETUP_ADMIN, {"setup": True})


def _setup(users, client):
    return Prepared(f"/setup/{setup_token()}",
                    {"email": "nowy.admin@kozlowka.example", "display_name": "Nowy Admin",
                     "password": STRONG, "confirm": STRONG, "locale": "en"}, None)


PRINTED_CODE = "ABCDE-23456"


def _redeem(users, client):
    # A code as printed at the centre: only its hash is stored.
    users.session.add(ResidencyCode(code_hash=hashlib.sha256(b"ABCDE23456").hexdigest(), batch="test"))
    users.session.commit()
    user = users.unverified()
    client.login(user)
    return Prepared("/account/residency-code", {"code": PRINTED_CODE}, user)


def _codes(users, client):
    user = users.moderator()
    client.login(user)
    return Prepared("/residents/codes", {"count": "5"}, user)


def _role(users, client):
    target = users.resident()
    admin = users.admin()
    client.login(admin)
    return Prepared(f"/residents/{target.id}/role", {"role": "moderator", "confirm": "yes"}, admin)


def nul_and_replacement(fields: tuple[str, ...]) -> tuple[tuple[str, str, str], ...]:
    return tuple((name, value, FORBIDDEN_CHARS) for name in fields for value in (NUL, REPLACEMENT))


BAD_EMAILS = (
    ("email", "to-nie-jest-adres", BAD_EMAIL),
    ("email", "osoba@", BAD_EMAIL),
    ("email", "osoba@@kozlowka.example", BAD_EMAIL),
    ("email", "osoba kowalska@kozlowka.example", BAD_EMAIL),
)

FORMS = [
    FormSpec(
        "register", _register, ("email", "display_name", "password", "confirm"),
        (REQUIRED,),
        {"email": EMAIL_TOO_LONG, "display_name": NAME_TOO_LONG, "password": PASSWORD_LENGTH,
         "confirm": MISMATCH},
        BAD_EMAILS + (("confirm", "inne-haslo-niz-pierwsze", MISMATCH),)
        + nul_and_replacement(("email", "display_name", "password", "confirm")),
    ),
    FormSpec(
        "login", _login, ("email", "password"), (REQUIRED,),
        {"email": EMAIL_TOO_LONG, "password": PASSWORD_TOO_LONG},
        tuple((name, value, BAD_LOGIN) for name, value, _message in BAD_EMAILS)
        + nul_and_replacement(("email", "password")),
    ),
    FormSpec(
        "reset request", _reset_request, ("email",), (REQUIRED,), {"email": EMAIL_TOO_LONG},
        BAD_EMAILS + nul_and_replacement(("email",)),
    ),
    FormSpec(
        "reset password", _reset_password, ("password", "confirm"), (REQUIRED,),
        {"password": PASSWORD_LENGTH, "confirm": MISMATCH},
        (("confirm", "inne-haslo-niz-pierwsze", MISMATCH),) + nul_and_replacement(("password", "confirm")),
    ),
    FormSpec(
        "change password", _change_password, ("current_password", "password", "confirm"), (REQUIRED,),
        {"current_password": PASSWORD_TOO_LONG, "password": PASSWORD_LENGTH, "confirm": MISMATCH},
        (("current_password", "nie-moje-haslo-wcale", WRONG_CURRENT),
         ("confirm", "inne-haslo-niz-pierwsze", MISMATCH))
        + nul_and_replacement(("current_password", "password", "confirm")),
    ),
    FormSpec(
        "profile", _profile, ("display_name",), (REQUIRED, CHOOSE_LANGUAGE),
        {"display_name": NAME_TOO_LONG, "locale": NOT_A_CHOICE},
        (("locale", "de", NOT_A_CHOICE), ("locale", "PL", NOT_A_CHOICE),
         ("display_name", "   ", REQUIRED))
        + nul_and_replacement(("display_name", "locale")),
        choice_fields=("locale",),
    ),
    FormSpec(
        "setup admin", _setup, ("email", "display_name", "password", "confirm"),
        (REQUIRED, CHOOSE_LANGUAGE),
        {"email": EMAIL_TOO_LONG, "display_name": NAME_TOO_LONG, "password": PASSWORD_LENGTH,
         "confirm": MISMATCH, "locale": NOT_A_CHOICE},
        BAD_EMAILS + (("locale", "de", NOT_A_CHOICE),)
        + nul_and_replacement(("email", "display_name", "password", "confirm")),
        choice_fields=("locale",),
    ),
    FormSpec(
        "residency code", _redeem, ("code",), (REQUIRED,), {"code": CODE_TOO_LONG},
        (("code", "ABCDE-2345", BAD_CODE), ("code", "!!!!!-?????", BAD_CODE),
         ("code", "ABCDE-23457", BAD_CODE))
        + nul_and_replacement(("code",)),
    ),
    FormSpec(
        "residency codes batch", _codes, (), (ENTER_NUMBER,), {"count": ENTER_NUMBER},
        (("count", "dwadzieścia", ENTER_NUMBER), ("count", "0", COUNT_RANGE),
         ("count", "-3", COUNT_RANGE), ("count", "201", COUNT_RANGE), ("count", "1.5", ENTER_NUMBER),
         ("count", "5\x00", ENTER_NUMBER)),
        choice_fields=("count",),
    ),
    FormSpec(
        "role change", _role, (), (CHOOSE_ROLE,), {"role": CHOOSE_ROLE},
        (("role", "superadmin", CHOOSE_ROLE), ("role", "Admin", CHOOSE_ROLE),
         ("role", "admin\x00", CHOOSE_ROLE), ("role", REPLACEMENT, CHOOSE_ROLE)),
        choice_fields=("role",),
    ),
]
FORM_IDS = [spec.name for spec in FORMS]


def assert_refused(response, message: str, before, after, mail, status: int = 422):
    html = response.get_data(as_text=True)
    assert response.status_code == status, html[:3000]
    assert message in html, html[:3000]
    assert after == before, "a refused form wrote to the database"
    assert mail == [], "a refused form sent an e-mail"


def assert_still_signed_in_as(client, actor: User | None):
    assert signed_in_email(client) == (actor.email if actor else None)


# --- every form --------------------------------------------------------------------------------


@pytest.mark.parametrize("spec", FORMS, ids=FORM_IDS)
def test_valid_input_is_accepted(spec, users, client, session):
    """The baseline the refusals below differ from: the same form with valid data goes through."""
    prepared = spec.prepare(users, client)
    before = db_state(session)
    response = client.post(prepared.url, prepared.valid)
    assert response.status_code in (200, 303), response.get_data(as_text=True)[:3000]
    if spec.name != "login":  # signing in writes nothing
        assert db_state(session) != before


@pytest.mark.parametrize("spec", FORMS, ids=FORM_IDS)
def test_empty_form_is_refused(spec, users, client, session, mail):
    prepared = spec.prepare(users, client)
    before = db_state(session)
    response = client.post(prepared.url, dict.fromkeys(prepared.valid, ""))
    for message in spec.empty_messages:
        assert_refused(response, message, before, db_state(session), mail)
    assert_still_signed_in_as(client, prepared.actor)


# The profile form starts from the account's current values and the batch form from 20 codes, so a
# request that leaves their fields out changes nothing or asks for the default batch.
INCOMPLETE = [spec for spec in FORMS if spec.name not in ("profile", "residency codes batch")]


@pytest.mark.parametrize("spec", INCOMPLETE, ids=[spec.name for spec in INCOMPLETE])
def test_form_without_any_field_is_refused(spec, users, client, session, mail):
    prepared = spec.prepare(users, client)
    before = db_state(session)
    response = client.post(prepared.url, {})
    assert_refused(response, spec.empty_messages[0], before, db_state(session), mail)


LONG_CASES = [(spec, name) for spec in FORMS for name in spec.long_messages]


@pytest.mark.parametrize(("spec", "field_name"), LONG_CASES,
                         ids=[f"{spec.name}-{name}" for spec, name in LONG_CASES])
def test_over_long_field_is_refused(spec, field_name, users, client, session, mail):
    prepared = spec.prepare(users, client)
    before = db_state(session)
    value = "9" * 10_000 if field_name == "count" else LONG
    response = client.post(prepared.url, {**prepared.valid, field_name: value})
    assert_refused(response, spec.long_messages[field_name], before, db_state(session), mail)
    assert_still_signed_in_as(client, prepared.actor)


@pytest.mark.parametrize("spec", [spec for spec in FORMS if spec.text_fields],
                         ids=[spec.name for spec in FORMS if spec.text_fields])
def test_every_text_field_over_long_at_once_is_refused(spec, users, client, session, mail):
    prepared = spec.prepare(users, client)
    before = db_state(session)
    response = client.post(prepared.url, {**prepared.valid, **dict.fromkeys(spec.text_fields, LONG)})
    message = next(iter(spec.long_messages.values()))
    assert_refused(response, message, before, db_state(session), mail)
    assert 'aria-invalid="true"' in response.get_data(as_text=True)


MALFORMED_CASES = [(spec, name, value, message) for spec in FORMS
                   for name, value, message in spec.malformed]


@pytest.mark.parametrize(
    ("spec", "field_name", "value", "message"), MALFORMED_CASES,
    ids=[f"{spec.name}-{name}-{value[:12]!r}" for spec, name, value, _ in MALFORMED_CASES],
)
def test_malformed_field_is_refused(spec, field_name, value, message, users, client, session, mail):
    prepared = spec.prepare(users, client)
    before = db_state(session)
    response = client.post(prepared.url, {**prepared.valid, field_name: value})
    assert_refused(response, message, before, db_state(session), mail)
    assert_still_signed_in_as(client, prepared.actor)


UTF8_CASES = [(spec, name) for spec in FORMS for name in spec.text_fields]


@pytest.mark.parametrize(("spec", "field_name"), UTF8_CASES,
                         ids=[f"{spec.name}-{name}" for spec, name in UTF8_CASES])
def test_invalid_utf8_bytes_are_refused(spec, field_name, users, client, session, mail):
    prepared = spec.prepare(users, client)
    before = db_state(session)
    response = post_raw(client, prepared.url, {**prepared.valid, field_name: INVALID_UTF8})
    assert_refused(response, FORBIDDEN_CHARS, before, db_state(session), mail)
    assert_still_signed_in_as(client, prepared.actor)


# --- duplicates --------------------------------------------------------------------------------


# Registration answers as for a new address instead: tests/auth/test_enumeration.py
@pytest.mark.parametrize("spec", [FORMS[6]], ids=["setup admin"])
def test_existing_email_in_other_letter_case_is_refused(spec, users, client, session, mail):
    users.unverified(email="osoba@example.com")
    prepared = spec.prepare(users, client)
    before = db_state(session)
    for email in ("osoba@example.com", "Osoba@Example.COM", "OSOBA@EXAMPLE.COM"):
        response = client.post(prepared.url, {**prepared.valid, "email": email})
        assert_refused(response, EMAIL_TAKEN, before, db_state(session), mail, status=409)
    assert_still_signed_in_as(client, None)


def test_registered_email_is_stored_lower_case_so_duplicates_are_caught(client, session, mail):
    data = {"email": "Osoba@Example.COM", "display_name": "Osoba", "password": STRONG, "confirm": STRONG}
    assert client.post("/register", data).status_code == 303
    assert session.scalar(sa.select(User.email).where(User.display_name == "Osoba")) == "osoba@example.com"
    other = type(client)(client.app)
    response = other.post("/register", {**data, "email": "osoba@example.com", "display_name": "Ktoś"})
    assert response.status_code == 303  # the same answer as for a new address (no account is said to exist)
    assert session.scalars(sa.select(User.display_name).where(User.email == "osoba@example.com")).all() == [
        "Osoba"
    ]
    assert [m["to"] for m in mail] == ["osoba@example.com", "osoba@example.com"]
    assert mail[1]["subject"] == "Ktoś próbował zarejestrować się z Twoim adresem"


# --- weak passwords ----------------------------------------------------------------------------

WEAK_PASSWORDS = [("password1234", COMMON), ("Haslo12345", COMMON), ("QWERTYUIOP", COMMON),
                  ("kot-i-pies", None), ("kot-i-pie", PASSWORD_LENGTH)]


@pytest.mark.parametrize(("password", "message"), WEAK_PASSWORDS)
@pytest.mark.parametrize("spec", [FORMS[0], FORMS[3], FORMS[4], FORMS[6]],
                         ids=["register", "reset password", "change password", "setup admin"])
def test_weak_passwords_are_refused(spec, password, message, users, client, session, mail):
    prepared = spec.prepare(users, client)
    before = db_state(session)
    response = client.post(prepared.url, {**prepared.valid, "password": password, "confirm": password})
    if message is None:  # ten characters, not on the list: the edge that is allowed
        assert response.status_code == 303
        return
    assert_refused(response, message, before, db_state(session), mail)
    assert_still_signed_in_as(client, prepared.actor)


# --- links: e-mail verification ----------------------------------------------------------------


def verify_token(user: User, email: str | None = None) -> str:
    return tokens.make(tokens.VERIFY_EMAIL, {"uid": user.id, "email": email or user.email})


def email_verified_at(session, user: User):
    return session.scalar(sa.select(User.email_verified_at).where(User.id == user.id))


@pytest.mark.parametrize("kind", ["garbage", "truncated", "tampered", "other purpose", "old address",
                                  "no such user", "not a dict"])
def test_bad_email_verification_link_is_refused(kind, users, client, session, mail):
    user = users.make(verified=False, email_verified=False)
    good = verify_token(user)
    token = {
        "garbage": "to-nie-jest-token",
        "truncated": good[:-6],
        "tampered": tampered(good),
        "other purpose": reset_token(user),
        "old address": verify_token(user, email="stary.adres@kozlowka.example"),
        "no such user": tokens.make(tokens.VERIFY_EMAIL, {"uid": 987_654, "email": user.email}),
        "not a dict": tokens.make(tokens.VERIFY_EMAIL, [user.id, user.email]),
    }[kind]
    before = db_state(session)
    response = client.get(f"/verify-email/{token}")
    assert_refused(response, BAD_LINK, before, db_state(session), mail, status=400)
    assert email_verified_at(session, user) is None


def test_expired_email_verification_link_is_refused(app, users, client, session, mail):
    user = users.make(verified=False, email_verified=False)
    token = verify_token(user)
    before = db_state(session)
    saved = app.config["EMAIL_VERIFY_MAX_AGE"]
    app.config["EMAIL_VERIFY_MAX_AGE"] = -1
    try:
        response = client.get(f"/verify-email/{token}")
    finally:
        app.config["EMAIL_VERIFY_MAX_AGE"] = saved
    assert_refused(response, EXPIRED_LINK, before, db_state(session), mail, status=410)
    assert email_verified_at(session, user) is None
    # The same link, while still valid, works: the refusal was the age.
    assert client.get(f"/verify-email/{token}").status_code == 303
    assert email_verified_at(session, user) is not None


# --- links: password reset ---------------------------------------------------------------------


def password_hash(session, user: User) -> str:
    return session.scalar(sa.select(User.password_hash).where(User.id == user.id))


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("kind", ["garbage", "tampered", "other purpose", "no such user"])
def test_bad_password_reset_link_is_refused(kind, method, users, client, session, mail):
    user = users.resident()
    good = reset_token(user)
    token = {
        "garbage": "to-nie-jest-token",
        "tampered": tampered(good),
        "other purpose": verify_token(user),
        "no such user": tokens.make(tokens.RESET_PASSWORD, {"uid": 987_654, "pw": "x"}),
    }[kind]
    message = USED_LINK if kind == "no such user" else BAD_LINK
    before = db_state(session)
    url = f"/reset-password/{token}"
    response = client.get(url) if method == "GET" else client.post(url, {"password": STRONG,
                                                                         "confirm": STRONG})
    assert_refused(response, message, before, db_state(session), mail, status=400)
    assert_still_signed_in_as(client, None)


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_expired_password_reset_link_is_refused(method, app, users, client, session, mail):
    user = users.resident()
    url = f"/reset-password/{reset_token(user)}"
    before = db_state(session)
    saved = app.config["PASSWORD_RESET_MAX_AGE"]
    app.config["PASSWORD_RESET_MAX_AGE"] = -1
    try:
        if method == "GET":
            response = client.get(url)
        else:
            response = client.post(url, {"password": STRONG, "confirm": STRONG})
    finally:
        app.config["PASSWORD_RESET_MAX_AGE"] = saved
    assert_refused(response, EXPIRED_LINK, before, db_state(session), mail, status=410)
    assert_still_signed_in_as(client, None)


def test_password_reset_link_works_once(users, client, make_client, session, mail):
    user = users.resident()
    response = client.post("/reset-password", {"email": user.email})
    assert response.status_code == 303
    [message] = mail
    path = re.search(r"http://localhost(/reset-password/\S+)", message["body"]).group(1)

    old_hash = password_hash(session, user)
    assert client.get(path).status_code == 200
    assert client.post(path, {"password": STRONG, "confirm": STRONG}).status_code == 303
    new_hash = password_hash(session, user)
    assert new_hash != old_hash
    assert_still_signed_in_as(client, user)

    # A second use — by the same browser or anyone who saw the e-mail — is refused.
    for other in (client, make_client()):
        before = db_state(session)
        page = other.get(path)
        assert page.status_code == 400 and USED_LINK in page.get_data(as_text=True)
        again = other.post(path, {"password": "inne-nowe-haslo-123", "confirm": "inne-nowe-haslo-123"})
        assert again.status_code == 400 and USED_LINK in again.get_data(as_text=True)
        assert db_state(session) == before
    assert password_hash(session, user) == new_hash


def test_older_reset_links_stop_working_after_a_password_change(users, client, session):
    user = users.resident()
    old_link = f"/reset-password/{reset_token(user)}"
    client.login(user)
    changed = client.post("/account/password",
                          {"current_password": PASSWORD, "password": STRONG, "confirm": STRONG})
    assert changed.status_code == 303
    response = client.get(old_link)
    assert response.status_code == 400
    assert USED_LINK in response.get_data(as_text=True)


# --- links: first-administrator setup ----------------------------------------------------------


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("kind", ["garbage", "tampered", "other purpose"])
def test_bad_setup_link_is_refused(kind, method, users, client, session, mail):
    good = setup_token()
    token = {
        "garbage": "to-nie-jest-token",
        "tampered": tampered(good),
        "other purpose": tokens.make(tokens.VERIFY_EMAIL, {"setup": True}),
    }[kind]
    before = db_state(session)
    url = f"/setup/{token}"
    response = client.get(url) if method == "GET" else client.post(url, _setup(users, client).valid)
    assert_refused(response, BAD_LINK, before, db_state(session), mail, status=400)
    assert_still_signed_in_as(client, None)


def test_expired_setup_link_is_refused(app, users, client, session, mail):
    prepared = _setup(users, client)
    before = db_state(session)
    saved = app.config["SETUP_LINK_MAX_AGE"]
    app.config["SETUP_LINK_MAX_AGE"] = -1
    try:
        page = client.get(prepared.url)
        response = client.post(prepared.url, prepared.valid)
    finally:
        app.config["SETUP_LINK_MAX_AGE"] = saved
    assert page.status_code == 410 and EXPIRED_LINK in page.get_data(as_text=True)
    assert_refused(response, EXPIRED_LINK, before, db_state(session), mail, status=410)
    assert_still_signed_in_as(client, None)


def test_setup_link_works_once(users, client, make_client, session, mail):
    prepared = _setup(users, client)
    assert client.post(prepared.url, prepared.valid).status_code == 303
    admins = session.scalars(sa.select(User.email).where(User.role == Role.ADMIN)).all()
    assert admins == ["nowy.admin@kozlowka.example"]

    other = make_client()
    before = db_state(session)
    for response in (other.get(prepared.url),
                     other.post(prepared.url, {**prepared.valid, "email": "drugi.admin@kozlowka.example"})):
        assert_refused(response, ALREADY_SET_UP, before, db_state(session), mail, status=403)
    assert_still_signed_in_as(other, None)


# --- no account enumeration --------------------------------------------------------------------


def without(html: str, *values: str) -> str:
    """The page with the typed e-mail and this session's CSRF token left out."""
    token = re.search(r'<meta name="csrf-token" content="([^"]+)"', html).group(1)
    for value in (*values, token):
        html = html.replace(value, "«…»")
    return html


def test_login_answers_the_same_for_unknown_email_and_wrong_password(users, client, session):
    user = users.resident()
    unknown = "nikt.taki@kozlowka.example"
    before = db_state(session)
    wrong_password = client.post("/login", {"email": user.email, "password": "zle-haslo-ale-dlugie"})
    unknown_email = client.post("/login", {"email": unknown, "password": "zle-haslo-ale-dlugie"})
    assert wrong_password.status_code == unknown_email.status_code == 422
    first = wrong_password.get_data(as_text=True)
    second = unknown_email.get_data(as_text=True)
    assert WRONG_LOGIN in first
    assert without(first, user.email) == without(second, unknown)
    assert db_state(session) == before
    assert_still_signed_in_as(client, None)


def test_password_reset_request_answers_the_same_for_known_and_unknown_email(
    users, make_client, session, mail
):
    user = users.resident()
    unknown = "nikt.taki@kozlowka.example"
    answers = []
    for email in (user.email.upper(), unknown):
        browser = make_client()
        response = browser.post("/reset-password", {"email": email})
        assert response.status_code == 303
        assert response.headers["Location"] == "/login"
        page = browser.get("/login").get_data(as_text=True)
        assert RESET_SENT in page
        answers.append((response.status_code, response.headers["Location"], without(page, email)))
    assert answers[0] == answers[1]
    # Both addresses got an e-mail (the same work either way); only the account's holds a reset link.
    assert [message["to"] for message in mail] == [user.email, unknown]
    assert "/reset-password/" in mail[0]["body"]
    assert "/reset-password/" not in mail[1]["body"]
    assert "nie ma konta z tym adresem" in mail[1]["body"]
    outbox = session.scalars(sa.select(OutboxMessage.recipient).order_by(OutboxMessage.id)).all()
    assert outbox == [user.email, unknown]
