"""Discussion: comments in threads under proposals, flags, and the moderation queue."""

from flask import Blueprint, Flask

from app.proposals.signals import proposal_page

bp = Blueprint("discussion", __name__)


def register_jinja(app: Flask) -> None:
    """``proposal_url(proposal)`` for links to a proposal's page, wherever it is."""
    from app.discussion.links import proposal_url

    app.jinja_env.globals.update(proposal_url=proposal_url)


@proposal_page.connect
def _thread_on_proposal_page(proposal, viewer) -> dict:
    """The thread that ``discussion/_thread.html`` shows on the proposal's page."""
    from app.discussion.queries import discussion_thread

    return {"thread": discussion_thread(proposal, viewer)}
