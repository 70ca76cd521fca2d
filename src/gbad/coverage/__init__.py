"""Coverage: what fire units protect, against which threats.

Radar horizon (:mod:`gbad.coverage.horizon`), great-circle geometry
(:mod:`gbad.coverage.geodesy`).
"""

from __future__ import annotations

__all__: list[str] = []
