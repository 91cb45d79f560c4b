"""Every user-facing string has a Polish translation; plurals have all three Polish forms."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
METHOD_MAP = [
    ("app/**.py", "python"),
    ("app/templates/**.html", "jinja2"),
    ("app/templates/**.txt", "jinja2"),
]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None,
            "lazy_ngettext": (1, 2), "pgettext": ((1, "c"), 2), "lazy_pgettext": ((1, "c"), 2),
            "npgettext": ((1, "c"), 2, 3)}


def source_messages() -> set:
    found = set()
    for _file, _line, message, _comments, context in extract_from_dir(
        str(ROOT), METHOD_MAP, keywords=KEYWORDS,
        options_map={pattern: {"extensions": "jinja2.ext.do"} for pattern, method in METHOD_MAP
                     if method == "jinja2"},
    ):
        found.add((context, message if isinstance(message, str) else tuple(message)))
    return found


def polish_catalog():
    with open(ROOT / "app/translations/pl/LC_MESSAGES/messages.po", "rb") as handle:
        return read_po(handle)


def test_the_sources_have_messages_to_check():
    messages = source_messages()
    assert len(messages) > 150
    assert (None, "Skip to main content") in messages
    assert ("verb", "Schedule") in messages and ("noun", "Report") in messages  # pgettext is extracted


def test_every_message_has_a_polish_translation():
    catalog = polish_catalog()
    missing = []
    for context, message in sorted(source_messages(), key=str):
        key = message[0] if isinstance(message, tuple) else message
        entry = catalog.get(key, context=context)
        if entry is None or entry.fuzzy:
            missing.append(message)
            continue
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        if not all(strings) or (isinstance(message, tuple) and len(strings) != 3):
            missing.append(message)
    assert not missing, "Untranslated into Polish (run `make messages` and translate):\n" + "\n".join(
        map(repr, missing)
    )


def test_polish_plurals_use_three_forms(app):
    from flask_babel import force_locale, ngettext

    with app.test_request_context(), force_locale("pl"):
        forms = [ngettext("%(num)d person", "%(num)d people", n) for n in (1, 2, 5, 22, 25, 112)]
    assert forms == ["1 osoba", "2 osoby", "5 osób", "22 osoby", "25 osób", "112 osób"]


def test_english_is_served_on_request(client):
    client.post("/language", {"lang": "en", "next": "/"})
    html = client.get("/").get_data(as_text=True)
    assert "Skip to main content" in html and "Przejdź do treści" not in html


def test_dates_and_money_follow_the_locale(app):
    from datetime import UTC, datetime

    from flask_babel import force_locale

    from app.i18n import money

    summer = datetime(2026, 7, 1, 10, 0, 5, 123456, tzinfo=UTC)  # 12:00 in Warsaw (CEST)
    with app.test_request_context():
        render = app.jinja_env.from_string("{{ when|datetime }} {{ cost|money }}")
        with force_locale("pl"):
            polish = render.render(when=summer, cost=123456)
        with force_locale("en"):
            english = render.render(when=summer, cost=123456)
        with force_locale("pl"):  # the texts kept for the same values are kept per language
            assert render.render(when=summer, cost=123456) == polish
        with force_locale("uk"):
            assert render.render(when=summer, cost=123456) not in (polish, english)
        assert money(None) == "—"
    assert "12:00" in polish and "1234,56" in polish.replace("\xa0", "").replace(" ", "")
    assert "zł" in polish
    assert "12:00" in english or "12:00 PM" in english
    assert "1,234.56" in english


def test_one_format_per_kind_in_polish(app):
    """Date "2 grudnia 2026", date and time "2 grudnia 2026, 11:16" in Warsaw time (no seconds, no zone
    name), money "4 500,00 zł" (a no-break space between thousands), ISO 8601 for <time datetime>."""
    from datetime import UTC, datetime

    from flask_babel import force_locale

    from app.i18n import quoted

    winter = datetime(2026, 12, 2, 10, 16, 42, 987654, tzinfo=UTC)  # 11:16:42 in Warsaw (CET)
    with app.test_request_context(), force_locale("pl"):
        render = app.jinja_env.from_string(
            "{{ when|date }}|{{ when|datetime }}|{{ when|datetime('short') }}|{{ when|time }}|"
            "{{ when|iso }}|{{ cost|money }}"
        )
        date_, both, short, clock, iso, money_ = render.render(when=winter, cost=450000).split("|")
        quote = quoted("Ławki")
    assert date_ == "2 grudnia 2026"
    assert both == short == "2 grudnia 2026, 11:16"
    assert clock == "11:16"
    assert iso == "2026-12-02T11:16:42+01:00"
    assert money_ == "4\xa0500,00\xa0zł"
    assert quote == "„Ławki”"


def test_links_inside_translated_sentences_are_links(client, session, users):
    """A sentence with a link in it is one message with a placeholder: the link must render as a link
    in both languages, never as escaped markup."""
    from tests.discussion.factories import make_proposal

    proposal = make_proposal(session, users.resident())
    for lang, sign_in in (("pl", "Zaloguj się"), ("en", "Sign in")):
        client.http.set_cookie("lang", lang)
        data = client.get("/data").get_data(as_text=True)
        assert '<a href="/api/v1/openapi.json">/api/v1/openapi.json</a>' in data
        page = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
        assert re.search(rf'<a href="/login\?next=[^"]+">{sign_in}</a>', page)
        assert "&lt;a href" not in data + page


def test_no_template_folder_is_hidden_from_extraction():
    """Babel's extraction skips folders whose names start with "_" or ".": their texts would never be
    translated (and this test module would not notice them)."""
    hidden = [p for p in (ROOT / "app").rglob("*") if p.is_dir() and p.name.startswith(("_", "."))
              and p.name != "__pycache__"]
    assert hidden == []


def test_pagination_and_error_summaries_are_translated(client, session, users, app, monkeypatch):
    from tests.discussion.factories import make_proposal

    monkeypatch.setitem(app.config, "PAGE_SIZE", 1)
    for _ in range(2):
        make_proposal(session, users.resident())
    page = client.get("/proposals").get_data(as_text=True)
    assert "Następna" in page and "Strona 1 z 2" in page and "Next" not in page
    client.login(users.resident())
    form = client.post("/proposals/new", {"title": ""}).get_data(as_text=True)
    assert "Popraw następujące pola:" in form


def test_polish_uses_one_gender_inclusive_convention():
    """Neutral phrasing ("Twój głos został oddany"); where a form cannot be avoided, only "zapisany(-a)".
    No slashes ("zapisana/zapisany"), bare brackets ("skomentował(a)", "koordynator(ka)") or "(-aś)"."""
    letter = "[a-ząćęłńóśźż]"
    other_forms = re.compile(rf"{letter}/{letter}|{letter}\((?!-){letter}+\)|\(-(?!a\))", re.IGNORECASE)
    found = []
    for entry in polish_catalog():
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        found += [text for text in strings if entry.id and text and other_forms.search(text)]
    assert found == []


def test_pgettext_splits_verbs_from_nouns(app):
    from flask_babel import force_locale, pgettext

    with app.test_request_context(), force_locale("pl"):
        assert pgettext("verb", "Schedule") == "Zaplanuj działanie"
        assert pgettext("noun", "Schedule") == "Harmonogram"
        assert pgettext("verb", "Report") == "Zgłoś"
        assert pgettext("noun", "Report") == "Sprawozdanie"
