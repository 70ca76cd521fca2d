"""A near-equal-area point grid over Europe for coverage maps and area figures.

Rows are spaced ``cell_km`` apart in latitude; along each row points are spaced
``cell_km`` apart in longitude at that latitude (``Δλ = cell_km / (111.195 cos φ)``
degrees), so every point stands for about ``cell_km²`` of surface. Distances use
the haversine formula with the mean earth radius 6371.0088 km
(:mod:`gbad.coverage.geodesy`); radius queries use a k-d tree on 3-D unit vectors.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from gbad.coverage.geodesy import EARTH_RADIUS_KM, haversine_km, unit_vectors

__all__ = ["EUROPE_BBOX", "assign_countries", "coverage_counts", "europe_grid"]

#: (lat_min, lat_max, lon_min, lon_max) [degrees] of the European allies incl. Iceland, Türkiye.
EUROPE_BBOX = (34.0, 71.5, -25.0, 45.0)

KM_PER_DEG = np.pi * EARTH_RADIUS_KM / 180.0


def europe_grid(
    cell_km: float = 20.0, bbox: tuple[float, float, float, float] = EUROPE_BBOX
) -> pd.DataFrame:
    """Grid points ``cell_id, lat, lon, area_km2`` over ``bbox`` spaced ``cell_km`` apart."""
    if not np.isfinite(cell_km) or cell_km <= 0:
        raise ValueError("cell_km must be positive")
    lat0, lat1, lon0, lon1 = bbox
    dlat = cell_km / KM_PER_DEG
    lats = np.arange(lat0 + dlat / 2, lat1, dlat)
    parts_lat: list[np.ndarray] = []
    parts_lon: list[np.ndarray] = []
    for lat in lats:
        dlon = cell_km / (KM_PER_DEG * max(np.cos(np.radians(lat)), 1e-6))
        lons = np.arange(lon0 + dlon / 2, lon1, dlon)
        parts_lat.append(np.full(lons.size, lat))
        parts_lon.append(lons)
    lat_all = np.concatenate(parts_lat) if parts_lat else np.zeros(0)
    lon_all = np.concatenate(parts_lon) if parts_lon else np.zeros(0)
    return pd.DataFrame(
        {
            "cell_id": np.arange(lat_all.size),
            "lat": lat_all,
            "lon": lon_all,
            "area_km2": np.full(lat_all.size, cell_km * cell_km),
        }
    )


def assign_countries(
    grid: pd.DataFrame,
    allies: Iterable[str],
    borders: Mapping[str, Any] | None,
    assets: pd.DataFrame | None = None,
    *,
    fallback_km: float = 100.0,
) -> pd.DataFrame:
    """Keep grid points on the allies' territory and tag them with ``iso3``.

    With border polygons (GeoJSON features with an ``iso3`` property) a point
    belongs to the ally whose polygon contains it. Without them, a documented
    proxy is used: a point belongs to the ally of its nearest asset if that asset
    is within ``fallback_km``; the result then says ``territory = "asset-proxy"``.
    """
    allies = list(allies)
    g = grid.copy()
    feats = [
        f
        for f in (borders or {}).get("features", [])
        if f.get("properties", {}).get("iso3") in allies
    ]
    if feats:
        from gbad.reference import country_of

        iso = country_of(g["lat"].to_numpy(), g["lon"].to_numpy(), {"features": feats})
        g["iso3"] = iso
        g["territory"] = "borders"
    elif assets is not None and len(assets):
        from scipy.spatial import cKDTree

        a = assets[assets["iso3"].isin(allies)]
        if a.empty:
            g["iso3"] = ""
        else:
            tree = cKDTree(unit_vectors(a["lat"], a["lon"]))
            _, idx = tree.query(unit_vectors(g["lat"], g["lon"]))
            d = haversine_km(g["lat"], g["lon"], a["lat"].to_numpy()[idx], a["lon"].to_numpy()[idx])
            g["iso3"] = np.where(d <= fallback_km, a["iso3"].astype(str).to_numpy()[idx], "")
        g["territory"] = "asset-proxy"
    else:
        g["iso3"] = ""
        g["territory"] = "none"
    return g[g["iso3"] != ""].reset_index(drop=True)


def coverage_counts(
    lat: np.ndarray, lon: np.ndarray, fu_lat: np.ndarray, fu_lon: np.ndarray, radius_km: np.ndarray
) -> np.ndarray:
    """How many fire units cover each point (per-unit radii; ``radius < 0``: never)."""
    from gbad.coverage.geodesy import within_radius

    m = within_radius(lat, lon, fu_lat, fu_lon, radius_km)
    return np.asarray(m.sum(axis=1)).ravel().astype(np.int64)
