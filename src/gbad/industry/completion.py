"""When orders are complete: cumulative deliveries per ally and tier, and met years.

Shared by the industry stage and the joint-against-national comparison, which read
the same schedules the same way.
"""

from __future__ import annotations

import pandas as pd

from gbad.industry.schedule import Schedule

__all__ = ["cumulative_complete", "latest_year", "met_year"]


def cumulative_complete(sched: Schedule) -> pd.Series:
    """Complete fire units delivered to each ally and tier by each year (cumulative)."""
    d = sched.deliveries
    if not len(d):
        return pd.Series(dtype=float)
    return d.groupby(["iso3", "tier", "year"])["complete"].sum().groupby(level=[0, 1]).cumsum()


def met_year(done: pd.Series, iso: str, tier: str, need: int, first: int) -> int | None:
    """First year an ally's delivered fire units in a tier reach ``need``."""
    if need <= 0:
        return first
    if done.empty:
        return None  # nothing is ever delivered (no budget, say)
    try:
        series = done.loc[(iso, tier)]
    except KeyError:
        return None
    hit = series[series >= need]
    return int(hit.index[0]) if len(hit) else None


def latest_year(years: list[int | None]) -> int | None:
    """The last of some years, ``None`` if any is ``None``."""
    if any(y is None for y in years):
        return None
    return max((y for y in years if y is not None), default=None)
