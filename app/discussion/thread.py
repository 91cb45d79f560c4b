"""The thread a page shows: which part of it, and which comment's form is open."""

from __future__ import annotations

from flask import current_app

from app.discussion.queries import Thread, discussion_thread
from app.proposals.models import Proposal
from app.urls import int_arg

# The form under a comment, by what it does: its key names the form and the comment ("reply-12").
FORM_KEYS = {"reply": "reply", "edit": "edit", "flag": "flag", "hide": "hide-comment"}


def form_key_for(action: str, comment_id: int) -> str:
    return f"{FORM_KEYS[action]}-{comment_id}"


def open_form(form_key: str | None, comment_id: int) -> str | None:
    """The action whose form is open under this comment (``form_key`` from the route), if any."""
    if not form_key or not form_key.endswith(f"-{comment_id}"):
        return None
    prefix = form_key[:-len(f"-{comment_id}")]
    return next((action for action, key in FORM_KEYS.items() if key == prefix), None)


def thread_for(proposal: Proposal, viewer, around: int | None = None, start: int | None = None) -> Thread:
    """The part of the thread a page shows: the one holding ``around`` (or the comment in the address,
    ``?comment=``, as permalinks give it), the one beginning at ``start``, or the first."""
    if around is None and start is None:
        around = int_arg("comment")
    return discussion_thread(proposal, viewer, around=around, start=start,
                             size=current_app.config["COMMENTS_PER_PART"])
