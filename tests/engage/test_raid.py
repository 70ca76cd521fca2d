"""Raids against layered defences: engines agree, invariants hold, closed forms match."""

from __future__ import annotations

import math

import numpy as np
import pytest

from gbad.engage import (
    Doctrine,
    FireUnit,
    Raid,
    expected_raid_outcome,
    simulate_raid,
)
from gbad.engage.closed_forms import salvo_kill_probability


def _defence() -> list[list[FireUnit]]:
    return [
        [
            FireUnit(
                "patriot",
                "long",
                {"ballistic": 0.8, "cruise": 0.85},
                magazine=16,
                channels=3,
                engagement_time_s=60,
            )
        ],
        [
            FireUnit(
                "iris-t-slm",
                "medium",
                {"cruise": 0.85, "drone": 0.8},
                magazine=8,
                channels=2,
                count=2,
                ready_rounds=4,
                reload_time_s=600,
            ),
            FireUnit("gepard", "short", {"drone": 0.5}, magazine=60, count=3, engagement_time_s=20),
        ],
    ]


RAID = Raid(
    {"drone": 80, "cruise": 12, "ballistic": 6},
    duration_s=1800,
    threat_cost_musd={"drone": 0.05, "cruise": 1.5, "ballistic": 3.0},
)
COSTS = {"patriot": 4.0, "iris-t-slm": 0.5, "gepard": 0.01}


@pytest.mark.parametrize("mode", ["shoot-shoot", "shoot-look-shoot"])
@pytest.mark.parametrize("trials", [1, 3, 200])
def test_numpy_and_numba_engines_are_identical(mode: str, trials: int) -> None:
    doctrine = Doctrine({"ballistic": 2, "cruise": 2, "drone": 1}, mode=mode)  # type: ignore[arg-type]
    results = [
        simulate_raid(
            RAID,
            _defence(),
            doctrine,
            trials=trials,
            rng=np.random.default_rng(11),
            engine=engine,
            interceptor_cost_musd=COSTS,
        )
        for engine in ("numpy", "numba")
    ]
    a, b = results
    for c in RAID.counts:
        np.testing.assert_array_equal(a.leakers_per_trial[c], b.leakers_per_trial[c])
    for s in COSTS:
        np.testing.assert_array_equal(
            a.interceptors_used_per_trial[s], b.interceptors_used_per_trial[s]
        )


def test_seed_reproduces_and_invariants_hold() -> None:
    doctrine = Doctrine({"ballistic": 2, "cruise": 2, "drone": 1})
    r1 = simulate_raid(
        RAID,
        _defence(),
        doctrine,
        trials=300,
        rng=np.random.default_rng(3),
        interceptor_cost_musd=COSTS,
    )
    r2 = simulate_raid(RAID, _defence(), doctrine, trials=300, rng=np.random.default_rng(3))
    assert r1.leakers_mean == r2.leakers_mean
    for c, n in RAID.counts.items():
        assert (r1.leakers_per_trial[c] <= n).all()
        assert (r1.leakers_per_trial[c] >= 0).all()
    stock = {"patriot": 16, "iris-t-slm": 16, "gepard": 180}
    for s, m in stock.items():
        assert (r1.interceptors_used_per_trial[s] <= m).all()
    assert r1.cost_exchange_ratio > 0


def test_unconstrained_layers_match_closed_form() -> None:
    """Plenty of stock and channels: leakers of each class are binomial.

    Two layers with Pk p1, p2 and K shots each: a threat leaks with probability
    (1-P_K1)(1-P_K2). Tolerance: 5 standard errors of the mean of a binomial count
    over the trials (false-failure probability below 1e-6).
    """
    n, trials = 40, 4000
    layers = [
        [FireUnit("a", "long", {"cruise": 0.6}, magazine=10_000, channels=1000)],
        [FireUnit("b", "short", {"cruise": 0.3}, magazine=10_000, channels=1000)],
    ]
    for mode in ("shoot-shoot", "shoot-look-shoot"):
        doctrine = Doctrine({"cruise": 2}, mode=mode)  # type: ignore[arg-type]
        res = simulate_raid(
            Raid({"cruise": n}, duration_s=600),
            layers,
            doctrine,
            trials=trials,
            rng=np.random.default_rng(7),
        )
        q = (1 - salvo_kill_probability(0.6, 2)) * (1 - salvo_kill_probability(0.3, 2))
        se = math.sqrt(n * q * (1 - q) / trials)
        assert abs(res.leakers_mean["cruise"] - n * q) < 5 * se
        exp = expected_raid_outcome(Raid({"cruise": n}, duration_s=600), layers, doctrine)
        assert exp.exact
        assert exp.leakers_mean["cruise"] == pytest.approx(n * q, abs=1e-9)
