r"""The force stage: the order of battle per ally, system and year.

For ally :math:`i`, system :math:`s` and year :math:`y` (end of the year):

.. math::

    F_{isy} = B_{is}\,[\,y < Y^{ret}_{is}\,] + \sum_{y' \le y} D_{isy'},
    \qquad R_{isy} = \rho_s\, F_{isy},

with :math:`B` the base year's in-service fire units (:mod:`gbad.force.retire`),
:math:`D` the complete fire units the industry schedule delivers (contracts and
new orders of :mod:`gbad.procurement`), and :math:`\rho_s` the system's
readiness, the share of in-service fire units available to fight (``readiness``
table; level ``force.readiness_level``). Each in-service fire unit holds its
magazine load :math:`L_s` (launchers × missiles). Today's fire units also have
their depot, ``campaign.stockpile_loads`` more loads (scaled by
``campaign.stockpile_multiplier``); a new fire unit comes with the first load it was
bought and delivered with, and nothing more (further missiles are the line output
left after first loads, which refills the stocks during the campaign):

.. math::

    I_{isy} = (F_{isy} - N_{isy})\, L_s \,(1 + \ell\, m) + N_{isy} L_s,

with :math:`N_{isy}` the new fire units delivered by then.

Coverage uses every in-service fire unit (the positions exist); the campaign
engages with the ready ones, :math:`\operatorname{round}(R_{isy})`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from gbad.force.retire import in_service_at
from gbad.scenario.sections import OUTER_TIERS

__all__ = [
    "FORCE_COLUMNS",
    "ForceResult",
    "build_force",
    "force_of_year",
    "milestone_years",
    "stock_per_fu",
]

FORCE_COLUMNS = [
    "year",
    "iso3",
    "tier",
    "system",
    "fire_units",
    "fire_units_ready",
    "readiness",
    "interceptors",
    "delivered",
    "retired",
]


def milestone_years(base_year: int, horizon_year: int, years: Sequence[int] | None) -> list[int]:
    """The milestone years: the scenario's, else base, two years between, horizon.

    >>> milestone_years(2025, 2035, None)
    [2025, 2028, 2032, 2035]
    """
    if years:
        return sorted({int(y) for y in years})
    span = horizon_year - base_year
    inner = [base_year + round(span * k / 3) for k in (1, 2)]
    return sorted({base_year, *inner, horizon_year})


def stock_per_fu(load: float, stockpile_loads: float, multiplier: float) -> float:
    """Interceptors held per in-service fire unit: its load plus the depot's loads."""
    return float(load) * (1.0 + float(stockpile_loads) * float(multiplier))


@dataclass(frozen=True)
class ForceResult:
    """The order of battle by year.

    Attributes
    ----------
    table : DataFrame
        :data:`FORCE_COLUMNS`, one row per milestone year, ally and system with
        fire units: ``fire_units`` in service at the end of the year,
        ``fire_units_ready`` of them available (× ``readiness``), ``interceptors``
        held (loads and depot), ``delivered`` (cumulative new fire units) and
        ``retired`` (base-year units gone by then).
    years : list of int
        The milestone years.
    imputed : list of dict
        Values filled in because the data lack them (``table, key, column, value,
        reason``).
    """

    table: pd.DataFrame
    years: list[int]
    readiness_level: str
    imputed: list[dict[str, Any]] = field(default_factory=list)

    def of_year(self, year: int) -> pd.DataFrame:
        """The force rows of one milestone year."""
        if year not in self.years:
            raise KeyError(f"{year} is not a milestone year ({self.years})")
        return self.table[self.table["year"] == year].reset_index(drop=True)

    def long_medium_fire_units(self, year: int) -> int:
        """Long- and medium-range fire units in service at the end of ``year``."""
        rows = self.of_year(year)
        return int(rows.loc[rows["tier"].isin(OUTER_TIERS), "fire_units"].sum())

    def to_records(self) -> list[dict[str, Any]]:
        """The contract's ``force`` list (plus readiness and bookkeeping columns)."""
        out = []
        for r in self.table.to_dict("records"):
            out.append(
                {
                    "year": int(r["year"]),
                    "iso3": str(r["iso3"]),
                    "tier": str(r["tier"]),
                    "system": str(r["system"]),
                    "fire_units": int(r["fire_units"]),
                    "fire_units_ready": round(float(r["fire_units_ready"]), 3),
                    "readiness": round(float(r["readiness"]), 4),
                    "interceptors": int(r["interceptors"]),
                    "delivered": int(r["delivered"]),
                    "retired": int(r["retired"]),
                }
            )
        return out


def _readiness(ref: Any, systems: Sequence[str], level: str) -> tuple[dict[str, float], list[Any]]:
    table = getattr(ref, "readiness", None)
    known: dict[str, float] = {}
    if isinstance(table, pd.DataFrame) and not table.empty:
        values = pd.to_numeric(table[f"readiness_{level}"], errors="coerce")
        known = {
            str(s): float(v) for s, v in zip(table["system"], values, strict=True) if pd.notna(v)
        }
    imputed = []
    for s in systems:
        if s not in known:
            known[s] = 1.0
            imputed.append(
                {
                    "table": "readiness",
                    "key": s,
                    "column": f"readiness_{level}",
                    "value": 1.0,
                    "reason": "no readiness figure for this system: every in-service "
                    "fire unit counted as ready",
                }
            )
    return known, imputed


def force_of_year(
    ref: Any,
    scenario: Any,
    allies: Sequence[str],
    year: int,
    delivered: pd.Series | None = None,
) -> tuple[pd.DataFrame, list[dict[str, Any]]]:
    """The order of battle at the end of ``year`` (:data:`FORCE_COLUMNS`).

    Parameters
    ----------
    ref : Reference
        ``inventory``, ``systems``, ``retirements`` and ``readiness``.
    scenario : Scenario
        ``force`` (readiness and retirement levels), ``base_year`` and ``campaign``
        (depot loads).
    allies : sequence of str
        iso3 codes.
    year : int
        The year.
    delivered : Series, optional
        New fire units delivered by the end of ``year``, indexed by
        ``(iso3, system)`` (none when omitted: today's force less retirements).

    Returns
    -------
    table : DataFrame
    imputed : list of dict
        Readiness values filled in (``table, key, column, value, reason``).
    """
    from gbad.budget.costs import interceptors_per_fu

    level = str(scenario.force.readiness_level)
    retire_level = str(scenario.force.retirement_level)
    was = in_service_at(ref, allies, int(scenario.base_year) - 1, level=retire_level)
    alive = in_service_at(ref, allies, year, level=retire_level)
    kept = alive.set_index(["iso3", "system"])["fire_units"]
    was_n = was.set_index(["iso3", "system"])["fire_units"]
    got = delivered if delivered is not None else pd.Series(dtype=float)
    tiers = ref.systems.set_index("system")["tier"].astype(str)
    rows = []
    for iso, system in sorted(set(was_n.index) | set(got.index)):
        base_units = float(was_n.get((iso, system), 0.0))
        kept_units = float(kept.get((iso, system), 0.0))
        new = float(got.get((iso, system), 0.0))
        rows.append(
            (
                int(year),
                iso,
                str(tiers.get(system, "")),
                system,
                kept_units + new,
                new,
                base_units - kept_units,
            )
        )
    table = pd.DataFrame(
        rows, columns=["year", "iso3", "tier", "system", "fire_units", "delivered", "retired"]
    )
    ready, imputed = _readiness(ref, sorted(set(table["system"])), level)
    table["fire_units"] = np.rint(table["fire_units"].astype(float)).astype(np.int64)
    table["readiness"] = table["system"].map(ready).astype(float)
    table["fire_units_ready"] = table["fire_units"] * table["readiness"]
    load = table["system"].map(interceptors_per_fu(ref.systems)).fillna(0).astype(float)
    camp = scenario.campaign
    per_fu = [stock_per_fu(x, camp.stockpile_loads, camp.stockpile_multiplier) for x in load]
    todays = table["fire_units"] - table["delivered"]
    table["interceptors"] = np.floor(
        todays * np.asarray(per_fu) + table["delivered"] * load + 1e-9
    ).astype(np.int64)
    table["delivered"] = np.rint(table["delivered"].astype(float)).astype(np.int64)
    table["retired"] = np.rint(table["retired"].astype(float)).astype(np.int64)
    table = table[(table["fire_units"] > 0) | (table["retired"] > 0)]
    return table[FORCE_COLUMNS].reset_index(drop=True), imputed


def build_force(
    ref: Any,
    scenario: Any,
    procurement: Any,
    industry: Any,
    years: Sequence[int],
) -> ForceResult:
    """The order of battle of every milestone year (method in the module docstring).

    Parameters
    ----------
    ref : Reference
        ``inventory``, ``systems``, ``retirements`` and ``readiness``.
    scenario : Scenario
        ``force`` (readiness and retirement levels) and ``campaign`` (depot loads).
    procurement : ProcurementResult
        The allies of the plan are those it decided for.
    industry : IndustryResult
        ``deliveries`` (``year, iso3, system, tier, complete``) of the schedule.
    years : sequence of int
        Milestone years (:func:`milestone_years`).

    Returns
    -------
    ForceResult
    """
    allies = list(dict.fromkeys(str(a) for a in procurement.needs["iso3"]))
    deliveries = industry.deliveries
    frames = []
    imputed: dict[str, dict[str, Any]] = {}
    for year in years:
        d = deliveries[deliveries["year"] <= year]
        got = d.groupby(["iso3", "system"])["complete"].sum() if len(d) else None
        table, filled = force_of_year(ref, scenario, allies, int(year), got)
        frames.append(table)
        imputed.update({str(r["key"]): r for r in filled})
    table = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=FORCE_COLUMNS)
    table = table.sort_values(["year", "iso3", "tier", "system"]).reset_index(drop=True)
    return ForceResult(
        table=table,
        years=list(years),
        readiness_level=str(scenario.force.readiness_level),
        imputed=list(imputed.values()),
    )
