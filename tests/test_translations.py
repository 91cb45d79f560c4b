"""The catalogs are complete and safe: nothing untranslated or fuzzy in Polish and Ukrainian, the same
%(name)s placeholders in every translation as in the English source, and plural forms that read right."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def catalog(language: str):
    with open(ROOT / f"app/translations/{language}/LC_MESSAGES/messages.po", "rb") as handle:
        return read_po(handle)


def entries(language: str):
    return [message for message in catalog(language) if message.id]


def strings(message) -> tuple[str, ...]:
    return message.string if isinstance(message.string, tuple) else (message.string,)


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def test_the_catalogs_hold_every_message_of_the_template():
    with open(ROOT / "app/translations/messages.pot", "rb") as handle:
        template = {message.id for message in read_po(handle) if message.id}
    assert len(template) > 1000
    for language in ("pl", "uk", "en"):
        assert {message.id for message in entries(language)} == template, language


@pytest.mark.parametrize("language", ["pl", "uk"])
def test_every_message_is_translated_and_none_is_fuzzy(language):
    problems = [
        ("fuzzy" if message.fuzzy else "untranslated", message.id)
        for message in entries(language)
        if message.fuzzy or not all(strings(message))
    ]
    assert not problems, f"{language}:\n" + "\n".join(map(repr, problems))


@pytest.mark.parametrize("language", ["pl", "uk"])
def test_plural_messages_have_three_forms(language):
    short = [message.id for message in entries(language)
             if message.pluralizable and len(strings(message)) != 3]
    assert not short


@pytest.mark.parametrize("language", ["pl", "uk", "en"])
def test_translations_keep_the_placeholders_of_the_source(language):
    """A translation that drops, adds or misspells %(name)s fails at run time (KeyError) or loses a
    value, so each form must use exactly the placeholders of the English source."""
    wrong = []
    for message in entries(language):
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        expected = set().union(*map(placeholders, ids))
        for form in strings(message):
            # An empty English translation falls back to the msgid (untranslated Polish/Ukrainian fail above).
            if form and placeholders(form) != expected:
                # The singular of a plural may leave out the number ("The proposal with the highest …").
                if isinstance(message.id, tuple) and placeholders(form) == expected - {"num"}:
                    continue
                wrong.append((message.id, form))
    assert not wrong, f"{language}:\n" + "\n".join(map(repr, wrong))


def test_the_placeholder_check_notices_a_broken_translation():
    assert placeholders("%(name)s ma %(num)d") == {"name", "num"}
    assert placeholders("%(nmae)s ma %(num)d") != placeholders("%(name)s has %(num)d")


def test_make_translations_leaves_fuzzy_entries_out():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    compile_line = next(line for line in makefile.splitlines() if "pybabel compile" in line)
    assert "--use-fuzzy" not in compile_line


NUMBERS = (0, 1, 2, 5, 12, 22, 25, 101)
PLURALS = {
    ("pl", "%(num)d proposal", "%(num)d proposals"): [
        "0 propozycji", "1 propozycja", "2 propozycje", "5 propozycji", "12 propozycji", "22 propozycje",
        "25 propozycji", "101 propozycji"],
    ("uk", "%(num)d proposal", "%(num)d proposals"): [
        "0 пропозицій", "1 пропозиція", "2 пропозиції", "5 пропозицій", "12 пропозицій", "22 пропозиції",
        "25 пропозицій", "101 пропозиція"],
    ("pl", "%(num)d comment", "%(num)d comments"): [
        "0 komentarzy", "1 komentarz", "2 komentarze", "5 komentarzy", "12 komentarzy", "22 komentarze",
        "25 komentarzy", "101 komentarzy"],
    ("uk", "%(num)d comment", "%(num)d comments"): [
        "0 коментарів", "1 коментар", "2 коментарі", "5 коментарів", "12 коментарів", "22 коментарі",
        "25 коментарів", "101 коментар"],
    # The ballot's counter and the points of a cumulative ballot: whole sentences in every form.
    ("pl", "%(num)d proposal chosen", "%(num)d proposals chosen"): [
        "Wybrano 0 propozycji", "Wybrano 1 propozycję", "Wybrano 2 propozycje", "Wybrano 5 propozycji",
        "Wybrano 12 propozycji", "Wybrano 22 propozycje", "Wybrano 25 propozycji", "Wybrano 101 propozycji"],
    ("uk", "%(num)d proposal chosen", "%(num)d proposals chosen"): [
        "Вибрано 0 пропозицій", "Вибрано 1 пропозицію", "Вибрано 2 пропозиції", "Вибрано 5 пропозицій",
        "Вибрано 12 пропозицій", "Вибрано 22 пропозиції", "Вибрано 25 пропозицій", "Вибрано 101 пропозицію"],
    ("pl", "Spread %(num)d point among the proposals.", "Spread %(num)d points among the proposals."): [
        "Rozdziel 0 punktów między propozycje.", "Rozdziel 1 punkt między propozycje.",
        "Rozdziel 2 punkty między propozycje.", "Rozdziel 5 punktów między propozycje.",
        "Rozdziel 12 punktów między propozycje.", "Rozdziel 22 punkty między propozycje.",
        "Rozdziel 25 punktów między propozycje.", "Rozdziel 101 punktów między propozycje."],
    ("uk", "Spread %(num)d point among the proposals.", "Spread %(num)d points among the proposals."): [
        "Розподіли 0 балів між пропозиціями.", "Розподіли 1 бал між пропозиціями.",
        "Розподіли 2 бали між пропозиціями.", "Розподіли 5 балів між пропозиціями.",
        "Розподіли 12 балів між пропозиціями.", "Розподіли 22 бали між пропозиціями.",
        "Розподіли 25 балів між пропозиціями.", "Розподіли 101 бал між пропозиціями."],
    ("pl", "%(num)d pledge", "%(num)d pledges"): [
        "0 deklaracji pomocy", "1 deklaracja pomocy", "2 deklaracje pomocy", "5 deklaracji pomocy",
        "12 deklaracji pomocy", "22 deklaracje pomocy", "25 deklaracji pomocy", "101 deklaracji pomocy"],
    ("uk", "%(num)d pledge", "%(num)d pledges"): [
        "0 обіцянок допомоги", "1 обіцянка допомоги", "2 обіцянки допомоги", "5 обіцянок допомоги",
        "12 обіцянок допомоги", "22 обіцянки допомоги", "25 обіцянок допомоги", "101 обіцянка допомоги"],
}


@pytest.mark.parametrize(("language", "singular", "plural"), list(PLURALS))
def test_plural_forms_follow_the_language(app, language, singular, plural):
    from flask_babel import force_locale, ngettext

    with app.test_request_context(), force_locale(language):
        forms = [ngettext(singular, plural, n) for n in NUMBERS]
    assert forms == PLURALS[language, singular, plural]
