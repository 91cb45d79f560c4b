"""The activity pages read right in Polish: "Zaplanuj działanie" is a button, "Sprawozdanie" the report."""

from __future__ import annotations

from app.proposals.models import Status
from tests.activities.factories import in_days, make_activity, sign
from tests.proposals.factories import make_proposal


def test_the_schedule_button_is_a_verb(client, session, users):
    make_proposal(session, users.resident(), status=Status.SELECTED, title="Kawiarenka naprawcza")
    client.login(users.moderator())
    page = client.get("/activities/schedule").get_data(as_text=True)
    assert ">Zaplanuj działanie<span" in page
    assert ">Harmonogram<" not in page


def test_the_after_activity_field_is_sprawozdanie(client, session, users):
    coordinator = users.resident()
    activity = make_activity(session, coordinator=coordinator, starts_at=in_days(-1))
    client.login(coordinator)
    page = client.get(f"/activities/{activity.id}/report").get_data(as_text=True)
    assert ">Sprawozdanie" in page and "opublikuj sprawozdanie" in page
    assert ">Zgłoś<" not in page


def test_cancelling_a_sign_up_is_wypisz_sie(client, session, users):
    resident = users.resident()
    activity = make_activity(session)
    sign(session, activity, resident)
    client.login(resident)
    page = client.get(f"/activities/{activity.id}").get_data(as_text=True)
    assert ">Wypisz się</button>" in page and "Wypisz mnie" not in page
