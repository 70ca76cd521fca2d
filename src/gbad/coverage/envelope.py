r"""Effective engagement radius of a fire unit against a threat class.

The radius around a fire unit inside which it can engage a threat of class
:math:`c` is taken as

.. math::
   r_{sc} = \max\Bigl(0,\ \min\bigl(R^{env}_{sc},\ D_{sc} - v_c\,t_s/1000\bigr)\Bigr),
   \qquad D_{sc} = \min\bigl(R^{radar}_s,\ d_h(h_s, h_c)\bigr)

with :math:`R^{env}_{sc}` the system's published engagement range against the
class (``envelopes.range_km``), :math:`R^{radar}_s` its radar range
(``systems.radar_range_km``), :math:`d_h` the 4/3-earth radar horizon between
the antenna height :math:`h_s` and the threat's flight altitude :math:`h_c`
(``threats.altitude_m_<level>``, :func:`gbad.coverage.horizon.radar_horizon_km`),
and :math:`v_c t_s` the distance the threat closes during the system's reaction
time (``threats.speed_mps_<level>`` × ``systems.reaction_time_s``). The horizon
binds for low flyers (cruise missiles, drones), the reaction term for fast ones
(ballistic, glide) when the radar is short-ranged. This is a first-order,
smooth-earth, single-sensor model (Skolnik 2001, §1.2; Wilkening 1999 uses the
same "detection minus reaction" logic for a layered defence); terrain masking is
applied separately (:mod:`gbad.coverage.terrain`).

References
----------
.. [1] Skolnik, M. I. (2001). *Introduction to Radar Systems*, 3rd ed. McGraw-Hill.
.. [2] Wilkening, D. A. (1999). A simple model for calculating ballistic missile
   defense effectiveness. *Science & Global Security* 8(2): 183-215.
   doi:10.1080/08929889908426479
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
import pandas as pd

from gbad.coverage.horizon import FOUR_THIRDS, radar_horizon_km

__all__ = ["Level", "effective_radii", "radius_lookup", "scenario_radii"]

Level = Literal["low", "mid", "high"]


def effective_radii(
    systems: pd.DataFrame,
    envelopes: pd.DataFrame,
    threats: pd.DataFrame,
    *,
    sensor_height_m: float = 10.0,
    k_factor: float = FOUR_THIRDS,
    altitude_level: Level = "mid",
    speed_level: Level = "mid",
) -> pd.DataFrame:
    """Effective engagement radius per system × threat class.

    Parameters
    ----------
    systems : pandas.DataFrame
        ``system, radar_range_km, reaction_time_s`` (NaN: no limit / no delay).
    envelopes : pandas.DataFrame
        ``system, threat_class, range_km`` (rows only where the system engages the class).
    threats : pandas.DataFrame
        ``threat_class, speed_mps_<level>, altitude_m_<level>``.
    sensor_height_m : float
        Radar antenna height above ground [m].
    k_factor : float
        Effective earth radius factor.
    altitude_level, speed_level : {"low", "mid", "high"}
        Which threat altitude and speed to use.

    Returns
    -------
    pandas.DataFrame
        ``system, threat_class, envelope_km, horizon_km, radar_range_km,
        reaction_loss_km, effective_radius_km, limited_by`` (``limited_by`` is
        ``envelope``, ``horizon``, ``radar`` or ``reaction``).
    """
    env = envelopes[["system", "threat_class", "range_km"]].rename(
        columns={"range_km": "envelope_km"}
    )
    sys_cols = systems[["system", "radar_range_km", "reaction_time_s"]]
    thr = threats[
        ["threat_class", f"speed_mps_{speed_level}", f"altitude_m_{altitude_level}"]
    ].rename(
        columns={
            f"speed_mps_{speed_level}": "speed_mps",
            f"altitude_m_{altitude_level}": "altitude_m",
        }
    )
    df = env.merge(sys_cols, on="system", how="left").merge(thr, on="threat_class", how="left")
    alt = pd.to_numeric(df["altitude_m"], errors="coerce").fillna(np.inf).to_numpy(float)
    horizon = np.where(
        np.isfinite(alt),
        np.asarray(
            radar_horizon_km(sensor_height_m, np.where(np.isfinite(alt), alt, 0.0), k_factor)
        ),
        np.inf,
    )
    radar = pd.to_numeric(df["radar_range_km"], errors="coerce").fillna(np.inf).to_numpy(float)
    speed = pd.to_numeric(df["speed_mps"], errors="coerce").fillna(0.0).to_numpy(float)
    react = pd.to_numeric(df["reaction_time_s"], errors="coerce").fillna(0.0).to_numpy(float)
    loss = speed * react / 1000.0
    envelope = pd.to_numeric(df["envelope_km"], errors="coerce").fillna(0.0).to_numpy(float)
    detect = np.minimum(radar, horizon)
    reach = detect - loss
    eff = np.maximum(0.0, np.minimum(envelope, reach))
    limited = np.select(
        [envelope <= reach, envelope <= detect, horizon <= radar],
        ["envelope", "reaction", "horizon"],
        default="radar",
    )
    return pd.DataFrame(
        {
            "system": df["system"].astype(str),
            "threat_class": df["threat_class"].astype(str),
            "envelope_km": envelope,
            "horizon_km": horizon,
            "radar_range_km": radar,
            "reaction_loss_km": loss,
            "effective_radius_km": eff,
            "limited_by": limited,
        }
    )


def radius_lookup(radii: pd.DataFrame, systems: pd.Series, threat_class: str) -> np.ndarray:
    """Radius [km] of each unit's system against ``threat_class``; -1 where it cannot engage."""
    sub = radii[radii["threat_class"] == threat_class].set_index("system")["effective_radius_km"]
    r = systems.astype(str).map(sub).to_numpy(dtype=float)
    r = np.where(np.isfinite(r) & (r > 0), r, -1.0)
    return r


def scenario_radii(ref: Any, scenario: Any) -> pd.DataFrame:
    """:func:`effective_radii` of the reference's systems with the scenario's sensor
    height and refraction (``scenario.coverage``): the one set of radii that
    siting, coverage and the spatial campaign all use."""
    cov = scenario.coverage
    return effective_radii(
        ref.systems,
        ref.envelopes,
        ref.threats,
        sensor_height_m=float(cov.sensor_height_m),
        k_factor=float(cov.k_factor),
    )
