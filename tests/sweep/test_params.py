"""Discovery of uncertain parameters and their mapping to scenario overrides."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from gbad.errors import GbadInputError
from gbad.scenario import Scenario, parse_scenario
from gbad.sweep.params import (
    apply_sample,
    discover_params,
    filter_params,
    reference_params,
    row_key,
    sample_document,
    scenario_knob_params,
)
from tests.sweep.fixtures import tiny_reference, with_overrides


def test_every_triple_with_a_range_is_found() -> None:
    ref = tiny_reference()
    names = {p.name for p in reference_params(ref)}
    assert "systems.patriot.interceptor_cost_musd" in names
    assert "envelopes.patriot/ballistic.pk" in names
    assert "production.patriot/2027.fire_units_per_year" in names
    assert "threats.drone.unit_cost_musd" in names
    assert "inventory.DEU/patriot/in service.fire_units" in names
    assert "countries.USA.gdp_usd_bn" in names
    # POL's Patriot count has low == high: not uncertain.
    assert "inventory.POL/patriot/in service.fire_units" not in names
    # 3 GDPs + 6 system costs + 3 Pk + 4 production + 2 threat costs + 3 inventories.
    assert len(names) == 21


def test_param_maps_to_the_mid_column_and_keeps_its_range() -> None:
    (p,) = [
        q
        for q in reference_params(tiny_reference())
        if q.name == "systems.patriot.fire_unit_cost_musd"
    ]
    assert (p.table, p.row_key, p.column) == ("systems", "patriot", "fire_unit_cost_musd_mid")
    assert (p.low, p.mode, p.high) == (1000.0, 1100.0, 1300.0)
    assert not p.integer and not p.is_knob


def test_inventory_counts_are_integers() -> None:
    params = reference_params(tiny_reference(), ["inventory"])
    assert params and all(p.integer for p in params)
    doc = sample_document({}, params, [6.6] * len(params))
    assert doc["overrides"]["inventory"]["DEU/patriot/in service"]["fire_units_mid"] == 7


def test_duplicate_keys_and_missing_values_are_skipped() -> None:
    ref = tiny_reference()
    inv = pd.concat([ref.inventory, ref.inventory.iloc[[0]]], ignore_index=True)
    inv.loc[1, "fire_units_high"] = float("nan")
    params = reference_params(dataclasses.replace(ref, inventory=inv), ["inventory"])
    # DEU/patriot now has two rows (an override could not tell them apart) and
    # DEU/iris-t-slm lacks its high value: only POL/stinger is left.
    assert [p.row_key for p in params] == ["POL/stinger/in service"]


def test_integer_columns_are_sampled_as_integers() -> None:
    ref = tiny_reference()
    threats = ref.threats.assign(
        altitude_m_low=[50, 30], altitude_m_mid=[500, 60], altitude_m_high=[4000, 100]
    )
    params = reference_params(dataclasses.replace(ref, threats=threats), ["threats"])
    kinds = {p.name: p.integer for p in params}
    assert kinds["threats.drone.altitude_m"] and not kinds["threats.drone.unit_cost_musd"]


def test_row_key_formats_years_as_integers() -> None:
    assert row_key("production", {"system": "camm", "year": 2027.0}) == "camm/2027"
    assert row_key("envelopes", {"system": "nasams", "threat_class": "cruise"}) == "nasams/cruise"


def test_default_knobs_scale_the_scenario_value() -> None:
    sc = parse_scenario({"budget": {"gbad_share_of_core_pct": 8.0}})
    knobs = {p.name: p for p in scenario_knob_params(sc)}
    share = knobs["scenario.budget.gbad_share_of_core_pct"]
    assert (share.low, share.mode, share.high) == (4.0, 8.0, 12.0)
    scale = knobs["scenario.threat.scale"]
    assert (scale.low, scale.mode, scale.high) == (0.5, 1.0, 2.0)


def test_bad_knobs_name_their_key_path() -> None:
    sc = Scenario()
    with pytest.raises(GbadInputError, match=r"sweep\.knobs\.threat\.bogus"):
        scenario_knob_params(sc, {"threat.bogus": (0.5, 1, 2)})
    with pytest.raises(GbadInputError, match=r"sweep\.knobs\.threat\.preset"):
        scenario_knob_params(sc, {"threat.preset": (0.5, 1, 2)})
    with pytest.raises(GbadInputError, match="low <= mode <= high"):
        scenario_knob_params(sc, {"threat.scale": (2, 1, 0.5)})
    sc2 = parse_scenario({"sweep": {"knobs": {"threat.nights": [0.5, 1, 2]}}})
    (nights,) = scenario_knob_params(sc2)
    assert nights.integer and (nights.low, nights.high) == (15.0, 60.0)


def test_filters_use_globs_and_scenario_defaults() -> None:
    ref = tiny_reference()
    sc = parse_scenario(
        {"sweep": {"include": ["systems.*", "scenario.*"], "exclude": ["*stinger*"]}}
    )
    names = [p.name for p in discover_params(sc, ref)]
    assert names[0].startswith("systems.") and names[-1].startswith("scenario.")
    assert not any("stinger" in n for n in names)
    assert len(filter_params(discover_params(Scenario(), ref), ["threats.*"])) == 2


def test_apply_sample_merges_overrides_and_sets_knobs() -> None:
    ref = tiny_reference()
    sc = parse_scenario({"overrides": {"systems": {"camm": {"fire_unit_cost_musd_mid": 99}}}})
    params = filter_params(discover_params(sc, ref), ["systems.patriot.*", "scenario.threat.scale"])
    out = apply_sample(sc, params, [4.5, 1200.0, 1.7])
    assert out.overrides["systems"]["patriot"] == {
        "interceptor_cost_musd_mid": 4.5,
        "fire_unit_cost_musd_mid": 1200.0,
    }
    assert out.overrides["systems"]["camm"] == {"fire_unit_cost_musd_mid": 99}
    assert out.threat.scale == 1.7
    assert sc.threat.scale == 1.0  # the base scenario is untouched
    applied = with_overrides(ref, out.overrides)
    assert applied.systems.set_index("system").at["patriot", "fire_unit_cost_musd_mid"] == 1200.0


def test_sampled_reference_equals_load_reference() -> None:
    import numpy as np

    from gbad.reference import load_reference
    from gbad.sweep.refcache import sampled_reference
    from gbad.sweep.run import design_matrix

    base = {"systems": {"camm": {"opex_musd_per_year": 3.0}}}
    sc = parse_scenario({"overrides": base})
    params = discover_params(sc, load_reference(base))
    for row in design_matrix(params, 2, seed=9, sampler="random", distribution="triangular"):
        sample = apply_sample(sc, params, row)
        fast = sampled_reference(base, params, row, sample.overrides)
        slow = load_reference(sample.overrides)
        for table in ("countries", "systems", "envelopes", "production", "threats", "inventory"):
            pd.testing.assert_frame_equal(getattr(fast, table), getattr(slow, table))
        assert fast.overrides == slow.overrides
        base_mid = load_reference(base).systems["fire_unit_cost_musd_mid"].to_numpy()
        moved = fast.systems["fire_unit_cost_musd_mid"].to_numpy() != base_mid
        assert np.nansum(moved) > 10  # the sampled values are really in the tables
