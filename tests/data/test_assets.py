"""The defended-assets table (tools/build_assets.py output)."""

from __future__ import annotations

import numpy as np

from gbad.reference import load_table


def test_at_least_300_assets_with_unique_ids() -> None:
    a = load_table("assets")
    assert len(a) >= 300
    assert a["asset_id"].is_unique
    assert set(a["kind"]) <= {"capital", "city", "nuclear", "port", "airbase"}


def test_one_capital_per_european_ally() -> None:
    a = load_table("assets")
    c = load_table("countries")
    allies = set(c.loc[c["european"], "iso3"])
    caps = a[a["kind"] == "capital"]
    assert sorted(caps["iso3"]) == sorted(allies)
    assert set(a["iso3"]) <= allies
    # capitals agree with the countries table to within 0.2 deg (two gazetteers)
    merged = caps.merge(c, on="iso3")
    off = np.hypot(merged["lat"] - merged["capital_lat"], merged["lon"] - merged["capital_lon"])
    assert (off < 0.2).all(), merged.loc[off >= 0.2, "iso3"].tolist()


def test_cities_are_at_least_100k_and_valued_by_population() -> None:
    a = load_table("assets")
    cities = a[a["kind"] == "city"]
    assert (cities["population"] >= 100_000).all()
    places = a[a["kind"].isin(["city", "capital"])]
    assert np.allclose(places["value"], places["population"] / 1e6)


def test_big_cities_are_present() -> None:
    names = set(load_table("assets")["name"])
    for city in ("Hamburg", "Munich", "Milan", "Istanbul", "Kraków", "Barcelona", "Gdańsk"):
        assert city in names, city


def test_no_two_cities_of_a_country_within_the_merge_radius() -> None:
    a = load_table("assets")
    pts = a[a["kind"].isin(["city", "capital"])]
    for _, g in pts.groupby("iso3"):
        lat, lon = np.radians(g["lat"].to_numpy()), np.radians(g["lon"].to_numpy())
        dlat = lat[:, None] - lat[None, :]
        dlon = lon[:, None] - lon[None, :]
        h = (
            np.sin(dlat / 2) ** 2
            + np.cos(lat[:, None]) * np.cos(lat[None, :]) * np.sin(dlon / 2) ** 2
        )
        km = 2 * 6371.0088 * np.arcsin(np.sqrt(h))
        np.fill_diagonal(km, np.inf)
        # 10 km merge radius of tools/build_assets.py; capitals are always kept
        assert (km > 10.0).all() or g["kind"].eq("capital").any()
