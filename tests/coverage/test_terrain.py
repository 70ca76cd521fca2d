"""Terrain masking on a small synthetic GeoTIFF written in the test."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from gbad.coverage.terrain import Dem, line_of_sight, read_dem

rasterio = pytest.importorskip("rasterio", reason="terrain extra (rasterio) not installed")


def _write_ridge(path: Path, ridge_m: float) -> None:
    from affine import Affine

    # 0.01° cells over lon 10-11, lat 50-51; a north-south ridge at lon 10.5
    elev = np.zeros((100, 100), dtype="float32")
    elev[:, 49:51] = ridge_m
    with rasterio.open(
        path,
        "w",
        driver="GTiff",
        height=100,
        width=100,
        count=1,
        dtype="float32",
        crs="EPSG:4326",
        transform=Affine(0.01, 0.0, 10.0, 0.0, -0.01, 51.0),
    ) as dst:
        dst.write(elev, 1)


def test_ridge_blocks_low_flyer_not_high_flyer(tmp_path: Path) -> None:
    tif = tmp_path / "ridge.tif"
    _write_ridge(tif, 300.0)
    dem = read_dem(tif)
    assert dem.sample(50.5, 10.5) == pytest.approx(300.0)
    # sensor at lon 10.2, targets at lon 10.8 (43 km): a 300 m ridge hides a 50 m flyer
    assert not line_of_sight(dem, 50.5, 10.2, 10.0, 50.5, 10.8, 50.0)[0]
    assert line_of_sight(dem, 50.5, 10.2, 10.0, 50.5, 10.8, 2000.0)[0]
    # same side of the ridge: visible
    assert line_of_sight(dem, 50.5, 10.1, 10.0, 50.5, 10.3, 50.0)[0]


def test_flat_dem_reproduces_smooth_earth_horizon() -> None:
    # flat terrain: the ray clears the bulge just inside the 4/3-earth horizon, not beyond
    from gbad.coverage.geodesy import haversine_km
    from gbad.coverage.horizon import radar_horizon_km

    dem = Dem(np.zeros((10, 10)), 0.0, 60.0, 1.0, -1.0)
    h = float(radar_horizon_km(10.0, 50.0))  # 42.18 km
    dlat_per_km = 1.0 / float(haversine_km(50.0, 10.0, 51.0, 10.0))
    near = line_of_sight(
        dem, 50.0, 10.0, 10.0, 50.0 + 0.97 * h * dlat_per_km, 10.0, 50.0, n_samples=400
    )
    far = line_of_sight(
        dem, 50.0, 10.0, 10.0, 50.0 + 1.03 * h * dlat_per_km, 10.0, 50.0, n_samples=400
    )
    assert near[0] and not far[0]
