"""Round settings and stored results in plain words, for the round and results pages."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, TypeVar

from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.i18n import money, quoted
from app.kept import Kept
from app.phases.models import BallotKind, Eligibility, Phase, Round, Rule, Secrecy
from app.rounds.forms import CRITERION_LABELS, describe_policy
from app.votes.tally import result as outcome

V = TypeVar("V")

PHASE_LABELS: dict[str, Any] = {
    Phase.DRAFT: _l("Draft"),
    Phase.SUBMISSION: _l("Proposals open"),
    Phase.REVIEW: _l("Review"),
    Phase.VOTING: _l("Voting"),
    Phase.CLOSED: _l("Results"),
    Phase.ARCHIVED: _l("Archived"),
}
STEPS = (Phase.DRAFT, Phase.SUBMISSION, Phase.REVIEW, Phase.VOTING, Phase.CLOSED)
PUBLIC_STEPS = STEPS[1:]  # what residents see: a draft round is the moderators' alone

# What moving a round on from a phase does, said on the confirmation page.
ADVANCE_EFFECTS: dict[str, Any] = {
    Phase.DRAFT: _l("The round becomes public and residents can send in proposals."),
    Phase.SUBMISSION: _l("No new proposals can be sent in; moderators review the ones that came in."),
    Phase.REVIEW: _l("Voting opens on the accepted proposals. The voting rules can no longer change. "
                     "Every proposal must be reviewed first."),
    Phase.VOTING: _l("Closing voting counts the votes and publishes the results; ballots can no longer "
                     "change."),
    Phase.CLOSED: _l("The round is archived; its results stay public."),
}
ADVANCE_BUTTONS: dict[str, Any] = {
    Phase.DRAFT: _l("Open for proposals"),
    Phase.SUBMISSION: _l("Start the review"),
    Phase.REVIEW: _l("Open voting"),
    Phase.VOTING: _l("Close voting and count"),
    Phase.CLOSED: _l("Archive the round"),
}
# The same, on the confirmation page's button.
ADVANCE_CONFIRM_BUTTONS: dict[str, Any] = {
    Phase.DRAFT: _l("Yes, open for proposals"),
    Phase.SUBMISSION: _l("Yes, start the review"),
    Phase.REVIEW: _l("Yes, open voting"),
    Phase.VOTING: _l("Yes, close voting and count"),
    Phase.CLOSED: _l("Yes, archive the round"),
}


def ballot_rules(round_: Round) -> list[str]:
    """How to fill in the ballot, in sentences."""
    kind = round_.ballot_kind
    lines = []
    if kind == BallotKind.APPROVAL:
        low = 1 if round_.min_choices is None else round_.min_choices
        if round_.max_choices:
            # One sentence, its plural chosen by the upper bound: "od 1 do 2 propozycji".
            lines.append(ngettext("Tick the proposals you support: from %(min)d to %(num)d proposal.",
                                  "Tick the proposals you support: from %(min)d to %(num)d proposals.",
                                  round_.max_choices, min=low))
        else:
            lines.append(ngettext("Tick the proposals you support: at least %(num)d, as many as you like.",
                                  "Tick the proposals you support: at least %(num)d, as many as you like.",
                                  low))
        if round_.max_ballot_cost_grosze:
            lines.append(_("The proposals you tick may cost at most %(limit)s together.",
                           limit=money(round_.max_ballot_cost_grosze)))
    elif kind == BallotKind.CHOOSE_ONE:
        lines.append(_("Choose one proposal."))
    elif kind == BallotKind.ORDINAL:
        depth = round_.max_choices or 0
        lines.append(ngettext(
            "Rank up to %(num)d proposals, best first: your 1st choice gets %(num)d points, each next one "
            "a point less.",
            "Rank up to %(num)d proposals, best first: your 1st choice gets %(num)d points, each next one "
            "a point less.", depth))
        if round_.min_choices and round_.min_choices > 1:
            lines.append(ngettext("Rank at least %(num)d proposal.", "Rank at least %(num)d proposals.",
                                  round_.min_choices))
    elif kind == BallotKind.CUMULATIVE:
        lines.append(ngettext("Spread %(num)d point among the proposals.",
                              "Spread %(num)d points among the proposals.", round_.points_total or 0))
        if round_.points_per_proposal:
            lines.append(ngettext("One proposal can get at most %(num)d point.",
                                  "One proposal can get at most %(num)d points.", round_.points_per_proposal))
    else:
        lines.append(_("Answer yes, no or abstain for each proposal."))
    return lines


def selection_rules(round_: Round) -> list[str]:
    """How the winners are chosen, in sentences."""
    lines = []
    if round_.ballot_kind == BallotKind.YES_NO:
        if round_.yes_no_majority_percent:
            lines.append(_("A proposal passes when at least %(percent)d%% of the yes and no answers are yes.",
                           percent=round_.yes_no_majority_percent))
        else:
            lines.append(_("A proposal passes when it gets more yes than no answers."))
        if round_.yes_no_quorum:
            lines.append(_("The vote counts only if at least %(percent)d%% of the eligible voters take part.",
                           percent=round_.yes_no_quorum))
        return lines
    if round_.rule == Rule.GREEDY:
        lines.append(_("The proposals with the highest scores are funded one after another while the budget "
                       "of %(budget)s lasts; a proposal that no longer fits is skipped.",
                       budget=money(round_.budget_grosze)))
    elif round_.rule == Rule.EQUAL_SHARES:
        lines.append(_("Method of Equal Shares: the budget of %(budget)s is split equally among the voters, "
                       "and a proposal is funded when its supporters can pay for it together.",
                       budget=money(round_.budget_grosze)))
        if round_.equal_shares_completion:
            lines.append(_("If money is left over, everyone's share is raised step by step to fund more "
                           "(the “add1” completion)."))
        if round_.equal_shares_completion == "add1-comparison":
            lines.append(_("The result is then compared with the highest-score-first result, which is kept "
                           "instead if more voters prefer it."))
    else:
        if round_.ranking_top_n:
            lines.append(ngettext("The proposal with the highest score wins.",
                                  "The %(num)d proposals with the highest scores win.", round_.ranking_top_n))
        if round_.ranking_threshold is not None:
            lines.append(_("Every proposal with a score of at least %(score)d wins.",
                           score=round_.ranking_threshold))
    lines.append(_("Equal scores are decided by: %(policy)s.", policy=describe_policy(round_.tie_break)))
    return lines


def secrecy_text(round_: Round) -> str:
    if round_.secrecy == Secrecy.SECRET:
        return _("The vote is secret: nobody, administrators included, can see who voted for what. After "
                 "voting you get a receipt code to check that your ballot is counted.")
    return _("The vote is public: your ballot is stored with your name, and you can change it until voting "
             "closes.")


def eligibility_text(round_: Round) -> str:
    if round_.eligibility == Eligibility.VERIFIED_RESIDENTS:
        return _("Verified residents of the estate with a confirmed e-mail address may vote, online or on "
                 "paper at the centre.")
    return _("Everyone with a confirmed account may vote.")


# --- results ---------------------------------------------------------------------------------------


@dataclass
class Row:
    id: str
    name: str
    cost: int
    score: int
    votes: int
    rank: int
    selected: bool
    explanation: str
    no: int | None = None
    place: int = 0  # equal scores share a place (1, 2, 2, 4); rank is the tie-broken order
    abstain: int | None = None  # yes/no: ballots that answered neither yes nor no


@dataclass
class Results:
    rows: list[Row]
    winners: list[Row]
    budget: int | None
    budget_used: int
    ballots: int
    eligible: int | None  # None: imported ballots, whose electorate the platform does not know
    online: int
    paper: int
    ties: list[str] = field(default_factory=list)
    comparison: str | None = None
    yes_no: bool = False
    imported: bool = False
    # Parts of the page made from these results alone, by the address they link from (see ``part``).
    parts: dict[tuple[str, str], Any] = field(default_factory=dict, repr=False, compare=False)

    def part(self, name: str, root: str, make: Callable[[], V]) -> V:
        """The part ``name`` of the results page (e.g. its scores, 150 rows) made once for these results —
        kept per round, result and language — and the application root its links start from."""
        key = (name, root)
        if key not in self.parts:
            self.parts[key] = make()
        return self.parts[key]

    @property
    def turnout_percent(self) -> float | None:
        participants = self.online + self.paper
        return participants / self.eligible * 100 if self.eligible else None

    @cached_property  # the chart asks for each of its 150 bars
    def max_score(self) -> int:
        return max([r.score for r in self.rows] + [1])

    @cached_property  # the table asks for each row
    def has_costs(self) -> bool:
        """Whether any proposal has a cost (a round without costs shows no cost column)."""
        return any(r.cost for r in self.rows)

    @property
    def shared_places(self) -> bool:
        return len({r.place for r in self.rows}) < len(self.rows)


def _paid(payments: list[dict]) -> str:
    parts = [ngettext("%(num)d supporter paid %(amount)s", "%(num)d supporters paid %(amount)s each",
                      p["voters"], amount=money(p["amount"]["grosze"])) for p in payments]
    return "; ".join(parts)


def explain(project: dict) -> str:
    """Why a proposal ended where it did, in a sentence."""
    reason = project["reason"]
    cost = money(project["cost"])
    if reason == outcome.FUNDED:
        return _("Selected: its cost of %(cost)s fitted the %(left)s left in the budget at its turn.",
                 cost=cost, left=money(project.get("remaining_budget")))
    if reason == outcome.DID_NOT_FIT:
        return _("Not selected: it costs %(cost)s, but only %(left)s of the budget remained at its turn.",
                 cost=cost, left=money(project.get("remaining_budget")))
    if reason == outcome.WITHDRAWN:
        return _("Not selected: it was withdrawn and can no longer be funded.")
    if reason == outcome.STOPPED:
        return _("Not selected: the count stopped at an earlier proposal that did not fit the budget.")
    if reason == outcome.EXCLUDED:
        return _("Not selected: another proposal of its group, which excludes this one, was funded.")
    if reason == outcome.NO_SUPPORT:
        return _("Not selected: nobody voted for it.")
    if reason == outcome.BOUGHT:
        return _("Selected: its supporters paid its cost of %(cost)s together (%(payments)s).",
                 cost=cost, payments=_paid(project.get("payments", [])))
    if reason == outcome.UNAFFORDABLE:
        available = (project.get("available") or {}).get("grosze", 0)
        return _("Not selected: its supporters had only %(available)s left together, less than its cost of "
                 "%(cost)s.", available=money(available), cost=cost)
    if reason in (outcome.IN_TOP, outcome.OUTSIDE_TOP, outcome.ABOVE_THRESHOLD, outcome.BELOW_THRESHOLD):
        return {
            outcome.IN_TOP: _("Selected: among the proposals with the highest scores."),
            outcome.OUTSIDE_TOP: _("Not selected: other proposals had higher scores."),
            outcome.ABOVE_THRESHOLD: _("Selected: its score reached the score needed to win."),
            outcome.BELOW_THRESHOLD: _("Not selected: its score is below the score needed to win."),
        }[reason]
    yes, no = project["score"], project.get("no") or 0
    if reason == outcome.PASSED:
        return _("Passed: %(yes)d yes, %(no)d no.", yes=yes, no=no)
    if reason == outcome.NO_QUORUM:
        return _("Failed: too few voters took part to meet the quorum (%(yes)d yes, %(no)d no).",
                 yes=yes, no=no)
    if reason == outcome.NO_MAJORITY:
        return _("Failed: not enough yes answers (%(yes)d yes, %(no)d no).", yes=yes, no=no)
    return _("Selected.") if project["selected"] else _("Not selected.")


def _tie_sentence(tie: dict, names: dict[str, str]) -> str:
    listed = ", ".join(quoted(names.get(pid, pid)) for pid in tie["projects"])
    steps = "; ".join(
        _("“%(first)s” before “%(second)s”: %(criterion)s", first=names.get(s["first"], s["first"]),
          second=names.get(s["second"], s["second"]), criterion=CRITERION_LABELS.get(s["criterion"],
                                                                                     s["criterion"]))
        for s in tie["steps"]
    )
    if tie["score"].startswith("rho="):
        sentence = _("%(projects)s could be bought at the same price per voter.", projects=listed)
    else:
        sentence = _("%(projects)s had the same score (%(score)s).", projects=listed, score=tie["score"])
    decided = (_("The order decided who won, by this step: %(criterion)s.",
                 criterion=CRITERION_LABELS.get(tie["criterion"], tie["criterion"]))
               if tie["affects_selection"] else _("The order did not change who won."))
    return _("%(tie)s The order: %(steps)s. %(decided)s", tie=sentence, steps=steps, decided=decided)


_kept: Kept[Results] = Kept(32)


def results(round_: Round) -> Results | None:
    """A closed round's results in the current language. Made from the stored result alone, so they are
    kept per round, result fingerprint and language: the page of a round with 150 proposals does not
    build its 150 explanations again on every request. Read-only: callers never change them."""
    if not round_.result:
        return None
    if not round_.result_sha256:
        return _results(round_)
    return _kept.get((round_.id, round_.result_sha256, get_locale()), lambda: _results(round_))


def _results(round_: Round) -> Results:
    data = round_.result
    assert data is not None  # a closed round
    tally = data["tally"]
    names = {p["id"]: p["name"] for p in tally["projects"]}
    yes_no = data["ballot_kind"] == BallotKind.YES_NO
    scores = sorted(p["score"] for p in tally["projects"])
    rows = [
        Row(id=p["id"], name=p["name"], cost=p["cost"], score=p["score"], votes=p["votes"], rank=p["rank"],
            selected=p["selected"], explanation=explain(p), no=p.get("no"),
            place=p["rank"] if yes_no else 1 + len(scores) - bisect_right(scores, p["score"]),
            abstain=data["ballots"] - p["score"] - (p.get("no") or 0) if yes_no else None)
        for p in tally["projects"]
    ]
    by_id = {r.id: r for r in rows}
    comparison = None
    details = tally.get("details") or {}
    if "comparison" in details:
        c = details["comparison"]
        comparison = (
            _("The highest-score-first result was kept: %(greedy)d voters preferred it, %(mes)d preferred "
              "equal shares.", greedy=c["greedy_preferred_by"], mes=c["equal_shares_preferred_by"])
            if c["kept"] == "greedy" else
            _("Equal shares was kept: %(mes)d voters preferred it, %(greedy)d preferred the "
              "highest-score-first result.", greedy=c["greedy_preferred_by"],
              mes=c["equal_shares_preferred_by"])
        )
    return Results(
        rows=rows,
        winners=[by_id[w] for w in tally["winners"] if w in by_id],
        budget=tally.get("budget"),
        budget_used=tally.get("budget_used", 0),
        ballots=data["ballots"],
        eligible=data.get("eligible_voters"),
        online=data["turnout"]["online"],
        paper=data["turnout"]["paper"],
        ties=[_tie_sentence(t, names) for t in tally["ties"]],
        comparison=comparison,
        yes_no=yes_no,
        imported=bool(data.get("imported")),
    )
