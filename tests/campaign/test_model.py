"""Campaign model: conservation, independence of nights, seeds, tests/reference/validation.md §6."""

from __future__ import annotations

from dataclasses import replace
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gbad.campaign import build_setup, campaign_seeds, simulate_campaign, simulate_night
from gbad.campaign.model import largest_remainder
from gbad.campaign.setup import delivery_schedule
from gbad.scenario import THREAT_CLASSES, parse_scenario
from tests.campaign.conftest import mini_reference, mini_scenario

B = THREAT_CLASSES.index("ballistic")


def test_conservation_per_ally_and_night(mini_ref: SimpleNamespace) -> None:
    setup = build_setup(mini_ref, mini_scenario())
    res = simulate_campaign(setup, rng=7, replications=3, keep_paths=True)
    spent, end = res.paths["spent"], res.paths["stock_end"]
    start = np.concatenate(
        [np.broadcast_to(setup.stock0, (3, 1, *setup.stock0.shape)), end[:, :-1]], axis=1
    )
    # stock_end = stock_start + delivered − spent, night by night, ally by ally.
    np.testing.assert_array_equal(end, start + setup.deliveries[None] - spent)
    assert end.min() >= 0
    # Summed over the campaign and the allies: the contract's columns.
    for row in res.to_dict()["by_system"]:
        assert row["stock_end"] == pytest.approx(
            row["stock_start"] + row["produced"] - row["spent"], abs=1e-9
        )
        assert row["stock_end"] >= 0


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    drones=st.integers(1, 120),  # a custom raid of nothing is refused up front
    ballistic=st.integers(0, 12),
    loads=st.floats(0.0, 2.0),
    delay=st.integers(0, 5),
    seed=st.integers(0, 2**32),
)
def test_conservation_property(
    drones: int, ballistic: int, loads: float, delay: int, seed: int
) -> None:
    scenario = parse_scenario(
        {
            "threat": {
                "preset": "custom",
                "raid": {"drone": drones, "ballistic": ballistic},
                "nights": 6,
            },
            "campaign": {"stockpile_loads": loads, "resupply_delay_days": delay},
        }
    )
    setup = build_setup(mini_reference(), scenario)
    res = simulate_campaign(setup, rng=seed, replications=1, keep_paths=True)
    end = res.paths["stock_end"][0]
    produced = setup.deliveries.sum(axis=0)
    spent = res.paths["spent"][0].sum(axis=0)
    np.testing.assert_array_equal(end[-1], setup.stock0 + produced - spent)
    assert end.min() >= 0
    assert np.all(res.paths["leakers"] <= res.paths["threats"])


def test_unlimited_stocks_equal_the_sum_of_independent_nights(mini_ref: SimpleNamespace) -> None:
    setup = build_setup(mini_ref, mini_scenario())
    setup = setup.with_stock(setup.stock0 + 10**9)
    res = simulate_campaign(setup, rng=11, replications=2, keep_paths=True)
    seeds = campaign_seeds(11, 2, setup.nights)
    for r in range(2):
        for t in range(setup.nights):
            night = simulate_night(setup, t, setup.stock0, np.random.default_rng(seeds[r][t]))
            # Same per-night seed, stocks never bind: exactly the same night.
            np.testing.assert_array_equal(res.paths["leakers"][r, t], night.leakers)
            np.testing.assert_array_equal(res.paths["spent"][r, t], night.spent)
            np.testing.assert_array_equal(res.paths["threats"][r, t], night.threats)


def test_seeds_reproduce_and_differ(mini_ref: SimpleNamespace) -> None:
    setup = build_setup(mini_ref, mini_scenario())
    a = simulate_campaign(setup, rng=np.random.default_rng(5), replications=2).to_dict()
    b = simulate_campaign(setup, rng=np.random.default_rng(5), replications=2).to_dict()
    c = simulate_campaign(setup, rng=np.random.default_rng(6), replications=2).to_dict()
    assert a == b
    assert a["leakers"] != c["leakers"] or a["by_system"] != c["by_system"]


def test_numba_engine_gives_the_same_campaign(mini_ref: SimpleNamespace) -> None:
    setup = build_setup(mini_ref, mini_scenario())
    a = simulate_campaign(setup, rng=3, replications=1, engine="numpy").to_dict()
    b = simulate_campaign(setup, rng=3, replications=1, engine="numba").to_dict()
    assert a["leakers"] == b["leakers"]
    assert a["by_system"] == b["by_system"]


def test_stock_outs_raise_leakers(mini_ref: SimpleNamespace) -> None:
    setup = build_setup(mini_ref, mini_scenario())
    full = simulate_campaign(setup.with_stock(setup.stock0 + 10**6), rng=2, replications=4)
    empty = simulate_campaign(setup.with_stock(np.zeros_like(setup.stock0)), rng=2, replications=4)
    # Same threats (common random numbers), no stock and no delivery before night 4.
    np.testing.assert_array_equal(full.threats, empty.threats)
    assert empty.leakers.sum() > full.leakers.sum()


def test_largest_remainder_is_exact() -> None:
    parts = largest_remainder(1000, np.array([0.3, 0.7]))
    assert parts.tolist() == [300, 700]
    parts = largest_remainder(10, np.array([1.0, 1.0, 1.0]))
    assert parts.sum() == 10 and parts.max() - parts.min() <= 1


def test_delivery_schedule_whole_interceptors_and_delay() -> None:
    rate = np.full((10, 1, 1), 0.4)
    out = delivery_schedule(rate, 3)
    assert out[:3].sum() == 0
    assert out.sum() == int(np.floor(0.4 * 7 + 1e-9))
    assert out.dtype == np.int64


# --- tests/reference/validation.md §6: stockpile arithmetic through the campaign ---------------


def _one_system_ref(*, stock: int, pk: float, production: float = 0.0) -> SimpleNamespace:
    """One ally, one fire unit of one BMD system holding ``stock`` interceptors."""
    return SimpleNamespace(
        countries=pd.DataFrame(
            {"iso3": ["AAA", "BBB"], "european": [True, True], "population_m": [1.0, 1.0]}
        ),
        systems=pd.DataFrame(
            {
                "system": ["bmd"],
                "tier": ["long"],
                "fire_channels": [1000],
                "launchers_per_fu": [1],
                "missiles_per_launcher": [stock],
                "reload_time_min": [0.0],
                "interceptor_cost_musd_mid": [4.0],
                "fire_unit_cost_musd_mid": [1000.0],
            }
        ),
        envelopes=pd.DataFrame({"system": ["bmd"], "threat_class": ["ballistic"], "pk_mid": [pk]}),
        inventory=pd.DataFrame(
            {
                "iso3": ["AAA"],
                "system": ["bmd"],
                "status": ["in service"],
                "fire_units_mid": [1],
                "delivery_year": [2020],
            }
        ),
        production=pd.DataFrame(
            {"system": ["bmd"], "year": [2025], "interceptors_per_year_mid": [production]}
        ),
        threats=pd.DataFrame(
            {"threat_class": ["ballistic"], "range_km_mid": [500.0], "unit_cost_musd_mid": [3.0]}
        ),
        assets=pd.DataFrame(
            {"iso3": ["AAA", "BBB"], "lat": [50.0, 50.0], "lon": [10.0, 20.0], "value": [1.0, 0.0]}
        ),
        launch_areas=None,
        attacks=None,
    )


def _bm_scenario(per_night: int, nights: int, doctrine: str = "shoot-look-shoot"):
    return parse_scenario(
        {
            "threat": {
                "preset": "custom",
                "raid": {"ballistic": per_night},
                "nights": nights,
                "draw": "fixed",
            },
            "campaign": {"stockpile_loads": 0, "replications": 1},
            "engagement": {"doctrine": doctrine, "shots": {"ballistic": 2}},
        }
    )


def _mean_field(ref: SimpleNamespace, scenario) -> dict:
    setup = build_setup(ref, scenario)
    return simulate_campaign(setup, rng=0, replications=1, engine="mean-field").to_dict()


def test_6_1_interceptors_per_night_and_over_30_nights() -> None:
    # 100 BMs a night, f = 0.9 engaged: 90 engaged threats; SLS p = 0.7, up to 2 shots.
    doc = _mean_field(_one_system_ref(stock=10**6, pk=0.7), _bm_scenario(90, 30))
    row = doc["by_system"][0]
    assert row["spent"] == pytest.approx(3510.0, abs=1e-9)
    assert doc["per_night"][0]["spent"]["bmd"] == pytest.approx(117.0, abs=1e-9)


def test_6_2_a_stock_of_600_lasts_5_full_nights() -> None:
    doc = _mean_field(_one_system_ref(stock=600, pk=0.7), _bm_scenario(90, 10))
    row = doc["by_system"][0]
    assert row["nights_of_supply"] == pytest.approx(600 / 117, abs=1e-3)  # 5.128
    assert row["days_to_first_stockout"] == 6  # 5 full nights, empty during the 6th
    assert row["stock_end"] == pytest.approx(0.0, abs=1e-9)
    assert row["spent"] == pytest.approx(600.0, abs=1e-9)


def test_6_3_barrage_of_two() -> None:
    doc = _mean_field(_one_system_ref(stock=600, pk=0.7), _bm_scenario(90, 10, "shoot-shoot"))
    row = doc["by_system"][0]
    assert doc["per_night"][0]["spent"]["bmd"] == pytest.approx(180.0, abs=1e-9)
    assert row["nights_of_supply"] == pytest.approx(3.333, abs=1e-3)
    assert row["days_to_first_stockout"] == 4


def test_6_4_engaged_fraction_from_the_spread() -> None:
    # 1000 launched, only the defended ally's share (0.3) is engaged: f = 0.30.
    ref = _one_system_ref(stock=10**6, pk=0.7)
    ref.assets = pd.DataFrame(
        {"iso3": ["AAA", "BBB"], "lat": [50.0, 50.0], "lon": [10.0, 20.0], "value": [3.0, 7.0]}
    )
    # The assets' values as given (both allies have population 1.0: the national
    # basis would spread the raid half and half).
    sc = _bm_scenario(1000, 1)
    sc.threat.asset_value = "cities"
    setup = build_setup(ref, sc)
    res = simulate_campaign(setup, rng=0, replications=1, engine="mean-field")
    engaged = res.threats_area[setup.areas.index("AAA"), B]
    assert engaged / res.threats[B] == pytest.approx(0.30, abs=1e-9)


def test_6_5_years_to_replace_what_was_expended() -> None:
    # 150 interceptors expended (Pk = 1: one shot per threat) at 12 a year: 12.5 years.
    doc = _mean_field(_one_system_ref(stock=10**6, pk=1.0, production=12.0), _bm_scenario(15, 10))
    row = doc["by_system"][0]
    assert row["spent"] == pytest.approx(150.0, abs=1e-9)
    assert row["replacement_years"] == pytest.approx(12.5, abs=1e-9)


def test_spare_line_output_refills_the_stocks(mini_ref: SimpleNamespace) -> None:
    # The line output left after first loads (11 a night) is shared by fire units in
    # service: POL holds 2 of the 11 Patriot fire units, DEU 9. The schedule starts a
    # year after the campaign: its nearest year is used.
    industry = SimpleNamespace(
        spare_interceptors=pd.DataFrame(
            {"system": ["patriot"], "year": [2026], "interceptors": [11 * 365.25]}
        )
    )
    setup = build_setup(mini_ref, mini_scenario(resupply_delay_days=0), industry=industry)
    j = setup.systems.index("patriot")
    assert setup.deliveries[:, setup.areas.index("POL"), j].sum() == 2 * setup.nights
    assert setup.deliveries[:, setup.areas.index("DEU"), j].sum() == 9 * setup.nights
    assert setup.deliveries.sum() == 11 * setup.nights  # nothing from the announced lines


def test_resupply_delay_holds_back_production(mini_ref: SimpleNamespace) -> None:
    # With a delay as long as the campaign nothing produced arrives in it.
    industry = SimpleNamespace(
        spare_interceptors=pd.DataFrame(
            {"system": ["patriot"], "year": [2025], "interceptors": [11 * 365.25]}
        )
    )
    late = build_setup(mini_ref, mini_scenario(resupply_delay_days=10), industry=industry)
    assert late.deliveries.sum() == 0
    early = build_setup(mini_ref, mini_scenario(resupply_delay_days=9), industry=industry)
    assert early.deliveries.sum() == 11  # the first night's output, on the last night


@pytest.mark.parametrize("engine", ["numpy", "numba"])
@pytest.mark.parametrize("scale", [0.0, 0.05, 1.0])
def test_batched_night_agrees_with_engage_area_ally_by_ally(
    mini_ref: SimpleNamespace, engine: str, scale: float
) -> None:
    """One kernel batch per night against the adapter that calls ``simulate_raid``
    ally by ally (stocks binding or not): the same threats from the same seed, and
    leakers and interceptors spent of the same distribution over 300 nights.

    Tolerance: the two means of each ally and class (or system) are independent
    estimates; their difference must lie within 4.5 combined standard errors (false
    failure below 7e-6 per comparison).
    """
    from gbad.campaign.model import engage_area

    setup = build_setup(mini_ref, mini_scenario())
    stock = np.floor(setup.stock0 * scale)
    n = 300
    batched_leak, batched_spent, alone_leak, alone_spent = [], [], [], []
    for k in range(n):
        night = simulate_night(setup, 0, stock, np.random.default_rng(k), engine)
        rng = np.random.default_rng(k)
        sizes = rng.poisson(setup.means[0])
        threats = np.zeros_like(night.threats, dtype=np.int64)
        for c in range(len(THREAT_CLASSES)):
            if sizes[c] > 0:
                threats[:, c] = rng.multinomial(int(sizes[c]), setup.exposure[:, c])
        np.testing.assert_array_equal(threats, night.threats)  # same threat draws
        assert night.spent.sum() <= stock.sum()
        leak = np.zeros_like(night.leakers)
        spent = np.zeros_like(night.spent)
        other = np.random.default_rng(10_000 + k)  # independent engagement draws
        for a in np.flatnonzero(threats.sum(axis=1)):
            leak[a], spent[a] = engage_area(setup, int(a), threats[a], stock[a], other, engine)
        batched_leak.append(night.leakers)
        batched_spent.append(night.spent)
        alone_leak.append(leak)
        alone_spent.append(spent)
    for x, y in ((batched_leak, alone_leak), (batched_spent, alone_spent)):
        xa, ya = np.array(x), np.array(y)
        se = np.sqrt((xa.var(axis=0, ddof=1) + ya.var(axis=0, ddof=1)) / n)
        assert (np.abs(xa.mean(axis=0) - ya.mean(axis=0)) <= 4.5 * se + 1e-12).all()
    assert np.array(batched_leak).sum() > 0


def test_endurance_counts_dry_long_and_medium_fire_units(mini_ref: SimpleNamespace) -> None:
    setup = build_setup(mini_ref, mini_scenario())
    res = simulate_campaign(setup, rng=1, replications=3)
    sys_ = {s: j for j, s in enumerate(res.systems)}
    area = {a: i for i, a in enumerate(res.areas)}
    fu = np.asarray(res.paths["fire_units"])
    in_tiers = [j for j, t in enumerate(res.tiers) if t in ("long", "medium")]
    total = fu[:, in_tiers].sum()
    # Held long/medium fire units: POL 2+2, LTU 1, DEU 9+4 (the mini inventory in service).
    assert total == 18
    first = np.full_like(res.stockout_night_rep, -1)
    first[:, area["LTU"], sys_["stinger"]] = 1  # very-short: never counts
    # Replication 0: LTU's 1 IRIS-T SLM (1/18 < 10 %) on night 2, POL's 2 on night 4 (3/18).
    first[0, area["LTU"], sys_["iris-t-slm"]] = 2
    first[0, area["POL"], sys_["iris-t-slm"]] = 4
    # Replication 1: only LTU's (1/18): never reaches a tenth.
    first[1, area["LTU"], sys_["iris-t-slm"]] = 1
    # Replication 2: POL's 2 Patriot fire units on night 3 (2/18 > 10 %).
    first[2, area["POL"], sys_["patriot"]] = 3
    e = replace(res, stockout_night_rep=first).endurance()
    assert e["by_replication"] == [4, None, 3]
    assert e["nights"] == 4.0  # lower median of (3, 4, never)
    assert e["reached"]
    assert e["fire_units"] == 18
    assert e["dry_share_end"] == pytest.approx((3 / 18 + 1 / 18 + 2 / 18) / 3)
    # Fewer than half the replications reach the share: the campaign length, not reached.
    first[0] = -1
    e = replace(res, stockout_night_rep=first).endurance()
    assert e == {**e, "nights": float(res.nights), "reached": False}
    assert res.to_dict()["endurance_nights"] == res.endurance()["nights"]


def test_endurance_ends_on_the_first_night_without_stocks(mini_ref: SimpleNamespace) -> None:
    setup = build_setup(mini_ref, mini_scenario())
    empty = simulate_campaign(setup.with_stock(np.zeros_like(setup.stock0)), rng=2, replications=2)
    full = simulate_campaign(setup.with_stock(setup.stock0 + 10**6), rng=2, replications=2)
    assert empty.to_dict()["endurance"]["nights"] == 1.0  # no delivery before night 4
    assert full.to_dict()["endurance"] == {
        **full.to_dict()["endurance"],
        "nights": float(setup.nights),
        "reached": False,
        "dry_share_end": 0.0,
    }


def test_missile_leak_nights_against_the_weighted_target(mini_ref: SimpleNamespace) -> None:
    setup = build_setup(mini_ref, mini_scenario())
    res = simulate_campaign(setup, rng=1, replications=1)
    c = {k: i for i, k in enumerate(res.classes)}
    threats = np.zeros((3, len(res.classes)))
    leakers = np.zeros_like(threats)
    # Night 1: 10 ballistic (target 5 %) + 10 cruise; 1 leaks: 5 % <= 5 %.
    threats[0, [c["ballistic"], c["cruise"]]] = 10
    leakers[0, c["ballistic"]] = 1
    # Night 2: only drones: no missile, neither within nor over.
    threats[1, c["drone"]] = 50
    leakers[1, c["drone"]] = 50
    # Night 3: 4 glide, 1 leaks (25 %).
    threats[2, c["glide"]] = 4
    leakers[2, c["glide"]] = 1
    targets = np.full(len(res.classes), 0.05)
    r = replace(
        res, threats_night=threats, leakers_night=leakers, leak_targets=targets, nights=3
    ).missile_leak_nights()
    assert r["first_over_target"] == 3
    assert r["nights_within_target"] == 1
    assert r["nights_with_missiles"] == 2
    assert r["share_by_night"] == [pytest.approx(0.05), None, pytest.approx(0.25)]
