"""A resident's own data: download it all as JSON, read it in plain words (a page, or a PDF), or delete
the account."""

from __future__ import annotations

import json

from flask import Response, current_app, flash, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from app.auth.former import is_former
from app.confirmation import confirmation_needed
from app.db import utcnow
from app.errors import DomainError
from app.extensions import limiter
from app.htmx import redirect_to
from app.pdf import html_to_pdf
from app.privacy import bp, services
from app.privacy.forms import DeleteAccountForm
from app.privacy.readable import readable


@bp.app_template_filter("person")
def person(user) -> str:
    """A person's display name, or "deleted account" for a deleted (or missing) account."""
    if user is None or is_former(user):
        return _("deleted account")
    return user.display_name


@bp.get("/account/data")
@login_required
def download():
    data = services.personal_data(current_user)
    body = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True)
    response = Response(body, mimetype="application/json")
    day = utcnow().date().isoformat()
    response.headers["Content-Disposition"] = f'attachment; filename="mam-my-data-{day}.json"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/account/data/readable")
@login_required
def read():
    """The same content as the download, in plain words, to read or print (only the person themself)."""
    response = render_template("privacy/readable.html", data=readable(services.personal_data(current_user)))
    return response, 200, {"Cache-Control": "no-store"}


@bp.get("/account/data.pdf")
@login_required
def pdf():
    """The readable copy as a PDF file (WeasyPrint), to keep or print."""
    html = render_template("privacy/my_data_print.html", data=readable(services.personal_data(current_user)))
    response = Response(html_to_pdf(html), mimetype="application/pdf")
    day = utcnow().date().isoformat()
    response.headers["Content-Disposition"] = f'attachment; filename="mam-my-data-{day}.pdf"'
    response.headers["Cache-Control"] = "no-store"
    return response


def _delete_limit() -> str:
    return current_app.config["RATELIMIT_AUTH"]


@bp.route("/account/delete", methods=["GET", "POST"])
@login_required
@limiter.limit(_delete_limit, methods=["POST"])
def delete():
    form = DeleteAccountForm()
    if not form.validate_on_submit():
        return render_template("privacy/delete.html", form=form), 422 if form.errors else 200
    if page := confirmation_needed(
        _("You will delete your account for good. It cannot be undone."),
        _("Yes, delete my account"), url_for("privacy.delete"), danger=True,
    ):
        return page
    try:
        services.delete_account(current_user, form.password.data)
    except DomainError as error:
        if error.field != "password":
            raise
        form.password.errors.append(error.message)
        return render_template("privacy/delete.html", form=form), error.status
    logout_user()
    flash(_("Your account is deleted. Thank you for taking part."), "success")
    return redirect_to(url_for("main.index"))
