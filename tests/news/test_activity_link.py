"""A news post may link to an activity: publishing and editing the link, refusals, the pages that show it,
the activity's page fragment, and what happens when the activity goes away."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from markupsafe import escape

from app.activities.models import Activity
from app.activities.signals import activity_page
from app.news import queries, services
from app.news.models import NewsPost
from tests.activities.factories import in_days, make_activity
from tests.news.test_news import ROLES, STAFF, make_post, snapshot
from tests.queries import count_queries

TITLE = "Wieczór planszówek & <b>gry</b> dla rodzin"
REFUSED = "Wybierz jedno z wydarzeń z kalendarza."


def form(**fields) -> dict:
    return {"title": "Zapraszamy na planszówki", "body": "W piątek o **18:00**.", "round_id": "",
            "proposal_id": "", "activity_id": "", **fields}


def selected_activity(html: str) -> str | None:
    select = re.search(r'<select[^>]*name="activity_id".*?</select>', html, re.S).group(0)
    match = re.search(r'<option selected value="(\d*)"', select)
    return match.group(1) if match else None


@pytest.fixture
def activity(session):
    return make_activity(session, title=TITLE, starts_at=in_days(3))


def test_published_post_shows_the_activity_with_a_working_link(client, users, session, activity):
    client.login(users.moderator())

    response = client.post("/news/new", form(activity_id=str(activity.id)))

    assert response.status_code == 303
    post = session.scalar(sa.select(NewsPost).order_by(NewsPost.id.desc()).limit(1))
    assert post.activity_id == activity.id
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    link = f'<a href="/activities/{activity.id}">{escape(TITLE)}</a>'
    assert "Wydarzenie:" in page and link in page
    assert "<b>gry</b>" not in page
    assert client.get(f"/activities/{activity.id}").status_code == 200
    # The list and the home page's cards show the link too.
    assert link in client.get("/news").get_data(as_text=True)
    assert link in client.get("/").get_data(as_text=True)


def test_cancelled_activity_is_linked_and_marked(client, users, session):
    cancelled = make_activity(session, title="Warsztaty ceramiki", status="cancelled")
    client.login(users.moderator())
    response = client.post("/news/new", form(title="Warsztaty odwołane", activity_id=str(cancelled.id)))
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f'href="/activities/{cancelled.id}">Warsztaty ceramiki</a>' in page and "(odwołane)" in page


@pytest.mark.parametrize("value", ["987654", "2147483647"], ids=["unknown", "largest id"])
def test_unknown_activity_is_refused_and_nothing_is_stored(client, users, session, activity, value):
    client.login(users.moderator())
    before = snapshot(session)

    response = client.post("/news/new", form(activity_id=value))

    assert response.status_code == 422
    assert REFUSED in response.get_data(as_text=True)
    assert snapshot(session) == before


@pytest.mark.parametrize("value", ["abc", "-1", "2147483648", "²"])
def test_not_an_id_is_refused(client, users, session, value):
    client.login(users.moderator())
    before = snapshot(session)
    response = client.post("/news/new", form(activity_id=value))
    assert response.status_code == 422
    assert snapshot(session) == before


def test_activity_residents_cannot_see_is_refused(client, users, session, activity, monkeypatch):
    """Every activity is public today; the choices and the check share one definition of "public", so a
    state that hides activities (here: pretend cancelled ones are hidden) is refused and not offered."""
    hidden = make_activity(session, title="Niewidoczne wydarzenie", status="cancelled")
    monkeypatch.setattr(queries, "public_activities",
                        lambda: sa.select(Activity).where(Activity.status != "cancelled"))
    client.login(users.moderator())
    before = snapshot(session)

    response = client.post("/news/new", form(activity_id=str(hidden.id)))

    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert REFUSED in html and "Niewidoczne wydarzenie" not in html and escape(TITLE) in html
    assert snapshot(session) == before


def test_service_refuses_an_unknown_activity_on_edit_too(session, users, activity):
    from app.errors import InvalidInput

    moderator = users.moderator()
    post = services.publish(moderator, "Tytuł", "Treść", activity_id=activity.id)
    with pytest.raises(InvalidInput) as refused:
        services.edit(moderator, post, "Tytuł", "Treść", activity_id=987654)
    assert refused.value.field == "activity_id"
    session.rollback()
    session.expire_all()
    assert session.get(NewsPost, post.id).activity_id == activity.id


def test_deleting_the_activity_leaves_the_post_without_a_link(client, users, session, activity):
    post = services.publish(users.moderator(), "Zapraszamy", "Treść", activity_id=activity.id)
    activity_id = activity.id

    session.delete(activity)
    session.commit()
    session.expire_all()

    assert session.get(NewsPost, post.id).activity_id is None
    page = client.get(f"/news/{post.id}").get_data(as_text=True)
    assert "Wydarzenie:" not in page and f"/activities/{activity_id}" not in page
    assert client.get("/news").status_code == 200 and client.get("/").status_code == 200


def test_edit_keeps_changes_and_removes_the_link(client, users, session, activity):
    other = make_activity(session, title="Sprzątanie skweru", starts_at=in_days(10))
    post = services.publish(users.moderator(), "Zapraszamy", "Treść", activity_id=activity.id)
    client.login(users.moderator())
    url = f"/news/{post.id}/edit"

    assert selected_activity(client.get(url).get_data(as_text=True)) == str(activity.id)

    kept = client.post(url, form(title="Bez zmiany wydarzenia", activity_id=str(activity.id)))
    assert kept.status_code == 303
    session.expire_all()
    assert session.get(NewsPost, post.id).title == "Bez zmiany wydarzenia"
    assert session.get(NewsPost, post.id).activity_id == activity.id

    assert client.post(url, form(activity_id=str(other.id))).status_code == 303
    session.expire_all()
    assert session.get(NewsPost, post.id).activity_id == other.id
    page = client.get(f"/news/{post.id}").get_data(as_text=True)
    assert f'href="/activities/{other.id}">Sprzątanie skweru</a>' in page

    response = client.post(url, form(activity_id="987654"))
    assert response.status_code == 422 and REFUSED in response.get_data(as_text=True)
    session.expire_all()
    assert session.get(NewsPost, post.id).activity_id == other.id

    assert client.post(url, form(activity_id="")).status_code == 303
    session.expire_all()
    assert session.get(NewsPost, post.id).activity_id is None


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", ["publish", "edit"])
def test_linking_an_activity_is_for_staff_only(action, role, client, users, session, activity):
    post = make_post(session, author=users.moderator())
    actor = users.for_role(role)
    if actor:
        client.login(actor)
    before = snapshot(session)

    path = "/news/new" if action == "publish" else f"/news/{post.id}/edit"
    response = client.post(path, form(activity_id=str(activity.id)))

    after = snapshot(session)
    if role in STAFF:
        assert response.status_code == 303
        assert after["news_posts"][-1].activity_id == activity.id
        assert after["audit_events"][-1].action == f"news.{'published' if action == 'publish' else 'edited'}"
    else:
        assert response.status_code == (302 if role == "anonymous" else 403)
        assert after == before


def test_choices_put_upcoming_first_then_recent_past(app, session):
    later = make_activity(session, title="Później", starts_at=in_days(9))
    soon = make_activity(session, title="Wkrótce", starts_at=in_days(2))
    long_ago = make_activity(session, title="Dawno", starts_at=in_days(-30))
    lately = make_activity(session, title="Niedawno", starts_at=in_days(-2), status="held")
    cancelled = make_activity(session, title="Odwołane", starts_at=in_days(4), status="cancelled")

    with app.test_request_context():
        choices = queries.activity_choices()

    assert [i for i, _label in choices] == [soon.id, cancelled.id, later.id, lately.id, long_ago.id]
    labels = dict(choices)
    assert labels[soon.id].startswith("Wkrótce — ") and re.search(r"\d\d:\d\d", labels[soon.id])
    assert labels[cancelled.id].endswith("(odwołane)")


def test_form_offers_the_activities(client, users, session, activity):
    client.login(users.moderator())
    html = client.get("/news/new").get_data(as_text=True)
    assert "Powiązane wydarzenie (opcjonalnie)" in html
    assert f'<option value="{activity.id}">{escape(TITLE)} — ' in html


def _activity_page_parts(activity) -> dict:
    """What the features above activities give the activity page, as its route asks them."""
    parts = {}
    for _receiver, values in activity_page.send(activity, viewer=None):
        parts.update(values)
    return parts


def test_activity_page_fragment_lists_the_news_in_one_query(app, session, users, activity):
    other = make_activity(session, title="Inne")
    quiet = make_activity(session, title="Bez aktualności")
    moderator = users.moderator()
    older = services.publish(moderator, "Zapisy otwarte", "Treść", activity_id=activity.id)
    older.published_at -= timedelta(days=1)
    session.commit()
    newer = services.publish(moderator, "Zostały dwa miejsca", "Treść", activity_id=activity.id)
    services.publish(moderator, "O czymś innym", "Treść", activity_id=other.id)
    session.refresh(activity)  # as the activity page has it: loaded

    with app.test_request_context():
        template = app.jinja_env.get_template("news/_for_activity.html")
        with count_queries(app) as statements:
            parts = _activity_page_parts(activity)
        with count_queries(app) as rendering:
            html = template.render(activity=activity, **parts)
        empty = template.render(activity=quiet, **_activity_page_parts(quiet))

    assert len(statements) == 1
    assert rendering == []  # the template does not query: the route passes the news in
    assert html.index("Zostały dwa miejsca") < html.index("Zapisy otwarte")
    assert f'href="/news/{newer.id}"' in html and f'href="/news/{older.id}"' in html
    assert "O czymś innym" not in html and "Aktualności o tym wydarzeniu" in html
    assert empty.strip() == ""


def test_news_list_query_count_does_not_grow_with_linked_activities(app, client, session, users):
    def list_queries() -> int:
        client.get("/news")
        with count_queries(app) as statements:
            assert client.get("/news").status_code == 200
        return len(statements)

    moderator = users.moderator()

    def publish(n: int) -> None:
        services.publish(moderator, f"Wydarzenie {n}", "Treść",
                         activity_id=make_activity(session, title=f"Zajęcia {n}").id)

    publish(0)
    few = list_queries()
    for n in range(1, 8):
        publish(n)
    assert list_queries() == few


def test_the_activity_page_lists_the_news_about_it(client, session, users, activity):
    post = services.publish(users.moderator(), "Zapisy na warsztaty otwarte", "Treść",
                            activity_id=activity.id)
    page = client.get(f"/activities/{activity.id}").get_data(as_text=True)
    assert "Aktualności o tym wydarzeniu" in page
    assert f'<a href="/news/{post.id}">Zapisy na warsztaty otwarte</a>' in page
