"""Great-circle distance on the mean-radius sphere (numpy only, cheap to import).

One implementation for every stage: :mod:`gbad.coverage.geodesy` re-exports it
beside its radius searches, and :mod:`gbad.targets.keys` uses it for exposure
without pulling in the coverage stage.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = ["EARTH_RADIUS_KM", "haversine_km"]

#: IUGG mean earth radius R_1 [km], the radius of the ``gbad site`` contract.
EARTH_RADIUS_KM = 6371.0088

FloatArray = npt.NDArray[np.float64]


def haversine_km(
    lat1_deg: npt.ArrayLike,
    lon1_deg: npt.ArrayLike,
    lat2_deg: npt.ArrayLike,
    lon2_deg: npt.ArrayLike,
    earth_radius_km: float = EARTH_RADIUS_KM,
) -> FloatArray:
    """Great-circle distance by the haversine formula (broadcasting).

    Parameters
    ----------
    lat1_deg, lon1_deg, lat2_deg, lon2_deg : array_like
        Latitudes and longitudes [degrees].
    earth_radius_km : float
        Sphere radius [km]; default the IUGG mean radius 6371.0088 km.

    Returns
    -------
    numpy.ndarray
        Distance [km].

    References
    ----------
    .. [1] Sinnott, R. W. (1984). "Virtues of the Haversine." Sky and Telescope
       68(2): 159.
    """
    p1 = np.radians(np.asarray(lat1_deg, dtype=float))
    p2 = np.radians(np.asarray(lat2_deg, dtype=float))
    dlat = p2 - p1
    dlon = np.radians(np.asarray(lon2_deg, dtype=float) - np.asarray(lon1_deg, dtype=float))
    h = np.sin(dlat / 2.0) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlon / 2.0) ** 2
    return np.asarray(2.0 * earth_radius_km * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0))))
