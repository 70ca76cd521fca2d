"""Instance reduction for covering models: merge demand, drop dominated sites.

Two classical, optimum-preserving reductions (Church & Murray 2018, ch. 5;
Daskin 2013, §4.2):

* **Row merging.** Demand points with the same set of covering sites
  ``N_i`` behave identically in every covering model; they become one row whose
  weight is the sum of their weights. Points already covered by fixed (existing)
  sites are constant in the MCLP and leave the model; points nobody can cover
  leave it too.
* **Column domination.** In the MCLP (and the LSCP) a site j whose coverage set
  is contained in another site k's (``N^j ⊆ N^k``), with ``cost_k <= cost_j``
  when sites have costs, can be swapped for k in any solution without losing
  coverage; j is dropped. Identical columns keep the lowest index. Domination is
  *not* applied to backup models, whose coverage counts can use both j and k.
* **Single-cover folding** (MCLP only). A demand group covered by exactly one
  kept site j has ``X_i = min(1, Y_j) = Y_j`` at every optimum, so its
  weight moves into j's objective coefficient and its row and :math:`X_i`
  leave the model (:func:`fold_single_cover`). Applied after domination, which
  leaves more rows with a single covering site.

References
----------
.. [1] Church, R. L., & Murray, A. T. (2018). *Location Covering Models:
   History, Applications and Advancements*. Springer. doi:10.1007/978-3-319-99846-6
.. [2] Daskin, M. S. (2013). *Network and Discrete Location*, 2nd ed. Wiley.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy import sparse

__all__ = [
    "ReducedInstance",
    "dominated_columns",
    "fold_single_cover",
    "merge_rows",
    "reduce_covering",
]

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class ReducedInstance:
    """A covering instance after reduction.

    Attributes
    ----------
    a : scipy.sparse.csr_array
        Coverage matrix of the reduced model, groups × kept free sites (bool).
    weight : numpy.ndarray
        Weight of each demand group.
    offset : numpy.ndarray
        Number of fixed sites covering each group (0 for the plain MCLP, where
        rows covered by fixed sites are removed).
    sites : numpy.ndarray
        Original indices of the kept free sites (columns of ``a``).
    group : numpy.ndarray
        For each original demand point its group, or -1 when it left the model.
    n_demand, n_sites : int
        Size of the original instance.
    """

    a: sparse.csr_array
    weight: FloatArray
    offset: IntArray
    sites: IntArray
    group: IntArray
    n_demand: int
    n_sites: int

    @property
    def stats(self) -> dict[str, int]:
        """Sizes before and after reduction (JSON-able)."""
        return {
            "demand_points": self.n_demand,
            "demand_groups": int(self.a.shape[0]),
            "candidate_sites": self.n_sites,
            "candidate_sites_kept": int(self.a.shape[1]),
        }


def merge_rows(
    a: sparse.csr_array, extra_key: npt.ArrayLike | None = None
) -> tuple[IntArray, IntArray]:
    """Group identical rows of a sparse boolean matrix.

    Returns
    -------
    group : numpy.ndarray
        Group id of each row (0..n_groups-1, in order of first appearance).
    first : numpy.ndarray
        Index of the first row of each group.
    """
    csr = sparse.csr_array(a)
    csr.sort_indices()
    indptr, indices = csr.indptr, csr.indices.astype(np.int64)
    keys: list[bytes] = [indices[indptr[k] : indptr[k + 1]].tobytes() for k in range(csr.shape[0])]
    if extra_key is not None:
        extra = np.asarray(extra_key, dtype=np.int64)
        keys = [
            k + int(e).to_bytes(8, "little", signed=True) for k, e in zip(keys, extra, strict=True)
        ]
    codes, _ = pd.factorize(pd.Series(keys, dtype=object), sort=False)
    group = np.asarray(codes, dtype=np.int64)
    n_groups = int(group.max()) + 1 if group.size else 0
    first = np.full(n_groups, -1, dtype=np.int64)
    # first occurrence: assign in reverse so the smallest index wins
    first[group[::-1]] = np.arange(group.size - 1, -1, -1, dtype=np.int64)
    return group, first


def dominated_columns(
    a: sparse.csr_array | sparse.csc_array,
    cost: npt.ArrayLike | None = None,
    chunk: int = 512,
) -> npt.NDArray[np.bool_]:
    """Columns whose coverage set lies inside another column's (at no lower cost).

    Column j is dominated by k ≠ j when ``N^j ⊆ N^k`` and ``cost_k <= cost_j``,
    and either the sets or costs differ, or they are equal and ``k < j``. Empty
    columns are always dominated. Works in column chunks of the product
    ``AᵀA`` to bound memory.
    """
    csc = sparse.csc_array(a, dtype=np.int32)
    m = csc.shape[1]
    size = np.asarray(csc.sum(axis=0)).ravel().astype(np.int64)
    c = np.zeros(m) if cost is None else np.asarray(cost, dtype=float)
    dominated = size == 0
    at = csc.T.tocsr()
    for start in range(0, m, chunk):
        stop = min(start + chunk, m)
        prod = sparse.coo_array(at[start:stop] @ csc)  # (chunk × m) overlaps
        j = prod.row.astype(np.int64) + start
        k = prod.col.astype(np.int64)
        ov = prod.data.astype(np.int64)
        contained = (ov == size[j]) & (k != j) & (c[k] <= c[j])
        strict = (size[k] > size[j]) | (c[k] < c[j]) | (k < j)
        hit = j[contained & strict]
        dominated[hit] = True
    return dominated


def reduce_covering(
    a: sparse.csr_array,
    weight: npt.ArrayLike,
    fixed: npt.ArrayLike = (),
    *,
    cost: npt.ArrayLike | None = None,
    drop_covered: bool = True,
    drop_dominated: bool = True,
    offset_cap: int = 1,
) -> ReducedInstance:
    """Reduce a covering instance before solving.

    Parameters
    ----------
    a : scipy.sparse.csr_array
        Coverage matrix, demand × sites (bool).
    weight : array_like
        Demand weights (non-negative).
    fixed : array_like of int
        Indices of sites that are always selected (existing units).
    cost : array_like, optional
        Site costs; domination then requires a cost no higher.
    drop_covered : bool
        Remove demand already covered by fixed sites (MCLP). When False the
        number of fixed sites covering each row, capped at ``offset_cap``, is kept
        in ``offset`` and in the merge key (backup models).
    drop_dominated : bool
        Apply column domination (MCLP, LSCP); False keeps every non-empty column.
    offset_cap : int
        Cap of the fixed-coverage count kept per row (2 for double coverage).
    """
    csr = sparse.csr_array(a, dtype=bool)
    n, m = csr.shape
    w = np.asarray(weight, dtype=float)
    fixed_idx = np.unique(np.asarray(fixed, dtype=np.int64))
    is_fixed = np.zeros(m, dtype=bool)
    is_fixed[fixed_idx] = True
    free = np.flatnonzero(~is_fixed)
    count_fixed = (
        np.asarray(csr[:, fixed_idx].sum(axis=1)).ravel().astype(np.int64)
        if fixed_idx.size
        else np.zeros(n, dtype=np.int64)
    )
    offset_all = np.minimum(count_fixed, offset_cap)
    b = sparse.csr_array(csr[:, free])
    row_nnz = np.diff(b.indptr)
    keep = (w > 0) & (row_nnz > 0)
    if drop_covered:
        keep &= count_fixed == 0
    else:
        keep &= offset_all < offset_cap
    rows = np.flatnonzero(keep)
    sub = sparse.csr_array(b[rows])
    grp, first = merge_rows(sub, extra_key=None if drop_covered else offset_all[rows])
    n_groups = first.size
    gw = np.bincount(grp, weights=w[rows], minlength=n_groups) if n_groups else np.zeros(0)
    g = sparse.csr_array(sub[first]) if n_groups else sparse.csr_array((0, free.size), dtype=bool)
    if drop_dominated:
        cost_free = None if cost is None else np.asarray(cost, dtype=float)[free]
        drop = dominated_columns(g, cost_free)
    else:
        drop = np.asarray(g.sum(axis=0)).ravel() == 0
    kept_cols = np.flatnonzero(~drop)
    g = sparse.csr_array(g[:, kept_cols])
    group = np.full(n, -1, dtype=np.int64)
    group[rows] = grp
    return ReducedInstance(
        a=g,
        weight=np.asarray(gw, dtype=float),
        offset=offset_all[rows][first] if n_groups else np.zeros(0, dtype=np.int64),
        sites=free[kept_cols],
        group=group,
        n_demand=n,
        n_sites=m,
    )


def fold_single_cover(
    a: sparse.csr_array, weight: npt.ArrayLike
) -> tuple[sparse.csr_array, FloatArray, FloatArray]:
    """Fold demand rows with exactly one covering site into that site's weight.

    In the MCLP ``max Σ w_i X_i, X_i <= Σ_{j∈N_i} Y_j, X_i <= 1`` a row with
    ``N_i = {j}`` forces ``X_i = Y_j`` at the optimum, so ``w_i X_i`` equals
    ``w_i Y_j``: the row leaves and ``w_i`` is added to the objective
    coefficient of ``Y_j``. Rows with no covering site are dropped (they add 0).

    Returns
    -------
    a_multi : scipy.sparse.csr_array
        The rows covered by two or more sites.
    weight_multi : numpy.ndarray
        Their weights.
    site_weight : numpy.ndarray
        Per column, the folded weight (objective coefficient of ``Y_j``).
    """
    csr = sparse.csr_array(a, dtype=bool)
    w = np.asarray(weight, dtype=float)
    nnz = np.diff(csr.indptr)
    single = np.flatnonzero(nnz == 1)
    site_weight = np.bincount(
        csr.indices[csr.indptr[single]].astype(np.int64),
        weights=w[single],
        minlength=csr.shape[1],
    ).astype(float)
    multi = np.flatnonzero(nnz >= 2)
    return sparse.csr_array(csr[multi]), w[multi], site_weight
