"""Comments, reports and the moderation queue.

Thread actions answer an HTMX request with the thread (``discussion/_body.html``), focused on what
changed and announced in the live region; without JavaScript they redirect (303) to the comment on the
proposal page. Validation errors and refusals that belong next to a form re-render the thread (422/409).
"""

from __future__ import annotations

from flask import current_app, flash, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from app.confirmation import confirmation_needed
from app.db import db
from app.discussion import bp, permissions, queries, services
from app.discussion.forms import CommentForm, ReasonForm
from app.discussion.links import comment_url, proposal_url
from app.discussion.models import Comment, CommentState
from app.discussion.thread import form_key_for, thread_for
from app.errors import Conflict, DomainError, NotFound, render_error
from app.extensions import limiter, per_user
from app.htmx import is_htmx, redirect_to, render
from app.permissions import require
from app.proposals.models import Proposal, Status
from app.urls import int_arg, page_arg, safe_next

TOO_FAST = _l("You are posting faster than the discussion allows. Wait a few minutes and try again.")


def _comment_limit() -> str:
    return current_app.config["RATELIMIT_COMMENTS"]


def _flag_limit() -> str:
    return current_app.config["RATELIMIT_FLAGS"]


def _proposal_or_404(proposal_id: int) -> Proposal:
    proposal = db.session.get(Proposal, proposal_id)
    if proposal is None or proposal.status == Status.DRAFT:
        raise NotFound()
    return proposal


def _comment_or_404(comment_id: int) -> Comment:
    comment = db.session.get(Comment, comment_id)
    if comment is None:
        raise NotFound()
    return comment


def _thread(proposal: Proposal, http_status: int = 200, around: int | None = None, **context):
    """The discussion page, or for HTMX the thread alone: the part of it holding the comment ``around``
    (the one just changed, or whose form is shown), else the part the address asks for."""
    return render("discussion/page.html", "discussion/_body.html", http_status=http_status,
                  proposal=proposal, thread=thread_for(proposal, current_user, around=around), **context)


def _done(proposal: Proposal, message: str, comment: Comment | None = None, gone: bool = False):
    """After a change: for HTMX the thread, focused on the comment (or, when it is ``gone``, on the one
    that took its place, else on the heading) with the message announced; otherwise a redirect there."""
    if is_htmx():
        return _thread(proposal, around=comment.id if comment else None, announce=message)
    flash(message, "success")
    if comment is None:
        return redirect_to(proposal_url(proposal, anchor="discussion"))
    if gone:
        return redirect_to(proposal_url(proposal, anchor="discussion", comment=comment.id))
    return redirect_to(comment_url(comment))


def _refused(proposal: Proposal, error: DomainError, form, form_key: str, around: int | None = None):
    """A message next to the form it is about, or above the thread; other refusals get an error page."""
    if error.field and hasattr(form, error.field):
        form.add_error(error.field, error.message)
        return _thread(proposal, 422, around=around, form=form, form_key=form_key)
    if isinstance(error, Conflict):
        return _thread(proposal, error.status, around=around, notice=error.message)
    raise error


@bp.errorhandler(429)
def too_many_requests(error):
    view_args = request.view_args or {}
    proposal = None
    if "proposal_id" in view_args:
        proposal = db.session.get(Proposal, view_args["proposal_id"])
    elif "comment_id" in view_args:
        comment = db.session.get(Comment, view_args["comment_id"])
        proposal = db.session.get(Proposal, comment.proposal_id) if comment else None
    if is_htmx() and proposal is not None:
        return _thread(proposal, 429, notice=TOO_FAST, announce=str(TOO_FAST))
    return render_error(429, TOO_FAST)


@bp.get("/proposals/<id:proposal_id>/discussion")
def thread(proposal_id: int):
    return _thread(_proposal_or_404(proposal_id))


@bp.get("/proposals/<id:proposal_id>/discussion/part")
def thread_part(proposal_id: int):
    """The part of the thread from the comment ``start`` on: for HTMX in place of the "show more"
    link; otherwise the discussion page at that part."""
    proposal = _proposal_or_404(proposal_id)
    start = int_arg("start")
    if not is_htmx():
        return _thread(proposal, around=start)
    thread = thread_for(proposal, current_user, start=start)
    return render("discussion/_part.html", proposal=proposal, thread=thread)


# Forms shown under a comment on demand, and who may open them (the services check again on posting).
COMMENT_FORMS = {
    "reply": lambda actor, comment, proposal: permissions.can_comment(actor, proposal),
    "edit": lambda actor, comment, proposal: permissions.can_edit_comment(actor, comment),
    "flag": lambda actor, comment, proposal: permissions.can_flag_comment(actor, comment),
    "hide": lambda actor, comment, proposal: permissions.can_moderate(actor),
}


@bp.get("/comments/<id:comment_id>/reply", defaults={"action": "reply"})
@bp.get("/comments/<id:comment_id>/edit", defaults={"action": "edit"})
@bp.get("/comments/<id:comment_id>/flag", defaults={"action": "flag"})
@bp.get("/moderation/comments/<id:comment_id>/hide", defaults={"action": "hide"})
@login_required
def comment_form(comment_id: int, action: str):
    """A reply, edit, report or hide form for one comment: for HTMX the form alone, under the comment;
    otherwise the discussion page at that comment with the form open."""
    comment = _comment_or_404(comment_id)
    proposal = _proposal_or_404(comment.proposal_id)
    require(COMMENT_FORMS[action](current_user, comment, proposal))
    thread = None if is_htmx() else thread_for(proposal, current_user, around=comment.id)
    return render("discussion/page.html", "discussion/_comment_form.html", proposal=proposal, thread=thread,
                  comment=comment, around=comment.id, form_key=form_key_for(action, comment.id), opening=True)


@bp.post("/proposals/<id:proposal_id>/comments")
@login_required
@limiter.limit(_comment_limit, key_func=per_user("comments"))
def post_comment(proposal_id: int):
    proposal = _proposal_or_404(proposal_id)
    require(permissions.can_take_part(current_user))
    form = CommentForm()
    parent_id = form.parent_id.data
    form_key = form_key_for("reply", parent_id) if parent_id else "new"
    if not form.validate():
        return _thread(proposal, 422, around=parent_id, form=form, form_key=form_key)
    try:
        comment = services.post_comment(current_user, proposal, form.body.data, parent_id,
                                        language=form.language.data)
    except DomainError as error:
        return _refused(proposal, error, form, form_key, around=parent_id)
    return _done(proposal, _("Your comment is published."), comment)


@bp.post("/comments/<id:comment_id>/edit")
@login_required
def edit_comment(comment_id: int):
    comment = _comment_or_404(comment_id)
    require(permissions.can_edit_comment(current_user, comment))
    proposal = _proposal_or_404(comment.proposal_id)
    form = CommentForm()
    form_key = form_key_for("edit", comment.id)
    if not form.validate():
        return _thread(proposal, 422, around=comment.id, form=form, form_key=form_key)
    try:
        services.edit_comment(current_user, comment, form.body.data, language=form.language.data)
    except DomainError as error:
        return _refused(proposal, error, form, form_key, around=comment.id)
    return _done(proposal, _("Your comment is saved."), comment)


@bp.post("/comments/<id:comment_id>/delete")
@login_required
def delete_comment(comment_id: int):
    comment = _comment_or_404(comment_id)
    proposal = _proposal_or_404(comment.proposal_id)
    if comment.state == CommentState.VISIBLE:  # a removed one: the service answers a second click
        require(permissions.can_delete_comment(current_user, comment))  # refused before asking to confirm
    if page := confirmation_needed(
        _("You will delete your comment under “%(title)s”. It cannot be restored.", title=proposal.title),
        _("Yes, delete the comment"), comment_url(comment), danger=True,
    ):
        return page
    services.delete_comment(current_user, comment)
    return _done(proposal, _("Your comment is deleted."), comment, gone=True)


@bp.post("/comments/<id:comment_id>/flag")
@login_required
@limiter.limit(_flag_limit, key_func=per_user("flags"))
def flag_comment(comment_id: int):
    comment = _comment_or_404(comment_id)
    proposal = _proposal_or_404(comment.proposal_id)
    form = ReasonForm()
    form_key = form_key_for("flag", comment.id)
    if not form.validate():
        return _thread(proposal, 422, around=comment.id, form=form, form_key=form_key)
    try:
        services.flag_comment(current_user, comment, form.reason.data)
    except DomainError as error:
        return _refused(proposal, error, form, form_key, around=comment.id)
    return _done(proposal, _("Thank you. A moderator will look at your report."), comment)


@bp.post("/proposals/<id:proposal_id>/flag")
@login_required
@limiter.limit(_flag_limit, key_func=per_user("flags"))
def flag_proposal(proposal_id: int):
    proposal = _proposal_or_404(proposal_id)
    form = ReasonForm()
    if not form.validate():
        return _thread(proposal, 422, form=form, form_key="flag-proposal")
    try:
        services.flag_proposal(current_user, proposal, form.reason.data)
    except DomainError as error:
        return _refused(proposal, error, form, "flag-proposal")
    return _done(proposal, _("Thank you. A moderator will look at your report."))


# --- moderation -----------------------------------------------------------------------------------


@bp.get("/moderation")
@login_required
def moderation():
    require(permissions.can_moderate(current_user))
    page = queries.moderation_queue(page_arg(), current_app.config["PAGE_SIZE"])
    return render("discussion/moderation.html", "discussion/_queue.html", page=page)


HIDDEN_KINDS = ("comment", "proposal")


@bp.get("/moderation/hidden")
@login_required
def hidden():
    require(permissions.can_moderate(current_user))
    kind = request.args.get("kind")
    kind = kind if kind in HIDDEN_KINDS else "comment"
    page = queries.hidden_content(kind, page_arg(), current_app.config["PAGE_SIZE"])
    return render("discussion/hidden.html", page=page, kind=kind)


def _moderated(message: str, proposal: Proposal | None = None, comment: Comment | None = None):
    if is_htmx() and proposal is not None and request.form.get("from") == "thread":
        return _thread(proposal, around=comment.id if comment else None, announce=message, notice=message)
    flash(message, "success")
    return redirect_to(safe_next("discussion.moderation"))


def _reason_or_422(template_context: dict, proposal: Proposal | None = None, around: int | None = None):
    """The reason form, validated; or the page it came from again, with the message next to it: the
    thread (``from=thread``) or the moderation queue (the page the moderator was on)."""
    form = ReasonForm()
    if not form.validate():
        if proposal is not None and request.form.get("from") == "thread":
            return form, _thread(proposal, 422, around=around, form=form, **template_context)
        page = queries.moderation_queue(page_arg(), current_app.config["PAGE_SIZE"])
        return form, render("discussion/moderation.html", "discussion/_queue.html", http_status=422,
                            page=page, form=form, **template_context)
    return form, None


@bp.post("/moderation/comments/<id:comment_id>/hide")
@login_required
def hide_comment(comment_id: int):
    require(permissions.can_moderate(current_user))
    comment = _comment_or_404(comment_id)
    proposal = db.session.get(Proposal, comment.proposal_id)
    form, invalid = _reason_or_422({"form_key": form_key_for("hide", comment.id)}, proposal,
                                   around=comment.id)
    if invalid:
        return invalid
    services.hide_comment(current_user, comment, form.reason.data)
    return _moderated(_("The comment is hidden."), proposal, comment)


@bp.post("/moderation/comments/<id:comment_id>/restore")
@login_required
def restore_comment(comment_id: int):
    require(permissions.can_moderate(current_user))
    comment = _comment_or_404(comment_id)
    proposal = db.session.get_one(Proposal, comment.proposal_id)
    if page := confirmation_needed(
        _("The hidden comment under “%(title)s” will be visible to everyone again.", title=proposal.title),
        _("Yes, show the comment again"), safe_next("discussion.moderation"),
    ):
        return page
    services.restore_comment(current_user, comment)
    return _moderated(_("The comment is visible again."), proposal, comment)


@bp.post("/moderation/comments/<id:comment_id>/dismiss")
@login_required
def dismiss_comment_flags(comment_id: int):
    require(permissions.can_moderate(current_user))
    comment = _comment_or_404(comment_id)
    if page := confirmation_needed(
        _("The reports about this comment will be dismissed; the comment stays visible to everyone."),
        _("Yes, dismiss the reports"), url_for("discussion.moderation"),
    ):
        return page
    services.dismiss_comment_flags(current_user, comment)
    return _moderated(_("The reports are dismissed; the comment stays visible."))


@bp.post("/moderation/proposals/<id:proposal_id>/hide")
@login_required
def hide_proposal(proposal_id: int):
    require(permissions.can_moderate(current_user))
    proposal = _proposal_or_404(proposal_id)
    form, invalid = _reason_or_422({"form_key": f"hide-proposal-{proposal.id}"})
    if invalid:
        return invalid
    services.hide_proposal(current_user, proposal, form.reason.data)
    return _moderated(_("The proposal is hidden."))


@bp.post("/moderation/proposals/<id:proposal_id>/restore")
@login_required
def restore_proposal(proposal_id: int):
    require(permissions.can_moderate(current_user))
    proposal = _proposal_or_404(proposal_id)
    if page := confirmation_needed(
        _("The proposal “%(title)s” will be public again.", title=proposal.title),
        _("Yes, make it public again"), safe_next("discussion.moderation"),
    ):
        return page
    services.restore_proposal(current_user, proposal)
    return _moderated(_("The proposal is public again."))


@bp.post("/moderation/proposals/<id:proposal_id>/dismiss")
@login_required
def dismiss_proposal_flags(proposal_id: int):
    require(permissions.can_moderate(current_user))
    proposal = _proposal_or_404(proposal_id)
    if page := confirmation_needed(
        _("The reports about the proposal “%(title)s” will be dismissed; it stays visible to everyone.",
          title=proposal.title),
        _("Yes, dismiss the reports"), url_for("discussion.moderation"),
    ):
        return page
    services.dismiss_proposal_flags(current_user, proposal)
    return _moderated(_("The reports are dismissed; the proposal stays visible."))

