r"""Static weapon-target assignment: maximum-marginal-return greedy and exact MILP.

Problem (Manne 1958; as stated by Ahuja et al. 2007): weapon types
:math:`i = 1..W` with :math:`u_i` weapons each, targets :math:`j = 1..T` of value
:math:`V_j`, kill probability :math:`p_{ij}`; choose integer :math:`x_{ij} \ge 0`
to

.. math:: \min \sum_j V_j \prod_i (1 - p_{ij})^{x_{ij}}
          \quad \text{s.t.} \quad \sum_j x_{ij} \le u_i .

The exact solver linearises the problem over *patterns*: for every target one
pattern :math:`k` (a vector of counts :math:`n_{ik} \le u_i`) is chosen with a binary
:math:`y_{jk}`; the surviving value of the pattern is a constant, so

.. math:: \min \sum_{j,k} V_j S_{jk} y_{jk} \quad \text{s.t.}
          \sum_k y_{jk} = 1 \;\forall j, \quad
          \sum_{j,k} n_{ik} y_{jk} \le u_i \;\forall i,

an exact MILP solved with HiGHS; practical while :math:`T \prod_i (u_i + 1)` is
small (a few hundred thousand columns).

References
----------
.. [1] Manne, A. S. (1958). "A target-assignment problem." Operations Research 6(3).
.. [2] Ahuja, R. K., Kumar, A., Jha, K. C., Orlin, J. B. (2007). "Exact and heuristic
   algorithms for the weapon-target assignment problem." Operations Research 55(6):
   1136-1146. doi:10.1287/opre.1070.0440
.. [3] Huangfu, Q., Hall, J. A. J. (2018). "Parallelizing the dual revised simplex
   method." Mathematical Programming Computation 10: 119-142 (HiGHS).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from gbad._highs import new_highs

__all__ = ["WTAResult", "wta_exact", "wta_mmr", "wta_objective"]

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]

#: Largest number of pattern columns the exact solver builds.
MAX_PATTERN_COLUMNS = 500_000


@dataclass
class WTAResult:
    """An assignment ``x[i, j]`` (weapons of type ``i`` on target ``j``) and its value.

    ``objective`` is the expected surviving target value; ``optimal`` says whether
    the solver proved optimality (always ``False`` for the greedy).
    """

    assignment: I64
    objective: float
    optimal: bool
    method: str


def _inputs(
    p: npt.ArrayLike, values: npt.ArrayLike, capacity: npt.ArrayLike | None
) -> tuple[F64, F64, I64]:
    pk = np.asarray(p, dtype=np.float64)
    v = np.asarray(values, dtype=np.float64)
    if pk.ndim != 2 or pk.shape[1] != v.size:
        raise ValueError("p must be (weapon types, targets) and values (targets,)")
    if np.any((pk < 0) | (pk > 1)):
        raise ValueError("p must lie in [0, 1]")
    if np.any(v < 0):
        raise ValueError("values must be >= 0")
    u = (
        np.ones(pk.shape[0], dtype=np.int64)
        if capacity is None
        else np.asarray(capacity, dtype=np.int64)
    )
    if u.shape != (pk.shape[0],) or np.any(u < 0):
        raise ValueError("capacity must be one non-negative integer per weapon type")
    return pk, v, u


def wta_objective(p: npt.ArrayLike, values: npt.ArrayLike, assignment: npt.ArrayLike) -> float:
    r"""Expected surviving value :math:`\sum_j V_j \prod_i (1 - p_{ij})^{x_{ij}}`."""
    pk = np.asarray(p, dtype=np.float64)
    x = np.asarray(assignment)
    survive = np.prod((1.0 - pk) ** x, axis=0)
    return float(np.asarray(values, dtype=np.float64) @ survive)


def wta_mmr(
    p: npt.ArrayLike, values: npt.ArrayLike, capacity: npt.ArrayLike | None = None
) -> WTAResult:
    r"""Maximum-marginal-return greedy (global-pair version).

    Repeatedly assign the free weapon-target pair with the largest decrease
    :math:`V_j S_j p_{ij}` and set :math:`S_j \leftarrow S_j (1 - p_{ij})`; ties go to
    the first pair in row-major (weapon, target) order. Weapons with zero marginal
    return are still assigned (every weapon fires), as in tests/reference/validation.md 5.1.
    """
    pk, v, u = _inputs(p, values, capacity)
    left = u.copy()
    survive = np.ones(v.size)
    x = np.zeros(pk.shape, dtype=np.int64)
    for _ in range(int(u.sum())):
        gain = (v * survive)[None, :] * pk
        gain[left <= 0, :] = -np.inf
        i, j = np.unravel_index(int(np.argmax(gain)), gain.shape)
        x[i, j] += 1
        left[i] -= 1
        survive[j] *= 1.0 - pk[i, j]
    return WTAResult(x, wta_objective(pk, v, x), optimal=False, method="mmr")


def wta_exact(
    p: npt.ArrayLike,
    values: npt.ArrayLike,
    capacity: npt.ArrayLike | None = None,
    *,
    time_limit_s: float = 60.0,
) -> WTAResult:
    """Exact WTA by the pattern MILP (module docstring), solved with HiGHS.

    Raises
    ------
    ValueError
        If the instance needs more than :data:`MAX_PATTERN_COLUMNS` columns.
    """
    import highspy

    pk, v, u = _inputs(p, values, capacity)
    n_w, n_t = pk.shape
    n_patterns = int(np.prod(u + 1))
    if n_patterns * n_t > MAX_PATTERN_COLUMNS:
        raise ValueError(
            f"{n_patterns * n_t} pattern columns exceed {MAX_PATTERN_COLUMNS}; use wta_mmr"
        )
    patterns = np.array(list(itertools.product(*(range(c + 1) for c in u))), dtype=np.int64)
    patterns = patterns.reshape(n_patterns, n_w)
    # Certain kills (p = 1) are handled apart so that no log(0) arises.
    certain = pk >= 1.0
    log_q = np.log1p(-np.where(certain, 0.0, pk))  # (W, T)
    survive = np.exp(patterns @ log_q)  # (K, T): surviving fraction of target j
    survive = np.where(patterns @ certain.astype(np.int64) > 0, 0.0, survive)
    n_col = n_patterns * n_t
    cost = (survive * v[None, :]).T.reshape(-1)  # column j * K + k
    h = new_highs()
    h.setOptionValue("time_limit", float(time_limit_s))
    h.setOptionValue("mip_rel_gap", 0.0)
    h.setOptionValue("mip_abs_gap", 1e-12)
    h.addVars(n_col, np.zeros(n_col), np.ones(n_col))
    h.changeColsCost(n_col, np.arange(n_col, dtype=np.int32), cost)
    h.changeColsIntegrality(
        n_col,
        np.arange(n_col, dtype=np.int32),
        np.full(n_col, highspy.HighsVarType.kInteger, dtype=np.uint8),
    )
    for j in range(n_t):  # one pattern per target
        idx = np.arange(j * n_patterns, (j + 1) * n_patterns, dtype=np.int32)
        h.addRow(1.0, 1.0, idx.size, idx, np.ones(idx.size))
    for i in range(n_w):  # capacity of weapon type i
        nz = np.flatnonzero(np.tile(patterns[:, i], n_t)).astype(np.int32)
        h.addRow(-highspy.kHighsInf, float(u[i]), nz.size, nz, np.tile(patterns[:, i], n_t)[nz])
    h.run()
    status = h.getModelStatus()
    sol = np.asarray(h.getSolution().col_value)
    if sol.size != n_col:
        raise RuntimeError(f"HiGHS found no solution ({h.modelStatusToString(status)})")
    chosen = np.rint(sol).reshape(n_t, n_patterns).argmax(axis=1)
    x = patterns[chosen].T.copy()
    optimal = status == highspy.HighsModelStatus.kOptimal
    return WTAResult(x, wta_objective(pk, v, x), optimal=bool(optimal), method="milp-highs")
