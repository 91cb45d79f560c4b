"""Publishing, editing and deleting news posts (moderators; audited)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.activities.models import Activity
from app.audit.services import record
from app.auth.models import User
from app.db import db, utcnow
from app.errors import InvalidInput
from app.forms import FORBIDDEN_CHARACTERS
from app.i18n import content_language
from app.media.services import delete_pictures_of
from app.news import permissions, queries
from app.news.models import NewsPost
from app.permissions import require
from app.phases.models import Round
from app.proposals.models import Proposal, Status
from app.text import render_markdown

MAX_TITLE_LENGTH = 200
MAX_BODY_LENGTH = 20_000


def _clean(value: str | None, limit: int, field: str) -> str:
    value = (value or "").replace("\r\n", "\n").strip()
    if FORBIDDEN_CHARACTERS.search(value):
        raise InvalidInput(_l("This field contains characters that are not allowed."), field=field)
    if not value:
        raise InvalidInput(_l("This field is required."), field=field)
    if len(value) > limit:
        raise InvalidInput(_l("This field may have at most %(max)d characters.", max=limit), field=field)
    return value


def _apply(post: NewsPost, title: str, body: str, round_id: int | None, proposal_id: int | None,
           activity_id: int | None, language: str | None = None) -> None:
    title = _clean(title, MAX_TITLE_LENGTH, "title")
    if "\n" in title:
        raise InvalidInput(_l("The title must fit on one line."), field="title")
    body = _clean(body, MAX_BODY_LENGTH, "body")
    if round_id is not None and db.session.get(Round, round_id) is None:
        raise InvalidInput(_l("Choose one of the rounds."), field="round_id")
    if proposal_id is not None:
        proposal = db.session.get(Proposal, proposal_id)
        if proposal is None or proposal.status == Status.DRAFT or proposal.hidden_at is not None:
            raise InvalidInput(_l("Choose one of the public proposals."), field="proposal_id")
    if activity_id is not None and db.session.scalar(
        queries.public_activities().with_only_columns(Activity.id).where(Activity.id == activity_id)
    ) is None:
        raise InvalidInput(_l("Choose one of the activities in the calendar."), field="activity_id")
    post.language = content_language(language, post.language)
    post.title = title
    post.body = body
    post.body_html = render_markdown(body)
    post.round_id = round_id
    post.proposal_id = proposal_id
    post.activity_id = activity_id


def publish(actor: User, title: str, body: str, round_id: int | None = None,
            proposal_id: int | None = None, activity_id: int | None = None, *,
            language: str | None = None) -> NewsPost:
    require(permissions.can_manage_news(actor))
    now = utcnow()
    post = NewsPost(author_id=actor.id, published_at=now, updated_at=now)
    _apply(post, title, body, round_id, proposal_id, activity_id, language)
    db.session.add(post)
    db.session.flush()
    record(actor, "news.published", post, title=post.title)
    db.session.commit()
    return post


def edit(actor: User, post: NewsPost, title: str, body: str, round_id: int | None = None,
         proposal_id: int | None = None, activity_id: int | None = None, *,
         language: str | None = None) -> NewsPost:
    require(permissions.can_manage_news(actor))
    _apply(post, title, body, round_id, proposal_id, activity_id, language)
    post.updated_at = utcnow()
    record(actor, "news.edited", post, title=post.title)
    db.session.commit()
    return post


def delete(actor: User, post: NewsPost) -> None:
    require(permissions.can_manage_news(actor))
    record(actor, "news.deleted", post, title=post.title)
    delete_pictures_of("news", [post.id])
    db.session.delete(post)
    db.session.commit()
