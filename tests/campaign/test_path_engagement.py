"""Engagement along the flight path: segment distances and who engages what."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gbad.campaign.geometry import EARTH_RADIUS_KM, origin_shares, segment_distance_km
from gbad.campaign.model import simulate_campaign
from gbad.campaign.setup import build_setup
from gbad.campaign.spatial import GROUPS, build_cells
from gbad.coverage.geodesy import pairwise_haversine_km
from gbad.scenario import THREAT_CLASSES, parse_scenario
from tests.campaign.test_spatial import geo_reference

KM_PER_DEG = math.pi / 180.0 * EARTH_RADIUS_KM


# -- segment distance against closed forms ----------------------------------------


def test_cross_track_distance_from_the_equator_is_the_latitude() -> None:
    # The meridian through a point meets the equator at right angles: its distance
    # to an equatorial segment under it is its latitude, in arc (closed form).
    lat = np.array([0.5, 1.0, -2.0, 10.0])
    d = segment_distance_km(0.0, 0.0, 0.0, 20.0, lat, 7.0)
    np.testing.assert_allclose(d, np.abs(lat) * KM_PER_DEG, rtol=1e-12)


def test_cross_track_distance_from_a_meridian() -> None:
    # Distance from (lat, lon) to the great circle of the meridian 0:
    # asin(cos(lat) sin(lon)) (spherical right triangle, Napier's rules).
    lat, lon = np.array([5.0, 30.0, 60.0]), np.array([1.0, 2.0, 3.0])
    d = segment_distance_km(-10.0, 0.0, 80.0, 0.0, lat, lon)
    want = np.arcsin(np.cos(np.radians(lat)) * np.sin(np.radians(lon))) * EARTH_RADIUS_KM
    np.testing.assert_allclose(d, want, rtol=1e-12)


def test_beyond_either_end_the_distance_is_to_that_end() -> None:
    # On the equator past the end (12 deg) and behind the start (-3 deg).
    d = segment_distance_km(0.0, 0.0, 0.0, 10.0, np.array([0.0, 0.0]), np.array([12.0, -3.0]))
    np.testing.assert_allclose(d, [2.0 * KM_PER_DEG, 3.0 * KM_PER_DEG], rtol=1e-12)


def _slerp_min_km(a: tuple[float, float], b: tuple[float, float], p: tuple[float, float]) -> float:
    """Independent check: the least haversine distance to 20,001 points of the arc."""

    def vec(lat: float, lon: float) -> np.ndarray:
        la, lo = math.radians(lat), math.radians(lon)
        return np.array([math.cos(la) * math.cos(lo), math.cos(la) * math.sin(lo), math.sin(la)])

    u, v = vec(*a), vec(*b)
    omega = math.acos(float(np.clip(u @ v, -1.0, 1.0)))
    t = np.linspace(0.0, 1.0, 20_001)[:, None]
    pts = (np.sin((1 - t) * omega) * u + np.sin(t * omega) * v) / math.sin(omega)
    lat = np.degrees(np.arcsin(np.clip(pts[:, 2], -1, 1)))
    lon = np.degrees(np.arctan2(pts[:, 1], pts[:, 0]))
    return float(pairwise_haversine_km(np.array([p[0]]), np.array([p[1]]), lat, lon).min())


@settings(max_examples=60, deadline=None)
@given(
    a=st.tuples(st.floats(30, 70), st.floats(-10, 50)),
    b=st.tuples(st.floats(30, 70), st.floats(-10, 50)),
    p=st.tuples(st.floats(30, 70), st.floats(-10, 50)),
)
def test_segment_distance_matches_a_dense_sampling_of_the_arc(
    a: tuple[float, float], b: tuple[float, float], p: tuple[float, float]
) -> None:
    # Authority: brute force over points of the great-circle arc (spherical linear
    # interpolation), independent of the bearing formulas. Arcs here are under
    # ~6,000 km, so 20,001 samples lie under 0.3 km apart: the sampled minimum
    # exceeds the true one by at most ~0.15 km (half a step), plus rounding.
    if (
        pairwise_haversine_km(
            np.array([a[0]]), np.array([a[1]]), np.array([b[0]]), np.array([b[1]])
        )[0, 0]
        < 1.0
    ):
        return
    got = float(segment_distance_km(*a, *b, *p))
    want = _slerp_min_km(a, b, p)
    assert want - 0.2 <= got <= want + 1e-6


# -- who engages what ------------------------------------------------------------


def _destination(lat: float, lon: float, bearing_deg: float, km: float) -> tuple[float, float]:
    """Point ``km`` along the great circle from (lat, lon) at ``bearing_deg`` (Veness)."""
    la, lo, th, d = (
        math.radians(lat),
        math.radians(lon),
        math.radians(bearing_deg),
        km / EARTH_RADIUS_KM,
    )
    la2 = math.asin(math.sin(la) * math.cos(d) + math.cos(la) * math.sin(d) * math.cos(th))
    lo2 = lo + math.atan2(
        math.sin(th) * math.sin(d) * math.cos(la), math.cos(d) - math.sin(la) * math.sin(la2)
    )
    return math.degrees(la2), math.degrees(lo2)


MINSK = (53.9, 27.56)
VILNIUS = (54.69, 25.28)


def path_reference() -> object:
    """Lithuania holds one Patriot and one IRIS-T SLM unit at Vilnius (30 km
    envelopes; the Patriot engages ballistic missiles, not drones, the IRIS-T SLM
    drones, not ballistic missiles); ``far`` lies
    300 km beyond Vilnius on the great circle from Minsk (the only drone launch
    area), ``off`` 150 km to the side of that path."""
    ref = geo_reference(range_km=30.0)
    y = math.radians(VILNIUS[1] - MINSK[1])
    la1, la2 = math.radians(MINSK[0]), math.radians(VILNIUS[0])
    bearing = math.degrees(
        math.atan2(
            math.sin(y) * math.cos(la2),
            math.cos(la1) * math.sin(la2) - math.sin(la1) * math.cos(la2) * math.cos(y),
        )
    )
    d = float(
        pairwise_haversine_km(
            np.array([MINSK[0]]),
            np.array([MINSK[1]]),
            np.array([VILNIUS[0]]),
            np.array([VILNIUS[1]]),
        )[0, 0]
    )
    far = _destination(*MINSK, bearing, d + 300.0)
    off = _destination(*VILNIUS, bearing + 90.0, 150.0)
    assets = ref.assets[ref.assets["iso3"] != "LTU"]
    ltu = pd.DataFrame(
        {
            "asset_id": ["vno", "far", "off"],
            "iso3": ["LTU"] * 3,
            "kind": ["capital", "city", "city"],
            "lat": [VILNIUS[0], far[0], off[0]],
            "lon": [VILNIUS[1], far[1], off[1]],
            "value": [0.6, 0.5, 0.5],
        }
    )
    ref.assets = pd.concat([assets, ltu], ignore_index=True)
    inv = ref.inventory[ref.inventory["iso3"] != "LTU"]
    row = pd.DataFrame(
        [
            ("LTU", "patriot", "long", "in service", 1, 2023),
            ("LTU", "iris-t-slm", "medium", "in service", 1, 2023),
        ],
        columns=list(inv.columns),
    )
    ref.inventory = pd.concat([inv, row], ignore_index=True)
    return ref


def scenario(on_path: bool) -> object:
    return parse_scenario(
        {
            "base_year": 2025,
            "threat": {
                "preset": "custom",
                "raid": {"drone": 30, "ballistic": 4},
                "nights": 4,
                "draw": "fixed",
            },
            "campaign": {"replications": 1, "engage_on_path": on_path, "waves": 0},
        }
    )


def _ltu_cells(on_path: bool) -> tuple[object, dict[tuple[str, str], list[object]]]:
    """Lithuania's cells holding threats of each (asset, class)."""
    ref = path_reference()
    setup = build_setup(ref, scenario(on_path))
    geo = setup.geometry
    assert geo is not None
    p_asset, _, p_share = geo.pairs()
    ids = ref.assets[ref.assets["iso3"].isin(setup.areas)].reset_index(drop=True)["asset_id"]
    a = setup.areas.index("LTU")
    out: dict[tuple[str, str], list[object]] = {}
    for g, cells in enumerate(build_cells(setup, geo)):
        for cell in cells:
            if cell.area != a:
                continue
            for k in cell.assets.tolist():
                for c in GROUPS[g]:
                    if p_share[k, c] > 0:
                        key = (str(ids[int(p_asset[k])]), THREAT_CLASSES[c])
                        out.setdefault(key, []).append(cell)
    return setup, out


def test_a_unit_on_the_path_far_from_the_asset_engages_drones_not_ballistic() -> None:
    setup, cells = _ltu_cells(on_path=True)
    drone, ballistic = THREAT_CLASSES.index("drone"), THREAT_CLASSES.index("ballistic")
    iris = setup.systems.index("iris-t-slm")
    # Drones aimed at ``far`` fly over Vilnius: its IRIS-T SLM engages them.
    assert cells["far", "drone"]
    for cell in cells["far", "drone"]:
        assert any(j == iris and e[drone] for _, j, _, e in cell.units)
    # Ballistic threats are engaged at the target only: those aimed at Vilnius
    # meet its Patriot, those aimed at ``far``, 300 km away, no unit.
    assert all(any(e[ballistic] for *_, e in c.units) for c in cells["vno", "ballistic"])
    assert cells["far", "ballistic"]
    for cell in cells["far", "ballistic"]:
        assert not any(e[ballistic] for *_, e in cell.units)
    # 150 km off the path: no unit engages its drones.
    assert cells["off", "drone"]
    assert all(not c.units for c in cells["off", "drone"])


def test_without_path_engagement_only_the_target_counts() -> None:
    _, cells = _ltu_cells(on_path=False)
    for key in (("far", "drone"), ("off", "drone"), ("far", "ballistic")):
        assert cells[key] and all(not c.units for c in cells[key])
    assert all(c.units for c in cells["vno", "drone"])


def test_path_engagement_lets_fewer_drones_through() -> None:
    out = {}
    for on_path in (False, True):
        ref = path_reference()
        res = simulate_campaign(build_setup(ref, scenario(on_path)), rng=3, engine="mean-field")
        out[on_path] = res
    a = out[True].areas.index("LTU")
    drone = THREAT_CLASSES.index("drone")
    np.testing.assert_array_equal(out[True].threats_area, out[False].threats_area)
    assert out[True].leakers_area[a, drone] < out[False].leakers_area[a, drone] - 1.0
    # Ballistic leakers are the same: the path counts for drones, cruise and aircraft.
    b = THREAT_CLASSES.index("ballistic")
    np.testing.assert_allclose(out[True].leakers_area[:, b], out[False].leakers_area[:, b])


@pytest.mark.parametrize("on_path", [False, True])
def test_pairs_carry_the_assets_shares(on_path: bool) -> None:
    # Splitting each asset's share by launch area loses nothing, and without
    # path engagement the pairs are the assets themselves.
    ref = path_reference()
    setup = build_setup(ref, scenario(on_path))
    geo = setup.geometry
    assert geo is not None
    p_asset, _, p_share = geo.pairs()
    by_asset = np.zeros_like(geo.asset_share)
    np.add.at(by_asset, p_asset, p_share)
    np.testing.assert_allclose(by_asset, geo.asset_share, atol=1e-15)
    if not on_path:
        np.testing.assert_array_equal(p_asset, np.arange(geo.lat.size))
        assert p_share is geo.asset_share


def test_path_cover_contains_the_target_cover_and_equals_it_for_ballistic() -> None:
    ref = geo_reference(range_km=120.0)
    covers = {}
    for on_path in (False, True):
        setup = build_setup(ref, scenario(on_path))
        geo = setup.geometry
        assert geo is not None
        covers[on_path] = (geo.pairs()[0], geo.cover(setup.fire_units)[3])
    (a_off, off), (p_asset, on) = covers[False], covers[True]
    np.testing.assert_array_equal(a_off, np.arange(off.shape[1]))
    target = off[:, p_asset]
    assert np.all(on | ~target)  # target cover implies path cover
    for c in ("ballistic", "glide"):
        k = THREAT_CLASSES.index(c)
        np.testing.assert_array_equal(on[k], target[k])
    assert on[THREAT_CLASSES.index("drone")].sum() > target[THREAT_CLASSES.index("drone")].sum()


def test_origins_are_the_nearest_launch_area_without_axes() -> None:
    ref = geo_reference()
    _, origin = origin_shares(ref.assets, ref.launch_areas, ref.threats)
    np.testing.assert_allclose(origin.sum(axis=0), 1.0)
    drone = THREAT_CLASSES.index("drone")
    # Only Belarus (row 1) fires drones in the mini reference.
    np.testing.assert_allclose(origin[1, :, drone], 1.0)
    assert GROUPS[1] == (drone,)


@pytest.mark.parametrize("engine", ["numpy", "mean-field"])
def test_without_path_engagement_the_launch_areas_play_no_part(engine: str) -> None:
    # With engage_on_path false the campaign is the target-only one: stripping the
    # geometry of where threats come from changes no draw and no engagement.
    ref = geo_reference(range_km=120.0)
    sc = scenario(on_path=False)
    sc.threat.draw = "poisson"
    setup = build_setup(ref, sc)
    geo = setup.geometry
    assert geo is not None and geo.launch_lat.size == 2
    bare = dataclasses.replace(
        geo,
        origin=np.zeros((1, 0, len(THREAT_CLASSES))),
        launch_lat=np.zeros(0),
        launch_lon=np.zeros(0),
        cells_cache={},
    )
    runs = [
        simulate_campaign(dataclasses.replace(setup, geometry=g), rng=4, engine=engine)
        for g in (geo, bare)
    ]
    np.testing.assert_array_equal(runs[0].leakers_rep, runs[1].leakers_rep)
    np.testing.assert_array_equal(runs[0].spent_rep, runs[1].spent_rep)
    # and the path-engaging geometry does differ here (so the comparison can fail)
    on = build_setup(ref, scenario(on_path=True))
    assert on.geometry is not None and on.geometry.pairs()[0].size > geo.pairs()[0].size
