"""Every reason the Pabulib reader gives has a translation, word for word the engine's English."""

from __future__ import annotations

from flask_babel import force_locale

from app.votes.pabulib_messages import MESSAGES, pabulib_error_message
from app.votes.tally import PabulibError, parse_pabulib_text
from app.votes.tally.pabulib import MESSAGES as ENGINE_MESSAGES


def test_every_reason_is_translatable_and_the_english_is_the_engines(app):
    assert set(MESSAGES) == set(ENGINE_MESSAGES)
    with app.test_request_context(), force_locale("en"):
        assert {code: str(text) for code, text in MESSAGES.items()} == ENGINE_MESSAGES


def refusal(text: str) -> PabulibError:
    try:
        parse_pabulib_text(text)
    except PabulibError as error:
        return error
    raise AssertionError("the file was read")


BAD_BUDGET = ("META\nkey;value\nvote_type;approval\nrule;greedy\nbudget;12 zł\n"
              "PROJECTS\nproject_id;cost\n1;5\nVOTES\nvoter_id;vote\nv1;1\n")


def test_the_place_and_the_reason_in_each_language(app):
    error = refusal(BAD_BUDGET)
    assert str(error) == 'META, line 5, column "value": budget: "12 zł" is not a number'
    with app.test_request_context():
        expected = {
            "en": str(error),
            "pl": "META, wiersz 5, kolumna „value”: budget: „12 zł” nie jest liczbą",
            "uk": "META, рядок 5, стовпець «value»: budget: «12 zł» не є числом",
        }
        for language, line in expected.items():
            with force_locale(language):
                assert pabulib_error_message(error) == line
    whole_file = refusal(BAD_BUDGET.split("VOTES")[0])
    with app.test_request_context(), force_locale("pl"):
        assert pabulib_error_message(whole_file) == "w pliku nie ma sekcji VOTES"
