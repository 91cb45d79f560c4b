"""Numbers and ids as typed: ASCII digits only, ids within the database's range."""

from __future__ import annotations

import pytest

from app.money import parse_zloty
from app.numbers import ID_MAX, parse_id, parse_whole


@pytest.mark.parametrize(("text", "value"), [
    ("12", 12), (" 7 ", 7), ("0", 0), ("²", None), ("١٢٣", None), ("１２", None), ("-3", None),
    ("1_000", None), ("3.5", None), ("", None), (None, None), ("9" * 19, None), ("9" * 5000, None),
])
def test_whole_numbers_are_ascii_digits_only(text, value):
    assert parse_whole(text) == value


@pytest.mark.parametrize(("text", "value"), [
    ("1", 1), (str(ID_MAX), ID_MAX), (str(ID_MAX + 1), None), ("0", None), ("99999999999999999999", None),
])
def test_ids_lie_in_the_databases_range(text, value):
    assert parse_id(text) == value


@pytest.mark.parametrize("text", ["١٢٣", "١٢٣ zł", "²", "1٬234", "１２３"])
def test_money_in_other_scripts_digits_is_refused_not_stored(text):
    with pytest.raises(ValueError):
        parse_zloty(text)


def test_money_in_ascii_digits_still_reads():
    assert parse_zloty("1 234,50 zł") == 123_450
