"""Interim headline outputs computed straight from the reference tables.

Used by :func:`gbad.sweep.fastpath.fast_path` only while the stage packages
(``gbad.targets``, ``gbad.budget``, ``gbad.industry``, ``gbad.campaign``) are
not part of this gbad. It is deliberately crude: a proportional x-fold target
per tier, a linear spending path, and summed production lines.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

__all__ = ["interim_fast_path"]


def _first_year(years: np.ndarray, cumulative: np.ndarray, need: float) -> float:
    hit = np.nonzero(cumulative >= need)[0]
    return float(years[hit[0]]) if hit.size else float("nan")


def interim_fast_path(scenario: Any, ref: Any, rng: np.random.Generator) -> dict[str, float]:
    """Targets' cost, funding year and delivery year from the reference tables."""
    del rng  # deterministic
    systems: pd.DataFrame = ref.systems.set_index("system")
    countries: pd.DataFrame = ref.countries
    if scenario.countries is not None:
        countries = countries[countries["iso3"].isin(scenario.countries)]
    elif "european" in countries.columns:
        countries = countries[countries["european"].astype(bool)]
    inv: pd.DataFrame = ref.inventory
    inv = inv[inv["iso3"].isin(countries["iso3"]) & (inv["status"] == "in service")]
    if not scenario.target.include_legacy and "legacy" in systems.columns:
        inv = inv[~inv["system"].map(systems["legacy"]).fillna(False).astype(bool)]
    baseline = inv.groupby("tier")["fire_units_mid"].sum()

    magazine = systems["launchers_per_fu"] * systems["missiles_per_launcher"]
    unit_cost = systems["fire_unit_cost_musd_mid"] + magazine * systems["interceptor_cost_musd_mid"]
    buyable = systems[systems["in_production"].astype(bool)]
    cost = 0.0
    need: dict[str, float] = {}
    for tier, base in baseline.items():
        factor = scenario.target.tiers.get(tier, scenario.target.factor)
        need[str(tier)] = max(0.0, (factor - 1.0) * float(base))
        tier_cost = unit_cost[buyable.index][buyable["tier"] == tier]
        cost += need[str(tier)] * float(tier_cost.mean() if len(tier_cost) else 0.0)

    years = np.arange(scenario.base_year, scenario.horizon_year + 1)
    t = (years - scenario.base_year) / (scenario.horizon_year - scenario.base_year)
    gdp = countries["gdp_usd_bn_mid"].to_numpy(float)
    pct_now = countries["defence_pct_gdp_2025"].to_numpy(float)
    pct = pct_now[None, :] + t[:, None] * (scenario.budget.core_target_pct_gdp - pct_now[None, :])
    growth = (1 + scenario.budget.real_growth_pct / 100) ** (years - 2024)
    spend_musd = (gdp[None, :] * 1000 * pct / 100).sum(axis=1) * growth
    gbad_musd = spend_musd * scenario.budget.gbad_share_of_core_pct / 100
    funding_year = _first_year(years, np.cumsum(gbad_musd), cost)

    prod: pd.DataFrame = ref.production.copy()
    prod["tier"] = prod["system"].map(systems["tier"])
    delivery = []
    for tier, units in need.items():
        rate = prod[prod["tier"] == tier].groupby("year")["fire_units_per_year_mid"].sum()
        per_year = rate.reindex(years).ffill().fillna(0.0).to_numpy()
        per_year = per_year * scenario.industry.capacity_multiplier
        delivery.append(_first_year(years, np.cumsum(per_year), units))
    delivery_year = float(np.max(delivery)) if delivery else float(scenario.base_year)
    return {
        "targets_cost_musd": cost,
        "funding_year": funding_year,
        "delivery_year": delivery_year,
        **{f"gbad_budget_musd@{y}": float(v) for y, v in zip(years, gbad_musd, strict=True)},
    }
