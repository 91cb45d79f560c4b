"""Notification pages: the list, the header's count, follow buttons, e-mail choices, unsubscribing."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.db import db
from app.errors import DomainError
from app.extensions import csrf
from app.htmx import is_htmx, redirect_to, render
from app.notifications import bp, choices, services, subjects, unsubscribing
from app.notifications.events import CATEGORIES
from app.notifications.models import Choice
from app.urls import page_arg, safe_next


@bp.get("/notifications")
@login_required
def index():
    page = db.paginate(services.notifications_of(current_user), page=page_arg(),
                       per_page=current_app.config["PAGE_SIZE"], error_out=False)
    return render("notifications/index.html", "notifications/_list.html", page=page,
                  unread=services.unread_count(current_user))


@bp.get("/notifications/count")
def count():
    """The header's link with the unread count (HTMX refreshes it every minute)."""
    return render_template("notifications/_header_link.html",
                           unread_notifications=services.unread_count(current_user))


@bp.get("/notifications/<id:notification_id>")
@login_required
def open_(notification_id: int):
    """Open a notification: it is marked read and its subject's page opens."""
    return redirect(services.open_notification(current_user, notification_id), code=303)


@bp.post("/notifications/<id:notification_id>/read")
@login_required
def read(notification_id: int):
    services.mark_read(current_user, notification_id)
    return redirect_to(safe_next("notifications.index"))


@bp.post("/notifications/read-all")
@login_required
def read_all():
    services.mark_all_read(current_user)
    flash(_("All notifications are marked as read."), "success")
    return redirect_to(safe_next("notifications.index"))


@bp.get("/notifications/following")
@login_required
def following():
    return render_template("notifications/following.html", followed=services.followed_by(current_user),
                           kinds=subjects.FOLLOWABLE)


@login_required
def follow(kind: str, subject_id: int):
    services.start_following(current_user, kind, subject_id)
    return _follow_answer(kind, subject_id, _("You follow this now. News about it will appear in your "
                                              "notifications."))


@login_required
def unfollow(kind: str, subject_id: int):
    services.stop_following(current_user, kind, subject_id)
    return _follow_answer(kind, subject_id, _("You no longer follow this."))


# One address per kind of subject (/follow/proposal/12), so nothing else can be asked for.
for _kind in subjects.FOLLOWABLE:
    bp.add_url_rule(f"/follow/{_kind}/<id:subject_id>", "follow", follow, methods=["POST"],
                    defaults={"kind": _kind})
    bp.add_url_rule(f"/unfollow/{_kind}/<id:subject_id>", "unfollow", unfollow, methods=["POST"],
                    defaults={"kind": _kind})


def _follow_answer(kind: str, subject_id: int, text: str):
    if is_htmx() and request.headers.get("HX-Target", "").startswith("follow-"):
        return render_template("notifications/_follow.html", kind=kind, subject_id=subject_id, said=text,
                               following=services.is_following(current_user, kind, subject_id))
    flash(text, "success")
    return redirect_to(safe_next("notifications.following"))


@bp.route("/account/notifications", methods=["GET", "POST"])
@login_required
def settings():
    chosen = choices.choices_for([current_user.id])[current_user.id]
    if request.method == "POST":
        values = {name: request.form.get(name, "") for name in CATEGORIES}
        try:
            choices.set_choices(current_user, values)
        except DomainError as error:
            chosen.update(values)
            return render_template("notifications/settings.html", categories=CATEGORIES, chosen=chosen,
                                   choices=Choice, error=error), 422
        flash(_("Your e-mail choices are saved."), "success")
        return redirect_to(url_for("notifications.settings"))
    return render_template("notifications/settings.html", categories=CATEGORIES, chosen=chosen,
                           choices=Choice)


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
# RFC 8058: mail clients POST "List-Unsubscribe=One-Click" without a session or a CSRF token; the signed
# token in the address authenticates the request.
@csrf.exempt
def unsubscribe(token: str):
    if request.method == "GET":
        found = unsubscribing.read_unsubscribe_token(token)
        return render_template("notifications/unsubscribe.html", found=found, token=token, done=False)
    found = unsubscribing.unsubscribe(token)
    return render_template("notifications/unsubscribe.html", found=found, token=token, done=True)
