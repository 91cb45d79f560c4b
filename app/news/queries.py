"""News lists: select() statements with the author and the linked round, proposal and activity loaded."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload, selectinload

from app.activities.models import Activity, ActivityStatus
from app.db import db, utcnow
from app.i18n import moment
from app.news.models import NewsPost
from app.phases.models import Round
from app.proposals.models import Proposal, Status

MENTIONS_SHOWN = 5


def news_posts() -> sa.Select:
    return (
        sa.select(NewsPost)
        .options(selectinload(NewsPost.author), selectinload(NewsPost.round),
                 selectinload(NewsPost.proposal), selectinload(NewsPost.activity))
        .order_by(NewsPost.published_at.desc(), NewsPost.id.desc())
    )


def latest_news(limit: int = 3) -> list[NewsPost]:
    """The home page's newest posts with what they link to, in one statement (the author is not shown)."""
    return list(db.session.scalars(
        sa.select(NewsPost)
        .options(joinedload(NewsPost.round), joinedload(NewsPost.proposal), joinedload(NewsPost.activity))
        .order_by(NewsPost.published_at.desc(), NewsPost.id.desc())
        .limit(limit)
    ))


def news_about_activity(activity, limit: int = MENTIONS_SHOWN) -> list[NewsPost]:
    """The newest posts that link to an activity, for its page (one query; titles and dates only)."""
    activity_id = getattr(activity, "id", activity)
    if activity_id is None:
        return []
    return list(db.session.scalars(
        sa.select(NewsPost)
        .where(NewsPost.activity_id == activity_id)
        .order_by(NewsPost.published_at.desc(), NewsPost.id.desc())
        .limit(limit)
    ))


def round_choices() -> list[tuple[int, str]]:
    return [(id_, title) for id_, title in db.session.execute(
        sa.select(Round.id, Round.title).order_by(Round.created_at.desc(), Round.id.desc())
    )]


def proposal_choices() -> list[tuple[int, str]]:
    """Public proposals (not drafts, not hidden) a post may link to."""
    return [(id_, title) for id_, title in db.session.execute(
        sa.select(Proposal.id, Proposal.title)
        .where(Proposal.status != Status.DRAFT, Proposal.hidden_at.is_(None))
        .order_by(Proposal.title, Proposal.id)
    )]


def public_activities() -> sa.Select:
    """Activities a post may link to: the ones residents can see. Every activity in the calendar is public
    (there are no drafts; planned, held and cancelled ones all have a page, appear in the iCalendar feed
    and in the API), so nothing is filtered out yet. The form's choices and the service's check both use
    this statement, so a future non-public state needs one change here."""
    return sa.select(Activity)


def _activity_label(title: str, starts_at: datetime, status: str) -> str:
    when = moment(starts_at)
    if status == ActivityStatus.CANCELLED:
        return _("%(title)s — %(when)s (cancelled)", title=title, when=when)
    return f"{title} — {when}"


def activity_choices(now: datetime | None = None) -> list[tuple[int, str]]:
    """Public activities, upcoming and current ones first (soonest first), then past ones (most recent
    first); the label carries the date, since the weeks of a series share a title."""
    now = now or utcnow()
    query = public_activities().with_only_columns(
        Activity.id, Activity.title, Activity.starts_at, Activity.ends_at, Activity.status
    )
    rows = db.session.execute(query).all()
    upcoming = sorted((r for r in rows if r.ends_at >= now), key=lambda r: (r.starts_at, r.id))
    past = sorted((r for r in rows if r.ends_at < now), key=lambda r: (r.starts_at, r.id), reverse=True)
    return [(r.id, _activity_label(r.title, r.starts_at, r.status)) for r in upcoming + past]
