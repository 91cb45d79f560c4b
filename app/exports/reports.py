"""Reports for the steering group: proposals, activities, participation by round and by month.

Rows are generators over batched queries, so a large table never sits in memory at once. No report
names a person: proposals and activities are listed with their public facts and counts only.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import sqlalchemy as sa
from flask_babel import gettext as _

from app.activities.labels import STATUS_LABELS as ACTIVITY_STATUS_LABELS
from app.activities.models import Activity, Place, Signup, SignupStatus
from app.auth.models import User
from app.db import db
from app.discussion.models import Comment, CommentState
from app.exports.results import WARSAW, label, local
from app.exports.writers import Sheet, zl
from app.i18n import LANGUAGE_NAMES
from app.phases.models import Phase, Round
from app.proposals.lifecycle import STATUS_LABELS
from app.proposals.models import Category, Pledge, Proposal, Status
from app.rounds.display import PHASE_LABELS
from app.votes.models import Channel, Participation

BATCH = 1000


def proposal_rows() -> Iterator[list]:
    yield [
        _("Proposal number"),
        _("Round number"),
        _("Round"),
        _("Title"),
        _("Category"),
        _("Cost (zł)"),
        _("Status"),
        _("Hidden by a moderator"),
        _("Pledges of help"),
        _("Comments"),
        _("Created"),
        _("Submitted"),
        _("Last change"),
        _("Language of the text"),
        _("Status code"),
    ]
    query = (
        sa.select(
            Proposal.id,
            Proposal.round_id,
            Round.title,
            Proposal.title,
            Category.name,
            Proposal.cost_grosze,
            Proposal.status,
            Proposal.hidden_at,
            Proposal.pledge_count,
            Proposal.comment_count,
            Proposal.created_at,
            Proposal.submitted_at,
            Proposal.updated_at,
            Proposal.language,
        )
        .outerjoin(Round, Proposal.round_id == Round.id)
        .outerjoin(Category, Proposal.category_id == Category.id)
        .where(Proposal.status != Status.DRAFT)  # drafts are their authors' private notes
        .order_by(Proposal.id)
        .execution_options(yield_per=BATCH)
    )
    for row in db.session.execute(query):
        yield [
            row[0],
            row[1] or "",
            row[2] or "",
            row[3],
            row[4] or "",
            zl(row[5]),
            label(STATUS_LABELS, row[6]),
            _("yes") if row[7] else _("no"),
            row[8],
            row[9],
            local(row[10]),
            local(row[11]),
            local(row[12]),
            LANGUAGE_NAMES.get(row[13], row[13]),
            row[6],
        ]


def activity_rows() -> Iterator[list]:
    yield [
        _("Activity number"),
        _("Title"),
        _("Starts (Warsaw time)"),
        _("Ends (Warsaw time)"),
        _("Place"),
        _("Status"),
        _("Places available"),
        _("Registered participants"),
        _("On the waiting list"),
        _("Volunteers signed up"),
        _("Attendance (people)"),
        _("From proposal number"),
        _("Status code"),
    ]
    counts: dict[int, Counter] = {}
    signups = (
        sa.select(Signup.activity_id, Signup.role_id.is_(None), Signup.status, sa.func.count())
        .where(Signup.status != SignupStatus.CANCELLED)
        .group_by(Signup.activity_id, Signup.role_id.is_(None), Signup.status)
    )
    for activity_id, participant, status, n in db.session.execute(signups):
        key = (
            "waitlisted"
            if status == SignupStatus.WAITLISTED
            else "participants"
            if participant
            else "volunteers"
        )
        counts.setdefault(activity_id, Counter())[key] += n
    query = (
        sa.select(
            Activity.id,
            Activity.title,
            Activity.starts_at,
            Activity.ends_at,
            Place.name,
            Activity.status,
            Activity.capacity,
            Activity.attendance,
            Activity.proposal_id,
        )
        .join(Place, Activity.place_id == Place.id)
        .order_by(Activity.starts_at, Activity.id)
        .execution_options(yield_per=BATCH)
    )
    for row in db.session.execute(query):
        c = counts.get(row[0], Counter())
        yield [
            row[0],
            row[1],
            local(row[2]),
            local(row[3]),
            row[4],
            label(ACTIVITY_STATUS_LABELS, row[5]),
            row[6] or "",
            c["participants"],
            c["waitlisted"],
            c["volunteers"],
            "" if row[7] is None else row[7],
            row[8] or "",
            row[5],
        ]


def round_statistics_rows() -> Iterator[list]:
    yield [
        _("Round number"),
        _("Round"),
        _("Phase"),
        _("Voting closed"),
        _("Proposals"),
        _("On the ballot"),
        _("Selected"),
        _("Eligible voters"),
        _("Ballots counted"),
        _("Voted online"),
        _("Voted on paper"),
        _("Turnout (%)"),
        _("Phase code"),
    ]
    proposals: dict[int, Counter] = {}
    for round_id, status, n in db.session.execute(
        sa.select(Proposal.round_id, Proposal.status, sa.func.count())
        .where(Proposal.round_id.is_not(None), Proposal.status != Status.DRAFT)
        .group_by(Proposal.round_id, Proposal.status)
    ):
        if round_id is not None:  # (filtered above)
            proposals.setdefault(round_id, Counter())[status] += n
    turnout: dict[int, Counter] = {}
    for round_id, channel, n in db.session.execute(
        sa.select(Participation.round_id, Participation.channel, sa.func.count()).group_by(
            Participation.round_id, Participation.channel
        )
    ):
        turnout.setdefault(round_id, Counter())[channel] += n
    on_ballot = (Status.ACCEPTED, Status.SELECTED, Status.NOT_SELECTED, Status.SCHEDULED, Status.IMPLEMENTED)
    selected = (Status.SELECTED, Status.SCHEDULED, Status.IMPLEMENTED)
    for round_ in db.session.scalars(sa.select(Round).where(Round.phase != Phase.DRAFT).order_by(Round.id)):
        p = proposals.get(round_.id, Counter())
        t = turnout.get(round_.id, Counter())
        result = round_.result or {}
        eligible = result.get("eligible_voters")
        voters = t[Channel.ONLINE] + t[Channel.PAPER]
        yield [
            round_.id,
            round_.title,
            label(PHASE_LABELS, round_.phase),
            local(round_.closed_at),
            sum(p.values()),
            sum(p[s] for s in on_ballot),
            sum(p[s] for s in selected),
            "" if eligible is None else eligible,
            result.get("ballots", ""),
            t[Channel.ONLINE],
            t[Channel.PAPER],
            round(voters / eligible * 100, 1) if eligible else "",
            round_.phase,
        ]


def _months(column, *where) -> Counter:
    """How many rows fall in each local (Europe/Warsaw) month, reading only the timestamps in batches."""
    counter: Counter = Counter()
    query = sa.select(column).where(column.is_not(None), *where).execution_options(yield_per=BATCH)
    for (value,) in db.session.execute(query):
        counter[value.astimezone(WARSAW).strftime("%Y-%m")] += 1
    return counter


def month_statistics_rows() -> Iterator[list]:
    # Ballots of an imported round (a historical example) were cast elsewhere, long ago: the day of the
    # import is not when anyone voted.
    not_imported = Participation.round_id.not_in(sa.select(Round.id).where(Round.imported_from.is_not(None)))
    columns = {
        "registered": _months(User.created_at),
        "online": _months(Participation.voted_at, Participation.channel == Channel.ONLINE, not_imported),
        "paper": _months(Participation.voted_at, Participation.channel == Channel.PAPER, not_imported),
        "proposals": _months(Proposal.submitted_at),
        # Comments people can read, the rule of the proposals report's counts: hidden (moderated) and
        # deleted comments are not participation to report.
        "comments": _months(Comment.created_at, Comment.state == CommentState.VISIBLE),
        "pledges": _months(Pledge.created_at),
        "signups": _months(Signup.created_at, Signup.status != SignupStatus.CANCELLED),
        "activities": _months(Activity.starts_at, Activity.status == "held"),
    }
    yield [
        _("Month"),
        _("New accounts"),
        _("Voted online"),
        _("Voted on paper"),
        _("Proposals submitted"),
        _("Comments"),
        _("Pledges of help"),
        _("Activity sign-ups"),
        _("Activities held"),
    ]
    months = sorted(set().union(*columns.values()))
    for month in months:
        yield [month] + [columns[key][month] for key in columns]


def sheets(kind: str) -> list[Sheet]:
    return {
        "proposals": lambda: [Sheet(_("Proposals"), proposal_rows())],
        "activities": lambda: [Sheet(_("Activity report"), activity_rows())],
        "rounds": lambda: [Sheet(_("Participation by round"), round_statistics_rows())],
        "months": lambda: [Sheet(_("Participation by month"), month_statistics_rows())],
    }[kind]()
