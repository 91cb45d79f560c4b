"""Moderators can undo a hiding; people see that their report is on its way instead of a second form."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.discussion.models import CommentState
from app.proposals.models import Proposal
from tests.discussion.factories import make_comment, make_flag, make_proposal
from tests.discussion.test_routes import ACCESS_DENIED, ROLES, STAFF, counted_queries, snapshot

HIDDEN_TEXT = "Tekst, który moderator ukrył przez pomyłkę."
RESTORE_COMMENT = "Przywróć komentarz"
RESTORE_PROPOSAL = "Upublicznij ponownie"
REPORTED_COMMENT = "Zgłoszono ten komentarz. Moderator się nim zajmie."
REPORTED_PROPOSAL = "Zgłoszono tę propozycję. Moderator się nią zajmie."


@pytest.fixture
def hidden_comment(session, users):
    proposal = make_proposal(session, users.resident())
    make_comment(session, proposal, users.resident())
    comment = make_comment(session, proposal, users.resident(), body=HIDDEN_TEXT,
                           state=CommentState.HIDDEN, count=False)
    return comment


def _proposal_row(after, proposal_id):
    [row] = [p for p in after["proposals"] if p.id == proposal_id]
    return row


@pytest.mark.parametrize("role", ROLES)
def test_only_moderators_restore_a_hidden_comment(role, client, users, session, hidden_comment):
    actor = users.for_role(role)
    if actor is not None:
        client.login(actor)
    before = snapshot(session)

    response = client.post(f"/moderation/comments/{hidden_comment.id}/restore", confirm=True)

    after = snapshot(session)
    if role in STAFF:
        assert response.status_code == 303
        [comment] = [c for c in after["comments"] if c.id == hidden_comment.id]
        assert comment.state == "visible" and comment.hidden_reason is None and comment.hidden_by_id is None
        assert _proposal_row(after, hidden_comment.proposal_id).comment_count == 2
        event = after["audit_events"][-1]
        assert event.action == "comment.restored" and event.actor_id == actor.id
        assert event.data["hidden_reason"] == "Obraźliwy język"
        page = client.get(f"/proposals/{hidden_comment.proposal_id}")
        assert HIDDEN_TEXT in page.get_data(as_text=True)
        assert "Komentarz jest znowu widoczny." in page.get_data(as_text=True)
    else:
        assert response.status_code == (302 if role == "anonymous" else 403)
        if role != "anonymous":
            assert ACCESS_DENIED in response.get_data(as_text=True)
        assert after == before


def test_restoring_a_visible_comment_is_refused_and_writes_nothing(client, users, session, hidden_comment):
    proposal = session.get(Proposal, hidden_comment.proposal_id)
    visible = make_comment(session, proposal, users.resident())
    client.login(users.moderator())
    before = snapshot(session)
    response = client.post(f"/moderation/comments/{visible.id}/restore", confirm=True)
    assert response.status_code == 409
    assert "Ten komentarz nie jest ukryty." in response.get_data(as_text=True)
    assert snapshot(session) == before


def test_restoring_in_the_thread_with_htmx_updates_it_in_place(client, users, session, hidden_comment):
    client.login(users.moderator())
    response = client.post(f"/moderation/comments/{hidden_comment.id}/restore", {"from": "thread"},
                           headers={"HX-Request": "true"}, confirm=True)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html
    assert HIDDEN_TEXT in html and "Komentarz jest znowu widoczny." in html
    assert "Ukryty przez moderatora" not in html
    assert "(2 komentarze)" in html


def test_moderators_see_the_hidden_text_and_the_restore_button(client, users, session, hidden_comment):
    url = f"/proposals/{hidden_comment.proposal_id}"
    client.login(users.resident())
    resident_page = client.get(url).get_data(as_text=True)
    assert "Ukryty przez moderatora. Powód: Obraźliwy język" in resident_page
    assert HIDDEN_TEXT not in resident_page and RESTORE_COMMENT not in resident_page

    client.login(users.moderator())
    moderator_page = client.get(url).get_data(as_text=True)
    assert HIDDEN_TEXT in moderator_page and RESTORE_COMMENT in moderator_page
    assert 'data-confirm="Pokazać ten komentarz znowu wszystkim?"' in moderator_page


@pytest.mark.parametrize("role", ROLES)
def test_only_moderators_make_a_hidden_proposal_public_again(role, client, users, session):
    author = users.resident()
    proposal = make_proposal(session, author, hidden=True, title="Kino plenerowe na Kozłówce")
    actor = users.for_role(role)
    if actor is not None:
        client.login(actor)
    before = snapshot(session)

    response = client.post(f"/moderation/proposals/{proposal.id}/restore", confirm=True)

    after = snapshot(session)
    if role in STAFF:
        assert response.status_code == 303
        row = _proposal_row(after, proposal.id)
        assert row.hidden_at is None and row.hidden_reason is None and row.hidden_by_id is None
        assert after["audit_events"][-1].action == "proposal.restored"
        assert after["audit_events"][-1].data["hidden_reason"] == "Spam"
        client.logout()
        assert "Kino plenerowe na Kozłówce" in client.get("/proposals").get_data(as_text=True)
    else:
        assert response.status_code == (302 if role == "anonymous" else 403)
        assert after == before


def test_the_restore_button_is_on_a_hidden_proposal_for_moderators_only(client, users, session):
    author = users.resident()
    proposal = make_proposal(session, author, hidden=True)
    client.login(author)
    assert RESTORE_PROPOSAL not in client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    client.login(users.moderator())
    page = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert RESTORE_PROPOSAL in page and 'data-confirm="Upublicznić tę propozycję ponownie?"' in page

    response = client.post(f"/moderation/proposals/{proposal.id}/restore",
                           {"next": f"/proposals/{proposal.id}"}, confirm=True)
    assert response.status_code == 303 and response.headers["Location"] == f"/proposals/{proposal.id}"
    page = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert "Propozycja jest znowu publiczna." in page and RESTORE_PROPOSAL not in page


def test_restoring_a_public_proposal_is_refused(client, users, session):
    proposal = make_proposal(session, users.resident())
    client.login(users.moderator())
    before = snapshot(session)
    response = client.post(f"/moderation/proposals/{proposal.id}/restore", confirm=True)
    assert response.status_code == 409
    assert "Ta propozycja nie jest ukryta." in response.get_data(as_text=True)
    assert snapshot(session) == before


def test_a_reporter_sees_their_open_report_instead_of_a_second_form(client, users, session):
    proposal = make_proposal(session, users.resident())
    comment = make_comment(session, proposal, users.resident())
    other = make_comment(session, proposal, users.resident())
    reporter = users.resident()
    url = f"/proposals/{proposal.id}"
    client.login(reporter)
    assert client.post(f"/comments/{comment.id}/flag", {"reason": "Nie na temat"}).status_code == 303
    assert client.post(f"/proposals/{proposal.id}/flag", {"reason": "Reklama"}).status_code == 303

    page = client.get(url).get_data(as_text=True)
    assert page.count(REPORTED_COMMENT) == 1 and REPORTED_PROPOSAL in page
    assert f'href="/comments/{comment.id}/flag#' not in page
    assert f'href="/comments/{other.id}/flag#' in page  # the other comment can still be reported
    assert f'action="/proposals/{proposal.id}/flag"' not in page

    # Somebody else still gets the forms.
    client.login(users.resident())
    page = client.get(url).get_data(as_text=True)
    assert REPORTED_COMMENT not in page and f'href="/comments/{comment.id}/flag#' in page

    # Once a moderator has dismissed the reports, the reporter may report again.
    client.login(users.moderator())
    assert client.post(f"/moderation/comments/{comment.id}/dismiss", confirm=True).status_code == 303
    assert client.post(f"/moderation/proposals/{proposal.id}/dismiss", confirm=True).status_code == 303
    client.login(reporter)
    page = client.get(url).get_data(as_text=True)
    assert REPORTED_COMMENT not in page and REPORTED_PROPOSAL not in page
    assert f'href="/comments/{comment.id}/flag#' in page


def test_reports_on_other_proposals_do_not_mark_this_one(client, users, session):
    first = make_proposal(session, users.resident())
    second = make_proposal(session, users.resident())
    reporter = users.resident()
    make_flag(session, reporter, proposal=first, reason="Spam")
    client.login(reporter)
    assert REPORTED_PROPOSAL in client.get(f"/proposals/{first.id}").get_data(as_text=True)
    assert REPORTED_PROPOSAL not in client.get(f"/proposals/{second.id}").get_data(as_text=True)


def test_the_restoring_moderator_is_in_the_audit_log_with_the_hiding(client, users, session):
    proposal = make_proposal(session, users.resident())
    comment = make_comment(session, proposal, users.resident(), body="Spór o ławki")
    moderator = users.moderator()
    client.login(moderator)
    client.post(f"/moderation/comments/{comment.id}/hide", {"reason": "Do wyjaśnienia"})
    client.post(f"/moderation/comments/{comment.id}/restore", confirm=True)
    actions = session.scalars(
        sa.select(AuditEvent.action).where(AuditEvent.subject_id == comment.id,
                                           AuditEvent.subject_type == "comments").order_by(AuditEvent.id)
    ).all()
    assert actions == ["comment.hidden", "comment.restored"]


# --- the moderators' list of hidden content -------------------------------------------------------


def _hide_comments(session, users, proposal, n, moderator):
    comments = []
    for k in range(n):
        comment = make_comment(session, proposal, users.resident(), body=f"Ukryty głos {k}",
                               state=CommentState.HIDDEN, count=False)
        comment.hidden_by_id = moderator.id
        comments.append(comment)
    session.commit()
    return comments


def test_hidden_comments_are_listed_with_reason_and_moderator(client, users, session, app, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_SIZE", 2)
    moderator = users.moderator(name="Marta Moderatorka")
    proposal = make_proposal(session, users.resident(), title="Ogród społeczny")
    make_comment(session, proposal, users.resident(), body="Widoczny komentarz")
    _hide_comments(session, users, proposal, 3, moderator)
    client.login(users.moderator())

    first = client.get("/moderation/hidden").get_data(as_text=True)
    assert "3 ukryte komentarze" in first
    assert "Ukryty głos 2" in first and "Ukryty głos 1" in first and "Ukryty głos 0" not in first
    assert "Powód: Obraźliwy język" in first and "Ukryto (moderacja: Marta Moderatorka)" in first
    assert "Ogród społeczny" in first and "Widoczny komentarz" not in first
    assert 'aria-current="page">Ukryte komentarze' in first
    second = client.get("/moderation/hidden?kind=comment&page=2").get_data(as_text=True)
    assert "Ukryty głos 0" in second and "Ukryty głos 2" not in second


def test_hidden_proposals_are_listed_and_restored_from_the_list(client, users, session):
    hidden = make_proposal(session, users.resident(), hidden=True, title="Parking na trawniku")
    make_proposal(session, users.resident(), title="Ławki przy stawie")
    client.login(users.moderator())
    page = client.get("/moderation/hidden?kind=proposal").get_data(as_text=True)
    assert "1 ukryta propozycja" in page and "Parking na trawniku" in page and "Ławki przy stawie" not in page
    assert 'data-confirm="Upublicznić tę propozycję ponownie?"' in page

    response = client.post(f"/moderation/proposals/{hidden.id}/restore",
                           {"next": "/moderation/hidden?kind=proposal"}, confirm=True)
    assert response.status_code == 303 and response.headers["Location"] == "/moderation/hidden?kind=proposal"
    page = client.get("/moderation/hidden?kind=proposal").get_data(as_text=True)
    assert "Propozycja jest znowu publiczna." in page and "Nic nie jest ukryte." in page


def test_an_unknown_kind_shows_hidden_comments(client, users, session):
    client.login(users.moderator())
    response = client.get("/moderation/hidden?kind=<script>")
    assert response.status_code == 200
    assert "0 ukrytych komentarzy" in response.get_data(as_text=True)


def test_the_hidden_list_runs_a_fixed_number_of_queries(client, users, session):
    moderator = users.moderator()
    small, large = make_proposal(session, users.resident()), make_proposal(session, users.resident())
    client.login(moderator)
    counts = []
    for proposal, n in ((small, 2), (large, 20)):
        _hide_comments(session, users, proposal, n, moderator)
        with counted_queries() as statements:
            assert client.get("/moderation/hidden").status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1]


# --- a hidden proposal takes its discussion with it -----------------------------------------------


@pytest.mark.parametrize("viewer", ["anonymous", "resident", "author", "moderator"])
def test_a_hidden_proposals_discussion_is_withheld_from_the_public(viewer, client, users, session):
    author = users.resident()
    proposal = make_proposal(session, author, hidden=True)
    make_comment(session, proposal, users.resident(), body="Cytuję ukryty tekst propozycji")
    person = {"anonymous": None, "resident": users.resident(), "author": author,
              "moderator": users.moderator()}[viewer]
    if person is not None:
        client.login(person)
    for url in (f"/proposals/{proposal.id}", f"/proposals/{proposal.id}/discussion"):
        page = client.get(url).get_data(as_text=True)
        can_read = viewer in ("author", "moderator")
        assert ("Cytuję ukryty tekst propozycji" in page) == can_read, url
        assert ("Dyskusja jest ukryta razem z propozycją." in page) == (not can_read), url


# --- deleting a reported comment does not destroy what was reported -------------------------------


def test_a_reported_comment_deleted_by_its_author_keeps_its_text_until_moderators_decide(
        client, users, session):
    proposal = make_proposal(session, users.resident())
    author = users.resident()
    comment = make_comment(session, proposal, author, body="Obraźliwy wpis do zgłoszenia")
    make_flag(session, users.resident(), comment=comment, reason="Obraża sąsiadów")
    client.login(author)
    assert client.post(f"/comments/{comment.id}/delete", confirm=True).status_code == 303
    public = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert "Obraźliwy wpis do zgłoszenia" not in public

    client.login(users.moderator())
    queue = client.get("/moderation").get_data(as_text=True)
    assert "Ten komentarz usunięto na prośbę autora." in queue and "Obraźliwy wpis do zgłoszenia" in queue
    assert client.post(f"/moderation/comments/{comment.id}/dismiss", confirm=True).status_code == 303
    session.expire_all()
    stored = session.get(type(comment), comment.id)
    assert stored.state == "deleted" and stored.body == "" and stored.body_html == ""


def test_an_unreported_comment_is_erased_when_deleted(client, users, session):
    proposal = make_proposal(session, users.resident())
    author = users.resident()
    comment = make_comment(session, proposal, author, body="Zwykły komentarz")
    client.login(author)
    client.post(f"/comments/{comment.id}/delete", confirm=True)
    session.expire_all()
    assert session.get(type(comment), comment.id).body == ""
