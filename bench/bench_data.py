"""Benchmark: gbad.reference.country_of against matplotlib.path point-in-polygon.

Classifies N random points over Europe by country, with gbad's vectorised
even-odd ray casting and with ``matplotlib.path.Path.contains_points`` on the same
borders (rings with holes handled the same way), checks the answers agree, and
prints the times and their ratio. Run: ``.venv/bin/python bench/bench_data.py``.
"""

from __future__ import annotations

import time

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


def main() -> None:
    """Time both implementations on the same points."""
    rng = np.random.default_rng(20261123)
    lat = rng.uniform(35.0, 70.0, N_POINTS)
    lon = rng.uniform(-10.0, 40.0, N_POINTS)
    fc = load_borders()
    country_of(lat[:10], lon[:10], fc)  # warm the cache
    t0 = time.perf_counter()
    ours = country_of(lat, lon, fc)
    t1 = time.perf_counter()
    theirs = mpl_country_of(lat, lon, fc)
    t2 = time.perf_counter()
    agree = float(np.mean(ours == theirs))
    assets = load_table("assets")
    t3 = time.perf_counter()
    country_of(assets["lat"].to_numpy(), assets["lon"].to_numpy(), fc)
    t4 = time.perf_counter()
    print(f"points: {N_POINTS}, features: {len(fc['features'])}, agreement: {agree:.5f}")
    print(f"gbad country_of (numpy ray casting): {t1 - t0:.3f} s")
    print(f"matplotlib Path.contains_points:     {t2 - t1:.3f} s")
    print(f"ratio gbad / matplotlib: {(t1 - t0) / (t2 - t1):.2f}")
    print(f"gbad country_of on {len(assets)} assets: {t4 - t3:.3f} s")


if __name__ == "__main__":
    main()
