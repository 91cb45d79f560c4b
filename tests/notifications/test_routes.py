"""The notification pages as a person uses them: the list (paginated, mark one / all read), the header's
unread count, follow buttons, e-mail choices, and one-click unsubscribing from an e-mail."""

from __future__ import annotations

import re

import sqlalchemy as sa

from app.notifications import choices, services, unsubscribing
from app.notifications.models import EmailChoice, Follow, Notification
from tests.activities.factories import make_activity
from tests.proposals.factories import make_proposal
from tests.rounds.factories import make_round

CSRF_REFUSED = "Formularz wygasł lub został wysłany z innego miejsca."


def page(response) -> str:
    return response.get_data(as_text=True)


def tell(session, person, proposal, n: int = 1, actor=None):
    for _ in range(n):
        services.notify([person], "comment.on_my_proposal", category="discussion", subject_kind="proposal",
                        subject_id=proposal.id, title=proposal.title, link=f"/proposals/{proposal.id}",
                        actor=actor)
    session.commit()


def unread(session, person) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(Notification).where(
        Notification.user_id == person.id, Notification.read_at.is_(None)))


def test_the_header_shows_the_unread_count_with_an_accessible_name(client, users, session):
    person, neighbour = users.resident(), users.resident(name="Halina Nowak")
    proposal = make_proposal(session, person, title="Ławki <b>pod lipą</b>")
    tell(session, person, proposal, 3, actor=neighbour)
    assert "notifications-link" not in page(client.get("/"))  # a visitor has none
    client.login(person)
    home = page(client.get("/"))
    link = re.search(r'<a id="notifications-link".*?</a>', home, re.S).group(0)
    assert 'href="/notifications"' in link and 'data-hx-trigger="every 60s"' in link
    assert "Powiadomienia" in link and '<span class="count-badge" aria-hidden="true">3</span>' in link
    assert "(3 nieprzeczytane)" in link
    # HTMX refreshes it: the same link, alone.
    fragment = page(client.get("/notifications/count", headers={"HX-Request": "true"}))
    assert fragment.strip().startswith('<a id="notifications-link"') and "<html" not in fragment


def test_the_list_opens_marks_one_and_all_read(client, users, session):
    person, neighbour = users.resident(), users.resident(name="Halina Nowak")
    proposal = make_proposal(session, person, title="Ławki <b>pod lipą</b>")
    tell(session, person, proposal, 2, actor=neighbour)
    client.login(person)
    listing = page(client.get("/notifications"))
    text = "Halina Nowak komentuje Twoją propozycję „Ławki &lt;b&gt;pod lipą&lt;/b&gt;”."
    assert listing.count(f">{text}</a>") == 2
    assert "<b>pod" not in listing  # the title is text, never markup
    first, second = session.scalars(sa.select(Notification.id).where(Notification.user_id == person.id)
                                    .order_by(Notification.id)).all()
    # Opening one marks it read and leads to its subject.
    response = client.get(f"/notifications/{first}")
    assert response.status_code == 303 and response.headers["Location"] == f"/proposals/{proposal.id}"
    assert unread(session, person) == 1
    # Mark all as read: a form, no JavaScript needed; refused without the CSRF token.
    assert client.post("/notifications/read-all", csrf=False).status_code == 400
    assert unread(session, person) == 1
    response = client.post("/notifications/read-all")
    assert response.status_code == 303 and unread(session, person) == 0
    assert "Mark all as read" not in page(client.get("/notifications"))
    assert second


def test_mark_one_read_and_nobody_reads_anothers(client, users, session):
    person, other = users.resident(), users.resident()
    proposal = make_proposal(session, person)
    tell(session, person, proposal)
    notification_id = session.scalar(sa.select(Notification.id).where(Notification.user_id == person.id))
    client.login(other)
    assert client.post(f"/notifications/{notification_id}/read").status_code == 404
    assert client.get(f"/notifications/{notification_id}").status_code == 404
    assert unread(session, person) == 1
    client.login(person)
    assert client.post(f"/notifications/{notification_id}/read", csrf=False).status_code == 400
    response = client.post(f"/notifications/{notification_id}/read", {"next": "/notifications?page=1"})
    assert response.status_code == 303 and response.headers["Location"] == "/notifications?page=1"
    assert unread(session, person) == 0


def test_the_list_is_paginated(client, users, session, app):
    person = users.resident()
    proposal = make_proposal(session, person)
    size = app.config["PAGE_SIZE"]
    tell(session, person, proposal, size + 2)
    client.login(person)
    first = page(client.get("/notifications"))
    assert first.count('class="card notification') == size and "Strona 1 z 2" in first
    second = page(client.get("/notifications?page=2"))
    assert second.count('class="card notification') == 2
    assert page(client.get("/notifications?page=99999999999")).count('class="card notification') == size


def test_an_empty_list_says_what_to_do(client, users):
    client.login(users.resident())
    assert "Obserwuj propozycję, działanie lub rundę" in page(client.get("/notifications"))


def test_follow_and_unfollow_from_the_pages_without_javascript(client, users, session):
    person = users.resident()
    proposal = make_proposal(session, users.resident(), title="Ogród")
    activity = make_activity(session)
    round_ = make_round(session)
    client.login(person)
    for kind, subject_id, url in (("proposal", proposal.id, f"/proposals/{proposal.id}"),
                                  ("activity", activity.id, f"/activities/{activity.id}"),
                                  ("round", round_.id, f"/rounds/{round_.id}")):
        shown = page(client.get(url))
        assert f'action="/follow/{kind}/{subject_id}"' in shown and ">Obserwuj</button>" in shown
        assert client.post(f"/follow/{kind}/{subject_id}", csrf=False).status_code == 400
        response = client.post(f"/follow/{kind}/{subject_id}", {"next": url})
        assert response.status_code == 303 and response.headers["Location"] == url
        assert f'action="/unfollow/{kind}/{subject_id}"' in page(client.get(url))
    following = page(client.get("/notifications/following"))
    assert "Ogród" in following and f'href="/rounds/{round_.id}"' in following
    assert [item.kind for item in services.followed_by(person)] == ["round", "activity", "proposal"]
    client.post(f"/unfollow/proposal/{proposal.id}")
    assert [item.kind for item in services.followed_by(person)] == ["round", "activity"]


def test_follow_with_htmx_swaps_the_button(client, users, session):
    proposal = make_proposal(session, users.resident())
    client.login(users.resident())
    response = client.post(f"/follow/proposal/{proposal.id}",
                           headers={"HX-Request": "true", "HX-Target": f"follow-proposal-{proposal.id}",
                                    "X-CSRFToken": client.csrf_token()}, csrf=False)
    assert response.status_code == 200
    fragment = page(response)
    assert fragment.strip().startswith(f'<form id="follow-proposal-{proposal.id}"')
    assert "Przestań obserwować" in fragment and 'role="status"' in fragment


def test_drafts_hidden_and_missing_subjects_cannot_be_followed(client, users, session):
    author = users.resident()
    draft = make_proposal(session, author, status="draft")
    client.login(users.resident())
    assert client.post(f"/follow/proposal/{draft.id}").status_code == 404
    assert client.post("/follow/round/987654").status_code == 404
    assert session.scalar(sa.select(sa.func.count()).select_from(Follow)) == 0
    assert f'action="/follow/proposal/{draft.id}"' not in page(client.get(f"/proposals/{draft.id}"))


def test_email_choices_default_save_and_refuse_nonsense(client, users, session):
    person = users.resident()
    client.login(person)
    form = page(client.get("/account/notifications"))
    assert re.search(r'name="my_proposals" value="immediate"[^>]*checked', form)
    assert re.search(r'name="discussion" value="digest"[^>]*checked', form)
    assert "Decyzje o moich propozycjach" in form and "W cotygodniowym podsumowaniu" in form
    assert client.post("/account/notifications", {"discussion": "never"}, csrf=False).status_code == 400
    response = client.post("/account/notifications", {"discussion": "sometimes", "my_proposals": "never"})
    assert response.status_code == 422 and "Wybierz jedną z możliwości" in page(response)
    assert session.scalar(sa.select(sa.func.count()).select_from(EmailChoice)) == 0
    values = {"my_proposals": "digest", "activities": "immediate", "rounds": "never", "account": "immediate",
              "discussion": "immediate", "following": "never"}
    assert client.post("/account/notifications", values).status_code == 303
    assert choices.choices_for([person.id])[person.id] == values
    assert re.search(r'name="rounds" value="never"[^>]*checked', page(client.get("/account/notifications")))


def test_one_click_unsubscribe_works_without_signing_in(client, users, session, mail):
    person = users.resident()
    proposal = make_proposal(session, person)
    services.notify([person], "proposal.accepted", category="my_proposals", subject_kind="proposal",
                    subject_id=proposal.id, title=proposal.title, link=f"/proposals/{proposal.id}")
    session.commit()
    header = _latest_list_unsubscribe(session)
    url = header.strip("<>").replace("http://localhost", "")
    # The link in the e-mail opens a page that asks; nothing changes on a GET (link scanners).
    asked = page(client.get(url))
    assert "Decyzje o moich propozycjach" in asked and "Tak, nie wysyłajcie tych e-maili" in asked
    assert choices.choices_for([person.id])[person.id]["my_proposals"] == "immediate"
    # The mail client's RFC 8058 one-click POST: no session, no CSRF token.
    response = client.post(url, {"List-Unsubscribe": "One-Click"}, csrf=False)
    assert response.status_code == 200
    assert choices.choices_for([person.id])[person.id]["my_proposals"] == "never"


def test_a_forged_unsubscribe_link_is_refused_clearly(client, users, session):
    person = users.resident()
    token = unsubscribing.unsubscribe_token(person, "discussion")
    response = client.post(f"/unsubscribe/{token[:-3]}xyz", csrf=False)
    assert response.status_code == 422 and "Ten link do wypisania się jest nieprawidłowy" in page(response)
    assert session.scalar(sa.select(sa.func.count()).select_from(EmailChoice)) == 0


def test_the_pages_are_translated_into_ukrainian(client, users, session):
    person = users.resident(locale="uk")
    proposal = make_proposal(session, person, title="Лавки")
    tell(session, person, proposal, actor=users.resident(name="Оксана"))
    client.login(person)
    listing = page(client.get("/notifications"))
    assert "Сповіщення" in listing and "Оксана коментує твою пропозицію «Лавки»." in listing
    assert "Рішення щодо моїх пропозицій" in page(client.get("/account/notifications"))


def _latest_list_unsubscribe(session) -> str:
    from app.outbox.models import OutboxMessage

    message = session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
    assert message.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    return message.headers["List-Unsubscribe"]
