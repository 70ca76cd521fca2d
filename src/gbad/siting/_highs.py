"""A thin, quiet wrapper that solves one MILP with HiGHS to proven optimality.

The solver comes from :func:`gbad._highs.new_highs`, which keeps HiGHS's banner
off stdout (the CLI contract reserves it for one JSON object).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import sparse

from gbad._highs import new_highs

__all__ = ["MilpSolution", "solve_milp"]


@dataclass(frozen=True)
class MilpSolution:
    """Outcome of one MILP solve.

    Attributes
    ----------
    x : numpy.ndarray
        Variable values (NaN when no feasible point was found).
    objective : float
        Objective value in the model's own sense (NaN when none).
    status : str
        ``"optimal"``, ``"infeasible"``, ``"time-limit"`` or HiGHS's status text.
    optimal : bool
        True when HiGHS proved optimality with a zero relative and absolute gap.
    mip_gap : float
        Final relative gap reported by HiGHS (0 when proven optimal).
    solve_seconds : float
        Wall time of the solve [s].
    """

    x: npt.NDArray[np.float64]
    objective: float
    status: str
    optimal: bool
    mip_gap: float
    solve_seconds: float


def solve_milp(  # noqa: PLR0917 - the standard (c, A, bounds) order of LP solvers
    c: npt.ArrayLike,
    a: sparse.sparray | sparse.spmatrix,
    row_lower: npt.ArrayLike,
    row_upper: npt.ArrayLike,
    col_lower: npt.ArrayLike,
    col_upper: npt.ArrayLike,
    integer: npt.ArrayLike,
    *,
    maximize: bool = False,
    time_limit_s: float | None = None,
    threads: int | None = None,
    start: npt.ArrayLike | None = None,
) -> MilpSolution:
    """Solve ``opt c·x  s.t.  row_lower <= A x <= row_upper,  col bounds,  x_j integer``.

    Gaps are set to zero (``mip_rel_gap = mip_abs_gap = 0``), so ``optimal`` means
    proven optimal, not optimal within HiGHS's default 0.01 % tolerance.
    ``start``, a feasible point (e.g. a greedy solution), is handed to HiGHS as
    its first incumbent (``setSolution``); it changes how fast the search
    closes, never the optimum.
    """
    import highspy

    c_arr = np.asarray(c, dtype=np.float64)
    n = c_arr.size
    csc = sparse.csc_array(a, dtype=np.float64)
    m = csc.shape[0]
    lp = highspy.HighsLp()
    lp.num_col_ = n
    lp.num_row_ = m
    lp.col_cost_ = c_arr
    lp.col_lower_ = np.asarray(col_lower, dtype=np.float64)
    lp.col_upper_ = np.asarray(col_upper, dtype=np.float64)
    lp.row_lower_ = np.asarray(row_lower, dtype=np.float64)
    lp.row_upper_ = np.asarray(row_upper, dtype=np.float64)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = csc.indptr.astype(np.int32)
    lp.a_matrix_.index_ = csc.indices.astype(np.int32)
    lp.a_matrix_.value_ = csc.data
    lp.a_matrix_.num_col_ = n
    lp.a_matrix_.num_row_ = m
    lp.sense_ = highspy.ObjSense.kMaximize if maximize else highspy.ObjSense.kMinimize
    ints = np.asarray(integer, dtype=bool)
    lp.integrality_ = [
        highspy.HighsVarType.kInteger if flag else highspy.HighsVarType.kContinuous for flag in ints
    ]
    h = new_highs()
    h.setOptionValue("mip_rel_gap", 0.0)
    h.setOptionValue("mip_abs_gap", 0.0)
    h.setOptionValue("random_seed", 0)
    if threads is not None:
        h.setOptionValue("threads", int(threads))
    if time_limit_s is not None:
        h.setOptionValue("time_limit", float(time_limit_s))
    h.passModel(lp)
    if start is not None:
        x0 = highspy.HighsSolution()
        x0.col_value = np.asarray(start, dtype=np.float64).tolist()
        x0.value_valid = True
        h.setSolution(x0)
    t0 = time.perf_counter()
    h.run()
    seconds = time.perf_counter() - t0
    status = h.getModelStatus()
    text = h.modelStatusToString(status)
    info = h.getInfo()
    has_point = int(info.primal_solution_status) == 2  # kSolutionStatusFeasible
    x = np.asarray(h.getSolution().col_value, dtype=np.float64) if has_point else np.full(n, np.nan)
    objective = float(info.objective_function_value) if has_point else float("nan")
    optimal = status == highspy.HighsModelStatus.kOptimal
    if optimal:
        label = "optimal"
    elif status == highspy.HighsModelStatus.kInfeasible:
        label = "infeasible"
    elif status == highspy.HighsModelStatus.kTimeLimit:
        label = "time-limit"
    else:
        label = text
    gap = float(info.mip_gap) if ints.any() and has_point else 0.0
    if optimal:
        gap = 0.0 if not np.isfinite(gap) else gap
    return MilpSolution(
        x=x,
        objective=objective,
        status=label,
        optimal=bool(optimal),
        mip_gap=gap,
        solve_seconds=seconds,
    )
