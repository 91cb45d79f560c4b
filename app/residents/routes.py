from __future__ import annotations

from flask import current_app, flash, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.auth.forms import ProfileForm
from app.auth.models import User
from app.db import db
from app.errors import InvalidInput, NotFound
from app.extensions import limiter
from app.htmx import redirect_to, render
from app.permissions import require
from app.residents import bp, permissions, queries, services
from app.residents.forms import ROLE_LABELS, CodesForm, RedeemCodeForm, RoleForm
from app.urls import page_arg, safe_next, text_arg


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
    services.verify_in_person(current_user, user)
    flash(_("%(name)s is now a verified resident.", name=user.display_name), "success")
    return redirect_to(safe_next("residents.index"))


@bp.post("/residents/<id:user_id>/revoke")
@login_required
def revoke(user_id: int):
    require(permissions.can_verify_residents(current_user))
    user = _user_or_404(user_id)
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
    return render_template("residents/codes_print.html", codes=codes)


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
        "auth/profile.html", form=ProfileForm(obj=current_user), code_form=form
    ), 422


@bp.get("/admin/audit")
@login_required
def audit_log():
    require(permissions.can_read_audit_log(current_user))
    action = text_arg("action", 64)
    page = db.paginate(queries.audit_events(action), page=page_arg(), per_page=50, error_out=False)
    return render("residents/audit.html", "residents/_audit_list.html", page=page, action=action)
