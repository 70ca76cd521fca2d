"""Envelope radii, placement rule, figures of merit and the coverage/siting stages."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from gbad.coverage import SMOOTH_EARTH, assess, effective_radii, place_baseline_units
from gbad.coverage.horizon import radar_horizon_km
from gbad.coverage.merit import count_cover, figures_of_merit
from gbad.scenario import Scenario
from gbad.siting import site_new_units

SYSTEMS = pd.DataFrame(
    {
        "system": ["lr", "sr"],
        "name": ["Long", "Short"],
        "tier": ["long", "short"],
        "radar_range_km": [150.0, 20.0],
        "reaction_time_s": [10.0, 5.0],
        "in_production": [True, True],
        "fire_unit_cost_musd_mid": [1000.0, 50.0],
    }
)
ENVELOPES = pd.DataFrame(
    {
        "system": ["lr", "lr", "sr"],
        "threat_class": ["ballistic", "cruise", "drone"],
        "range_km": [40.0, 80.0, 8.0],
    }
)
THREATS = pd.DataFrame(
    {
        "threat_class": ["ballistic", "cruise", "drone"],
        "speed_mps_mid": [2000.0, 240.0, 50.0],
        "altitude_m_mid": [50_000.0, 75.0, 2000.0],
        "range_km_mid": [500.0, 2500.0, 2000.0],
    }
)


def test_effective_radius_terms() -> None:
    r = effective_radii(SYSTEMS, ENVELOPES, THREATS, sensor_height_m=10.0).set_index(
        ["system", "threat_class"]
    )
    # ballistic: envelope 40 km binds (radar 150 - 2000 m/s * 10 s = 130 km)
    assert r.loc[("lr", "ballistic"), "effective_radius_km"] == 40.0
    assert r.loc[("lr", "ballistic"), "limited_by"] == "envelope"
    # cruise at 75 m: horizon 4/3-earth minus 2.4 km closed during the 10 s reaction
    h = float(radar_horizon_km(10.0, 75.0))
    assert r.loc[("lr", "cruise"), "effective_radius_km"] == pytest.approx(h - 2.4, abs=1e-12)
    assert r.loc[("lr", "cruise"), "limited_by"] == "horizon"
    # drone: envelope 8 km, radar 20 km - 0.25 km: envelope binds
    assert r.loc[("sr", "drone"), "effective_radius_km"] == 8.0


def test_placement_rule_capital_first_round_robin() -> None:
    assets = pd.DataFrame(
        {
            "asset_id": ["x-city", "x-cap", "x-npp"],
            "iso3": ["XXX"] * 3,
            "kind": ["city", "capital", "nuclear"],
            "lat": [50.0, 51.0, 52.0],
            "lon": [10.0, 11.0, 12.0],
            "population": [1e6, 5e5, 0.0],
            "value": [1.0, 0.5, 2.0],
        }
    )
    inv = pd.DataFrame(
        {
            "iso3": ["XXX", "XXX", "XXX"],
            "system": ["lr", "sr", "lr"],
            "tier": ["long", "short", "long"],
            "status": ["in service", "in service", "on order"],
            "fire_units_mid": [4.0, 1.0, 9.0],
        }
    )
    fu = place_baseline_units(inv, assets)
    longs = fu[fu["tier"] == "long"]["site_id"].tolist()
    # capital, then by value: npp (2.0), city (1.0), then the capital again
    assert longs == ["x-cap", "x-npp", "x-city", "x-cap"]
    assert fu[fu["tier"] == "short"]["site_id"].tolist() == ["x-cap"]
    assert len(fu) == 5  # on-order units are not placed


def test_merit_counts_and_double_coverage() -> None:
    radii = effective_radii(SYSTEMS, ENVELOPES, THREATS)
    fu = pd.DataFrame(
        {
            "fu_id": ["a", "b"],
            "iso3": ["XXX", "XXX"],
            "system": ["lr", "lr"],
            "tier": ["long", "long"],
            "lat": [50.0, 50.0],
            "lon": [10.0, 10.3],
            "site_id": ["s", "t"],
            "origin": ["baseline", "baseline"],
        }
    )
    assets = pd.DataFrame(
        {
            "asset_id": ["p", "q", "r"],
            "iso3": ["XXX", "XXX", "YYY"],
            "kind": ["city", "city", "capital"],
            "lat": [50.0, 50.0, 55.0],
            "lon": [10.15, 9.6, 10.0],
            "population": [100.0, 300.0, 600.0],
            "value": [1.0, 3.0, 6.0],
        }
    )
    counts = count_cover(
        assets["lat"].to_numpy(), assets["lon"].to_numpy(), fu, radii, ["ballistic"]
    )
    # p is ~11 km from both (radius 40): 2; q is 29 km / 50 km away: 1; r is 555 km: 0
    assert counts["ballistic"]["all"].tolist() == [2, 1, 0]
    m = figures_of_merit(assets, counts).set_index(["scope", "threat_class", "tier"])
    eur = m.loc[("EUR", "ballistic", "all")]
    assert eur["value_fraction"] == pytest.approx(4 / 10)
    assert eur["value_double_fraction"] == pytest.approx(1 / 10)
    assert eur["population_fraction"] == pytest.approx(400 / 1000)
    assert m.loc[("XXX", "ballistic", "all")]["value_fraction"] == 1.0
    assert m.loc[("EUR", "ballistic", "short")]["value_fraction"] == 0.0


@pytest.fixture(scope="module")
def real() -> SimpleNamespace:
    from gbad.reference import load_reference

    ref = load_reference()
    assert ref.assets is not None and len(ref.assets) > 0, "the package ships assets.csv"
    return SimpleNamespace(ref=ref)


def test_assess_default_scenario(real: SimpleNamespace) -> None:
    res = assess(real.ref, Scenario(countries=["DEU", "POL", "LTU"]), cell_km=40.0)
    d = res.to_dict()
    assert res.terrain == SMOOTH_EARTH
    assert 0.0 <= d["coverage_fraction"] <= 1.0
    for cls, entry in d["europe"]["by_class"].items():
        assert entry["value_double_fraction"] <= entry["value_fraction"] + 1e-12, cls
        for tier in entry["by_tier"].values():
            assert tier["value_fraction"] <= entry["value_fraction"] + 1e-12
    assert set(d["countries"]) <= {"DEU", "POL", "LTU"}


def test_site_new_units_adds_units_and_never_loses_coverage(real: SimpleNamespace) -> None:
    sc = Scenario(countries=["POL", "LTU"])
    wanted = {("POL", "medium", "camm-er"): 2, ("POL", "medium", "patriot"): 0}
    wanted |= {("POL", "medium", "iris-t-slm"): 1, ("LTU", "long", "patriot"): 1}
    res = site_new_units(real.ref, sc, wanted)
    assert res.new_fire_units == 4
    # Two systems in one tier: sited one after the other, on different sites.
    pol = res.new_units[res.new_units["iso3"] == "POL"]
    assert sorted(pol["system"]) == ["camm-er", "camm-er", "iris-t-slm"]
    assert pol["site_id"].is_unique
    assert sorted(pol.loc[pol["system"] == "camm-er", "sequence"]) == [1, 2]
    assert res.problems["optimal"].all()
    assert (
        res.problems["weight_covered_after"] >= res.problems["weight_covered_before"] - 1e-12
    ).all()
    assert set(res.new_units["iso3"]) == {"POL", "LTU"}
    before = assess(real.ref, sc, with_grid=False).coverage_fraction
    after = assess(real.ref, sc, res.fire_units, with_grid=False).coverage_fraction
    assert after >= before - 1e-12
    assert np.isfinite(after)
