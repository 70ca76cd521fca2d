"""Keys (including geographic exposure) and the least-cost MILP against brute force."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from gbad.targets.keys import blend_shares, exposure_table, haversine_km, key_shares
from gbad.targets.optimise import least_cost_targets


def test_haversine_quarter_meridian() -> None:
    # Pole to equator along a meridian is a quarter of the circumference.
    d = haversine_km(90.0, 0.0, 0.0, 0.0)
    assert float(d) == pytest.approx(np.pi / 2 * 6371.0088, abs=1e-6)


def test_exposure_by_hand() -> None:
    # One launch area at (0, 0) for class "b" (range 500 km) and "d" (range 5000 km).
    # A at 1 deg (111 km) is in reach of both; B at 10 deg (1112 km) only of "d".
    assets = pd.DataFrame(
        {
            "iso3": ["A", "B"],
            "lat": [1.0, 10.0],
            "lon": [0.0, 0.0],
            "population": [1.0, 3.0],
            "value": [2.0, 2.0],
        }
    )
    areas = pd.DataFrame({"area_id": ["x"], "lat": [0.0], "lon": [0.0], "threat_classes": ["b;d"]})
    threats = pd.DataFrame({"threat_class": ["b", "d"], "range_km_mid": [500.0, 5000.0]})
    t = exposure_table(assets, areas, threats, ["A", "B"])
    # class b: A has all population and value -> A 1, B 0
    # class d: pop shares 1/4, 3/4 and value shares 1/2, 1/2 -> A 3/8, B 5/8
    # equal class weights: A (1 + 3/8) / 2 = 11/16, B 5/16
    assert t.loc["A", "exposure"] == pytest.approx(11 / 16)
    assert t.loc["B", "exposure"] == pytest.approx(5 / 16)
    assert t.loc["B", "population_in_reach_b"] == 0.0


def test_key_shares_and_blend() -> None:
    c = pd.DataFrame({"iso3": ["A", "B"], "gdp_usd_bn_mid": [3.0, 1.0], "population_m": [1.0, 1.0]})
    gdp = key_shares("gdp", c, ["A", "B"])
    eq = key_shares("equal", c, ["A", "B"])
    assert gdp.tolist() == [0.75, 0.25]
    assert blend_shares([(gdp, 1.0), (eq, 1.0)]).tolist() == [0.625, 0.375]
    with pytest.raises(ValueError, match="unknown key"):
        key_shares("area", c, ["A"])  # type: ignore[arg-type]


def _brute(cost, base, totals, budget):  # type: ignore[no-untyped-def]
    n, m = cost.shape
    best = None
    ranges = [range(base[i, t], totals[t] + 1) for i in range(n) for t in range(m)]
    for flat in itertools.product(*ranges):
        x = np.asarray(flat).reshape(n, m)
        if (x.sum(axis=0) != totals).any():
            continue
        if ((cost * (x - base)).sum(axis=1) > budget + 1e-9).any():
            continue
        c = float((cost * x).sum())
        if best is None or c < best:
            best = c
    return best


@pytest.mark.parametrize("seed", range(12))
def test_least_cost_matches_brute_force(seed: int) -> None:
    rng = np.random.default_rng(seed)
    cost = rng.integers(1, 10, size=(3, 2)).astype(float)
    base = rng.integers(0, 2, size=(3, 2))
    totals = base.sum(axis=0) + rng.integers(0, 4, size=2)
    budget = rng.integers(5, 30, size=3).astype(float)
    brute = _brute(cost, base, totals, budget)
    res = least_cost_targets(cost, base, totals, budget)
    assert res.optimal
    if brute is None:
        assert res.shortfall.sum() > 0
    else:
        assert res.shortfall.sum() == pytest.approx(0.0, abs=1e-7)
        assert float((cost * res.targets).sum()) == pytest.approx(brute)
    assert (res.targets >= base).all()


def test_least_cost_under_a_time_limit_still_returns_a_consistent_plan() -> None:
    rng = np.random.default_rng(3)
    cost = rng.uniform(1, 10, size=(30, 5))
    base = rng.integers(0, 5, size=(30, 5))
    totals = base.sum(axis=0) * 5
    budget = rng.uniform(50, 500, size=30)
    res = least_cost_targets(cost, base, totals, budget, time_limit_s=0.0)
    # Whatever HiGHS managed before the limit, floors hold and every tier's units
    # plus its shortfall add up to the collective target.
    assert (res.targets >= base).all()
    assert np.allclose(res.targets.sum(axis=0) + res.shortfall, totals, atol=1e-6)
