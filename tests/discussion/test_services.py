"""Comments, flags and moderation at the service level."""

from __future__ import annotations

import re
import time
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.discussion import services
from app.discussion.models import Comment, CommentState, Flag
from app.discussion.queries import discussion_thread
from app.errors import Conflict, InvalidInput, NotAllowed, NotFound, PhaseClosed
from app.notifications.choices import set_choices
from app.notifications.models import Notification
from app.notifications.sending import send_held
from app.notifications.services import follow
from app.phases.models import Phase
from app.proposals.models import Proposal, Status
from tests.discussion.factories import make_comment, make_flag, make_proposal, make_round


def stored(session, model, row_id):
    session.rollback()
    session.expire_all()
    return session.get(model, row_id)


def count(session, model) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(model))


def actions(session) -> list[str]:
    return list(session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)))


# --- posting --------------------------------------------------------------------------------------


def test_comment_is_sanitised_on_write_and_counted(session, users):
    proposal = make_proposal(session, users.resident())
    body = ('<script>alert(1)</script> **ważne** [klik](javascript:alert(1)) '
            '<img src=x onerror=alert(2)> [strona](https://kozlowka.example)')
    comment = services.post_comment(users.resident(), proposal, body)

    saved = stored(session, Comment, comment.id)
    assert saved.body == body  # the source is kept as written
    assert "<script" not in saved.body_html and "<img" not in saved.body_html
    assert not re.search(r"<[^>]*onerror", saved.body_html)  # the text stays, inert
    assert "href=\"javascript" not in saved.body_html
    assert "<strong>ważne</strong>" in saved.body_html
    assert 'href="https://kozlowka.example"' in saved.body_html
    assert "&lt;script&gt;" in saved.body_html  # shown as text, not run
    assert stored(session, Proposal, proposal.id).comment_count == 1


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("x" * 100_000, "najwyżej 5000"),
        ("x" * 5001, "najwyżej 5000"),
        ("   \n  ", "Najpierw napisz"),
        ("zero\x00bajt", "niedozwolone"),
    ],
    ids=["100 000 characters", "5 001 characters", "blank", "NUL byte"],
)
def test_bad_bodies_are_refused_and_write_nothing(session, users, body, message):
    proposal = make_proposal(session, users.resident())
    with pytest.raises(InvalidInput, match=message) as error:
        services.post_comment(users.resident(), proposal, body)
    assert error.value.field == "body"
    session.rollback()
    assert count(session, Comment) == 0
    assert stored(session, Proposal, proposal.id).comment_count == 0


def test_exactly_5000_characters_are_accepted(session, users):
    proposal = make_proposal(session, users.resident())
    comment = services.post_comment(users.resident(), proposal, "ż" * 5000)
    assert len(stored(session, Comment, comment.id).body) == 5000


@pytest.mark.parametrize(
    "bomb",
    ["> " * 2400 + "głęboko", "*" * 2400 + "a" + "*" * 2400, "[" * 2400 + "](" * 1000,
     "- " * 2400 + "x", "`" * 4999],
    ids=["quotes", "emphasis", "links", "lists", "backticks"],
)
def test_markdown_bombs_are_inert_and_fast(session, users, bomb):
    # Warm up on another proposal first: the first comment of a run also pays one-time costs (templates
    # compiled, translations loaded) that can take half of the time limit on a busy machine.
    services.post_comment(users.resident(), make_proposal(session, users.resident()), "Rozgrzewka")
    proposal = make_proposal(session, users.resident())
    started = time.process_time()
    comment = services.post_comment(users.resident(), proposal, bomb)
    assert time.process_time() - started < 1.0
    html = stored(session, Comment, comment.id).body_html
    assert html.count("<blockquote>") <= 12 and html.count("<ul>") <= 12
    assert "<script" not in html


def test_unconfirmed_email_cannot_comment(session, users):
    proposal = make_proposal(session, users.resident())
    with pytest.raises(NotAllowed, match="Potwierdź swój adres"):
        services.post_comment(users.make(email_verified=False), proposal, "Cześć")
    session.rollback()
    assert count(session, Comment) == 0


@pytest.mark.parametrize(("status", "hidden"), [(Status.DRAFT, False), (Status.SUBMITTED, True)],
                         ids=["draft", "hidden"])
def test_drafts_and_hidden_proposals_take_no_comments(session, users, status, hidden):
    proposal = make_proposal(session, users.resident(), status=status, hidden=hidden)
    with pytest.raises(NotFound):
        services.post_comment(users.resident(), proposal, "Cześć")
    session.rollback()
    assert count(session, Comment) == 0


@pytest.mark.parametrize("phase", list(Phase))
def test_round_phase_decides_whether_the_discussion_is_open(session, users, phase):
    proposal = make_proposal(session, users.resident(), round_=make_round(session, phase))
    if phase == Phase.ARCHIVED:
        with pytest.raises(PhaseClosed):
            services.post_comment(users.resident(), proposal, "Cześć")
        session.rollback()
        assert count(session, Comment) == 0
    else:
        services.post_comment(users.resident(), proposal, "Cześć")
        assert count(session, Comment) == 1


# --- threads --------------------------------------------------------------------------------------


def test_replies_nest_three_levels_and_deeper_replies_join_the_third(session, users):
    proposal = make_proposal(session, users.resident())
    someone = users.resident()
    top = services.post_comment(someone, proposal, "1")
    reply = services.post_comment(someone, proposal, "2", top.id)
    third = services.post_comment(someone, proposal, "3", reply.id)
    fourth = services.post_comment(someone, proposal, "4", third.id)

    assert reply.parent_id == top.id and third.parent_id == reply.id
    assert fourth.parent_id == reply.id  # a sibling of the comment it answers, at the deepest level
    [root] = discussion_thread(proposal, someone).roots
    [level2] = root.children
    assert [(n.comment.body, n.depth) for n in level2.children] == [("3", 3), ("4", 3)]


def test_reply_to_a_comment_of_another_proposal_is_refused(session, users):
    other = make_comment(session, make_proposal(session, users.resident()), users.resident())
    proposal = make_proposal(session, users.resident())
    with pytest.raises(NotFound):
        services.post_comment(users.resident(), proposal, "Hej", other.id)


def test_reply_to_a_removed_comment_is_refused(session, users):
    proposal = make_proposal(session, users.resident())
    gone = make_comment(session, proposal, users.resident(), state=CommentState.DELETED)
    with pytest.raises(Conflict):
        services.post_comment(users.resident(), proposal, "Hej", gone.id)


def test_deleted_comment_with_replies_stays_as_placeholder_without_replies_disappears(session, users):
    proposal = make_proposal(session, users.resident())
    author, other = users.resident(), users.resident()
    with_reply = services.post_comment(author, proposal, "Pierwszy")
    services.post_comment(other, proposal, "Odpowiedź", with_reply.id)
    alone = services.post_comment(author, proposal, "Drugi")

    services.delete_comment(author, with_reply)
    services.delete_comment(author, alone)

    for comment_id in (with_reply.id, alone.id):
        row = stored(session, Comment, comment_id)
        assert row.state == CommentState.DELETED and row.body == "" and row.body_html == ""
    thread = discussion_thread(stored(session, Proposal, proposal.id), other)
    assert [node.comment.id for node in thread.roots] == [with_reply.id]
    assert [child.comment.body for child in thread.roots[0].children] == ["Odpowiedź"]
    assert thread.count == 1 == stored(session, Proposal, proposal.id).comment_count


# --- edit and delete ------------------------------------------------------------------------------


def test_author_edits_within_15_minutes(session, users):
    author = users.resident()
    comment = make_comment(session, make_proposal(session, users.resident()), author,
                           age=timedelta(minutes=14))
    services.edit_comment(author, comment, "Poprawione *zdanie*")
    saved = stored(session, Comment, comment.id)
    assert saved.body_html == "<p>Poprawione <em>zdanie</em></p>\n"
    assert saved.edited_at is not None


def test_edit_after_15_minutes_is_refused_and_changes_nothing(session, users):
    author = users.resident()
    comment = make_comment(session, make_proposal(session, users.resident()), author,
                           age=timedelta(minutes=16))
    with pytest.raises(NotAllowed, match="15 minut"):
        services.edit_comment(author, comment, "Za późno")
    saved = stored(session, Comment, comment.id)
    assert saved.body == "Dobry pomysł, pomogę!" and saved.edited_at is None


@pytest.mark.parametrize("role", ["resident", "moderator", "admin"])
def test_nobody_else_edits_or_deletes_a_comment(session, users, role):
    comment = make_comment(session, make_proposal(session, users.resident()), users.resident())
    other = users.for_role(role)
    with pytest.raises(NotAllowed):
        services.edit_comment(other, comment, "Przejęte")
    with pytest.raises(NotAllowed):
        services.delete_comment(other, comment)
    saved = stored(session, Comment, comment.id)
    assert saved.state == CommentState.VISIBLE and saved.body == "Dobry pomysł, pomogę!"


# --- notifications --------------------------------------------------------------------------------


def test_every_comment_is_told_and_immediate_emails_are_coalesced_never_lost(session, users, mail, app):
    author = users.resident()
    proposal = make_proposal(session, author)
    services.post_comment(author, proposal, "Sam sobie odpowiadam")
    assert notifications_of(session, author) == []
    assert list(session.scalars(sa.text("SELECT recipient FROM outbox_messages"))) == []

    # By default discussion waits for the weekly digest: every comment is a notification, no e-mail yet.
    services.post_comment(users.resident(), proposal, "Pierwszy głos")
    assert [n.event for n in notifications_of(session, author)] == ["comment.on_my_proposal"]
    assert list(session.scalars(sa.text("SELECT recipient FROM outbox_messages"))) == []

    # With "immediately": the first comment is e-mailed at once, the next ones within the hour are held
    # back and sent together by `flask notifications send`, none left out.
    set_choices(author, {"discussion": "immediate"})
    services.post_comment(users.resident(), proposal, "Drugi głos")
    services.post_comment(users.resident(), proposal, "Trzeci głos")
    services.post_comment(users.resident(), proposal, "Czwarty głos")
    assert len(notifications_of(session, author)) == 4
    recipients = list(session.scalars(sa.text("SELECT recipient FROM outbox_messages")))
    assert recipients == [author.email]
    body = session.scalar(sa.text("SELECT body FROM outbox_messages ORDER BY id DESC LIMIT 1"))
    assert f"http://localhost/proposals/{proposal.id}?comment=" in body
    assert send_held() == 1
    recipients = list(session.scalars(sa.text("SELECT recipient FROM outbox_messages")))
    assert recipients == [author.email, author.email]
    body = session.scalar(sa.text("SELECT body FROM outbox_messages ORDER BY id DESC LIMIT 1"))
    assert body.count(f"/proposals/{proposal.id}?comment=") == 2
    assert send_held() == 0


def test_a_reply_is_told_to_the_comment_author_and_followers_hear_of_comments(session, users):
    author, commenter, follower = users.resident(), users.resident(), users.resident()
    proposal = make_proposal(session, author)
    follow(follower, "proposal", proposal.id)
    session.commit()
    first = services.post_comment(commenter, proposal, "Pytanie")
    services.post_comment(users.resident(), proposal, "Odpowiedź", parent_id=first.id)
    assert [n.event for n in notifications_of(session, commenter)] == ["comment.reply"]
    assert [n.event for n in notifications_of(session, author)] == ["comment.on_my_proposal"] * 2
    assert [n.event for n in notifications_of(session, follower)] == ["comment.followed"] * 2


def notifications_of(session, user) -> list[Notification]:
    return list(session.scalars(sa.select(Notification).where(Notification.user_id == user.id)
                                .order_by(Notification.id)))


# --- flags and moderation ------------------------------------------------------------------------


def test_flags_need_a_reason_and_are_not_repeated(session, users):
    comment = make_comment(session, make_proposal(session, users.resident()), users.resident())
    reporter = users.resident()
    with pytest.raises(InvalidInput):
        services.flag_comment(reporter, comment, "  ")
    services.flag_comment(reporter, comment, "Obraża sąsiadów")
    with pytest.raises(Conflict):
        services.flag_comment(reporter, comment, "Jeszcze raz")
    session.rollback()
    assert count(session, Flag) == 1


def test_nobody_reports_their_own_content(session, users):
    author = users.resident()
    proposal = make_proposal(session, author)
    comment = make_comment(session, proposal, author)
    with pytest.raises(Conflict):
        services.flag_comment(author, comment, "Ups")
    with pytest.raises(Conflict):
        services.flag_proposal(author, proposal, "Ups")
    session.rollback()
    assert count(session, Flag) == 0


def test_hiding_a_comment_resolves_every_open_flag_keeps_the_text_and_is_audited(session, users):
    proposal = make_proposal(session, users.resident())
    comment = make_comment(session, proposal, users.resident(), body="Brzydkie słowa")
    other = make_comment(session, proposal, users.resident())
    flags = [make_flag(session, users.resident(), comment=comment) for _ in range(2)]
    untouched = make_flag(session, users.resident(), comment=other)
    moderator = users.moderator()

    assert services.hide_comment(moderator, comment, "Wulgaryzmy") == 2

    saved = stored(session, Comment, comment.id)
    assert (saved.state, saved.hidden_reason, saved.hidden_by_id) == ("hidden", "Wulgaryzmy", moderator.id)
    assert saved.body == "Brzydkie słowa"
    assert all(stored(session, Flag, f.id).resolution == "hidden" for f in flags)
    assert stored(session, Flag, untouched.id).resolved_at is None
    assert stored(session, Proposal, proposal.id).comment_count == 1
    assert actions(session) == ["comment.hidden"]


def test_hiding_a_proposal_sets_its_fields_and_closes_its_discussion(session, users):
    proposal = make_proposal(session, users.resident())
    flag = make_flag(session, users.resident(), proposal=proposal)
    moderator = users.admin()
    services.hide_proposal(moderator, proposal, "Reklama")
    saved = stored(session, Proposal, proposal.id)
    assert saved.hidden_at is not None and saved.hidden_reason == "Reklama"
    assert saved.hidden_by_id == moderator.id and saved.title  # still stored
    assert stored(session, Flag, flag.id).resolution == "hidden"
    assert actions(session) == ["proposal.hidden"]
    with pytest.raises(NotFound):
        services.post_comment(users.resident(), saved, "Hej")


def test_dismissing_resolves_all_flags_on_the_target_and_is_audited(session, users):
    proposal = make_proposal(session, users.resident())
    comment = make_comment(session, proposal, users.resident())
    make_flag(session, users.resident(), comment=comment)
    make_flag(session, users.resident(), comment=comment)
    make_flag(session, users.resident(), proposal=proposal)
    moderator = users.moderator()

    assert services.dismiss_comment_flags(moderator, comment) == 2
    assert services.dismiss_proposal_flags(moderator, proposal) == 1
    assert session.scalar(sa.select(sa.func.count()).where(Flag.resolved_at.is_(None))) == 0
    assert stored(session, Comment, comment.id).state == "visible"
    assert actions(session) == ["comment.flags_dismissed", "proposal.flags_dismissed"]
    with pytest.raises(Conflict):
        services.dismiss_comment_flags(moderator, comment)


@pytest.mark.parametrize("role", ["resident", "steering", "unverified"])
def test_only_staff_moderate(session, users, role):
    proposal = make_proposal(session, users.resident())
    comment = make_comment(session, proposal, users.resident())
    make_flag(session, users.resident(), comment=comment)
    actor = users.for_role(role)
    for call in (lambda: services.hide_comment(actor, comment, "x"),
                 lambda: services.dismiss_comment_flags(actor, comment),
                 lambda: services.hide_proposal(actor, proposal, "x"),
                 lambda: services.dismiss_proposal_flags(actor, proposal)):
        with pytest.raises(NotAllowed):
            call()
    session.rollback()
    assert stored(session, Comment, comment.id).state == "visible"
    assert stored(session, Proposal, proposal.id).hidden_at is None
    assert actions(session) == []


def test_demo_seeds_threads_with_every_state(session, users):
    from app.demo.seed import PEOPLE
    from app.discussion import demo

    people = {email: users.make(role=role, email=email, name=name) for email, name, role, *_ in PEOPLE}
    assert "no public proposals" in " ".join(demo.seed(people))
    proposals = [make_proposal(session, people["jadwiga@mam.example"]) for _ in range(2)]
    list(demo.seed(people))
    states = set(session.scalars(sa.select(Comment.state)))
    assert states == {"visible", "hidden", "deleted"}
    assert session.scalar(sa.select(sa.func.count()).where(Comment.edited_at.is_not(None))) == 1
    assert {f.resolution for f in session.scalars(sa.select(Flag))} == {None, "hidden", "dismissed"}
    for proposal in proposals:
        thread = discussion_thread(stored(session, Proposal, proposal.id))
        assert thread.count == stored(session, Proposal, proposal.id).comment_count
    assert "already" in " ".join(demo.seed(people))
