"""Read side of the discussion: a proposal's thread, and the moderation queue, in a fixed number of
queries whatever their size."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from app.auth.models import User
from app.db import db
from app.discussion import permissions
from app.discussion.models import Comment, CommentState, Flag
from app.permissions import Decision, is_staff, signed_in
from app.proposals.models import Proposal


@dataclass
class Node:
    comment: Comment
    depth: int = 1
    children: list[Node] = field(default_factory=list)

    @property
    def id(self) -> int:
        return self.comment.id

    @property
    def state(self) -> str:
        return self.comment.state


@dataclass
class Thread:
    """What ``discussion/_thread.html`` shows: the tree and what the viewer may do in it."""

    proposal: Proposal
    viewer: Any  # the signed-in user or an anonymous one (current_user)
    roots: list[Node]
    count: int  # comments people can read (the same rule as Proposal.comment_count)
    can_comment: Decision
    can_flag: bool
    can_moderate: bool
    reported: frozenset[int] = frozenset()  # comments with an open report by the viewer
    reported_proposal: bool = False  # the viewer's report on the proposal is still open
    # A proposal hidden by a moderator takes its discussion with it (comments often quote it), except
    # for its author and the moderators.
    withheld: bool = False

    def can_edit(self, comment: Comment) -> Decision:
        return permissions.can_edit_comment(self.viewer, comment)

    def can_delete(self, comment: Comment) -> Decision:
        return permissions.can_delete_comment(self.viewer, comment)

    def can_flag_comment(self, comment: Comment) -> bool:
        return (self.can_flag and comment.state == CommentState.VISIBLE
                and comment.author_id != self.viewer.id)

    @property
    def can_flag_proposal(self) -> bool:
        return (self.can_flag and permissions.is_public(self.proposal)
                and self.proposal.author_id != self.viewer.id)


def comments_of(proposal_id: int) -> sa.Select:
    return (
        sa.select(Comment)
        .where(Comment.proposal_id == proposal_id)
        .options(selectinload(Comment.author))
        .order_by(Comment.created_at, Comment.id)
    )


def build_tree(comments: list[Comment]) -> list[Node]:
    """Thread the comments (oldest first). A deleted comment stays as a placeholder only while some
    reply below it is still shown; otherwise it disappears."""
    nodes = {comment.id: Node(comment) for comment in comments}
    roots: list[Node] = []
    for node in nodes.values():
        parent = nodes.get(node.comment.parent_id) if node.comment.parent_id else None
        (parent.children if parent else roots).append(node)

    def prune(siblings: list[Node], depth: int) -> list[Node]:
        kept = []
        for node in siblings:
            node.depth = depth
            node.children = prune(node.children, depth + 1)
            if node.comment.state != CommentState.DELETED or node.children:
                kept.append(node)
        return kept

    return prune(roots, 1)


def open_reports_by(viewer_id: int, proposal_id: int) -> tuple[frozenset[int], bool]:
    """What the viewer has reported on this proposal's page and no moderator has handled yet:
    the comment ids, and whether the proposal itself (one query)."""
    rows = db.session.execute(
        sa.select(Flag.comment_id, Flag.proposal_id)
        .outerjoin(Comment, Comment.id == Flag.comment_id)
        .where(
            Flag.reporter_id == viewer_id,
            Flag.resolved_at.is_(None),
            sa.or_(Flag.proposal_id == proposal_id, Comment.proposal_id == proposal_id),
        )
    ).all()
    return (frozenset(row.comment_id for row in rows if row.comment_id is not None),
            any(row.proposal_id is not None for row in rows))


def discussion_thread(proposal: Proposal, viewer=None) -> Thread:
    viewer = viewer if signed_in(viewer) else None
    withheld = proposal.hidden_at is not None and not (
        is_staff(viewer) or (viewer is not None and viewer.id == proposal.author_id)
    )
    comments = [] if withheld else list(db.session.scalars(comments_of(proposal.id)))
    reported, reported_proposal = open_reports_by(viewer.id, proposal.id) if viewer else (frozenset(), False)
    return Thread(
        proposal=proposal,
        viewer=viewer,
        roots=build_tree(comments),
        count=sum(1 for comment in comments if comment.state == CommentState.VISIBLE),
        can_comment=permissions.can_comment(viewer, proposal),
        can_flag=bool(permissions.can_flag(viewer)),
        can_moderate=is_staff(viewer),
        reported=reported,
        reported_proposal=reported_proposal,
        withheld=withheld,
    )


# --- the moderation queue -------------------------------------------------------------------------


@dataclass
class FlagGroup:
    """The open reports about one comment or one proposal."""

    kind: str  # "comment" or "proposal"
    target_id: int
    flags: list[Flag]
    comment: Comment | None = None
    proposal: Proposal | None = None


@dataclass
class Page:
    """The subset of Flask-SQLAlchemy's pagination that the ``pagination`` macro uses."""

    items: list
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1


def moderation_queue(page: int = 1, per_page: int = 20) -> Page:
    """Open flags grouped by what they report, oldest report first; five queries per page."""
    groups = (
        sa.select(Flag.comment_id, Flag.proposal_id, sa.func.min(Flag.created_at).label("first_at"))
        .where(Flag.resolved_at.is_(None))
        .group_by(Flag.comment_id, Flag.proposal_id)
    )
    total = db.session.scalar(sa.select(sa.func.count()).select_from(groups.subquery()))
    page = max(1, page)
    rows = db.session.execute(
        groups.order_by(sa.text("first_at"), Flag.comment_id, Flag.proposal_id)
        .limit(per_page).offset((page - 1) * per_page)
    ).all()
    comment_ids = [row.comment_id for row in rows if row.comment_id is not None]
    proposal_ids = [row.proposal_id for row in rows if row.proposal_id is not None]
    flags = list(db.session.scalars(
        sa.select(Flag)
        .where(Flag.resolved_at.is_(None))
        .where(sa.or_(Flag.comment_id.in_(comment_ids), Flag.proposal_id.in_(proposal_ids)))
        .options(selectinload(Flag.reporter))
        .order_by(Flag.created_at, Flag.id)
    )) if rows else []
    comments = {
        comment.id: comment
        for comment in db.session.scalars(
            sa.select(Comment).where(Comment.id.in_(comment_ids)).options(selectinload(Comment.author))
        )
    } if comment_ids else {}
    wanted_proposals = set(proposal_ids) | {comment.proposal_id for comment in comments.values()}
    proposals = {
        proposal.id: proposal
        for proposal in db.session.scalars(
            sa.select(Proposal).where(Proposal.id.in_(wanted_proposals))
            .options(selectinload(Proposal.author))
        )
    } if wanted_proposals else {}
    items = []
    for row in rows:
        if row.comment_id is not None:
            comment = comments[row.comment_id]
            items.append(FlagGroup(
                "comment", comment.id, [f for f in flags if f.comment_id == comment.id],
                comment=comment, proposal=proposals.get(comment.proposal_id),
            ))
        else:
            items.append(FlagGroup(
                "proposal", row.proposal_id, [f for f in flags if f.proposal_id == row.proposal_id],
                proposal=proposals[row.proposal_id],
            ))
    return Page(items=items, page=page, per_page=per_page, total=total or 0)


# --- hidden content -------------------------------------------------------------------------------


@dataclass
class HiddenItem:
    """A hidden comment or proposal on the moderators' list, with what it needs to be shown."""

    kind: str  # "comment" or "proposal"
    comment: Comment | None
    proposal: Proposal
    hidden_by: str | None  # the moderator's display name


def hidden_content(kind: str, page: int = 1, per_page: int = 20) -> Page:
    """Hidden proposals (latest hiding first) or hidden comments (newest first), in a fixed number of
    queries a page (four or five, whatever the number hidden)."""
    if kind == "proposal":
        query = sa.select(Proposal).where(Proposal.hidden_at.is_not(None))
        total = db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery())) or 0
        proposals = db.session.scalars(
            query.options(selectinload(Proposal.author))
            .order_by(Proposal.hidden_at.desc(), Proposal.id.desc())
            .limit(per_page).offset((page - 1) * per_page)
        ).all()
        pairs: list[tuple[Comment | None, Proposal, int | None]] = [
            (None, proposal, proposal.hidden_by_id) for proposal in proposals
        ]
    else:
        hidden = sa.select(Comment).where(Comment.state == CommentState.HIDDEN)
        total = db.session.scalar(sa.select(sa.func.count()).select_from(hidden.subquery())) or 0
        comments = db.session.scalars(
            hidden.options(selectinload(Comment.author))
            .order_by(Comment.id.desc()).limit(per_page).offset((page - 1) * per_page)
        ).all()
        titles = {p.id: p for p in db.session.scalars(
            sa.select(Proposal).where(Proposal.id.in_({c.proposal_id for c in comments}))
        )} if comments else {}
        pairs = [(comment, titles[comment.proposal_id], comment.hidden_by_id) for comment in comments]
    moderator_ids = {by for _, _, by in pairs if by is not None}
    names = dict(db.session.execute(
        sa.select(User.id, User.display_name).where(User.id.in_(moderator_ids))
    ).all()) if moderator_ids else {}
    items = [HiddenItem(kind, comment, proposal, names.get(by) if by is not None else None)
             for comment, proposal, by in pairs]
    return Page(items=items, page=page, per_page=per_page, total=total)
