r"""Covering location models solved to proven optimality with HiGHS.

Sets and data: demand points :math:`i \in I` with weight :math:`a_i`, candidate
sites :math:`j \in J`, coverage sets :math:`N_i = \{j : d_{ij} \le S\}` given as a
boolean matrix ``a[i, j]``; fixed (existing) sites :math:`E \subseteq J`.

MCLP, maximal covering location (Church & ReVelle 1974), brownfield form:

.. math::
   \max \sum_i a_i X_i \quad \text{s.t.}\quad X_i \le \sum_{j\in N_i} Y_j,\;
   \sum_j Y_j = p,\; Y_j = 1\ (j\in E),\; X_i \in [0,1],\; Y_j \in \{0,1\}.

``X`` may be continuous: for integral ``Y`` its optimum is
:math:`\min(1, \sum_{N_i} Y_j)`, which is integral.

LSCP, location set covering (Toregas et al. 1971): :math:`\min \sum_j c_j Y_j`
s.t. :math:`\sum_{j\in N_i} Y_j \ge 1` for all i.

Backup coverage (Hogan & ReVelle 1986): BACOP1 maximises :math:`\sum_i a_i U_i`
s.t. :math:`\sum_{N_i} Y_j - U_i \ge 1`, :math:`\sum_j Y_j = p`, :math:`U_i \le 1`;
BACOP2 maximises :math:`\theta\sum a_i X_i + (1-\theta)\sum a_i U_i` s.t.
:math:`\sum_{N_i} Y_j - X_i - U_i \ge 0`, :math:`U_i \le X_i`. spopt's LSCP-B
is BACOP1 with unit weights and ``p`` the LSCP optimum.

Budget MCLP: the MCLP with :math:`\sum_{j \notin E} c_j Y_j \le B` instead of the
unit count.

Every model is solved with the unit-count (or budget) constraint as ``<=``: the
objectives never decrease when a site is added, so the optimum equals that of the
``= p`` form, and the selection is padded afterwards with the unselected sites
that cover most weight on their own (ties: lowest index) so that exactly ``p``
sites are returned. Instances are reduced first (:mod:`gbad.siting.reduce`).

References
----------
.. [1] Church, R., & ReVelle, C. (1974). The maximal covering location problem.
   Papers of the Regional Science Association 32: 101-118. doi:10.1007/BF01942293
.. [2] Toregas, C., Swain, R., ReVelle, C., & Bergman, L. (1971). The location of
   emergency service facilities. Operations Research 19(6): 1363-1373.
   doi:10.1287/opre.19.6.1363
.. [3] Hogan, K., & ReVelle, C. (1986). Concepts and applications of backup
   coverage. Management Science 32(11): 1434-1444. doi:10.1287/mnsc.32.11.1434
.. [4] Church, R. L., & Murray, A. T. (2018). *Location Covering Models*.
   Springer. doi:10.1007/978-3-319-99846-6
.. [5] Huang, Q., Feng, X., Gaboardi, J. D., et al. spopt: a python package for
   solving spatial optimization problems in PySAL. pysal/spopt ``locate/coverage.py``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, TypeAlias

import numpy as np
import numpy.typing as npt
from scipy import sparse

from gbad.errors import GbadInputError
from gbad.siting._highs import MilpSolution, solve_milp
from gbad.siting.reduce import ReducedInstance, fold_single_cover, reduce_covering

__all__ = [
    "SitingSolution",
    "bacop1",
    "bacop2",
    "coverage_matrix_from_costs",
    "lscp",
    "lscp_backup",
    "mclp",
    "mclp_budget",
]

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
MatrixLike: TypeAlias = sparse.sparray | sparse.spmatrix | npt.ArrayLike


@dataclass(frozen=True)
class SitingSolution:
    """Result of one covering model.

    Attributes
    ----------
    model : str
        ``"mclp"``, ``"mclp-budget"``, ``"lscp"``, ``"lscp-b"``, ``"bacop1"``, ``"bacop2"``.
    selected : numpy.ndarray
        Indices of all selected sites (existing included), ascending.
    existing, new : numpy.ndarray
        Selected indices that were fixed / chosen by the model.
    objective : float
        Optimal objective of the model as stated (covered weight for the MCLP,
        number or cost of sites for the LSCP, backup weight for BACOP1...).
    covered_weight : float
        Demand weight within reach of at least one selected site.
    backup_weight : float
        Demand weight within reach of at least two selected sites.
    total_weight : float
        Sum of all demand weights.
    n_covered, n_backup : int
        Demand points covered once / at least twice.
    feasible, optimal : bool
        Whether a solution exists; whether HiGHS proved it optimal (zero gap).
    status : str
        Solver status text.
    mip_gap : float
        Final relative MIP gap (0 when optimal).
    solve_seconds : float
        Wall time of reduction plus solve [s].
    reduction : dict
        Instance sizes before and after reduction.
    """

    model: str
    selected: IntArray
    existing: IntArray
    new: IntArray
    objective: float
    covered_weight: float
    backup_weight: float
    total_weight: float
    n_covered: int
    n_backup: int
    feasible: bool
    optimal: bool
    status: str
    mip_gap: float
    solve_seconds: float
    reduction: dict[str, int] = field(default_factory=dict)

    @property
    def coverage_fraction(self) -> float:
        """Covered weight over total weight (0 when the total is 0)."""
        return self.covered_weight / self.total_weight if self.total_weight > 0 else 0.0

    def summary(self) -> dict[str, Any]:
        """JSON-able summary."""
        return {
            "model": self.model,
            "objective": self.objective,
            "covered_weight": self.covered_weight,
            "coverage_fraction": self.coverage_fraction,
            "backup_weight": self.backup_weight,
            "n_covered": self.n_covered,
            "n_backup": self.n_backup,
            "selected": self.selected.tolist(),
            "existing": self.existing.tolist(),
            "new": self.new.tolist(),
            "feasible": self.feasible,
            "optimal": self.optimal,
            "status": self.status,
            "mip_gap": self.mip_gap,
            "solve_seconds": self.solve_seconds,
            "reduction": dict(self.reduction),
        }


def coverage_matrix_from_costs(
    cost_matrix: npt.ArrayLike, service_radius: float
) -> sparse.csr_array:
    """Boolean coverage matrix ``cost <= radius`` (spopt's ``aij`` rule)."""
    cm = np.asarray(cost_matrix, dtype=float)
    return sparse.csr_array(cm <= service_radius)


def _as_csr(a: MatrixLike) -> sparse.csr_array:
    if sparse.issparse(a):
        return sparse.csr_array(a, dtype=bool)
    return sparse.csr_array(np.asarray(a, dtype=bool))


def _check(
    a: sparse.csr_array, weight: npt.ArrayLike | None, existing: Sequence[int] | npt.ArrayLike
) -> tuple[FloatArray, IntArray]:
    n, m = a.shape
    w = np.ones(n) if weight is None else np.asarray(weight, dtype=float).ravel()
    if w.shape != (n,):
        raise GbadInputError("weight", f"expected {n} weights, got {w.size}")
    if not np.all(np.isfinite(w)) or np.any(w < 0):
        raise GbadInputError("weight", "weights must be finite and non-negative")
    ex = np.asarray(existing, dtype=np.int64).ravel()
    if ex.size and (ex.min() < 0 or ex.max() >= m):
        raise GbadInputError("existing", "index outside the candidate list")
    if np.unique(ex).size != ex.size:
        raise GbadInputError("existing", "duplicate existing site")
    return w, np.sort(ex)


def _evaluate(  # noqa: PLR0917 - private helper, called positionally in one module
    model: str,
    a: sparse.csr_array,
    w: FloatArray,
    selected: IntArray,
    existing: IntArray,
    objective: float,
    sol: MilpSolution | None,
    seconds: float,
    red: ReducedInstance | None,
    feasible: bool = True,
) -> SitingSolution:
    selected = np.unique(selected.astype(np.int64))
    if selected.size:
        count = np.asarray(a[:, selected].sum(axis=1)).ravel()
    else:
        count = np.zeros(a.shape[0])
    new = np.setdiff1d(selected, existing)
    return SitingSolution(
        model=model,
        selected=selected,
        existing=existing,
        new=new,
        objective=float(objective),
        covered_weight=float(w[count >= 1].sum()),
        backup_weight=float(w[count >= 2].sum()),
        total_weight=float(w.sum()),
        n_covered=int((count >= 1).sum()),
        n_backup=int((count >= 2).sum()),
        feasible=feasible,
        optimal=bool(sol.optimal) if sol is not None else feasible,
        status=sol.status if sol is not None else ("optimal" if feasible else "infeasible"),
        mip_gap=float(sol.mip_gap) if sol is not None else 0.0,
        solve_seconds=seconds,
        reduction=red.stats if red is not None else {},
    )


def _pad(a: sparse.csr_array, w: FloatArray, chosen: IntArray, p: int) -> IntArray:
    """Fill ``chosen`` up to ``p`` sites with the best single-site covers."""
    chosen = np.unique(chosen)
    short = p - chosen.size
    if short <= 0:
        return chosen
    score = np.asarray(a.T @ w).ravel()
    score[chosen] = -np.inf
    order = np.lexsort((np.arange(score.size), -score))
    extra = order[:short]
    return np.unique(np.concatenate([chosen, extra]))


def _greedy_start(g: sparse.csr_array, gw: FloatArray, bonus: FloatArray, k: int) -> FloatArray:
    """Greedy MCLP point ``(Y, X)`` of the reduced model: add the site of largest
    marginal weight ``k`` times (lazy evaluation; ties: lowest index)."""
    import heapq

    n_g, n_s = g.shape
    csc = sparse.csc_array(g, dtype=bool)
    csc.sort_indices()
    covered = np.zeros(n_g, dtype=bool)
    gain = bonus + np.asarray(csc.T.astype(float) @ gw).ravel()
    heap = [(-float(gain[j]), j) for j in range(n_s)]
    heapq.heapify(heap)
    y = np.zeros(n_s)
    picked = 0
    while picked < k and heap:
        _, j = heapq.heappop(heap)
        rows = csc.indices[csc.indptr[j] : csc.indptr[j + 1]]
        true = float(bonus[j] + gw[rows[~covered[rows]]].sum())
        if heap and true < -heap[0][0]:
            heapq.heappush(heap, (-true, j))
            continue
        y[j] = 1.0
        covered[rows] = True
        picked += 1
    return np.concatenate([y, covered.astype(float)])


def _pick(x: FloatArray, n: int) -> npt.NDArray[np.bool_]:
    return np.asarray(x[:n] > 0.5)


def _check_p(p: int, m: int, n_existing: int) -> None:
    if p < 0:
        raise GbadInputError("p", "must be non-negative")
    if p > m:
        raise GbadInputError("p", f"{p} sites asked but only {m} candidates")
    if n_existing > p:
        raise GbadInputError("existing", f"{n_existing} existing sites exceed p = {p}")


def mclp(
    a: MatrixLike,
    weight: npt.ArrayLike | None,
    p: int,
    existing: Sequence[int] | npt.ArrayLike = (),
    *,
    reduce: bool = True,
    time_limit_s: float | None = None,
    threads: int | None = None,
    warm_start: bool = True,
) -> SitingSolution:
    """Maximal covering location problem with fixed existing sites (brownfield).

    Parameters
    ----------
    a : array_like or sparse matrix
        Coverage matrix, demand × candidates; true where candidate j covers i.
    weight : array_like or None
        Demand weights :math:`a_i` (None: all 1).
    p : int
        Number of sites in total, existing included.
    existing : sequence of int
        Candidate indices that are already built and always selected.
    reduce : bool
        Apply the instance reductions of :mod:`gbad.siting.reduce` (column
        domination and single-cover folding; identical demand is always merged).
    time_limit_s : float, optional
        Stop HiGHS after this time; ``optimal`` is then False and ``mip_gap`` set.
    threads : int, optional
        HiGHS threads.
    warm_start : bool
        Hand HiGHS the greedy solution (Church & ReVelle 1974's heuristic) as
        its first incumbent. Speeds the search; the optimum is unchanged.

    Returns
    -------
    SitingSolution
        ``objective`` is the covered weight.
    """
    import time

    t0 = time.perf_counter()
    csr = _as_csr(a)
    w, ex = _check(csr, weight, existing)
    m = csr.shape[1]
    _check_p(p, m, ex.size)
    red = reduce_covering(csr, w, ex, drop_covered=True, drop_dominated=reduce)
    k = p - ex.size
    g, gw = red.a, red.weight
    if reduce:
        g, gw, bonus = fold_single_cover(g, gw)
    else:
        bonus = np.zeros(g.shape[1])
    n_g, n_s = g.shape
    sol: MilpSolution | None = None
    chosen = ex
    if (n_g or bonus.any()) and n_s and k > 0:
        # columns: Y (n_s, binary), X (n_g, continuous [0, 1])
        # rows: X_g - sum_j G_gj Y_j <= 0 (n_g rows); sum_j Y_j <= k
        # objective: bonus·Y (folded single-cover rows) + gw·X
        cov = sparse.hstack(
            [-sparse.csr_array(g, dtype=float), sparse.eye_array(n_g, format="csr")],
            format="csr",
        )
        card = sparse.hstack(
            [sparse.csr_array(np.ones((1, n_s))), sparse.csr_array((1, n_g))], format="csr"
        )
        amat = sparse.vstack([cov, card], format="csr")
        c = np.concatenate([bonus, gw])
        sol = solve_milp(
            c,
            amat,
            np.full(n_g + 1, -np.inf),
            np.concatenate([np.zeros(n_g), [k]]),
            np.zeros(n_s + n_g),
            np.ones(n_s + n_g),
            np.concatenate([np.ones(n_s, bool), np.zeros(n_g, bool)]),
            maximize=True,
            time_limit_s=time_limit_s,
            threads=threads,
            start=_greedy_start(g, gw, bonus, k) if warm_start else None,
        )
        if np.all(np.isfinite(sol.x)):
            chosen = np.concatenate([ex, red.sites[_pick(sol.x, n_s)]])
    selected = _pad(csr, w, chosen, p)
    seconds = time.perf_counter() - t0
    res = _evaluate("mclp", csr, w, selected, ex, 0.0, sol, seconds, red)
    return _with_objective(res, res.covered_weight)


def _with_objective(res: SitingSolution, objective: float) -> SitingSolution:
    import dataclasses

    return dataclasses.replace(res, objective=float(objective))


def mclp_budget(
    a: MatrixLike,
    weight: npt.ArrayLike | None,
    cost: npt.ArrayLike,
    budget: float,
    existing: Sequence[int] | npt.ArrayLike = (),
    *,
    reduce: bool = True,
    time_limit_s: float | None = None,
) -> SitingSolution:
    """MCLP with a budget on the cost of new sites instead of a unit count.

    Existing sites are selected at no cost. ``cost`` gives every candidate's cost
    (same unit as ``budget``, e.g. million USD).
    """
    import time

    t0 = time.perf_counter()
    csr = _as_csr(a)
    w, ex = _check(csr, weight, existing)
    cst = np.asarray(cost, dtype=float).ravel()
    if cst.shape != (csr.shape[1],) or np.any(~np.isfinite(cst)) or np.any(cst < 0):
        raise GbadInputError("cost", "one finite, non-negative cost per candidate needed")
    if not np.isfinite(budget) or budget < 0:
        raise GbadInputError("budget", "must be finite and non-negative")
    red = reduce_covering(csr, w, ex, cost=cst, drop_covered=True, drop_dominated=reduce)
    g, gw = red.a, red.weight
    n_g, n_s = g.shape
    sol: MilpSolution | None = None
    chosen = ex
    if n_g and n_s:
        cov = sparse.hstack(
            [-sparse.csr_array(g, dtype=float), sparse.eye_array(n_g, format="csr")],
            format="csr",
        )
        bud = sparse.hstack(
            [sparse.csr_array(cst[red.sites][None, :]), sparse.csr_array((1, n_g))],
            format="csr",
        )
        amat = sparse.vstack([cov, bud], format="csr")
        sol = solve_milp(
            np.concatenate([np.zeros(n_s), gw]),
            amat,
            np.full(n_g + 1, -np.inf),
            np.concatenate([np.zeros(n_g), [budget]]),
            np.zeros(n_s + n_g),
            np.ones(n_s + n_g),
            np.concatenate([np.ones(n_s, bool), np.zeros(n_g, bool)]),
            maximize=True,
            time_limit_s=time_limit_s,
        )
        if np.all(np.isfinite(sol.x)):
            chosen = np.concatenate([ex, red.sites[_pick(sol.x, n_s)]])
    seconds = time.perf_counter() - t0
    res = _evaluate("mclp-budget", csr, w, chosen, ex, 0.0, sol, seconds, red)
    return _with_objective(res, res.covered_weight)


def lscp(
    a: MatrixLike,
    existing: Sequence[int] | npt.ArrayLike = (),
    *,
    cost: npt.ArrayLike | None = None,
    reduce: bool = True,
    time_limit_s: float | None = None,
) -> SitingSolution:
    """Location set covering: fewest (or cheapest) sites covering every demand point.

    Returns an infeasible solution (``feasible=False``, no sites) when some
    demand point cannot be covered by any candidate. ``objective`` is the number
    of sites (existing included) or, with ``cost``, the cost of the new sites.
    """
    import time

    t0 = time.perf_counter()
    csr = _as_csr(a)
    m = csr.shape[1]
    w, ex = _check(csr, None, existing)
    nnz = np.diff(csr.indptr)
    if np.any(nnz == 0):
        return _evaluate("lscp", csr, w, np.zeros(0, np.int64), ex, np.nan, None, 0.0, None, False)
    red = reduce_covering(csr, w, ex, cost=cost, drop_covered=True, drop_dominated=reduce)
    g = red.a
    n_g, n_s = g.shape
    cst = np.ones(m) if cost is None else np.asarray(cost, dtype=float).ravel()
    sol: MilpSolution | None = None
    chosen = ex
    if n_g:
        sol = solve_milp(
            cst[red.sites],
            sparse.csr_array(g, dtype=float),
            np.ones(n_g),
            np.full(n_g, np.inf),
            np.zeros(n_s),
            np.ones(n_s),
            np.ones(n_s, bool),
            maximize=False,
            time_limit_s=time_limit_s,
        )
        if np.all(np.isfinite(sol.x)):
            chosen = np.concatenate([ex, red.sites[_pick(sol.x, n_s)]])
    seconds = time.perf_counter() - t0
    res = _evaluate("lscp", csr, w, chosen, ex, 0.0, sol, seconds, red)
    obj = float(res.selected.size) if cost is None else float(cst[res.new].sum())
    return _with_objective(res, obj)


def _backup_model(  # noqa: PLR0917 - private helper
    name: str,
    csr: sparse.csr_array,
    w: FloatArray,
    p: int,
    ex: IntArray,
    theta: float | None,
    time_limit_s: float | None,
) -> SitingSolution:
    """Shared builder of BACOP1 (theta None) and BACOP2 (theta in [0, 1])."""
    import time

    t0 = time.perf_counter()
    m = csr.shape[1]
    _check_p(p, m, ex.size)
    k = p - ex.size
    # keep rows covered once by fixed sites (they may still gain backup)
    red = reduce_covering(csr, w, ex, drop_covered=False, drop_dominated=False, offset_cap=2)
    g, gw, off = red.a, red.weight, red.offset.astype(float)
    n_g, n_s = g.shape
    nnz_all = np.diff(csr.indptr)
    if theta is None and np.any((nnz_all == 0) & (w >= 0)):
        # BACOP1 needs every demand point covered
        return _evaluate(name, csr, w, np.zeros(0, np.int64), ex, np.nan, None, 0.0, red, False)
    sol: MilpSolution | None = None
    chosen = ex
    if n_g and n_s and k >= 0:
        gneg = -sparse.csr_array(g, dtype=float)
        eye = sparse.eye_array(n_g, format="csr")
        zero = sparse.csr_array((n_g, n_g))
        card_y = sparse.csr_array(np.ones((1, n_s)))
        if theta is None:
            # columns Y, U.  U_g - sum G Y <= offset - 1 ; sum G Y >= 1 - offset
            a1 = sparse.hstack([gneg, eye], format="csr")
            a2 = sparse.hstack([-gneg, zero], format="csr")
            a3 = sparse.hstack([card_y, sparse.csr_array((1, n_g))], format="csr")
            amat = sparse.vstack([a1, a2, a3], format="csr")
            lo = np.concatenate([np.full(n_g, -np.inf), 1.0 - off, [-np.inf]])
            hi = np.concatenate([off - 1.0, np.full(n_g, np.inf), [k]])
            c = np.concatenate([np.zeros(n_s), gw])
            ncols = n_s + n_g
        else:
            # columns Y, X, U.  X + U - sum G Y <= offset ; U - X <= 0
            a1 = sparse.hstack([gneg, eye, eye], format="csr")
            a2 = sparse.hstack([sparse.csr_array((n_g, n_s)), -eye, eye], format="csr")
            a3 = sparse.hstack([card_y, sparse.csr_array((1, 2 * n_g))], format="csr")
            amat = sparse.vstack([a1, a2, a3], format="csr")
            lo = np.full(2 * n_g + 1, -np.inf)
            hi = np.concatenate([off, np.zeros(n_g), [k]])
            c = np.concatenate([np.zeros(n_s), theta * gw, (1.0 - theta) * gw])
            ncols = n_s + 2 * n_g
        sol = solve_milp(
            c,
            amat,
            lo,
            hi,
            np.zeros(ncols),
            np.ones(ncols),
            np.concatenate([np.ones(n_s, bool), np.zeros(ncols - n_s, bool)]),
            maximize=True,
            time_limit_s=time_limit_s,
        )
        if sol.status == "infeasible":
            return _evaluate(name, csr, w, np.zeros(0, np.int64), ex, np.nan, sol, 0.0, red, False)
        if np.all(np.isfinite(sol.x)):
            chosen = np.concatenate([ex, red.sites[_pick(sol.x, n_s)]])
    selected = _pad(csr, w, chosen, p)
    seconds = time.perf_counter() - t0
    res = _evaluate(name, csr, w, selected, ex, 0.0, sol, seconds, red)
    if theta is None:
        obj = res.backup_weight
    else:
        obj = theta * res.covered_weight + (1.0 - theta) * res.backup_weight
    return _with_objective(res, obj)


def bacop1(
    a: MatrixLike,
    weight: npt.ArrayLike | None,
    p: int,
    existing: Sequence[int] | npt.ArrayLike = (),
    *,
    time_limit_s: float | None = None,
) -> SitingSolution:
    """BACOP1: cover every demand point, maximise backup (double) covered weight.

    Infeasible (``feasible=False``) when some point has no candidate or ``p`` sites
    cannot cover all points. ``objective`` is the weight covered at least twice.
    """
    csr = _as_csr(a)
    w, ex = _check(csr, weight, existing)
    return _backup_model("bacop1", csr, w, p, ex, None, time_limit_s)


def bacop2(
    a: MatrixLike,
    weight: npt.ArrayLike | None,
    p: int,
    existing: Sequence[int] | npt.ArrayLike = (),
    *,
    theta: float = 0.5,
    time_limit_s: float | None = None,
) -> SitingSolution:
    """BACOP2: maximise ``theta·first + (1-theta)·backup`` covered weight.

    ``theta = 1`` is the MCLP; ``theta = 0.5`` weighs a second cover like a first.
    """
    if not 0.0 <= theta <= 1.0:
        raise GbadInputError("theta", "must lie in [0, 1]")
    csr = _as_csr(a)
    w, ex = _check(csr, weight, existing)
    return _backup_model("bacop2", csr, w, p, ex, float(theta), time_limit_s)


def lscp_backup(
    a: MatrixLike,
    *,
    time_limit_s: float | None = None,
) -> tuple[SitingSolution, SitingSolution]:
    r"""spopt's LSCP-B: LSCP for ``p*``, then BACOP1 with unit weights and ``p = p*``.

    Returns ``(lscp_solution, backup_solution)``. ``backup_solution.n_backup`` is
    the number of clients covered at least twice. ``backup_solution.objective``
    is spopt's objective: spopt constrains :math:`U_i` only for clients with
    :math:`|N_i| \ge 2`, so clients with a single covering site count as backed
    up; its ``backup_perc`` is this objective over :math:`|I|` × 100. Both are
    maximised by the same selections.
    """
    first = lscp(a, time_limit_s=time_limit_s)
    if not first.feasible:
        return first, first
    p_star = int(first.selected.size)
    csr = _as_csr(a)
    second = _backup_model(
        "lscp-b", csr, np.ones(csr.shape[0]), p_star, np.zeros(0, np.int64), None, time_limit_s
    )
    # spopt leaves U_i free for clients with fewer than two covering sites, so its
    # objective counts them as "backed up"; report that objective unchanged
    n_single = int(np.sum(np.diff(csr.indptr) < 2))
    return first, _with_objective(second, second.n_backup + n_single)
