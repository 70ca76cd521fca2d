"""Weapon-target assignment against validation.md section 5 and brute force."""

from __future__ import annotations

import itertools
import os
from pathlib import Path

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


def _read_toffolo(path: Path) -> tuple[np.ndarray, np.ndarray]:
    lines = path.read_text().split("\n")
    n_w, n_t = (int(x) for x in lines[0].split()[:2])
    values = np.array([float(x) for x in lines[1 : 1 + n_t]])
    p = np.zeros((n_w, n_t))
    for line in lines[1 + n_t :]:
        if line.strip():
            w, t, prob = line.split()
            p[int(w), int(t)] = float(prob)
    return p, values


WTA_DATA = os.environ.get("GBAD_WTA_DATA")


@pytest.mark.skipif(not WTA_DATA, reason="GPL instances of validation.md 5.5-5.8 not vendored")
def test_cases_5_5_to_5_8_toffolo_instances() -> None:  # pragma: no cover - optional data
    """Set GBAD_WTA_DATA to tuliotoffolo/wta's ``data`` directory (GPL-3.0) to run."""
    from scipy.optimize import linear_sum_assignment

    assert WTA_DATA is not None
    p, v = _read_toffolo(Path(WTA_DATA) / "wta_50x100x1.txt")
    rows, cols = linear_sum_assignment(v[None, :] * p, maximize=True)  # 5.5
    x = np.zeros(p.shape, dtype=int)
    x[rows, cols] = 1
    assert wta_objective(p, v, x) == pytest.approx(1734.30228, abs=1e-3)
    assert wta_mmr(p, v).objective == pytest.approx(1801.72715, abs=1e-4)  # 5.6
    p2, v2 = _read_toffolo(Path(WTA_DATA) / "wta_50x100x2.txt")
    mmr2 = wta_mmr(p2, v2, np.full(p2.shape[0], 2)).objective
    assert mmr2 >= 123.8292  # 5.7 lower bound
    assert mmr2 == pytest.approx(159.15252, abs=1e-4)  # 5.8
