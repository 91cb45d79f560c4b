"""Method of Equal Shares (MES) with cost utilities, exact rational arithmetic.

Every voter starts with an equal share of the budget.  Each round buys the affordable project
whose supporters can pay for it at the lowest price per unit of utility ``rho`` (with cost
utilities: ``rho = price / cost``); supporters pay equally, capped at what they have left.

Speed: voters with the same supporter set form one weighted group, and groups whose remaining
budgets are equal share one *budget class* (one Fraction), so a price is computed from a handful
of classes instead of thousands of voters.  Prices only rise from round to round, so the last
known ``rho`` of a project is a lower bound and most projects need no recomputation.
"""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from math import gcd

from .ties import TieKey

_BROKE = -1


@dataclass(frozen=True, slots=True)
class MesSetup:
    """Projects (by index) and weighted voter groups, prepared once per election."""

    ids: tuple[str, ...]
    costs: tuple[int, ...]
    weights: tuple[int, ...]  # voters per group
    supporters: tuple[tuple[int, ...], ...]  # per project: supporting group indices
    support: tuple[int, ...]  # per project: number of supporting voters
    voters: int
    weighted: tuple[tuple[tuple[int, int], ...], ...]  # per project: (group, weight) pairs
    # per project: each supporting group repeated once per voter, when that list is short enough to be
    # counted in C (collections.Counter) rather than group by group in Python; else None
    expanded: tuple[tuple[int, ...] | None, ...] = ()

    @classmethod
    def build(cls, ids: list[str], costs: list[int], groups: Counter[frozenset[str]]) -> MesSetup:
        index = {pid: j for j, pid in enumerate(ids)}
        ordered = sorted(groups.items(), key=lambda kv: sorted(kv[0]))
        supporters: list[list[int]] = [[] for _ in ids]
        support = [0] * len(ids)
        weights = []
        for g, (members, mult) in enumerate(ordered):
            weights.append(mult)
            for pid in members:
                j = index[pid]
                supporters[j].append(g)
                support[j] += mult
        return cls(
            ids=tuple(ids),
            costs=tuple(costs),
            weights=tuple(weights),
            supporters=tuple(tuple(s) for s in supporters),
            support=tuple(support),
            voters=sum(weights),
            weighted=tuple(tuple((g, weights[g]) for g in s) for s in supporters),
            expanded=tuple(
                tuple(g for g in s for _ in range(weights[g])) if support[j] <= 4 * len(s) else None
                for j, s in enumerate(supporters)
            ),
        )


@dataclass(slots=True)
class RawRound:
    """A purchase: project index, price per full payer, rho, tie, payments (amount -> voters)."""

    project: int
    price: Fraction
    rho: Fraction | None
    tied: list[int]
    paid: dict[int, int]  # amount in units of 1 / scale grosze -> voters
    scale: int = 1

    @property
    def payments(self) -> dict[Fraction, int]:
        """Exact amount in grosze -> number of voters who paid it."""
        return {Fraction(a, self.scale): n for a, n in self.paid.items()}


@dataclass(slots=True)
class MesRun:
    """The outcome of one MES run with a given starting share."""

    share: Fraction
    selected: list[int] = field(default_factory=list)
    rounds: list[RawRound] = field(default_factory=list)
    # project index -> (round number when found unaffordable, supporters' money then)
    unaffordable: dict[int, tuple[int, Fraction]] = field(default_factory=dict)

    def cost(self, setup: MesSetup) -> int:
        return sum(setup.costs[j] for j in self.selected)


class _Wallets:
    """Budgets of the voter groups, exactly, as integers in units of ``1 / scale`` grosze.

    Groups with equal budgets share a *class*; a purchase moves every class touched to a new
    class (or to broke).  When a price is not a whole number of units, the scale grows; a class's
    budget is brought to the new scale only when it is next read (:meth:`_current`), as most
    classes are never read again.
    """

    __slots__ = ("at", "budget", "cls", "live", "live_pairs", "scale", "scales")

    def __init__(self, groups: int, share: Fraction) -> None:
        self.scale = share.denominator
        self.scales = [self.scale]  # every scale so far; each divides the next
        self.budget: list[int] = [share.numerator]  # per class, in units of its own scale
        self.at = [0]  # per class: the index in ``scales`` of the scale its budget is in
        self.cls = [0] * groups  # class of each group
        # per project, lazily: its supporters not yet broke, one entry per voter or (group, weight)
        self.live: dict[int, list[int]] = {}
        self.live_pairs: dict[int, list[tuple[int, int]]] = {}

    def _current(self, classes: Iterable[int]) -> None:
        """Bring the budgets of ``classes`` to the current scale."""
        now = len(self.scales) - 1
        at, budget, scales = self.at, self.budget, self.scales
        for c in classes:
            if at[c] != now:
                budget[c] *= scales[now] // scales[at[c]]
                at[c] = now

    def price(self, setup: MesSetup, j: int) -> tuple[int | None, int, dict[int, int]]:
        """``(remaining, payers, acc)`` with price = remaining / payers units, or
        ``(None, money, acc)`` if the supporters cannot afford project ``j``; ``acc`` is the
        supporters' weight per class of equal budgets."""
        cls = self.cls
        acc: dict[int, int]
        voters: Sequence[int] | None = self.live.get(j)
        if voters is None and setup.expanded:
            voters = setup.expanded[j]
        if voters is not None:  # one entry per voter: count classes in C
            acc = Counter(map(cls.__getitem__, voters))
            broke = acc.pop(_BROKE, 0)
            if broke * 4 > len(voters):  # forget broke supporters for this run, once they weigh
                self.live[j] = [g for g in voters if cls[g] != _BROKE]
        else:
            pairs: Sequence[tuple[int, int]] | None = self.live_pairs.get(j)
            if pairs is None:
                pairs = setup.weighted[j]
            acc = {}
            get = acc.get
            for g, w in pairs:
                c = cls[g]
                acc[c] = get(c, 0) + w
            if acc.pop(_BROKE, None) is not None:  # forget broke supporters for this run
                self.live_pairs[j] = [(g, w) for g, w in pairs if cls[g] != _BROKE]
        self._current(acc)
        budget = self.budget
        remaining = setup.costs[j] * self.scale
        payers = sum(acc.values())
        for c in sorted(acc, key=budget.__getitem__):
            b = budget[c]
            if b * payers >= remaining:
                return remaining, payers, acc
            w = acc[c]
            remaining -= b * w
            payers -= w
        return None, setup.costs[j] * self.scale - remaining, acc

    def pay(self, setup: MesSetup, j: int, remaining: int, payers: int,
            acc: dict[int, int]) -> dict[int, int]:
        """Charge project ``j``'s supporters ``remaining / payers`` units each (capped); ``acc`` is
        their weight per class, as :meth:`price` counted it."""
        factor = payers // gcd(remaining, payers)
        if factor != 1:
            self.scale *= factor
            self.scales.append(self.scale)
            self._current(acc)
            remaining *= factor
        budget, at, now = self.budget, self.at, len(self.scales) - 1
        q = remaining // payers
        moved: dict[int, int] = {}
        paid: dict[int, int] = {}
        for c, w in acc.items():
            b = budget[c]
            if b <= q:
                moved[c], amount = _BROKE, b
            else:
                budget.append(b - q)
                at.append(now)
                moved[c], amount = len(budget) - 1, q
            paid[amount] = paid.get(amount, 0) + w
        cls = self.cls
        for g in setup.supporters[j]:
            c = cls[g]
            if c in moved:  # broke supporters (and no others) are not in ``moved``
                cls[g] = moved[c]
        return paid


def run_mes(setup: MesSetup, share: Fraction, tie_key: Callable[[int], TieKey]) -> MesRun:
    """One run of MES where every voter starts with ``share`` grosze."""
    run = MesRun(share=share)
    costs = setup.costs
    wallets = _Wallets(len(setup.weights), Fraction(share))

    active = [j for j in range(len(costs)) if setup.support[j] > 0]
    for j in sorted((j for j in active if costs[j] == 0), key=tie_key):
        run.selected.append(j)  # zero-cost projects with support cost nobody anything
        run.rounds.append(RawRound(j, Fraction(0), None, [], {}))
    active = [j for j in active if costs[j] > 0]
    # rho if nobody were poor: a lower bound for the whole run (prices only rise)
    lower = {j: Fraction(1, setup.support[j]) for j in active}
    approx = {j: 1.0 / setup.support[j] for j in active}

    number = len(run.rounds)
    while active:
        number += 1
        best: Fraction | None = None
        tied: list[int] = []
        quotes: dict[int, tuple[int, int, dict[int, int]]] = {}
        gone = []
        best_f = 0.0
        # Sorted by a float image of the lower bound: if approx[j] > float(best) then, as
        # rounding is monotone, lower[j] > best exactly, and so for every later project.
        for j in sorted(active, key=approx.__getitem__):
            if best is not None and (approx[j] > best_f or lower[j] > best):
                if approx[j] > best_f:
                    break
                continue
            remaining, payers, acc = wallets.price(setup, j)
            if remaining is None:
                gone.append(j)
                run.unaffordable[j] = (number, Fraction(payers, wallets.scale))
                continue
            rho = Fraction(remaining, payers * costs[j] * wallets.scale)
            lower[j] = rho
            approx[j] = float(rho)
            quotes[j] = (remaining, payers, acc)
            if best is None or rho < best:
                best, tied, best_f = rho, [j], approx[j]
            elif rho == best:
                tied.append(j)
        for j in gone:
            active.remove(j)
        if best is None:
            break
        tied.sort(key=tie_key)
        j = tied[0]
        active.remove(j)
        run.selected.append(j)
        remaining, payers, acc = quotes[j]
        price = Fraction(remaining, payers * wallets.scale)
        paid = wallets.pay(setup, j, remaining, payers, acc)
        run.rounds.append(RawRound(j, price, best, tied, paid, wallets.scale))
    return run


@dataclass(slots=True)
class Add1Trace:
    """How the add1 completion went, in the terms of its definition (one run per step)."""

    increments: int  # how many steps were added to the first share
    start_share: Fraction
    final_share: Fraction
    runs: int  # runs the step-by-step definition makes (the last one overspends, unless all_selected)
    stop: str  # "next_overspends", "all_selected" or "bound" (the next share passes the bound)
    computed: int = 0  # runs actually computed: shares that cannot change the outcome are skipped


#: Steps a proof must skip to have been worth its cost (see :func:`run_mes_add1`).
_WORTH_A_PROOF = 8


class CompletionTooLong(ValueError):
    """The add1 completion would compute more runs of MES than the caller allows."""

    def __init__(self, max_runs: int) -> None:
        self.max_runs = max_runs
        super().__init__(f"the add1 completion needs more than {max_runs} runs of MES")


def share_bound(budget: int, voters: int) -> Fraction:
    """The largest share the completion tries: the budget raised to ``budget × (voters + 1)`` in all,
    the bound pabutools' ``exhaustion_by_budget_increase`` puts on the same loop."""
    return Fraction(budget * (voters + 1), voters)


def run_mes_add1(
    setup: MesSetup, budget: int, step: int, tie_key: Callable[[int], TieKey], max_runs: int | None = None
) -> tuple[MesRun, Add1Trace]:
    """MES, then raise the starting share by ``step`` grosze at a time; keep the last outcome that
    fits ``budget``, stopping when the next would overspend (not at the first exhaustive one), or
    when the next share would pass :func:`share_bound`.

    Step by step this can take millions of runs (a project far dearer than the budget).  The same
    outcome is reached by skipping every share at which no run could differ from the last one
    computed: :func:`stable_until` proves, for the run at share ``s``, up to which share every
    decision of that run stays the same, and only the first step at or beyond it is run.  A proof
    gives up as soon as it finds a change before the next step, so a useless proof costs little.
    ``max_runs`` caps the runs computed (:class:`CompletionTooLong` beyond it): a web request that
    closes a round never runs an unbounded count.
    """
    start = Fraction(budget, setup.voters)
    last = (share_bound(budget, setup.voters) - start) // step  # the last step within the bound
    supported = sum(1 for s in setup.support if s > 0)
    k, run = 0, run_mes(setup, start, tie_key)
    computed = 1
    stop = "all_selected"

    def compute(n: int) -> MesRun:
        nonlocal computed
        computed += 1
        if max_runs is not None and computed > max_runs:
            raise CompletionTooLong(max_runs)
        return run_mes(setup, start + n * step, tie_key)

    # A proof that gives up early costs less than a run, one that succeeds about ten runs: prove at
    # once, and again after as many unchanged steps as the last useless proof had to wait.
    quiet, wait = 0, 0
    while len(run.selected) < supported:
        nk = k + 1
        if nk > last:
            stop = "bound"
            break
        if quiet >= wait:
            until = stable_until(setup, start + k * step, tie_key, need=start + nk * step)
            if until is None:  # no larger share changes anything: every later run is this one
                nk = last + 1
            elif until >= start + nk * step:  # every share in [share, until) gives this outcome
                nk = -((start - until) // step)
            wait = 0 if nk - k > _WORTH_A_PROOF else max(_WORTH_A_PROOF, 2 * wait)
            if nk > last:  # the same decisions up to the bound: the definition ends there
                k, run, stop = last, compute(last), "bound"
                break
        nxt = compute(nk)
        if nxt.cost(setup) > budget:
            stop = "next_overspends"
            if nk - 1 != k:  # the same outcome as at ``share``: run it at its own share for the payments
                k, run = nk - 1, compute(nk - 1)
            break
        quiet = quiet + 1 if nxt.selected == run.selected else 0
        k, run = nk, nxt
    runs = k + 2 if stop == "next_overspends" else k + 1
    return run, Add1Trace(k, start, run.share, runs, stop, computed)


class _Useless(Exception):
    """Raised inside :func:`stable_until` once the bound is below what the caller needs."""


def stable_until(
    setup: MesSetup, share: Fraction, tie_key: Callable[[int], TieKey], need: Fraction | None = None
) -> Fraction | None:
    """The least share ``t >= share`` at which a run of MES might decide anything differently from
    the run at ``share``; None if no larger share changes a decision.

    Every quantity of a run is an affine function ``a * t + c`` of the starting share ``t`` as long as
    the run takes the same path: a voter's money is ``t`` minus what they paid, a price is the cost
    less what the poorer supporters pay, shared among the others, and ``rho`` is the price over the
    cost.  The path is the same as long as every comparison the run makes keeps its sign: is a
    project affordable, is a supporter poorer than the price, is a project's ``rho`` above the
    winner's (``lower`` bounds stand in for projects whose ``rho`` was not needed, as in
    :func:`run_mes`: prices only rise within a run).  Each comparison of two affine functions changes
    sign at most once; the least such change above ``share`` bounds the path.  A comparison that is
    an equality at ``share`` (a tie) between different functions bounds it at ``share`` itself.

    With ``need``, the proof stops as soon as it knows the bound is below ``need`` (the next share
    the caller would run anyway) and returns that smaller bound: a useless proof costs little.
    """
    s = Fraction(share)
    limit: Fraction | None = None

    def holds_until(a: Fraction, c: Fraction) -> None:
        nonlocal limit
        if a == 0:
            return  # constant: the comparison never changes
        root = -c / a
        if root >= s and (limit is None or root < limit):
            limit = root
            if need is not None and root < need:
                raise _Useless

    with contextlib.suppress(_Useless):
        _prove(setup, s, tie_key, holds_until)
    return limit


# Complexity 21 on purpose: this is one MES run, step by step, with the bound of every comparison it
# makes written next to that comparison. Split into helpers, the proof that a skipped share gives the same
# outcome would be spread over functions that each see half of the invariant, and the hot loop would pay
# for the calls.
def _prove(setup: MesSetup, s: Fraction, tie_key: Callable[[int], TieKey],
           holds_until: Callable[[Fraction, Fraction], None]) -> None:
    """The run of :func:`stable_until` at share ``s``, reporting every comparison to ``holds_until``."""
    costs, weights = setup.costs, setup.weights
    slope: list[Fraction] = [Fraction(1)]  # per class of equal budgets: money = slope * t + offset
    offset: list[Fraction] = [Fraction(0)]
    cls = [0] * len(weights)
    active = [j for j in range(len(costs)) if setup.support[j] > 0 and costs[j] > 0]
    lower: dict[int, tuple[Fraction, Fraction]] = {
        j: (Fraction(0), Fraction(1, setup.support[j])) for j in active
    }
    while active:
        best: tuple[Fraction, Fraction] | None = None
        best_value: Fraction | None = None
        chosen = -1
        quotes: dict[int, tuple[Fraction, Fraction, dict[int, int], set[int]]] = {}
        gone = []
        order = sorted(active, key=lambda j: lower[j][0] * s + lower[j][1])
        for n, j in enumerate(order):
            la, lc = lower[j]
            if best_value is not None and la * s + lc > best_value:
                assert best is not None  # set with best_value
                for other in order[n:]:  # not computed: their lower bounds stay above the winner's rho
                    oa, oc = lower[other]
                    holds_until(oa - best[0], oc - best[1])
                break
            acc: dict[int, int] = {}
            for g in setup.supporters[j]:
                c = cls[g]
                if c != _BROKE:
                    acc[c] = acc.get(c, 0) + weights[g]
            money_a = sum((slope[c] * w for c, w in acc.items()), Fraction(0))
            money_c = sum((offset[c] * w for c, w in acc.items()), Fraction(0))
            holds_until(money_a, money_c - costs[j])  # affordable, or not
            if money_a * s + money_c < costs[j]:
                gone.append(j)
                continue
            poor: set[int] = set()
            remaining, payers = Fraction(costs[j]), sum(acc.values())
            for c in sorted(acc, key=lambda c: slope[c] * s + offset[c]):
                if (slope[c] * s + offset[c]) * payers >= remaining:
                    break
                poor.add(c)
                remaining -= (slope[c] * s + offset[c]) * acc[c]
                payers -= acc[c]
            rich = sum(w for c, w in acc.items() if c not in poor)
            price_a = -sum((slope[c] * acc[c] for c in poor), Fraction(0)) / rich
            price_c = (costs[j] - sum((offset[c] * acc[c] for c in poor), Fraction(0))) / rich
            for c in acc:  # each class stays on its side of the price
                if c in poor:
                    holds_until(price_a - slope[c], price_c - offset[c])
                else:
                    holds_until(slope[c] - price_a, offset[c] - price_c)
            rho = (price_a / costs[j], price_c / costs[j])
            lower[j] = rho
            quotes[j] = (price_a, price_c, acc, poor)
            value = rho[0] * s + rho[1]
            if best_value is None or value < best_value or (
                value == best_value and tie_key(j) < tie_key(chosen)
            ):
                best, best_value, chosen = rho, value, j
        for j in gone:
            active.remove(j)
        if best is None:
            break
        for j in quotes:  # the winner's rho stays the least
            if j != chosen:
                holds_until(lower[j][0] - best[0], lower[j][1] - best[1])
        active.remove(chosen)
        price_a, price_c, acc, poor = quotes[chosen]
        moved: dict[int, int] = {}
        for g in setup.supporters[chosen]:
            c = cls[g]
            if c == _BROKE:
                continue
            if c not in moved:
                a, b = slope[c] - price_a, offset[c] - price_c
                if c in poor or a * s + b <= 0:
                    moved[c] = _BROKE
                else:
                    slope.append(a)
                    offset.append(b)
                    moved[c] = len(slope) - 1
            cls[g] = moved[c]
