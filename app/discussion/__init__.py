"""Discussion: comments in threads under proposals, flags, and the moderation queue."""

from flask import Blueprint, Flask

bp = Blueprint("discussion", __name__)


def register_jinja(app: Flask) -> None:
    """``discussion_thread(proposal, viewer)`` lets any page include ``discussion/_thread.html``."""
    from app.discussion.links import comment_url, proposal_url
    from app.discussion.thread import open_form, thread_for

    app.jinja_env.globals.update(discussion_thread=thread_for, proposal_url=proposal_url,
                                 comment_url=comment_url, open_comment_form=open_form)
