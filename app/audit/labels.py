"""The audit log in words people read: actions, subjects and details translated; the codes stay stored.

The log keeps machine codes (``account.deleted``, ``proposal.accepted``, ``note``); the admin page shows
them through these labels. An unknown code (a newer feature's) is shown as it is rather than hidden.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext as pgettext_l

from app.i18n import moment

ACTIONS = {
    "account.deleted": _l("Account deleted"),
    "account.signed_out_everywhere": _l("Signed out on every device"),
    "centre.settings_changed": _l("The centre's details changed"),
    "activity.scheduled": _l("Activity added to the calendar"),
    "activity.updated": _l("Activity changed"),
    "activity.held": _l("Activity marked held"),
    "activity.cancelled": _l("Activity cancelled"),
    "admin.created_by_setup_link": _l("Administrator created with the setup link"),
    "admin.created_from_cli": _l("Administrator created on the server"),
    "ballot.paper_entered": _l("Paper ballot entered"),
    "category.activated": _l("Category switched on"),
    "category.created": _l("Category added"),
    "category.deactivated": _l("Category switched off"),
    "category.moved": _l("Category moved"),
    "category.renamed": _l("Category renamed"),
    "comment.flags_dismissed": _l("Reports about a comment dismissed"),
    "comment.hidden": _l("Comment hidden"),
    "comment.restored": _l("Comment shown again"),
    "export.results": _l("Round results downloaded"),
    "export.protocol": _l("Voting protocol downloaded"),
    "export.ballots": _l("Anonymous ballots downloaded"),
    "export.proposals": _l("Proposals report downloaded"),
    "export.activities": _l("Activities report downloaded"),
    "export.rounds": _l("Participation by round downloaded"),
    "export.months": _l("Participation by month downloaded"),
    "image.added": _l("Picture added"),
    "image.hidden": _l("Picture hidden"),
    "image.removed": _l("Picture removed"),
    "image.restored": _l("Picture shown again"),
    "news.deleted": _l("News post deleted"),
    "news.edited": _l("News post edited"),
    "news.published": _l("News post published"),
    "place.created": _l("Place added"),
    "place.updated": _l("Place changed"),
    "proposal.submitted": _l("Proposal submitted"),
    "proposal.accepted": _l("Proposal accepted for voting"),
    "proposal.rejected": _l("Proposal rejected"),
    "proposal.withdrawn": _l("Proposal withdrawn"),
    "proposal.selected": _l("Proposal marked selected"),
    "proposal.not_selected": _l("Proposal marked not selected"),
    "proposal.scheduled": _l("Proposal marked scheduled"),
    "proposal.implemented": _l("Proposal marked implemented"),
    "proposal.final_cost": _l("Final cost of a proposal entered"),
    "proposal.flags_dismissed": _l("Reports about a proposal dismissed"),
    "proposal.hidden": _l("Proposal hidden"),
    "proposal.restored": _l("Proposal shown again"),
    "residency_codes.generated": _l("Residency codes printed"),
    "resident.registered_at_front_desk": _l("Resident registered at the front desk"),
    "resident.sign_in_slip_issued": _l("Sign-in slip printed"),
    "resident.signed_in_with_slip": _l("Signed in with a sign-in slip"),
    "resident.verification_revoked": _l("Residency verification withdrawn"),
    "resident.verified_in_person": _l("Residency verified in person"),
    "resident.verified_with_code": _l("Residency verified with a code"),
    "room_request.approved": _l("Room request approved"),
    "room_request.declined": _l("Room request declined"),
    "round.closed": _l("Voting closed and counted"),
    "round.created": _l("Round created"),
    "round.imported_from_pabulib": _l("Round imported from Pabulib"),
    "round.phase_changed": _l("Round moved to another stage"),
    "round.updated": _l("Round changed"),
    "user.role_changed": _l("Role changed"),
    "user.role_changed_from_cli": _l("Role changed on the server"),
}

# The kinds of action the log can be filtered by (the codes' first part).
KINDS = {
    "account": _l("Accounts"),
    "activity": _l("Activities"),
    "admin": _l("Administrators"),
    "centre": _l("The centre"),
    "ballot": _l("Paper ballots"),
    "category": _l("Categories"),
    "comment": _l("Comments"),
    "export": _l("Downloads"),
    "image": _l("Pictures"),
    "news": _l("News"),
    "place": _l("Places"),
    "proposal": _l("Proposals"),
    "residency_codes": _l("Residency codes"),
    "resident": _l("Residency verification"),
    "room_request": _l("Room requests"),
    "round": _l("Rounds"),
    "user": _l("Roles"),
}

SUBJECTS = {
    "activities": _l("Activity no. %(id)s"),
    "categories": _l("Category no. %(id)s"),
    "comments": _l("Comment no. %(id)s"),
    "images": _l("Picture no. %(id)s"),
    "news_posts": _l("News post no. %(id)s"),
    "places": _l("Place no. %(id)s"),
    "proposals": _l("Proposal no. %(id)s"),
    "room_requests": _l("Room request no. %(id)s"),
    "rounds": _l("Round no. %(id)s"),
    "users": _l("Account no. %(id)s"),
}

DETAILS = {
    "about": _l("Belongs to"),
    "active": _l("Switched on"),
    "activity_id": _l("Activity number"),
    "added_email": _l("E-mail address added"),
    "attendance": _l("Attendance"),
    "alt": _l("Description of the picture"),
    "ballots": _l("Ballots"),
    "ballots_sha256": _l("Ballots SHA-256"),
    "batch": _l("Batch"),
    "cancel_reason": _l("Reason for cancelling"),
    "changed": _l("Changed"),
    "choices": _l("Choices"),
    "count": _l("Number"),
    "demo": _l("Demo data"),
    "direction": _l("Direction"),
    "email": _l("E-mail"),
    "fields": _l("Changed"),
    "file": _l("File"),
    "flags_resolved": _l("Reports closed"),
    "format": _l("Format"),
    "hidden_reason": _l("Reason for hiding"),
    "ids": _l("Numbers"),
    "method": _l("Method"),
    "name": _l("Name"),
    "new": _l("After"),
    "note": _l("Note"),
    "old": _l("Before"),
    "place": _l("Place"),
    "proposal_id": _l("Proposal number"),
    "reason": _l("Reason"),
    "reference": _l("Reference"),
    "report": pgettext_l("noun", "Report"),
    "result_sha256": _l("Result SHA-256"),
    "series_id": _l("Series"),
    "starts_at": _l("Starts"),
    "subject": _l("Subject"),
    "title": _l("Title"),
    "together": _l("Together"),
    "voided_earlier": _l("Earlier slips voided"),
    "voter_id": _l("Voter number"),
    "with_email": _l("With an e-mail address"),
}


# Codes that details carry (a role or a round's phase before and after a change), in words.
VALUES = {
    "resident": _l("Resident"),
    "moderator": _l("Moderator"),
    "steering": _l("Steering group"),
    "admin": _l("Administrator"),
    "draft": _l("Draft"),
    "submission": _l("Proposals open"),
    "review": _l("Review"),
    "voting": _l("Voting"),
    "closed": _l("Results"),
    "archived": _l("Archived"),
    "in_person": _l("In person"),
    "code": _l("With a residency code"),
    "up": _l("Up"),
    "down": _l("Down"),
}

# The settings a change lists by name (a round's voting settings, the centre's details), in words.
FIELDS = {
    "ballot_kind": _l("Ballot"),
    "rule": _l("How winners are chosen"),
    "budget_grosze": _l("Budget (zł)"),
    "min_choices": _l("Fewest proposals on a ballot"),
    "max_choices": _l("Most proposals on a ballot"),
    "max_ballot_cost_grosze": _l("Most a ballot may spend (zł)"),
    "points_total": _l("Points each voter has"),
    "points_per_proposal": _l("Most points for one proposal"),
    "ranking_top_n": _l("Number of winners"),
    "ranking_threshold": _l("Score needed to win"),
    "yes_no_quorum": _l("Turnout quorum (%)"),
    "yes_no_majority_percent": _l("Yes share needed (%)"),
    "equal_shares_completion": _l("Completion of equal shares"),
    "tie_break": _l("Ties are broken by"),
    "secrecy": _l("Secrecy"),
    "eligibility": _l("Who may vote"),
    "name": _l("Name of the centre"),
    "street": _l("Street and number"),
    "postcode": _l("Postcode"),
    "city": _l("City"),
    "opening_hours": _l("Opening hours"),
    "phone": _l("Phone"),
    "email": _l("E-mail address"),
    "compliance": _l("Compliance with the act on digital accessibility"),
    "statement_published_on": _l("Statement published on"),
    "statement_updated_on": _l("Statement last updated on"),
    "assessment": _l("How accessibility was assessed"),
    "accessibility_contact": _l("Contact person for accessibility"),
    "accessibility_phone": _l("Their phone"),
    "accessibility_email": _l("Their e-mail address"),
    "entrance": _l("Entrance"),
    "lift": _l("Lift and floors"),
    "toilet": _l("Accessible toilet"),
    "parking": _l("Parking and public transport"),
    "assistance_dog": _l("Assistance dogs"),
    "sign_language": _l("Polish Sign Language (PJM) interpreter"),
}


@dataclass
class EventView:
    action: str
    subject: str
    details: list[tuple[str, str]]


def _value(value, key: str = "") -> str:
    if key in ("changed", "fields") and isinstance(value, list | tuple):
        return ", ".join(str(FIELDS.get(name, name)) for name in value)
    if key.endswith("_at") and isinstance(value, str):
        try:
            return moment(datetime.fromisoformat(value))
        except ValueError:
            return value
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list | tuple):
        return ", ".join(_value(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{_value(k)}: {_value(v)}" for k, v in value.items())
    if isinstance(value, str) and value in VALUES:
        return str(VALUES[value])
    return str(value)


def describe(event) -> EventView:
    """An audit event as the admin page shows it; details without a value (``None``, empty) are left out."""
    action = ACTIONS.get(event.action)
    subject = ""
    if event.subject_type:
        template = SUBJECTS.get(event.subject_type)
        subject = (template % {"id": event.subject_id} if template
                   else f"{event.subject_type} #{event.subject_id}")
    details = [
        (str(DETAILS.get(key, key)), _value(value, key))
        for key, value in (event.data or {}).items()
        if value is not None and value != "" and value != []
    ]
    return EventView(str(action) if action else event.action, subject, details)
