"""Read side of the discussion: a proposal's thread, and the moderation queue, in a fixed number of
queries whatever their size."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from app.auth.models import User
from app.db import db
from app.discussion import permissions
from app.discussion.links import proposal_url
from app.discussion.models import Comment, CommentState, Flag
from app.permissions import Decision, is_staff, signed_in
from app.proposals.models import Proposal


@dataclass
class Node:
    comment: Comment
    depth: int = 1
    children: list[Node] = field(default_factory=list)
    # The comment it answers, when that one is on an earlier part of the thread.
    reply_to: Comment | None = None

    @property
    def id(self) -> int:
        return self.comment.id

    @property
    def state(self) -> str:
        return self.comment.state


@dataclass
class Outline:
    """A proposal's whole thread without the texts: the ids of the comments shown, depth-first and
    oldest first, and where any comment is (or was) in that order."""

    order: list[int]
    position: dict[int, int]  # comment id -> index of it, or of the first shown after it (deleted)
    parent: dict[int, int | None]
    visible: int  # comments people can read (the same rule as Proposal.comment_count)


@dataclass
class Thread:
    """What ``discussion/_thread.html`` shows: one part of the tree and what the viewer may do in it."""

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
    earlier: int | None = None  # the last comment of the part before this one
    later: int | None = None  # the first comment of the part after this one
    focus_id: int | None = None  # the comment to move focus to, when it is on this part

    @cached_property
    def page_url(self) -> str:
        """The proposal page's address, for the permalinks."""
        return proposal_url(self.proposal)

    def permalink(self, comment_id: int) -> str:
        """What ``links.comment_url`` gives, without building the address again for every comment."""
        return f"{self.page_url}?comment={comment_id}#comment-{comment_id}"

    def can_edit(self, comment: Comment) -> Decision:
        return permissions.can_edit_comment(self.viewer, comment)

    def can_delete(self, comment: Comment) -> Decision:
        return permissions.can_delete_comment(self.viewer, comment)

    def can_flag_comment(self, comment: Comment) -> bool:
        return bool(permissions.can_flag_comment(self.viewer, comment))

    @property
    def can_flag_proposal(self) -> bool:
        return (self.can_flag and permissions.is_public(self.proposal)
                and self.proposal.author_id != self.viewer.id)


def outline(proposal_id: int) -> Outline:
    """One light query for the whole thread (through the connection: no ORM rows to build). A deleted
    comment stays (as a placeholder) only while some reply below it is still shown."""
    rows = db.session.connection().execute(
        sa.select(Comment.id, Comment.parent_id, Comment.state)
        .where(Comment.proposal_id == proposal_id)
        .order_by(Comment.created_at, Comment.id)
    ).all()
    parent = {comment_id: parent_id for comment_id, parent_id, _ in rows}
    deleted = {comment_id for comment_id, _, state in rows if state == CommentState.DELETED}
    children: dict[int | None, list[int]] = {}
    for comment_id, parent_id, _ in rows:
        children.setdefault(parent_id if parent_id in parent else None, []).append(comment_id)
    order: list[int] = []
    position: dict[int, int] = {}

    def walk(comment_id: int) -> bool:
        position[comment_id] = len(order)
        order.append(comment_id)
        shown_below = False
        for child in children.get(comment_id, ()):
            shown_below = walk(child) or shown_below
        if comment_id in deleted and not shown_below:
            order.pop()  # nothing below it is shown: it is the last one in the order
            return False
        return True

    for root in children.get(None, ()):
        walk(root)
    return Outline(order=order, position=position, parent=parent,
                   visible=sum(1 for _, _, state in rows if state == CommentState.VISIBLE))


def part_start(shape: Outline, size: int, around: int | None = None, start: int | None = None) -> int:
    """Where the part to show begins: exactly at ``start`` (the next part, loaded on demand), at the
    beginning of the part holding ``around`` (a permalink, or what was just changed), or at the top."""
    if not shape.order:
        return 0
    last = len(shape.order) - 1
    if start is not None and start in shape.position:
        return min(shape.position[start], last)
    if around is not None and around in shape.position:
        return min(shape.position[around], last) // size * size
    return 0


def thread_part(shape: Outline, begin: int, size: int) -> list[Node]:
    """The comments of one part, with the ones its replies answer from earlier parts, and their authors
    (one query), threaded; a reply whose parent is on an earlier part starts a branch of its own."""
    ids = shape.order[begin:begin + size]
    if not ids:
        return []
    shown = set(ids)
    answered = {shape.parent[i] for i in ids if shape.parent[i] is not None and shape.parent[i] not in shown}
    comments = {comment.id: comment for comment in db.session.scalars(
        sa.select(Comment).where(Comment.id.in_(shown | answered)).options(joinedload(Comment.author))
    )}
    nodes: dict[int, Node] = {}
    roots: list[Node] = []
    for comment_id in ids:
        parent_id = shape.parent[comment_id]
        parent = nodes.get(parent_id) if parent_id is not None else None
        node = nodes[comment_id] = Node(comments[comment_id], depth=parent.depth + 1 if parent else 1)
        if parent:
            parent.children.append(node)
        else:
            node.reply_to = comments.get(parent_id) if parent_id is not None else None
            roots.append(node)
    return roots


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


def discussion_thread(proposal: Proposal, viewer=None, around: int | None = None, start: int | None = None,
                      size: int = 25) -> Thread:
    """One part of the thread (``size`` comments; the statements run do not depend on the thread's
    length): the part holding the comment ``around``, the part beginning at ``start``, or the first.
    Focus goes to that comment (or to the one shown after it, when it is gone), or to the first one
    from ``start``."""
    viewer = viewer if signed_in(viewer) else None
    withheld = proposal.hidden_at is not None and not (
        is_staff(viewer) or (viewer is not None and viewer.id == proposal.author_id)
    )
    shape = Outline([], {}, {}, 0) if withheld else outline(proposal.id)
    begin = part_start(shape, size, around, start)
    end = min(begin + size, len(shape.order))
    focus = around if around is not None else start
    focus_id = None
    if focus is not None and begin <= shape.position.get(focus, -1) < end:
        focus_id = shape.order[shape.position[focus]]
    reported, reported_proposal = open_reports_by(viewer.id, proposal.id) if viewer else (frozenset(), False)
    return Thread(
        proposal=proposal,
        viewer=viewer,
        roots=thread_part(shape, begin, size),
        count=shape.visible,
        can_comment=permissions.can_comment(viewer, proposal),
        can_flag=bool(permissions.can_flag(viewer)),
        can_moderate=is_staff(viewer),
        reported=reported,
        reported_proposal=reported_proposal,
        withheld=withheld,
        earlier=shape.order[begin - 1] if begin > 0 else None,
        later=shape.order[end] if end < len(shape.order) else None,
        focus_id=focus_id,
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
