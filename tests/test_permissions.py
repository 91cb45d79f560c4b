"""Every route × every role: who gets in, who is sent to sign in, who is refused, and that a refused
request writes nothing.

``CASES`` is the one table of expectations. ``test_every_route_is_in_the_table`` fails when a route is
added to the app without a row here, so each new route gets its permissions decided explicitly.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.auth import tokens
from app.auth.models import ResidencyCode, Role, User
from app.outbox.models import OutboxMessage
from app.residents.models import SignInCode
from tests.activities import route_cases as ac
from tests.discussion import route_cases as dc
from tests.exports import route_cases as xc
from tests.factories import PASSWORD
from tests.media import route_cases as mc
from tests.news import route_cases as nc
from tests.notifications import route_cases as notc
from tests.proposals import route_cases as pc
from tests.rounds import route_cases as rc

ROLES = ("anonymous", "unverified", "resident", "moderator", "steering", "admin")
SIGN_IN = 302  # Flask-Login's redirect to /login
MISSING_USER_ID = 987_654

TABLES = {
    "users": User.__table__,
    "residency_codes": ResidencyCode.__table__,
    "audit_events": AuditEvent.__table__,
    "outbox_messages": OutboxMessage.__table__,
    "sign_in_codes": SignInCode.__table__,
    **pc.TABLES,
    **dc.TABLES,
    **nc.TABLES,
    **rc.TABLES,
    **ac.TABLES,
    **notc.TABLES,
    **mc.TABLES,
}

# Polish texts a user sees.
ACCESS_DENIED = "Brak dostępu"
ONLY_MODERATORS = "Tylko moderatorzy mogą weryfikować mieszkańców."
ONLY_ADMINS_ROLES = "Tylko administratorzy mogą zmieniać role."
ONLY_FRONT_DESK = "Tylko moderatorzy mogą rejestrować mieszkańców w punkcie obsługi."
ONLY_ADMINS_AUDIT = "Tylko administratorzy mogą czytać dziennik zdarzeń."
ONLY_ADMINS_CENTRE = "Tylko administratorzy mogą zmieniać dane centrum."
ONLY_DESK = "Z pulpitu moderacji korzystają tylko moderatorzy i administratorzy."
ALREADY_RESIDENT = "Twoje zamieszkanie jest już zweryfikowane."
ALREADY_SET_UP = "Platforma jest już skonfigurowana. Zaloguj się jako administrator."
BAD_LINK = "Ten link jest nieprawidłowy."
REQUIRED = "To pole jest wymagane."


def everyone(status: int) -> dict[str, int]:
    return dict.fromkeys(ROLES, status)


def visitors(anonymous: int, signed_in: int) -> dict[str, int]:
    return {role: anonymous if role == "anonymous" else signed_in for role in ROLES}


def signed_in(status: int) -> dict[str, int]:
    return visitors(SIGN_IN, status)


def staff(status: int) -> dict[str, int]:
    """Moderators and administrators."""
    return {**signed_in(403), "moderator": status, "admin": status}


def verified(status: int) -> dict[str, int]:
    """Verified residents, whatever their role (the unverified account is refused)."""
    return {**signed_in(status), "unverified": 403}


def admins(status: int) -> dict[str, int]:
    return {**signed_in(403), "admin": status}


def not_admin(status: int) -> dict[str, int]:
    """The setup link: it works until an administrator exists (the admin role's own account)."""
    return {**everyone(status), "admin": 403}


@dataclass(frozen=True)
class Case:
    rule: str
    method: str
    expected: dict[str, int]
    label: str = ""
    data: dict[str, str] = field(default_factory=dict)
    target: str | None = None  # "unverified" / "resident": the user a /residents/<id>/… route acts on
    token: str | None = None  # "bad" or "setup" for the <token> placeholder
    # Builds the rows the route acts on, given (session, users, actor); returns the URL placeholders
    # (e.g. {"proposal_id": 5}). Placeholders left unfilled get an id that does not exist.
    subject: Callable | None = None
    denied_text: str = ""  # the reason shown to refused roles, besides "Brak dostępu"
    error_text: str = ""  # what an allowed role sees when the request is rejected (4xx, not 403)
    # For a request that is carried out: checks the change, given the database before and after.
    effect: Callable | None = None
    effect_status: int | None = None

    @property
    def id(self) -> str:
        return f"{self.method} {self.rule}" + (f" [{self.label}]" if self.label else "")


def _verified(ctx, before, after):
    assert ctx.target_row(after).resident_verified_at is not None
    assert ctx.target_row(after).resident_verified_by_id == ctx.actor.id
    assert len(after["audit_events"]) == len(before["audit_events"]) + 1
    assert after["audit_events"][-1].action == "resident.verified_in_person"


def _front_desk_person(session, users, actor):
    return {"user_id": users.front_desk(name="Stanisława Kowalczyk").id}


def _registered_at_front_desk(ctx, before, after):
    [new] = [row for row in after["users"] if row.id not in {r.id for r in before["users"]}]
    assert (new.email, new.flat, new.resident_verified_by_id) == (None, "14", ctx.actor.id)
    assert [e.action for e in after["audit_events"][len(before["audit_events"]):]] == [
        "resident.registered_at_front_desk"]


def _slip_issued(ctx, before, after):
    assert len(after["sign_in_codes"]) == len(before["sign_in_codes"]) + 1
    assert after["sign_in_codes"][-1].user_id == ctx.values["user_id"]
    assert after["audit_events"][-1].action == "resident.sign_in_slip_issued"
    assert SLIP_CODE.search(ctx.html)


SLIP_CODE = re.compile(r'<p class="slip-code"><code>[A-HJ-NP-Z2-9]{5}-[A-HJ-NP-Z2-9]{5}</code></p>')


def _revoked(ctx, before, after):
    assert ctx.target_row(before).resident_verified_at is not None
    assert ctx.target_row(after).resident_verified_at is None
    assert len(after["audit_events"]) == len(before["audit_events"]) + 1
    assert after["audit_events"][-1].action == "resident.verification_revoked"


def _promoted(ctx, before, after):
    assert ctx.target_row(after).role == Role.MODERATOR
    assert after["audit_events"][-1].action == "user.role_changed"
    assert len(after["audit_events"]) == len(before["audit_events"]) + 1


def _codes_printed(ctx, before, after):
    assert len(after["residency_codes"]) == len(before["residency_codes"]) + 2
    assert after["audit_events"][-1].action == "residency_codes.generated"
    new_codes = after["residency_codes"][-2:]
    assert all(code.created_by_id == ctx.actor.id and code.redeemed_at is None for code in new_codes)
    # The page shows the two plain codes once, to print; only their hashes are stored.
    printed = re.findall(r"<code>([A-Z2-9]{5}-[A-Z2-9]{5})</code>", ctx.html)
    assert len(printed) == 2
    stored = {code.code_hash for code in new_codes}
    assert {hashlib.sha256(code.replace("-", "").encode()).hexdigest() for code in printed} == stored


def _admin_created(ctx, before, after):
    [admin] = [row for row in after["users"] if row.role == Role.ADMIN]
    assert admin.email == "nowy.admin@kozlowka.example"
    assert after["audit_events"][-1].action == "admin.created_by_setup_link"


def _signed_out_everywhere(ctx, before, after):
    """The person's session version goes up, and the audit log says so; nothing else changes."""
    assert {row.id: row.session_version for row in after["users"]}[ctx.actor.id] == 2
    assert after["audit_events"][-1].action == "account.signed_out_everywhere"
    assert {**after, "users": [], "audit_events": []} == {**before, "users": [], "audit_events": []}


def _printout_audited(ctx, before, after):
    """Printing a ballot or a poster writes one audit entry for a signed-in person, nothing else."""
    new = after["audit_events"][len(before["audit_events"]):]
    assert [event.action for event in new] == ([] if ctx.actor is None else [new[0].action])
    assert all(event.action in ("export.ballot", "export.poster") for event in new)
    assert {**after, "audit_events": []} == {**before, "audit_events": []}


def _session_ended(ctx, before, after):
    """Signing out raises the person's session version and writes nothing else; a visitor's, nothing."""
    if ctx.actor is None:
        assert after == before
        return
    raised = {row.id: row.session_version for row in after["users"]}
    assert raised[ctx.actor.id] == 2
    assert {**after, "users": []} == {**before, "users": []}


def _nothing_but_locale(ctx, before, after):
    assert before == after  # every test user already speaks Polish


NEW_ADMIN = {
    "email": "Nowy.Admin@Kozlowka.example",
    "display_name": "Nowy Admin",
    "password": "zielona-lampa-nad-rzeka",
    "confirm": "zielona-lampa-nad-rzeka",
    "locale": "pl",
}

CASES = [
    # Public pages and probes.
    Case("/", "GET", everyone(200)),
    Case("/accessibility", "GET", everyone(200)),
    Case("/healthz", "GET", everyone(200)),
    Case("/readyz", "GET", everyone(200)),
    # Accounts. Signed-in users asking for the sign-in or registration pages are sent on.
    Case("/register", "GET", visitors(200, 303)),
    Case("/register", "POST", visitors(422, 303), label="empty",
         data={"email": "", "display_name": "", "password": "", "confirm": ""}, error_text=REQUIRED),
    Case("/verify-email/<token>", "GET", everyone(400), token="bad", error_text=BAD_LINK),
    Case("/account/resend-verification", "POST", signed_in(409),
         error_text="Twój adres e-mail jest już potwierdzony."),
    Case("/login", "GET", visitors(200, 303)),
    Case("/login", "POST", visitors(422, 303), label="empty", data={"email": "", "password": ""},
         error_text=REQUIRED),
    Case("/logout", "POST", everyone(303), effect=_session_ended, effect_status=303),
    Case("/reset-password", "GET", everyone(200)),
    Case("/reset-password", "POST", everyone(422), label="empty", data={"email": ""},
         error_text=REQUIRED),
    Case("/reset-password/<token>", "GET", everyone(400), token="bad", error_text=BAD_LINK),
    Case("/reset-password/<token>", "POST", everyone(400), token="bad", error_text=BAD_LINK,
         data={"password": NEW_ADMIN["password"], "confirm": NEW_ADMIN["password"]}),
    Case("/account", "GET", signed_in(200)),
    Case("/account", "POST", signed_in(422), label="empty", data={"display_name": "", "locale": ""},
         error_text=REQUIRED),
    Case("/account/sign-out-everywhere", "GET", signed_in(200)),
    Case("/account/sign-out-everywhere", "POST", signed_in(303), label="confirmed",
         effect=_signed_out_everywhere, effect_status=303),
    Case("/account/password", "GET", signed_in(200)),
    Case("/account/password", "POST", signed_in(422), label="empty",
         data={"current_password": "", "password": "", "confirm": ""}, error_text=REQUIRED),
    Case("/setup/<token>", "GET", not_admin(400), label="bad token", token="bad",
         denied_text=ALREADY_SET_UP, error_text=BAD_LINK),
    Case("/setup/<token>", "GET", not_admin(200), label="valid token", token="setup",
         denied_text=ALREADY_SET_UP),
    Case("/setup/<token>", "POST", not_admin(422), label="empty", token="setup",
         data={"email": "", "display_name": "", "password": "", "confirm": "", "locale": ""},
         denied_text=ALREADY_SET_UP, error_text=REQUIRED),
    Case("/setup/<token>", "POST", not_admin(303), label="valid", token="setup", data=NEW_ADMIN,
         denied_text=ALREADY_SET_UP, effect=_admin_created, effect_status=303),
    Case("/language", "POST", everyone(422), label="unknown language", data={"lang": "de"},
         error_text="Wybierz jeden z dostępnych języków."),
    Case("/language", "POST", everyone(303), label="Polish", data={"lang": "pl"},
         effect=_nothing_but_locale, effect_status=303),
    # Residents, verification, roles, codes, the audit log.
    Case("/residents", "GET", staff(200), denied_text=ONLY_MODERATORS),
    Case("/residents/<id:user_id>/verify", "POST", staff(303), target="unverified",
         denied_text=ONLY_MODERATORS, effect=_verified, effect_status=303),
    Case("/residents/<id:user_id>/verify", "POST", staff(404), label="no such user",
         denied_text=ONLY_MODERATORS, error_text="Nie znaleźliśmy tej strony."),
    Case("/residents/<id:user_id>/revoke", "POST", staff(303), target="resident",
         denied_text=ONLY_MODERATORS, effect=_revoked, effect_status=303),
    Case("/residents/<id:user_id>/role", "POST", admins(303), label="to moderator",
         target="resident", data={"role": "moderator"}, denied_text=ONLY_ADMINS_ROLES,
         effect=_promoted, effect_status=303),
    Case("/residents/<id:user_id>/role", "POST", admins(422), label="empty", target="resident",
         data={"role": ""}, denied_text=ONLY_ADMINS_ROLES, error_text="Wybierz jedną z ról."),
    Case("/residents/codes", "GET", staff(200), denied_text=ONLY_MODERATORS),
    Case("/residents/codes", "POST", staff(422), label="empty", data={"count": ""},
         denied_text=ONLY_MODERATORS, error_text="Wpisz liczbę."),
    Case("/residents/codes", "POST", staff(200), label="two codes", data={"count": "2"},
         denied_text=ONLY_MODERATORS, effect=_codes_printed, effect_status=200),
    Case("/account/residency-code", "POST",
         {**signed_in(403), "unverified": 422}, label="empty", data={"code": ""},
         denied_text=ALREADY_RESIDENT, error_text=REQUIRED),
    Case("/account/residency-code", "POST",
         {**signed_in(403), "unverified": 422}, label="unknown code", data={"code": "ABCDE-23456"},
         denied_text=ALREADY_RESIDENT, error_text="Ten kod jest nieprawidłowy lub został już użyty."),
    Case("/admin/audit", "GET", admins(200), denied_text=ONLY_ADMINS_AUDIT),
    # The centre's details and the plain-language page about voting.
    Case("/admin/centre", "GET", admins(200), denied_text=ONLY_ADMINS_CENTRE),
    Case("/admin/centre", "POST", admins(422), label="empty", data={"name": ""},
         denied_text=ONLY_ADMINS_CENTRE, error_text=REQUIRED),
    Case("/how-we-vote", "GET", everyone(200)),
    Case("/centre", "GET", everyone(200)),
    # My page, and search (a GET form anyone may use).
    Case("/me", "GET", signed_in(200)),
    Case("/search", "GET", everyone(200)),
    # The moderator's desk (its direct actions in tests/desk/).
    Case("/desk", "GET", staff(200), denied_text=ONLY_DESK),
    Case("/desk/proposals/<id:proposal_id>/review", "POST", staff(422), label="empty",
         subject=pc.public_proposal, denied_text=ONLY_DESK,
         error_text="Wybierz, czy dopuścić, czy odrzucić propozycję."),
    Case("/desk/proposals/<id:proposal_id>/review", "POST", staff(404), label="no such proposal",
         denied_text=ONLY_DESK, error_text=pc.NOT_FOUND),
    # The front desk: residents without e-mail, sign-in slips, signing in with a slip.
    Case("/residents/new", "GET", staff(200), denied_text=ONLY_FRONT_DESK),
    Case("/residents/new", "POST", staff(422), label="empty", data={"display_name": ""},
         denied_text=ONLY_FRONT_DESK, error_text=REQUIRED),
    Case("/residents/new", "POST", staff(303), label="without e-mail",
         data={"display_name": "Stanisława Kowalczyk", "flat": "14"}, denied_text=ONLY_FRONT_DESK,
         effect=_registered_at_front_desk, effect_status=303),
    Case("/residents/<id:user_id>", "GET", staff(200), subject=_front_desk_person,
         denied_text=ONLY_MODERATORS),
    Case("/residents/<id:user_id>", "GET", staff(404), label="no such user", denied_text=ONLY_MODERATORS,
         error_text="Nie znaleźliśmy tej strony."),
    Case("/residents/<id:user_id>/slip", "POST", staff(200), subject=_front_desk_person,
         denied_text=ONLY_FRONT_DESK, effect=_slip_issued, effect_status=200),
    Case("/residents/<id:user_id>/slip.pdf", "POST", staff(422), label="wrong code",
         subject=_front_desk_person, data={"code": "AAAAA-BBBBB"}, denied_text=ONLY_FRONT_DESK,
         error_text="Tej kartki nie można już wydrukować"),
    Case("/sign-in/code", "GET", visitors(200, 303)),
    Case("/sign-in/code", "POST", visitors(422, 303), label="empty", data={"code": ""},
         error_text=REQUIRED),
    # Proposals, pledges and categories.
    Case("/proposals", "GET", everyone(200)),
    Case("/proposals/mine", "GET", signed_in(200)),
    Case("/proposals/new", "GET", verified(200), denied_text=pc.ONLY_VERIFIED),
    Case("/proposals/new", "POST", verified(422), label="empty", denied_text=pc.ONLY_VERIFIED,
         data={"title": "", "body": "", "category_id": "", "cost": "", "needs": "", "round_id": ""},
         error_text=REQUIRED),
    Case("/proposals/new", "POST", verified(303), label="publish", data=pc.NEW_PROPOSAL,
         denied_text=pc.ONLY_VERIFIED, effect=pc.proposal_created, effect_status=303),
    Case("/proposals/<id:proposal_id>", "GET", everyone(200), subject=pc.public_proposal),
    Case("/proposals/<id:proposal_id>", "GET", {**everyone(404), "moderator": 200, "admin": 200},
         label="another's draft", subject=pc.others_draft, error_text=pc.NOT_FOUND),
    Case("/proposals/<id:proposal_id>", "GET", everyone(404), label="no such proposal",
         error_text=pc.NOT_FOUND),
    Case("/proposals/<id:proposal_id>/edit", "GET", signed_in(403), label="another's proposal",
         subject=pc.idea_box_proposal, denied_text=pc.ONLY_AUTHOR),
    Case("/proposals/<id:proposal_id>/edit", "POST", signed_in(403), label="another's proposal",
         subject=pc.idea_box_proposal, data=pc.NEW_PROPOSAL, denied_text=pc.ONLY_AUTHOR),
    Case("/proposals/<id:proposal_id>/submit", "POST", {**signed_in(404), "moderator": 403, "admin": 403},
         label="another's draft", subject=pc.others_draft, denied_text=pc.ONLY_AUTHOR,
         error_text=pc.NOT_FOUND),
    Case("/proposals/<id:proposal_id>/withdraw", "POST", signed_in(403), label="another's proposal",
         subject=pc.idea_box_proposal, denied_text=pc.ONLY_AUTHOR),
    Case("/proposals/<id:proposal_id>/discard", "POST", {**signed_in(404), "moderator": 403, "admin": 403},
         label="another's draft", subject=pc.others_draft, denied_text=pc.ONLY_AUTHOR,
         error_text=pc.NOT_FOUND),
    Case("/proposals/<id:proposal_id>/review", "POST", staff(303), label="reject",
         subject=pc.public_proposal, data={"decision": "reject", "answer": "Poza zakresem działań centrum."},
         denied_text=pc.ONLY_REVIEWERS, effect=pc.proposal_rejected, effect_status=303),
    Case("/proposals/<id:proposal_id>/review", "POST", staff(422), label="reject without an answer",
         subject=pc.public_proposal, data={"decision": "reject", "answer": ""},
         denied_text=pc.ONLY_REVIEWERS, error_text="Napisz publiczną odpowiedź z uzasadnieniem odrzucenia."),
    Case("/proposals/<id:proposal_id>/pledges", "POST", verified(303), label="I'll help",
         subject=pc.idea_box_proposal, data={"kind": "volunteer", "note": ""},
         denied_text=pc.ONLY_VERIFIED_PLEDGE, effect=pc.pledge_added, effect_status=303),
    Case("/proposals/<id:proposal_id>/pledges/<id:pledge_id>/withdraw", "POST", signed_in(403),
         label="another's pledge", subject=pc.others_pledge, denied_text=pc.OWN_PLEDGES),
    Case("/proposals/<id:proposal_id>/revisions", "GET", everyone(200), subject=pc.public_proposal),
    Case("/categories", "GET", staff(200), denied_text=pc.ONLY_CATEGORY_MANAGERS),
    Case("/categories", "POST", staff(303), label="add", data={"name": "Sąsiedzka pomoc", "name_en": ""},
         denied_text=pc.ONLY_CATEGORY_MANAGERS, effect=pc.category_created, effect_status=303),
    Case("/categories/<id:category_id>", "POST", staff(303), label="rename", subject=pc.category,
         data={"name": "Ekologia i zieleń", "name_en": "Ecology"}, denied_text=pc.ONLY_CATEGORY_MANAGERS,
         effect=pc.category_renamed, effect_status=303),
    Case("/categories/<id:category_id>/move", "POST", staff(303), label="up", subject=pc.category,
         data={"direction": "up"}, denied_text=pc.ONLY_CATEGORY_MANAGERS, effect=pc.category_moved_up,
         effect_status=303),
    Case("/categories/<id:category_id>/active", "POST", staff(303), label="deactivate",
         subject=pc.category, data={"active": "0"}, denied_text=pc.ONLY_CATEGORY_MANAGERS,
         effect=pc.category_deactivated, effect_status=303),
    # Discussion: comments, reports, the moderation queue.
    Case("/proposals/<id:proposal_id>/discussion", "GET", everyone(200), subject=dc.public_proposal),
    Case("/proposals/<id:proposal_id>/discussion", "GET", everyone(404), label="draft",
         subject=dc.draft_proposal, error_text=pc.NOT_FOUND),
    Case("/proposals/<id:proposal_id>/discussion/part", "GET", everyone(200), subject=dc.public_proposal),
    Case("/comments/<id:comment_id>/reply", "GET", signed_in(200), subject=dc.others_comment),
    Case("/comments/<id:comment_id>/edit", "GET", signed_in(403), label="another's comment",
         subject=dc.others_comment, denied_text=dc.OWN_EDIT),
    Case("/comments/<id:comment_id>/flag", "GET", signed_in(200), subject=dc.others_comment),
    Case("/moderation/comments/<id:comment_id>/hide", "GET", staff(200), subject=dc.flagged,
         denied_text=dc.ONLY_MODERATORS),
    Case("/proposals/<id:proposal_id>/comments", "POST", signed_in(303), label="comment",
         subject=dc.public_proposal, data={"body": "Mój **głos**"}, effect=dc.comment_posted,
         effect_status=303),
    Case("/proposals/<id:proposal_id>/comments", "POST", signed_in(422), label="empty",
         subject=dc.public_proposal, data={"body": ""}, error_text=dc.EMPTY_COMMENT),
    Case("/comments/<id:comment_id>/edit", "POST", signed_in(403), label="another's comment",
         subject=dc.others_comment, data={"body": "Przejęte"}, denied_text=dc.OWN_EDIT),
    Case("/comments/<id:comment_id>/delete", "POST", signed_in(403), label="another's comment",
         subject=dc.others_comment, denied_text=dc.OWN_DELETE),
    Case("/comments/<id:comment_id>/flag", "POST", signed_in(303), label="report",
         subject=dc.others_comment, data={"reason": "Nie na temat"}, effect=dc.flag_added,
         effect_status=303),
    Case("/proposals/<id:proposal_id>/flag", "POST", signed_in(303), label="report",
         subject=dc.public_proposal, data={"reason": "Nie na temat"}, effect=dc.flag_added,
         effect_status=303),
    Case("/moderation", "GET", staff(200), subject=dc.flagged, denied_text=dc.ONLY_MODERATORS),
    Case("/moderation/comments/<id:comment_id>/hide", "POST", staff(303), subject=dc.flagged,
         data={"reason": "Wulgaryzmy"}, denied_text=dc.ONLY_MODERATORS, effect=dc.comment_hidden,
         effect_status=303),
    Case("/moderation/comments/<id:comment_id>/hide", "POST", staff(422), label="no reason",
         subject=dc.flagged, data={"reason": ""}, denied_text=dc.ONLY_MODERATORS, error_text=dc.NO_REASON),
    Case("/moderation/comments/<id:comment_id>/dismiss", "POST", staff(303), subject=dc.flagged,
         denied_text=dc.ONLY_MODERATORS, effect=dc.comment_flags_dismissed, effect_status=303),
    Case("/moderation/proposals/<id:proposal_id>/hide", "POST", staff(303), subject=dc.flagged,
         data={"reason": "Reklama"}, denied_text=dc.ONLY_MODERATORS, effect=dc.proposal_hidden,
         effect_status=303),
    Case("/moderation/hidden", "GET", staff(200), subject=dc.hidden_content, denied_text=dc.ONLY_MODERATORS),
    Case("/moderation/comments/<id:comment_id>/restore", "POST", staff(303), subject=dc.hidden_content,
         denied_text=dc.ONLY_MODERATORS, effect=dc.comment_restored, effect_status=303),
    Case("/moderation/comments/<id:comment_id>/restore", "POST", staff(409), label="not hidden",
         subject=dc.others_comment, denied_text=dc.ONLY_MODERATORS, error_text=dc.NOT_HIDDEN),
    Case("/moderation/proposals/<id:proposal_id>/restore", "POST", staff(303), subject=dc.hidden_content,
         denied_text=dc.ONLY_MODERATORS, effect=dc.proposal_restored, effect_status=303),
    Case("/moderation/proposals/<id:proposal_id>/restore", "POST", staff(404), label="no such proposal",
         denied_text=dc.ONLY_MODERATORS, error_text=pc.NOT_FOUND),
    Case("/moderation/proposals/<id:proposal_id>/dismiss", "POST", staff(404), label="no such proposal",
         denied_text=dc.ONLY_MODERATORS, error_text=pc.NOT_FOUND),
    # News.
    Case("/news", "GET", everyone(200), subject=nc.news_post),
    Case("/news/<id:post_id>", "GET", everyone(200), subject=nc.news_post),
    Case("/news/<id:post_id>", "GET", everyone(404), label="no such post", error_text=pc.NOT_FOUND),
    Case("/news.atom", "GET", everyone(200), subject=nc.news_post),
    Case("/news/new", "GET", staff(200), denied_text=nc.ONLY_MODERATORS),
    Case("/news/new", "POST", staff(303), label="publish", data=nc.POST, denied_text=nc.ONLY_MODERATORS,
         effect=nc.published, effect_status=303),
    Case("/news/new", "POST", staff(422), label="empty", data={**nc.POST, "title": ""},
         denied_text=nc.ONLY_MODERATORS, error_text=REQUIRED),
    Case("/news/<id:post_id>/edit", "GET", staff(200), subject=nc.news_post, denied_text=nc.ONLY_MODERATORS),
    Case("/news/<id:post_id>/edit", "POST", staff(303), subject=nc.news_post, data=nc.POST,
         denied_text=nc.ONLY_MODERATORS, effect=nc.edited, effect_status=303),
    Case("/news/<id:post_id>/delete", "POST", staff(303), subject=nc.news_post,
         denied_text=nc.ONLY_MODERATORS, effect=nc.deleted, effect_status=303),
    Case("/news/<id:post_id>/delete", "POST", staff(404), label="no such post",
         denied_text=nc.ONLY_MODERATORS, error_text=pc.NOT_FOUND),
    # Consultation rounds, voting, receipts, paper ballots, results (more in tests/rounds/).
    Case("/rounds", "GET", everyone(200)),
    Case("/rounds/new", "GET", staff(200), denied_text=rc.ONLY_MODERATORS),
    Case("/rounds/new", "POST", staff(422), label="empty", data={"title": ""},
         denied_text=rc.ONLY_MODERATORS, error_text=rc.REQUIRED),
    Case("/rounds/<id:round_id>", "GET", {**everyone(403), "moderator": 200, "admin": 200}, label="draft",
         subject=rc.draft_round, denied_text=rc.NOT_PUBLIC),
    Case("/rounds/<id:round_id>", "GET", everyone(200), label="voting", subject=rc.voting_round),
    Case("/rounds/<id:round_id>/ballot.pdf", "GET", staff(200), subject=rc.voting_round,
         denied_text="Tylko moderatorzy mogą drukować karty do głosowania.",
         effect=_printout_audited, effect_status=200),
    Case("/rounds/<id:round_id>/poster.pdf", "GET", everyone(200), subject=rc.voting_round,
         effect=_printout_audited, effect_status=200),
    Case("/rounds/<id:round_id>/edit", "GET", staff(200), subject=rc.voting_round,
         denied_text=rc.ONLY_MODERATORS),
    Case("/rounds/<id:round_id>/edit", "POST", staff(422), label="empty", subject=rc.draft_round,
         data={"title": ""}, denied_text=rc.ONLY_MODERATORS, error_text=rc.REQUIRED),
    Case("/rounds/<id:round_id>/advance", "GET", staff(200), subject=rc.voting_round,
         denied_text=rc.ONLY_MODERATORS),
    Case("/rounds/<id:round_id>/advance", "POST", staff(409), label="stale phase", subject=rc.voting_round,
         data={"expected_phase": "review"}, denied_text=rc.ONLY_MODERATORS,
         error_text="Runda już przeszła dalej."),
    Case("/rounds/<id:round_id>/vote", "GET", {**signed_in(200), "unverified": 403}, subject=rc.voting_round,
         denied_text=rc.ONLY_RESIDENTS),
    Case("/rounds/<id:round_id>/vote", "POST", {**signed_in(422), "unverified": 403}, label="empty ballot",
         subject=rc.voting_round, denied_text=rc.ONLY_RESIDENTS,
         error_text="Wybierz co najmniej 1 propozycję."),
    Case("/rounds/<id:round_id>/vote/summary", "POST", {**signed_in(200), "unverified": 403},
         subject=rc.voting_round, denied_text=rc.ONLY_RESIDENTS),
    Case("/rounds/<id:round_id>/receipt", "GET", everyone(200), subject=rc.voting_round),
    Case("/rounds/<id:round_id>/receipt", "POST", everyone(200), label="unknown code",
         subject=rc.closed_round, data={"code": "AAAA-BBBB-CCCC-DDDD"}),
    Case("/rounds/<id:round_id>/paper", "GET", staff(200), subject=rc.voting_round,
         denied_text=rc.ONLY_MODERATORS),
    Case("/rounds/<id:round_id>/paper", "POST", staff(422), label="empty", subject=rc.voting_round,
         data={"voter": ""}, denied_text=rc.ONLY_MODERATORS, error_text=rc.CHOOSE_VOTER),
    Case("/rounds/<id:round_id>/results", "GET", everyone(200), subject=rc.closed_round),
    Case("/rounds/<id:round_id>/results", "GET", everyone(409), label="voting", subject=rc.voting_round,
         error_text="Wyniki zostaną opublikowane po zamknięciu głosowania."),
    # Activities: the calendar, feeds, scheduling, reports, sign-ups, places and room requests.
    Case("/activities", "GET", everyone(200)),
    Case("/activities.ics", "GET", everyone(200)),
    Case("/activities/<id:activity_id>", "GET", everyone(200), subject=ac.activity),
    Case("/activities/<id:activity_id>.ics", "GET", everyone(200), subject=ac.activity),
    Case("/activities/calendar/<token>.ics", "GET", everyone(404), label="bad token", token="bad",
         error_text=ac.NOT_FOUND),
    Case("/activities/mine", "GET", signed_in(200)),
    Case("/activities/mine/calendar-link", "POST", signed_in(303), effect=ac.calendar_link_made,
         effect_status=303),
    Case("/activities/schedule", "GET", staff(200), denied_text=ac.ONLY_MODERATORS),
    Case("/activities/new", "GET", staff(200), denied_text=ac.ONLY_MODERATORS),
    Case("/activities/new", "POST", staff(422), label="empty", data=ac.EMPTY_ACTIVITY,
         denied_text=ac.ONLY_MODERATORS, error_text=REQUIRED),
    Case("/activities/<id:activity_id>/edit", "GET", staff(200), subject=ac.activity,
         denied_text=ac.ONLY_MODERATORS),
    Case("/activities/<id:activity_id>/edit", "POST", staff(422), label="empty", subject=ac.activity,
         data=ac.EMPTY_ACTIVITY, denied_text=ac.ONLY_MODERATORS, error_text=REQUIRED),
    Case("/activities/<id:activity_id>/report", "GET", staff(200), subject=ac.activity,
         denied_text=ac.ONLY_COORDINATOR),
    Case("/activities/<id:activity_id>/held", "POST", staff(303), subject=ac.past_activity,
         data={"attendance": "5", "report": "Było nas pięcioro; następnym razem w ogrodzie."},
         denied_text=ac.ONLY_COORDINATOR, effect=ac.held, effect_status=303),
    Case("/activities/<id:activity_id>/cancel", "POST", staff(422), label="no reason", subject=ac.activity,
         data={"reason": ""}, denied_text=ac.ONLY_COORDINATOR, error_text=REQUIRED),
    Case("/activities/<id:activity_id>/signup", "POST", signed_in(303), subject=ac.activity,
         effect=ac.signed_up, effect_status=303),
    Case("/activities/<id:activity_id>/signup/cancel", "POST", signed_in(409), label="not signed up",
         subject=ac.activity, error_text=ac.NOT_SIGNED_UP),
    Case("/activities/<id:activity_id>/roles/<id:role_id>/signup", "POST", verified(303),
         subject=ac.activity,
         denied_text=ac.ONLY_VERIFIED_VOLUNTEER, effect=ac.volunteered, effect_status=303),
    Case("/activities/<id:activity_id>/roles/<id:role_id>/cancel", "POST", signed_in(409),
         label="not signed up", subject=ac.activity, error_text=ac.NOT_SIGNED_UP),
    Case("/activities/<id:activity_id>/people", "GET", {**staff(200), "steering": 200}, subject=ac.activity,
         denied_text=ac.ONLY_LISTS),
    Case("/activities/places", "GET", staff(200), denied_text=ac.ONLY_MODERATORS),
    Case("/activities/places", "POST", staff(303), label="add",
         data={"name": "Ogród społeczny", "description": "Za budynkiem", "capacity": "40"},
         denied_text=ac.ONLY_MODERATORS, effect=ac.place_added, effect_status=303),
    Case("/activities/places/<id:place_id>", "POST", staff(422), label="empty", subject=ac.activity,
         data={"name": "", "description": "", "capacity": ""}, denied_text=ac.ONLY_MODERATORS,
         error_text=REQUIRED),
    Case("/activities/rooms/request", "GET", verified(200), denied_text=ac.ONLY_VERIFIED_ROOM),
    Case("/activities/rooms/request", "POST", verified(422), label="empty", data=ac.EMPTY_REQUEST,
         denied_text=ac.ONLY_VERIFIED_ROOM, error_text=REQUIRED),
    Case("/activities/rooms", "GET", staff(200), denied_text=ac.ONLY_MODERATORS),
    Case("/activities/rooms/<id:request_id>/approve", "POST", staff(303), subject=ac.room_request,
         denied_text=ac.ONLY_MODERATORS, effect=ac.approved, effect_status=303),
    Case("/activities/rooms/<id:request_id>/decline", "POST", staff(422), label="no reason",
         subject=ac.room_request, data={"reason": ""}, denied_text=ac.ONLY_MODERATORS, error_text=REQUIRED),
    # Pictures: managed by the proposal's author and moderators, hidden by moderators; the files.
    Case("/media/<kind>/<id:subject_id>/pictures", "GET", staff(200), subject=mc.proposal_with_pictures,
         denied_text=mc.ONLY_AUTHOR),
    Case("/media/<kind>/<id:subject_id>/pictures", "POST", staff(422), label="no file",
         subject=mc.proposal_with_pictures, data={"alt": "Ławka"}, denied_text=mc.ONLY_AUTHOR,
         error_text=mc.NO_PICTURE),
    Case("/media/pictures/<id:image_id>/alt", "POST", staff(303), subject=mc.proposal_with_pictures,
         data={"alt": "Ławka pod kasztanowcem"}, denied_text=mc.ONLY_AUTHOR, effect=mc.described,
         effect_status=303),
    Case("/media/pictures/<id:image_id>/cover", "POST", staff(303), subject=mc.proposal_with_pictures,
         denied_text=mc.ONLY_AUTHOR, effect=mc.made_cover, effect_status=303),
    Case("/media/pictures/<id:image_id>/remove", "POST", staff(303), subject=mc.proposal_with_pictures,
         denied_text=mc.ONLY_AUTHOR, effect=mc.removed, effect_status=303),
    Case("/media/pictures/<id:image_id>/hide", "POST", staff(303), subject=mc.proposal_with_pictures,
         data={"reason": "Widać numer rejestracyjny"}, denied_text=mc.ONLY_MODERATORS, effect=mc.hidden,
         effect_status=303),
    Case("/media/pictures/<id:image_id>/hide", "POST", staff(422), label="no reason",
         subject=mc.proposal_with_pictures, data={"reason": ""}, denied_text=mc.ONLY_MODERATORS,
         error_text="Podaj powód."),
    Case("/media/pictures/<id:image_id>/restore", "POST", staff(303), subject=mc.hidden_picture,
         denied_text=mc.ONLY_MODERATORS, effect=mc.restored, effect_status=303),
    Case("/media/pictures/<id:image_id>/restore", "POST", staff(409), label="not hidden",
         subject=mc.proposal_with_pictures, denied_text=mc.ONLY_MODERATORS, error_text=mc.NOT_HIDDEN),
    Case("/media/files/<name>", "GET", everyone(404), label="no such file", error_text=pc.NOT_FOUND),
    # Results, exports and open data; personal data.
    Case("/data", "GET", everyone(200)),
    # Binary files (XLSX, PDF) are checked for every role in tests/exports/test_permissions.py.
    *[Case(f"/data/rounds/<id:round_id>/{name}", "GET", everyone(200), subject=xc.closed_round,
           effect=xc.exported, effect_status=200)
      for name in ("results.csv", "results.json", "ballots.csv", "ballots.pb")],
    *[Case(f"/data/rounds/<id:round_id>/{name}", "GET", everyone(409), label="voting round",
           subject=xc.voting_round, error_text=xc.NOT_YET)
      for name in ("results.csv", "results.xlsx", "results.json", "protocol.pdf", "ballots.csv",
                   "ballots.pb")],
    *[Case(f"/data/{name}", "GET", {**signed_in(403), "steering": 200, "admin": 200},
           denied_text=xc.ONLY_REPORTERS, effect=xc.exported, effect_status=200)
      for name in ("proposals.csv", "proposals.xlsx", "activities.csv", "activities.xlsx",
                   "statistics/rounds.csv", "statistics/rounds.xlsx", "statistics/months.csv",
                   "statistics/months.xlsx")],
    Case("/api/v1/openapi.json", "GET", everyone(200)),
    Case("/api/v1/rounds", "GET", everyone(200)),
    Case("/api/v1/rounds/<id:round_id>", "GET", everyone(200), subject=xc.closed_round),
    Case("/api/v1/rounds/<id:round_id>/results", "GET", everyone(200), subject=xc.closed_round),
    Case("/api/v1/proposals", "GET", everyone(200)),
    Case("/api/v1/proposals/<id:proposal_id>", "GET", everyone(200), subject=xc.public_proposal),
    Case("/api/v1/activities", "GET", everyone(200)),
    Case("/api/v1/news", "GET", everyone(200)),
    Case("/account/data", "GET", signed_in(200)),
    Case("/account/data/readable", "GET", signed_in(200)),
    Case("/account/data.pdf", "GET", signed_in(200)),
    Case("/account/delete", "GET", signed_in(200)),
    Case("/account/delete", "POST", signed_in(422), label="empty", data={"password": ""},
         error_text=REQUIRED),
    # Notifications, follows, e-mail choices and unsubscribing.
    Case("/notifications", "GET", signed_in(200)),
    Case("/notifications/count", "GET", everyone(200)),
    Case("/notifications/following", "GET", signed_in(200)),
    Case("/notifications/<id:notification_id>", "GET", signed_in(303), label="own",
         subject=notc.own_notification, effect=notc.read, effect_status=303),
    Case("/notifications/<id:notification_id>", "GET", signed_in(404), label="someone else's",
         subject=notc.others_notification),
    Case("/notifications/<id:notification_id>/read", "POST", signed_in(303), label="own",
         subject=notc.own_notification, effect=notc.read, effect_status=303),
    Case("/notifications/<id:notification_id>/read", "POST", signed_in(404), label="someone else's",
         subject=notc.others_notification),
    Case("/notifications/read-all", "POST", signed_in(303), subject=notc.own_notification,
         effect=notc.all_read, effect_status=303),
    *[Case(f"/follow/{kind}/<id:subject_id>", "POST", signed_in(303), subject=notc.followable(kind),
           effect=notc.followed, effect_status=303) for kind in ("proposal", "activity", "round")],
    *[Case(f"/unfollow/{kind}/<id:subject_id>", "POST", signed_in(303),
           subject=notc.followable(kind, already=True), effect=notc.unfollowed, effect_status=303)
      for kind in ("proposal", "activity", "round")],
    Case("/account/notifications", "GET", signed_in(200)),
    Case("/account/notifications", "POST", signed_in(303), data=notc.CHOICES, effect=notc.choices_saved,
         effect_status=303),
    Case("/account/notifications", "POST", signed_in(422), label="invalid", data={"rounds": "sometimes"}),
    Case("/unsubscribe/<token>", "GET", everyone(422), token="bad", error_text=notc.BAD_LINK),
    Case("/unsubscribe/<token>", "POST", everyone(422), token="bad", error_text=notc.BAD_LINK),
]


def route_methods(app) -> set[tuple[str, str]]:
    return {
        (rule.rule, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static"
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }


def test_every_route_is_in_the_table(app):
    covered = {(case.rule, case.method) for case in CASES}
    missing = route_methods(app) - covered
    assert not missing, f"add these routes to CASES in tests/test_permissions.py: {sorted(missing)}"
    stale = covered - route_methods(app)
    assert not stale, f"CASES lists routes the app no longer has: {sorted(stale)}"


def test_every_case_names_all_roles():
    for case in CASES:
        assert set(case.expected) == set(ROLES), case.id


def db_state(session) -> dict[str, list]:
    """Every row of the tables a request could write, to compare before and after."""
    return {
        name: session.execute(sa.select(table).order_by(table.c.id)).all()
        for name, table in TABLES.items()
    }


@dataclass
class Context:
    actor: User | None
    target: User | None
    html: str = ""
    values: dict = field(default_factory=dict)

    def target_row(self, state):
        [row] = [row for row in state["users"] if row.id == self.target.id]
        return row


def build_url(case: Case, target: User | None, values: dict | None = None) -> str:
    url = case.rule
    for name, value in (values or {}).items():
        url = url.replace(f"<id:{name}>", str(value)).replace(f"<{name}>", str(value))
    if "<id:user_id>" in url:
        url = url.replace("<id:user_id>", str(target.id if target else MISSING_USER_ID))
    if "<token>" in url:
        token = tokens.make(tokens.SETUP_ADMIN, {"setup": True}) if case.token == "setup" else (
            "to-nie-jest-prawdziwy-token.ABC")
        url = url.replace("<token>", token)
    return re.sub(r"<id:\w+>", str(MISSING_USER_ID), url)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_route_answers_each_role(case, role, client, users, session):
    target = users.for_role(case.target) if case.target else None
    if case.target == "resident":
        assert target.resident_verified_at is not None
    actor = users.for_role(role)
    if actor is not None:
        client.login(actor)
    values = case.subject(session, users, actor) if case.subject else {}
    url = build_url(case, target, values)
    before = db_state(session)

    # Every POST carries confirm=yes, the answer to the confirmation page of final actions (that step is
    # tested in tests/test_confirmation.py); the forms with a password "confirm" field override it.
    response = client.get(url) if case.method == "GET" else client.post(url, {"confirm": "yes", **case.data})

    html = response.get_data().decode("utf-8", "replace")  # exports may be binary (XLSX)
    expected = case.expected[role]
    assert response.status_code == expected, html[:2000]
    assert response.status_code != 500
    after = db_state(session)

    if expected == SIGN_IN:
        assert response.headers["Location"].startswith("/login?next=")
    elif expected == 403:
        assert ACCESS_DENIED in html
        if case.denied_text:
            assert case.denied_text in html
    elif expected >= 400:
        assert ACCESS_DENIED not in html
        if case.error_text:
            assert case.error_text in html

    if case.effect is not None and expected == case.effect_status:
        case.effect(Context(actor, target, html, values), before, after)
    else:
        assert after == before, "a request that changed nothing on purpose wrote to the database"


# --- CSRF --------------------------------------------------------------------------------------

CSRF_REFUSED = "Formularz wygasł lub został wysłany z innego miejsca."


def test_register_without_csrf_token_is_refused_and_creates_no_account(client, session, mail):
    before = db_state(session)
    response = client.post(
        "/register",
        {"email": "bez.tokenu@kozlowka.example", "display_name": "Bez Tokenu",
         "password": NEW_ADMIN["password"], "confirm": NEW_ADMIN["password"]},
        csrf=False,
    )
    assert response.status_code == 400
    assert CSRF_REFUSED in response.get_data(as_text=True)
    assert db_state(session) == before
    assert mail == []
    assert client.get("/account").status_code == SIGN_IN


def test_login_without_csrf_token_does_not_sign_in(client, users):
    user = users.resident()
    response = client.post("/login", {"email": user.email, "password": PASSWORD}, csrf=False)
    assert response.status_code == 400
    assert CSRF_REFUSED in response.get_data(as_text=True)
    assert client.get("/account").status_code == SIGN_IN


@pytest.mark.parametrize(
    ("role", "path", "data"),
    [
        ("moderator", "/residents/{id}/verify", {}),
        ("admin", "/residents/{id}/role", {"role": "admin"}),
        ("moderator", "/residents/codes", {"count": "3"}),
        ("unverified", "/account", {"display_name": "Przejęte konto", "locale": "en"}),
    ],
)
def test_staff_post_without_csrf_token_writes_nothing(role, path, data, client, users, session):
    target = users.unverified()
    client.login(users.for_role(role))
    before = db_state(session)
    response = client.post(path.format(id=target.id), data, csrf=False)
    assert response.status_code == 400
    assert CSRF_REFUSED in response.get_data(as_text=True)
    assert db_state(session) == before


def test_wrong_csrf_token_is_refused(client, users, session):
    target = users.unverified()
    client.login(users.moderator())
    before = db_state(session)
    response = client.post(f"/residents/{target.id}/verify", {"csrf_token": "podrobiony-token"})
    assert response.status_code == 400
    assert db_state(session) == before


def test_csrf_token_from_another_session_is_refused(make_client, users, session):
    stranger = make_client()
    foreign_token = stranger.csrf_token()
    moderator_client = make_client()
    target = users.unverified()
    moderator_client.login(users.moderator())
    before = db_state(session)
    response = moderator_client.post(f"/residents/{target.id}/verify", {"csrf_token": foreign_token})
    assert response.status_code == 400
    assert db_state(session) == before


def test_htmx_post_with_csrf_header_is_accepted(client, users, session):
    target = users.unverified()
    moderator = users.moderator()
    client.login(moderator)
    response = client.post(
        f"/residents/{target.id}/verify",
        csrf=False,
        confirm=True,
        headers={"X-CSRFToken": client.csrf_token(), "HX-Request": "true"},
    )
    assert response.status_code == 204
    assert response.headers["HX-Redirect"] == "/residents"
    verified_by = session.scalar(sa.select(User.resident_verified_by_id).where(User.id == target.id))
    assert verified_by == moderator.id


def test_htmx_post_with_a_wrong_csrf_header_is_refused(client, users, session):
    target = users.unverified()
    client.login(users.moderator())
    before = db_state(session)
    response = client.post(
        f"/residents/{target.id}/verify",
        csrf=False,
        headers={"X-CSRFToken": "podrobiony-token", "HX-Request": "true"},
    )
    assert response.status_code == 400
    assert db_state(session) == before


# --- who may redeem a code, beyond the six roles ------------------------------------------------


def test_redeeming_a_code_needs_a_confirmed_email(client, users, session):
    user = users.make(verified=False, email_verified=False)
    client.login(user)
    before = db_state(session)
    response = client.post("/account/residency-code", {"code": "ABCDE-23456"})
    assert response.status_code == 403
    assert "Najpierw potwierdź swój adres e-mail." in response.get_data(as_text=True)
    assert db_state(session) == before
