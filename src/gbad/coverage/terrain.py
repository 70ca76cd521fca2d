r"""Optional terrain masking: line of sight over a user DEM (GeoTIFF).

Without a DEM gbad's coverage is **smooth-earth**: only the 4/3-earth horizon
limits low flyers. With a DEM (a GeoTIFF in geographic coordinates, EPSG:4326,
elevations in metres; reading needs ``pip install gbad[terrain]`` for rasterio)
each fire-unit/point pair inside the engagement radius is kept only if the
straight ray from the antenna (ground + ``sensor_height_m``) to the threat
(ground + its flight altitude) clears the terrain at ``n_samples`` points, with
the terrain raised by the effective-earth bulge

.. math:: b(f) = \frac{f (1-f) D^2}{2 k R_e}

at fraction :math:`f` of the ground distance :math:`D` (Skolnik 2001, §8.2;
the same 4/3-earth model as :mod:`gbad.coverage.horizon`). Masking applies to
low-flying classes (cruise, drone by default); elevation is sampled at the
nearest DEM cell.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy import sparse

from gbad.coverage.geodesy import haversine_km
from gbad.coverage.horizon import FOUR_THIRDS, HORIZON_EARTH_RADIUS_KM
from gbad.coverage.merit import LosFilter
from gbad.errors import GbadInputError

__all__ = ["Dem", "line_of_sight", "los_filter", "read_dem"]


@dataclass(frozen=True)
class Dem:
    """A north-up elevation grid in geographic coordinates.

    ``elevation_m[row, col]`` is the cell whose centre is at
    ``lon = lon0 + (col + 0.5) * dlon``, ``lat = lat0 + (row + 0.5) * dlat``
    (``dlat < 0`` for north-up rasters).
    """

    elevation_m: npt.NDArray[np.float64]
    lon0: float
    lat0: float
    dlon: float
    dlat: float
    description: str = "DEM"

    def sample(self, lat: npt.ArrayLike, lon: npt.ArrayLike) -> npt.NDArray[np.float64]:
        """Elevation [m] at the nearest cell; 0 outside the raster or on no-data."""
        la = np.asarray(lat, dtype=float)
        lo = np.asarray(lon, dtype=float)
        col = np.floor((lo - self.lon0) / self.dlon).astype(np.int64)
        row = np.floor((la - self.lat0) / self.dlat).astype(np.int64)
        h, w = self.elevation_m.shape
        ok = (row >= 0) & (row < h) & (col >= 0) & (col < w)
        out = np.zeros(la.shape)
        out[ok] = self.elevation_m[row[ok], col[ok]]
        return np.where(np.isfinite(out), out, 0.0)


def read_dem(path: Path | str) -> Dem:
    """Read a GeoTIFF DEM (EPSG:4326, metres) with rasterio.

    Raises
    ------
    GbadInputError
        If rasterio is missing, the file cannot be read, or it is not geographic.
    """
    try:
        import rasterio
    except ImportError:
        raise GbadInputError(
            "path", "terrain masking needs rasterio: pip install gbad[terrain]"
        ) from None
    try:
        with rasterio.open(path) as src:
            if src.crs is None or not src.crs.is_geographic:
                raise GbadInputError("path", f"{path}: expected geographic coordinates (EPSG:4326)")
            band = src.read(1, masked=True).astype(float).filled(np.nan)
            t = src.transform
    except rasterio.errors.RasterioIOError as exc:
        raise GbadInputError("path", f"cannot read {path}: {exc}") from None
    return Dem(band, float(t.c), float(t.f), float(t.a), float(t.e), f"DEM {Path(path).name}")


def line_of_sight(  # noqa: PLR0917 - sensor and target as (lat, lon, height)
    dem: Dem,
    sensor_lat: npt.ArrayLike,
    sensor_lon: npt.ArrayLike,
    sensor_height_m: float,
    target_lat: npt.ArrayLike,
    target_lon: npt.ArrayLike,
    target_height_m: float,
    *,
    k_factor: float = FOUR_THIRDS,
    n_samples: int = 64,
) -> npt.NDArray[np.bool_]:
    """Whether each sensor→target ray clears the terrain (vectorised over pairs)."""
    slat = np.atleast_1d(np.asarray(sensor_lat, dtype=float))
    slon = np.atleast_1d(np.asarray(sensor_lon, dtype=float))
    tlat = np.atleast_1d(np.asarray(target_lat, dtype=float))
    tlon = np.atleast_1d(np.asarray(target_lon, dtype=float))
    f = (np.arange(1, n_samples + 1) / (n_samples + 1))[None, :]
    d_km = np.asarray(haversine_km(slat, slon, tlat, tlon))[:, None]
    lat = slat[:, None] + f * (tlat - slat)[:, None]
    lon = slon[:, None] + f * (tlon - slon)[:, None]
    ground = dem.sample(lat, lon)
    z_s = dem.sample(slat, slon)[:, None] + sensor_height_m
    z_t = dem.sample(tlat, tlon)[:, None] + target_height_m
    ray = z_s + f * (z_t - z_s)
    bulge_m = f * (1 - f) * d_km**2 / (2.0 * k_factor * HORIZON_EARTH_RADIUS_KM) * 1000.0
    return np.asarray(np.all(ray > ground + bulge_m, axis=1))


def los_filter(
    dem: Dem,
    threats: pd.DataFrame,
    *,
    sensor_height_m: float = 10.0,
    k_factor: float = FOUR_THIRDS,
    classes: Sequence[str] = ("cruise", "drone"),
    altitude_level: str = "mid",
) -> LosFilter:
    """A coverage filter (see :func:`gbad.coverage.merit.count_cover`) that masks terrain."""
    alt = threats.set_index("threat_class")[f"altitude_m_{altitude_level}"]

    def _filter(
        m: sparse.csr_array, lat: np.ndarray, lon: np.ndarray, cls: str, fu: pd.DataFrame
    ) -> sparse.csr_array:
        if cls not in classes or cls not in alt.index:
            return m
        coo = sparse.coo_array(m)
        ok = line_of_sight(
            dem,
            fu["lat"].to_numpy(float)[coo.col],
            fu["lon"].to_numpy(float)[coo.col],
            sensor_height_m,
            lat[coo.row],
            lon[coo.row],
            float(alt[cls]),
            k_factor=k_factor,
        )
        return sparse.csr_array(
            (coo.data[ok], (coo.row[ok], coo.col[ok])), shape=m.shape, dtype=m.dtype
        )

    return _filter
