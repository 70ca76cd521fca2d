"""When orders are complete: cumulative deliveries per ally and tier, and met years.

Shared by the industry stage and the joint-against-national comparison, which read
the same schedules the same way.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from gbad.industry.schedule import Schedule

__all__ = ["cumulative_complete", "latest_year", "met_year", "tier_gains"]

TIER_GAIN_COLUMNS = ["iso3", "tier", "increment", "national_year", "joint_year", "years_gained"]


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


def tier_gains(
    national: Schedule,
    joint: Schedule,
    increments: Iterable[tuple[str, str, int]],
    years: list[int],
) -> pd.DataFrame:
    """Per ally and tier: the year its increment is complete bought nationally and
    jointly, and ``years_gained`` (national less joint; a year never reached counts
    as ``years[-1] + 1``; negative: later when bought jointly; ``None`` when neither
    is reached)."""
    dn, dj = cumulative_complete(national), cumulative_complete(joint)
    sentinel = years[-1] + 1
    rows = []
    for iso, tier, need in increments:
        ny = met_year(dn, str(iso), str(tier), int(need), years[0])
        jy = met_year(dj, str(iso), str(tier), int(need), years[0])
        gained = None if ny is None and jy is None else (ny or sentinel) - (jy or sentinel)
        rows.append(
            {
                "iso3": str(iso),
                "tier": str(tier),
                "increment": int(need),
                "national_year": ny,
                "joint_year": jy,
                "years_gained": gained,
            }
        )
    return pd.DataFrame(rows, columns=TIER_GAIN_COLUMNS)
