"""The rules a Pabulib file's META ``rule`` names (https://pabulib.org/format lists them), as the
engine's :class:`Rule`, and back."""

from __future__ import annotations

from .model import EQUAL_SHARES, GREEDY, Rule
from .pabulib_errors import PabulibError

RULE_NAMES = ("greedy, greedy-threshold, greedy-no-skip, greedy-exclusive, greedy-custom, unknown, "
              "equalshares, equalshares-comparison, equalshares/add1, equalshares/add1-comparison")

#: The add1 completion's step per voter, in hundredths of the file's currency, by META ``currency``:
#: one unit of the currency (1 zł, 1 €, 1 $ ...), but 100 Ft for forints, whose unit is worth about a
#: hundredth of the others (Budapest 2024 would need hundreds of thousands of steps of 1 Ft).
COMPLETION_STEPS = {"HUF": 10_000}
DEFAULT_COMPLETION_STEP = 100

#: "If the cost is exactly 999999999, treat it as a sentinel value: it usually means the project was
#: admitted to the ballot but later could not be implemented" (https://pabulib.org/format, PROJECTS).
WITHDRAWN_COST = 999_999_999 * 100  # in grosze

#: What a rule the engine cannot follow exactly is counted with, and why (the result says so).
#: https://pabulib.org/format: ``unknown`` -- "either the information is not available, or there
#: were multiple possibilities"; ``greedy-custom`` -- "special cases that do not fit the standard
#: algorithms ... the specific logic ... is usually explained in the comment field"; ``greedy-exclusive``
#: -- greedy with "conflicting project groups", which the format records only in the comment.
ASSUMED_RULES = {
    "unknown": "the file's rule is unknown: counted with greedy, the default",
    "greedy-custom": "not supported: greedy-custom (the file's comment describes its own logic); "
                     "counted with greedy",
    "greedy-exclusive": "greedy-exclusive: the file names no groups of mutually exclusive projects "
                        "(the format leaves them to the comment); counted with greedy, without groups",
}

_EQUAL_SHARES_NAMES = ("equalshares", "equalshares/add1", "equalshares/add1-comparison",
                       "equalshares/comparison", "equalshares-comparison")


def rule_from_text(text: str, threshold: int | None = None, currency: str = "PLN") -> Rule:
    """Map a META ``rule`` to the engine's :class:`Rule`.

    ``threshold`` is META ``min_project_score_threshold``: the format makes it a condition of every
    greedy variant ("even if a project fits within the available budget, it will not be selected
    unless it meets this threshold"); ``greedy-threshold`` requires it.  ``currency`` chooses the add1
    step (:data:`COMPLETION_STEPS`).  ``unknown``, ``greedy-custom`` and ``greedy-exclusive`` without
    groups are counted with greedy and say so (:data:`ASSUMED_RULES`).  Raises :class:`PabulibError`
    (a ``ValueError``) for a rule it does not know.
    """
    t = text.strip().lower()
    if t in ("greedy", "greedy-threshold", "greedy-no-skip", *ASSUMED_RULES):
        if t == "greedy-threshold" and threshold is None:
            raise PabulibError("threshold_needed")
        return Rule(GREEDY, min_score=threshold, no_skip=t == "greedy-no-skip", assumed=ASSUMED_RULES.get(t))
    if t in _EQUAL_SHARES_NAMES:
        return Rule(
            EQUAL_SHARES,
            completion="add1" if "add1" in t else None,
            completion_step=COMPLETION_STEPS.get(currency.strip().upper(), DEFAULT_COMPLETION_STEP),
            compare_with_greedy="comparison" in t,
        )
    raise PabulibError("rule", value=text.strip(), known=RULE_NAMES)


def rule_to_text(rule: Rule) -> str:
    """Inverse of :func:`rule_from_text`."""
    if rule.name == GREEDY:
        if rule.no_skip:
            return "greedy-no-skip"
        if rule.exclusive_groups:
            return "greedy-exclusive"
        return "greedy-threshold" if rule.min_score is not None else "greedy"
    if rule.name == EQUAL_SHARES:
        text = "equalshares"
        if rule.completion == "add1":
            text += "/add1"
            if rule.compare_with_greedy:
                text += "-comparison"
        elif rule.compare_with_greedy:
            text += "-comparison"
        return text
    raise ValueError(f"rule {rule.name!r} has no Pabulib name")
