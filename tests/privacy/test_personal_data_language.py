"""The personal-data file speaks the person's language: its note is translated, whatever the page language."""

from __future__ import annotations

import json

import pytest

ENGLISH = "Ballots of secret rounds are stored without any link to the voter"
POLISH = "Karty z tajnych głosowań są przechowywane bez żadnego powiązania z głosującym"


@pytest.mark.parametrize(("locale", "expected"), [("pl", POLISH), ("en", ENGLISH)])
def test_the_note_in_the_personal_data_is_in_the_persons_language(client, users, locale, expected):
    person = users.resident(locale=locale)
    client.login(person)
    client.http.set_cookie("lang", "pl" if locale == "en" else "en")  # the browser's choice does not matter

    response = client.get("/account/data")

    assert response.status_code == 200
    note = json.loads(response.get_data(as_text=True))["secret_ballots_note"]
    assert note.startswith(expected)
    if locale == "pl":
        assert "Ballots" not in note
