"""Three-point distributions and unit designs against scipy and closed forms."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from gbad.errors import GbadInputError
from gbad.sweep.sampling import (
    pert_mean,
    pert_ppf,
    three_point_ppf,
    triangular_mean,
    triangular_ppf,
    unit_design,
)

U = np.linspace(0.0, 1.0, 101)


@pytest.mark.parametrize(("a", "m", "b"), [(0.0, 0.3, 1.0), (2.0, 2.0, 5.0), (-1.0, 4.0, 4.0)])
def test_triangular_matches_scipy(a: float, m: float, b: float) -> None:
    expected = stats.triang(c=(m - a) / (b - a), loc=a, scale=b - a).ppf(U)
    np.testing.assert_allclose(triangular_ppf(U, a, m, b), expected, rtol=0, atol=1e-12)


@pytest.mark.parametrize(("a", "m", "b"), [(0.0, 0.3, 1.0), (3.7, 4.0, 5.0), (0.6, 0.9, 0.9)])
def test_pert_is_scaled_beta(a: float, m: float, b: float) -> None:
    # Beta-PERT (Vose 2008 §9.2): alpha = 1 + 4 (m-a)/(b-a), beta = 1 + 4 (b-m)/(b-a).
    alpha = 1 + 4 * (m - a) / (b - a)
    beta = 1 + 4 * (b - m) / (b - a)
    expected = stats.beta(alpha, beta, loc=a, scale=b - a).ppf(U)
    np.testing.assert_allclose(pert_ppf(U, a, m, b), expected, rtol=0, atol=1e-10)


def test_sample_means_match_closed_forms() -> None:
    # 200k draws: standard error of the mean <= (b - a)/sqrt(12 * 200k) ~ 6.5e-4 for
    # b - a = 1, so 5 standard errors (3.3e-3) bound a correct implementation.
    u = np.random.default_rng(7).random(200_000)
    a, m, b = 0.0, 0.2, 1.0
    assert abs(pert_ppf(u, a, m, b).mean() - pert_mean(a, m, b)) < 3.3e-3
    assert abs(triangular_ppf(u, a, m, b).mean() - triangular_mean(a, m, b)) < 3.3e-3


def test_degenerate_range_returns_the_value() -> None:
    assert np.all(pert_ppf(U, 2.0, 2.0, 2.0) == 2.0)
    assert np.all(triangular_ppf(U, 2.0, 2.0, 2.0) == 2.0)


def test_bad_three_points_are_input_errors() -> None:
    with pytest.raises(GbadInputError):
        pert_ppf(U, 1.0, 0.5, 2.0)
    with pytest.raises(GbadInputError):
        triangular_ppf(U, 0.0, np.nan, 2.0)
    with pytest.raises(GbadInputError, match="distribution"):
        three_point_ppf(U, 0.0, 1.0, 2.0, "normal")  # type: ignore[arg-type]


@settings(max_examples=60, deadline=None)
@given(
    st.floats(-1e6, 1e6),
    st.floats(0, 1),
    st.floats(1e-6, 1e6),
    st.sampled_from(["pert", "triangular"]),
)
def test_ppf_monotone_and_inside_range(low: float, frac: float, width: float, dist: str) -> None:
    high = low + width
    mode = low + frac * width
    x = three_point_ppf(U, low, mode, high, dist)  # type: ignore[arg-type]
    tol = 1e-9 * max(1.0, abs(low), abs(high))
    assert np.all(np.diff(x) >= -tol)
    assert np.all(x >= low - tol) and np.all(x <= high + tol)


def test_lhs_puts_one_point_in_every_stratum() -> None:
    n, d = 37, 5
    x = unit_design(n, d, "lhs", np.random.default_rng(3))
    strata = np.floor(x * n).astype(int)
    for j in range(d):
        assert sorted(strata[:, j]) == list(range(n))


def test_sobol_power_of_two_is_balanced() -> None:
    # A scrambled Sobol' net of 2^m points has exactly 2^(m-k) points in each of
    # the 2^k dyadic intervals of every coordinate (Owen 1998).
    x = unit_design(64, 3, "sobol", np.random.default_rng(4))
    for j in range(3):
        counts = np.bincount(np.floor(x[:, j] * 8).astype(int), minlength=8)
        assert np.all(counts == 8)
    assert unit_design(10, 3, "sobol", np.random.default_rng(4)).shape == (10, 3)


def test_designs_are_seeded_and_bad_input_named() -> None:
    for sampler in ("random", "lhs", "sobol"):
        a = unit_design(8, 2, sampler, np.random.default_rng(1))  # type: ignore[arg-type]
        b = unit_design(8, 2, sampler, np.random.default_rng(1))  # type: ignore[arg-type]
        assert np.array_equal(a, b)
        assert np.all((a >= 0) & (a < 1))
    with pytest.raises(GbadInputError, match="samples"):
        unit_design(0, 2, "lhs", np.random.default_rng(1))
    with pytest.raises(GbadInputError, match="sampler"):
        unit_design(4, 2, "grid", np.random.default_rng(1))  # type: ignore[arg-type]
    assert unit_design(3, 0, "lhs", np.random.default_rng(1)).shape == (3, 0)
