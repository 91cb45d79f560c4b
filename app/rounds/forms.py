"""Forms of the round pages: round settings (money in zł, dates in Warsaw time), receipts, paper ballots.

The ballot itself is read by ``app.votes.ballots.parse_ballot`` from the raw form fields; its form
here only carries the CSRF token.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice

from app.forms import (
    YEAR_OUT_OF_RANGE,
    YEARS,
    BaseForm,
    YearOutOfRange,
    max_length,
    plain_line,
    required,
)
from app.money import parse_zloty, zloty_input
from app.numbers import parse_whole
from app.phases.models import BallotKind, Eligibility, Rule, Secrecy
from app.rounds.settings import RoundSettings

WARSAW = ZoneInfo("Europe/Warsaw")

BALLOT_KIND_LABELS = {
    BallotKind.APPROVAL: _l("Approval: tick the proposals you support"),
    BallotKind.CHOOSE_ONE: _l("Choose one: a single proposal"),
    BallotKind.ORDINAL: _l("Ranking: put proposals in order (1st, 2nd, 3rd…)"),
    BallotKind.CUMULATIVE: _l("Points: spread points among the proposals"),
    BallotKind.YES_NO: _l("Yes / no: answer for each proposal on its own"),
}
RULE_LABELS = {
    Rule.GREEDY: _l("Highest score first, while the budget lasts"),
    Rule.EQUAL_SHARES: _l("Method of Equal Shares (each voter gets an equal part of the budget)"),
    Rule.RANKING: _l("Ranking: the best N, or all above a score (no budget)"),
}
SECRECY_LABELS = {
    Secrecy.SECRET: _l("Secret: nobody can see who voted for what; voters get a receipt code"),
    Secrecy.PUBLIC: _l("Public: ballots carry the voter's name and can be changed until voting closes"),
}
ELIGIBILITY_LABELS = {
    Eligibility.VERIFIED_RESIDENTS: _l("Verified residents of the estate"),
    Eligibility.REGISTERED: _l("Everyone with a confirmed account"),
}
COMPLETION_LABELS = {
    "": _l("Leave it: fund only what the supporters can pay for with their equal parts"),
    "add1": _l("Raise everyone's part a little, step by step, and try again, so that more of the money is "
               "used (recommended; specialists call this “Add1”)"),
    "add1-comparison": _l("As above, then compare with “Most votes, while the money lasts” and keep the "
                          "result that more voters prefer"),
}

# Tie-break presets: the ordered criteria of app/votes/tally/ties.py CRITERIA.
TIE_BREAK_PRESETS = {
    "cost": ["lower_cost", "more_voters", "lot"],
    "voters": ["more_voters", "lower_cost", "lot"],
    "top_ranks": ["more_top_ranks", "lower_cost", "lot"],
}
TIE_BREAK_LABELS = {
    "cost": _l("Lower cost, then more voters, then a lot"),
    "voters": _l("More voters, then lower cost, then a lot"),
    "top_ranks": _l("More first places (ranking ballots), then lower cost, then a lot"),
}
CRITERION_LABELS = {
    "lower_cost": _l("lower cost"),
    "higher_cost": _l("higher cost"),
    "more_voters": _l("more voters"),
    "fewer_voters": _l("fewer voters"),
    "more_top_ranks": _l("more first places"),
    "id": _l("lower proposal number"),
    "lot": _l("a lot from a seed drawn when voting opens and published with the results"),
}

NUMBER_FIELDS = (
    "min_choices", "max_choices", "points_total", "points_per_proposal", "ranking_top_n",
    "ranking_threshold", "yes_no_quorum", "yes_no_majority_percent",
)
MONEY_FIELDS = {"budget": "budget_grosze", "max_ballot_cost": "max_ballot_cost_grosze"}
DATE_FIELDS = ("submission_starts_at", "review_starts_at", "voting_starts_at", "voting_ends_at")
# RoundSettings field → the form field that shows its errors.
SETTINGS_FIELD = {setting: name for name, setting in MONEY_FIELDS.items()}


def describe_policy(criteria) -> str:
    """An ordered tie-break policy in words: "lower cost, then more voters, then …"."""
    words = [str(CRITERION_LABELS.get(c, c)) for c in criteria]
    return str(_l(", then ")).join(words)


def parse_local_datetime(text: str) -> datetime | None:
    """A datetime-local value ("2025-03-30T02:30") in Warsaw time → aware UTC; empty → None."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        local = datetime.fromisoformat(text.replace(" ", "T"))
    except ValueError as error:
        raise ValueError(text) from error
    if local.tzinfo is not None:
        raise ValueError(text)
    if local.year not in YEARS:
        raise YearOutOfRange(text)
    return local.replace(tzinfo=WARSAW).astimezone(UTC)


def format_local_datetime(value: datetime | None) -> str:
    if value is None:
        return ""
    return value.astimezone(WARSAW).strftime("%Y-%m-%dT%H:%M")


def _choices(labels: dict) -> list[SelectChoice]:
    return [SelectChoice(str(value), label) for value, label in labels.items()]


def _number(label, description=None) -> StringField:
    return StringField(label, validators=[max_length(6)], description=description,
                       render_kw={"inputmode": "numeric", "autocomplete": "off"})


def _money(label, description=None) -> StringField:
    return StringField(label, validators=[max_length(30)], description=description,
                       render_kw={"inputmode": "decimal", "autocomplete": "off"})


def _date(label) -> StringField:
    # The field macro leaves out maxlength, which HTML forbids on a date input (the length is still checked).
    return StringField(label, validators=[max_length(20)],
                       render_kw={"type": "datetime-local"},
                       description=_l("Warsaw time. Optional."))


# The settings each ballot kind and each counting rule needs: the form shows only these.
KIND_FIELDS: dict[str, tuple[str, ...]] = {
    BallotKind.APPROVAL: ("min_choices", "max_choices", "max_ballot_cost"),
    BallotKind.CHOOSE_ONE: (),
    BallotKind.ORDINAL: ("min_choices", "max_choices"),
    BallotKind.CUMULATIVE: ("points_total", "points_per_proposal"),
    BallotKind.YES_NO: ("yes_no_quorum", "yes_no_majority_percent"),
}
RULE_FIELDS: dict[str, tuple[str, ...]] = {
    Rule.GREEDY: ("budget",),
    Rule.EQUAL_SHARES: ("budget", "equal_shares_completion"),
    Rule.RANKING: ("ranking_top_n", "ranking_threshold"),
}
# What the limits mean on each ballot kind that has them.
KIND_DESCRIPTIONS: dict[tuple[str, str], Any] = {
    (BallotKind.APPROVAL, "min_choices"): _l("The fewest proposals a voter must tick. Empty: at least one."),
    (BallotKind.APPROVAL, "max_choices"): _l("The most proposals a voter may tick. Empty: as many as they "
                                             "like."),
    (BallotKind.ORDINAL, "min_choices"): _l("The fewest places a voter must fill in. Empty: at least one."),
    (BallotKind.ORDINAL, "max_choices"): _l("How many places the ballot has (required). With 3 places the "
                                            "first choice gets 3 points, the second 2 and the third 1."),
}


def ballot_chosen(kind, rule) -> bool:
    """Whether the first step is done: a ballot kind, and a counting rule unless yes / no (which counts
    each proposal on its own)."""
    if kind not in set(BallotKind):
        return False
    return kind == BallotKind.YES_NO or rule in set(Rule)


class RoundForm(BaseForm):
    title = StringField(_l("Title"), validators=[required(), max_length(200), plain_line])
    description = TextAreaField(
        _l("Description"), validators=[max_length(20_000)], render_kw={"rows": 8},
        description=_l("What the round is for, what can be proposed, and how much money there is. "
                       "You can use Markdown."),
    )
    ballot_kind = RadioField(_l("Ballot"), choices=_choices(BALLOT_KIND_LABELS),
                             validators=[required(_l("Choose one of the ballot kinds."))])
    rule = RadioField(_l("How winners are chosen"), choices=_choices(RULE_LABELS),
                      validators=[required(_l("Choose one of the selection rules."))])
    budget = _money(_l("Budget (zł)"),
                    _l("The money to share out, in złoty: for example 50 000 or 1 234,50."))
    min_choices = _number(_l("Fewest proposals on a ballot"),
                          _l("Approval and ranking ballots. Empty: at least one."))
    max_choices = _number(_l("Most proposals on a ballot"),
                          _l("Approval ballots: empty means no limit. Ranking ballots: how many places "
                             "(required)."))
    max_ballot_cost = _money(_l("Most a ballot may spend (zł)"),
                             _l("The proposals one voter ticks may cost at most this much together, so that "
                                "nobody picks more than the budget can pay for. Empty: no limit."))
    points_total = _number(_l("Points each voter has"),
                           _l("How many points each voter shares out, for example 10 (required)."))
    points_per_proposal = _number(_l("Most points for one proposal"),
                                  _l("The most points a voter may give to one proposal, for example 5. "
                                     "Empty: no limit."))
    ranking_top_n = _number(_l("Number of winners"),
                            _l("How many proposals win, for example 3. Fill in this or the score below, "
                               "not both."))
    ranking_threshold = _number(_l("Score needed to win"),
                                _l("Every proposal with at least this many votes or points wins. Fill in "
                                   "this or the number of winners, not both."))
    yes_no_quorum = _number(_l("Turnout needed (%)"),
                            _l("The vote counts only if at least this share of the people who may vote "
                               "takes part (a turnout quorum). For example 30 means 30 of every 100 people. "
                               "Empty: no minimum."))
    yes_no_majority_percent = _number(
        _l("Yes share needed (%)"),
        _l("Of the people who answer yes or no to a proposal, at least this share must say yes, for "
           "example 60. Empty: more yes than no is enough."))
    equal_shares_completion = RadioField(_l("When money is left over"),
                                         choices=_choices(COMPLETION_LABELS),
                                         default="")
    tie_break = RadioField(_l("Ties are broken by"), choices=_choices(TIE_BREAK_LABELS), default="cost",
                           validators=[required(_l("Choose how ties are broken."))],
                           description=_l("When two proposals have exactly the same result. A lot is "
                                          "drawn from a number fixed when voting opens and published "
                                          "with the results."))
    secrecy = RadioField(_l("Secrecy"), choices=_choices(SECRECY_LABELS), default=str(Secrecy.SECRET),
                         validators=[required(_l("Choose whether the vote is secret or public."))])
    eligibility = RadioField(_l("Who may vote"), choices=_choices(ELIGIBILITY_LABELS),
                             default=str(Eligibility.VERIFIED_RESIDENTS),
                             validators=[required(_l("Choose who may vote."))])
    submission_starts_at = _date(_l("Proposals open"))
    review_starts_at = _date(_l("Review starts"))
    voting_starts_at = _date(_l("Voting opens"))
    voting_ends_at = _date(_l("Voting closes"))

    # Fields that change what a vote means (frozen once voting starts).
    VOTE_MEANING = (
        "ballot_kind", "rule", "budget", "min_choices", "max_choices", "max_ballot_cost", "points_total",
        "points_per_proposal", "ranking_top_n", "ranking_threshold", "yes_no_quorum",
        "yes_no_majority_percent", "equal_shares_completion", "tie_break", "secrecy", "eligibility",
    )

    def fields_for(self, kind: str, rule: str) -> tuple[list, list]:
        """The ballot's own fields and the counting fields of a kind and rule, described for that kind."""
        for name in KIND_FIELDS.get(kind, ()):
            if (kind, name) in KIND_DESCRIPTIONS:
                getattr(self, name).description = KIND_DESCRIPTIONS[(kind, name)]
        counting = () if kind == BallotKind.YES_NO else RULE_FIELDS.get(rule, ())
        return ([getattr(self, name) for name in KIND_FIELDS.get(kind, ())],
                [getattr(self, name) for name in counting])

    def lock(self) -> None:
        """Show the vote-meaning fields disabled (voting has started)."""
        for name in self.VOTE_MEANING:
            field = getattr(self, name)
            field.render_kw = {**(field.render_kw or {}), "disabled": True}

    def offer_policy(self, criteria: list[str]) -> None:
        """A round whose tie-break policy is none of the presets keeps it as a choice of its own."""
        key = self.preset_of(criteria)
        if key == "current":
            self.tie_break.choices = [*self.tie_break.choices,
                                      SelectChoice("current", _l("As now: %(policy)s",
                                                                 policy=describe_policy(criteria)))]
        self._current_policy = list(criteria)

    @staticmethod
    def preset_of(criteria) -> str:
        for key, preset in TIE_BREAK_PRESETS.items():
            if list(criteria) == preset:
                return key
        return "current"

    def fill(self, settings: RoundSettings) -> None:
        """Show a round's settings (money in zł, dates in Warsaw time)."""
        self.offer_policy(settings.tie_break)
        for name in ("title", "description", "ballot_kind", "rule", "secrecy", "eligibility"):
            getattr(self, name).data = str(getattr(settings, name))
        self.equal_shares_completion.data = settings.equal_shares_completion or ""
        self.tie_break.data = self.preset_of(settings.tie_break)
        for name in NUMBER_FIELDS:
            value = getattr(settings, name)
            getattr(self, name).data = "" if value is None else str(value)
        for name, setting in MONEY_FIELDS.items():
            getattr(self, name).data = zloty_input(getattr(settings, setting))
        for name in DATE_FIELDS:
            getattr(self, name).data = format_local_datetime(getattr(settings, name))

    @classmethod
    def locked_formdata(cls, formdata, current: RoundSettings):
        """Once voting has started the vote-meaning fields are shown disabled (browsers do not send
        them): they keep the round's current values, whatever a request says."""
        shown = cls(formdata=None)
        shown.fill(current)
        formdata = formdata.copy()
        for name in cls.VOTE_MEANING:
            formdata.setlist(name, [getattr(shown, name).data])
        return formdata

    def settings(self) -> RoundSettings | None:
        """The settings typed in, or None with errors attached to the fields."""
        values: dict = {"title": self.title.data.strip(), "description": self.description.data or ""}
        ok = True
        for name in ("ballot_kind", "rule", "secrecy", "eligibility"):
            values[name] = getattr(self, name).data
        values["equal_shares_completion"] = self.equal_shares_completion.data or None
        key = self.tie_break.data
        values["tie_break"] = list(TIE_BREAK_PRESETS.get(key) or getattr(self, "_current_policy", []))
        for name in NUMBER_FIELDS:
            raw = (getattr(self, name).data or "").strip()
            if not raw:
                values[name] = None
            elif parse_whole(raw) is not None:
                values[name] = parse_whole(raw)
            else:
                self.add_error(name, _l("Enter a whole number, like 3."))
                ok = False
        for name, setting in MONEY_FIELDS.items():
            try:
                values[setting] = parse_zloty(getattr(self, name).data, comma_groups=False)
            except ValueError:
                self.add_error(name, _l("Enter an amount in złoty, like 1 234,50 or 1234.50."))
                ok = False
        for name in DATE_FIELDS:
            try:
                values[name] = parse_local_datetime(getattr(self, name).data)
            except YearOutOfRange:
                self.add_error(name, YEAR_OUT_OF_RANGE)
                ok = False
            except ValueError:
                self.add_error(name, _l("Enter a date and time, like 2025-03-01 18:00."))
                ok = False
        return RoundSettings(**values) if ok else None

    def field_for(self, settings_field: str | None) -> str | None:
        """The form field that shows an error about a RoundSettings field."""
        name = SETTINGS_FIELD.get(settings_field, settings_field) if settings_field is not None else None
        return name if name and hasattr(self, name) else None


class AdvanceForm(BaseForm):
    expected_phase = HiddenField()


class ReceiptForm(BaseForm):
    code = StringField(
        _l("Receipt code"), validators=[required(_l("Enter the receipt code.")), max_length(40)],
        description=_l("The code you got after voting, like ABCD-EFGH-JKLM-NPQR."),
        render_kw={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"},
    )


class PaperBallotForm(BaseForm):
    """The voter, picked from the search's list; the ballot's own fields are read by ``parse_ballot``."""

    voter = HiddenField()
