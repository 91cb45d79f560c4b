"""News posts have pictures (the first is the cover): registered with the media layer."""

from __future__ import annotations

from flask import url_for

from app.db import db
from app.media import Kind, register
from app.news.models import NewsPost
from app.news.permissions import can_manage_news
from app.permissions import ALLOW

LIMIT = 6


def register_pictures() -> None:
    register(Kind(
        name="news", limit=LIMIT, load=lambda subject_id: db.session.get(NewsPost, subject_id),
        can_view=lambda actor, post: ALLOW, can_manage=lambda actor, post: can_manage_news(actor),
        title=lambda post: post.title, url=lambda post: url_for("news.show", post_id=post.id),
    ))
