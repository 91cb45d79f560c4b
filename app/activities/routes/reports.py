"""After the activity: the report page, marking it held, or cancelling it."""

from __future__ import annotations

from flask import flash, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.activities import bp, permissions
from app.activities.forms import CancelForm, HeldForm
from app.activities.models import Activity
from app.activities.routes.common import activity_or_404
from app.activities.services.reports import cancel_activity, mark_held
from app.confirmation import confirmation_needed
from app.errors import DomainError
from app.htmx import redirect_to
from app.permissions import require


def _report_page(
    activity: Activity, held_form: HeldForm, cancel_form: CancelForm, http_status: int = 200
) -> ResponseReturnValue:
    return render_template(
        "activities/report.html",
        activity=activity,
        held_form=held_form,
        cancel_form=cancel_form,
        can_mark_held=permissions.can_mark_held(current_user, activity),
    ), http_status


@bp.get("/activities/<id:activity_id>/report")
@login_required
def report(activity_id: int) -> ResponseReturnValue:
    activity = activity_or_404(activity_id)
    require(permissions.can_report(current_user, activity))
    return _report_page(activity, HeldForm(formdata=None), CancelForm(formdata=None))


@bp.post("/activities/<id:activity_id>/held")
@login_required
def held(activity_id: int) -> ResponseReturnValue:
    activity = activity_or_404(activity_id)
    require(permissions.can_mark_held(current_user, activity))
    form = HeldForm()
    attendance = form._int("attendance") if form.validate_on_submit() else None
    if form.errors:
        return _report_page(activity, form, CancelForm(formdata=None), 422)
    try:
        mark_held(current_user, activity, form.report.data, attendance)
    except DomainError as error:
        form.attach(error)
        return _report_page(activity, form, CancelForm(formdata=None), error.status)
    flash(_("Thank you! The activity is marked held and the report is published."), "success")
    return redirect_to(url_for("activities.show", activity_id=activity_id))


@bp.post("/activities/<id:activity_id>/cancel")
@login_required
def cancel(activity_id: int) -> ResponseReturnValue:
    activity = activity_or_404(activity_id)
    require(permissions.can_report(current_user, activity))
    form = CancelForm()
    if not form.validate_on_submit():
        return _report_page(activity, HeldForm(formdata=None), form, 422)
    if page := confirmation_needed(
        _("You will cancel “%(title)s”. Everyone signed up will get an e-mail; it cannot be undone.",
          title=activity.title),
        _("Yes, cancel the activity"), url_for("activities.report", activity_id=activity_id), danger=True,
    ):
        return page
    try:
        cancel_activity(current_user, activity, form.reason.data)
    except DomainError as error:
        form.attach(error)
        return _report_page(activity, HeldForm(formdata=None), form, error.status)
    flash(_("The activity is cancelled; everyone signed up has been told."), "success")
    return redirect_to(url_for("activities.show", activity_id=activity_id))
