from __future__ import annotations

from flask import current_app, flash, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from app.confirmation import confirmation_needed
from app.db import db
from app.errors import Conflict, DomainError, NotFound, render_error
from app.extensions import contributions_limit, limiter, per_user
from app.htmx import is_htmx, redirect_to, render
from app.media.queries import covers, pictures_for_page
from app.money import zloty_input
from app.notifications.services import is_following
from app.pagination import paginate_by_ids
from app.permissions import is_staff, require
from app.proposals import bp, permissions, queries, services
from app.proposals.diff import changed, word_diff
from app.proposals.forms import PLEDGE_LABELS, CategoryForm, PledgeForm, ProposalForm, ReviewForm
from app.proposals.lifecycle import PUBLIC_STATUSES, STAGES, STATUS_LABELS, stage_of, stopped
from app.proposals.models import Category, Proposal
from app.proposals.signals import proposal_page
from app.urls import id_arg, int_arg, page_arg, text_arg

TOO_MANY_PROPOSALS = _l("You are adding proposals faster than the platform allows. Try again later.")
TOO_MANY_PLEDGES = _l("You are pledging help faster than the platform allows. Try again later.")


def _paginate(query):
    """A page of the list; a page number past the end shows the last page (a stale link, a shorter
    list after filtering) rather than an empty list under a count that says otherwise."""
    per_page = current_app.config["PAGE_SIZE"]
    page = db.paginate(query, page=page_arg(), per_page=per_page, error_out=False)
    if not page.items and page.page > 1 and page.total:
        page = db.paginate(query, page=page.pages, per_page=per_page, error_out=False)
    return page


def _proposal_or_404(proposal_id: int) -> Proposal:
    proposal = db.session.scalar(queries.proposal(proposal_id))
    if proposal is None or not permissions.can_view(current_user, proposal):
        raise NotFound()
    return proposal


@bp.get("/proposals")
def index():
    search = text_arg("q")
    round_arg = request.args.get("round", "")
    round_id = 0 if round_arg == "idea" else id_arg("round")
    category_id = id_arg("category")
    status = request.args.get("status", "")
    status = status if status in PUBLIC_STATUSES else ""
    sort = request.args.get("sort", "newest")
    sort = sort if sort in queries.SORTS else "newest"
    page = paginate_by_ids(queries.public_proposals(search, round_id, category_id, status, sort), Proposal,
                           key=(search, round_id, category_id, status))
    return render(
        "proposals/index.html", "proposals/_list.html",
        page=page, covers=covers("proposal", page.items), search=search,
        round_arg=round_arg if round_id is not None else "",
        category_id=category_id, status=status, sort=sort,
        categories=db.session.scalars(queries.categories()).all(),
        rounds=db.session.scalars(queries.rounds_with_proposals()).all(),
        status_labels=STATUS_LABELS, public_statuses=PUBLIC_STATUSES,
        can_create=permissions.can_create(current_user),
        can_manage_categories=permissions.can_manage_categories(current_user),
    )


@bp.get("/proposals/mine")
@login_required
def mine():
    page = _paginate(queries.proposals_by(current_user.id))
    return render_template("proposals/mine.html", page=page, covers=covers("proposal", page.items),
                           status_labels=STATUS_LABELS,
                           can_create=permissions.can_create(current_user))


def _choices(form: ProposalForm, proposal: Proposal | None = None) -> None:
    categories = db.session.scalars(queries.categories()).all()
    form.category_id.choices = [("", _("— choose a category —"))] + [
        (str(c.id), c.name) for c in categories
        if c.active or (proposal is not None and proposal.category_id == c.id)
    ]
    # Required once moderators have made categories (the service enforces it; this tells the reader).
    form.category_id.flags.required = any(c.active for c in categories)
    rounds = list(db.session.scalars(queries.rounds_open_for_proposals()))
    if proposal is not None and proposal.round is not None and proposal.round not in rounds:
        rounds.append(proposal.round)
    form.round_id.choices = [("", _("Idea box (no round yet)"))] + [(str(r.id), r.title) for r in rounds]


def _input(form: ProposalForm) -> services.ProposalInput:
    return services.ProposalInput(
        title=form.title.data or "", body=form.body.data or "", needs=form.needs.data or "",
        cost=form.cost.data or "",
        category_id=int(form.category_id.data) if form.category_id.data else None,
        round_id=int(form.round_id.data) if form.round_id.data else None,
        language=form.language.data,
    )


@bp.route("/proposals/new", methods=["GET", "POST"])
@login_required
@limiter.limit(contributions_limit, key_func=per_user("contributions"), methods=["POST"])
def new():
    require(permissions.can_create(current_user))
    form = ProposalForm()
    _choices(form)
    if form.validate_on_submit():
        submit = request.form.get("action") == "submit"
        try:
            proposal = services.create_proposal(current_user, _input(form), submit=submit)
        except DomainError as error:
            form.attach(error)
        else:
            flash(_("Your proposal is published. Thank you!") if submit
                  else _("Your draft is saved. Only you and the moderators can see it."), "success")
            return redirect_to(url_for("proposals.show", proposal_id=proposal.id))
    return render_template("proposals/form.html", form=form, proposal=None), 422 if form.errors else 200


@bp.route("/proposals/<id:proposal_id>/edit", methods=["GET", "POST"])
@login_required
def edit(proposal_id: int):
    proposal = _proposal_or_404(proposal_id)
    require(permissions.can_edit(current_user, proposal))
    form = ProposalForm(obj=proposal if request.method == "GET" else None)
    if request.method == "GET":
        form.cost.data = zloty_input(proposal.cost_grosze)
        form.category_id.data = str(proposal.category_id or "")
        form.round_id.data = str(proposal.round_id or "")
    _choices(form, proposal)
    if form.validate_on_submit():
        try:
            saved = services.update_proposal(current_user, proposal, _input(form))
        except DomainError as error:
            form.attach(error)
        else:
            flash(_("Your changes are saved.") if saved else _("Nothing has changed."), "success")
            return redirect_to(url_for("proposals.show", proposal_id=proposal.id))
    return render_template("proposals/form.html", form=form, proposal=proposal,
                           pictures=pictures_for_page("proposal", proposal),
                           can_manage_pictures=permissions.can_manage_pictures(current_user, proposal)
                           ), 422 if form.errors else 200


def _page(proposal: Proposal, *, http_status: int = 200, review_form=None, pledge_form=None,
          fragment: str | None = None, **extra):
    pledges = db.session.scalars(queries.pledges_for(proposal.id)).all()
    can_review = permissions.can_review(current_user, proposal)
    can_pledge = permissions.can_pledge(current_user, proposal)
    # A form makes a CSRF token and so a session cookie: only for someone the page shows it to.
    context = dict(
        proposal=proposal,
        events=db.session.scalars(queries.timeline(proposal.id)).all(),
        pledges=pledges,
        my_pledges=[p for p in pledges if current_user.is_authenticated and p.user_id == current_user.id],
        revision_count=db.session.scalar(queries.revision_count(proposal.id)),
        review_form=review_form or (ReviewForm(formdata=None) if can_review else None),
        pledge_form=pledge_form or (PledgeForm(formdata=None) if can_pledge else None),
        pledge_labels=PLEDGE_LABELS, status_labels=STATUS_LABELS, stages=STAGES,
        stage=stage_of(proposal), stopped=stopped(proposal),
        show_text=proposal.hidden_at is None or permissions.is_author(current_user, proposal)
        or is_staff(current_user),
        can_restore=proposal.hidden_at is not None and is_staff(current_user),
        can_edit=permissions.can_edit(current_user, proposal),
        can_submit=permissions.can_submit(current_user, proposal),
        can_withdraw=permissions.can_withdraw(current_user, proposal),
        can_discard=permissions.can_discard(current_user, proposal),
        can_review=can_review,
        can_pledge=can_pledge,
        can_manage_pictures=permissions.can_manage_pictures(current_user, proposal),
        **extra,
    )
    if not (fragment and is_htmx()):  # the whole page: its follow button, and the parts of the features above
        context["following"] = is_following(current_user, "proposal", proposal.id)
        context["pictures"] = pictures_for_page("proposal", proposal)
        for _receiver, values in proposal_page.send(proposal, viewer=current_user):
            context.update(values)
    return render("proposals/show.html", fragment, http_status=http_status, **context)


@bp.get("/proposals/<id:proposal_id>")
def show(proposal_id: int):
    return _page(_proposal_or_404(proposal_id))


@bp.post("/proposals/<id:proposal_id>/submit")
@login_required
def submit(proposal_id: int):
    proposal = _proposal_or_404(proposal_id)
    require(permissions.can_submit(current_user, proposal))  # refused before asking to confirm
    if page := confirmation_needed(
        _("You will publish the proposal “%(title)s”. Everyone will be able to read it.",
          title=proposal.title),
        _("Yes, publish the proposal"), url_for("proposals.show", proposal_id=proposal.id),
    ):
        return page
    services.submit_proposal(current_user, proposal)
    flash(_("Your proposal is published. Thank you!"), "success")
    return redirect_to(url_for("proposals.show", proposal_id=proposal.id))


@bp.post("/proposals/<id:proposal_id>/withdraw")
@login_required
def withdraw(proposal_id: int):
    proposal = _proposal_or_404(proposal_id)
    require(permissions.can_withdraw(current_user, proposal))  # refused before asking to confirm
    if page := confirmation_needed(
        _("You will withdraw the proposal “%(title)s”. It cannot be restored.", title=proposal.title),
        _("Yes, withdraw the proposal"), url_for("proposals.show", proposal_id=proposal.id), danger=True,
    ):
        return page
    services.withdraw_proposal(current_user, proposal)
    flash(_("Your proposal is withdrawn."), "success")
    return redirect_to(url_for("proposals.show", proposal_id=proposal.id))


@bp.post("/proposals/<id:proposal_id>/discard")
@login_required
def discard(proposal_id: int):
    proposal = _proposal_or_404(proposal_id)
    require(permissions.can_discard(current_user, proposal))  # refused before asking to confirm
    if page := confirmation_needed(
        _("You will delete the draft “%(title)s”. It cannot be restored.", title=proposal.title),
        _("Yes, delete the draft"), url_for("proposals.show", proposal_id=proposal.id), danger=True,
    ):
        return page
    services.discard_draft(current_user, proposal)
    flash(_("Your draft is deleted."), "success")
    return redirect_to(url_for("proposals.mine"))


@bp.post("/proposals/<id:proposal_id>/review")
@login_required
def review(proposal_id: int):
    proposal = _proposal_or_404(proposal_id)
    require(permissions.can_review(current_user, proposal))
    form = ReviewForm()
    if form.validate():
        try:
            services.review_proposal(current_user, proposal, form.decision.data, form.answer.data or "",
                                     form.final_cost.data or "")
        except DomainError as error:
            form.attach(error)
        else:
            flash(_("The decision is saved and the author has been notified."), "success")
            return redirect_to(url_for("proposals.show", proposal_id=proposal.id))
    return _page(proposal, http_status=422, review_form=form)


def _pledge_answer(proposal: Proposal, message: str):
    """HTMX gets the updated pledge block in place; without JavaScript, post/redirect/get."""
    if is_htmx():
        db.session.expire(proposal)
        return _page(_proposal_or_404(proposal.id), fragment="proposals/_pledges.html",
                     announcement=message)
    flash(message, "success")
    return redirect_to(url_for("proposals.show", proposal_id=proposal.id) + "#pledges")


def _pledges_refused(proposal: Proposal, http_status: int, message, pledge_form=None):
    """A refusal shown in the pledge block: in place for HTMX (the block swaps 409/422/429 answers),
    or on the whole proposal page without JavaScript."""
    db.session.expire(proposal)
    return _page(_proposal_or_404(proposal.id), http_status=http_status, pledge_form=pledge_form,
                 fragment="proposals/_pledges.html", notice=str(message))


@bp.errorhandler(429)
def too_many_requests(error):
    """Past a rate limit: say what was limited, and keep what the person typed."""
    proposal_id = (request.view_args or {}).get("proposal_id")
    if request.endpoint == "proposals.pledge" and proposal_id is not None:
        proposal = db.session.scalar(queries.proposal(proposal_id))
        if proposal is not None and permissions.can_view(current_user, proposal):
            return _pledges_refused(proposal, 429, TOO_MANY_PLEDGES, PledgeForm())
        return render_error(429, TOO_MANY_PLEDGES)
    if request.endpoint == "proposals.new":
        if not permissions.can_create(current_user):
            return render_error(429, TOO_MANY_PROPOSALS)
        form = ProposalForm()
        _choices(form)
        form.form_errors.append(TOO_MANY_PROPOSALS)
        return render_template("proposals/form.html", form=form, proposal=None), 429
    return render_error(429)


@bp.post("/proposals/<id:proposal_id>/pledges")
@login_required
@limiter.limit(contributions_limit, key_func=per_user("contributions"))
def pledge(proposal_id: int):
    proposal = _proposal_or_404(proposal_id)
    require(permissions.can_pledge(current_user, proposal))
    form = PledgeForm()
    status = 422
    if form.validate():
        try:
            services.add_pledge(current_user, proposal, form.kind.data, form.note.data or "")
        except DomainError as error:
            form.attach(error)
            status = error.status
        else:
            return _pledge_answer(proposal, _("Thank you! Your pledge is recorded."))
    return _page(proposal, http_status=status, pledge_form=form, fragment="proposals/_pledges.html")


@bp.post("/proposals/<id:proposal_id>/pledges/<id:pledge_id>/withdraw")
@login_required
def unpledge(proposal_id: int, pledge_id: int):
    proposal = _proposal_or_404(proposal_id)
    if page := confirmation_needed(
        _("You will withdraw your pledge to help with “%(title)s”.", title=proposal.title),
        _("Yes, withdraw my pledge"), url_for("proposals.show", proposal_id=proposal.id, _anchor="pledges"),
    ):
        return page
    try:
        services.withdraw_pledge(current_user, proposal, pledge_id)
    except Conflict as error:  # withdrawn already (a second click, another tab)
        return _pledges_refused(proposal, error.status, error.message)
    return _pledge_answer(proposal, _("Your pledge is withdrawn."))


@bp.get("/proposals/<id:proposal_id>/revisions")
def revisions(proposal_id: int):
    proposal = _proposal_or_404(proposal_id)
    versions = [
        {"number": r.number, "title": r.title, "body": r.body, "needs": r.needs, "cost": r.cost_grosze,
         "category_id": r.category_id, "editor": None, "at": None}
        for r in db.session.scalars(queries.revisions(proposal.id))
    ]
    versions.append({"number": len(versions) + 1, "title": proposal.title, "body": proposal.body,
                     "needs": proposal.needs, "cost": proposal.cost_grosze,
                     "category_id": proposal.category_id, "editor": None, "at": None})
    # Version n+1 was written by the editor of revision n, at the moment revision n was kept.
    for revision, version in zip(db.session.scalars(queries.revisions(proposal.id)), versions[1:],
                                 strict=False):
        version["editor"], version["at"] = revision.editor, revision.created_at
    versions[0]["at"] = proposal.submitted_at
    versions[0]["editor"] = proposal.author
    numbers = [v["number"] for v in versions]
    asked_new, asked_old = int_arg("to"), int_arg("from")
    new_number = asked_new if asked_new is not None and asked_new in numbers else numbers[-1]
    old_number = asked_old if asked_old is not None and asked_old in numbers else max(new_number - 1, 1)
    old, new_version = versions[old_number - 1], versions[new_number - 1]
    categories = {c.id: c for c in db.session.scalars(queries.categories())}
    return render_template(
        "proposals/revisions.html", proposal=proposal, versions=versions, old=old, new=new_version,
        word_diff=word_diff, changed=changed, categories=categories,
        show_text=proposal.hidden_at is None or permissions.is_author(current_user, proposal)
        or is_staff(current_user),
    )


# --- categories (moderators) ----------------------------------------------------------------------


def _category_or_404(category_id: int) -> Category:
    category = db.session.get(Category, category_id)
    if category is None:
        raise NotFound()
    return category


def _categories_page(form=None, http_status: int = 200, rename_forms=None):
    categories = db.session.scalars(queries.categories()).all()
    return render_template("proposals/categories.html", categories=categories,
                           form=form or CategoryForm(formdata=None),
                           rename_errors=rename_forms or {}), http_status


@bp.route("/categories", methods=["GET", "POST"])
@login_required
def categories():
    require(permissions.can_manage_categories(current_user))
    if request.method == "GET":
        return _categories_page()
    form = CategoryForm()
    if form.validate():
        try:
            category = services.create_category(current_user, form.name.data, form.name_en.data or "")
        except DomainError as error:
            form.attach(error)
        else:
            flash(_("The category “%(name)s” is added.", name=category.name), "success")
            return redirect_to(url_for("proposals.categories"))
    return _categories_page(form, 422)


@bp.post("/categories/<id:category_id>")
@login_required
def rename_category(category_id: int):
    require(permissions.can_manage_categories(current_user))
    category = _category_or_404(category_id)
    form = CategoryForm()
    if form.validate():
        try:
            services.rename_category(current_user, category, form.name.data, form.name_en.data or "")
        except DomainError as error:
            form.attach(error)
        else:
            flash(_("The category is saved."), "success")
            return redirect_to(url_for("proposals.categories"))
    db.session.rollback()
    return _categories_page(http_status=422, rename_forms={category.id: form})


@bp.post("/categories/<id:category_id>/move")
@login_required
def move_category(category_id: int):
    require(permissions.can_manage_categories(current_user))
    category = _category_or_404(category_id)
    services.move_category(current_user, category, request.form.get("direction", ""))
    flash(_("The order is saved."), "success")
    return redirect_to(url_for("proposals.categories"))


@bp.post("/categories/<id:category_id>/active")
@login_required
def toggle_category(category_id: int):
    require(permissions.can_manage_categories(current_user))
    category = _category_or_404(category_id)
    active = request.form.get("active") == "1"
    if page := confirmation_needed(
        _("The category “%(name)s” will no longer be offered for new proposals; proposals that have it "
          "keep it.", name=category.name),
        _("Yes, deactivate the category"), url_for("proposals.categories"), when=not active,
    ):
        return page
    services.set_category_active(current_user, category, active)
    flash(_("The category is available again.") if active
          else _("The category is hidden from new proposals; existing ones keep it."), "success")
    return redirect_to(url_for("proposals.categories"))
