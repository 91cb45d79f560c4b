"""Scheduling: the proposals ready for the calendar, a new activity (or series), and changing one."""

from __future__ import annotations

from flask import flash, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.activities import bp, permissions, queries
from app.activities.forms import ActivityForm
from app.activities.models import Activity
from app.activities.routes.common import activity_or_404
from app.activities.services.scheduling import schedule_activity, update_activity
from app.db import db
from app.errors import DomainError, NotFound
from app.htmx import redirect_to
from app.permissions import require
from app.proposals.forms import PLEDGE_LABELS
from app.proposals.models import PledgeKind, Proposal
from app.urls import id_arg


@bp.get("/activities/schedule")
@login_required
def schedule() -> ResponseReturnValue:
    require(permissions.can_manage(current_user))
    proposals = db.session.scalars(queries.ready_to_schedule()).all()
    pledges: dict[int, list] = {}
    for pledge in db.session.scalars(queries.pledges_of([p.id for p in proposals])):
        pledges.setdefault(pledge.proposal_id, []).append(pledge)
    return render_template(
        "activities/schedule.html", proposals=proposals, pledges=pledges, pledge_labels=PLEDGE_LABELS
    )


def _candidates(proposal: Proposal | None, activity: Activity | None = None) -> list:
    """Coordinator choices: the proposal's pledgers (those who offered to coordinate first)."""
    seen, candidates = set(), []
    if proposal is not None:
        pledges = sorted(
            db.session.scalars(queries.pledges_of([proposal.id])),
            key=lambda p: (p.kind != PledgeKind.COORDINATE, p.created_at),
        )
        for pledge in pledges:
            if pledge.user_id not in seen and pledge.user.is_verified_resident:
                seen.add(pledge.user_id)
                candidates.append((pledge.user, f"{pledge.user.display_name} — {PLEDGE_LABELS[pledge.kind]}"))
    if activity is not None and activity.coordinator is not None and activity.coordinator_id not in seen:
        candidates.append((activity.coordinator, activity.coordinator.display_name))
    return candidates


def _form_page(
    form: ActivityForm, proposal: Proposal | None, activity: Activity | None, http_status: int = 200
) -> ResponseReturnValue:
    return render_template(
        "activities/form.html", form=form, proposal=proposal, activity=activity, pledge_labels=PLEDGE_LABELS
    ), http_status


@bp.route("/activities/new", methods=["GET", "POST"])
@login_required
def new() -> ResponseReturnValue:
    proposal = None
    proposal_id = id_arg("proposal")
    if proposal_id is not None:
        proposal = db.session.get(Proposal, proposal_id)
        if proposal is None:
            raise NotFound()
    require(permissions.can_schedule(current_user, proposal))
    form = ActivityForm()
    form.set_choices(db.session.scalars(queries.places(active_only=True)).all(), _candidates(proposal))
    if request.method == "GET" and proposal is not None:
        form.title.data, form.description.data = proposal.title, proposal.body
    if not form.validate_on_submit():
        return _form_page(form, proposal, None, 422 if form.errors else 200)
    data = form.to_input()
    if data is None:
        return _form_page(form, proposal, None, 422)
    try:
        created = schedule_activity(current_user, data, proposal)
    except DomainError as error:
        form.attach(error)
        return _form_page(form, proposal, None, error.status)
    flash(
        _("The activity is in the calendar.")
        if len(created) == 1
        else _("%(num)d activities of the series are in the calendar.", num=len(created)),
        "success",
    )
    return redirect_to(url_for("activities.show", activity_id=created[0].id))


@bp.route("/activities/<id:activity_id>/edit", methods=["GET", "POST"])
@login_required
def edit(activity_id: int) -> ResponseReturnValue:
    activity = activity_or_404(activity_id)
    require(permissions.can_edit(current_user, activity))
    form = ActivityForm()
    form.set_choices(
        db.session.scalars(queries.places(active_only=True)).all(), _candidates(activity.proposal, activity)
    )
    if request.method == "GET":
        form.fill(activity)
    if not form.validate_on_submit():
        return _form_page(form, activity.proposal, activity, 422 if form.errors else 200)
    data = form.to_input()
    if data is None:
        return _form_page(form, activity.proposal, activity, 422)
    try:
        update_activity(current_user, activity, data, together=form.scope.data == "series")
    except DomainError as error:
        form.attach(error)
        return _form_page(form, activity.proposal, activity, error.status)
    flash(_("The changes are saved."), "success")
    return redirect_to(url_for("activities.show", activity_id=activity_id))
