"""The radius search against a dense haversine reference (per-column radii, shared sites)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gbad.coverage.geodesy import pairwise_haversine_km, within_radius
from gbad.coverage.merit import TIERS, count_cover


def _instance(
    rng: np.random.Generator, n_rows: int, n_sites: int, n_cols: int
) -> tuple[np.ndarray, ...]:
    """Rows and columns over central Europe; columns share sites and radii, some at rows."""
    rlat = rng.uniform(45.0, 55.0, n_rows)
    rlon = rng.uniform(0.0, 20.0, n_rows)
    slat = rng.uniform(45.0, 55.0, n_sites)
    slon = rng.uniform(0.0, 20.0, n_sites)
    # a third of the sites stand exactly on a row point (zero distance pairs)
    on_row = (rng.random(n_sites) < 1 / 3) & (n_rows > 0)
    pick = rng.integers(0, max(n_rows, 1), n_sites)
    slat[on_row], slon[on_row] = rlat[pick[on_row]], rlon[pick[on_row]]
    site = rng.integers(0, n_sites, n_cols)
    # few distinct radii (one per system), -1 = cannot engage, 0 = only the site itself
    radius = rng.choice(np.array([-1.0, 0.0, 5.0, 37.5, 120.0, 400.0]), n_cols)
    return rlat, rlon, slat[site], slon[site], radius


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n_rows=st.integers(0, 300), n_cols=st.integers(0, 300))
def test_within_radius_per_column_radii_equals_dense(seed: int, n_rows: int, n_cols: int) -> None:
    rng = np.random.default_rng(seed)
    rlat, rlon, clat, clon, radius = _instance(rng, n_rows, max(1, n_cols // 3), n_cols)
    dense = pairwise_haversine_km(rlat, rlon, clat, clon) <= radius[None, :]
    got = within_radius(rlat, rlon, clat, clon, radius)
    assert got.shape == (n_rows, n_cols)
    assert got.dtype == bool
    assert np.array_equal(got.toarray(), dense)


def test_within_radius_boundary_and_bad_points() -> None:
    # a column whose radius is exactly its haversine distance to a row keeps the pair
    d = float(pairwise_haversine_km([50.0], [10.0], [50.3], [10.4])[0, 0])
    got = within_radius(
        [50.0, np.nan, 51.0],
        [10.0, 10.0, np.inf],
        [50.3, 50.3, np.nan, 50.3],
        [10.4, 10.4, 10.4, 10.4],
        [d, np.nextafter(d, 0.0), 1e4, -1.0],
    ).toarray()
    assert got.tolist() == [[True, False, False, False], [False] * 4, [False] * 4]


def test_count_cover_equals_dense_reference() -> None:
    rng = np.random.default_rng(20261123)
    rlat, rlon, clat, clon, _ = _instance(rng, 400, 60, 500)
    systems = np.array(["a", "b", "c", "d"])
    tiers = {"a": "long", "b": "medium", "c": "very-short", "d": "short"}
    fu = pd.DataFrame({"system": rng.choice(systems, clat.size), "lat": clat, "lon": clon})
    fu["tier"] = fu["system"].map(tiers)
    radii = pd.DataFrame(
        {
            "system": ["a", "a", "b", "c", "c", "d"],
            "threat_class": ["ballistic", "cruise", "cruise", "cruise", "drone", "drone"],
            "effective_radius_km": [300.0, 45.0, 30.0, 6.0, 8.0, 0.0],
        }
    )
    got = count_cover(rlat, rlon, fu, radii, ["ballistic", "cruise", "drone"])
    dist = pairwise_haversine_km(rlat, rlon, clat, clon)
    for cls, frame in got.items():
        sub = radii[radii["threat_class"] == cls].set_index("system")["effective_radius_km"]
        r = fu["system"].map(sub).to_numpy(float)
        # radius 0 means "cannot engage" in radius_lookup
        hit = dist <= np.where(np.isfinite(r) & (r > 0), r, -1.0)[None, :]
        for tier in TIERS:
            want = hit[:, (fu["tier"] == tier).to_numpy()].sum(axis=1)
            assert np.array_equal(frame[tier].to_numpy(), want), (cls, tier)
        assert np.array_equal(frame["all"].to_numpy(), hit.sum(axis=1))
    assert got["ballistic"]["all"].sum() > 0


@pytest.mark.parametrize("radius", [0.0, 50.0])
def test_within_radius_scalar_radius(radius: float) -> None:
    rng = np.random.default_rng(3)
    rlat, rlon, clat, clon, _ = _instance(rng, 120, 40, 80)
    dense = pairwise_haversine_km(rlat, rlon, clat, clon) <= radius
    assert np.array_equal(within_radius(rlat, rlon, clat, clon, radius).toarray(), dense)


def test_count_cover_with_owners_counts_the_allys_own_units_or_the_coalitions() -> None:
    # Dense reference as above, restricted by hand: a unit covers a point only when
    # it belongs to the point's ally, or both belong to the coalition (the campaign's
    # rule of who engages threats at an asset).
    rng = np.random.default_rng(7)
    rlat, rlon, clat, clon, _ = _instance(rng, 300, 50, 300)
    fu = pd.DataFrame({"system": "a", "tier": "long", "lat": clat, "lon": clon})
    fu["iso3"] = rng.choice(["AAA", "BBB", "CCC"], clat.size)
    owner = rng.choice(["AAA", "BBB", "CCC"], rlat.size)
    radii = pd.DataFrame(
        {"system": ["a"], "threat_class": ["cruise"], "effective_radius_km": [80.0]}
    )
    hit = pairwise_haversine_km(rlat, rlon, clat, clon) <= 80.0
    same = owner[:, None] == fu["iso3"].to_numpy()[None, :]
    pair = (
        np.isin(owner, ["AAA", "BBB"])[:, None]
        & fu["iso3"].isin(["AAA", "BBB"]).to_numpy()[None, :]
    )
    everyone = count_cover(rlat, rlon, fu, radii, ["cruise"])["cruise"]["all"].to_numpy()
    own = count_cover(rlat, rlon, fu, radii, ["cruise"], owner=owner)["cruise"]["all"].to_numpy()
    both = count_cover(rlat, rlon, fu, radii, ["cruise"], owner=owner, coalition=["AAA", "BBB"])
    assert np.array_equal(everyone, hit.sum(axis=1))
    assert np.array_equal(own, (hit & same).sum(axis=1))
    assert np.array_equal(both["cruise"]["all"].to_numpy(), (hit & (same | pair)).sum(axis=1))
    assert (own < everyone).any()  # the instance has cross-border reach to lose
