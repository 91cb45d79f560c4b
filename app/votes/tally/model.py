"""Immutable input model of the tally engine.

All money is in integer grosze (1 zł = 100 grosze).  Nothing here knows about the database or the
web framework: the application builds an :class:`Election` from its own records and calls
:func:`app.votes.tally.tally`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

# Ballot kinds ------------------------------------------------------------------------------
APPROVAL = "approval"
CHOOSE_ONE = "choose-1"
ORDINAL = "ordinal"
CUMULATIVE = "cumulative"
YES_NO = "yes_no"
BALLOT_KINDS = (APPROVAL, CHOOSE_ONE, ORDINAL, CUMULATIVE, YES_NO)

# Rules -------------------------------------------------------------------------------------
RANKING = "ranking"
GREEDY = "greedy"
EQUAL_SHARES = "equal_shares"
YES_NO_RULE = "yes_no"
RULES = (RANKING, GREEDY, EQUAL_SHARES, YES_NO_RULE)

# Yes/no answers ----------------------------------------------------------------------------
YES = "yes"
NO = "no"
ABSTAIN = "abstain"

#: Default tie-break policy: cheaper first, then more supporters, then a seeded lot.
DEFAULT_TIE_BREAK = ("lower_cost", "more_voters", "lot")


@dataclass(frozen=True, slots=True)
class Project:
    """A proposal on the ballot; ``cost`` in grosze."""

    id: str
    cost: int
    name: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.cost, int) or isinstance(self.cost, bool) or self.cost < 0:
            raise ValueError(f"project {self.id!r}: cost must be a non-negative int (grosze)")


@dataclass(frozen=True, slots=True)
class ApprovalBallot:
    """Approval or choose-1 ballot: the set of chosen project ids (kept in the given order)."""

    projects: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class OrdinalBallot:
    """Ranked ballot, best first.  Rank r (1-based) scores k - r + 1 points."""

    ranking: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CumulativeBallot:
    """Points given to projects: ``((project_id, points), ...)``."""

    points: tuple[tuple[str, int], ...]


@dataclass(frozen=True, slots=True)
class YesNoBallot:
    """Answers per project: ``((project_id, "yes"|"no"|"abstain"), ...)``; missing = abstain."""

    answers: tuple[tuple[str, str], ...]


Ballot = ApprovalBallot | OrdinalBallot | CumulativeBallot | YesNoBallot


@dataclass(frozen=True, slots=True)
class BallotLimits:
    """What one ballot may contain.

    * approval / ordinal: ``min_choices`` .. ``max_choices`` projects (ordinal: ranked);
      ``max_total_cost`` (grosze) caps the total cost of approved projects.
    * choose-1: exactly one project (the limits are ignored).
    * cumulative: ``min_points`` .. ``max_points`` points in total, at most
      ``max_points_per_project`` on one project.
    """

    min_choices: int = 0
    max_choices: int | None = None
    max_total_cost: int | None = None
    min_points: int = 0
    max_points: int | None = None
    max_points_per_project: int | None = None


@dataclass(frozen=True, slots=True)
class Rule:
    """How winners are chosen.

    * ``ranking``: ``top_n`` best projects, or all with ``score >= min_score`` (no budget).
    * ``greedy``: by score; fund each project that still fits the remaining budget.  The variants
      Pabulib records (https://pabulib.org/format, META ``rule``): ``min_score`` makes only projects
      with at least that score eligible (``greedy-threshold``, META ``min_project_score_threshold``);
      ``no_skip`` stops at the first eligible project that does not fit (``greedy-no-skip``);
      ``exclusive_groups`` are groups of mutually exclusive projects: once one of a group is funded,
      the others are passed over (``greedy-exclusive``); ``withdrawn`` projects stay on the ballot
      but cannot be funded (Pabulib marks them with the cost 999999999): they are passed over, and
      do not stop ``no_skip``.
    * ``equal_shares``: Method of Equal Shares with cost utilities; ``completion="add1"`` raises
      every voter's starting share by ``completion_step`` grosze at a time and keeps the last
      outcome that fits (the step is chosen per currency when a Pabulib file is read, see
      :data:`app.votes.tally.pabulib.COMPLETION_STEPS`); ``completion_max_runs`` caps the runs of
      MES it may compute (``CompletionTooLong`` beyond it; None: only the budget × (voters + 1)
      bound); ``compare_with_greedy`` then keeps greedy instead if strictly more voters get
      strictly more approved winners from it.
    * ``assumed``: set when the rule was not the election's own but a documented default (a file
      whose rule is ``unknown`` or not supported); the result repeats it in ``details``.
    * ``yes_no``: every proposal is decided on its own.  It needs a turnout quorum: at least
      ``quorum_ballots`` ballots and/or at least ``quorum_fraction`` of ``eligible_voters``
      (counting all ballots, or only yes/no answers when ``quorum_counts_answers``).  Then it
      needs more yes than no, or, if ``yes_fraction`` is set, yes >= yes_fraction * (yes + no).
    """

    name: str = GREEDY
    top_n: int | None = None
    min_score: int | None = None
    completion: str | None = None
    completion_step: int = 100
    completion_max_runs: int | None = None
    compare_with_greedy: bool = False
    quorum_ballots: int | None = None
    quorum_fraction: Fraction | None = None
    eligible_voters: int | None = None
    quorum_counts_answers: bool = False
    yes_fraction: Fraction | None = None
    no_skip: bool = False
    exclusive_groups: tuple[tuple[str, ...], ...] = ()
    withdrawn: tuple[str, ...] = ()
    assumed: str | None = None

    def __post_init__(self) -> None:
        if self.name not in RULES:
            raise ValueError(f"unknown rule {self.name!r}; expected one of {RULES}")
        if self.completion not in (None, "add1"):
            raise ValueError(f"unknown completion {self.completion!r}")
        if self.completion_step <= 0:
            raise ValueError("completion_step must be positive")
        if (self.no_skip or self.exclusive_groups) and self.name != GREEDY:
            raise ValueError("no_skip and exclusive_groups are variants of the greedy rule")
        grouped = [pid for group in self.exclusive_groups for pid in group]
        if len(grouped) != len(set(grouped)):
            raise ValueError("a project can be in one exclusive group only")


@dataclass(frozen=True, slots=True)
class Election:
    """Everything a tally needs.

    ``budget`` is in grosze (``None`` for rules without a budget).  ``score_depth`` is k for
    ordinal ballots (rank r scores k - r + 1); by default ``limits.max_choices`` or the longest
    ballot.  ``seed`` feeds the lot (recorded when voting closes).
    """

    projects: tuple[Project, ...]
    ballots: tuple[Ballot, ...]
    kind: str
    budget: int | None = None
    rule: Rule = field(default_factory=Rule)
    limits: BallotLimits = field(default_factory=BallotLimits)
    tie_break: tuple[str, ...] = DEFAULT_TIE_BREAK
    seed: str = ""
    score_depth: int | None = None

    def __post_init__(self) -> None:
        if self.kind not in BALLOT_KINDS:
            raise ValueError(f"unknown ballot kind {self.kind!r}; expected one of {BALLOT_KINDS}")
        ids = [p.id for p in self.projects]
        if len(set(ids)) != len(ids):
            raise ValueError("project ids must be unique")
        if self.budget is not None and self.budget < 0:
            raise ValueError("budget must be non-negative")
        if self.rule.name in (GREEDY, EQUAL_SHARES) and self.budget is None:
            raise ValueError(f"rule {self.rule.name!r} needs a budget")
        if (self.kind == YES_NO) != (self.rule.name == YES_NO_RULE):
            raise ValueError("yes/no ballots go with the yes_no rule, and only with it")
