"""Tell people what changed for them: in the app always, by e-mail as each person chose.

Features call ``notify`` inside their own transaction, next to their audit event (it only adds and
flushes; the feature commits). E-mail goes through the outbox: at once, held back to be sent together
(``flask notifications send``), or in the weekly digest (``flask notifications digest``). A person
without an address is never e-mailed: their notifications stay in the app, and what they chose to get
at once is also kept in the outbox, unsent, for their account page and the front desk (as every
message to them is).

Each person's e-mail choices are in ``choices``, one-click unsubscribing in ``unsubscribing``, and the
e-mails cron sends later in ``sending``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

import sqlalchemy as sa
from flask import current_app, has_request_context, url_for
from flask_babel import LazyString
from sqlalchemy.exc import IntegrityError

from app.auth.models import User
from app.db import db, rowcount, utcnow
from app.errors import NotFound
from app.notifications import subjects
from app.notifications.choices import choices_for
from app.notifications.events import CATEGORIES, message
from app.notifications.models import Choice, DigestSent, EmailChoice, Follow, Notification, Pending
from app.notifications.permissions import require_signed_in
from app.notifications.unsubscribing import unsubscribe_headers
from app.outbox.services import queue_email
from app.permissions import signed_in
from app.urls import external_url

# Further e-mails about one subject within this time are held back and sent together.
COALESCE = timedelta(hours=1)


@dataclass
class Mail:
    """A feature's own e-mail for an event (its subject line, plain-text template and context)."""

    subject: object
    template: str
    context: dict[str, Any] = field(default_factory=dict)


def path_for(endpoint: str, **values: Any) -> str:
    """The path of a page, also outside a request (the CLI)."""
    if has_request_context():
        return url_for(endpoint, **values)
    with current_app.test_request_context(base_url=current_app.config["BASE_URL"] or "http://localhost"):
        return url_for(endpoint, **values)


def local_path(url: str) -> str:
    """The path (with query and anchor) of an absolute address of ours, such as ``external_url`` gives."""
    parts = urlsplit(url)
    return urlunsplit(("", "", parts.path or "/", parts.query, parts.fragment))


def absolute(path: str) -> str:
    return urljoin((current_app.config["BASE_URL"] or "http://localhost") + "/", path)


# --- notify -------------------------------------------------------------------------------------------


def notify(recipients: Iterable[User], event: str, *, category: str, subject_kind: str, subject_id: int,
           title: str, link: str, detail: str | None = None, actor: User | None = None,
           mail: Mail | None = None, exclude: Iterable[int] = (), bulk: bool = False,
           once: bool = False) -> set[int]:
    """Tell each recipient (once, never the actor) about ``event`` on the subject; returns their ids.

    ``mail`` is the feature's own e-mail for those who want one at once (a generic one otherwise);
    ``bulk`` holds every e-mail back for ``flask notifications send`` (many recipients: a request
    must not wait for hundreds of e-mails); ``once`` skips people already told about this event on
    this subject (reminders run by cron)."""
    if category not in CATEGORIES:
        raise ValueError(f"unknown notification category {category!r}")
    skip = set(exclude)
    if actor is not None and getattr(actor, "id", None) is not None:
        skip.add(actor.id)
    people: dict[int, User] = {}
    for person in recipients:
        if person is not None and person.id not in skip and person.id not in people:
            people[person.id] = person
    if once and people:
        told = set(db.session.scalars(sa.select(Notification.user_id).where(
            Notification.event == event, Notification.subject_kind == subject_kind,
            Notification.subject_id == subject_id, Notification.user_id.in_(list(people)))))
        people = {uid: person for uid, person in people.items() if uid not in told}
    if not people:
        return set()
    choices = choices_for(people)
    recent = set()
    if category == "discussion" and not bulk:  # a lively thread: one e-mail, then the rest together
        recent = set(db.session.scalars(sa.select(Notification.user_id).where(
            Notification.user_id.in_(list(people)), Notification.subject_kind == subject_kind,
            Notification.subject_id == subject_id, Notification.category == category,
            sa.or_(Notification.emailed_at > utcnow() - COALESCE,
                   Notification.email_pending == Pending.SOON))))
    now = utcnow()
    actor_name = getattr(actor, "display_name", None)
    for uid, person in people.items():
        choice = choices[uid][category]
        notification = Notification(
            user_id=uid, event=event, category=category, subject_kind=subject_kind, subject_id=subject_id,
            subject_title=(title or "")[:200], link=link[:500], detail=detail or None,
            actor_name=(actor_name or None) and actor_name[:80], created_at=now,
        )
        if not person.email:
            # No address: nothing is e-mailed. What they chose to get at once about them alone is also
            # kept in the outbox, unsent, for their account page and the front desk.
            if choice == Choice.IMMEDIATE and not bulk:
                _send_now(person, notification, mail)
        elif choice == Choice.DIGEST:
            notification.email_pending = Pending.DIGEST
        elif choice == Choice.IMMEDIATE and (bulk or uid in recent):
            notification.email_pending = Pending.SOON
        elif choice == Choice.IMMEDIATE:
            notification.emailed_at = now
            _send_now(person, notification, mail)
        db.session.add(notification)
    db.session.flush()
    return set(people)


def _send_now(person: User, notification: Notification, mail: Mail | None) -> None:
    url, headers = unsubscribe_headers(person, notification.category) if person.email else (None, None)
    subject = mail.subject if mail else LazyString(
        message, notification.event, notification.subject_title, notification.actor_name)
    context = dict(mail.context) if mail else {}
    context.update(user=person, person=person)
    queue_email(
        person.email, subject, "notifications/email/immediate.txt", person.locale, recipient_id=person.id,
        headers=headers, body_template=mail.template if mail else None, notification=notification,
        link=context.pop("link", None) or absolute(notification.link), unsubscribe_url=url,
        category=CATEGORIES[notification.category], settings_url=external_url("notifications.settings"),
        **context,
    )


# --- follows ------------------------------------------------------------------------------------------


def follow(user: User | None, subject_kind: str, subject_id: int) -> None:
    """Follow a subject (the caller commits); following twice changes nothing."""
    if user is None or getattr(user, "id", None) is None:
        return
    exists = db.session.scalar(sa.select(Follow.id).where(
        Follow.user_id == user.id, Follow.subject_kind == subject_kind, Follow.subject_id == subject_id))
    if exists:
        return
    try:
        with db.session.begin_nested():
            db.session.add(Follow(user_id=user.id, subject_kind=subject_kind, subject_id=subject_id))
    except IntegrityError:  # a parallel request followed first
        pass


def _followable(subject_kind: str, subject_id: int) -> None:
    if subjects.describe(subject_kind, subject_id) is None:
        raise NotFound()


def start_following(actor: User, subject_kind: str, subject_id: int) -> None:
    require_signed_in(actor)
    _followable(subject_kind, subject_id)
    follow(actor, subject_kind, subject_id)
    db.session.commit()


def stop_following(actor: User, subject_kind: str, subject_id: int) -> None:
    require_signed_in(actor)
    if subject_kind not in subjects.FOLLOWABLE:
        raise NotFound()
    db.session.execute(sa.delete(Follow).where(
        Follow.user_id == actor.id, Follow.subject_kind == subject_kind, Follow.subject_id == subject_id))
    db.session.commit()


def is_following(user: User | None, subject_kind: str, subject_id: int) -> bool:
    if user is None or not signed_in(user):
        return False
    return db.session.scalar(sa.select(Follow.id).where(
        Follow.user_id == user.id, Follow.subject_kind == subject_kind,
        Follow.subject_id == subject_id)) is not None


def followers(subject_kind: str, subject_id: int) -> list[User]:
    return list(db.session.scalars(
        sa.select(User).join(Follow, Follow.user_id == User.id)
        .where(Follow.subject_kind == subject_kind, Follow.subject_id == subject_id)
        .order_by(User.id)))


@dataclass(frozen=True)
class Followed:
    kind: str
    id: int
    title: str
    link: str


def followed_by(user: User | None) -> list[Followed]:
    """What a person follows and can still see, newest first (a fixed number of queries)."""
    if user is None or not signed_in(user):
        return []
    rows = db.session.execute(
        sa.select(Follow.subject_kind, Follow.subject_id).where(Follow.user_id == user.id)
        .order_by(Follow.created_at.desc(), Follow.id.desc())).all()
    by_kind: dict[str, list[int]] = {}
    for kind, subject_id in rows:
        by_kind.setdefault(kind, []).append(subject_id)
    shown = {kind: subjects.resolve(kind, ids) for kind, ids in by_kind.items()}
    return [Followed(kind, subject_id, *shown[kind][subject_id])
            for kind, subject_id in rows if subject_id in shown.get(kind, {})]


# --- reading ------------------------------------------------------------------------------------------


def notifications_of(user: User) -> sa.Select[Notification]:
    return (sa.select(Notification).where(Notification.user_id == user.id)
            .order_by(Notification.id.desc()))


# The header's count, on every page of someone signed in: built once (building it costs what running it does).
_UNREAD = sa.select(sa.func.count()).select_from(Notification).where(
    Notification.user_id == sa.bindparam("user_id"), Notification.read_at.is_(None))


def unread_count(user: User | None) -> int:
    if user is None or not signed_in(user):
        return 0
    return db.session.scalar(_UNREAD, {"user_id": user.id}) or 0


def _own(actor: User, notification_id: int) -> Notification:
    require_signed_in(actor)
    notification = db.session.get(Notification, notification_id)
    if notification is None or notification.user_id != actor.id:
        raise NotFound()
    return notification


def open_notification(actor: User, notification_id: int) -> str:
    """Mark one notification read; returns the address of its subject."""
    notification = _own(actor, notification_id)
    if notification.read_at is None:
        notification.read_at = utcnow()
    db.session.commit()
    return notification.link


def mark_read(actor: User, notification_id: int) -> None:
    notification = _own(actor, notification_id)
    if notification.read_at is None:
        notification.read_at = utcnow()
    db.session.commit()


def mark_all_read(actor: User) -> int:
    require_signed_in(actor)
    changed = rowcount(db.session.execute(
        sa.update(Notification).where(Notification.user_id == actor.id, Notification.read_at.is_(None))
        .values(read_at=utcnow()).execution_options(synchronize_session=False)))
    db.session.commit()
    return changed


# --- personal data --------------------------------------------------------------------------------------


def personal_data(user_id: int) -> dict[str, Any]:
    """What notifications keep about a person, for their personal-data export."""
    notifications = db.session.scalars(sa.select(Notification).where(Notification.user_id == user_id)
                                       .order_by(Notification.id))
    return {
        "notifications": [
            {"event": n.event, "subject": f"{n.subject_kind}:{n.subject_id}", "title": n.subject_title,
             "detail": n.detail, "created_at": n.created_at.isoformat(),
             "read_at": n.read_at.isoformat() if n.read_at else None}
            for n in notifications
        ],
        "follows": [f"{kind}:{subject_id}" for kind, subject_id in db.session.execute(
            sa.select(Follow.subject_kind, Follow.subject_id).where(Follow.user_id == user_id)
            .order_by(Follow.id))],
        "email_choices": choices_for([user_id])[user_id],
    }


def forget(user_id: int, name: str | None) -> None:
    """An account is deleted: its notifications, follows and choices go, and others' notifications no
    longer name the person (the caller commits)."""
    for model in (Notification, Follow, EmailChoice, DigestSent):
        db.session.execute(sa.delete(model).where(model.user_id == user_id))
    if name:
        db.session.execute(sa.update(Notification).where(Notification.actor_name == name[:80])
                           .values(actor_name=None).execution_options(synchronize_session=False))
