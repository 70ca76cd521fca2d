r"""Radar horizon over a smooth spherical earth with an effective radius factor.

Standard atmospheric refraction bends radio rays towards the ground; it is
modelled by an earth of effective radius :math:`k R_e` with :math:`k = 4/3`
(FS-1037C "radio horizon range"; Skolnik 2001). The horizon distance of one end
at height :math:`h` above the surface is, exactly (tangent length),

.. math:: d(h) = \sqrt{(k R_e + h)^2 - (k R_e)^2}

and for :math:`h \ll k R_e`, :math:`d \approx \sqrt{2 k R_e h}`; with
:math:`R_e = 6371` km and heights in metres this is
:math:`d\,[\mathrm{km}] = 4.1218\,(\sqrt{h_r} + \sqrt{h_t})`, usually rounded
to 4.12. The radar sees a target when the sum of both ends' horizons exceeds
their ground distance.

The monostatic radar equation gives :math:`R_{max} \propto (P_t \sigma)^{1/4}`
(Skolnik 2001, eq. 1.9), used by :func:`range_scale_rcs` and
:func:`range_scale_power`.

References
----------
.. [1] NTIA/ITS (1996). Federal Standard 1037C, *Telecommunications: Glossary of
   Telecommunication Terms*, "radio horizon range" and "radar line-of-sight
   equation". https://www.its.bldrdoc.gov/fs-1037/
.. [2] Skolnik, M. I. (2001). *Introduction to Radar Systems*, 3rd ed.
   McGraw-Hill, §1.2 and §8.2.
.. [3] Long, M. W. (2001). *Radar Reflectivity of Land and Sea*, 3rd ed. Artech House.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = [
    "FOUR_THIRDS",
    "HORIZON_EARTH_RADIUS_KM",
    "NAUTICAL_MILE_KM",
    "horizon_coefficient_km_per_sqrt_m",
    "one_end_horizon_km",
    "radar_horizon_km",
    "radar_horizon_km_approx",
    "radio_horizon_fs1037c_km",
    "range_scale_power",
    "range_scale_rcs",
]

#: Standard-atmosphere effective earth radius factor.
FOUR_THIRDS = 4.0 / 3.0
#: Earth radius used in the horizon formulas [km] (the 6371 km of the 4.12 rule).
HORIZON_EARTH_RADIUS_KM = 6371.0
#: International nautical mile [km].
NAUTICAL_MILE_KM = 1.852

FloatLike = float | npt.NDArray[np.float64]


def _nonneg(name: str, value: npt.ArrayLike) -> npt.NDArray[np.float64]:
    arr = np.asarray(value, dtype=float)
    if np.any(~np.isfinite(arr)) or np.any(arr < 0):
        raise ValueError(f"{name} must be finite and non-negative")
    return arr


def _ret(arr: npt.NDArray[np.float64]) -> FloatLike:
    return float(arr) if arr.ndim == 0 else arr


def horizon_coefficient_km_per_sqrt_m(
    k_factor: float = FOUR_THIRDS, earth_radius_km: float = HORIZON_EARTH_RADIUS_KM
) -> float:
    """Coefficient of the square-root horizon rule, :math:`\\sqrt{2 k R_e / 1000}` [km/√m].

    4.12181 for k = 4/3 and R_e = 6371 km.
    """
    return float(np.sqrt(2.0 * k_factor * earth_radius_km / 1000.0))


def one_end_horizon_km(
    height_m: npt.ArrayLike,
    k_factor: float = FOUR_THIRDS,
    earth_radius_km: float = HORIZON_EARTH_RADIUS_KM,
) -> FloatLike:
    """Exact tangent distance to the effective horizon from height ``height_m`` [km]."""
    h_km = _nonneg("height_m", height_m) / 1000.0
    if k_factor <= 0:
        raise ValueError("k_factor must be positive")
    r = k_factor * earth_radius_km
    return _ret(np.sqrt((r + h_km) ** 2 - r**2))


def radar_horizon_km(
    sensor_height_m: npt.ArrayLike,
    target_height_m: npt.ArrayLike,
    k_factor: float = FOUR_THIRDS,
    earth_radius_km: float = HORIZON_EARTH_RADIUS_KM,
) -> FloatLike:
    """Radar horizon range between a sensor and a target, exact effective-earth geometry.

    Parameters
    ----------
    sensor_height_m : array_like
        Antenna height above the surface [m].
    target_height_m : array_like
        Target altitude above the surface [m].
    k_factor : float
        Effective earth radius factor (4/3 for the standard atmosphere).
    earth_radius_km : float
        Earth radius [km] (6371 km, the value behind the 4.12 rule).

    Returns
    -------
    float or numpy.ndarray
        Maximum line-of-sight range [km]: sum of both tangent distances.

    Examples
    --------
    >>> round(radar_horizon_km(10.0, 50.0), 3)
    42.18
    """
    return _ret(
        np.asarray(one_end_horizon_km(sensor_height_m, k_factor, earth_radius_km))
        + np.asarray(one_end_horizon_km(target_height_m, k_factor, earth_radius_km))
    )


def radar_horizon_km_approx(
    sensor_height_m: npt.ArrayLike,
    target_height_m: npt.ArrayLike,
    coefficient_km_per_sqrt_m: float = 4.12,
) -> FloatLike:
    """The rule of thumb :math:`d = 4.12(\\sqrt{h_r} + \\sqrt{h_t})` [km], heights in m."""
    hr = _nonneg("sensor_height_m", sensor_height_m)
    ht = _nonneg("target_height_m", target_height_m)
    return _ret(coefficient_km_per_sqrt_m * (np.sqrt(hr) + np.sqrt(ht)))


def radio_horizon_fs1037c_km(
    sensor_height_m: npt.ArrayLike, target_height_m: npt.ArrayLike
) -> FloatLike:
    """FS-1037C metre form, :math:`R = 2.23(\\sqrt{h_t} + \\sqrt{h_r})` nmi, converted to km.

    About 0.2 % above the exact 4/3-earth value (the glossary rounds 2.2256 up).
    """
    return _ret(
        NAUTICAL_MILE_KM
        * 2.23
        * (
            np.sqrt(_nonneg("sensor_height_m", sensor_height_m))
            + np.sqrt(_nonneg("target_height_m", target_height_m))
        )
    )


def range_scale_rcs(rcs_from_m2: npt.ArrayLike, rcs_to_m2: npt.ArrayLike) -> FloatLike:
    """Detection range ratio for a cross-section change, :math:`(\\sigma_2/\\sigma_1)^{1/4}`."""
    s1 = np.asarray(rcs_from_m2, dtype=float)
    s2 = np.asarray(rcs_to_m2, dtype=float)
    if np.any(s1 <= 0) or np.any(s2 < 0):
        raise ValueError("radar cross-sections must be positive")
    return _ret((s2 / s1) ** 0.25)


def range_scale_power(power_ratio: npt.ArrayLike) -> FloatLike:
    """Detection range ratio for a transmitted-power ratio: :math:`(P_2/P_1)^{1/4}`."""
    pr = np.asarray(power_ratio, dtype=float)
    if np.any(pr < 0):
        raise ValueError("power ratio must be non-negative")
    return _ret(pr**0.25)
