"""The fielded electronic-warfare layer: each ally's rate from the EW systems it fields."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gbad.campaign import build_setup, simulate_campaign
from gbad.campaign.ew import ew_systems, fielded_ew_defeat
from gbad.campaign.model import largest_remainder
from gbad.scenario.sections import THREAT_CLASSES
from tests.campaign.conftest import mini_scenario


def test_fielded_layer_matches_the_hand_computation() -> None:
    # ally 0: system 0 covers 2*1/4 = 1/2 of its assets, system 1 covers 1*2/4 = 1/2;
    #   class 0: 1 - (1 - 0.5/3)(1 - 0.5*0.5) = 1 - (5/6)(3/4) = 0.375
    #   class 1: 1 - (1 - 0.5*0.1)(1 - 0) = 0.05
    # ally 1: system 0 absent, system 1 covers min(1, 5*2/3) = 1;
    #   class 0: 1 - (1 - 0.5) = 0.5, class 1: 0
    units = [[2, 1], [0, 5]]
    sites = [1.0, 2.0]
    assets = [4, 3]
    q = [[1 / 3, 0.1], [0.5, 0.0]]
    p = fielded_ew_defeat(units, sites, assets, q)
    assert p == pytest.approx(np.array([[0.375, 0.05], [0.5, 0.0]]), abs=1e-12)
    # ew_factor 2: doubled, capped at one
    p2 = fielded_ew_defeat(units, sites, assets, q, factor=2.0)
    assert p2 == pytest.approx(np.array([[0.75, 0.1], [1.0, 0.0]]), abs=1e-12)


def test_shapes_that_do_not_match_are_refused() -> None:
    with pytest.raises(ValueError, match="do not match"):
        fielded_ew_defeat([[1, 2]], [1.0], [3], [[0.5]])
    with pytest.raises(ValueError, match="one entry per ally"):
        fielded_ew_defeat([[1]], [1.0], [3, 4], [[0.5]])


@settings(max_examples=60, deadline=None)
@given(
    n=st.lists(st.integers(0, 50), min_size=2, max_size=2),
    extra=st.integers(0, 20),
    assets=st.integers(1, 100),
    q=st.lists(st.floats(0, 1), min_size=2, max_size=2),
)
def test_more_ew_units_never_lower_the_layer_and_it_stays_a_probability(
    n: list[int], extra: int, assets: int, q: list[float]
) -> None:
    defeat = [[q[0]], [q[1]]]
    base = fielded_ew_defeat([n], [1.0, 1.0], [assets], defeat)
    more = fielded_ew_defeat([[n[0] + extra, n[1]]], [1.0, 1.0], [assets], defeat)
    assert 0.0 <= base[0, 0] <= more[0, 0] + 1e-15 <= 1.0 + 1e-15
    # never more than independent full coverage by every system
    assert more[0, 0] <= 1 - (1 - q[0]) * (1 - q[1]) + 1e-12
    if sum(n) == 0:
        assert base[0, 0] == 0.0


def _with_jammer(ref: SimpleNamespace, units: int = 3) -> SimpleNamespace:
    """mini_ref plus an EW system held by Poland (in service)."""
    systems = pd.concat(
        [
            ref.systems,
            pd.DataFrame(
                {
                    "system": ["jammer"],
                    "tier": ["c-uas"],
                    "fire_channels": [1],
                    "launchers_per_fu": [1],
                    "missiles_per_launcher": [0],
                    "reload_time_min": [0.0],
                    "interceptor_cost_musd_mid": [np.nan],
                    "fire_unit_cost_musd_mid": [3.0],
                }
            ),
        ],
        ignore_index=True,
    )
    envelopes = pd.concat(
        [
            ref.envelopes,
            pd.DataFrame(
                [("jammer", "drone", 0.4), ("jammer", "cruise", 0.05)],
                columns=["system", "threat_class", "pk_mid"],
            ),
        ],
        ignore_index=True,
    )
    inventory = pd.concat(
        [
            ref.inventory,
            pd.DataFrame(
                [("POL", "jammer", "c-uas", "in service", units, 2025)],
                columns=list(ref.inventory.columns),
            ),
        ],
        ignore_index=True,
    )
    effectors = pd.DataFrame(
        {
            "system": list(systems["system"]),
            "effector": ["missile", "missile", "gun", "missile", "ew"],
            "ew_sites_per_fu": [np.nan] * 4 + [1.0],
        }
    )
    return SimpleNamespace(
        **{**vars(ref), "systems": systems, "envelopes": envelopes, "inventory": inventory},
        effectors=effectors,
    )


def _fielded(**campaign: object):
    sc = mini_scenario(**campaign)
    sc.engagement.ew_layer = "fielded"
    return sc


def test_ew_system_is_a_layer_not_a_fire_unit(mini_ref: SimpleNamespace) -> None:
    ref = _with_jammer(mini_ref)
    assert ew_systems(ref) == {"jammer"}
    setup = build_setup(ref, _fielded())
    assert "jammer" not in setup.systems
    assert setup.ew_defeat.shape == (len(setup.areas), len(THREAT_CLASSES))
    pol, d, c = (
        setup.areas.index("POL"),
        THREAT_CLASSES.index("drone"),
        THREAT_CLASSES.index("cruise"),
    )
    # Poland: one asset, three ready jammers (readiness 1 here) cover it: p = q
    expected = np.zeros_like(setup.ew_defeat)
    expected[pol, d], expected[pol, c] = 0.4, 0.05
    assert setup.ew_defeat == pytest.approx(expected)
    # the calibrated layer is ignored when the layer is fielded
    again = build_setup(ref, _fielded(), ew_defeat={"drone": 0.9})
    assert np.array_equal(again.ew_defeat, setup.ew_defeat)
    # calibrated (the default): one rate for every ally, EW systems still no fire unit
    calibrated = build_setup(ref, mini_scenario(), ew_defeat={"drone": 0.9})
    assert "jammer" not in calibrated.systems
    assert calibrated.ew_defeat[d] == 0.9


def test_fielded_layer_defeats_what_the_hand_computation_says(mini_ref: SimpleNamespace) -> None:
    ref = _with_jammer(mini_ref)
    sc = _fielded(replications=1)
    sc.threat.draw = "fixed"
    setup = build_setup(ref, sc)
    res = simulate_campaign(setup, rng=1, replications=1, engine="mean-field")
    # by hand: each night's fixed raid spread by largest remainder, Poland's share
    # thinned by its rate (rounded expectation); the other allies have no layer
    pol = setup.areas.index("POL")
    expected = np.zeros(len(THREAT_CLASSES))
    for t in range(setup.nights):
        for c in range(len(THREAT_CLASSES)):
            spread = largest_remainder(int(np.rint(setup.means[t, c])), setup.exposure[:, c])
            expected[c] += np.rint(spread[pol] * setup.ew_defeat[pol, c])
    assert res.ew_defeated == pytest.approx(expected)
    assert res.ew_defeated[THREAT_CLASSES.index("drone")] > 0


def test_no_ew_system_fielded_no_layer(mini_ref: SimpleNamespace) -> None:
    ref = _with_jammer(mini_ref, units=0)
    setup = build_setup(ref, _fielded())
    assert not setup.ew_defeat.any()


def test_the_plan_states_which_layer_it_used() -> None:
    from gbad.plan._calibration import FIELDED_ASSUMPTION, TRANSFER_ASSUMPTION, calibration_for
    from gbad.scenario import parse_scenario

    calibrated = calibration_for(parse_scenario({}))
    fielded = calibration_for(parse_scenario({"engagement": {"ew_layer": "fielded"}}))
    assert calibrated is not None and fielded is not None
    assert calibrated.assumption == TRANSFER_ASSUMPTION
    assert fielded.assumption == FIELDED_ASSUMPTION
    assert fielded.ew_defeat == calibrated.ew_defeat  # the calibrated rates, for comparison
