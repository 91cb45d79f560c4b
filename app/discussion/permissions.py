"""Who may comment, edit, delete, flag and moderate. Pure predicates returning a Decision."""

from __future__ import annotations

from datetime import timedelta

from flask_babel import lazy_gettext as _l

from app.db import utcnow
from app.discussion.models import Comment, CommentState
from app.permissions import ALLOW, Decision, deny, is_staff, signed_in
from app.phases.table import Action, phase_allows
from app.proposals.models import Proposal, Status

EDIT_WINDOW = timedelta(minutes=15)


def is_public(proposal: Proposal) -> bool:
    """Drafts and proposals hidden by a moderator are not public: nobody discusses or reports them."""
    return proposal.status != Status.DRAFT and proposal.hidden_at is None


def discussion_open(proposal: Proposal) -> Decision:
    """The round phase decides (app/phases/table.py); ideas outside a round stay open."""
    if not is_public(proposal):
        return deny(_l("This proposal is not open for discussion."))
    if proposal.round is not None and not phase_allows(proposal.round.phase, Action.COMMENT):
        return deny(_l("The discussion of this proposal is closed."))
    return ALLOW


def can_take_part(actor) -> Decision:
    """Any signed-in person whose e-mail address is confirmed (residency is needed to vote, not to talk)."""
    if not signed_in(actor):
        return deny(_l("Sign in to take part in the discussion."))
    if not actor.is_email_verified:
        return deny(_l("Confirm your e-mail address to take part in the discussion."))
    return ALLOW


def can_comment(actor, proposal: Proposal) -> Decision:
    return can_take_part(actor) and discussion_open(proposal)


def _own(actor, comment: Comment) -> bool:
    return signed_in(actor) and comment.author_id == actor.id


def can_edit_comment(actor, comment: Comment, now=None) -> Decision:
    if not _own(actor, comment):
        return deny(_l("You can only edit your own comments."))
    if comment.state != CommentState.VISIBLE:
        return deny(_l("This comment can no longer be edited."))
    if (now or utcnow()) - comment.created_at > EDIT_WINDOW:
        return deny(_l("Comments can be edited only within 15 minutes of posting."))
    return ALLOW


def can_delete_comment(actor, comment: Comment) -> Decision:
    if not _own(actor, comment):
        return deny(_l("You can only delete your own comments."))
    if comment.state != CommentState.VISIBLE:
        return deny(_l("This comment has already been removed."))
    return ALLOW


def can_flag(actor) -> Decision:
    if not signed_in(actor):
        return deny(_l("Sign in to report content."))
    return ALLOW


def can_flag_comment(actor, comment: Comment) -> Decision:
    if not (decision := can_flag(actor)):
        return decision
    if comment.state != CommentState.VISIBLE:
        return deny(_l("This comment has already been removed."))
    if comment.author_id == actor.id:
        return deny(_l("You cannot report your own comment. You can delete it."))
    return ALLOW


def can_moderate(actor) -> Decision:
    if not is_staff(actor):
        return deny(_l("Only moderators can moderate the discussion."))
    return ALLOW
