r"""Least-cost integer additions meeting a leak budget: greedy with pruning, and brute force.

The problem (:func:`greedy_additions`): allies :math:`a`, candidate systems
:math:`j \in J_a`, whole fire units added :math:`n_{aj} \ge 0` at a unit price
:math:`c_j`, and each ally's expected missile leakers :math:`L_a(n_a)` over the
campaign, a function of its own additions only (allies fight with their own
stocks, so the campaign separates by ally):

.. math::
    \min_n \sum_{a,j} c_j n_{aj}
    \quad\text{s.t.}\quad \sum_a L_a(n_a) \le B .

Method: greedy on marginal leak reduction per USD, then a pruning pass.

1. Each step buys the move with the largest :math:`(L_a(n_a) - L_a(n_a + k e_j)) /
   (k c_j)`, where :math:`k` is the fewest units that add a ready fire unit
   (readiness below one means one more unit in service may add none). The moves
   wait in a priority queue (lazy greedy, Minoux 1978): a move whose ally has
   changed since it was valued is valued again when it comes to the top, and
   bought only if it is still the best. With gains that fall as units are added
   this buys what the plain greedy buys, with far fewer evaluations.
2. When the budget holds, every bought unit is tried for removal, dearest system
   first, and removed while the budget still holds.

Why greedy and not a MILP: :math:`L_a` comes from the campaign model itself
(magazines emptying night after night, layers, doctrine), which is neither linear
nor given in closed form; a MILP would optimise a linearised stand-in (that is
:func:`gbad.campaign.optimise_mix`), the greedy optimises the model's own
numbers. Greedy is exact for a separable problem whose per-unit gains fall as
units are added and whose units have one price; it is a heuristic otherwise,
which is why :func:`brute_force_additions` exists and the tests compare the two
on small instances.
"""

from __future__ import annotations

import heapq
import itertools
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

__all__ = ["SearchResult", "brute_force_additions", "exchange_improve", "greedy_additions"]

#: ``leakers(area, additions) -> expected missile leakers of that area``.
LeakFn = Callable[[int, Mapping[int, int]], float]
#: ``step(area, system, added) -> units of the next move`` (at least 1).
StepFn = Callable[[int, int, int], int]


@dataclass
class SearchResult:
    """Additions found by a search.

    Attributes
    ----------
    added : dict of (area, system) to int
        Fire units added (only positive counts).
    leakers : list of float
        :math:`L_a` of each area with the additions.
    cost : float
        :math:`\\sum c_j n_{aj}`.
    met : bool
        Whether :math:`\\sum_a L_a \\le B`.
    evaluations : int
        Calls of the leak function.
    """

    added: dict[tuple[int, int], int]
    leakers: list[float]
    cost: float
    met: bool
    evaluations: int = 0
    history: list[tuple[int, int, int]] = field(default_factory=list)


def _one(_a: int, _j: int, _n: int) -> int:
    return 1


def greedy_additions(
    n_areas: int,
    candidates: Sequence[Sequence[int]],
    unit_cost: Mapping[int, float],
    leakers: LeakFn,
    budget: float,
    *,
    step: StepFn = _one,
    start: Mapping[tuple[int, int], int] | None = None,
    prune: bool = True,
    keep: Mapping[tuple[int, int], int] | None = None,
    max_steps: int = 100_000,
    lookahead: int = 0,
    grow: float = 0.0,
    halving: bool = False,
    tol: float = 1e-9,
) -> SearchResult:
    """Greedy marginal leak reduction per USD, then pruning (module docstring).

    Parameters
    ----------
    n_areas : int
        Number of areas (allies).
    candidates : sequence of sequences of int
        Systems each area may add.
    unit_cost : mapping
        Price of one fire unit per system [MUSD].
    leakers : callable
        ``leakers(area, {system: added})``: expected leakers of the area.
    budget : float
        Leakers allowed in all (:math:`B`).
    step : callable, optional
        Units of the next move of ``system`` in ``area`` with ``added`` bought.
    start : mapping, optional
        Additions to start from.
    keep : mapping, optional
        Units the pruning pass may not remove (default ``start``).
    prune : bool
        Run the pruning pass.
    max_steps : int
        Stop after this many purchases (the result says whether the budget holds).
    lookahead : int
        A move that lowers the leakers by nothing is tried again with twice the
        units, up to this many doublings (gains that do not fall as units are
        added: the first unit may stand where nothing leaks).
    grow : float
        A move buys at least this fraction of the units already bought of its
        system in its area (and the pruning pass first tries removing as many):
        fewer, larger moves when hundreds of units are needed, at the price of an
        overshoot the pruning pass trims.
    halving : bool
        The pruning pass removes, from each bought (area, system) whose last unit
        can go, the most of all, half, a quarter, ... of its units that keeps
        the budget (a start far above the need, such as the covering model's,
        is pruned in a few valuations per system instead of one per unit).
    tol : float
        Gains at most this are no gain.
    """
    added: dict[tuple[int, int], int] = {k: int(v) for k, v in (start or {}).items() if v > 0}
    floor = dict(added) if keep is None else {k: int(v) for k, v in keep.items()}
    evals = 0

    def of(a: int, extra: tuple[int, int] | None = None) -> dict[int, int]:
        out = {j: n for (aa, j), n in added.items() if aa == a}
        if extra is not None:
            out[extra[0]] = out.get(extra[0], 0) + extra[1]
        return out

    def leak(a: int, mix: Mapping[int, int]) -> float:
        nonlocal evals
        evals += 1
        return float(leakers(a, mix))

    current = [leak(a, of(a)) for a in range(n_areas)]
    version = [0] * n_areas
    heap: list[tuple[float, int, int, int, int, float]] = []

    def push(a: int, j: int) -> None:
        n = added.get((a, j), 0)
        k = max(1, int(step(a, j, n)), int(grow * n))
        after = leak(a, of(a, (j, k)))
        gain = current[a] - after
        # A move that gains nothing may still open gains (a unit where no raid came
        # on the evaluated paths, the next where it does): try batches of twice,
        # four times, ... the units, up to ``lookahead`` doublings.
        for _ in range(lookahead):
            if gain > tol:
                break
            k *= 2
            after = leak(a, of(a, (j, k)))
            gain = current[a] - after
        if gain > tol:
            heapq.heappush(heap, (-gain / (k * float(unit_cost[j])), a, j, k, version[a], after))

    for a in range(n_areas):
        if current[a] > tol:
            for j in candidates[a]:
                push(a, j)
    history: list[tuple[int, int, int]] = []
    steps = 0
    while sum(current) > budget + tol and steps < max_steps and heap:
        _, a, j, k, ver, after = heapq.heappop(heap)
        if ver != version[a]:
            push(a, j)  # stale: its ally changed since; re-evaluate and queue again
            continue
        added[a, j] = added.get((a, j), 0) + k
        current[a] = after
        version[a] += 1
        history.append((a, j, k))
        steps += 1
        if current[a] > tol:
            push(a, j)
    if prune and sum(current) <= budget + tol:
        changed = True
        while changed:
            changed = False
            order = sorted(
                (key for key, n in added.items() if n > floor.get(key, 0)),
                key=lambda key: -float(unit_cost[key[1]]),
            )
            for a, j in order:
                room = added[a, j] - floor.get((a, j), 0)
                unit = max(1, int(step(a, j, added[a, j] - 1)))
                if halving and room > unit:
                    # One unit first (most pairs keep all theirs: one valuation),
                    # then all, half, a quarter, ... of the rest, the most that holds.
                    first = leak(a, of(a, (j, -unit)))
                    if sum(current) - current[a] + first > budget + tol:
                        continue
                    k, best = room, (unit, first)
                    while k > unit:
                        after = leak(a, of(a, (j, -k)))
                        if sum(current) - current[a] + after <= budget + tol:
                            best = (k, after)
                            break
                        k //= 2
                    added[a, j] -= best[0]
                    current[a] = best[1]
                    changed = True
                    continue
                sizes = {min(room, max(unit, int(grow * added[a, j]))), min(room, unit)}
                for k in sorted(sizes, reverse=True):
                    if k <= 0:
                        continue
                    after = leak(a, of(a, (j, -k)))
                    if sum(current) - current[a] + after <= budget + tol:
                        added[a, j] -= k
                        current[a] = after
                        changed = True
                        break
    added = {key: n for key, n in added.items() if n > 0}
    cost = sum(float(unit_cost[j]) * n for (_, j), n in added.items())
    return SearchResult(
        added=added,
        leakers=current,
        cost=cost,
        met=sum(current) <= budget + tol,
        evaluations=evals,
        history=history,
    )


def brute_force_additions(
    n_areas: int,
    candidates: Sequence[Sequence[int]],
    unit_cost: Mapping[int, float],
    leakers: LeakFn,
    budget: float,
    *,
    max_units: int,
    tol: float = 1e-9,
) -> SearchResult:
    """The exact optimum by enumerating every addition of 0..``max_units`` per pair.

    Exponential in the number of (area, system) pairs: for checking
    :func:`greedy_additions` on small instances only.
    """
    pairs = [(a, j) for a in range(n_areas) for j in candidates[a]]
    best: SearchResult | None = None
    evals = 0
    for combo in itertools.product(range(max_units + 1), repeat=len(pairs)):
        cost = sum(float(unit_cost[j]) * n for (_, j), n in zip(pairs, combo, strict=True))
        if best is not None and cost >= best.cost - tol:
            continue
        per_area: list[dict[int, int]] = [{} for _ in range(n_areas)]
        for (a, j), n in zip(pairs, combo, strict=True):
            if n:
                per_area[a][j] = n
        leaks = [float(leakers(a, per_area[a])) for a in range(n_areas)]
        evals += n_areas
        if sum(leaks) <= budget + tol:
            added = {p: n for p, n in zip(pairs, combo, strict=True) if n}
            best = SearchResult(added=added, leakers=leaks, cost=cost, met=True)
    if best is None:
        return SearchResult(added={}, leakers=[], cost=math.inf, met=False, evaluations=evals)
    best.evaluations = evals
    return best


def exchange_improve(  # noqa: PLR0917 - the problem's data
    n_areas: int,
    candidates: Sequence[Sequence[int]],
    unit_cost: Mapping[int, float],
    leakers: LeakFn,
    budget: float,
    found: SearchResult,
    *,
    step: StepFn = _one,
    max_passes: int = 1,
    max_pairs: int = 12,
    lookahead: int = 0,
    grow: float = 0.0,
) -> SearchResult:
    """Exchange pass: drop units of one bought (area, system), refill greedily without it.

    Each bought pair, dearest first, loses one move's units, then all its units,
    and the budget is met again by :func:`greedy_additions` from the rest with that
    system barred from further purchase in that area (the pruning pass may then
    remove any unit); the exchange is kept when it is cheaper. Only the
    ``max_pairs`` pairs that cost most are tried, in ``max_passes`` passes (each
    trial values new forces of one ally only). This repairs the greedy's typical
    fault, an early dear unit that cheaper ones bought later make redundant
    (the tests compare with :func:`brute_force_additions`).
    """
    best = found
    evals = found.evaluations
    for _ in range(max_passes):
        better = False
        dearest = sorted(best.added, key=lambda key: -float(unit_cost[key[1]]) * best.added[key])
        for a, j in dearest[:max_pairs]:
            for drop_all in (False, True):
                if (a, j) not in best.added:
                    break
                n = best.added[a, j]
                k = n if drop_all else min(n, max(1, int(step(a, j, n - 1))))
                rest = {key: v for key, v in best.added.items() if key != (a, j)}
                if n - k > 0:
                    rest[a, j] = n - k
                # Barred from buying more of it in that ally: the refill must use others.
                barred = [
                    list(c) if i != a else [x for x in c if x != j]
                    for i, c in enumerate(candidates)
                ]
                trial = greedy_additions(
                    n_areas,
                    barred,
                    unit_cost,
                    leakers,
                    budget,
                    step=step,
                    start=rest,
                    keep={},
                    lookahead=lookahead,
                    grow=grow,
                )
                evals += trial.evaluations
                if trial.met and trial.cost < best.cost - 1e-9:
                    best = trial
                    better = True
        if not better:
            break
    best.evaluations = evals
    return best
