"""Activity pages: the calendar (list and month), an activity, scheduling, reports, sign-ups, the lists for
the door, places, room requests, and the iCalendar feeds."""

from __future__ import annotations

import calendar as pycalendar
from datetime import date

from flask import current_app, flash, make_response, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.activities import bp, ical, permissions, queries, services
from app.activities.forms import ActivityForm, CancelForm, DeclineForm, HeldForm, PlaceForm, RoomRequestForm
from app.activities.models import Activity, Place, RoomRequest, SignupStatus
from app.activities.signals import activity_page
from app.activities.times import local, month_bounds
from app.confirmation import confirmation_needed
from app.db import db, utcnow
from app.errors import Conflict, DomainError, NotFound
from app.extensions import contributions_limit, limiter, per_user
from app.htmx import redirect_to, render
from app.i18n import ui_language
from app.media.queries import covers, pictures_for_page
from app.notifications.services import is_following
from app.permissions import require
from app.proposals.forms import PLEDGE_LABELS
from app.proposals.models import PledgeKind, Proposal
from app.urls import id_arg, page_arg


def _activity_or_404(activity_id: int) -> Activity:
    activity = db.session.scalar(queries.activity(activity_id))
    if activity is None:
        raise NotFound()
    return activity


# --- the calendar ----------------------------------------------------------------------------------------


def _month_arg() -> tuple[int, int]:
    raw = request.args.get("month", "")
    try:
        year, month = (int(part) for part in raw.split("-"))
        if 2000 <= year <= 2100 and 1 <= month <= 12:
            return year, month
    except ValueError:
        pass
    today = local(utcnow()).date()
    return today.year, today.month


def _month_grid(year: int, month: int, activities: list[Activity]) -> list[list[tuple[date, list]]]:
    by_day: dict[date, list[Activity]] = {}
    for activity in activities:
        by_day.setdefault(local(activity.starts_at).date(), []).append(activity)
    weeks = pycalendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    return [[(day, by_day.get(day, []) if day.month == month else []) for day in week] for week in weeks]


@bp.get("/activities")
def index():
    view = "month" if request.args.get("view") == "month" else "list"
    when = "past" if request.args.get("when") == "past" else "upcoming"
    place_id = id_arg("place")
    context = {
        "view": view,
        "when": when,
        "place_id": place_id,
        "places": db.session.scalars(queries.places()).all(),
        "can_manage": bool(permissions.can_manage(current_user)),
        "can_request": bool(permissions.can_request_room(current_user)),
    }
    if view == "month":
        year, month = _month_arg()
        start, end = month_bounds(year, month)
        activities = db.session.scalars(queries.between(start, end, place_id)).all()
        previous = date(year - (month == 1), (month - 2) % 12 + 1, 1)
        following = date(year + (month == 12), month % 12 + 1, 1)
        context.update(
            weeks=_month_grid(year, month, activities),
            month_start=date(year, month, 1),
            month_label=format_date(date(year, month, 1), "LLLL yyyy"),
            previous=previous.strftime("%Y-%m"),
            following=following.strftime("%Y-%m"),
            count=len(activities),
        )
    else:
        query = queries.past(place_id) if when == "past" else queries.upcoming(place_id)
        context["page"] = db.paginate(query, page=page_arg(), per_page=current_app.config["PAGE_SIZE"],
                                      error_out=False)
    return render("activities/index.html", "activities/_calendar.html", **context)


def _occupancy(activity: Activity) -> dict:
    counts = queries.signup_counts(activity.id)
    registered = counts[(None, SignupStatus.REGISTERED)]
    roles = [(role, counts[(role.id, SignupStatus.REGISTERED)]) for role in activity.roles]
    return {
        "registered": registered,
        "waitlisted": counts[(None, SignupStatus.WAITLISTED)],
        "places_left": None if activity.capacity is None else max(activity.capacity - registered, 0),
        "roles": [(role, taken, max(role.slots - taken, 0)) for role, taken in roles],
    }


@bp.get("/activities/<id:activity_id>")
def show(activity_id: int):
    activity = _activity_or_404(activity_id)
    mine = {}
    if current_user.is_authenticated:
        mine = {
            signup.role_id: signup
            for signup in db.session.scalars(queries.live_signups(activity.id, current_user.id))
        }
    siblings = db.session.scalars(queries.series(activity.series_id)).all() if activity.series_id else []
    parts = {}  # the parts of the features above activities (news about it)
    for _receiver, values in activity_page.send(activity, viewer=current_user):
        parts.update(values)
    return render_template(
        "activities/show.html",
        **parts,
        activity=activity,
        occupancy=_occupancy(activity),
        mine=mine,
        siblings=siblings,
        signups_open=bool(permissions.signups_open(activity)),
        can_attend=permissions.can_attend(current_user, activity),
        can_volunteer=permissions.can_volunteer(current_user, activity),
        can_cancel_signup=bool(permissions.can_cancel_signup(current_user, activity)),
        can_edit=bool(permissions.can_edit(current_user, activity)),
        can_report=bool(permissions.can_report(current_user, activity)),
        can_see_people=bool(permissions.can_see_people(current_user, activity)),
        can_manage_pictures=bool(permissions.can_manage_pictures(current_user, activity)),
        following=is_following(current_user, "activity", activity.id),
        pictures=pictures_for_page("activity", activity),
    )


# --- iCalendar feeds ------------------------------------------------------------------------------------


def _ics(body: bytes, filename: str):
    response = make_response(body)
    response.headers["Content-Type"] = ical.CONTENT_TYPE
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.headers["Cache-Control"] = "private, max-age=300"
    return response


@bp.get("/activities.ics")
def feed():
    """The public feed, built once per change of its activities: a repeat gets 304 by its ETag, and a
    calendar asking without one gets the kept bytes."""
    body, etag = ical.cached(
        (ui_language(), current_app.config["BASE_URL"], *queries.feed_stamp()),
        lambda: ical.calendar(db.session.scalars(queries.feed_all()).all(),
                              _("Activities at MAM Na Kozłówce")),
    )
    response = _ics(body, "mam-activities.ics")
    response.headers["Cache-Control"] = "public, max-age=300"
    response.vary.update(("Cookie", "Accept-Language"))
    response.set_etag(etag)
    return response.make_conditional(request)


@bp.get("/activities/<id:activity_id>.ics")
def feed_one(activity_id: int):
    activity = _activity_or_404(activity_id)
    return _ics(ical.calendar([activity], activity.title), f"mam-activity-{activity.id}.ics")


@bp.get("/activities/calendar/<token>.ics")
def feed_personal(token: str):
    user = services.user_for_calendar(token)
    if user is None:
        raise NotFound()
    activities = db.session.scalars(queries.feed_personal(user.id)).all()
    waiting = set(db.session.scalars(queries.waiting_only(user.id)))
    body = ical.calendar(activities, _("My activities at MAM Na Kozłówce"), tentative_ids=waiting)
    response = _ics(body, "mam-my-activities.ics")
    response.headers["X-Robots-Tag"] = "noindex"
    return response


# --- my activities and my calendar link -------------------------------------------------------------------


@bp.get("/activities/mine")
@login_required
def mine():
    token = current_user.calendar_token
    return render_template(
        "activities/mine.html",
        signups=db.session.scalars(queries.my_signups(current_user.id)).all(),
        coordinated=db.session.scalars(queries.coordinated_by(current_user.id)).all(),
        room_requests=db.session.scalars(queries.requests_by(current_user.id)).all(),
        feed_url=url_for("activities.feed_personal", token=token, _external=True) if token else None,
        can_request=bool(permissions.can_request_room(current_user)),
    )


@bp.post("/activities/mine/calendar-link")
@login_required
def calendar_link():
    reset = request.form.get("reset") == "1"
    if page := confirmation_needed(
        _("You will get a new calendar link. The old one will stop working in every calendar that uses it."),
        _("Yes, make a new link"), url_for("activities.mine"), when=reset,
    ):
        return page
    services.calendar_token(current_user, reset=reset)
    flash(
        _("Your old calendar link no longer works; here is the new one.")
        if reset
        else _("Your personal calendar link is ready."),
        "success",
    )
    return redirect_to(url_for("activities.mine"))


# --- scheduling --------------------------------------------------------------------------------------------


@bp.get("/activities/schedule")
@login_required
def schedule():
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


def _form_page(form, proposal, activity, http_status=200):
    return render_template(
        "activities/form.html", form=form, proposal=proposal, activity=activity, pledge_labels=PLEDGE_LABELS
    ), http_status


@bp.route("/activities/new", methods=["GET", "POST"])
@login_required
def new():
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
        created = services.schedule_activity(current_user, data, proposal)
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
def edit(activity_id: int):
    activity = _activity_or_404(activity_id)
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
        services.update_activity(current_user, activity, data, together=form.scope.data == "series")
    except DomainError as error:
        form.attach(error)
        return _form_page(form, activity.proposal, activity, error.status)
    flash(_("The changes are saved."), "success")
    return redirect_to(url_for("activities.show", activity_id=activity_id))


# --- after the activity: held or cancelled ---------------------------------------------------------------


def _report_page(activity, held_form, cancel_form, http_status=200):
    return render_template(
        "activities/report.html",
        activity=activity,
        held_form=held_form,
        cancel_form=cancel_form,
        can_mark_held=permissions.can_mark_held(current_user, activity),
    ), http_status


@bp.get("/activities/<id:activity_id>/report")
@login_required
def report(activity_id: int):
    activity = _activity_or_404(activity_id)
    require(permissions.can_report(current_user, activity))
    return _report_page(activity, HeldForm(formdata=None), CancelForm(formdata=None))


@bp.post("/activities/<id:activity_id>/held")
@login_required
def held(activity_id: int):
    activity = _activity_or_404(activity_id)
    require(permissions.can_mark_held(current_user, activity))
    form = HeldForm()
    attendance = form._int("attendance") if form.validate_on_submit() else None
    if form.errors:
        return _report_page(activity, form, CancelForm(formdata=None), 422)
    try:
        services.mark_held(current_user, activity, form.report.data, attendance)
    except DomainError as error:
        form.attach(error)
        return _report_page(activity, form, CancelForm(formdata=None), error.status)
    flash(_("Thank you! The activity is marked held and the report is published."), "success")
    return redirect_to(url_for("activities.show", activity_id=activity_id))


@bp.post("/activities/<id:activity_id>/cancel")
@login_required
def cancel(activity_id: int):
    activity = _activity_or_404(activity_id)
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
        services.cancel_activity(current_user, activity, form.reason.data)
    except DomainError as error:
        form.attach(error)
        return _report_page(activity, HeldForm(formdata=None), form, error.status)
    flash(_("The activity is cancelled; everyone signed up has been told."), "success")
    return redirect_to(url_for("activities.show", activity_id=activity_id))


# --- sign-ups ----------------------------------------------------------------------------------------------


def _lost_race(error: Conflict, page):
    """Someone else got there first (the last slot, a double click, a room taken since): the page the
    person came from again, with the reason on top and status 409, instead of a bare error page."""
    db.session.rollback()
    flash(error.message, "error")
    response = make_response(page())
    response.status_code = 409
    return response


@bp.post("/activities/<id:activity_id>/signup")
@login_required
def sign_up(activity_id: int):
    try:
        signup = services.sign_up(current_user, _activity_or_404(activity_id))
    except Conflict as error:
        return _lost_race(error, lambda: show(activity_id))
    flash(
        _("You are registered. See you there!")
        if signup.status == SignupStatus.REGISTERED
        else _("The activity is full: you are on the waiting list. We will e-mail you if a place frees up."),
        "success",
    )
    return redirect_to(url_for("activities.show", activity_id=activity_id))


@bp.post("/activities/<id:activity_id>/signup/cancel")
@login_required
def cancel_signup(activity_id: int):
    activity = _activity_or_404(activity_id)
    if page := confirmation_needed(
        _("You will cancel your sign-up for “%(title)s”. Your place may go to someone else.",
          title=activity.title),
        _("Yes, cancel my sign-up"), url_for("activities.show", activity_id=activity_id),
    ):
        return page
    services.cancel_signup(current_user, activity)
    flash(_("Your sign-up is cancelled."), "success")
    return redirect_to(url_for("activities.show", activity_id=activity_id))


@bp.post("/activities/<id:activity_id>/roles/<id:role_id>/signup")
@login_required
def volunteer(activity_id: int, role_id: int):
    try:
        services.sign_up(current_user, _activity_or_404(activity_id), role_id)
    except Conflict as error:
        return _lost_race(error, lambda: show(activity_id))
    flash(_("Thank you for helping! You are signed up as a volunteer."), "success")
    return redirect_to(url_for("activities.show", activity_id=activity_id))


@bp.post("/activities/<id:activity_id>/roles/<id:role_id>/cancel")
@login_required
def cancel_volunteer(activity_id: int, role_id: int):
    activity = _activity_or_404(activity_id)
    if page := confirmation_needed(
        _("You will stop volunteering at “%(title)s”. Your place may go to someone else.",
          title=activity.title),
        _("Yes, stop volunteering"), url_for("activities.show", activity_id=activity_id),
    ):
        return page
    services.cancel_signup(current_user, activity, role_id)
    flash(_("You are no longer signed up for this role."), "success")
    return redirect_to(url_for("activities.show", activity_id=activity_id))


@bp.get("/activities/<id:activity_id>/people")
@login_required
def people(activity_id: int):
    activity = _activity_or_404(activity_id)
    require(permissions.can_see_people(current_user, activity))
    signups = db.session.scalars(queries.live_signups(activity.id)).all()
    return render_template(
        "activities/people.html",
        activity=activity,
        registered=[s for s in signups if s.role_id is None and s.status == SignupStatus.REGISTERED],
        waitlisted=[s for s in signups if s.role_id is None and s.status == SignupStatus.WAITLISTED],
        volunteers={role.id: [s for s in signups if s.role_id == role.id] for role in activity.roles},
    )


# --- places ----------------------------------------------------------------------------------------------


def _places_page(form, http_status=200, errors=None):
    places = db.session.scalars(queries.places()).all()
    return render_template(
        "activities/places.html",
        form=form,
        places=places,
        covers=covers("place", places),
        errors=errors or {},
    ), http_status


@bp.route("/activities/places", methods=["GET", "POST"])
@login_required
def places():
    require(permissions.can_manage(current_user))
    form = PlaceForm()
    if not form.validate_on_submit():
        return _places_page(form, 422 if form.errors else 200)
    capacity = form._int("capacity")
    if form.errors:
        return _places_page(form, 422)
    try:
        services.create_place(current_user, form.name.data, form.description.data, capacity)
    except DomainError as error:
        form.attach(error)
        return _places_page(form, error.status)
    flash(_("The place is added."), "success")
    return redirect_to(url_for("activities.places"))


@bp.post("/activities/places/<id:place_id>")
@login_required
def update_place(place_id: int):
    require(permissions.can_manage(current_user))
    place = db.session.get(Place, place_id)
    if place is None:
        raise NotFound()
    form = PlaceForm()
    capacity = form._int("capacity") if form.validate_on_submit() else None
    if form.errors:
        return _places_page(PlaceForm(formdata=None), 422, {place_id: form})
    try:
        services.update_place(
            current_user, place, form.name.data, form.description.data, capacity, form.active.data
        )
    except DomainError as error:
        form.attach(error)
        return _places_page(PlaceForm(formdata=None), error.status, {place_id: form})
    flash(_("The place is saved."), "success")
    return redirect_to(url_for("activities.places"))


# --- room requests ---------------------------------------------------------------------------------------


def _request_page(form, http_status=200):
    return render_template("activities/request_form.html", form=form), http_status


@bp.route("/activities/rooms/request", methods=["GET", "POST"])
@login_required
@limiter.limit(contributions_limit, key_func=per_user("contributions"), methods=["POST"])
def request_room():
    require(permissions.can_request_room(current_user))
    form = RoomRequestForm()
    form.set_choices(db.session.scalars(queries.places(active_only=True)).all())
    if not form.validate_on_submit():
        return _request_page(form, 422 if form.errors else 200)
    data = form.to_input()
    if data is None:
        return _request_page(form, 422)
    try:
        services.request_room(current_user, data)
    except DomainError as error:
        form.attach(error)
        return _request_page(form, error.status)
    flash(_("Your request is sent. A moderator will answer by e-mail."), "success")
    return redirect_to(url_for("activities.mine"))


def _requests_page(http_status=200, errors=None):
    return render_template(
        "activities/requests.html",
        pending=db.session.scalars(queries.requests()).all(),
        errors=errors or {},
        decline_form=DeclineForm(formdata=None),
    ), http_status


def _request_or_404(request_id: int) -> RoomRequest:
    room_request = db.session.get(RoomRequest, request_id)
    if room_request is None:
        raise NotFound()
    return room_request


@bp.get("/activities/rooms")
@login_required
def requests():
    require(permissions.can_manage(current_user))
    return _requests_page()


@bp.post("/activities/rooms/<id:request_id>/approve")
@login_required
def approve_request(request_id: int):
    require(permissions.can_manage(current_user))
    try:
        activity = services.approve_request(current_user, _request_or_404(request_id))
    except Conflict as error:
        return _lost_race(error, requests)
    flash(_("The request is approved and in the calendar; the requester has been told."), "success")
    return redirect_to(url_for("activities.show", activity_id=activity.id))


@bp.post("/activities/rooms/<id:request_id>/decline")
@login_required
def decline_request(request_id: int):
    require(permissions.can_manage(current_user))
    room_request = _request_or_404(request_id)
    form = DeclineForm()
    if not form.validate_on_submit():
        return _requests_page(422, {request_id: form.reason.errors or [_("This field is required.")]})
    if page := confirmation_needed(
        _("You will decline the request “%(title)s”. The person who sent it will get an e-mail with your "
          "reason.", title=room_request.title),
        _("Yes, decline the request"), url_for("activities.requests"),
    ):
        return page
    try:
        services.decline_request(current_user, room_request, form.reason.data)
    except DomainError as error:
        if error.field != "reason":
            raise
        return _requests_page(error.status, {request_id: [error.message]})
    flash(_("The request is declined; the requester has been told why."), "success")
    return redirect_to(url_for("activities.requests"))
