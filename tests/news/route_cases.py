"""What the shared route × role table (tests/test_permissions.py) needs for the news routes."""

from __future__ import annotations

from app.db import utcnow
from app.news.models import NewsPost

TABLES = {"news_posts": NewsPost.__table__}
ONLY_MODERATORS = "Tylko moderatorzy mogą publikować aktualności."
POST = {"title": "Sprzątanie podwórka", "body": "W sobotę o **10:00**.", "round_id": "", "proposal_id": "",
        "activity_id": ""}


def news_post(session, users, actor):
    now = utcnow()
    post = NewsPost(title="Dyżur w świetlicy", body="Zapraszamy", body_html="<p>Zapraszamy</p>",
                    published_at=now, updated_at=now)
    session.add(post)
    session.commit()
    return {"post_id": post.id}


def published(ctx, before, after):
    [post] = [row for row in after["news_posts"] if row not in before["news_posts"]]
    assert post.author_id == ctx.actor.id and post.body_html == "<p>W sobotę o <strong>10:00</strong>.</p>\n"
    assert after["audit_events"][-1].action == "news.published"


def edited(ctx, before, after):
    [post] = after["news_posts"]
    assert post.title == "Sprzątanie podwórka"
    assert after["audit_events"][-1].action == "news.edited"


def deleted(ctx, before, after):
    assert after["news_posts"] == []
    assert after["audit_events"][-1].action == "news.deleted"
