r"""Least-cost national targets under national budgets (a MILP solved by HiGHS).

For comparison with the fair-share keys: which allocation meets each tier's collective
target at least cost if each ally may spend at most its GBAD budget on new units?

.. math::

    \min_{x, s}\; & \sum_{i,t} c_{it} x_{it}
        \quad\text{(after first minimising } \textstyle\sum_t s_t\text{)} \\
    \text{s.t.}\; & \sum_i x_{it} + s_t = T_t && \forall t \\
    & \sum_t c_{it}\,(x_{it} - b_{it}) \le B_i && \forall i \\
    & \ell_{it} \le x_{it} \le u_{it},\; x_{it} \in \mathbb{Z},\; s_t \ge 0,

with :math:`c_{it}` the life-cycle cost of one fire unit of ally :math:`i`'s system in
tier :math:`t` to the horizon, :math:`b_{it}` the baseline, :math:`\ell_{it} \ge b_{it}`
(hold-harmless and minima), :math:`u_{it}` maxima, :math:`B_i` the ally's budget for
new units and :math:`s_t` the shortfall. The problem is solved lexicographically:
first the least total shortfall, then the least cost at that shortfall. If an ally's
lower bounds alone cost more than :math:`B_i`, its budget row is relaxed to that cost.

References
----------
.. [1] Huangfu, Q. and Hall, J. A. J. (2018). Parallelizing the dual revised simplex
   method. *Mathematical Programming Computation* 10, 119–142 (HiGHS).
   doi:10.1007/s12532-017-0130-5
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from gbad._highs import new_highs

__all__ = ["LeastCostResult", "least_cost_targets"]


@dataclass(frozen=True)
class LeastCostResult:
    """Solution of :func:`least_cost_targets`.

    Attributes
    ----------
    targets : ndarray of int64, shape (n_allies, n_tiers)
        Fire units per ally and tier.
    shortfall : ndarray of float64, shape (n_tiers,)
        Units of each tier's collective target that no budget can pay for.
    cost_musd : float
        Cost of the new units :math:`\\sum c (x - b)` [MUSD].
    optimal : bool
        HiGHS reported optimality.
    solve_seconds : float
        Wall time of both solves.
    """

    targets: npt.NDArray[np.int64]
    shortfall: npt.NDArray[np.float64]
    cost_musd: float
    optimal: bool
    solve_seconds: float


def _solve(  # noqa: PLR0917 - private helper, two call sites
    cost: npt.NDArray[np.float64],
    base: npt.NDArray[np.int64],
    lo: npt.NDArray[np.int64],
    hi: npt.NDArray[np.int64],
    totals: npt.NDArray[np.int64],
    budget: npt.NDArray[np.float64],
    phase: int,
    max_short: float,
    time_limit_s: float,
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], bool]:
    n, m = cost.shape
    h = new_highs()
    h.setOptionValue("mip_rel_gap", 0.0)
    h.setOptionValue("time_limit", float(time_limit_s))
    x = [
        [
            h.addIntegral(
                lb=float(lo[i, t]), ub=float(hi[i, t]), obj=float(cost[i, t]) * (phase == 2)
            )
            for t in range(m)
        ]
        for i in range(n)
    ]
    s = [h.addVariable(lb=0.0, ub=float(totals[t]), obj=1.0 * (phase == 1)) for t in range(m)]
    for t in range(m):
        h.addConstr(sum((x[i][t] for i in range(n)), s[t]) == float(totals[t]))
    for i in range(n):
        spend = sum(float(cost[i, t]) * x[i][t] for t in range(m))
        floor_cost = float((cost[i] * (lo[i] - base[i])).sum())
        cap = max(float(budget[i]), floor_cost) + float((cost[i] * base[i]).sum())
        h.addConstr(spend <= cap + 1e-6)
    if phase == 2:
        h.addConstr(sum(s) <= max_short + 1e-6)
    h.run()
    status = h.getModelStatus()
    sol = np.asarray(h.getSolution().col_value, dtype=float)
    import highspy

    ok = status == highspy.HighsModelStatus.kOptimal
    feasible = h.getInfo().primal_solution_status == highspy.SolutionStatus.kSolutionStatusFeasible
    if not feasible or sol.size != n * m + m:  # limit hit before any feasible point: floors
        sol = np.concatenate([lo.astype(float).ravel(), np.maximum(totals - lo.sum(axis=0), 0)])
    xs = sol[: n * m].reshape(n, m)
    return xs, sol[n * m :], ok


def least_cost_targets(
    unit_cost_musd: npt.ArrayLike,
    baseline: npt.ArrayLike,
    collective: npt.ArrayLike,
    budget_musd: npt.ArrayLike,
    *,
    lower: npt.ArrayLike | None = None,
    upper: npt.ArrayLike | None = None,
    time_limit_s: float = 20.0,
) -> LeastCostResult:
    """Least-cost national targets meeting each tier's collective target.

    Parameters
    ----------
    unit_cost_musd : array_like, shape (n, m)
        Cost of one fire unit per ally and tier [MUSD] (life-cycle to the horizon).
    baseline : array_like of int, shape (n, m)
        Fire units held today.
    collective : array_like of int, shape (m,)
        Collective target per tier.
    budget_musd : array_like, shape (n,)
        What each ally can spend on new units [MUSD].
    lower, upper : array_like of int, optional
        Bounds per ally and tier (lower defaults to the baseline, which is always a
        floor: hold-harmless).
    time_limit_s : float, default 20
        Wall-clock limit of each of the two HiGHS solves [s]. Some budget
        configurations make the second phase hard to prove optimal; past the limit
        the best plan found is returned with ``optimal=False``.

    Returns
    -------
    LeastCostResult
    """
    cost = np.asarray(unit_cost_musd, dtype=float)
    base = np.asarray(baseline, dtype=np.int64)
    totals = np.asarray(collective, dtype=np.int64)
    budget = np.asarray(budget_musd, dtype=float)
    lo = base if lower is None else np.maximum(base, np.asarray(lower, dtype=np.int64))
    hi = (
        np.broadcast_to(totals, base.shape).astype(np.int64)
        if upper is None
        else np.asarray(upper, dtype=np.int64)
    )
    hi = np.maximum(hi, lo)
    start = time.perf_counter()
    _, s1, ok1 = _solve(cost, base, lo, hi, totals, budget, 1, 0.0, time_limit_s)
    xs, s2, ok2 = _solve(cost, base, lo, hi, totals, budget, 2, float(s1.sum()), time_limit_s)
    targets = np.rint(xs).astype(np.int64)
    return LeastCostResult(
        targets=targets,
        shortfall=np.asarray(s2, dtype=float),
        cost_musd=float((cost * (targets - base)).sum()),
        optimal=bool(ok1 and ok2),
        solve_seconds=time.perf_counter() - start,
    )
