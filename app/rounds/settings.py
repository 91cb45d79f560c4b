"""Round settings as one value, checked as a whole before a round is created or changed."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import datetime

from flask_babel import lazy_gettext as _l

from app.errors import InvalidInput
from app.phases.models import BallotKind, Eligibility, Phase, Round, Rule, Secrecy
from app.votes.tally import CRITERIA

MAX_BUDGET_GROSZE = 10**13  # 100 billion zł: anything above is a typing error


@dataclass
class RoundSettings:
    title: str
    description: str = ""
    ballot_kind: str = BallotKind.APPROVAL
    rule: str = Rule.GREEDY
    budget_grosze: int | None = None
    min_choices: int | None = None
    max_choices: int | None = None
    max_ballot_cost_grosze: int | None = None
    points_total: int | None = None
    points_per_proposal: int | None = None
    ranking_top_n: int | None = None
    ranking_threshold: int | None = None
    yes_no_quorum: int | None = None
    yes_no_majority_percent: int | None = None
    equal_shares_completion: str | None = None
    tie_break: list[str] = field(default_factory=lambda: ["lower_cost", "more_voters", "lot"])
    secrecy: str = Secrecy.SECRET
    eligibility: str = Eligibility.VERIFIED_RESIDENTS
    submission_starts_at: datetime | None = None
    review_starts_at: datetime | None = None
    voting_starts_at: datetime | None = None
    voting_ends_at: datetime | None = None

    @classmethod
    def of(cls, round_: Round) -> RoundSettings:
        return cls(**{f.name: getattr(round_, f.name) for f in fields(cls)})

    def apply_to(self, round_: Round) -> None:
        for f in fields(self):
            setattr(round_, f.name, getattr(self, f.name))

    # Settings that change what a vote means: frozen once voting starts.
    VOTE_MEANING = (
        "ballot_kind", "rule", "budget_grosze", "min_choices", "max_choices", "max_ballot_cost_grosze",
        "points_total", "points_per_proposal", "ranking_top_n", "ranking_threshold", "yes_no_quorum",
        "yes_no_majority_percent", "equal_shares_completion", "tie_break", "secrecy", "eligibility",
    )

    def validate(self) -> None:
        """Raise InvalidInput naming the first field that is wrong."""

        def bad(field_name: str, message) -> None:
            raise InvalidInput(message, field=field_name)

        if not self.title.strip():
            bad("title", _l("This field is required."))
        if self.ballot_kind not in set(BallotKind):
            bad("ballot_kind", _l("Choose one of the ballot kinds."))
        if self.rule not in set(Rule):
            bad("rule", _l("Choose one of the selection rules."))
        if self.secrecy not in set(Secrecy):
            bad("secrecy", _l("Choose whether the vote is secret or public."))
        if self.eligibility not in set(Eligibility):
            bad("eligibility", _l("Choose who may vote."))
        for name in ("budget_grosze", "max_ballot_cost_grosze"):
            value = getattr(self, name)
            if value is not None and not 0 < value <= MAX_BUDGET_GROSZE:
                bad(name, _l("Enter an amount greater than zero."))
        for name in ("min_choices", "max_choices", "points_total", "points_per_proposal", "ranking_top_n",
                     "ranking_threshold"):
            value = getattr(self, name)
            if value is not None and not 0 <= value <= 10_000:
                bad(name, _l("Enter a whole number between 0 and 10 000."))
        for name in ("yes_no_quorum", "yes_no_majority_percent"):
            value = getattr(self, name)
            if value is not None and not 0 <= value <= 100:
                bad(name, _l("Enter a percentage between 0 and 100."))
        if not self.tie_break or any(c not in CRITERIA for c in self.tie_break):
            bad("tie_break", _l("Choose how ties are broken."))
        if self.equal_shares_completion not in (None, "add1", "add1-comparison"):
            bad("equal_shares_completion", _l("Choose one of the completion methods."))
        self.validate_kind()
        self._validate_schedule()

    def validate_kind(self) -> None:
        kind, rule = self.ballot_kind, self.rule
        if kind != BallotKind.YES_NO and rule in (Rule.GREEDY, Rule.EQUAL_SHARES) and not self.budget_grosze:
            raise InvalidInput(_l("This selection rule needs a budget."), field="budget_grosze")
        if kind != BallotKind.YES_NO and rule == Rule.RANKING and not (
            self.ranking_top_n or self.ranking_threshold is not None
        ):
            raise InvalidInput(_l("Say how many proposals win, or the score they need."),
                               field="ranking_top_n")
        if (kind != BallotKind.YES_NO and rule == Rule.RANKING and self.ranking_top_n
                and self.ranking_threshold is not None):
            raise InvalidInput(_l("Give either the number of winning proposals or the score they need, "
                                  "not both."), field="ranking_threshold")
        if kind == BallotKind.ORDINAL and not self.max_choices:
            raise InvalidInput(_l("Say how many proposals a voter ranks."), field="max_choices")
        if kind == BallotKind.CUMULATIVE and not self.points_total:
            raise InvalidInput(_l("Say how many points a voter can give."), field="points_total")
        if (
            kind == BallotKind.CUMULATIVE
            and self.points_per_proposal
            and self.points_total is not None
            and self.points_per_proposal > self.points_total
        ):
            raise InvalidInput(_l("A proposal cannot get more points than a voter has."),
                               field="points_per_proposal")
        if (
            self.min_choices is not None
            and self.max_choices is not None
            and self.min_choices > self.max_choices
        ):
            raise InvalidInput(_l("The minimum cannot be larger than the maximum."), field="min_choices")

    def validate_deadline(self, phase: str) -> None:
        """A round open for proposals needs their deadline (when the review starts); a round in
        voting needs the end of voting. Raised for a round entering, or saved in, that phase."""
        if phase == Phase.SUBMISSION and self.review_starts_at is None:
            raise InvalidInput(_l("Set the deadline for proposals (when the review starts): residents "
                                  "need to know until when they can send them in."), field="review_starts_at")
        if phase == Phase.VOTING and self.voting_ends_at is None:
            raise InvalidInput(_l("Set the date and time voting closes: residents need to know until when "
                                  "they can vote."), field="voting_ends_at")

    def _validate_schedule(self) -> None:
        steps = [
            ("submission_starts_at", self.submission_starts_at),
            ("review_starts_at", self.review_starts_at),
            ("voting_starts_at", self.voting_starts_at),
            ("voting_ends_at", self.voting_ends_at),
        ]
        previous = None
        for name, value in steps:
            if value is None:
                continue
            if previous is not None and value <= previous:
                raise InvalidInput(_l("The dates must follow one another in order."), field=name)
            previous = value
