"""Registration and the home page say truthfully what needs residency verification, and how to get it."""

from __future__ import annotations

NEEDS_VERIFICATION = "pisać propozycje, deklarować pomoc i głosować"
HOW = "pokaż dokument tożsamości w centrum albo wpisz na stronie swojego konta kod mieszkańca"


def test_registration_says_what_needs_verification(client):
    page = client.get("/register").get_data(as_text=True)
    assert "Z kontem możesz komentować propozycje" in page
    assert NEEDS_VERIFICATION in page and HOW in page
    assert "Konto pozwala zgłaszać pomysły" not in page  # the old promise: proposing needs only an account


def test_home_tells_visitors_and_unverified_residents(client, users):
    visitor = client.get("/").get_data(as_text=True)
    assert NEEDS_VERIFICATION in visitor and HOW in visitor
    assert "Każda osoba mieszkająca na osiedlu może coś zaproponować" not in visitor
    client.login(users.unverified())
    resident = client.get("/").get_data(as_text=True)
    assert NEEDS_VERIFICATION in resident and HOW in resident
    client.login(users.resident())
    verified = client.get("/").get_data(as_text=True)
    assert HOW not in verified
