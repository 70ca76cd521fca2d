"""The targets stage on fixture tables."""

from __future__ import annotations

import pytest

from gbad.errors import GbadInputError
from gbad.scenario import Scenario, parse_scenario
from gbad.targets import compute_targets
from tests.targets.fixtures import make_ref


def test_baseline_and_contract_invariants() -> None:
    ref = make_ref()
    res = compute_targets(ref, Scenario())
    t = res.table
    # In-service mid values, CAN excluded (not European), on-order rows not counted.
    long = t[t["tier"] == "long"].set_index("iso3")["baseline"].to_dict()
    assert long == {"DEU": 8, "ESP": 3, "EST": 0, "POL": 2}
    assert "CAN" not in set(t["iso3"])
    d = res.to_dict()
    assert d["collective_target"] == round(5 * d["collective_baseline"])
    assert sum(c["target"] for c in d["countries"]) == d["collective_target"]
    assert all(c["target"] >= c["baseline"] for c in d["countries"])
    for tier, part in d["tiers"].items():
        assert sum(c["target"] for c in part["countries"]) == part["collective_target"], tier


def test_non_integer_factor_rounds_collective() -> None:
    ref = make_ref()
    res = compute_targets(ref, Scenario(), factor=2.3)
    assert res.collective_target == round(2.3 * res.collective_baseline)
    one = compute_targets(ref, Scenario(), factor=2.3, tier="long")
    assert one.collective_target == round(2.3 * 13)


def test_exclude_legacy_and_increment_basis() -> None:
    ref = make_ref()
    no_legacy = compute_targets(ref, parse_scenario({"target": {"include_legacy": False}}))
    med = no_legacy.table[no_legacy.table["tier"] == "medium"].set_index("iso3")["baseline"]
    assert med["POL"] == 0  # Kub is legacy
    inc = compute_targets(ref, parse_scenario({"target": {"basis": "increment", "key": "equal"}}))
    long = inc.table[inc.table["tier"] == "long"].set_index("iso3")
    # increment 65 - 13 = 52 shared equally (13 each) on top of each baseline
    assert (long["target"] - long["baseline"]).tolist() == [13, 13, 13, 13]


def test_min_max_honoured_and_infeasible_named() -> None:
    ref = make_ref()
    sc = parse_scenario({"target": {"minimum": {"EST:long": 10}, "maximum": {"DEU:long": 20}}})
    res = compute_targets(ref, sc, tier="long")
    row = res.table.set_index("iso3")
    assert row.at["EST", "target"] >= 10
    assert row.at["DEU", "target"] <= 20
    assert int(row["target"].sum()) == 65
    bad = parse_scenario({"target": {"maximum": {"DEU": 1}}})
    with pytest.raises(GbadInputError) as exc:
        compute_targets(ref, bad, tier="long")
    assert exc.value.field == "target.maximum"
    with pytest.raises(GbadInputError) as exc:
        compute_targets(ref, Scenario(), factor=0.5, tier="long")
    assert exc.value.field == "target.factor"
    with pytest.raises(GbadInputError) as exc:
        compute_targets(ref, Scenario(), tier="space")
    assert exc.value.field == "tier"
