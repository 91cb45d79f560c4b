"""E-mails sent later, by cron: what was held back to be sent together (``flask notifications send``)
and the weekly digest (``flask notifications digest``). Each person's e-mail is its own transaction, so
a run that stops half-way never sends anyone the same news twice."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.auth.models import User
from app.db import db, rowcount, utcnow
from app.notifications.choices import choices_for
from app.notifications.events import DIGEST_LIST
from app.notifications.models import Choice, DigestSent, Notification, Pending
from app.notifications.services import absolute
from app.notifications.unsubscribing import Unsubscription, unsubscribe_headers
from app.outbox.services import queue_email
from app.urls import external_url

# A weekly digest is not sent again within this time (cron may run late or twice).
DIGEST_INTERVAL = timedelta(days=6)


def send_held(now: datetime | None = None) -> int:
    """`flask notifications send` (cron, every few minutes): one e-mail per person with everything held
    back for them (a lively discussion, a round's many voters). A choice changed meanwhile is honoured."""
    now = now or utcnow()
    sent = 0
    for person, items, choices in _claimed(_pending(Pending.SOON), Pending.SOON):
        wanted = []
        for item in items:
            choice = choices[item.category] if person.email else Choice.NEVER
            item.email_pending = Pending.DIGEST if choice == Choice.DIGEST else None
            if choice == Choice.IMMEDIATE:
                item.emailed_at = now
                wanted.append(item)
        if wanted:
            _send_list(person, wanted, _l("News from MAM Na Kozłówce"), wanted[0].category
                       if len({item.category for item in wanted}) == 1 else DIGEST_LIST)
            sent += 1
        db.session.commit()
    return sent


def send_digests(now: datetime | None = None) -> int:
    """`flask notifications digest` (cron, weekly): one e-mail per person with what is new for them since
    their last digest; nothing to someone with nothing new, nor twice within six days."""
    now = now or utcnow()
    grouped = _pending(Pending.DIGEST)
    last = dict(db.session.execute(sa.select(DigestSent.user_id, DigestSent.sent_at).where(
        DigestSent.user_id.in_(list(grouped)))).all()) if grouped else {}
    grouped = {uid: items for uid, items in grouped.items()
               if uid not in last or last[uid] <= now - DIGEST_INTERVAL}
    sent = 0
    for person, items, choices in _claimed(grouped, Pending.DIGEST):
        wanted = [item for item in items if person.email and choices[item.category] != Choice.NEVER]
        for item in items:
            item.email_pending = None
            if item in wanted:
                item.emailed_at = now
        if wanted:
            _send_list(person, wanted, _l("Your weekly news from MAM Na Kozłówce"), DIGEST_LIST)
            if person.id in last:
                db.session.execute(
                    sa.update(DigestSent).where(DigestSent.user_id == person.id).values(sent_at=now))
            else:
                db.session.add(DigestSent(user_id=person.id, sent_at=now))
            sent += 1
        db.session.commit()
    return sent


def _pending(kind: str) -> dict[int, list[Notification]]:
    query = (sa.select(Notification).where(Notification.email_pending == kind)
             .order_by(Notification.user_id, Notification.id))
    grouped: dict[int, list[Notification]] = {}
    for notification in db.session.scalars(query):
        grouped.setdefault(notification.user_id, []).append(notification)
    return grouped


def _claimed(grouped: dict[int, list[Notification]],
             kind: str) -> Iterator[tuple[User, list[Notification], dict[str, str]]]:
    """Each person whose waiting notifications this run took (see ``_claim``), with their e-mail
    choices; the caller commits after each."""
    if not grouped:
        return
    people = _people(grouped)
    choices = choices_for(grouped)
    for uid, items in grouped.items():
        if _claim(items, kind):
            yield people[uid], items, choices[uid]


def _people(user_ids: Iterable[int]) -> dict[int, User]:
    return {user.id: user for user in db.session.scalars(sa.select(User).where(User.id.in_(list(user_ids))))}


def _claim(items: list[Notification], kind: str) -> bool:
    """Take a person's waiting notifications for this run, in one UPDATE: when cron runs on several
    servers at once, the one that took them first sends them and the others leave them alone. A partial
    take is undone by its own savepoint, nothing else."""
    ids = [item.id for item in items]
    savepoint = db.session.begin_nested()
    claimed = rowcount(db.session.execute(
        sa.update(Notification).where(Notification.id.in_(ids), Notification.email_pending == kind)
        .values(email_pending=None).execution_options(synchronize_session=False)))
    if claimed != len(ids):
        savepoint.rollback()
        return False
    savepoint.commit()
    return True


def _send_list(person: User, items: list[Notification], subject: object, list_name: str) -> None:
    url, headers = unsubscribe_headers(person, list_name)
    queue_email(
        person.email, subject, "notifications/email/digest.txt", person.locale, recipient_id=person.id,
        headers=headers, user=person, items=items, links=[absolute(item.link) for item in items],
        unsubscribe_url=url, settings_url=external_url("notifications.settings"),
        list_label=Unsubscription(person, list_name).label,
    )
