"""Discussion: comments in threads under proposals, flags, and the moderation queue."""

from flask import Blueprint, Flask

from app.proposals.signals import proposal_page

bp = Blueprint("discussion", __name__)


def register_jinja(app: Flask) -> None:
    """``proposal_url``, ``comment_url`` and ``open_comment_form`` for the discussion's templates."""
    from app.discussion.links import comment_url, proposal_url
    from app.discussion.thread import open_form

    app.jinja_env.globals.update(proposal_url=proposal_url, comment_url=comment_url,
                                 open_comment_form=open_form)


@proposal_page.connect
def _thread_on_proposal_page(proposal, viewer) -> dict:
    """The part of the thread that ``discussion/_thread.html`` shows on the proposal's page."""
    from app.discussion.thread import thread_for

    return {"thread": thread_for(proposal, viewer)}
