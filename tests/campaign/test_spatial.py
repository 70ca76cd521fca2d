"""Spatial engagement: geometry against the pooled campaign, and neighbours' defence."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gbad.campaign.geometry import asset_shares, missing_for_geometry, national_values
from gbad.campaign.model import simulate_campaign
from gbad.campaign.setup import build_setup, threat_exposure
from gbad.campaign.spatial import build_cells
from gbad.errors import GbadInputError
from gbad.scenario import parse_scenario
from tests.campaign.conftest import mini_reference


def geo_reference(range_km: float = 5000.0) -> SimpleNamespace:
    """The mini reference with engagement ranges, radar data and two assets per ally.

    Radar and horizon never bind (no radar limit, threats flying at 1,000 km), so a
    unit's effective radius is its envelope ``range_km``.
    """
    ref = mini_reference()
    ref.envelopes = ref.envelopes.assign(range_km=range_km)
    ref.systems = ref.systems.assign(radar_range_km=np.nan, reaction_time_s=0.0)
    ref.threats = ref.threats.assign(speed_mps_mid=0.0, altitude_m_mid=1.0e6)
    ref.assets = pd.DataFrame(
        {
            "asset_id": ["waw", "krk", "vno", "kau", "ber", "muc"],
            "iso3": ["POL", "POL", "LTU", "LTU", "DEU", "DEU"],
            "kind": ["capital", "city", "capital", "city", "capital", "city"],
            "lat": [52.23, 50.06, 54.69, 54.90, 52.52, 48.14],
            "lon": [21.01, 19.94, 25.28, 23.90, 13.40, 11.58],
            "value": [1.8, 0.8, 0.6, 0.3, 3.6, 1.5],
        }
    )
    return ref


def scenario(**campaign: object) -> object:
    return parse_scenario(
        {
            "base_year": 2025,
            "threat": {
                "preset": "custom",
                "raid": {"drone": 40, "cruise": 6, "ballistic": 3},
                "nights": 8,
            },
            "campaign": {"replications": 3, "resupply_delay_days": 3, **campaign},
        }
    )


@pytest.mark.parametrize(
    ("engine", "draw"), [("numpy", "poisson"), ("numba", "poisson"), ("mean-field", "fixed")]
)
def test_every_unit_covering_every_asset_is_the_pooled_campaign(engine: str, draw: str) -> None:
    # The authority is the pooled campaign itself: with every unit covering every
    # asset each ally is one cell, so the spatial campaign must make the same draws
    # and the same engagements (exact equality, same seed).
    ref = geo_reference(range_km=5000.0)
    runs = {}
    for geometry in ("pooled", "spatial"):
        sc = scenario(geometry=geometry)
        sc.threat.draw = draw
        setup = build_setup(ref, sc)
        assert (setup.geometry is not None) == (geometry == "spatial")
        runs[geometry] = simulate_campaign(
            setup, rng=11, replications=1 if engine == "mean-field" else 3, engine=engine
        )
    pooled, spatial = runs["pooled"], runs["spatial"]
    assert spatial.geometry == "spatial"
    assert pooled.threats_rep.sum() > 0
    np.testing.assert_array_equal(spatial.threats_rep, pooled.threats_rep)
    np.testing.assert_allclose(spatial.leakers_rep, pooled.leakers_rep, rtol=0, atol=1e-9)
    np.testing.assert_allclose(spatial.spent_rep, pooled.spent_rep, rtol=0, atol=1e-9)
    np.testing.assert_allclose(spatial.stock_night, pooled.stock_night, rtol=0, atol=1e-9)
    # Leakers by asset kind add up to the leakers by ally.
    assert spatial.leakers_area_kind is not None
    np.testing.assert_allclose(
        spatial.leakers_area_kind.sum(axis=1), spatial.leakers_area, atol=1e-9
    )


def test_an_asset_no_unit_covers_lets_every_threat_through() -> None:
    # 30 km envelopes: a unit covers only the asset it stands at. Kraków, Kaunas
    # and Munich have no unit (the placement puts them at capitals first and the
    # allies hold few units), so every threat aimed at them leaks.
    ref = geo_reference(range_km=30.0)
    ref.inventory = ref.inventory[ref.inventory["iso3"] != "POL"].reset_index(drop=True)
    sc = scenario(geometry="spatial")
    sc.threat.draw = "fixed"
    setup = build_setup(ref, sc)
    cells = build_cells(setup, setup.geometry)
    pol = [c for cells_g in cells for c in cells_g if setup.areas[c.area] == "POL"]
    assert pol and all(not c.units for c in pol)
    res = simulate_campaign(setup, rng=2, replications=1, engine="mean-field")
    a = setup.areas.index("POL")
    assert res.threats_area[a].sum() > 0
    np.testing.assert_allclose(res.leakers_area[a], res.threats_area[a] - 0.0, atol=1e-9)


def test_spatial_never_beats_pooled_when_units_cover_less() -> None:
    # Fixed raids, mean field, no waves: a unit covering part of its ally's assets
    # engages a subset of the threats the pooled campaign lets it engage, with the
    # same stock; short envelopes here leave more leakers than the pooled campaign.
    # Target-only engagement: on their paths the units would also meet threats
    # flying past (Vilnius's unit meets the drones from Belarus aimed at Kaunas).
    ref = geo_reference(range_km=30.0)
    out = {}
    for geometry in ("pooled", "spatial"):
        sc = scenario(geometry=geometry, engage_on_path=False)
        sc.threat.asset_value = "cities"
        sc.threat.draw = "fixed"
        out[geometry] = simulate_campaign(
            build_setup(ref, sc), rng=5, replications=1, engine="mean-field"
        )
    assert out["spatial"].leakers_rep.sum() > out["pooled"].leakers_rep.sum() + 1.0


def test_default_asset_shares_give_the_exposure_weights() -> None:
    # Without axes, summing the assets' shares per ally is threat_exposure (the
    # pooled campaign's spread of the raid over allies).
    # Both with the assets' values as given and scaled to the allies' populations.
    ref = geo_reference()
    areas = ["POL", "LTU", "DEU"]
    for basis in ("cities", "national"):
        assets = ref.assets
        if basis == "national":
            assets = assets.assign(value=national_values(assets, ref.countries))
        shares = asset_shares(assets, ref.launch_areas, ref.threats)
        by_area = np.zeros((3, shares.shape[1]))
        np.add.at(by_area, [areas.index(a) for a in ref.assets["iso3"]], shares)
        np.testing.assert_allclose(by_area, threat_exposure(ref, areas, basis), atol=1e-12)
        np.testing.assert_allclose(shares.sum(axis=0), 1.0)


def test_national_values_weigh_each_ally_by_its_population() -> None:
    # Closed form: each ally's scaled values sum to its population, in the
    # proportions of its cities; a class spread by value alone (no launch area
    # reaches: glide here has none) goes to the allies by population.
    ref = geo_reference()
    ref.launch_areas = ref.launch_areas.assign(threat_classes="ballistic")
    v = national_values(ref.assets, ref.countries)
    pop = ref.countries.set_index("iso3")["population_m"]
    by = pd.Series(v).groupby(ref.assets["iso3"].to_numpy()).sum()
    np.testing.assert_allclose(by[pop.index].to_numpy(), pop.to_numpy(), rtol=1e-12)
    raw = ref.assets["value"].to_numpy(float)
    np.testing.assert_allclose(v[0] / v[1], raw[0] / raw[1], rtol=1e-12)  # Warsaw / Kraków
    areas = list(pop.index)
    glide = threat_exposure(ref, areas, "national")[:, 4]
    np.testing.assert_allclose(glide, pop.to_numpy() / pop.sum(), rtol=1e-12)


def test_an_axis_toward_one_ally_sends_its_classes_there() -> None:
    ref = geo_reference()
    sc = parse_scenario(
        {
            "threat": {
                "axes": [{"launch_area": "kal", "classes": {"ballistic": 1}, "toward": ["LTU"]}]
            }
        }
    )
    shares = asset_shares(ref.assets, ref.launch_areas, ref.threats, sc.threat.axes)
    ballistic = shares[:, 0]
    ltu = (ref.assets["iso3"] == "LTU").to_numpy()
    np.testing.assert_allclose(ballistic[ltu].sum(), 1.0)
    assert np.all(ballistic[~ltu] == 0)


def test_an_unknown_launch_area_is_refused_naming_the_axis() -> None:
    ref = geo_reference()
    sc = scenario()
    sc.threat.axes = parse_scenario({"threat": {"axes": [{"launch_area": "nowhere"}]}}).threat.axes
    with pytest.raises(GbadInputError, match=r"threat\.axes\.0\.launch_area"):
        build_setup(ref, sc)


def test_reference_without_ranges_runs_pooled_and_says_so() -> None:
    ref = mini_reference()
    assert "envelopes.range_km" in missing_for_geometry(ref)
    res = simulate_campaign(build_setup(ref, scenario()), rng=1, replications=1)
    assert res.geometry == "pooled"
    assert any("envelopes.range_km" in n for n in res.notes)


@settings(max_examples=12, deadline=None)
@given(
    range_km=st.sampled_from([150.0, 400.0, 700.0, 1200.0]),
    drones=st.integers(1, 120),
    cruise=st.integers(0, 30),
    ballistic=st.integers(0, 12),
    loads=st.sampled_from([0.0, 0.5, 1.0]),
)
def test_defending_neighbours_never_adds_leakers(
    range_km: float, drones: int, cruise: int, ballistic: int, loads: float
) -> None:
    # Fixed raids, mean field: a helper fires only stock beyond its bound on need
    # for every remaining night, after every ally's own engagements, so its own
    # defence is unchanged and the second pass can only remove leakers.
    ref = geo_reference(range_km=range_km)
    out = {}
    for on in (False, True):
        sc = parse_scenario(
            {
                "base_year": 2025,
                "threat": {
                    "preset": "custom",
                    "raid": {"drone": drones, "cruise": cruise, "ballistic": ballistic},
                    "nights": 6,
                    "draw": "fixed",
                },
                "industry": {"coalition": ["POL", "LTU", "DEU"]},
                "campaign": {"defend_neighbours": on, "stockpile_loads": loads},
            }
        )
        out[on] = simulate_campaign(
            build_setup(ref, sc), rng=3, replications=1, engine="mean-field"
        )
    assert out[True].leakers_rep.sum() <= out[False].leakers_rep.sum() + 1e-9
    # Per ally too: a helper's own leakers never rise.
    assert np.all(out[True].leakers_area <= out[False].leakers_area + 1e-9)


def test_defending_neighbours_helps_a_member_without_cover() -> None:
    # Lithuania holds no unit covering Kaunas (400 km envelopes reach it from
    # Warsaw): with neighbours' defence on, Polish units engage threats there.
    ref = geo_reference(range_km=400.0)
    ref.inventory = ref.inventory[ref.inventory["iso3"] != "LTU"].reset_index(drop=True)
    out = {}
    for on in (False, True):
        sc = scenario(defend_neighbours=on)
        sc.threat.draw = "fixed"
        sc.industry.coalition = ["POL", "LTU", "DEU"]
        out[on] = simulate_campaign(
            build_setup(ref, sc), rng=3, replications=1, engine="mean-field"
        )
    a = out[True].areas.index("LTU")
    assert out[True].leakers_area[a].sum() < out[False].leakers_area[a].sum() - 1.0


@settings(max_examples=12, deadline=None)
@given(
    range_km=st.sampled_from([30.0, 300.0, 900.0]),
    drones=st.integers(1, 150),
    ballistic=st.integers(0, 12),
    loads=st.sampled_from([0.0, 0.3, 1.0]),
    waves=st.integers(0, 3),
    helping=st.booleans(),
    on_path=st.booleans(),
    engine=st.sampled_from(["numpy", "mean-field"]),
    seed=st.integers(0, 2**32),
)
def test_spatial_conserves_stocks_and_never_leaks_more_than_it_meets(
    range_km: float,
    drones: int,
    ballistic: int,
    loads: float,
    waves: int,
    helping: bool,
    on_path: bool,
    engine: str,
    seed: int,
) -> None:
    # stock_end = stock_start + delivered - spent, ally by ally and night by night,
    # with neighbours' defence drawing on the helpers' national stocks too.
    sc = parse_scenario(
        {
            "base_year": 2025,
            "threat": {
                "preset": "custom",
                "raid": {"drone": drones, "ballistic": ballistic, "cruise": 3},
                "nights": 5,
            },
            "industry": {"coalition": ["POL", "LTU", "DEU"]},
            "campaign": {
                "stockpile_loads": loads,
                "resupply_delay_days": 1,
                "defend_neighbours": helping,
                "engage_on_path": on_path,
                "waves": waves,
                "wave_minutes": {"drone": 30, "ballistic": 5, "cruise": 20},
            },
        }
    )
    setup = build_setup(geo_reference(range_km), sc)
    assert setup.geometry is not None and setup.waves == waves
    res = simulate_campaign(setup, rng=seed, replications=2, engine=engine, keep_paths=True)
    spent, end = res.paths["spent"], res.paths["stock_end"]
    start = np.concatenate(
        [np.broadcast_to(setup.stock0, (2, 1, *setup.stock0.shape)), end[:, :-1]], axis=1
    )
    np.testing.assert_allclose(end, start + setup.deliveries[None] - spent, atol=1e-9)
    assert end.min() >= -1e-9
    assert np.all(res.paths["leakers"] >= -1e-9)
    assert np.all(res.paths["leakers"] <= res.paths["threats"] - res.paths["ew_defeated"] + 1e-9)
    np.testing.assert_allclose(
        res.paths["leakers_kind"].sum(axis=3), res.paths["leakers"], atol=1e-9
    )


def test_fire_units_added_to_a_spatial_campaign_stand_at_their_allys_assets() -> None:
    # with_fire_units (used to size forces) keeps working: units added to an ally
    # without any stand at its assets in placement rank order and engage there.
    ref = geo_reference(range_km=30.0)
    ref.inventory = ref.inventory[ref.inventory["iso3"] != "LTU"].reset_index(drop=True)
    sc = scenario()
    sc.threat.draw = "fixed"
    setup = build_setup(ref, sc)
    a, j = setup.areas.index("LTU"), setup.systems.index("iris-t-slm")
    extra = np.zeros_like(setup.fire_units)
    extra[a, j] = 2
    more = setup.with_fire_units(extra, loads=2.0)
    assert more.geometry is setup.geometry
    before = simulate_campaign(setup, rng=1, replications=1, engine="mean-field")
    after = simulate_campaign(more, rng=1, replications=1, engine="mean-field")
    assert after.leakers_area[a].sum() < before.leakers_area[a].sum() - 1.0
    # Other allies are untouched: their cells and stocks are the same.
    others = [i for i in range(len(setup.areas)) if i != a]
    np.testing.assert_allclose(after.leakers_area[others], before.leakers_area[others])
