"""The force by year: the order of battle each milestone year fights with."""

from gbad.force.retire import in_service_at, retire_years
from gbad.force.stage import (
    FORCE_COLUMNS,
    ForceResult,
    build_force,
    force_of_year,
    milestone_years,
    stock_per_fu,
)

__all__ = [
    "FORCE_COLUMNS",
    "ForceResult",
    "build_force",
    "force_of_year",
    "in_service_at",
    "milestone_years",
    "retire_years",
    "stock_per_fu",
]
