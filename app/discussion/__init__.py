"""Discussion: comments in threads under proposals, flags, and the moderation queue."""

from flask import Blueprint, Flask

bp = Blueprint("discussion", __name__)


def register_jinja(app: Flask) -> None:
    """``discussion_thread(proposal, viewer)`` lets any page include ``discussion/_thread.html``."""
    from app.discussion.links import proposal_url
    from app.discussion.queries import discussion_thread

    app.jinja_env.globals.update(discussion_thread=discussion_thread, proposal_url=proposal_url)
