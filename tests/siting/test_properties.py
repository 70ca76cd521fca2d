"""Invariants of the MCLP (hypothesis): monotone in p and radius, existing always kept."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from gbad.coverage.geodesy import pairwise_haversine_km, within_radius
from gbad.siting import mclp, reduce_covering


@st.composite
def points(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    seed = draw(st.integers(0, 2**32 - 1))
    n = draw(st.integers(1, 40))
    m = draw(st.integers(1, 12))
    rng = np.random.default_rng(seed)
    dlat, dlon = rng.uniform(45, 55, n), rng.uniform(0, 20, n)
    clat, clon = rng.uniform(45, 55, m), rng.uniform(0, 20, m)
    w = rng.integers(0, 50, n).astype(float)
    return dlat, dlon, clat, clon, w


@settings(max_examples=40, deadline=None)
@given(points(), st.floats(20, 400), st.data())
def test_monotone_in_p_and_radius(pts, radius, data) -> None:  # type: ignore[no-untyped-def]
    dlat, dlon, clat, clon, w = pts
    m = clat.size
    n_ex = data.draw(st.integers(0, m))
    existing = list(range(n_ex))
    a = within_radius(dlat, dlon, clat, clon, radius)
    prev = -1.0
    for p in range(max(n_ex, 1), m + 1):
        sol = mclp(a, w, p, existing)
        assert sol.optimal
        assert sol.selected.size == p
        assert set(existing) <= set(sol.selected.tolist())
        assert sol.covered_weight >= prev - 1e-9
        prev = sol.covered_weight
    p = max(n_ex, 1)
    small = mclp(a, w, p, existing).covered_weight
    big = mclp(within_radius(dlat, dlon, clat, clon, radius * 1.5), w, p, existing).covered_weight
    assert big >= small - 1e-9


@settings(max_examples=40, deadline=None)
@given(points(), st.floats(20, 400))
def test_reduction_preserves_optimum(pts, radius) -> None:  # type: ignore[no-untyped-def]
    dlat, dlon, clat, clon, w = pts
    a = within_radius(dlat, dlon, clat, clon, radius)
    for p in range(1, clat.size + 1):
        assert (
            mclp(a, w, p, reduce=True).covered_weight == mclp(a, w, p, reduce=False).covered_weight
        )


@settings(max_examples=40, deadline=None)
@given(points(), st.floats(1, 800))
def test_within_radius_equals_dense_haversine(pts, radius) -> None:  # type: ignore[no-untyped-def]
    dlat, dlon, clat, clon, _ = pts
    dense = pairwise_haversine_km(dlat, dlon, clat, clon) <= radius
    assert np.array_equal(within_radius(dlat, dlon, clat, clon, radius).toarray(), dense)


def test_merge_and_domination_example() -> None:
    # rows 0 and 2 identical -> one group; column 1 covers a subset of column 0 -> dropped
    a = np.array([[1, 1, 0], [1, 0, 1], [1, 1, 0], [0, 0, 1]], dtype=bool)
    red = reduce_covering(a, np.array([1.0, 2.0, 3.0, 4.0]))
    assert red.a.shape[0] == 3
    assert sorted(red.weight.tolist()) == [2.0, 4.0, 4.0]
    assert red.sites.tolist() == [0, 2]


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 6))
def test_single_cover_folding_and_warm_start_keep_optimum(seed: int, p: int) -> None:
    # sparse random matrices: many rows have exactly one covering site, so the
    # folding rule is exercised; compared with the unreduced, cold-started model
    rng = np.random.default_rng(seed)
    a = rng.random((50, 10)) < 0.12
    w = rng.integers(0, 50, 50).astype(float)
    ex = [0] if p > 1 else []
    ref = mclp(a, w, p, ex, reduce=False, warm_start=False)
    for red, warm in ((True, True), (True, False), (False, True)):
        sol = mclp(a, w, p, ex, reduce=red, warm_start=warm)
        assert sol.optimal
        assert sol.selected.size == p
        assert sol.covered_weight == ref.covered_weight


def test_fold_single_cover_example() -> None:
    from gbad.siting.reduce import fold_single_cover

    a = np.array([[1, 0, 0], [0, 1, 1], [1, 0, 0], [0, 0, 1], [0, 0, 0]], dtype=bool)
    g, gw, bonus = fold_single_cover(a, np.array([1.0, 2.0, 3.0, 4.0, 5.0]))
    assert g.shape == (1, 3)
    assert gw.tolist() == [2.0]
    assert bonus.tolist() == [4.0, 0.0, 4.0]
