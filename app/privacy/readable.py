"""The personal-data export in plain words: the very document the JSON download holds, turned into headed
sections of labelled lines for a page a person can read and print. Codes become words (statuses, roles,
choices), instants become Warsaw dates, grosze become złote; nothing is left out and nothing is added."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

from app.i18n import LANGUAGE_NAMES, moment, money
from app.notifications.events import CATEGORIES, message
from app.proposals.forms import PLEDGE_LABELS
from app.proposals.lifecycle import STATUS_LABELS as PROPOSAL_STATUS_LABELS
from app.residents.forms import ROLE_LABELS


@dataclass(frozen=True)
class Record:
    title: str
    lines: list[tuple[str, str]]  # (label, value in words)


@dataclass(frozen=True)
class Section:
    key: str  # the JSON key it shows
    heading: str
    records: list[Record]


# Words for the codes stored in the export (one table per field that holds a code). The words of this page
# have their own context ("my data"): Polish needs forms that fit every kind of record.
VERIFICATION = {
    "in_person": lazy_pgettext("my data", "in person, at the centre"),
    "code": lazy_pgettext("my data", "with a residency code"),
}
SIGNUP_STATUS = {
    "registered": lazy_pgettext("my data", "Registered"),
    "waitlisted": lazy_pgettext("my data", "On the waiting list"),
    "cancelled": lazy_pgettext("my data", "Cancelled"),
}
REQUEST_STATUS = {
    "pending": lazy_pgettext("my data", "Waiting for an answer"),
    "approved": lazy_pgettext("my data", "Approved"),
    "declined": lazy_pgettext("my data", "Declined"),
}
COMMENT_STATE = {
    "visible": lazy_pgettext("my data", "Shown"),
    "hidden": lazy_pgettext("my data", "Hidden by a moderator"),
    "deleted": lazy_pgettext("my data", "Deleted"),
}
FLAG_RESOLUTION = {
    None: lazy_pgettext("my data", "Not decided yet"),
    "hidden": lazy_pgettext("my data", "The comment was hidden"),
    "dismissed": lazy_pgettext("my data", "Dismissed"),
}
CHANNEL = {
    "online": lazy_pgettext("my data", "Online"),
    "paper": lazy_pgettext("my data", "On paper, at the centre"),
}
EMAIL_CHOICE = {
    "immediate": _l("Immediately"),
    "digest": _l("In the weekly digest"),
    "never": _l("Never"),
}
SUBJECT_KIND = {
    "proposal": lazy_pgettext("my data", "Proposal"),
    "activity": lazy_pgettext("my data", "Activity"),
    "round": lazy_pgettext("my data", "Round"),
    "news": lazy_pgettext("my data", "News"),
    "place": lazy_pgettext("my data", "Place"),
}

# The label of each field of a record (any section), and of the profile.
LABELS = {
    "id": lazy_pgettext("my data", "Number"),
    "title": lazy_pgettext("my data", "Title"),
    "body": lazy_pgettext("my data", "Text"),
    "needs": lazy_pgettext("my data", "What it needs"),
    "cost_grosze": lazy_pgettext("my data", "Estimated cost"),
    "status": lazy_pgettext("my data", "Status"),
    "moderator_answer": lazy_pgettext("my data", "Moderator's answer"),
    "created_at": lazy_pgettext("my data", "Written"),
    "submitted_at": lazy_pgettext("my data", "Published"),
    "updated_at": lazy_pgettext("my data", "Last changed"),
    "round_id": lazy_pgettext("my data", "Round number"),
    "proposal_id": lazy_pgettext("my data", "Proposal number"),
    "number": lazy_pgettext("my data", "Version"),
    "parent_id": lazy_pgettext("my data", "In reply to comment number"),
    "state": lazy_pgettext("my data", "State"),
    "edited_at": lazy_pgettext("my data", "Edited"),
    "comment_id": lazy_pgettext("my data", "Comment number"),
    "reason": lazy_pgettext("my data", "Reason"),
    "resolution": lazy_pgettext("my data", "Outcome"),
    "kind": lazy_pgettext("my data", "Kind of help"),
    "note": lazy_pgettext("my data", "Note"),
    "activity_id": lazy_pgettext("my data", "Activity number"),
    "activity": lazy_pgettext("my data", "Activity"),
    "role": lazy_pgettext("my data", "Role"),
    "cancelled_at": lazy_pgettext("my data", "Cancelled"),
    "organisation": lazy_pgettext("my data", "Organisation"),
    "description": lazy_pgettext("my data", "Description"),
    "starts_at": lazy_pgettext("my data", "Starts"),
    "ends_at": lazy_pgettext("my data", "Ends"),
    "channel": lazy_pgettext("my data", "How you voted"),
    "voted_at": lazy_pgettext("my data", "Voted"),
    "choices": lazy_pgettext("my data", "Your choices"),
    "event": lazy_pgettext("my data", "What happened"),
    "subject": lazy_pgettext("my data", "About"),
    "detail": lazy_pgettext("my data", "Detail"),
    "read_at": lazy_pgettext("my data", "Read"),
    "subject_id": lazy_pgettext("my data", "Its number"),
    "alt": lazy_pgettext("my data", "Description"),
    "cover": lazy_pgettext("my data", "Cover picture"),
    "hidden_reason": lazy_pgettext("my data", "Hidden because"),
    "file": lazy_pgettext("my data", "File"),
    "width": lazy_pgettext("my data", "Width (pixels)"),
    "height": lazy_pgettext("my data", "Height (pixels)"),
}
PROFILE_LABELS = {
    "id": lazy_pgettext("my data", "Account number"),
    "email": lazy_pgettext("my data", "E-mail"),
    "display_name": lazy_pgettext("my data", "Name shown to others"),
    "building": lazy_pgettext("my data", "Building"),
    "staircase": lazy_pgettext("my data", "Staircase"),
    "flat": lazy_pgettext("my data", "Flat"),
    "phone": lazy_pgettext("my data", "Phone"),
    "role": lazy_pgettext("my data", "Role"),
    "locale": lazy_pgettext("my data", "Language"),
    "created_at": lazy_pgettext("my data", "Account created"),
    "email_verified_at": lazy_pgettext("my data", "E-mail address confirmed"),
    "resident_verified_at": lazy_pgettext("my data", "Residency verified"),
    "resident_verification_method": lazy_pgettext("my data", "Residency verified how"),
    "has_calendar_feed": lazy_pgettext("my data", "Personal calendar link"),
}
# The sections of records, in the page's order: the JSON key and its heading.
SECTIONS = (
    ("proposals", lazy_pgettext("my data", "My proposals")),
    ("proposal_revisions", lazy_pgettext("my data", "Earlier versions of my proposals")),
    ("comments", lazy_pgettext("my data", "My comments")),
    ("flags", lazy_pgettext("my data", "Comments I reported")),
    ("pledges", lazy_pgettext("my data", "Help I pledged")),
    ("signups", lazy_pgettext("my data", "My sign-ups for activities")),
    ("room_requests", lazy_pgettext("my data", "My requests for a room")),
    ("participation", lazy_pgettext("my data", "Votes I took part in")),
    ("public_ballots", lazy_pgettext("my data", "My ballots in public votes")),
    ("notifications", lazy_pgettext("my data", "My notifications")),
    ("pictures", lazy_pgettext("my data", "Pictures I added")),
)
# Fields whose code has its own words, by section (or for every section, under None).
CODES: dict[tuple[str, str], Mapping[Any, object]] = {
    ("proposals", "status"): PROPOSAL_STATUS_LABELS, ("pledges", "kind"): PLEDGE_LABELS,
    ("signups", "status"): SIGNUP_STATUS, ("room_requests", "status"): REQUEST_STATUS,
    ("comments", "state"): COMMENT_STATE, ("flags", "resolution"): FLAG_RESOLUTION,
    ("participation", "channel"): CHANNEL, ("pictures", "subject"): SUBJECT_KIND,
}


def _when(text: str | None) -> str:
    return moment(datetime.fromisoformat(text)) if text else ""


def _subject(code: str) -> str:
    """ "proposal:12" → "Proposal no. 12"."""
    kind, _sep, number = code.partition(":")
    return _("%(kind)s no. %(number)s", kind=SUBJECT_KIND.get(kind, kind), number=number)


def _choices(choices) -> str:
    if isinstance(choices, dict):
        return "; ".join(_("no. %(number)s: %(value)s", number=key, value=value)
                         for key, value in choices.items())
    if isinstance(choices, list):
        return ", ".join(_("no. %(number)s", number=item) for item in choices)
    return str(choices)


def words(section: str, field: str, value) -> str:
    """One stored value in words ("" for nothing stored)."""
    codes = CODES.get((section, field))
    if codes is not None:
        return str(codes.get(value, value or ""))
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if field.endswith("_at"):
        return _when(value)
    if field == "cost_grosze":
        return money(value)
    if field == "choices":
        return _choices(value)
    if field == "subject" and section == "notifications":
        return _subject(value)
    return str(value)


def _record(section: str, item: dict) -> Record:
    if section == "notifications":
        title = message(item["event"], item["title"] or "", None)
        item = {key: value for key, value in item.items() if key not in ("event", "title")}
    elif section == "participation" or section == "public_ballots":
        title = _("Round no. %(number)s", number=item["round_id"])
    else:
        title = item.get("title") or item.get("activity") or item.get("alt") or _(
            "No. %(number)s", number=item.get("id", item.get("proposal_id", "")))
    lines = [(str(LABELS[field]), words(section, field, value)) for field, value in item.items()]
    return Record(title, [(label, value) for label, value in lines if value])


def readable(data: dict) -> dict:
    """The JSON export (``services.personal_data``) as the readable page shows it."""
    profile = data["profile"]
    about_me = [(str(PROFILE_LABELS[field]), _profile_words(field, value))
                for field, value in profile.items()]
    return {
        "exported_at": _when(data["exported_at"]),
        "profile": [(label, value) for label, value in about_me if value],
        "sections": [Section(key, str(heading), [_record(key, item) for item in data[key]])
                     for key, heading in SECTIONS],
        "follows": [_subject(code) for code in data["follows"]],
        "email_choices": [(str(CATEGORIES[name].label), str(EMAIL_CHOICE.get(choice, choice)))
                          for name, choice in data["email_choices"].items()],
        "secret_ballots_note": data["secret_ballots_note"],
    }


def _profile_words(field: str, value) -> str:
    if field == "role":
        return str(ROLE_LABELS.get(value, value))
    if field == "locale":
        return LANGUAGE_NAMES.get(value, value or "")
    if field == "resident_verification_method":
        return str(VERIFICATION.get(value, value or ""))
    if field == "has_calendar_feed":
        return _("Yes") if value else _("No")
    return words("profile", field, value)


# Every top-level key of the export, as the readable page accounts for it (a test keeps this complete);
# "format" names the file's layout, not anything about the person.
ACCOUNTED_FOR = {"format", "exported_at", "profile", "follows", "email_choices", "secret_ballots_note",
         *(key for key, _heading in SECTIONS)}
