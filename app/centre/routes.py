"""The administrator's page for the centre's details."""

from __future__ import annotations

from flask import flash, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.centre import bp, permissions, services
from app.centre.forms import CentreForm
from app.centre.settings import settings
from app.errors import InvalidInput
from app.htmx import redirect_to
from app.permissions import require


@bp.app_template_global("centre")
def centre_for_templates():
    return settings()


def _page(form: CentreForm, http_status: int = 200):
    return render_template("centre/edit.html", form=form), http_status


@bp.route("/admin/centre", methods=["GET", "POST"])
@login_required
def edit():
    require(permissions.can_edit_centre(current_user))
    form = CentreForm()
    if request.method == "GET":
        form.fill(settings())
        return _page(form)
    if not form.validate_on_submit():
        return _page(form, 422)
    try:
        services.update_settings(current_user, form.centre())
    except InvalidInput as error:
        form.attach(error)
        return _page(form, 422)
    flash(_("The centre's details are saved."), "success")
    return redirect_to(url_for("centre.edit"))
