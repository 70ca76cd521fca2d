"""Fire units and costs from the packaged reference data."""

from __future__ import annotations

import numpy as np
import pytest

from gbad.engage import Doctrine, Raid, simulate_raid
from gbad.engage.defence import (
    fire_unit_from_reference,
    interceptor_costs_musd,
    threat_costs_musd,
)
from gbad.errors import GbadInputError
from gbad.reference import load_reference


@pytest.fixture(scope="module")
def ref():
    return load_reference()


def test_patriot_from_reference(ref) -> None:
    unit = fire_unit_from_reference(ref, "patriot", count=2, magazine=200)
    row = ref.systems.set_index("system").loc["patriot"]
    assert unit.tier == "long"
    assert unit.channels == int(row["fire_channels"])
    assert unit.ready_rounds == int(row["launchers_per_fu"] * row["missiles_per_launcher"])
    assert unit.reload_time_s == pytest.approx(60 * row["reload_time_min"])
    env = ref.envelopes[ref.envelopes["system"] == "patriot"].set_index("threat_class")
    for cls, pk in unit.pk.items():
        assert pk == pytest.approx(env.loc[cls, "pk_mid"])
    assert "ballistic" in unit.pk


def test_default_magazine_is_one_load_and_runs(ref) -> None:
    unit = fire_unit_from_reference(ref, "iris-t-slm", count=3)
    assert unit.magazine > 0
    assert unit.ready_rounds == 0  # the whole load is ready
    costs = interceptor_costs_musd(ref)
    raid = Raid({"drone": 30, "cruise": 5}, threat_cost_musd=threat_costs_musd(ref))
    res = simulate_raid(
        raid,
        [[unit]],
        Doctrine({"drone": 1, "cruise": 2}),
        trials=50,
        rng=np.random.default_rng(0),
        interceptor_cost_musd=costs,
    )
    assert res.interceptors_used_mean["iris-t-slm"] <= 3 * unit.magazine
    assert res.interceptor_cost_musd_mean > 0
    assert costs["patriot"] > costs["iris-t-slm"]


def test_unknown_system_names_field(ref) -> None:
    with pytest.raises(GbadInputError, match="system"):
        fire_unit_from_reference(ref, "no-such-system")
