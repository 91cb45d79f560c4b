"""The centre's settings: defaults from the configuration, the admin's form, the footer and the
accessibility statement built from them."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.centre import address_text, hours_text, settings
from app.centre.models import CentreSettings

FORM = {
    "name": "MAM Na Kozłówce",
    "street": "ul. Bochenka 12",
    "postcode": "30-693",
    "city": "Kraków",
    "opening_hours": "wtorek–piątek 12:00–19:00\r\nsobota 10:00–13:00",
    "phone": "+48 12 111 22 33",
    "email": "biuro@mam.example",
    "compliance": "full",
    "statement_published_on": "2026-03-01",
    "statement_updated_on": "2026-12-01",
    "assessment": "Audyt zewnętrzny Fundacji Widzialni",
    "accessibility_contact": "Jan Kowalczyk",
    "accessibility_phone": "+48 12 111 22 44",
    "accessibility_email": "dostepnosc@mam.example",
    "entrance": "Wejście z podjazdem od podwórza",
    "lift": "Winda do sali na piętrze",
    "toilet": "Toaleta dla osób na wózku na piętrze",
    "parking": "Dwa miejsca dla osób z niepełnosprawnościami",
    "assistance_dog": "Pies asystujący jest mile widziany",
    "sign_language": "Tłumacz PJM po wcześniejszym zgłoszeniu",
}


def html(response) -> str:
    return response.get_data(as_text=True).replace("\u00a0", " ")


def test_without_a_record_the_configured_defaults_show_in_the_footer_and_statement(client, app):
    page = html(client.get("/accessibility"))

    assert "ul. Kozłówka 14, 30-664 Kraków" in page  # the demo centre, from the configuration
    assert "poniedziałek–piątek 10:00–20:00<br>sobota 10:00–14:00" in page
    assert ("https://www.openstreetmap.org/search?query="
            "ul.+Koz%C5%82%C3%B3wka+14%2C+30-664+Krak%C3%B3w") in page
    assert "Deklaracja dostępności" in page
    assert "Strona internetowa jest częściowo zgodna" in page
    assert "Wejście główne od ulicy" in page
    assert "Rzecznika Praw Obywatelskich" in page


def test_every_page_has_the_centre_in_its_footer(client):
    page = html(client.get("/rounds"))

    footer = page[page.index('<footer'):]
    assert "ul. Kozłówka 14, 30-664 Kraków" in footer and "Godziny otwarcia" in footer
    assert "openstreetmap.org/search" in footer and "<iframe" not in page


def test_an_admin_saves_the_details_and_every_page_shows_them(client, users, session):
    client.login(users.admin())

    form = html(client.get("/admin/centre"))
    assert "Dane centrum" in form and 'value="ul. Kozłówka 14"' in form
    response = client.post("/admin/centre", FORM)

    assert response.status_code == 303
    record = session.get(CentreSettings, 1)
    assert (record.street, record.postcode, record.statement_updated_on) == (
        "ul. Bochenka 12", "30-693", date(2026, 12, 1))
    event = session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "centre.settings_changed")).one()
    assert "street" in event.data["fields"] and "name" in event.data["fields"]
    statement = html(client.get("/accessibility"))
    assert "ul. Bochenka 12, 30-693 Kraków" in statement
    assert "Strona internetowa jest w pełni zgodna" in statement
    assert "1 marca 2026" in statement and "1 grudnia 2026" in statement
    assert "Jan Kowalczyk" in statement and "mailto:dostepnosc@mam.example" in statement
    assert "Audyt zewnętrzny Fundacji Widzialni" in statement
    for text in ("Winda do sali na piętrze", "Toaleta dla osób na wózku", "Dwa miejsca", "Pies asystujący",
                 "Tłumacz PJM"):
        assert text in statement
    assert "wtorek–piątek 12:00–19:00<br>sobota 10:00–13:00" in statement


def test_the_functions_other_packages_use(app, session, users):
    from app.centre import services

    with app.test_request_context():
        assert address_text() == "ul. Kozłówka 14, 30-664 Kraków"
        assert hours_text().splitlines()[0] == "poniedziałek–piątek 10:00–20:00"
        services.update_settings(users.admin(), replace(settings(), street="  ul. Nowa 1 ",
                                                        opening_hours="pon. 9–17\n\n wt. 9–17"))
    with app.test_request_context():
        assert address_text() == "ul. Nowa 1, 30-664 Kraków"
        assert hours_text() == "pon. 9–17\nwt. 9–17"


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"name": ""}, "name", "To pole jest wymagane."),
        ({"postcode": "30664"}, "postcode", "Wpisz kod pocztowy w formie 30-664."),
        ({"street": "x" * 201}, "street", "To pole może mieć najwyżej 200 znaków."),
        ({"email": "nie-adres"}, "email", "Wpisz poprawny adres e-mail"),
        ({"statement_updated_on": "2026-02-01"}, "statement_updated_on",
         "Ostatnia aktualizacja nie może być wcześniejsza niż publikacja."),
        ({"statement_published_on": "1 marca"}, "statement_published_on", "Nieprawidłowa data"),
        ({"compliance": "maybe"}, "compliance", "Nieprawidłowy wybór"),
        ({"entrance": "<script>alert(1)</script>\x00"}, "entrance", "niedozwolone znaki"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_is_saved(client, users, session, change, field,
                                                                  message):
    client.login(users.admin())

    response = client.post("/admin/centre", {**FORM, **change})

    assert response.status_code == 422
    page = html(response)
    assert f'href="#{field}"' in page and message in page
    assert session.get(CentreSettings, 1) is None


def test_text_is_escaped_on_the_statement(client, users):
    client.login(users.admin())
    client.post("/admin/centre", {**FORM, "entrance": "<script>alert('x')</script>"})

    page = html(client.get("/accessibility"))

    assert "<script>alert" not in page and "&lt;script&gt;alert" in page


@pytest.mark.parametrize("role", ["anonymous", "unverified", "resident", "moderator", "steering"])
def test_only_an_admin_edits_the_details(client, users, session, role):
    user = users.for_role(role)
    if user is not None:
        client.login(user)

    shown = client.get("/admin/centre")
    saved = client.post("/admin/centre", FORM)

    expected = 302 if user is None else 403
    assert (shown.status_code, saved.status_code) == (expected, expected)
    assert session.get(CentreSettings, 1) is None


def test_the_admin_form_is_in_english_too(client, users):
    client.login(users.admin(locale="en"))

    page = html(client.get("/admin/centre"))

    assert "The centre's details" in page and "Polish Sign Language (PJM) interpreter" in page


# --- the page about the centre ----------------------------------------------------------------------


def test_the_centre_page_says_who_runs_it_where_when_and_lists_the_rooms(client, session):
    from tests.activities.factories import make_place

    hall = make_place(session, name="Sala widowiskowa")
    hall.capacity, hall.description = 80, "Scena i nagłośnienie"
    make_place(session, name="Dawna suszarnia", active=False)
    session.commit()

    page = html(client.get("/centre"))

    assert "Kto prowadzi centrum" in page and "Fundacja Kozłówka" in page  # the configured default
    assert "ul. Kozłówka 14, 30-664 Kraków" in page and "poniedziałek–piątek 10:00–20:00" in page
    assert 'href="https://www.openstreetmap.org/search?query=' in page and "<iframe" not in page
    assert "Sala widowiskowa" in page and "Do 80 osób" in page and "Scena i nagłośnienie" in page
    assert f'href="/activities?place={hall.id}"' in page
    assert "Dawna suszarnia" not in page  # no longer in use
    assert "Zmień dane centrum" not in page and "Zarządzaj miejscami" not in page


def test_every_footer_links_to_the_centre_page(client):
    page = html(client.get("/rounds"))
    footer = page[page.index("<footer"):]
    assert '<a href="/centre">O centrum</a>' in footer
    assert "poniedziałek–piątek 10:00–20:00" in footer and "openstreetmap.org/search" in footer


def test_an_admin_writes_who_runs_the_centre_and_the_page_shows_it(client, users, session):
    client.login(users.admin())
    assert 'href="/admin/centre"' in html(client.get("/centre"))
    form = html(client.get("/admin/centre"))
    assert "Kto prowadzi centrum" in form

    run_by = "Rada mieszkańców <b>osiedla</b>.\r\n\r\nMiasto opłaca czynsz."
    response = client.post("/admin/centre", {**FORM, "run_by": run_by})

    assert response.status_code == 303
    assert session.get(CentreSettings, 1).run_by == run_by
    page = html(client.get("/centre"))
    assert "Rada mieszkańców &lt;b&gt;osiedla&lt;/b&gt;." in page and "<b>osiedla" not in page
    assert "<p class=\"user-text\">Miasto opłaca czynsz.</p>" in page
    assert "ul. Bochenka 12, 30-693 Kraków" in page


@pytest.mark.parametrize("role", ["resident", "moderator", "steering"])
def test_only_an_admin_changes_who_runs_the_centre(client, users, session, role):
    client.login(users.for_role(role))
    response = client.post("/admin/centre", {**FORM, "run_by": "Przejęte"})
    assert response.status_code == 403
    assert "Tylko administratorzy mogą zmieniać dane centrum." in html(response)
    assert session.get(CentreSettings, 1) is None
    assert "Zmień dane centrum" not in html(client.get("/centre"))


def test_the_centre_page_shows_each_room_with_its_photo(client, users, session, app, tmp_path, monkeypatch):
    import io

    from tests.activities.factories import make_place
    from tests.media.files import photo

    monkeypatch.setitem(app.config, "MEDIA_DIR", str(tmp_path / "media"))
    hall = make_place(session, name="Świetlica")
    client.login(users.moderator())
    uploaded = client.post(f"/media/place/{hall.id}/pictures",
                           {"alt": "Świetlica z długim stołem", "picture": (io.BytesIO(photo()), "sala.jpg")},
                           content_type="multipart/form-data")
    assert uploaded.status_code == 303
    client.logout()

    page = html(client.get("/centre"))

    room = page[page.index("<h3>Świetlica</h3>") - 400:page.index("<h3>Świetlica</h3>")]
    assert 'alt="Świetlica z długim stołem"' in room and 'loading="lazy"' in room
