"""Comments, flags and moderation. Each public function checks permission, validates, changes,
audits (moderator actions), notifies (``app.notifications``), and commits once.

``Proposal.comment_count`` counts the comments people can read: +1 when one is posted, −1 when a
visible one is deleted by its author or hidden by a moderator, always by an atomic UPDATE in the same
transaction.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.audit.services import record
from app.auth.models import User
from app.db import db, rowcount, utcnow
from app.discussion import permissions
from app.discussion.models import Comment, CommentState, Flag, FlagResolution
from app.errors import Conflict, InvalidInput, NotFound, PhaseClosed
from app.forms import FORBIDDEN_CHARACTERS
from app.i18n import content_language
from app.notifications.services import Mail, followers, local_path, notify
from app.permissions import require
from app.proposals.models import Proposal
from app.text import COMMENT_TAGS, render_markdown

MAX_COMMENT_LENGTH = 5000
MAX_REASON_LENGTH = 500
MAX_DEPTH = 3  # a comment, a reply, a reply to the reply; deeper replies join the third level


# --- helpers (flush only) ------------------------------------------------------------------------


def _clean_text(text: str | None, limit: int, field: str, empty_message: object) -> str:
    text = (text or "").replace("\r\n", "\n").strip()
    if FORBIDDEN_CHARACTERS.search(text):
        raise InvalidInput(_l("This field contains characters that are not allowed."), field=field)
    if not text:
        raise InvalidInput(empty_message, field=field)
    if len(text) > limit:
        raise InvalidInput(
            _l("This field may have at most %(max)d characters.", max=limit), field=field
        )
    return text


def _clean_body(body: str | None) -> str:
    return _clean_text(body, MAX_COMMENT_LENGTH, "body", _l("Write your comment first."))


def _clean_reason(reason: str | None) -> str:
    return _clean_text(reason, MAX_REASON_LENGTH, "reason", _l("Give a reason."))


def _change_count(proposal_id: int, delta: int) -> None:
    db.session.execute(
        sa.update(Proposal)
        .where(Proposal.id == proposal_id)
        .values(comment_count=Proposal.comment_count + delta)
        .execution_options(synchronize_session=False)
    )


def _move(comment: Comment, expected: str, gone: object, **values: Any) -> None:
    """Change a comment from the state ``expected`` in one conditional UPDATE, so that two parallel
    requests (a double click, two moderators) cannot both count the change; the loser gets ``gone``
    (and a comment read afresh), and its service or request decides about the transaction."""
    moved = rowcount(db.session.execute(
        sa.update(Comment)
        .where(Comment.id == comment.id, Comment.state == expected)
        .values(**values)
        .execution_options(synchronize_session=False)
    ))
    if moved != 1:
        db.session.expire(comment)
        raise Conflict(gone)
    db.session.refresh(comment)


def _lock(proposal: Proposal) -> None:
    """Re-read the proposal under a row lock (PostgreSQL; SQLite serialises writers anyway)."""
    db.session.refresh(proposal, with_for_update=True)


def _depth(comment: Comment) -> int:
    depth = 1
    while comment.parent_id is not None and depth <= MAX_DEPTH:
        comment = db.session.get_one(Comment, comment.parent_id)
        depth += 1
    return depth


def _attach_to(parent: Comment) -> Comment:
    """Replies below the deepest level join it: they answer the same comment as their parent."""
    while _depth(parent) >= MAX_DEPTH:
        parent = db.session.get_one(Comment, parent.parent_id)
    return parent


def _notify(proposal: Proposal, comment: Comment, parent: Comment | None, actor: User) -> None:
    """Every comment is told: to the author of the comment it answers, to the proposal's author and to
    its followers (each person once; e-mail as each of them chose)."""
    from app.discussion.links import comment_url

    url = comment_url(comment, external=True)
    what: dict[str, Any] = {"subject_kind": "proposal", "subject_id": proposal.id, "title": proposal.title,
            "link": local_path(url), "actor": actor}
    told: set[int] = set()
    if parent is not None and parent.author is not None:
        told |= notify([parent.author], "comment.reply", category="discussion", exclude=told, **what)
    if proposal.author is not None:
        told |= notify([proposal.author], "comment.on_my_proposal", category="discussion", exclude=told,
                       mail=Mail(_l("New comments on your proposal"), "discussion/email/new_comment.txt",
                                 {"proposal": proposal, "commenter": actor,
                                  "link": url}), **what)
    notify(followers("proposal", proposal.id), "comment.followed", category="following", exclude=told, **what)


def _open_flags(comment_id: int | None = None, proposal_id: int | None = None) -> sa.Select[Flag]:
    query = sa.select(Flag).where(Flag.resolved_at.is_(None))
    if comment_id is not None:
        return query.where(Flag.comment_id == comment_id)
    return query.where(Flag.proposal_id == proposal_id)


def _resolve_flags(actor: User, resolution: str, comment_id: int | None = None,
                   proposal_id: int | None = None) -> int:
    flags = list(db.session.scalars(_open_flags(comment_id, proposal_id)))
    now = utcnow()
    for flag in flags:
        flag.resolved_at = now
        flag.resolved_by_id = actor.id
        flag.resolution = resolution
    if comment_id is not None:
        # The text of a comment its author deleted was kept only for this decision.
        db.session.execute(
            sa.update(Comment).where(Comment.id == comment_id, Comment.state == CommentState.DELETED)
            .values(body="", body_html="").execution_options(synchronize_session=False)
        )
    return len(flags)


# --- comments -------------------------------------------------------------------------------------


def post_comment(actor: User, proposal: Proposal, body: str, parent_id: int | None = None, *,
                 language: str | None = None) -> Comment:
    require(permissions.can_take_part(actor))
    if not permissions.is_public(proposal):
        raise NotFound()
    is_open = permissions.discussion_open(proposal)
    if not is_open:
        raise PhaseClosed(is_open.reason)
    parent = None
    if parent_id is not None:
        parent = db.session.get(Comment, parent_id)
        if parent is None or parent.proposal_id != proposal.id:
            raise NotFound(_l("The comment you are replying to does not exist."))
        if parent.state != CommentState.VISIBLE:
            raise Conflict(_l("You cannot reply to a comment that has been removed."))
        parent = _attach_to(parent)
    source = _clean_body(body)
    language = content_language(language)
    comment = Comment(
        proposal_id=proposal.id,
        author_id=actor.id,
        parent_id=parent.id if parent else None,
        body=source,
        body_html=render_markdown(source, tags=COMMENT_TAGS),
        language=language,
        state=CommentState.VISIBLE,
        created_at=utcnow(),
    )
    db.session.add(comment)
    db.session.flush()
    _change_count(proposal.id, +1)
    _notify(proposal, comment, parent, actor)
    db.session.commit()
    return comment


def edit_comment(actor: User, comment: Comment, body: str, *, language: str | None = None) -> Comment:
    require(permissions.can_edit_comment(actor, comment))
    source = _clean_body(body)
    comment.language = content_language(language, comment.language)
    if source != comment.body:
        comment.body = source
        comment.body_html = render_markdown(source, tags=COMMENT_TAGS)
        comment.edited_at = utcnow()
    db.session.commit()
    return comment


def delete_comment(actor: User, comment: Comment) -> None:
    """The row stays (replies hang on it) with its text cleared; the page shows a placeholder when it
    has replies, and nothing otherwise."""
    gone = _l("This comment has already been removed.")
    if comment.author_id == getattr(actor, "id", None) and comment.state != CommentState.VISIBLE:
        raise Conflict(gone)  # a second click: nothing to do, and nothing forbidden
    require(permissions.can_delete_comment(actor, comment))
    # A reported comment keeps its text for the moderators until they have decided (deleting must
    # not be a way round moderation); it is cleared when its reports are resolved.
    reported = db.session.scalar(sa.select(_open_flags(comment.id).exists()))
    cleared = {} if reported else {"body": "", "body_html": ""}
    _move(comment, CommentState.VISIBLE, gone, state=CommentState.DELETED, **cleared)
    _change_count(comment.proposal_id, -1)
    db.session.commit()


# --- flags ----------------------------------------------------------------------------------------


def _flag(actor: User, reason: str, comment: Comment | None = None, proposal: Proposal | None = None) -> Flag:
    require(permissions.can_flag(actor))
    reason = _clean_reason(reason)
    already = db.session.scalar(
        _open_flags(comment.id if comment else None, proposal.id if proposal else None)
        .where(Flag.reporter_id == actor.id)
        .limit(1)
    )
    if already is not None:
        raise Conflict(_l("You have already reported this. A moderator will look at it soon."))
    flag = Flag(
        comment_id=comment.id if comment else None,
        proposal_id=proposal.id if proposal else None,
        reporter_id=actor.id,
        reason=reason,
        created_at=utcnow(),
    )
    db.session.add(flag)
    return flag


def flag_comment(actor: User, comment: Comment, reason: str) -> Flag:
    require(permissions.can_flag(actor))
    if comment.state != CommentState.VISIBLE:
        raise Conflict(_l("This comment has already been removed."))
    if comment.author_id == actor.id:
        raise Conflict(_l("You cannot report your own comment. You can delete it."))
    flag = _flag(actor, reason, comment=comment)
    db.session.commit()
    return flag


def flag_proposal(actor: User, proposal: Proposal, reason: str) -> Flag:
    require(permissions.can_flag(actor))
    if not permissions.is_public(proposal):
        raise NotFound()
    if proposal.author_id == actor.id:
        raise Conflict(_l("You cannot report your own proposal."))
    flag = _flag(actor, reason, proposal=proposal)
    db.session.commit()
    return flag


# --- moderation -----------------------------------------------------------------------------------


def hide_comment(actor: User, comment: Comment, reason: str) -> int:
    """Hide a comment (its text stays stored; the reason is shown instead). Resolves its open flags."""
    require(permissions.can_moderate(actor))
    reason = _clean_reason(reason)
    if comment.state == CommentState.HIDDEN:
        raise Conflict(_l("This comment is already hidden."))
    if comment.state == CommentState.DELETED:
        raise Conflict(_l("The author has deleted this comment."))
    _move(comment, CommentState.VISIBLE, _l("This comment has just been removed by someone else."),
          state=CommentState.HIDDEN, hidden_reason=reason, hidden_by_id=actor.id)
    _change_count(comment.proposal_id, -1)
    resolved = _resolve_flags(actor, FlagResolution.HIDDEN, comment_id=comment.id)
    record(actor, "comment.hidden", comment, reason=reason, proposal_id=comment.proposal_id,
           flags_resolved=resolved)
    db.session.commit()
    return resolved


def hide_proposal(actor: User, proposal: Proposal, reason: str) -> int:
    """Hide a proposal after a report; it stays in the database. Resolves its open flags."""
    require(permissions.can_moderate(actor))
    reason = _clean_reason(reason)
    _lock(proposal)
    if proposal.hidden_at is not None:
        raise Conflict(_l("This proposal is already hidden."))
    proposal.hidden_at = utcnow()
    proposal.hidden_reason = reason
    proposal.hidden_by_id = actor.id
    resolved = _resolve_flags(actor, FlagResolution.HIDDEN, proposal_id=proposal.id)
    record(actor, "proposal.hidden", proposal, reason=reason, flags_resolved=resolved)
    db.session.commit()
    return resolved


def restore_comment(actor: User, comment: Comment) -> None:
    """Show a hidden comment again (hidden by mistake, or the dispute is settled). The hiding and the
    restoring both stay in the audit log."""
    require(permissions.can_moderate(actor))
    hidden_reason = comment.hidden_reason
    _move(comment, CommentState.HIDDEN, _l("This comment is not hidden."),
          state=CommentState.VISIBLE, hidden_reason=None, hidden_by_id=None)
    _change_count(comment.proposal_id, +1)
    record(actor, "comment.restored", comment, proposal_id=comment.proposal_id,
           hidden_reason=hidden_reason)
    db.session.commit()


def restore_proposal(actor: User, proposal: Proposal) -> None:
    """Make a hidden proposal public again; the audit log keeps why it had been hidden."""
    require(permissions.can_moderate(actor))
    _lock(proposal)
    if proposal.hidden_at is None:
        raise Conflict(_l("This proposal is not hidden."))
    record(actor, "proposal.restored", proposal, hidden_reason=proposal.hidden_reason)
    proposal.hidden_at = None
    proposal.hidden_reason = None
    proposal.hidden_by_id = None
    db.session.commit()


def dismiss_comment_flags(actor: User, comment: Comment) -> int:
    require(permissions.can_moderate(actor))
    resolved = _resolve_flags(actor, FlagResolution.DISMISSED, comment_id=comment.id)
    if not resolved:
        raise Conflict(_l("There are no open reports about this any more."))
    record(actor, "comment.flags_dismissed", comment, proposal_id=comment.proposal_id,
           flags_resolved=resolved)
    db.session.commit()
    return resolved


def dismiss_proposal_flags(actor: User, proposal: Proposal) -> int:
    require(permissions.can_moderate(actor))
    resolved = _resolve_flags(actor, FlagResolution.DISMISSED, proposal_id=proposal.id)
    if not resolved:
        raise Conflict(_l("There are no open reports about this any more."))
    record(actor, "proposal.flags_dismissed", proposal, flags_resolved=resolved)
    db.session.commit()
    return resolved
