"""Industrial delivery: production lines, competing orders, joint procurement.

Public API: :func:`compute_industry` (the stage), :func:`simulate` and
:func:`allocate` (:mod:`gbad.industry.schedule`), :func:`capacity_table`
(:mod:`gbad.industry.lines`) and :func:`volume_price_factor` (:mod:`gbad.industry.joint`).
"""

from __future__ import annotations

from gbad.industry.joint import volume_price_factor
from gbad.industry.lines import capacity_table
from gbad.industry.schedule import Schedule, allocate, allocate_cumulative, simulate
from gbad.industry.stage import IndustryResult, compute_industry

__all__ = [
    "IndustryResult",
    "Schedule",
    "allocate",
    "allocate_cumulative",
    "capacity_table",
    "compute_industry",
    "simulate",
    "volume_price_factor",
]
