"""Production lines: capacity per system and year from announced ramp-ups.

``production`` has one row per system and year in which a rate was announced. A rate
holds until the next announced year (announced ramp-ups are steps), and the first
announced rate also applies to earlier years. Capacity is scaled by
``capacity_multiplier`` and by ``line_share``, the share of a line's output open to the
allies in the plan (1 = all of it, an upper bound: Patriot, for one, also serves the
United States and other customers).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal

import numpy as np
import pandas as pd

__all__ = ["capacity_table"]


def capacity_table(
    production: pd.DataFrame,
    years: Sequence[int],
    *,
    level: Literal["low", "mid", "high"] = "mid",
    multiplier: float = 1.0,
    line_share: float = 1.0,
    per_system_multiplier: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """Fire units and interceptors each line can deliver per year.

    Parameters
    ----------
    production : DataFrame
        ``system, year, fire_units_per_year_<level>, interceptors_per_year_<level>``.
    years : sequence of int
        Years wanted.
    level : {"low", "mid", "high"}
        Which estimate.
    multiplier, line_share : float
        Scale every line.
    per_system_multiplier : mapping, optional
        Extra factor per system (e.g. ``{"patriot": 2}`` to double a line).

    Returns
    -------
    DataFrame
        ``system, year, fire_units, interceptors`` (floats, per year; ``inf`` where the
        reference data give no rate for that output of the line).
    """
    rows = []
    fu_col, int_col = f"fire_units_per_year_{level}", f"interceptors_per_year_{level}"
    extra = per_system_multiplier or {}
    for system, grp in production.groupby("system", sort=True):
        g = grp.sort_values("year")
        ann = g["year"].to_numpy(dtype=int)
        # A rate holds until the next announcement; the first also applies before it.
        # A rate never announced stays NaN: that output is not modelled (not limiting).
        fu = g[fu_col].astype(float).ffill().bfill().to_numpy()
        it = g[int_col].astype(float).ffill().bfill().to_numpy()
        scale = multiplier * line_share * float(extra.get(str(system), 1.0))
        for y in years:
            k = max(int(np.searchsorted(ann, y, side="right")) - 1, 0)
            f = np.inf if np.isnan(fu[k]) else fu[k] * scale
            i = np.inf if np.isnan(it[k]) else it[k] * scale
            rows.append((str(system), int(y), f, i))
    return pd.DataFrame(rows, columns=["system", "year", "fire_units", "interceptors"])
