"""Random instances cross-checked against an independent formulation in scipy.optimize.milp.

The reference models below are written from the textbook statements (tests/reference/validation.md
§4.1) with ``= p`` cardinality and binary X/U, no reduction, so they share no code
with gbad's HiGHS models (which use ``<= p``, continuous X/U and reductions).
Objectives are compared to 1e-6 relative: both solvers prove optimality with
HiGHS's default feasibility tolerance 1e-6 on integer-valued data.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pytest
from scipy.optimize import Bounds, LinearConstraint, milp

from gbad.siting import bacop1, bacop2, lscp, mclp, mclp_budget

Arr = npt.NDArray[np.float64]


def _instance(seed: int, n: int = 60, m: int = 15, density: float = 0.15) -> tuple[Arr, Arr]:
    rng = np.random.default_rng(seed)
    a = (rng.random((n, m)) < density).astype(float)
    w = rng.integers(1, 100, n).astype(float)
    return a, w


def _ref_mclp(
    a: Arr, w: Arr, p: int, existing: list[int], cost: Arr | None = None, budget: float = 0
) -> float:
    n, m = a.shape
    c = np.concatenate([np.zeros(m), -w])  # Y then X
    cons = [LinearConstraint(np.hstack([-a, np.eye(n)]), -np.inf, 0)]
    if cost is None:
        cons.append(LinearConstraint(np.concatenate([np.ones(m), np.zeros(n)])[None], p, p))
    else:
        cc = cost.copy()
        cc[existing] = 0.0
        cons.append(LinearConstraint(np.concatenate([cc, np.zeros(n)])[None], -np.inf, budget))
    lb = np.zeros(m + n)
    lb[existing] = 1
    res = milp(c, constraints=cons, integrality=np.ones(m + n), bounds=Bounds(lb, 1))
    assert res.status == 0
    return float(-res.fun)


@pytest.mark.parametrize("seed", range(8))
def test_mclp_matches_scipy(seed: int) -> None:
    a, w = _instance(seed)
    rng = np.random.default_rng(1000 + seed)
    for p in (1, 3, 6):
        existing = sorted(rng.choice(a.shape[1], size=min(p - 1, 2), replace=False).tolist())
        ours = mclp(a, w, p, existing)
        assert ours.optimal
        assert set(existing) <= set(ours.selected.tolist())
        assert ours.selected.size == p
        assert ours.covered_weight == pytest.approx(_ref_mclp(a, w, p, existing), rel=1e-6)


@pytest.mark.parametrize("seed", range(6))
def test_budget_mclp_matches_scipy(seed: int) -> None:
    a, w = _instance(seed)
    rng = np.random.default_rng(2000 + seed)
    cost = rng.integers(1, 10, a.shape[1]).astype(float)
    existing = [0]
    ours = mclp_budget(a, w, cost, 12.0, existing)
    assert ours.optimal
    assert cost[ours.new].sum() <= 12.0
    assert ours.covered_weight == pytest.approx(
        _ref_mclp(a, w, 0, existing, cost=cost, budget=12.0), rel=1e-6
    )


@pytest.mark.parametrize("seed", range(6))
def test_lscp_matches_scipy(seed: int) -> None:
    a, _ = _instance(seed, density=0.3)
    n, m = a.shape
    feasible = bool(np.all(a.sum(axis=1) > 0))
    ours = lscp(a)
    assert ours.feasible == feasible
    if not feasible:
        return
    res = milp(
        np.ones(m),
        constraints=[LinearConstraint(a, 1, np.inf)],
        integrality=np.ones(m),
        bounds=Bounds(0, 1),
    )
    assert ours.objective == pytest.approx(res.fun, abs=1e-9)
    assert ours.n_covered == n


@pytest.mark.parametrize("seed", range(6))
def test_bacop_matches_scipy(seed: int) -> None:
    a, w = _instance(seed, density=0.35)
    n, m = a.shape
    p = 6
    # BACOP2, theta = 0.5; Y, X, U binary; sum Y = p
    theta = 0.5
    c = np.concatenate([np.zeros(m), -theta * w, -(1 - theta) * w])
    cons = [
        LinearConstraint(np.hstack([-a, np.eye(n), np.eye(n)]), -np.inf, 0),
        LinearConstraint(np.hstack([np.zeros((n, m)), -np.eye(n), np.eye(n)]), -np.inf, 0),
        LinearConstraint(np.concatenate([np.ones(m), np.zeros(2 * n)])[None], p, p),
    ]
    res = milp(c, constraints=cons, integrality=np.ones(m + 2 * n), bounds=Bounds(0, 1))
    ours = bacop2(a, w, p, theta=theta)
    assert ours.optimal
    assert ours.objective == pytest.approx(-res.fun, rel=1e-6)
    # BACOP1: every node covered, maximise backup; Y, U binary
    c1 = np.concatenate([np.zeros(m), -w])
    cons1 = [
        LinearConstraint(np.hstack([a, -np.eye(n)]), 1, np.inf),
        LinearConstraint(np.concatenate([np.ones(m), np.zeros(n)])[None], p, p),
    ]
    res1 = milp(c1, constraints=cons1, integrality=np.ones(m + n), bounds=Bounds(0, 1))
    ours1 = bacop1(a, w, p)
    assert ours1.feasible == (res1.status == 0)
    if res1.status == 0:
        assert ours1.objective == pytest.approx(-res1.fun, rel=1e-6)
        assert ours1.n_covered == n
