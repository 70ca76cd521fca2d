"""Single-tier Monte Carlo against closed forms, the exact magazine DP and Erlang B.

Tolerances: unless tests/reference/validation.md states one, a Monte Carlo mean must lie within
5 standard errors (its sample standard deviation over sqrt(trials)) of the exact
value. For a normal sampling error that fails by chance with probability 6e-7 per
check, so a failure means a modelling error, not bad luck.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gbad.engage.closed_forms import erlang_b
from gbad.engage.kernels import unlimited_kernel
from gbad.engage.magazine import magazine_exact
from gbad.engage.queueing import loss_system, poisson_arrivals_s
from gbad.engage.single import engage_single

Z = 5.0


def _close(mc: float, se: float, exact: float) -> bool:
    # A zero standard error (degenerate outcome) requires exact agreement.
    return abs(mc - exact) <= Z * se + 1e-12


def test_case_1_19_monte_carlo_of_1_1() -> None:
    """tests/reference/validation.md 1.19: 200k trials within 4 sqrt(P(1-P)/N) of 0.389416."""
    for doctrine in ("shoot-shoot", "shoot-look-shoot"):
        res = engage_single(10, 0.7, 2, doctrine, trials=200_000, rng=np.random.default_rng(119))
        tol = 4 * math.sqrt(0.389416 * (1 - 0.389416) / 200_000)
        assert abs(res.p_zero_leakers - 0.389416118) < tol
        assert res.analytic is not None
        assert res.analytic["p_zero_leakers"] == pytest.approx(0.389416118, abs=1e-9)


@pytest.mark.parametrize("doctrine", ["shoot-shoot", "shoot-look-shoot"])
@pytest.mark.parametrize(("n", "pk", "k"), [(10, 0.7, 2), (20, 0.5, 4), (5, 0.8, 3), (7, 0.0, 2)])
def test_unlimited_mc_matches_binomial_closed_form(doctrine, n, pk, k) -> None:
    res = engage_single(n, pk, k, doctrine, trials=50_000, rng=np.random.default_rng(n + k))
    assert res.analytic is not None
    for key, se in (
        ("p_zero_leakers", res.p_zero_leakers_se),
        ("expected_leakers", res.expected_leakers_se),
        ("mean_interceptors_used", res.mean_interceptors_used_se),
    ):
        assert _close(getattr(res, key), se, res.analytic[key]), key


def _brute_force(n: int, pk: float, k: int, m: int, look: bool) -> tuple[float, float, float]:
    """Enumerate every shot outcome (independent of the DP): P0, E[leak], E[used]."""

    def rec(i: int, left: int) -> tuple[float, float, float]:
        if i == n:
            return 1.0, 0.0, 0.0
        a = min(k, left)
        outcomes = []  # (probability, used, killed)
        if look:
            for j in range(1, a + 1):
                outcomes.append(((1 - pk) ** (j - 1) * pk, j, True))
            outcomes.append(((1 - pk) ** a, a, False))
        else:
            outcomes.append((1 - (1 - pk) ** a, a, True))
            outcomes.append(((1 - pk) ** a, a, False))
        p0 = leak = used = 0.0
        for prob, u, killed in outcomes:
            r0, rl, ru = rec(i + 1, left - u)
            p0 += prob * (r0 if killed else 0.0)
            leak += prob * ((0 if killed else 1) + rl)
            used += prob * (u + ru)
        return p0, leak, used

    return rec(0, m)


@pytest.mark.parametrize("look", [False, True])
@pytest.mark.parametrize(("n", "pk", "k", "m"), [(4, 0.7, 2, 5), (5, 0.4, 3, 6), (3, 0.9, 2, 1)])
def test_magazine_dp_equals_enumeration(look, n, pk, k, m) -> None:
    exact = magazine_exact(n, pk, k, m, look=look)
    p0, leak, used = _brute_force(n, pk, k, m, look)
    assert exact.p_zero_leakers == pytest.approx(p0, abs=1e-12)
    assert exact.expected_leakers == pytest.approx(leak, abs=1e-12)
    assert exact.mean_interceptors_used == pytest.approx(used, abs=1e-12)


@pytest.mark.parametrize("look", [False, True])
def test_magazine_dp_with_ample_stock_is_binomial(look) -> None:
    exact = magazine_exact(10, 0.7, 2, 20, look=look)
    assert exact.p_zero_leakers == pytest.approx(0.91**10, abs=1e-12)
    assert exact.expected_leakers == pytest.approx(0.9, abs=1e-12)
    assert exact.mean_interceptors_used == pytest.approx(13.0 if look else 20.0, abs=1e-12)


@pytest.mark.parametrize("doctrine", ["shoot-shoot", "shoot-look-shoot"])
@pytest.mark.parametrize(
    ("n", "pk", "k", "m"), [(10, 0.7, 2, 15), (30, 0.5, 3, 40), (8, 0.8, 2, 3)]
)
def test_magazine_mc_matches_dp(doctrine, n, pk, k, m) -> None:
    res = engage_single(
        n, pk, k, doctrine, interceptors=m, trials=40_000, rng=np.random.default_rng(m)
    )
    assert res.analytic_method == "magazine dynamic programme"
    assert res.analytic is not None
    assert _close(res.p_zero_leakers, res.p_zero_leakers_se, res.analytic["p_zero_leakers"])
    assert _close(res.expected_leakers, res.expected_leakers_se, res.analytic["expected_leakers"])
    assert _close(
        res.mean_interceptors_used,
        res.mean_interceptors_used_se,
        res.analytic["mean_interceptors_used"],
    )


@pytest.mark.parametrize("look", [False, True])
def test_unlimited_kernels_numpy_numba_identical(look) -> None:
    a = unlimited_kernel(np.random.default_rng(5), 100, 0.7, 3, 20_000, look=look, engine="numpy")
    b = unlimited_kernel(np.random.default_rng(5), 100, 0.7, 3, 20_000, look=look, engine="numba")
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])


@pytest.mark.parametrize(
    "kwargs",
    [
        {"interceptors": 12},
        {"channels": 2, "arrival_rate_per_min": 3.0, "engagement_time_s": 45.0},
        {"channels": 2, "arrival_rate_per_min": 3.0, "engagement_time_s": 45.0, "interceptors": 9},
    ],
)
@pytest.mark.parametrize("doctrine", ["shoot-shoot", "shoot-look-shoot"])
def test_general_engine_numpy_numba_identical(kwargs, doctrine) -> None:
    runs = [
        engage_single(
            15, 0.6, 2, doctrine, trials=3000, rng=np.random.default_rng(9), engine=e, **kwargs
        )
        for e in ("numpy", "numba")
    ]
    assert runs[0].p_zero_leakers == runs[1].p_zero_leakers
    assert runs[0].expected_leakers == runs[1].expected_leakers
    assert runs[0].mean_interceptors_used == runs[1].mean_interceptors_used


@pytest.mark.parametrize("holding", ["fixed", "exponential"])
def test_case_2_18_loss_system(holding) -> None:
    """tests/reference/validation.md 2.18: lambda=2/min, mean holding 2.5 min, c=5, 200k arrivals.

    Lost fraction within +-0.005 of B(5, 5) = 0.284868 whatever the holding
    distribution (insensitivity).
    """
    rng = np.random.default_rng(218)
    n = 200_000
    arrivals = poisson_arrivals_s(2.0, n, rng)[0]
    hold = np.full(n, 150.0) if holding == "fixed" else rng.exponential(150.0, n)
    served = loss_system(arrivals, hold, 5, engine="numba")
    assert abs((1 - served.mean()) - 0.284868) < 0.005


def test_loss_system_engines_identical_and_window_helps() -> None:
    rng = np.random.default_rng(3)
    arrivals = poisson_arrivals_s(2.0, 5000, rng)[0]
    hold = rng.exponential(150.0, 5000)
    a = loss_system(arrivals, hold, 3, engine="numpy")
    b = loss_system(arrivals, hold, 3, engine="numba")
    np.testing.assert_array_equal(a, b)
    waited = loss_system(arrivals, hold, 3, window_s=60.0, engine="numba")
    assert waited.mean() > a.mean()


def test_engage_with_channels_approaches_erlang_b() -> None:
    """Perfect shots (pk=1): the leakers are the blocked arrivals.

    A long stream (20 trials x 10k arrivals) makes the start-empty transient
    negligible (it lowers the loss by O(c/N) ~ 5e-4); the tolerance is the 0.005 of
    case 2.18.
    """
    res = engage_single(
        10_000,
        1.0,
        1,
        "shoot-shoot",
        channels=5,
        arrival_rate_per_min=2.0,
        engagement_time_s=150.0,
        trials=20,
        rng=np.random.default_rng(4),
        engine="numba",
    )
    assert abs(res.expected_leakers / 10_000 - erlang_b(5.0, 5)) < 0.005
    assert res.analytic is None
    assert res.erlang_b is not None
    assert res.erlang_b["blocking_probability"] == pytest.approx(0.284868, abs=1e-6)


@settings(max_examples=25, deadline=None)
@given(
    n=st.integers(0, 30),
    pk=st.floats(0, 1),
    k=st.integers(0, 4),
    m=st.one_of(st.none(), st.integers(0, 60)),
    look=st.booleans(),
    channels=st.one_of(st.none(), st.integers(1, 4)),
)
def test_invariants(n, pk, k, m, look, channels) -> None:
    kwargs = {}
    if channels is not None:
        kwargs = {"channels": channels, "arrival_rate_per_min": 4.0, "engagement_time_s": 30.0}
    res = engage_single(
        n,
        pk,
        k,
        "shoot-look-shoot" if look else "shoot-shoot",
        interceptors=m,
        trials=50,
        rng=np.random.default_rng(0),
        **kwargs,
    )
    assert 0 <= res.expected_leakers <= n
    assert 0 <= res.p_zero_leakers <= 1
    assert 0 <= res.mean_interceptors_used <= n * k
    if m is not None:
        assert res.mean_interceptors_used <= m


@settings(max_examples=25, deadline=None)
@given(
    n=st.integers(1, 25),
    p_lo=st.floats(0, 1),
    p_hi=st.floats(0, 1),
    k=st.integers(1, 3),
    m=st.integers(0, 40),
    look=st.booleans(),
)
def test_more_pk_or_stock_never_more_leakers(n, p_lo, p_hi, k, m, look) -> None:
    lo, hi = sorted((p_lo, p_hi))
    assert (
        magazine_exact(n, hi, k, m, look=look).expected_leakers
        <= magazine_exact(n, lo, k, m, look=look).expected_leakers + 1e-9
    )
    assert (
        magazine_exact(n, lo, k, m + 1, look=look).expected_leakers
        <= magazine_exact(n, lo, k, m, look=look).expected_leakers + 1e-9
    )


@settings(max_examples=20, deadline=None)
@given(p_lo=st.floats(0, 1), p_hi=st.floats(0, 1), look=st.booleans())
def test_monte_carlo_monotone_in_pk_with_common_random_numbers(p_lo, p_hi, look) -> None:
    """Unlimited stock: a shot kills when u < pk, so the same uniforms kill at least
    as many threats at the higher pk, trial by trial."""
    lo, hi = sorted((p_lo, p_hi))
    kw = {"channels": 2, "arrival_rate_per_min": 3.0, "engagement_time_s": 40.0}
    doctrine = "shoot-look-shoot" if look else "shoot-shoot"
    a = engage_single(12, lo, 2, doctrine, trials=200, rng=np.random.default_rng(1), **kw)
    b = engage_single(12, hi, 2, doctrine, trials=200, rng=np.random.default_rng(1), **kw)
    assert b.expected_leakers <= a.expected_leakers
    assert b.p_zero_leakers >= a.p_zero_leakers
