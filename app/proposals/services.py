"""Proposal services: write, edit (keeping revisions), submit, withdraw, review, later status changes,
pledges of help and the category list. Each public function checks permission first, validates,
changes, writes the timeline / audit / outbox entries and commits once."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value

from app.audit.services import record
from app.auth.models import User
from app.db import db, rowcount, utcnow
from app.errors import Conflict, InvalidInput, NotAllowed
from app.forms import FORBIDDEN_CHARACTERS
from app.i18n import content_language, money
from app.media.services import delete_pictures_of
from app.money import parse_zloty
from app.notifications.services import Mail, follow, followers, notify, path_for
from app.outbox.services import queue_email_to
from app.permissions import is_staff, require
from app.phases.models import Round
from app.phases.table import Action, phase_allows
from app.proposals import permissions
from app.proposals.lifecycle import LATER_STATUSES, STATUS_LABELS, TRANSITIONS
from app.proposals.models import (
    Category,
    Pledge,
    PledgeKind,
    Proposal,
    ProposalEvent,
    ProposalRevision,
    Status,
)
from app.text import fold, render_markdown
from app.urls import external_url

TITLE_MIN, TITLE_MAX = 5, 200
BODY_MAX = 20_000
NEEDS_MAX = 5_000
ANSWER_MAX = 5_000
NOTE_MAX = 500
CATEGORY_MAX = 80
MAX_COST_GROSZE = 100_000_000  # 1 000 000 zł: far beyond anything the centre could fund


@dataclass
class ProposalInput:
    title: str
    body: str
    needs: str = ""
    cost: str = ""  # as typed, in zł: "1 234,50", "1234.50", "1234"
    category_id: int | None = None
    round_id: int | None = None
    language: str | None = None  # pl, uk or en; None keeps the current one (Polish for a new text)


# --- validation -----------------------------------------------------------------------------------

def parse_cost(raw: str | None, field: str = "cost") -> int | None:
    """Złoty as typed → integer grosze; empty → None. Refuses negative and absurd amounts."""
    if (raw or "").strip().startswith("-"):
        raise InvalidInput(_l("The cost cannot be negative."), field=field)
    try:
        grosze = parse_zloty(raw)
    except ValueError:
        raise InvalidInput(
            _l("Enter the cost in złoty, e.g. 1 234,50 or 1234."), field=field
        ) from None
    if grosze is not None and grosze > MAX_COST_GROSZE:
        raise InvalidInput(
            _l("The cost may be at most %(max)s.", max=money(MAX_COST_GROSZE)), field=field
        )
    return grosze


def _clean_text(value: str | None, field: str, *, maximum: int, minimum: int = 0,
                required_message: object = None) -> str:
    text = (value or "").replace("\r\n", "\n").strip()
    if FORBIDDEN_CHARACTERS.search(text):
        raise InvalidInput(_l("This field contains characters that are not allowed."), field=field)
    if minimum and len(text) < minimum:
        if not text:
            raise InvalidInput(required_message or _l("This field is required."), field=field)
        raise InvalidInput(_l("This field must have at least %(min)d characters.", min=minimum),
                           field=field)
    if len(text) > maximum:
        raise InvalidInput(_l("This field may have at most %(max)d characters.", max=maximum),
                           field=field)
    return text


def _validated(data: ProposalInput, current: Proposal | None = None) -> dict[str, Any]:
    title = " ".join(_clean_text(data.title, "title", maximum=TITLE_MAX, minimum=TITLE_MIN).split())
    body = _clean_text(data.body, "body", maximum=BODY_MAX, minimum=1,
                       required_message=_l("Describe your proposal."))
    needs = _clean_text(data.needs, "needs", maximum=NEEDS_MAX)
    cost = parse_cost(data.cost)
    category_id = data.category_id or None
    if category_id is not None:
        category = db.session.get(Category, category_id)
        keeps_current = current is not None and current.category_id == category_id
        if category is None or not (category.active or keeps_current):
            raise InvalidInput(_l("Choose one of the categories."), field="category_id")
    elif categories_in_use():
        raise InvalidInput(_l("Choose a category."), field="category_id")
    round_id = data.round_id or None
    if round_id is not None:
        round_ = db.session.get(Round, round_id)
        keeps_current = current is not None and current.round_id == round_id
        if round_ is None or not (phase_allows(round_.phase, Action.SUBMIT_PROPOSAL) or keeps_current):
            raise InvalidInput(
                _l("This round does not accept proposals now. Choose another one or the idea box."),
                field="round_id",
            )
    language = content_language(data.language, current.language if current is not None else None)
    return {"title": title, "body": body, "needs": needs, "cost_grosze": cost,
            "category_id": category_id, "round_id": round_id, "language": language}


def categories_in_use() -> bool:
    """Whether proposals must have a category: once moderators have made at least one active category.
    A fresh install has none, and proposals can be written without one."""
    return db.session.scalar(sa.select(Category.id).where(Category.active.is_(True)).limit(1)) is not None


def _search_text(title: str, body: str, needs: str) -> str:
    return fold(f"{title}\n{body}\n{needs}")


def _apply(proposal: Proposal, values: dict[str, Any]) -> None:
    for key, value in values.items():
        setattr(proposal, key, value)
    proposal.body_html = render_markdown(values["body"])
    proposal.search_text = _search_text(values["title"], values["body"], values["needs"])


# --- status changes -------------------------------------------------------------------------------


# The author is told of these by ``notifications`` (as they chose), followers too; the author's own steps
# (submitted, withdrawn) get a plain receipt.
DECISIONS = frozenset({Status.ACCEPTED, Status.REJECTED, Status.SELECTED, Status.NOT_SELECTED,
                       Status.SCHEDULED, Status.IMPLEMENTED})


def _notify_author(actor: User | None, proposal: Proposal, new_status: str, note: str | None) -> None:
    author = proposal.author
    link = external_url("proposals.show", proposal_id=proposal.id)
    context = {"proposal": proposal, "status_label": STATUS_LABELS[new_status], "new_status": new_status,
               "note": note, "link": link}
    subject = _l("Your proposal “%(title)s”: %(status)s", title=proposal.title,
                 status=STATUS_LABELS[new_status])
    if new_status not in DECISIONS:
        if author is not None:
            queue_email_to(author, subject, "proposals/email/status_changed.txt", user=author, **context)
        return
    tell_about_decision(actor, proposal, new_status, note,
                        Mail(subject, "proposals/email/status_changed.txt", context))


def tell_about_decision(actor: User | None, proposal: Proposal, new_status: str, note: str | None = None,
                        mail: Mail | None = None) -> None:
    """Notify the author (a decision about their proposal) and the followers of a status change."""
    what: dict[str, Any] = {"subject_kind": "proposal", "subject_id": proposal.id, "title": proposal.title,
            "link": path_for("proposals.show", proposal_id=proposal.id), "actor": actor,
            "detail": note if new_status in (Status.REJECTED, Status.ACCEPTED) else None}
    event = f"proposal.{new_status}"
    told = notify([proposal.author] if proposal.author else [], event, category="my_proposals", mail=mail,
                  **what)
    notify(followers("proposal", proposal.id), event, category="following", exclude=told, **what)


def _change_status(actor: User | None, proposal: Proposal, new_status: str, note: str | None = None) -> None:
    """Move along the transition table, once: a parallel request that got there first wins."""
    old = proposal.status
    if new_status not in TRANSITIONS.get(old, frozenset()):
        raise Conflict(_l("This status change is not possible."))
    now = utcnow()
    values: dict[str, Any] = {"status": new_status, "updated_at": now}
    if new_status == Status.SUBMITTED:
        values["submitted_at"] = now
    changed = rowcount(db.session.execute(
        sa.update(Proposal).where(Proposal.id == proposal.id, Proposal.status == old).values(**values)
    ))
    if changed != 1:
        raise Conflict()
    for key, value in values.items():
        set_committed_value(proposal, key, value)
    db.session.add(ProposalEvent(proposal_id=proposal.id, actor_id=getattr(actor, "id", None),
                                 kind="status", from_status=old, to_status=new_status, note=note,
                                 created_at=now))
    _notify_author(actor, proposal, new_status, note)


def set_status(actor: User | None, proposal: Proposal, new_status: str, note: str | None = None, *,
               by_system: bool = False) -> None:
    """Change a proposal's status along ``lifecycle.TRANSITIONS`` (see ``change_status``) and commit."""
    try:
        change_status(actor, proposal, new_status, note, by_system=by_system)
    except Conflict:
        db.session.rollback()
        raise
    db.session.commit()


def change_status(actor: User | None, proposal: Proposal, new_status: str, note: str | None = None, *,
                  by_system: bool = False) -> None:
    """Change a proposal's status in the caller's transaction (it flushes, never commits): for
    ``set_status`` and for other features' services, which commit their own transaction.

    Selected / not selected / scheduled / implemented need a moderator or administrator as ``actor``,
    or ``actor=None, by_system=True`` (a CLI command). Each change goes on the timeline and is e-mailed
    to the author. A parallel request that changed the status first raises ``Conflict``.
    """
    if new_status in LATER_STATUSES:
        require(permissions.can_set_later_status(actor, proposal, new_status, by_system))
    elif new_status == Status.SUBMITTED:
        require(permissions.can_submit(actor, proposal))
    elif new_status == Status.WITHDRAWN:
        require(permissions.can_withdraw(actor, proposal))
    elif new_status in (Status.ACCEPTED, Status.REJECTED):
        require(permissions.can_review(actor, proposal))
        if new_status == Status.REJECTED and not (note or "").strip():
            raise InvalidInput(_l("Write a public answer explaining the rejection."), field="answer")
        proposal.moderator_answer = (note or "").strip() or None
    else:
        raise NotAllowed(_l("This status change is not possible."))
    _change_status(actor, proposal, new_status, note)
    if is_staff(actor) and not permissions.is_author(actor, proposal):
        record(actor, f"proposal.{new_status}", proposal, note=note)
    db.session.flush()


# --- writing and editing --------------------------------------------------------------------------


def create_proposal(actor: User, data: ProposalInput, *, submit: bool = False) -> Proposal:
    require(permissions.can_create(actor))
    values = _validated(data)
    proposal = Proposal(author_id=actor.id, status=Status.DRAFT)
    proposal.author = actor
    _apply(proposal, values)
    db.session.add(proposal)
    db.session.flush()
    db.session.add(ProposalEvent(proposal_id=proposal.id, actor_id=actor.id, kind="created"))
    follow(actor, "proposal", proposal.id)
    if submit:
        require(permissions.can_submit(actor, proposal))
        db.session.flush()
        _change_status(actor, proposal, Status.SUBMITTED)
    db.session.commit()
    return proposal


def _snapshot_fields(proposal: Proposal) -> dict[str, Any]:
    return {"title": proposal.title, "body": proposal.body, "needs": proposal.needs,
            "cost_grosze": proposal.cost_grosze, "category_id": proposal.category_id}


def _next_revision_number(proposal: Proposal) -> int:
    return (db.session.scalar(
        sa.select(sa.func.max(ProposalRevision.number)).where(ProposalRevision.proposal_id == proposal.id)
    ) or 0) + 1


def update_proposal(actor: User, proposal: Proposal, data: ProposalInput) -> bool:
    """Save the author's edit. After submission the version it replaces is kept as a revision.

    Returns False when nothing changed (nothing is written)."""
    require(permissions.can_edit(actor, proposal))
    values = _validated(data, current=proposal)
    before = _snapshot_fields(proposal)
    text_changed = any(before[key] != values[key] for key in before)
    if (not text_changed and proposal.round_id == values["round_id"]
            and proposal.language == values["language"]):
        return False
    if proposal.status != Status.DRAFT and text_changed:
        number = _next_revision_number(proposal)
        db.session.add(ProposalRevision(proposal_id=proposal.id, number=number, editor_id=actor.id,
                                        **before))
        db.session.add(ProposalEvent(proposal_id=proposal.id, actor_id=actor.id, kind="edited",
                                     note=str(number + 1)))
    if proposal.status != Status.DRAFT and proposal.round_id != values["round_id"]:
        db.session.add(ProposalEvent(proposal_id=proposal.id, actor_id=actor.id, kind="moved"))
    _apply(proposal, values)
    proposal.updated_at = utcnow()
    db.session.commit()
    return True


def submit_proposal(actor: User, proposal: Proposal) -> None:
    set_status(actor, proposal, Status.SUBMITTED)


def withdraw_proposal(actor: User, proposal: Proposal) -> None:
    set_status(actor, proposal, Status.WITHDRAWN)


def discard_draft(actor: User, proposal: Proposal) -> None:
    """Delete a draft with its timeline (the database cascades); it was never public."""
    require(permissions.can_discard(actor, proposal))
    delete_pictures_of("proposal", [proposal.id])
    deleted = rowcount(db.session.execute(
        sa.delete(Proposal).where(Proposal.id == proposal.id, Proposal.status == Status.DRAFT)
        .execution_options(synchronize_session=False)
    ))
    if deleted != 1:
        db.session.rollback()
        raise Conflict(_l("This draft has already been published or deleted."))
    db.session.commit()


def review_proposal(actor: User, proposal: Proposal, decision: str, answer: str = "",
                    final_cost: str = "") -> None:
    """Accept for voting (optionally setting the final cost) or reject with a public answer."""
    require(permissions.can_review(actor, proposal))
    if decision not in ("accept", "reject"):
        raise InvalidInput(_l("Choose whether to accept or reject the proposal."), field="decision")
    answer = _clean_text(answer, "answer", maximum=ANSWER_MAX)
    if decision == "reject":
        if not answer:
            raise InvalidInput(_l("Write a public answer explaining the rejection."), field="answer")
        set_status(actor, proposal, Status.REJECTED, answer)
        return
    cost = parse_cost(final_cost, field="final_cost")
    if cost is not None and cost != proposal.cost_grosze:
        _set_final_cost(actor, proposal, cost)
    set_status(actor, proposal, Status.ACCEPTED, answer or None)


def _set_final_cost(actor: User, proposal: Proposal, cost: int) -> None:
    """The moderator's final cost is a new version of the proposal, written by the moderator: the
    version it replaces is kept (so the comparison of versions shows who changed the cost), and the
    timeline says who set it and when. The caller commits."""
    number = _next_revision_number(proposal)
    db.session.add(ProposalRevision(proposal_id=proposal.id, number=number, editor_id=actor.id,
                                    **_snapshot_fields(proposal)))
    db.session.add(ProposalEvent(proposal_id=proposal.id, actor_id=actor.id, kind="cost",
                                 note=str(cost)))
    record(actor, "proposal.final_cost", proposal, old=proposal.cost_grosze, new=cost)
    proposal.cost_grosze = cost


# --- pledges --------------------------------------------------------------------------------------


def add_pledge(actor: User, proposal: Proposal, kind: str, note: str = "") -> Pledge:
    require(permissions.can_pledge(actor, proposal))
    if kind not in {k.value for k in PledgeKind}:
        raise InvalidInput(_l("Choose how you want to help."), field="kind")
    note = " ".join(_clean_text(note, "note", maximum=NOTE_MAX).split())
    if kind == PledgeKind.RESOURCES and not note:
        raise InvalidInput(_l("Say what you can provide."), field="note")
    duplicate = Conflict(_l("You have already made this pledge."), field="kind")
    exists = db.session.scalar(sa.select(Pledge.id).where(
        Pledge.proposal_id == proposal.id, Pledge.user_id == actor.id, Pledge.kind == kind))
    if exists:
        raise duplicate
    pledge = Pledge(proposal_id=proposal.id, user_id=actor.id, kind=kind, note=note)
    try:
        with db.session.begin_nested():
            db.session.add(pledge)
    except IntegrityError as error:  # a parallel request made the same pledge first
        raise duplicate from error
    db.session.execute(
        sa.update(Proposal).where(Proposal.id == proposal.id)
        .values(pledge_count=Proposal.pledge_count + 1)
    )
    follow(actor, "proposal", proposal.id)
    db.session.commit()
    return pledge


def withdraw_pledge(actor: User | None, proposal: Proposal, pledge_id: int) -> None:
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise NotAllowed(_l("Sign in first."))
    owner = db.session.scalar(sa.select(Pledge.user_id).where(
        Pledge.id == pledge_id, Pledge.proposal_id == proposal.id))
    if owner is None:
        raise Conflict(_l("This pledge has already been withdrawn."))
    if owner != actor.id:
        raise NotAllowed(_l("You can only withdraw your own pledges."))
    deleted = rowcount(db.session.execute(
        sa.delete(Pledge).where(Pledge.id == pledge_id, Pledge.user_id == actor.id)
    ))
    if deleted != 1:
        db.session.rollback()
        raise Conflict(_l("This pledge has already been withdrawn."))
    db.session.execute(
        sa.update(Proposal).where(Proposal.id == proposal.id, Proposal.pledge_count > 0)
        .values(pledge_count=Proposal.pledge_count - 1)
    )
    db.session.commit()


# --- categories -----------------------------------------------------------------------------------


def _category_names(name: str, name_en: str) -> tuple[str, str | None]:
    name = " ".join(_clean_text(name, "name", maximum=CATEGORY_MAX, minimum=2).split())
    english = " ".join(_clean_text(name_en, "name_en", maximum=CATEGORY_MAX).split()) or None
    return name, english


def _name_taken(name: str, except_id: int | None = None) -> bool:
    query = sa.select(Category.id).where(sa.func.lower(Category.name) == name.lower())
    if except_id is not None:
        query = query.where(Category.id != except_id)
    return db.session.scalar(query) is not None


def _save_category(category: Category) -> None:
    try:
        with db.session.begin_nested():
            db.session.add(category)
    except IntegrityError as error:
        raise Conflict(_l("A category with this name already exists."), field="name") from error


def create_category(actor: User, name: str, name_en: str = "") -> Category:
    require(permissions.can_manage_categories(actor))
    name, english = _category_names(name, name_en)
    if _name_taken(name):
        raise Conflict(_l("A category with this name already exists."), field="name")
    position = (db.session.scalar(sa.select(sa.func.max(Category.position))) or 0) + 1
    category = Category(name=name, name_en=english, position=position, active=True)
    _save_category(category)
    record(actor, "category.created", category, name=name)
    db.session.commit()
    return category


def rename_category(actor: User, category: Category, name: str, name_en: str = "") -> None:
    require(permissions.can_manage_categories(actor))
    name, english = _category_names(name, name_en)
    if _name_taken(name, except_id=category.id):
        raise Conflict(_l("A category with this name already exists."), field="name")
    if (name, english) == (category.name, category.name_en):
        return
    old = category.name
    category.name, category.name_en = name, english
    _save_category(category)
    record(actor, "category.renamed", category, old=old, new=name)
    db.session.commit()


def move_category(actor: User, category: Category, direction: str) -> None:
    require(permissions.can_manage_categories(actor))
    if direction not in ("up", "down"):
        raise InvalidInput(_l("Choose up or down."))
    ordered = list(db.session.scalars(sa.select(Category).order_by(Category.position, Category.id)))
    index = ordered.index(category)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(ordered):
        return
    ordered[index], ordered[other] = ordered[other], ordered[index]
    for position, item in enumerate(ordered, start=1):
        item.position = position
    record(actor, "category.moved", category, direction=direction)
    db.session.commit()


def set_category_active(actor: User, category: Category, active: bool) -> None:
    require(permissions.can_manage_categories(actor))
    if category.active == active:
        return
    category.active = active
    record(actor, "category.activated" if active else "category.deactivated", category)
    db.session.commit()
