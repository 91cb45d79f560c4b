"""The moderator's desk: the page, and the review of a proposal in place (through the proposals'
own review service)."""

from __future__ import annotations

from flask import flash, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.db import db
from app.desk import bp, queries
from app.desk.permissions import can_use_desk
from app.errors import DomainError, NotFound
from app.htmx import is_htmx, redirect_to, render
from app.permissions import require
from app.proposals import permissions as proposal_permissions
from app.proposals import services as proposal_services
from app.proposals.forms import ReviewForm
from app.proposals.lifecycle import STATUS_LABELS
from app.proposals.models import Proposal


def review_form(proposal_id: int, submitted: bool = False) -> ReviewForm:
    """A review form whose fields are named for its proposal, so several fit on one page."""
    if submitted:
        return ReviewForm(prefix=f"review-{proposal_id}")
    return ReviewForm(formdata=None, prefix=f"review-{proposal_id}")


def _page(http_status: int = 200, *, forms=None, announcement=None, notice=None):
    desk = queries.desk()
    forms = {item.id: review_form(item.id) for item in desk.review.items} | (forms or {})
    return render("desk/index.html", "desk/_review.html", http_status=http_status, desk=desk,
                  review_forms=forms, announcement=announcement, notice=notice, status_labels=STATUS_LABELS,
                  phase_end=queries.phase_end)


@bp.get("/desk")
@login_required
def index():
    require(can_use_desk(current_user))
    return _page()


@bp.post("/desk/proposals/<id:proposal_id>/review")
@login_required
def review(proposal_id: int):
    require(can_use_desk(current_user))
    proposal = db.session.get(Proposal, proposal_id)
    if proposal is None:
        raise NotFound()
    decision = proposal_permissions.can_review(current_user, proposal)
    if not decision:  # decided meanwhile (by someone else, or in another tab)
        if is_htmx():
            return _page(409, notice=decision.reason)
        flash(str(decision.reason), "info")
        return redirect_to(url_for("desk.index"))
    form = review_form(proposal.id, submitted=True)
    if form.validate():
        try:
            proposal_services.review_proposal(current_user, proposal, form.decision.data,
                                              form.answer.data or "", form.final_cost.data or "")
        except DomainError as error:
            form.attach(error)
        else:
            message = _("The decision on “%(title)s” is saved and the author has been notified.",
                        title=proposal.title)
            if is_htmx():
                return _page(announcement=message)
            flash(message, "success")
            return redirect_to(url_for("desk.index", _anchor="desk-review"))
    return _page(422, forms={proposal.id: form})
