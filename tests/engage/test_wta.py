"""Weapon-target assignment against tests/reference/validation.md section 5 and brute force."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gbad.engage.wta import wta_exact, wta_mmr, wta_objective

WIKI_P = [[0.3, 0.2, 0.5], [0.1, 0.6, 0.5], [0.4, 0.5, 0.4]]  # tanks, aircraft, ship
WIKI_V = [5, 10, 20]
WIKI_U = [5, 2, 1]


def brute_force(p, values, capacity) -> float:
    """Every weapon on every target (each weapon fires): min surviving value."""
    p = np.asarray(p, dtype=float)
    weapons = [i for i, c in enumerate(capacity) for _ in range(c)]
    best = np.inf
    for targets in itertools.product(range(p.shape[1]), repeat=len(weapons)):
        x = np.zeros(p.shape, dtype=int)
        for i, j in zip(weapons, targets, strict=True):
            x[i, j] += 1
        best = min(best, wta_objective(p, values, x))
    return float(best)


def test_case_5_1_exact_wikipedia_example() -> None:
    res = wta_exact(WIKI_P, WIKI_V, WIKI_U)
    assert res.optimal
    assert res.objective == pytest.approx(4.95, abs=1e-9)
    assert brute_force(WIKI_P, WIKI_V, WIKI_U) == pytest.approx(4.95, abs=1e-9)  # over 3^8
    assert (res.assignment.sum(axis=1) <= WIKI_U).all()


def test_case_5_2_mmr_wikipedia_example() -> None:
    assert wta_mmr(WIKI_P, WIKI_V, WIKI_U).objective == pytest.approx(4.95, abs=1e-9)


def test_case_5_3_symmetric_toy() -> None:
    p = [[0.1] * 3] * 3
    for res in (wta_exact(p, [5, 6, 7]), wta_mmr(p, [5, 6, 7])):
        assert res.objective == pytest.approx(16.07, abs=1e-9)


def test_case_5_4_own_instance() -> None:
    p = [[0.6, 0.3, 0.2], [0.5, 0.5, 0.4], [0.2, 0.7, 0.6], [0.3, 0.3, 0.9]]
    v = [10, 8, 6]
    exact = wta_exact(p, v)
    assert exact.objective == pytest.approx(5.0, abs=1e-9)
    np.testing.assert_array_equal(exact.assignment, [[1, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1]])
    assert wta_mmr(p, v).objective == pytest.approx(5.0, abs=1e-9)


@settings(max_examples=15, deadline=None)
@given(
    data=st.data(),
    n_w=st.integers(1, 3),
    n_t=st.integers(1, 3),
)
def test_exact_matches_brute_force_and_bounds_mmr(data, n_w, n_t) -> None:
    p = np.array(
        data.draw(
            st.lists(
                st.lists(st.floats(0, 1), min_size=n_t, max_size=n_t), min_size=n_w, max_size=n_w
            )
        )
    )
    v = data.draw(st.lists(st.floats(0, 100), min_size=n_t, max_size=n_t))
    u = data.draw(st.lists(st.integers(0, 2), min_size=n_w, max_size=n_w))
    exact = wta_exact(p, v, u)
    assert exact.objective == pytest.approx(brute_force(p, v, u), abs=1e-7)
    assert exact.objective <= wta_mmr(p, v, u).objective + 1e-7


# Cases 5.5-5.8 of tests/reference/validation.md use tuliotoffolo/wta's 50x100
# instances, which are GPL-3.0 and not part of this repository. With them, the tests
# would check: the linear-assignment plan of wta_50x100x1 (each weapon once) has
# objective 1734.30228 (abs 1e-3; the published lower bound is 1734.2827); the MMR
# greedy gives 1801.72715 there (abs 1e-4, implementation-specific); on wta_50x100x2
# (each weapon twice) MMR stays above the lower bound 123.8292 and gives 159.15252.
# The test below checks the same properties on a generated instance of the same shape:
# the assignment plan is locally optimal under single-weapon moves, and MMR does not beat
# it (as on wta_50x100x1, where MMR is 3.9 % worse).


def test_assignment_plan_on_a_50x100_instance_is_locally_optimal() -> None:
    """The 5.5/5.6 properties on a seeded 50 weapons x 100 targets instance."""
    from scipy.optimize import linear_sum_assignment

    rng = np.random.default_rng(20260505)
    p = rng.uniform(0.0, 0.9, size=(50, 100))
    v = rng.integers(1, 100, size=100).astype(float)
    rows, cols = linear_sum_assignment(v[None, :] * p, maximize=True)
    x = np.zeros(p.shape, dtype=int)
    x[rows, cols] = 1
    best = wta_objective(p, v, x)
    # no single-weapon move improves the assignment plan (5.5's "no move improves it")
    for w in range(p.shape[0]):
        here = int(np.flatnonzero(x[w])[0])
        for t in range(p.shape[1]):
            if t == here:
                continue
            y = x.copy()
            y[w, here] = 0
            y[w, t] = 1
            assert wta_objective(p, v, y) >= best - 1e-9, (w, t)
    # MMR's plan is valued by the same objective and is no better here (5.6's relation)
    mmr = wta_mmr(p, v)
    assert mmr.objective >= best - 1e-9
    assert mmr.objective == pytest.approx(wta_objective(p, v, mmr.assignment))
