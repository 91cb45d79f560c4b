"""Round pages: list, round page, settings, phases, voting, receipts, paper ballots and results."""

from __future__ import annotations

import sqlalchemy as sa
from flask import current_app, flash, g, make_response, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup
from werkzeug.datastructures import MultiDict

from app.auth.models import User
from app.confirmation import confirmation_needed
from app.db import db
from app.errors import Conflict, DomainError, InvalidInput, NotAllowed, NotFound, PhaseClosed
from app.extensions import limiter
from app.htmx import redirect_to, render
from app.kept import Kept
from app.notifications import read_header_now
from app.notifications.services import is_following
from app.permissions import require
from app.phases import permissions
from app.phases.locking import get_round_shared
from app.phases.models import BallotKind, Phase, Round, Rule, Secrecy
from app.phases.table import Action, phase_allows
from app.residents.queries import active_accounts, people_matching
from app.rounds import bp, display, queries, services, words
from app.rounds.forms import AdvanceForm, PaperBallotForm, ReceiptForm, RoundForm, ballot_chosen
from app.rounds.settings import RoundSettings
from app.urls import external_url, page_arg, text_arg
from app.votes import services as votes
from app.votes.ballots import ballot_summary, listed_choices, parse_ballot
from app.votes.counting import ballot_catalogue, ballot_entries, ballot_projects, engine_projects

ON_BALLOT_PHASES = (Phase.VOTING, Phase.CLOSED, Phase.ARCHIVED)


@bp.app_template_global()
def round_proposal_url(proposal_id) -> str:
    """The page of a proposal (its endpoint, once the proposals pages are registered). A round's page links
    150 of them: the address is built once per request and the id put in."""
    pattern = g.get("proposal_url_pattern")
    if pattern is None:
        pattern = g.proposal_url_pattern = _proposal_url_pattern()
    return pattern.replace(_ID_MARK, str(int(proposal_id)))


_ID_MARK = "987654321"


def _proposal_url_pattern() -> str:
    for endpoint in ("proposals.detail", "proposals.show"):
        if endpoint in current_app.view_functions:
            built = url_for(endpoint, proposal_id=int(_ID_MARK))
            if built.count(_ID_MARK) == 1:
                return built
    return f"/proposals/{_ID_MARK}"


# The plain words of each ballot kind and counting rule ("Jak głosujemy", the round form, the results).
# (Jinja globals may be values; Flask types them as functions.)
bp.add_app_template_global(words.KIND_WORDS, "ballot_kind_words")  # type: ignore[arg-type]
bp.add_app_template_global(words.RULE_WORDS, "counting_rule_words")  # type: ignore[arg-type]


def _round_or_404(round_id: int, *, casting: bool = False) -> Round:
    """``casting``: read holding the round's lock shared, for the ballot about to be cast."""
    round_ = get_round_shared(round_id) if casting else db.session.get(Round, round_id)
    if round_ is None:
        raise NotFound()
    return round_


def _visible_round(round_id: int, *, casting: bool = False) -> Round:
    round_ = _round_or_404(round_id, casting=casting)
    require(permissions.can_see_round(current_user, round_))
    return round_


def _context(round_: Round) -> dict:
    # Residents never see a draft round, so its "Draft" step is only the moderators' to see.
    steps = display.STEPS if permissions.can_manage_rounds(current_user) else display.PUBLIC_STEPS
    return {"round": round_, "phase_labels": display.PHASE_LABELS, "steps": steps}


# --- list and round page ---------------------------------------------------------------------------


@bp.get("/rounds")
def index():
    phase = request.args.get("phase", "")
    staff = bool(permissions.can_manage_rounds(current_user))
    page = db.paginate(queries.rounds(phase, include_drafts=staff), page=page_arg(),
                       per_page=current_app.config["PAGE_SIZE"], error_out=False)
    phases = [p for p in queries.PHASE_ORDER if staff or p != Phase.DRAFT]
    return render("rounds/index.html", "rounds/_list.html", page=page, phase=phase, phases=phases,
                  phase_labels=display.PHASE_LABELS, can_manage=staff)


@bp.get("/rounds/<id:round_id>")
def detail(round_id: int):
    round_ = _visible_round(round_id)
    if round_.phase in ON_BALLOT_PHASES:
        proposals = ballot_projects(round_)
    else:
        proposals = list(db.session.scalars(queries.round_proposals(round_.id)))
    return render_template(
        "rounds/detail.html",
        **_context(round_),
        following=is_following(current_user, "round", round_.id),
        proposals=proposals,
        on_ballot=round_.phase in ON_BALLOT_PHASES,
        ballot_rules=display.ballot_rules(round_),
        selection_rules=display.selection_rules(round_),
        secrecy_text=display.secrecy_text(round_),
        eligibility_text=display.eligibility_text(round_),
        vote_decision=permissions.can_vote(current_user, round_),
        voted=votes.has_voted(current_user, round_),
        can_manage=bool(permissions.can_manage_rounds(current_user)),
        counts=votes.ballots_by_channel(round_) if permissions.can_manage_rounds(current_user) else None,
        next_phase=services.NEXT_PHASE.get(round_.phase),
        advance_button=display.ADVANCE_BUTTONS.get(round_.phase),
        can_see_results=bool(permissions.can_see_results(current_user, round_)),
    )


# --- settings --------------------------------------------------------------------------------------


def _choice_page(round_: Round | None, kind, rule, http_status: int = 200):
    """Step 1 of the round form (a GET form): the ballot kind and the counting rule, in plain words."""
    error = None
    if http_status >= 400:
        error = (_("Choose one of the ballot kinds.") if kind not in set(BallotKind)
                 else _("Choose one of the selection rules."))
    return render_template("rounds/choose.html", round=round_, kind=kind, rule=rule, error=error), http_status


def _settings_page(form: RoundForm, round_: Round | None, locked: bool, http_status: int = 200):
    """Step 2: only the settings of the chosen ballot kind and rule (all of them shown, if none is chosen)."""
    if locked:
        form.lock()
    kind, rule = form.ballot_kind.data, form.rule.data
    chosen = ballot_chosen(kind, rule)
    ballot_fields, counting_fields = form.fields_for(kind, rule) if chosen else ([], [])
    return render_template(
        "rounds/form.html", form=form, round=round_, locked=locked, chosen=chosen,
        ballot_fields=ballot_fields, counting_fields=counting_fields,
        kind_plain=words.kind_words(kind), rule_plain=words.rule_words(kind, rule),
    ), http_status


def _save_settings(form: RoundForm, round_: Round | None, locked: bool):
    """Validate, call the service, and show its refusals next to their fields."""
    if not form.validate_on_submit():
        return None, _settings_page(form, round_, locked, 422 if form.errors else 200)
    settings = form.settings()
    if settings is None:
        return None, _settings_page(form, round_, locked, 422)
    try:
        if round_ is None:
            round_ = services.create_round(current_user, settings)
        else:
            services.update_round(current_user, round_, settings)
    except DomainError as error:
        field = form.field_for(error.field)
        if field is None:
            raise
        form.add_error(field, error.message)
        return None, _settings_page(form, round_, locked, error.status)
    return round_, None


def _chosen_in_args(form: RoundForm, round_: Round | None):
    """Step 2 reached from step 1: the kind and rule in the address; step 1 again if one is missing."""
    kind, rule = request.args.get("ballot_kind"), request.args.get("rule") or None
    if not ballot_chosen(kind, rule):
        return _choice_page(round_, kind, rule, 422)
    form.ballot_kind.data = kind
    form.rule.data = rule or form.rule.data or Rule.GREEDY  # yes / no ballots have no rule of their own
    return None


@bp.route("/rounds/new", methods=["GET", "POST"])
@login_required
def new():
    require(permissions.can_manage_rounds(current_user))
    if request.method == "GET":
        if "ballot_kind" not in request.args or request.args.get("step") == "kind":
            return _choice_page(None, request.args.get("ballot_kind"), request.args.get("rule"))
        form = RoundForm(formdata=None)
        return _chosen_in_args(form, None) or _settings_page(form, None, locked=False)
    form = RoundForm()
    round_, page = _save_settings(form, None, locked=False)
    if page is not None:
        return page
    flash(_("The round is created as a draft. Open it for proposals when it is ready."), "success")
    return redirect_to(url_for("rounds.detail", round_id=round_.id))


@bp.route("/rounds/<id:round_id>/edit", methods=["GET", "POST"])
@login_required
def edit(round_id: int):
    require(permissions.can_manage_rounds(current_user))
    round_ = _round_or_404(round_id)
    current = RoundSettings.of(round_)
    locked = not permissions.can_edit_settings(current_user, round_)
    if request.method == "POST":
        formdata = RoundForm.locked_formdata(request.form, current) if locked else request.form.copy()
        for name in ("ballot_kind", "rule"):  # a request without them keeps the round's own
            if name not in formdata:
                formdata.setlist(name, [getattr(current, name)])
        form = RoundForm(formdata=formdata)
        form.offer_policy(current.tie_break)
    else:
        form = RoundForm(formdata=None)
        form.fill(current)
        if not locked and request.args.get("step") == "kind":
            return _choice_page(round_, current.ballot_kind, current.rule)
        if not locked and "ballot_kind" in request.args and (page := _chosen_in_args(form, round_)):
            return page
        return _settings_page(form, round_, locked)
    saved, page = _save_settings(form, round_, locked)
    if page is not None:
        return page
    flash(_("The round is saved."), "success")
    return redirect_to(url_for("rounds.detail", round_id=saved.id))


@bp.route("/rounds/<id:round_id>/advance", methods=["GET", "POST"])
@login_required
def advance(round_id: int):
    require(permissions.can_manage_rounds(current_user))
    round_ = _round_or_404(round_id)
    form = AdvanceForm(formdata=None, expected_phase=round_.phase)
    if request.method == "POST":
        form = AdvanceForm()
        if page := _advance_confirmation(round_, form.expected_phase.data):
            return page
        try:
            round_ = services.advance_phase(current_user, round_.id, form.expected_phase.data or "")
        except Conflict as error:
            db.session.rollback()
            round_ = _round_or_404(round_id)
            form = AdvanceForm(formdata=None, expected_phase=round_.phase)
            return _advance_page(round_, form, error.message, error.status)
        flash(_("The round is now in the phase: %(phase)s.", phase=display.PHASE_LABELS[round_.phase]),
              "success")
        return redirect_to(url_for("rounds.detail", round_id=round_.id))
    if round_.phase not in services.NEXT_PHASE:
        raise PhaseClosed(_("This round has gone through all its phases."))
    return _advance_page(round_, form)


def _advance_confirmation(round_: Round, expected_phase: str | None):
    next_phase = services.NEXT_PHASE.get(round_.phase)
    if next_phase is None or expected_phase != round_.phase:
        return None  # nothing to confirm: the service refuses (the last phase, or a page out of date)
    return confirmation_needed(
        _("The round moves from “%(old)s” to “%(new)s”.", old=display.PHASE_LABELS[round_.phase],
          new=display.PHASE_LABELS[next_phase]) + " " + str(display.ADVANCE_EFFECTS[round_.phase]),
        display.ADVANCE_CONFIRM_BUTTONS[round_.phase], url_for("rounds.detail", round_id=round_.id),
    )


def _advance_page(round_: Round, form: AdvanceForm, error: str | None = None, http_status: int = 200):
    next_phase = services.NEXT_PHASE.get(round_.phase)
    return render_template(
        "rounds/advance.html", **_context(round_), form=form, error=error, next_phase=next_phase,
        effect=display.ADVANCE_EFFECTS.get(round_.phase), button=display.ADVANCE_BUTTONS.get(round_.phase),
    ), http_status


# --- voting ----------------------------------------------------------------------------------------


def _voting_round(round_id: int, *, casting: bool = False) -> Round:
    round_ = _visible_round(round_id, casting=casting)
    decision = permissions.can_vote(current_user, round_)
    if not decision:
        closed = not phase_allows(round_.phase, Action.CAST_BALLOT)
        raise (PhaseClosed if closed else NotAllowed)(decision.reason)
    return round_


def _stored_formdata(round_: Round, choices) -> MultiDict:
    """A public ballot's stored choices as the form fields that show them."""
    if choices is None:
        return MultiDict()
    kind = round_.ballot_kind
    if kind in (BallotKind.APPROVAL, BallotKind.CHOOSE_ONE):
        return MultiDict([("choice", pid) for pid in choices])
    if kind == BallotKind.ORDINAL:
        return MultiDict([(f"rank-{n}", pid) for n, pid in enumerate(choices, start=1)])
    prefix = "points" if kind == BallotKind.CUMULATIVE else "answer"
    return MultiDict([(f"{prefix}-{pid}", str(value)) for pid, value in choices.items()])


def _ballot_context(round_: Round, formdata, checked: bool = False, error: str | None = None) -> dict:
    """What the ballot form needs: the proposals, the voter's choices so far, and the counter."""
    proposals = ballot_entries(round_)
    ids = [str(p.id) for p in proposals]
    summary, problem = None, error
    try:
        ballot = parse_ballot(round_, formdata, ids)
        projects = engine_projects(proposals) if formdata else ()  # nothing chosen, nothing to count
        summary = ballot_summary(round_, ballot, list(projects))
        if checked and problem is None:
            votes.validate(round_, ballot, projects)
    except InvalidInput as refusal:
        problem = problem or refusal.message
    depth = (round_.max_choices or len(ids)) if round_.ballot_kind == BallotKind.ORDINAL else 0
    context = {
        **_context(round_),
        "proposals": proposals,
        "values": formdata,
        "ranks": [formdata.get(f"rank-{n}", "") for n in range(1, depth + 1)],
        "summary": summary,
        "problem": problem,
        "checked": checked,
        "refused": error is not None,
        "ballot_rules": display.ballot_rules(round_),
    }
    context["ballot_fields"] = lambda: _ballot_fields(context)  # only where a page shows them
    return context


# The ballot's fields before anything is chosen, rendered, by round, list and language.
_blank_ballots: Kept[Markup] = Kept(16)


def _ballot_fields(context: dict) -> Markup:
    """The ballot's fields (votes/_ballot.html). Before anything is chosen (what every voter sees first)
    they are the same for every voter of a round in a language: rendered once and kept, under the list as
    read now (id, title, cost, language of each proposal) and the round's settings the fields show."""
    def render_fields() -> Markup:
        return Markup(render_template("votes/_ballot.html", **context))  # noqa: S704 (autoescaped)

    if context["values"]:
        return render_fields()
    round_ = context["round"]
    key = (round_.id, round_.ballot_kind, round_.points_per_proposal, len(context["ranks"]),
           str(get_locale()), request.script_root, tuple(context["proposals"]))
    return _blank_ballots.get(key, render_fields)


def _vote_page(round_: Round, formdata, http_status: int = 200, **kw):
    changing = round_.secrecy == Secrecy.PUBLIC and votes.has_voted(current_user, round_)
    return render("votes/vote.html", "votes/_summary.html", http_status=http_status, changing=changing,
                  **_ballot_context(round_, formdata, **kw))


def _receipt_page(round_: Round, receipt: str, paper_voter=None):
    """The receipt code, shown once: in this response only, never stored or cached."""
    response = make_response(render_template(
        "votes/receipt.html", **_context(round_), receipt=receipt, paper_voter=paper_voter,
        # Printed on a paper voter's slip: the full address (built afresh: a fifth of the page's time).
        receipt_address=external_url("rounds.receipt", round_id=round_.id) if paper_voter else None,
    ))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/rounds/<id:round_id>/vote")
@login_required
def vote(round_id: int):
    round_ = _voting_round(round_id)
    if round_.secrecy == Secrecy.SECRET and votes.has_voted(current_user, round_):
        flash(str(votes.ALREADY_VOTED), "info")
        return redirect_to(url_for("rounds.detail", round_id=round_.id))
    return _vote_page(round_, _stored_formdata(round_, votes.own_public_ballot(current_user, round_)))


@bp.post("/rounds/<id:round_id>/vote")
@login_required
def cast(round_id: int):
    round_ = _voting_round(round_id, casting=True)
    projects = ballot_catalogue(round_, named=listed_choices(round_, request.form))
    try:
        ballot = parse_ballot(round_, request.form, [p.id for p in projects])
        # A ballot that cannot count is explained before any "are you sure?"
        votes.validate(round_, ballot, projects)
        if page := confirmation_needed(
            _("You will cast your vote in “%(title)s”. In a secret vote it cannot be changed afterwards.",
              title=round_.title),
            _("Yes, cast my vote"), url_for("rounds.vote", round_id=round_.id),
            when=round_.secrecy == Secrecy.SECRET,
        ):
            return page
        if round_.secrecy == Secrecy.SECRET:
            read_header_now()  # the receipt page's header, in the vote's own transaction
        outcome = votes.cast_ballot(current_user, round_, ballot, projects)
    except InvalidInput as error:
        return _vote_page(round_, request.form, 422, checked=True, error=error.message)
    if outcome.receipt:
        return _receipt_page(round_, outcome.receipt)
    flash(_("Your vote is changed; you can change it until voting closes.") if outcome.changed
          else _("Your vote is saved; you can change it until voting closes."), "success")
    return redirect_to(url_for("rounds.detail", round_id=round_.id))


@bp.post("/rounds/<id:round_id>/vote/summary")
@login_required
def vote_summary(round_id: int):
    """The counter of the ballot (HTMX on every change; without JavaScript: "Check my ballot")."""
    round_ = _voting_round(round_id)
    return _vote_page(round_, request.form, checked=True)


# --- receipts, paper ballots -----------------------------------------------------------------------


@bp.route("/rounds/<id:round_id>/receipt", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_RECEIPT"], methods=["POST"])
def receipt(round_id: int):
    round_ = _visible_round(round_id)
    form = ReceiptForm()
    found = None
    if form.validate_on_submit():
        try:
            found = votes.check_receipt(round_, form.code.data)
        except InvalidInput as error:
            form.add_error("code", error.message)
    return render("votes/receipt_check.html", "votes/_receipt_result.html",
                  http_status=422 if form.errors else 200, **_context(round_), form=form, found=found)


def _paper_round(round_id: int) -> Round:
    require(permissions.can_manage_rounds(current_user))
    round_ = _round_or_404(round_id)
    if not phase_allows(round_.phase, Action.ENTER_PAPER_BALLOT):
        raise PhaseClosed(_("Voting in this round is not open."))
    return round_


def _paper_voter(raw) -> User | None:
    """The account picked from the search (an id), if it exists and was not deleted."""
    if not (isinstance(raw, str) and raw.isascii() and raw.isdigit() and len(raw) < 10):
        return None
    return db.session.scalar(sa.select(User).where(User.id == int(raw), active_accounts()))


def _paper_page(round_: Round, form: PaperBallotForm, formdata, http_status: int = 200, voter=None, **kw):
    search = text_arg("q")
    matches = db.session.scalars(people_matching(search)).all() if search else []
    context = {
        **_ballot_context(round_, formdata, **kw),
        "form": form,
        "search": search,
        "matches": matches,
        "voted_ids": votes.who_voted(round_, [m.id for m in matches] + ([voter.id] if voter else [])),
        "voter": voter,
        "voter_decision": permissions.can_enter_paper_ballot(current_user, round_, voter) if voter else None,
        "counts": votes.ballots_by_channel(round_),
    }
    return render("votes/paper.html", "votes/_voter_matches.html", http_status=http_status, **context)


@bp.route("/rounds/<id:round_id>/paper", methods=["GET", "POST"])
@login_required
def paper(round_id: int):
    """Find the voter (name, flat, e-mail or slip), pick them from the list, then type in their ballot."""
    round_ = _paper_round(round_id)
    if request.method == "GET":
        voter = _paper_voter(request.args.get("voter", ""))
        return _paper_page(round_, PaperBallotForm(formdata=None, voter=voter and voter.id), request.form,
                           voter=voter)
    form = PaperBallotForm()
    voter = _paper_voter(form.voter.data)
    if not form.validate_on_submit() or voter is None:
        if voter is None:
            form.form_errors.append(_("Find the voter and choose them from the list first."))
        return _paper_page(round_, form, request.form, 422, voter=voter)
    ids = [str(p.id) for p in ballot_projects(round_)]
    try:
        outcome = votes.enter_paper_ballot(current_user, round_, voter,
                                           parse_ballot(round_, request.form, ids))
    except InvalidInput as error:
        return _paper_page(round_, form, request.form, 422, voter=voter, checked=True, error=error.message)
    except (NotAllowed, Conflict) as error:
        db.session.rollback()
        form.form_errors.append(error.message)
        return _paper_page(_round_or_404(round_id), form, request.form, error.status, voter=voter)
    if outcome.receipt:
        return _receipt_page(round_, outcome.receipt, paper_voter=voter)
    flash(_("The paper ballot of %(name)s is saved.", name=voter.display_name), "success")
    return redirect_to(url_for("rounds.paper", round_id=round_id))


# --- results ---------------------------------------------------------------------------------------


@bp.get("/rounds/<id:round_id>/results")
def results(round_id: int):
    round_ = _visible_round(round_id)
    decision = permissions.can_see_results(current_user, round_)
    if not decision:
        raise PhaseClosed(decision.reason)
    shown = display.results(round_)
    scores = shown and shown.part("scores", request.script_root, lambda: Markup(  # noqa: S704 (autoescaped)
        render_template("rounds/_results_scores.html", results=shown)))
    return render_template("rounds/results.html", **_context(round_), results=shown, scores=scores)
