from __future__ import annotations

from flask import current_app, flash, make_response, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user

from app.audit import labels as audit_labels
from app.auth.forms import ProfileForm, RedeemCodeForm
from app.auth.models import User
from app.auth.numbers import resident_number
from app.confirmation import confirmation_needed
from app.db import db, utcnow
from app.errors import DomainError, InvalidInput, NotFound
from app.extensions import limiter
from app.htmx import redirect_to, render
from app.outbox.services import kept_messages, messages_for
from app.pdf import html_to_pdf
from app.permissions import require
from app.residents import bp, front_desk, permissions, queries, services
from app.residents.forms import (
    ROLE_LABELS,
    CodesForm,
    FrontDeskForm,
    RoleForm,
    SignInCodeForm,
    SlipPdfForm,
)
from app.urls import external_url, page_arg, safe_next, text_arg


def _user_or_404(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound()
    return user


@bp.get("/residents")
@login_required
def index():
    require(permissions.can_verify_residents(current_user))
    search = text_arg("q")
    status = text_arg("status")
    role = text_arg("role")
    page = db.paginate(
        queries.residents(search, status, role),
        page=page_arg(),
        per_page=current_app.config["PAGE_SIZE"],
        error_out=False,
    )
    return render(
        "residents/index.html",
        "residents/_list.html",
        page=page,
        search=search,
        status=status,
        role=role,
        role_labels=ROLE_LABELS,
        role_form=RoleForm(formdata=None),
        can_manage_roles=permissions.can_manage_roles(current_user),
        can_change_residency=permissions.can_change_residency,
    )


@bp.post("/residents/<id:user_id>/verify")
@login_required
def verify(user_id: int):
    require(permissions.can_verify_residents(current_user))  # before the lookup: ids stay private
    user = _user_or_404(user_id)
    if page := confirmation_needed(
        _("You confirm that you have checked in person that %(name)s lives on the estate. They will be able "
          "to vote where only verified residents can.", name=user.display_name),
        _("Yes, verify in person"), url_for("residents.index"),
    ):
        return page
    services.verify_in_person(current_user, user)
    flash(_("%(name)s is now a verified resident.", name=user.display_name), "success")
    return redirect_to(safe_next("residents.index"))


@bp.post("/residents/<id:user_id>/revoke")
@login_required
def revoke(user_id: int):
    require(permissions.can_verify_residents(current_user))
    user = _user_or_404(user_id)
    if page := confirmation_needed(
        _("%(name)s will no longer be a verified resident and cannot vote where only verified residents can.",
          name=user.display_name),
        _("Yes, withdraw the verification"), url_for("residents.index"), danger=True,
    ):
        return page
    services.revoke_verification(current_user, user)
    flash(_("%(name)s is no longer marked as a verified resident.", name=user.display_name),
          "success")
    return redirect_to(url_for("residents.index"))


@bp.post("/residents/<id:user_id>/role")
@login_required
def set_role(user_id: int):
    require(permissions.can_manage_roles(current_user))  # refuse before validating the request
    user = _user_or_404(user_id)
    form = RoleForm()
    if not form.validate():
        raise InvalidInput(_("Choose one of the roles."))
    if page := confirmation_needed(
        _("%(name)s will have the role: %(role)s. Administrators can change all roles and settings.",
          name=user.display_name, role=ROLE_LABELS[form.role.data]),
        _("Yes, change the role"), url_for("residents.index"),
    ):
        return page
    services.set_role(current_user, user, form.role.data)
    flash(_("%(name)s now has the role: %(role)s.", name=user.display_name,
            role=ROLE_LABELS[form.role.data]), "success")
    return redirect_to(url_for("residents.index"))


@bp.route("/residents/codes", methods=["GET", "POST"])
@login_required
def codes():
    require(permissions.can_verify_residents(current_user))
    form = CodesForm()
    if not form.validate_on_submit():
        return render_template("residents/codes.html", form=form), 422 if form.errors else 200
    codes = services.generate_codes(current_user, form.count.data)
    return render_template("residents/codes_print.html", codes=codes,
                           account_address=external_url("auth.profile"))


@bp.post("/account/residency-code")
@login_required
@limiter.limit(
    lambda: current_app.config["RATELIMIT_RESIDENCY_CODE"],
    key_func=lambda: f"residency-code:{current_user.id}",  # not get_id(): it changes with the password
)
def redeem():
    # The profile page only shows the code form to those who may use it, so refuse the others
    # before validating: their form errors would have nowhere to appear.
    require(permissions.can_redeem_code(current_user))
    form = RedeemCodeForm()
    if form.validate():
        try:
            services.redeem_code(current_user, form.code.data)
        except InvalidInput as error:
            form.add_error("code", error.message)
        else:
            flash(_("Thank you! You are now a verified resident."), "success")
            return redirect_to(url_for("auth.profile"))
    return render_template(
        "auth/profile.html", form=ProfileForm(obj=current_user), code_form=form,
        kept_messages=kept_messages(current_user),
    ), 422


@bp.get("/admin/audit")
@login_required
def audit_log():
    require(permissions.can_read_audit_log(current_user))
    action = text_arg("action", 64)
    page = db.paginate(queries.audit_events(action), page=page_arg(), per_page=50, error_out=False)
    return render("residents/audit.html", "residents/_audit_list.html", page=page, action=action,
                  describe=audit_labels.describe, kinds=audit_labels.KINDS)


# --- front desk: registration in person, sign-in slips ---------------------------------------------


def _front_desk_data(form: FrontDeskForm) -> front_desk.FrontDeskData:
    return front_desk.FrontDeskData(
        display_name=form.display_name.data or "", building=form.building.data or "",
        staircase=form.staircase.data or "", flat=form.flat.data or "", phone=form.phone.data or "",
        email=form.email.data or "",
    )


@bp.route("/residents/new", methods=["GET", "POST"])
@login_required
def new():
    require(permissions.can_register_at_front_desk(current_user))
    form = FrontDeskForm()
    if not form.validate_on_submit():
        return render_template("residents/new.html", form=form), 422 if form.errors else 200
    try:
        user = front_desk.register_at_front_desk(current_user, _front_desk_data(form),
                                                 confirmed=form.confirm.data == "yes")
    except front_desk.PossibleDuplicates as duplicates:
        return render_template("residents/new.html", form=form, duplicates=duplicates.people), 409
    except DomainError as error:
        form.attach(error)
        return render_template("residents/new.html", form=form), error.status
    flash(_("%(name)s is registered and verified as a resident.", name=user.display_name), "success")
    return redirect_to(url_for("residents.show", user_id=user.id))


@bp.get("/residents/<id:user_id>")
@login_required
def show(user_id: int):
    require(permissions.can_verify_residents(current_user))
    person = _user_or_404(user_id)
    return render_template(
        "residents/show.html", person=person, messages=db.session.scalars(messages_for(person)).all(),
        slip=front_desk.latest_slip(person), now=utcnow(),
        can_issue_slip=permissions.can_issue_sign_in_slip(current_user, person),
    )


@bp.post("/residents/<id:user_id>/slip")
@login_required
def issue_slip(user_id: int):
    require(permissions.can_register_at_front_desk(current_user))
    person = _user_or_404(user_id)
    earlier = front_desk.latest_slip(person)
    if page := confirmation_needed(
        _("The slip %(reference)s of %(name)s will stop working. Give them the new slip instead.",
          reference=earlier.reference if earlier else "", name=person.display_name),
        _("Yes, print a new slip"), url_for("residents.show", user_id=person.id),
        when=earlier is not None and earlier.is_open(utcnow()),
    ):
        return page
    slip = front_desk.issue_sign_in_slip(current_user, person)
    response = make_response(render_template(
        "residents/slip.html", slip=slip, sign_in_address=external_url("residents.sign_in_code"),
        pdf_form=SlipPdfForm(formdata=None, code=slip.code),
    ))
    response.headers["Cache-Control"] = "no-store"  # the only place the plain code is ever shown
    return response


@bp.post("/residents/<id:user_id>/slip.pdf")
@login_required
def slip_pdf(user_id: int):
    require(permissions.can_register_at_front_desk(current_user))
    person = _user_or_404(user_id)
    form = SlipPdfForm()
    stored = front_desk.open_slip(person, form.code.data) if form.validate() else None
    if stored is None:
        raise InvalidInput(_("This slip can no longer be printed: issue a new one."))
    slip = front_desk.IssuedSlip(user=person, code=form.code.data, reference=stored.reference,
                                 expires_at=stored.expires_at)
    pdf = html_to_pdf(render_template("residents/slip_print.html", slip=slip,
                                      sign_in_address=external_url("residents.sign_in_code")))
    response = make_response(pdf)
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = f'attachment; filename="slip-{stored.reference}.pdf"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/sign-in/code", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_AUTH"], methods=["POST"])
def sign_in_code():
    if current_user.is_authenticated:
        return redirect_to(url_for("auth.profile"))
    form = SignInCodeForm()
    if not form.validate_on_submit():
        return render_template("residents/sign_in_code.html", form=form), 422 if form.errors else 200
    try:
        user = front_desk.sign_in_with_code(form.code.data, form.password.data, form.email.data or "")
    except DomainError as error:
        form.attach(error)
        return render_template("residents/sign_in_code.html", form=form), error.status
    login_user(user)
    if user.email is None:
        flash(_("Your password is set and you are signed in. Welcome! Next time, sign in with your "
                "resident number %(number)s and your password.", number=resident_number(user)), "success")
    else:
        flash(_("Your password is set and you are signed in. Welcome!"), "success")
    return redirect_to(url_for("auth.profile"))
