r"""The budget stage: what each ally can spend on GBAD, and when its target is funded.

For ally :math:`i` and year :math:`y` (constant base-year prices, million USD):

.. math::

    B_{iy} = 1000\, Y^{real}_{iy}\; \frac{s^{core}_{iy}}{100}\; \frac{\gamma}{100},
    \qquad N_i(Y) = \sum_{y=y_b}^{Y} \left(B_{iy} - O^{base}_i\right),

with :math:`Y^{real}` GDP [USD bn] (:mod:`gbad.budget.paths`), :math:`s^{core}` the
core-defence share of GDP [%] on its path to the pledge, :math:`\gamma` the GBAD share
of core defence spending [%] (``budget.gbad_share_of_core_pct``) and
:math:`O^{base}_i` the yearly operating cost of the in-service fleet. The national
target's acquisition cost is

.. math::

    C_i = \sum_t (x_{it} - b_{it})\,
          \left(c^{FU}_{s(i,t)} + n^{int}_{s(i,t)} c^{int}_{s(i,t)}\right),

the fire units each ally buys (:mod:`gbad.procurement`: contracts and new orders,
one system or several per tier) with their initial interceptor load, at the costs of
:mod:`gbad.budget.costs`; ``lines`` lists them per ally, tier and system. The target
is *funded* in the first year
:math:`Y` with :math:`N_i(Y) \ge C_i`; the *gap* is :math:`\max(0, C_i - N_i(H))` at
the horizon :math:`H`. Whether the ally can then run its whole fleet is reported as
``opex_sustainable``: :math:`B_{iH} \ge O^{target}_i`.

The GBAD share :math:`\gamma` has no published European average; its default (6%) is an
assumption (low 3%, high 10%) explained in ``docs/budget.md``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from gbad.budget.costs import system_costs
from gbad.budget.paths import gdp_path, share_path
from gbad.targets.optimise import least_cost_targets

__all__ = ["GBAD_SHARE_ASSUMPTION", "BudgetResult", "compute_budget"]

#: The GBAD share of core defence spending [%]: an assumption, not a sourced figure.
GBAD_SHARE_ASSUMPTION: dict[str, float] = {"low": 3.0, "mid": 6.0, "high": 10.0}
#: Reference year of ``countries.gdp_usd_bn_*``.
GDP_REF_YEAR = 2024


@dataclass(frozen=True)
class BudgetResult:
    """Budgets, costs and funding years.

    Attributes
    ----------
    paths : DataFrame
        ``iso3, year, gdp_nominal_usd_bn, gdp_real_usd_bn, core_pct_gdp,
        related_pct_gdp, core_musd, gbad_budget_musd, baseline_opex_musd,
        cumulative_net_musd`` (money in constant base-year prices except nominal GDP).
    costs : DataFrame
        ``iso3, tier, system, has_line, baseline, target, new_units, capex_musd,
        opex_target_musd_per_year`` per ally and tier (``system``: the system of the
        new units; ``new_units``: every fire unit bought, contracts included).
    lines : DataFrame
        ``iso3, tier, system, units, capex_musd, opex_musd_per_year``: what is
        bought per ally, tier and system (the plan's ``budget.lines``).
    procurement : ProcurementResult
        The procurement decision the costs are of (industry schedules the same).
    countries : DataFrame
        ``iso3, capex_musd, baseline_opex_musd_per_year, target_opex_musd_per_year,
        budget_to_horizon_musd, funded_year, funded_by_horizon, gap_musd,
        opex_sustainable``.
    least_cost : DataFrame
        ``iso3, tier, fair_target, least_cost_target`` from :func:`least_cost_targets`.
    """

    paths: pd.DataFrame
    costs: pd.DataFrame
    countries: pd.DataFrame
    least_cost: pd.DataFrame
    lines: pd.DataFrame
    procurement: Any
    base_year: int
    horizon_year: int
    gbad_share_of_core_pct: float
    least_cost_summary: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    @property
    def total_cost_musd(self) -> float:
        """Acquisition cost of every national target [MUSD]."""
        return float(self.countries["capex_musd"].sum())

    @property
    def funding_year(self) -> int | None:
        """Year the last ally's target is funded (None if some ally is not by the horizon)."""
        if not bool(self.countries["funded_by_horizon"].all()):
            return None
        return int(self.countries["funded_year"].max()) if len(self.countries) else None

    def to_dict(self) -> dict[str, Any]:
        """JSON-able summary (the ``gbad budget --json`` object)."""
        years = self.paths.groupby("year")[["gbad_budget_musd", "core_musd"]].sum()
        return {
            "base_year": self.base_year,
            "horizon_year": self.horizon_year,
            "gbad_share_of_core_pct": self.gbad_share_of_core_pct,
            "gbad_share_assumption": dict(GBAD_SHARE_ASSUMPTION),
            "total_cost_musd": round(self.total_cost_musd, 3),
            "total_opex_at_target_musd_per_year": round(
                float(self.countries["target_opex_musd_per_year"].sum()), 3
            ),
            "funding_year": self.funding_year,
            "unfunded_countries": sorted(
                self.countries.loc[~self.countries["funded_by_horizon"], "iso3"].astype(str)
            ),
            "total_gap_musd": round(float(self.countries["gap_musd"].sum()), 3),
            "countries": [
                {
                    "iso3": str(r["iso3"]),
                    "capex_musd": round(float(r["capex_musd"]), 3),
                    "budget_to_horizon_musd": round(float(r["budget_to_horizon_musd"]), 3),
                    "funded_year": None if pd.isna(r["funded_year"]) else int(r["funded_year"]),
                    "funded_by_horizon": bool(r["funded_by_horizon"]),
                    "gap_musd": round(float(r["gap_musd"]), 3),
                    "opex_sustainable": bool(r["opex_sustainable"]),
                }
                for r in self.countries.to_dict("records")
            ],
            "collective_by_year": [
                {
                    "year": int(r["year"]),
                    "gbad_budget_musd": round(float(r["gbad_budget_musd"]), 3),
                    "core_musd": round(float(r["core_musd"]), 3),
                }
                for r in years.reset_index().to_dict("records")
            ],
            "lines": [
                {
                    "iso3": str(r["iso3"]),
                    "tier": str(r["tier"]),
                    "system": str(r["system"]),
                    "units": int(r["units"]),
                    "capex_musd": round(float(r["capex_musd"]), 3),
                }
                for r in self.lines.to_dict("records")
            ],
            "least_cost": self.least_cost_summary,
            "warnings": list(self.warnings),
        }


def _base_share(row: pd.Series) -> float:
    for col in ("defence_pct_gdp_2025", "defence_pct_gdp_2024"):
        if col in row and pd.notna(row[col]):
            return float(row[col])
    return 2.0


def _baseline_opex(ref: Any, iso3: list[str], costs: pd.DataFrame) -> pd.Series:
    inv = ref.inventory[
        (ref.inventory["status"].astype(str).str.lower() == "in service")
        & ref.inventory["iso3"].isin(iso3)
    ]
    opex = inv["system"].map(costs["opex_musd_per_year"]).fillna(0.0)
    per = (inv["fire_units_mid"].astype(float).fillna(0.0) * opex).groupby(inv["iso3"]).sum()
    return per.reindex(iso3, fill_value=0.0).astype(float)


def compute_budget(
    ref: Any,
    scenario: Any,
    targets: Any,
    procurement: Any = None,
    *,
    least_cost: bool = True,
) -> BudgetResult:
    """Budget paths, target costs and funding years.

    Parameters
    ----------
    ref : Reference
        ``countries, inventory, systems, production`` are used.
    scenario : Scenario
        ``budget`` section, ``base_year``, ``horizon_year``.
    targets : TargetsResult
        National targets per tier (:func:`gbad.targets.compute_targets`).
    procurement : ProcurementResult, optional
        What each ally buys (:func:`gbad.procurement.decide_procurement`); decided
        from ``ref``, ``scenario`` and ``targets`` when not given.
    least_cost : bool, default True
        Also solve the least-cost MILP for comparison with the fair-share targets
        (the slow part; sweeps that do not report it switch it off).

    Returns
    -------
    BudgetResult
    """
    bs = scenario.budget
    base, horizon = int(scenario.base_year), int(scenario.horizon_year)
    last = max(int(bs.extend_to_year), horizon)
    years = np.arange(base, last + 1)
    table = targets.table
    iso3 = list(dict.fromkeys(table["iso3"]))
    sc = system_costs(ref.systems, bs.cost_level)
    if procurement is None:
        from gbad.procurement import decide_procurement

        procurement = decide_procurement(ref, scenario, targets)
    countries = ref.countries.set_index("iso3")
    warnings: list[str] = []

    rows = []
    for iso in iso3:
        c = countries.loc[iso]
        gdp_ref = float(c["gdp_usd_bn_mid"])
        nominal = gdp_path(
            gdp_ref,
            GDP_REF_YEAR,
            years,
            real_growth_pct=bs.real_growth_pct,
            inflation_pct=bs.inflation_pct,
        )
        real = gdp_path(
            gdp_ref,
            GDP_REF_YEAR,
            years,
            real_growth_pct=bs.real_growth_pct,
            inflation_pct=bs.inflation_pct,
            base_year=base,
            real=True,
        )
        user = bs.user_path.get(iso) or bs.user_path.get("*")
        core = share_path(
            _base_share(c),
            bs.core_target_pct_gdp,
            base,
            horizon,
            years,
            shape=bs.path,
            user_points=user,
        )
        related = share_path(0.0, bs.related_target_pct_gdp, base, horizon, years, shape=bs.path)
        for k, y in enumerate(years):
            rows.append((iso, int(y), nominal[k], real[k], core[k], related[k]))
    paths = pd.DataFrame(
        rows,
        columns=[
            "iso3",
            "year",
            "gdp_nominal_usd_bn",
            "gdp_real_usd_bn",
            "core_pct_gdp",
            "related_pct_gdp",
        ],
    )
    paths["core_musd"] = paths["gdp_real_usd_bn"] * paths["core_pct_gdp"] * 10.0
    paths["gbad_budget_musd"] = paths["core_musd"] * bs.gbad_share_of_core_pct / 100.0
    base_opex = _baseline_opex(ref, iso3, sc)
    paths["baseline_opex_musd"] = paths["iso3"].map(base_opex).astype(float)
    paths["cumulative_net_musd"] = (
        (paths["gbad_budget_musd"] - paths["baseline_opex_musd"]).groupby(paths["iso3"]).cumsum()
    )

    lines = _lines(procurement.orders, sc, warnings)
    with_line = set(ref.production["system"].astype(str)) if len(ref.production) else set()
    costs = table[["iso3", "tier", "baseline", "target"]].copy()
    costs["system"] = [
        procurement.system_of(str(i), str(t))
        for i, t in zip(costs["iso3"], costs["tier"], strict=True)
    ]
    costs["has_line"] = costs["system"].isin(with_line)
    per_tier = lines.groupby(["iso3", "tier"])[["units", "capex_musd", "opex_musd_per_year"]].sum()
    keys = pd.MultiIndex.from_frame(costs[["iso3", "tier"]])
    per_tier = per_tier.reindex(keys, fill_value=0)
    costs["new_units"] = per_tier["units"].to_numpy(dtype=np.int64)
    costs["capex_musd"] = per_tier["capex_musd"].to_numpy(dtype=float)
    costs["opex_target_musd_per_year"] = per_tier["opex_musd_per_year"].to_numpy(dtype=float)
    costs = costs[
        [
            "iso3",
            "tier",
            "system",
            "has_line",
            "baseline",
            "target",
            "new_units",
            "capex_musd",
            "opex_target_musd_per_year",
        ]
    ]

    per = costs.groupby("iso3", sort=False)[["capex_musd", "opex_target_musd_per_year"]].sum()
    out = []
    for iso in iso3:
        p = paths[paths["iso3"] == iso].set_index("year")
        capex = float(per.at[iso, "capex_musd"])
        cum = p["cumulative_net_musd"]
        hit = cum[cum >= capex - 1e-9]
        funded = int(hit.index[0]) if len(hit) else None
        at_h = float(cum.loc[horizon])
        target_opex = float(base_opex[iso] + per.at[iso, "opex_target_musd_per_year"])
        out.append(
            {
                "iso3": iso,
                "capex_musd": capex,
                "baseline_opex_musd_per_year": float(base_opex[iso]),
                "target_opex_musd_per_year": target_opex,
                "budget_to_horizon_musd": at_h,
                "funded_year": funded,
                "funded_by_horizon": funded is not None and funded <= horizon,
                "gap_musd": max(0.0, capex - at_h),
                "opex_sustainable": bool(p.at[horizon, "gbad_budget_musd"] >= target_opex),
            }
        )
    country_frame = pd.DataFrame(out)
    country_frame["funded_year"] = country_frame["funded_year"].astype("Int64")

    if least_cost:
        least, summary = _least_cost(targets, costs, sc, country_frame, horizon - base)
    else:
        least = pd.DataFrame(columns=["iso3", "tier", "fair_target", "least_cost_target"])
        summary = {"skipped": True}
    return BudgetResult(
        paths=paths,
        costs=costs.reset_index(drop=True),
        countries=country_frame,
        least_cost=least,
        lines=lines,
        procurement=procurement,
        base_year=base,
        horizon_year=horizon,
        gbad_share_of_core_pct=float(bs.gbad_share_of_core_pct),
        least_cost_summary=summary,
        warnings=warnings,
    )


def _lines(orders: pd.DataFrame, sc: pd.DataFrame, warnings: list[str]) -> pd.DataFrame:
    """What is bought per ally, tier and system, at unit capex and opex."""
    cols = ["iso3", "tier", "system", "units", "capex_musd", "opex_musd_per_year"]
    if orders.empty:
        return pd.DataFrame(columns=cols)
    g = pd.DataFrame(
        orders.groupby(["iso3", "tier", "system"], as_index=False, sort=True)["fire_units"].sum()
    ).rename(columns={"fire_units": "units"})
    unit_capex = g["system"].map(sc["capex_musd"]).astype(float)
    unit_opex = g["system"].map(sc["opex_musd_per_year"]).astype(float)
    for r in g[unit_capex.isna()].to_dict("records"):
        warnings.append(f"{r['iso3']} {r['tier']}: {r['system']} has no cost; priced at 0")
    g["capex_musd"] = g["units"] * unit_capex.fillna(0.0)
    g["opex_musd_per_year"] = g["units"] * unit_opex.fillna(0.0)
    g["units"] = g["units"].astype(np.int64)
    return g[cols]


def _least_cost(
    targets: Any, costs: pd.DataFrame, sc: pd.DataFrame, countries: pd.DataFrame, years: int
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Least-cost allocation of the same collective targets under the same budgets."""
    iso3 = list(countries["iso3"])
    tiers = list(targets.tiers["tier"])
    piv = costs.set_index(["iso3", "tier"])
    life = piv["system"].map(sc["capex_musd"]).astype(float).fillna(0.0) + years * piv[
        "system"
    ].map(sc["opex_musd_per_year"]).astype(float).fillna(0.0)
    cost = np.array([[float(life.get((i, t), 0.0)) for t in tiers] for i in iso3])
    b_map = piv["baseline"].to_dict()
    f_map = piv["target"].to_dict()
    base = np.array([[int(b_map[(i, t)]) for t in tiers] for i in iso3])
    fair = np.array([[int(f_map[(i, t)]) for t in tiers] for i in iso3])
    coll = targets.tiers.set_index("tier").loc[tiers, "collective_target"].to_numpy()
    budget = np.clip(countries["budget_to_horizon_musd"].to_numpy(dtype=float), 0.0, None)
    res = least_cost_targets(cost, base, coll, budget)
    rows = [
        {
            "iso3": i,
            "tier": t,
            "fair_target": int(fair[a, b]),
            "least_cost_target": int(res.targets[a, b]),
        }
        for a, i in enumerate(iso3)
        for b, t in enumerate(tiers)
    ]
    fair_cost = float((cost * (fair - base)).sum())
    summary = {
        "life_cycle_cost_fair_musd": round(fair_cost, 3),
        "life_cycle_cost_least_musd": round(res.cost_musd, 3),
        "saving_musd": round(fair_cost - res.cost_musd, 3) if not res.shortfall.any() else None,
        "shortfall_by_tier": {
            t: max(0.0, round(float(s), 6)) for t, s in zip(tiers, res.shortfall, strict=True)
        },
        "optimal": res.optimal,
        "solve_seconds": round(res.solve_seconds, 4),
    }
    return pd.DataFrame(rows), summary
