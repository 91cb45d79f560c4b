"""Polish, Ukrainian and English: which language a page is in, the language switch, and formats."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from app.phases.models import Phase
from tests.discussion.factories import make_proposal
from tests.rounds.factories import make_round

UKRAINIAN = {"Accept-Language": "uk-UA,uk;q=0.9,en;q=0.5"}


def html_lang(page: str) -> str:
    return page.split('<html lang="', 1)[1].split('"', 1)[0]


@pytest.fixture
def pages(session, users):
    round_ = make_round(session, Phase.VOTING)
    proposal = make_proposal(session, users.resident())
    return {
        "/": "Найновіші пропозиції",
        "/proposals": "Пропозиції",
        f"/proposals/{proposal.id}": "Обговорення",
        f"/rounds/{round_.id}": "Про цей раунд",
    }


def test_pages_answer_in_ukrainian_to_a_ukrainian_browser(client, pages):
    for url, text in pages.items():
        response = client.get(url, headers=UKRAINIAN)
        page = response.get_data(as_text=True)
        assert response.status_code == 200, url
        assert html_lang(page) == "uk", url
        assert "Перейти до вмісту" in page and text in page, url
        assert "Przejdź do treści" not in page and "Skip to main content" not in page, url
        assert "Accept-Language" in response.headers["Vary"]


@pytest.mark.parametrize(("header", "language"), [
    ("uk", "uk"),
    ("ru-RU,ru;q=0.9,uk;q=0.8", "uk"),
    ("en-GB,en;q=0.9", "en"),
    ("pl-PL,pl;q=0.9,en;q=0.8", "pl"),
    ("de-DE,fr;q=0.5", "pl"),  # nothing matches: Polish
    (None, "pl"),
])
def test_accept_language_is_negotiated_among_polish_ukrainian_and_english(client, header, language):
    headers = {"Accept-Language": header} if header else {}
    assert html_lang(client.get("/", headers=headers).get_data(as_text=True)) == language


def test_a_signed_in_residents_saved_language_beats_the_browser(client, users):
    client.login(users.resident(locale="en"))
    page = client.get("/proposals", headers=UKRAINIAN).get_data(as_text=True)
    assert html_lang(page) == "en" and "Write a proposal" in page

    client.login(users.resident(locale="uk"))
    page = client.get("/proposals", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert html_lang(page) == "uk" and "Написати пропозицію" in page


def test_the_switch_names_each_language_in_itself_and_marks_the_current_one(client):
    page = client.get("/", headers=UKRAINIAN).get_data(as_text=True)
    assert '<button type="submit" name="lang" value="pl" lang="pl" >Polski</button>' in page
    assert 'value="uk" lang="uk" aria-current="true">Українська</button>' in page
    assert '<button type="submit" name="lang" value="en" lang="en" >English</button>' in page


def test_the_switch_keeps_the_visitor_on_the_same_page(client, session, users):
    proposal = make_proposal(session, users.resident())
    here = f"/proposals/{proposal.id}?sort=newest"
    response = client.post("/language", {"lang": "uk", "next": here})
    assert response.status_code in (302, 303) and response.headers["Location"] == here
    page = client.get(here).get_data(as_text=True)
    assert html_lang(page) == "uk" and "Обговорення" in page
    # The visitor's choice beats the browser's language on later visits.
    assert html_lang(client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)) == "uk"


def test_the_switch_saves_a_signed_in_residents_choice(client, session, users):
    resident = users.resident()
    client.login(resident)
    client.post("/language", {"lang": "uk", "next": "/"})
    session.refresh(resident)
    assert resident.locale == "uk"


def test_residents_can_choose_ukrainian_in_their_account(client, session, users):
    resident = users.resident()
    client.login(resident)
    form = client.get("/account").get_data(as_text=True)
    assert 'value="uk"' in form and "Українська" in form
    response = client.post("/account", {"display_name": "Оксана", "locale": "uk"})
    assert response.status_code == 303
    session.refresh(resident)
    assert resident.locale == "uk"
    assert html_lang(client.get("/account").get_data(as_text=True)) == "uk"


def test_an_unknown_language_is_refused_with_a_message(client, session, users):
    resident = users.resident()
    client.login(resident)
    response = client.post("/account", {"display_name": "Ola", "locale": "ru"})
    assert response.status_code == 422
    session.refresh(resident)
    assert resident.locale == "pl"


def test_english_registers_as_en_not_as_the_formatting_locale(client, session):
    from app.auth.models import User

    client.post("/language", {"lang": "en", "next": "/"})
    response = client.post("/register", {"email": "jane@kozlowka.example", "display_name": "Jane",
                                         "password": "zielony-parasol-nad-wisla",
                                         "confirm": "zielony-parasol-nad-wisla"})
    assert response.status_code == 303
    assert session.query(User).filter_by(email="jane@kozlowka.example").one().locale == "en"


def test_a_visitor_who_registers_from_a_ukrainian_browser_keeps_ukrainian(client, session, mail):
    from app.auth.models import User

    response = client.post("/register", {"email": "oksana@kozlowka.example", "display_name": "Оксана",
                                         "password": "zielony-parasol-nad-wisla",
                                         "confirm": "zielony-parasol-nad-wisla"}, headers=UKRAINIAN)
    assert response.status_code == 303
    assert session.query(User).filter_by(email="oksana@kozlowka.example").one().locale == "uk"
    [message] = mail
    assert "Підтверди свою адресу e-mail" in message["body"]


def test_dates_and_money_in_british_english_and_ukrainian(app):
    from flask_babel import force_locale

    from app.i18n import babel_locale

    day = date(2026, 12, 2)
    evening = datetime(2026, 12, 2, 17, 30, tzinfo=UTC)  # 18:30 in Warsaw
    render = app.jinja_env.from_string(
        "{{ day|date('medium') }}|{{ when|datetime('short') }}|{{ cost|money }}")
    with app.test_request_context():
        with force_locale(babel_locale("en")):
            english = render.render(day=day, when=evening, cost=450_000).split("|")
        with force_locale(babel_locale("uk")):
            ukrainian = render.render(day=day, when=evening, cost=450_000).split("|")
    assert english[0] == "2 Dec 2026"
    assert "18:30" in english[1] and "PM" not in english[1]
    assert english[2].replace("\xa0", "") == "PLN4,500.00"
    assert "груд" in ukrainian[0] and "2026" in ukrainian[0]
    assert "18:30" in ukrainian[1]
    assert ukrainian[2].replace("\xa0", " ").replace("\u202f", " ") == "4 500,00 PLN"


def test_english_pages_show_british_dates(client, session, users):
    from app.news.models import NewsPost

    post = NewsPost(title="Spotkanie", body="Tekst", body_html="<p>Tekst</p>", author_id=users.moderator().id,
                    published_at=datetime(2026, 12, 2, 10, 0, tzinfo=UTC))
    session.add(post)
    session.commit()
    client.post("/language", {"lang": "en", "next": "/"})
    page = client.get(f"/news/{post.id}").get_data(as_text=True)
    assert html_lang(page) == "en"
    assert "2 December 2026" in page or "2 Dec 2026" in page


def test_e_mails_are_written_in_the_recipients_language(client, users, mail):
    resident = users.resident(locale="uk")
    client.post("/reset-password", {"email": resident.email}, headers={"Accept-Language": "pl"})
    [message] = mail
    assert message["subject"] == "Встановити новий пароль"
    assert "Посилання дійсне протягом години" in message["body"]


def test_a_deleted_author_is_named_in_ukrainian_as_the_deletion_page_promises(client, session, users):
    proposal = make_proposal(session, None)  # its author deleted the account
    client.login(users.resident(locale="uk"))
    promise = client.get("/account/delete").get_data(as_text=True)
    assert "з підписом «видалений обліковий запис»" in promise
    page = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert "видалений обліковий запис" in page and "konto usunięte" not in page


def test_the_poster_pdf_is_printed_in_ukrainian_for_a_ukrainian_visitor(client, session):
    import io

    from pypdf import PdfReader

    from app.pdf import pdf_available
    from tests.conftest import require_system

    require_system(pdf_available(), "Pango (for PDFs)", "apt-get install libpango-1.0-0 libpangoft2-1.0-0")
    round_ = make_round(session, Phase.VOTING, budget_grosze=450_000)
    response = client.get(f"/rounds/{round_.id}/poster.pdf", headers=UKRAINIAN)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.get_data())).pages)
    text = " ".join(text.split())
    assert "Проголосуй на папері в центрі" in text and "Мешканці разом вирішують" in text
    assert "Głosuj" not in text
