"""Double clicks and two moderators at once: a comment is deleted, hidden or restored once, and the
proposal's comment count stays right (SQLite and PostgreSQL, over real HTTP)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.auth.models import User
from app.db import db, utcnow
from app.discussion.models import Comment
from app.proposals.models import Proposal
from tests.factories import PASSWORD, password_hash
from tests.live_server import LiveServer, scratch_database

REQUESTS = 12


def _person(email: str, role: str) -> User:
    return User(email=email, display_name=email.split("@")[0], role=role, locale="pl",
                password_hash=password_hash(), email_verified_at=utcnow(), resident_verified_at=utcnow())


def _setup(app, state: str):
    with app.app_context():
        author = _person("autorka@kozlowka.example", "resident")
        moderators = [_person(f"moderator{n}@kozlowka.example", "moderator") for n in range(2)]
        db.session.add_all([author, *moderators])
        db.session.flush()
        proposal = Proposal(
            title="Ławki przy stawie", body="Postawmy ławki.", body_html="<p>Postawmy ławki.</p>",
            status="submitted", author_id=author.id, submitted_at=utcnow(),
            comment_count=1 if state == "visible" else 0,
        )
        db.session.add(proposal)
        db.session.flush()
        comment = Comment(
            proposal_id=proposal.id, author_id=author.id, body="Pomogę!", body_html="<p>Pomogę!</p>",
            state=state, hidden_reason="Pomyłka" if state == "hidden" else None, created_at=utcnow(),
        )
        db.session.add(comment)
        db.session.commit()
        return proposal.id, comment.id, author.email, [m.email for m in moderators]


def _fire(server, emails, path, form):
    """Every signed-in person sends the same request REQUESTS / len(emails) times, all at once."""
    sessions = [server.login(email, PASSWORD) for email in emails]
    calls = [sessions[n % len(sessions)] for n in range(REQUESTS)]

    def post(session):
        cookie, token = session
        return server.request("POST", path, cookie, {"csrf_token": token, **form})[0]

    with ThreadPoolExecutor(max_workers=REQUESTS) as pool:
        return sorted(pool.map(post, calls))


def _after(app, proposal_id, comment_id):
    with app.app_context():
        count = db.session.scalar(sa.select(Proposal.comment_count).where(Proposal.id == proposal_id))
        state = db.session.scalar(sa.select(Comment.state).where(Comment.id == comment_id))
        actions = db.session.scalars(
            sa.select(AuditEvent.action).where(AuditEvent.subject_type == "comments")
        ).all()
        return count, state, sorted(actions)


@pytest.mark.parametrize(
    ("action", "start", "who", "form", "refused", "end", "count", "actions"),
    [
        ("delete", "visible", "author", {}, 409, "deleted", 0, []),
        ("hide", "visible", "moderators", {"reason": "Wulgaryzmy"}, 409, "hidden", 0, ["comment.hidden"]),
        ("restore", "hidden", "moderators", {}, 409, "visible", 1, ["comment.restored"]),
    ],
)
def test_parallel_requests_change_a_comment_once(tmp_path, action, start, who, form, refused, end, count,
                                                 actions):
    with scratch_database(tmp_path) as url, LiveServer(url) as server:
        proposal_id, comment_id, author, moderators = _setup(server.app, start)
        path = (f"/comments/{comment_id}/delete" if action == "delete"
                else f"/moderation/comments/{comment_id}/{action}")
        confirmed = {**form, "confirm": "yes"}  # the answer to the confirmation page of final actions
        statuses = _fire(server, [author] if who == "author" else moderators, path, confirmed)
        assert statuses == sorted([303] + [refused] * (REQUESTS - 1)), statuses
        assert _after(server.app, proposal_id, comment_id) == (count, end, actions)
