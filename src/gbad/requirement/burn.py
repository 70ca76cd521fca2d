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

The line is the system's missile line (``systems.missile_line``: Sky Sabre fires
CAMM and draws on its line, SAMP/T and SAMP/T NG share the Aster line): systems on
one line carry the line's rate. Given the industry result, the rate is on the
basis its schedule ran (joint line expansion included when it applies), the
basis of the campaign's spare output; ``production_per_year`` is the whole
line's output on the same basis and ``europe_share`` the line's share of it.
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
    industry: Any = None,
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
    industry : IndustryResult, optional
        The plan's industry result: the lines' rates on the basis its schedule
        ran (as in the plan's campaign); default the announced output.

    Returns
    -------
    list of dict
        ``system, tier, missile_line, use_per_peak_night, line_use_per_peak_night,
        production_per_year,
        europe_share, europe_production_per_year, nights_per_year_of_production,
        nights_per_year_of_europe_share``, for systems fired in the campaign that have
        a production line. The two ``nights_per_year_*`` divide by
        ``line_use_per_peak_night``, what all systems on the line fire.
    """
    from gbad.industry.lines import capacity_table, line_shares, missile_lines

    peak = scenario.model_copy(
        update={"threat": scenario.threat.model_copy(update={"preset": "peak"})}
    )
    setup = build_setup(
        ref, peak, nights=nights, force=force, year=year, ew_defeat=ew_defeat, industry=industry
    )
    res = simulate_campaign(setup, rng=rng, replications=replications, engine=engine)
    y = int(year if year is not None else scenario.base_year)
    production = ref.production
    lined = sorted(set(production["system"].astype(str)))
    shares, _ = line_shares(ref, lined, scenario.industry.line_share)
    whole = capacity_table(production, [y], level="mid")
    line_of = dict(zip(setup.systems, setup.missile_line or setup.systems, strict=True))
    named = missile_lines(ref)
    # Per line: the whole announced output and the part open to the allies.
    announced: dict[str, float] = {}
    open_part: dict[str, float] = {}
    names, outputs = whole["system"].astype(str), whole["interceptors"].astype(float)
    for sys_, n in zip(names, outputs, strict=True):
        if math.isfinite(n):
            line = line_of.get(sys_, named.get(sys_, sys_))
            announced[line] = announced.get(line, 0.0) + n
            open_part[line] = open_part.get(line, 0.0) + float(shares.get(sys_, 1.0)) * n
    uses: dict[str, float] = {}
    for j, s in enumerate(setup.systems):
        first = res.stockout_night_rep[:, :, j]
        first = first[first > 0]
        free = max(1, int(first.min()) - 1) if first.size else res.nights
        uses[s] = float(res.spent_night[:free, j].mean())
    line_use: dict[str, float] = {}
    for s, u in uses.items():
        line_use[line_of[s]] = line_use.get(line_of[s], 0.0) + u
    rows: list[dict[str, Any]] = []
    for row in res.by_system():
        s = str(row["system"])
        line = line_of.get(s, s)
        if line not in announced:
            continue  # no line, or no interceptor output figure for the year
        if uses[s] <= 0:
            continue
        # The line's output replaces what all of its systems fire.
        use = line_use[line]
        # One rate, one name: the campaign's own ``europe_production_per_year``
        # (the line's output open to the allies, before first loads); the whole
        # line's output on the same basis (the schedule's expansion of the line).
        europe = row.get("europe_production_per_year")
        europe = open_part[line] if europe is None else float(europe)
        expansion = europe / open_part[line] if open_part[line] > 0 else 1.0
        total = announced[line] * expansion
        share = europe / total if total > 0 else float(shares.get(s, 1.0))

        def nights_of(p: float, use: float = use) -> float | None:
            v = p / use
            return v if math.isfinite(v) else None

        rows.append(
            {
                "system": s,
                "tier": str(row["tier"]),
                "missile_line": line,
                "use_per_peak_night": uses[s],
                "line_use_per_peak_night": use,
                "production_per_year": total,
                "europe_share": share,
                "europe_production_per_year": europe,
                "nights_per_year_of_production": nights_of(total),
                "nights_per_year_of_europe_share": nights_of(europe),
            }
        )
    rows.sort(key=lambda r: r["nights_per_year_of_europe_share"] or math.inf)
    return rows
