"""Coverage: what fire units protect, against which threats.

Radar horizon (:mod:`gbad.coverage.horizon`), effective engagement radii
(:mod:`gbad.coverage.envelope`), great-circle geometry and grids
(:mod:`gbad.coverage.geodesy`, :mod:`gbad.coverage.grid`), the baseline
placement rule (:mod:`gbad.coverage.placement`), figures of merit
(:mod:`gbad.coverage.merit`) and the stage function :func:`assess`.
"""

from __future__ import annotations

from gbad.coverage.envelope import effective_radii
from gbad.coverage.geodesy import EARTH_RADIUS_KM, haversine_km, within_radius
from gbad.coverage.horizon import radar_horizon_km, radar_horizon_km_approx
from gbad.coverage.placement import FIRE_UNIT_COLUMNS, place_baseline_units
from gbad.coverage.stage import SMOOTH_EARTH, CoverageResult, assess

__all__ = [
    "EARTH_RADIUS_KM",
    "FIRE_UNIT_COLUMNS",
    "SMOOTH_EARTH",
    "CoverageResult",
    "assess",
    "effective_radii",
    "haversine_km",
    "place_baseline_units",
    "radar_horizon_km",
    "radar_horizon_km_approx",
    "within_radius",
]
