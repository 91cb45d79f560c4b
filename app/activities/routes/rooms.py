"""The centre's places (moderators), and room requests: sending one, approving or declining it."""

from __future__ import annotations

from flask import flash, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.activities import bp, permissions, queries
from app.activities.forms import DeclineForm, PlaceForm, RoomRequestForm
from app.activities.models import Place, RoomRequest
from app.activities.routes.common import lost_race
from app.activities.services import rooms as services
from app.confirmation import confirmation_needed
from app.db import db
from app.errors import Conflict, DomainError, NotFound
from app.extensions import contributions_limit, limiter, per_user
from app.htmx import redirect_to
from app.media.queries import covers
from app.permissions import require

# --- places ----------------------------------------------------------------------------------------------


def _places_page(
    form: PlaceForm, http_status: int = 200, errors: dict[int, PlaceForm] | None = None
) -> ResponseReturnValue:
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
def places() -> ResponseReturnValue:
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
def update_place(place_id: int) -> ResponseReturnValue:
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


def _request_page(form: RoomRequestForm, http_status: int = 200) -> ResponseReturnValue:
    return render_template("activities/request_form.html", form=form), http_status


@bp.route("/activities/rooms/request", methods=["GET", "POST"])
@login_required
@limiter.limit(contributions_limit, key_func=per_user("contributions"), methods=["POST"])
def request_room() -> ResponseReturnValue:
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


def _requests_page(http_status: int = 200, errors: dict[int, list] | None = None) -> ResponseReturnValue:
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
def requests() -> ResponseReturnValue:
    require(permissions.can_manage(current_user))
    return _requests_page()


@bp.post("/activities/rooms/<id:request_id>/approve")
@login_required
def approve_request(request_id: int) -> ResponseReturnValue:
    require(permissions.can_manage(current_user))
    try:
        activity = services.approve_request(current_user, _request_or_404(request_id))
    except Conflict as error:
        return lost_race(error, requests)
    flash(_("The request is approved and in the calendar; the requester has been told."), "success")
    return redirect_to(url_for("activities.show", activity_id=activity.id))


@bp.post("/activities/rooms/<id:request_id>/decline")
@login_required
def decline_request(request_id: int) -> ResponseReturnValue:
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
