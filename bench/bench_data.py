"""Benchmark: gbad.reference.country_of (shapely 2) against ray casting and matplotlib.

Classifies N random points over Europe by country three ways on the same borders
(rings with holes handled the same way): gbad's ``country_of`` (shapely 2
``contains_xy`` on prepared polygons), the vectorised numpy even-odd ray caster gbad
used before, and ``matplotlib.path.Path.contains_points``; checks the answers agree
and prints the times and their ratios. Run: ``.venv/bin/python bench/bench_data.py``.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

import numpy as np
from matplotlib.path import Path

from gbad.reference import country_of, load_borders, load_table

N_POINTS = 20_000


def mpl_country_of(lat: np.ndarray, lon: np.ndarray, fc: dict) -> np.ndarray:
    """Reference implementation: matplotlib's point-in-path, ring by ring."""
    pts = np.column_stack([lon, lat])
    out = np.full(lat.shape, "", dtype=object)
    for feat in fc["features"]:
        geom = feat["geometry"]
        polys = [geom["coordinates"]] if geom["type"] == "Polygon" else geom["coordinates"]
        inside = np.zeros(lat.shape, dtype=bool)
        for poly in polys:
            hit = Path(np.asarray(poly[0])).contains_points(pts)
            for hole in poly[1:]:
                hit &= ~Path(np.asarray(hole)).contains_points(pts)
            inside |= hit
        out[(out == "") & inside] = feat["properties"]["iso3"]
    return out.astype(str)


# The numpy ray caster gbad used before shapely (kept here as the alternative).
def _rings(geometry: Mapping[str, Any]) -> list[list[np.ndarray]]:
    """Polygons of a GeoJSON geometry as lists of rings (lon, lat arrays)."""
    if geometry["type"] == "Polygon":
        polys = [geometry["coordinates"]]
    elif geometry["type"] == "MultiPolygon":
        polys = geometry["coordinates"]
    else:
        return []
    return [[np.asarray(r, dtype=float) for r in poly] for poly in polys]


def _in_ring(lon: np.ndarray, lat: np.ndarray, ring: np.ndarray) -> np.ndarray:
    """Even-odd ray casting of points against one closed ring.

    Only points inside the ring's bounding box are tested; for those, the edges
    are processed in blocks so that memory stays bounded (points x block edges).
    """
    inside = np.zeros(lon.shape, dtype=bool)
    box = (
        (lon >= ring[:, 0].min())
        & (lon <= ring[:, 0].max())
        & (lat >= ring[:, 1].min())
        & (lat <= ring[:, 1].max())
    )
    idx = np.flatnonzero(box)
    if idx.size == 0:
        return inside
    px, py = lon[idx][:, None], lat[idx][:, None]
    parity = np.zeros(idx.size, dtype=bool)
    block = max(1, 2_000_000 // idx.size)
    for start in range(0, len(ring) - 1, block):
        a = ring[start : start + block + 1]
        ax, ay, bx, by = a[:-1, 0], a[:-1, 1], a[1:, 0], a[1:, 1]
        crosses = (ay > py) != (by > py)
        dy = np.where(by != ay, by - ay, 1.0)
        x_cross = ax + (py - ay) * (bx - ax) / dy
        parity ^= np.logical_xor.reduce(crosses & (px < x_cross), axis=1)
    inside[idx] = parity
    return inside


def raycast_country_of(lat: np.ndarray, lon: np.ndarray, fc: dict) -> np.ndarray:
    """The former implementation: even-odd ray casting with a bounding-box prefilter."""
    out = np.full(lat.shape, "", dtype=object)
    for feat in fc["features"]:
        inside = np.zeros(lat.shape, dtype=bool)
        for poly in _rings(feat["geometry"]):
            hit = _in_ring(lon, lat, poly[0])
            for hole in poly[1:]:
                hit &= ~_in_ring(lon, lat, hole)
            inside |= hit
        out[(out == "") & inside] = feat["properties"]["iso3"]
    return out.astype(str)


def main() -> None:
    """Time the three implementations on the same points."""
    rng = np.random.default_rng(20261123)
    lat = rng.uniform(35.0, 70.0, N_POINTS)
    lon = rng.uniform(-10.0, 40.0, N_POINTS)
    fc = load_borders()
    t0 = time.perf_counter()
    country_of(lat[:10], lon[:10], fc)  # builds and prepares the shapely polygons
    t_prep = time.perf_counter() - t0
    t0 = time.perf_counter()
    ours = country_of(lat, lon, fc)
    t1 = time.perf_counter()
    ray = raycast_country_of(lat, lon, fc)
    t2 = time.perf_counter()
    theirs = mpl_country_of(lat, lon, fc)
    t3 = time.perf_counter()
    assets = load_table("assets")
    t4 = time.perf_counter()
    country_of(assets["lat"].to_numpy(), assets["lon"].to_numpy(), fc)
    t5 = time.perf_counter()
    print(f"points: {N_POINTS}, features: {len(fc['features'])}")
    print(f"agreement shapely/ray casting: {np.mean(ours == ray):.5f}")
    print(f"agreement shapely/matplotlib:  {np.mean(ours == theirs):.5f}")
    print(f"gbad country_of (shapely 2):      {t1 - t0:.3f} s (+ {t_prep:.3f} s preparing)")
    print(f"numpy ray casting (former gbad):  {t2 - t1:.3f} s")
    print(f"matplotlib Path.contains_points:  {t3 - t2:.3f} s")
    print(f"ratio shapely / ray casting: {(t1 - t0) / (t2 - t1):.3f}")
    print(f"ratio shapely / matplotlib:  {(t1 - t0) / (t3 - t2):.3f}")
    print(f"gbad country_of on {len(assets)} assets: {t5 - t4:.3f} s")


if __name__ == "__main__":
    main()
