"""Production lines: capacity per system and year from announced ramp-ups.

``production`` has one row per system and year in which a rate was announced. A rate
holds until the next announced year (announced ramp-ups are steps), and the first
announced rate also applies to earlier years. Capacity is scaled by
``capacity_multiplier`` and by ``line_share``, the share of a line's output open to the
allies in the plan: Europe's share of each line from the ``line_shares`` table (the
rest goes to the United States, Ukraine and other customers), unless the scenario
sets ``industry.line_share`` (one share for every line, or one per system).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd

__all__ = ["capacity_table", "line_shares", "missile_lines"]


def line_shares(
    ref: Any, systems: Sequence[str], scenario_share: float | Mapping[str, float] | None
) -> tuple[dict[str, float], list[dict[str, Any]]]:
    """Share of each line's output open to the plan's allies, and what was filled in.

    Parameters
    ----------
    ref : Reference
        ``line_shares`` (``system, europe_share_mid``).
    systems : sequence of str
        Systems with a production line.
    scenario_share : float, mapping or None
        ``industry.line_share``: a float for every line, ``{system: share}`` for
        some (the rest from the table), ``None`` for the table alone.

    Returns
    -------
    shares : dict
        ``{system: share}`` in (0, 1].
    imputed : list of dict
        ``table, key, column, value, reason`` for lines without a share (all of
        their output counted as open to the allies).
    """
    if isinstance(scenario_share, (int, float)):
        return dict.fromkeys(systems, float(scenario_share)), []
    given = dict(scenario_share or {})
    table = getattr(ref, "line_shares", None)
    known: dict[str, float] = {}
    if isinstance(table, pd.DataFrame) and not table.empty:
        values = pd.to_numeric(table["europe_share_mid"], errors="coerce")
        known = {
            str(s): float(v) for s, v in zip(table["system"], values, strict=True) if pd.notna(v)
        }
    out: dict[str, float] = {}
    imputed: list[dict[str, Any]] = []
    for s in systems:
        if s in given:
            out[s] = float(given[s])
        elif s in known:
            out[s] = known[s]
        else:
            out[s] = 1.0
            imputed.append(
                {
                    "table": "line_shares",
                    "key": s,
                    "column": "europe_share_mid",
                    "value": 1.0,
                    "reason": "no share of this line known: all its output counted as "
                    "open to the allies (an upper bound)",
                }
            )
    return out, imputed


def missile_lines(ref: Any) -> dict[str, str]:
    """``{system: line}`` for the systems that name an interceptor line (``systems.missile_line``).

    Systems firing the same interceptor name the same line and share its yearly output
    in the delivery schedule (:func:`gbad.industry.schedule.simulate`); a system that
    names none keeps its own line.
    """
    table = getattr(ref, "systems", None)
    if not isinstance(table, pd.DataFrame) or "missile_line" not in table.columns:
        return {}
    return {
        str(s): str(v)
        for s, v in zip(table["system"], table["missile_line"], strict=True)
        if isinstance(v, str) and v.strip()
    }


def _rates(rows: pd.DataFrame, column: str) -> np.ndarray:
    """Announced rates of one line, held forward and back (NaN: never announced)."""
    if column not in rows.columns:
        return np.full(len(rows), np.nan)
    return np.asarray(rows[column].astype(float).ffill().bfill().to_numpy(), dtype=float)


def capacity_table(
    production: pd.DataFrame,
    years: Sequence[int],
    *,
    level: Literal["low", "mid", "high"] = "mid",
    multiplier: float = 1.0,
    line_share: float | Mapping[str, float] = 1.0,
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
    multiplier : float
        Scales every line.
    line_share : float or mapping
        Share of the output open to the allies: one for every line, or per system
        (a system not named keeps all of its output).
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
        fu = _rates(g, fu_col)
        it = _rates(g, int_col)
        share = (
            float(line_share.get(str(system), 1.0))
            if isinstance(line_share, Mapping)
            else float(line_share)
        )
        scale = multiplier * share * float(extra.get(str(system), 1.0))
        for y in years:
            k = max(int(np.searchsorted(ann, y, side="right")) - 1, 0)
            f = np.inf if np.isnan(fu[k]) else fu[k] * scale
            i = np.inf if np.isnan(it[k]) else it[k] * scale
            rows.append((str(system), int(y), f, i))
    return pd.DataFrame(rows, columns=["system", "year", "fire_units", "interceptors"])
