"""The kinds of event a person can be told about, the e-mail choice each belongs to, and their words.

The words are rendered when shown (the reader's language), from what the notification stored: the
subject's title, who acted and an optional detail (a moderator's answer, a reason)."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from app.notifications.models import Choice


@dataclass(frozen=True)
class Category:
    """A kind of event with one e-mail choice (immediately, in the weekly digest, or never)."""

    name: str
    label: object
    hint: object
    default: str


# Decisions about me arrive at once; discussion and what I merely follow wait for the digest.
CATEGORIES = {
    c.name: c
    for c in (
        Category("my_proposals", _l("Decisions about my proposals"),
                 _l("Accepted, rejected, selected in the vote, scheduled."), Choice.IMMEDIATE),
        Category("activities", _l("Activities I signed up for"),
                 _l("Changes of time or place, cancellations, a free place from the waiting list."),
                 Choice.IMMEDIATE),
        Category("rounds", _l("Votes I can take part in"),
                 _l("Voting opens, closes within 24 hours, results are published."), Choice.IMMEDIATE),
        Category("account", _l("My account"), _l("My residency was verified."), Choice.IMMEDIATE),
        Category("discussion", _l("Discussion"),
                 _l("Replies to my comments and comments on my proposals."), Choice.DIGEST),
        Category("following", _l("What I follow"),
                 _l("News about proposals, activities and rounds I follow."), Choice.DIGEST),
    )
}

# The weekly digest is a list of its own: its unsubscribe link stops the digest, whatever it holds.
DIGEST_LIST = "digest"

MESSAGES = {
    "comment.reply": _l("%(actor)s replied to your comment on “%(title)s”."),
    "comment.on_my_proposal": _l("%(actor)s commented on your proposal “%(title)s”."),
    "comment.followed": _l("%(actor)s commented on “%(title)s”."),
    "proposal.accepted": _l("“%(title)s” was accepted for voting."),
    "proposal.rejected": _l("“%(title)s” was rejected."),
    "proposal.selected": _l("“%(title)s” was selected in the vote."),
    "proposal.not_selected": _l("“%(title)s” was not selected in the vote."),
    "proposal.scheduled": _l("“%(title)s” is scheduled: an activity is planned."),
    "proposal.implemented": _l("“%(title)s” has been carried out."),
    "activity.changed": _l("New time or place: “%(title)s”."),
    "activity.cancelled": _l("“%(title)s” was cancelled."),
    "activity.promoted": _l("A place became free and you are now registered for “%(title)s”."),
    "round.voting_opened": _l("Voting has opened in “%(title)s”."),
    "round.closing": _l("Voting in “%(title)s” closes within 24 hours."),
    "round.results": _l("The results of “%(title)s” are published."),
    "residency.verified": _l("Your residency was verified: you can vote and sign up for activities."),
}

# What kind of answer the detail is, when a notification carries one.
DETAIL_LABELS = {
    "proposal.rejected": _l("Answer:"),
    "proposal.accepted": _l("Answer:"),
    "activity.cancelled": _l("Reason:"),
}


def message(event: str, title: str, actor: str | None) -> str:
    text = MESSAGES.get(event)
    if text is None:
        return title
    return str(text) % {"title": title, "actor": actor or _l("Someone")}


def detail_label(event: str):
    return DETAIL_LABELS.get(event)
