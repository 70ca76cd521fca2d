r"""Burn against build: nights of peak raids that a year of production sustains.

For each interceptor (system) with a production line, the peak campaign's use per
night :math:`u_j` (interceptors fired per night while no ally's stock of it has
run out, mean over Monte Carlo paths, so the raids and not empty magazines set
it) is set against the line's output in the year, whole and Europe's share
(:func:`gbad.industry.lines.line_shares`; the USA, Ukraine and others draw on
the same lines):

.. math::
    N_j = \frac{s_j\, P_j(y)}{u_j},

the nights of peak raids that one year of Europe's share of the line replaces.
:math:`s_j P_j(y)` is ``europe_production_per_year``, the same rate and name as in
the campaign's ``by_system`` rows (whose ``replacement_years`` divide the
campaign's use by it); the rate left after the first loads of new fire units is
``spare_production_per_year`` there, another name for another number.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from gbad.campaign import build_setup, simulate_campaign

__all__ = ["burn_vs_build"]


def burn_vs_build(
    ref: Any,
    scenario: Any,
    *,
    force: pd.DataFrame | None = None,
    year: int | None = None,
    rng: np.random.Generator | int,
    nights: int = 30,
    replications: int = 8,
    engine: str = "numba",
    ew_defeat: Any = None,
) -> list[dict[str, Any]]:
    """Per interceptor: use per peak night, production per year, nights a year sustains.

    Parameters
    ----------
    ref, scenario
        Reference data and scenario; the raid is the scenario's with the
        ``peak`` preset (95th-percentile night of the Ukrainian reports).
    force : DataFrame, optional
        The force that fights (default today's); ``year`` its year.
    rng : Generator or int
        Root of the raid paths.

    Returns
    -------
    list of dict
        ``system, tier, use_per_peak_night, production_per_year,
        europe_share, europe_production_per_year, nights_per_year_of_production,
        nights_per_year_of_europe_share``, for systems fired in the campaign that have
        a production line.
    """
    from gbad.industry.lines import capacity_table, line_shares

    peak = scenario.model_copy(
        update={"threat": scenario.threat.model_copy(update={"preset": "peak"})}
    )
    setup = build_setup(ref, peak, nights=nights, force=force, year=year, ew_defeat=ew_defeat)
    res = simulate_campaign(setup, rng=rng, replications=replications, engine=engine)
    y = int(year if year is not None else scenario.base_year)
    production = ref.production
    lined = sorted(set(production["system"].astype(str)) & set(setup.systems))
    shares, _ = line_shares(ref, lined, scenario.industry.line_share)
    whole = capacity_table(production[production["system"].isin(lined)], [y], level="mid")
    per_year = dict(
        zip(whole["system"].astype(str), whole["interceptors"].astype(float), strict=True)
    )
    rows: list[dict[str, Any]] = []
    for row in res.by_system():
        s = str(row["system"])
        if s not in per_year:
            continue
        j = setup.systems.index(s)
        first = res.stockout_night_rep[:, :, j]
        first = first[first > 0]
        free = max(1, int(first.min()) - 1) if first.size else res.nights
        use = float(res.spent_night[:free, j].mean())
        if use <= 0:
            continue
        total = per_year[s]
        if not math.isfinite(total):
            continue  # the line has no interceptor output figure for the year
        share = float(shares.get(s, 1.0))
        # One rate, one name: the campaign's own ``europe_production_per_year``
        # (the line's output times the allies' share, before first loads).
        europe = row.get("europe_production_per_year")
        europe = share * total if europe is None else float(europe)

        def nights_of(p: float, use: float = use) -> float | None:
            v = p / use
            return v if math.isfinite(v) else None

        rows.append(
            {
                "system": s,
                "tier": str(row["tier"]),
                "use_per_peak_night": use,
                "production_per_year": total,
                "europe_share": share,
                "europe_production_per_year": europe,
                "nights_per_year_of_production": nights_of(total),
                "nights_per_year_of_europe_share": nights_of(europe),
            }
        )
    rows.sort(key=lambda r: r["nights_per_year_of_europe_share"] or math.inf)
    return rows
