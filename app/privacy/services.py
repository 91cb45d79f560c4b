"""What the platform knows about one person, and forgetting it.

Deleting an account anonymises it in place rather than removing the row: the audit log is hash-chained
over actor ids, so the id must stay, but nothing personal stays with it. Public contributions (submitted
proposals, comments) remain, signed "deleted account"; votes remain in their rounds so no tally
changes; pledges and sign-ups (promises of the person's own time) are removed, and the places they free go to
the waiting lists.
"""

from __future__ import annotations

import secrets
from datetime import date
from typing import Any

import sqlalchemy as sa
from flask_babel import force_locale, gettext
from flask_babel import lazy_gettext as _l

from app.activities.models import Activity, RoomRequest, Signup
from app.activities.services.signups import withdraw_everywhere
from app.audit.services import record
from app.auth.former import DELETED_DOMAIN, is_former
from app.auth.models import ResidencyCode, Role, User
from app.auth.passwords import verify_password
from app.db import db, utcnow
from app.discussion.models import Comment, Flag
from app.errors import Conflict, InvalidInput
from app.i18n import babel_locale
from app.media.services import delete_pictures_of, forget_uploader, personal_pictures
from app.news.models import NewsPost
from app.notifications.services import forget as forget_notifications
from app.notifications.services import personal_data as notifications_data
from app.outbox.models import OutboxMessage
from app.permissions import ALLOW, Decision, deny, require, signed_in
from app.proposals.models import Pledge, Proposal, ProposalEvent, ProposalRevision, Status
from app.residents.models import SignInCode
from app.urls import external_url
from app.votes.models import Ballot, Participation

FORMER_NAME = "—"


def can_manage_own_data(actor: User | None) -> Decision:
    if not signed_in(actor) or is_former(actor):
        return deny(_l("Sign in to manage your personal data."))
    return ALLOW


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _secret_ballots_note(locale: str) -> str:
    """The export's note, in the person's language (the file may be read long after, outside the site)."""
    with force_locale(babel_locale(locale or "pl")):
        return gettext(
            "Ballots of secret rounds are stored without any link to the voter, so they cannot be part of "
            "this export."
        )


def personal_data(actor: User) -> dict[str, Any]:
    """Everything stored about ``actor`` (and only about them), as a JSON-ready document."""
    require(can_manage_own_data(actor))
    uid = actor.id
    s = db.session
    proposals = s.scalars(sa.select(Proposal).where(Proposal.author_id == uid).order_by(Proposal.id)).all()
    own_ids = [p.id for p in proposals]
    revisions = (
        s.scalars(
            sa.select(ProposalRevision)
            .where(ProposalRevision.proposal_id.in_(own_ids))
            .order_by(ProposalRevision.proposal_id, ProposalRevision.number)
        ).all()
        if own_ids
        else []
    )
    signups = s.execute(
        sa.select(Signup, Activity.title)
        .join(Activity, Signup.activity_id == Activity.id)
        .where(Signup.user_id == uid)
        .order_by(Signup.id)
    ).all()
    return {
        "format": "MAM personal data export, version 1",
        "exported_at": _iso(utcnow()),
        "profile": {
            "id": actor.id,
            "email": actor.email,
            "building": actor.building,
            "staircase": actor.staircase,
            "flat": actor.flat,
            "phone": actor.phone,
            "display_name": actor.display_name,
            "role": actor.role,
            "locale": actor.locale,
            "created_at": _iso(actor.created_at),
            "email_verified_at": _iso(actor.email_verified_at),
            "resident_verified_at": _iso(actor.resident_verified_at),
            "resident_verification_method": actor.resident_verification_method,
            "has_calendar_feed": actor.calendar_token is not None,
        },
        "proposals": [
            {
                "id": p.id,
                "round_id": p.round_id,
                "title": p.title,
                "body": p.body,
                "needs": p.needs,
                "cost_grosze": p.cost_grosze,
                "status": p.status,
                "moderator_answer": p.moderator_answer,
                "created_at": _iso(p.created_at),
                "submitted_at": _iso(p.submitted_at),
                "updated_at": _iso(p.updated_at),
            }
            for p in proposals
        ],
        "proposal_revisions": [
            {
                "proposal_id": r.proposal_id,
                "number": r.number,
                "title": r.title,
                "body": r.body,
                "needs": r.needs,
                "cost_grosze": r.cost_grosze,
                "created_at": _iso(r.created_at),
            }
            for r in revisions
        ],
        "comments": [
            {
                "id": c.id,
                "proposal_id": c.proposal_id,
                "parent_id": c.parent_id,
                "body": c.body,
                "state": c.state,
                "created_at": _iso(c.created_at),
                "edited_at": _iso(c.edited_at),
            }
            for c in s.scalars(sa.select(Comment).where(Comment.author_id == uid).order_by(Comment.id))
        ],
        "flags": [
            {
                "id": f.id,
                "comment_id": f.comment_id,
                "proposal_id": f.proposal_id,
                "reason": f.reason,
                "created_at": _iso(f.created_at),
                "resolution": f.resolution,
            }
            for f in s.scalars(sa.select(Flag).where(Flag.reporter_id == uid).order_by(Flag.id))
        ],
        "pledges": [
            {
                "id": p.id,
                "proposal_id": p.proposal_id,
                "kind": p.kind,
                "note": p.note,
                "created_at": _iso(p.created_at),
            }
            for p in s.scalars(sa.select(Pledge).where(Pledge.user_id == uid).order_by(Pledge.id))
        ],
        "signups": [
            {
                "id": su.id,
                "activity_id": su.activity_id,
                "activity": title,
                "role": su.role.name if su.role else None,
                "status": su.status,
                "created_at": _iso(su.created_at),
                "cancelled_at": _iso(su.cancelled_at),
            }
            for su, title in signups
        ],
        "room_requests": [
            {
                "id": r.id,
                "title": r.title,
                "organisation": r.organisation,
                "description": r.description,
                "starts_at": _iso(r.starts_at),
                "ends_at": _iso(r.ends_at),
                "status": r.status,
                "created_at": _iso(r.created_at),
            }
            for r in s.scalars(
                sa.select(RoomRequest).where(RoomRequest.requester_id == uid).order_by(RoomRequest.id)
            )
        ],
        "participation": [
            {"round_id": p.round_id, "channel": p.channel, "voted_at": _iso(p.voted_at)}
            for p in s.scalars(
                sa.select(Participation).where(Participation.user_id == uid).order_by(Participation.round_id)
            )
        ],
        # Only public rounds keep a ballot with its voter; a secret ballot cannot be linked to anyone.
        "public_ballots": [
            {"round_id": round_id, "choices": choices}
            for round_id, choices in s.execute(
                sa.select(Ballot.round_id, Ballot.choices)
                .where(Ballot.user_id == uid)
                .order_by(Ballot.round_id)
            )
        ],
        "secret_ballots_note": _secret_ballots_note(actor.locale),
        **notifications_data(uid),
        # The pictures the person added (the stored, cleaned files: the uploads themselves are not kept).
        "pictures": personal_pictures(uid, lambda name: external_url("media.file", name=name)),
    }


def _remaining_admins(actor: User) -> int:
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(User).where(User.role == Role.ADMIN, User.id != actor.id)
    ) or 0


def delete_account(actor: User, password: str) -> None:
    """Anonymise ``actor``'s account after checking the password; the caller signs them out."""
    require(can_manage_own_data(actor))
    if not verify_password(actor.password_hash, password or ""):
        raise InvalidInput(_l("The password is not correct."), field="password")
    if actor.role == Role.ADMIN and not _remaining_admins(actor):
        raise Conflict(
            _l(
                "You are the only administrator. Give another person the administrator role "
                "before deleting your account."
            )
        )
    uid = actor.id
    s = db.session
    email = actor.email

    # Sign-ups go first: freeing places locks those activities, which must precede any other write here.
    # The first people waiting take the places (and are e-mailed), in this same transaction.
    withdraw_everywhere(uid)

    # Promises of the person's own time go; the counters on proposals follow.
    pledged = set(s.scalars(sa.select(Pledge.proposal_id).where(Pledge.user_id == uid)))
    s.execute(sa.delete(Pledge).where(Pledge.user_id == uid))
    if pledged:
        s.execute(
            sa.update(Proposal)
            .where(Proposal.id.in_(pledged))
            .values(
                pledge_count=sa.select(sa.func.count())
                .where(Pledge.proposal_id == Proposal.id)
                .scalar_subquery()
            )
        )

    # Drafts were never published: they go, with their pictures. Published proposals and comments stay,
    # without an author; the pictures the person added to proposals go (they may show them, their home),
    # those added for the centre (news, activities, places) stay, no longer linked to them.
    drafts = list(s.scalars(sa.select(Proposal.id).where(Proposal.author_id == uid,
                                                         Proposal.status == Status.DRAFT)))
    delete_pictures_of("proposal", drafts)
    forget_uploader(uid)
    s.execute(sa.delete(Proposal).where(Proposal.author_id == uid, Proposal.status == Status.DRAFT))
    s.execute(sa.update(Proposal).where(Proposal.author_id == uid).values(author_id=None))
    s.execute(sa.update(ProposalRevision).where(ProposalRevision.editor_id == uid).values(editor_id=None))
    s.execute(sa.update(ProposalEvent).where(ProposalEvent.actor_id == uid).values(actor_id=None))
    s.execute(sa.update(Comment).where(Comment.author_id == uid).values(author_id=None))
    s.execute(sa.update(Flag).where(Flag.reporter_id == uid).values(reporter_id=None))
    s.execute(sa.update(RoomRequest).where(RoomRequest.requester_id == uid).values(requester_id=None))
    s.execute(sa.update(Activity).where(Activity.coordinator_id == uid).values(coordinator_id=None))
    s.execute(sa.update(NewsPost).where(NewsPost.author_id == uid).values(author_id=None))
    s.execute(sa.update(ResidencyCode).where(ResidencyCode.redeemed_by_id == uid).values(redeemed_by_id=None))

    # Votes stay counted, no longer linked to the person. In rounds still voting, the participation keeps
    # its identity hash (not personal data without the secret key) until closing, so a new account of
    # the same person cannot vote there again.
    s.execute(sa.update(Participation).where(Participation.user_id == uid).values(user_id=None))
    s.execute(sa.update(Ballot).where(Ballot.user_id == uid).values(user_id=None))

    # E-mails addressed to them go; e-mails to others that name them (e.g. "X commented") lose the name.
    s.execute(sa.delete(OutboxMessage).where(
        sa.or_(OutboxMessage.recipient_id == uid, OutboxMessage.recipient == email)
    ))
    s.execute(sa.delete(SignInCode).where(SignInCode.user_id == uid))
    name = actor.display_name
    forget_notifications(uid, name)
    if len(name) >= 4:
        for message in s.scalars(
            sa.select(OutboxMessage).where(
                sa.or_(
                    OutboxMessage.body.contains(name, autoescape=True),
                    OutboxMessage.subject.contains(name, autoescape=True),
                )
            )
        ):
            message.body = message.body.replace(name, FORMER_NAME)
            message.subject = message.subject.replace(name, FORMER_NAME)

    actor.email = f"deleted-{uid}-{secrets.token_hex(8)}@{DELETED_DOMAIN}"
    actor.display_name = ""
    actor.password_hash = ""
    actor.role = Role.RESIDENT
    actor.email_verified_at = None
    actor.resident_verified_at = None
    actor.resident_verified_by_id = None
    actor.resident_verification_method = None
    actor.calendar_token = None
    actor.end_sessions()
    actor.building = actor.staircase = actor.flat = actor.phone = None
    record(actor, "account.deleted", actor)
    s.commit()
