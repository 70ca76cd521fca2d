"""The industry stage: when can industry deliver the national targets?

Orders are what :mod:`gbad.procurement` decided and the budget stage costed:
contracts already placed (``inventory`` rows ``on order``/``delivering``) queue ahead
of the new orders, placed in the base year. The yearly simulation in
:mod:`gbad.industry.schedule` then delivers them under budgets and line capacity,
each line scaled by the share of its output open to the allies
(:func:`gbad.industry.lines.line_shares`). An ally's target is met when the fire
units delivered in a tier reach its increment (target less the force left at the
horizon).

Joint procurement (the European Sky Shield Initiative model): coalition members
(``industry.coalition``, default the ESSI members in ``countries``) pool their orders
per system, with the effects of the scenario's pooling assumptions
(:mod:`gbad.industry.pooling`: common configuration and framework discount on the
price of new orders, line expansion for firm pooled demand, the pool booked ahead
of national orders); :func:`gbad.industry.essi.compute_essi` runs the same joint
schedule and splits the difference. Both modes are always run;
``industry.joint_procurement`` chooses which one is the plan's schedule. The
comparison reports cost saved, years gained and who gains (or loses: allies outside
the pool can lose slots to it).

The binding line is found by doubling each line in turn and rerunning: the line whose
doubling brings the collective target forward most is binding.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from gbad.budget.costs import system_costs
from gbad.industry.completion import (
    TIER_GAIN_COLUMNS,
    cumulative_complete,
    latest_year,
    met_year,
    tier_gains,
)
from gbad.industry.essi import pooling_assumptions
from gbad.industry.lines import capacity_table, line_shares, missile_lines
from gbad.industry.pooling import (
    booking,
    coalition_of,
    expand_capacity,
    expanded_lines,
    joint_prices,
)
from gbad.industry.schedule import Schedule, simulate

__all__ = ["IndustryResult", "compute_industry"]


@dataclass(frozen=True)
class IndustryResult:
    """Delivery schedule, target years, joint-procurement comparison, binding line.

    Attributes
    ----------
    deliveries : DataFrame
        ``year, iso3, system, tier, fire_units, interceptors, complete, spend_musd``.
    interceptor_deliveries : DataFrame
        ``system, year, iso3, interceptors`` (initial loads delivered).
    spare_interceptors : DataFrame
        ``system, year, interceptors``: line output left after initial loads.
    lines : DataFrame
        Capacity, deliveries and backlog per line and year.
    orders : DataFrame
        ``iso3, tier, system, fire_units, order_year, source``.
    countries : DataFrame
        ``iso3, increment, met_year, national_met_year, joint_met_year, years_gained,
        cost_national_musd, cost_joint_musd, cost_saved_musd, in_pool``.
    doubling : DataFrame
        ``system, met_year_if_doubled, years_earlier``.
    schedules : dict
        ``national`` and ``joint`` schedules when both were run (``what_if`` with a
        pool), for :func:`gbad.industry.essi.compute_essi`.
    tier_gains : DataFrame
        ``iso3, tier, increment, national_year, joint_year, years_gained`` per ally
        and tier when both modes were run (empty otherwise).
    binding_lines : list of str
        Lines still at capacity with orders waiting in the last year.
    binding_lines_doubled_year : int or None
        Collective target year with all ``binding_lines`` doubled together.
    """

    deliveries: pd.DataFrame
    interceptor_deliveries: pd.DataFrame
    spare_interceptors: pd.DataFrame
    lines: pd.DataFrame
    orders: pd.DataFrame
    countries: pd.DataFrame
    doubling: pd.DataFrame
    mode: str
    rule: str
    coalition: list[str]
    collective_met_year: int | None
    budget_only_year: int | None
    production_only_year: int | None
    binding_line: str | None
    last_year: int
    tier_met_year: dict[str, int | None] = field(default_factory=dict)
    tier_delivered_share: dict[str, float] = field(default_factory=dict)
    line_shares: dict[str, float] = field(default_factory=dict)
    imputed: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    schedules: dict[str, Schedule] = field(default_factory=dict, repr=False)
    tier_gains: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=TIER_GAIN_COLUMNS), repr=False
    )
    binding_lines: list[str] = field(default_factory=list)
    binding_lines_doubled_year: int | None = None

    def _gainers_losers(self) -> dict[str, Any]:
        """Allies with an increment (ally and tier) complete earlier / later when bought
        jointly, and how many increments: the ``essi`` comparison's own count."""
        g = self.tier_gains
        if len(g):
            gained = g["years_gained"].astype("Float64").fillna(0.0)
            earlier, later = g[gained > 0], g[gained < 0]
        else:  # one mode only: per ally, from ``countries``
            c = self.countries
            gained = c["years_gained"].astype("Float64").fillna(0.0)
            earlier, later = c[gained > 0], c[gained < 0]
        return {
            "gainers": sorted(set(earlier["iso3"].astype(str))),
            "losers": sorted(set(later["iso3"].astype(str))),
            "increments_earlier": len(earlier) if len(g) else None,
            "increments_later": len(later) if len(g) else None,
        }

    #: ``system, year, interceptors``: each line's output open to the allies on the
    #: basis the primary schedule ran (joint line expansion included when it
    #: applies), before first loads; ``None``: not known.
    interceptor_capacity: pd.DataFrame | None = field(default=None, repr=False)

    def to_dict(self) -> dict[str, Any]:
        """JSON-able summary (the ``gbad industry --json`` object)."""
        c = self.countries

        def _year(v: Any) -> int | None:
            return None if v is None or pd.isna(v) else int(v)

        util = (
            self.lines.assign(
                fu_capacity=self.lines["fu_capacity"].replace(np.inf, np.nan),
            )
            .groupby("system")[["fu_delivered", "fu_capacity", "fu_backlog"]]
            .agg({"fu_delivered": "sum", "fu_capacity": "sum", "fu_backlog": "max"})
        )
        return {
            "mode": self.mode,
            "allocation": self.rule,
            "coalition": list(self.coalition),
            "last_year": self.last_year,
            "delivery_year": self.collective_met_year,
            "collective_target_met_year": self.collective_met_year,
            "budget_only_year": self.budget_only_year,
            "production_only_year": self.production_only_year,
            "binding_line": self.binding_line,
            "binding_lines": list(self.binding_lines),
            "binding_lines_doubled_year": self.binding_lines_doubled_year,
            "tier_met_year": dict(self.tier_met_year),
            "tier_delivered_share_by_horizon": {
                k: round(v, 6) for k, v in self.tier_delivered_share.items()
            },
            "line_shares": {k: round(v, 4) for k, v in sorted(self.line_shares.items())},
            "doubling": [
                {
                    "system": str(r["system"]),
                    "met_year_if_doubled": _year(r["met_year_if_doubled"]),
                    "years_earlier": _year(r["years_earlier"]),
                }
                for r in self.doubling.to_dict("records")
            ],
            "joint_procurement": {
                "cost_saved_musd": round(float(c["cost_saved_musd"].sum()), 3),
                **self._gainers_losers(),
            },
            "countries": [
                {
                    "iso3": str(r["iso3"]),
                    "increment": int(r["increment"]),
                    "met_year": _year(r["met_year"]),
                    "national_met_year": _year(r["national_met_year"]),
                    "joint_met_year": _year(r["joint_met_year"]),
                    "years_gained": _year(r["years_gained"]),
                    "cost_saved_musd": round(float(r["cost_saved_musd"]), 3),
                    "in_pool": bool(r["in_pool"]),
                }
                for r in c.to_dict("records")
            ],
            "lines": [
                {
                    "system": str(s),
                    "fire_units_delivered": int(r["fu_delivered"]),
                    "max_backlog": int(r["fu_backlog"]),
                }
                for s, r in util.iterrows()
            ],
            "interceptors_delivered": {
                str(s): int(v)
                for s, v in self.interceptor_deliveries.groupby("system")["interceptors"]
                .sum()
                .items()
            },
            "warnings": list(self.warnings),
        }


def _completion_years(
    sched: Schedule, increments: pd.Series, years: list[int]
) -> tuple[dict[str, int | None], int | None]:
    """Year each ally (and the collective) has received its whole increment.

    An ally's target is met in the first year every tier has had its increment
    delivered (contracts beyond the increment do not make up for another ally's
    shortfall); the collective target in the year the last ally's is.
    """
    done = cumulative_complete(sched)
    per: dict[str, int | None] = {}
    for iso in increments.index.get_level_values(0).unique():
        inc = increments.loc[iso]
        per[str(iso)] = latest_year(
            [met_year(done, str(iso), str(t), int(n), years[0]) for t, n in inc.items()]
        )
    return per, latest_year(list(per.values())) if per else years[0]


def _delivered_share(sched: Schedule, increments: pd.Series, year: int) -> dict[str, float]:
    r"""Per tier: share of the allies' increments delivered by the end of ``year``.

    :math:`\sum_i \min(D_{it}, n_{it}) / \sum_i n_{it}`: deliveries beyond an
    ally's increment (contracts) do not make up for another ally's shortfall.
    """
    d = sched.deliveries
    got = (
        d[d["year"] <= year].groupby(["iso3", "tier"])["complete"].sum().to_dict() if len(d) else {}
    )
    num: dict[str, float] = {}
    den: dict[str, float] = {}
    index = increments.index
    pairs = zip(index.get_level_values(0), index.get_level_values(1), strict=True)
    for (iso_v, tier_v), need in zip(pairs, increments.to_numpy(), strict=True):
        iso, tier = str(iso_v), str(tier_v)
        if need <= 0:
            continue
        num[tier] = num.get(tier, 0.0) + min(float(got.get((iso, tier), 0.0)), float(need))
        den[tier] = den.get(tier, 0.0) + float(need)
    return {t: num[t] / den[t] for t in den}


def _tier_met_years(
    sched: Schedule, increments: pd.Series, years: list[int]
) -> dict[str, int | None]:
    """Year each tier's increment has been delivered to every ally."""
    done = cumulative_complete(sched)
    out: dict[str, int | None] = {}
    for tier in dict.fromkeys(increments.index.get_level_values(1)):
        part = increments.xs(tier, level=1)
        if int(part.sum()) <= 0:
            continue
        out[str(tier)] = latest_year(
            [met_year(done, str(i), str(tier), int(n), years[0]) for i, n in part.items()]
        )
    return out


def compute_industry(
    ref: Any, scenario: Any, targets: Any, budget: Any, *, what_if: bool = True
) -> IndustryResult:
    """Delivery schedule and target years, budget and production together.

    Parameters
    ----------
    ref : Reference
        ``production, systems, inventory, countries``.
    scenario : Scenario
        ``industry`` and ``budget`` sections, ``base_year``.
    targets : TargetsResult
        National targets (:func:`gbad.targets.compute_targets`).
    budget : BudgetResult
        Paths and costs (:func:`gbad.budget.compute_budget`).
    what_if : bool, default True
        Also run the comparisons: the schedule with each saturated line doubled
        (``doubling``, ``binding_line``), the buying mode not chosen (national vs
        joint: ``countries`` columns ``national_met_year``/``joint_met_year``,
        ``years_gained``) and budgets alone (``budget_only_year``). Each is one more
        schedule; sweeps that report none of them switch it off.

    Returns
    -------
    IndustryResult
    """
    ind = scenario.industry
    base = int(scenario.base_year)
    last = int(budget.paths["year"].max())
    years = list(range(base, last + 1))
    first = base + int(ind.lead_time_years)
    sc = system_costs(ref.systems, scenario.budget.cost_level)
    orders = budget.procurement.orders[
        ["iso3", "tier", "system", "fire_units", "order_year", "source"]
    ].reset_index(drop=True)
    warnings: list[str] = list(budget.procurement.warnings)
    iso3 = list(dict.fromkeys(targets.table["iso3"]))
    coalition = sorted(coalition_of(ref, scenario, iso3))
    pool = dict.fromkeys(coalition, "pool") if len(coalition) > 1 else {}
    pooling = pooling_assumptions(ref, scenario)

    ipf = {str(k): int(v) for k, v in sc["interceptors_per_fu"].items()}
    opex = {str(k): float(v) for k, v in sc["opex_musd_per_year"].items()}
    capex = {str(k): float(v) for k, v in sc["capex_musd"].items()}
    summed = pd.DataFrame(orders.groupby(["iso3", "system"], as_index=False)["fire_units"].sum())
    qty: dict[tuple[str, str], int] = {
        (str(r["iso3"]), str(r["system"])): int(r["fire_units"]) for r in summed.to_dict("records")
    }
    new_qty: dict[tuple[str, str], int] = {}
    for r in orders[orders["source"] != "contract"].to_dict("records"):
        k = (str(r["iso3"]), str(r["system"]))
        new_qty[k] = new_qty.get(k, 0) + int(r["fire_units"])
    price_nat = {k: float(capex.get(k[1], 0.0)) for k in qty}
    price_joint = joint_prices(price_nat, qty, new_qty, set(pool), pooling)
    paths = budget.paths
    cash_in = {
        (str(a), int(y)): float(v)
        for a, y, v in zip(
            paths["iso3"],
            paths["year"],
            paths["gbad_budget_musd"] - paths["baseline_opex_musd"],
            strict=True,
        )
    }
    expo = targets.exposure["exposure"].astype(float).to_dict() if len(targets.exposure) else {}
    lined = sorted(set(ref.production["system"].astype(str))) if len(ref.production) else []
    shares, imputed = line_shares(ref, lined, ind.line_share)

    def capacity(doubled: Sequence[str] = ()) -> pd.DataFrame:
        """Line capacity of the scenario, ``doubled`` lines at twice their rate."""
        return capacity_table(
            ref.production,
            years,
            level=ind.capacity_level,
            multiplier=ind.capacity_multiplier,
            line_share=shares,
            per_system_multiplier=dict.fromkeys(doubled, 2.0) if doubled else None,
        )

    cap = capacity()
    joint_mode = bool(ind.joint_procurement) and bool(pool)
    grown = expanded_lines(cap, new_qty, set(pool), base)
    groups, priority = booking(set(pool), set(iso3) | set(orders["iso3"].astype(str)), pooling)

    def run(
        joint: bool, capacity: pd.DataFrame, cash: dict[tuple[str, int], float] | None
    ) -> Schedule:
        return simulate(
            orders,
            expand_capacity(capacity, grown, pooling, base) if joint and pool else capacity,
            years,
            rule=ind.allocation,
            price_musd=price_joint if joint else price_nat,
            interceptors_per_fu=ipf,
            opex_musd=opex,
            cash_in_musd=cash,
            groups=groups if joint else None,
            exposure=expo,
            first_delivery_year=first,
            priority=priority if joint else None,
            missile_line=missile_lines(ref),
        )

    needs = budget.procurement.needs
    increments = (
        needs.set_index(["iso3", "tier"])["increment"].astype(int)
        if len(needs)
        else pd.Series(dtype=int, index=pd.MultiIndex.from_tuples([], names=["iso3", "tier"]))
    )
    # The mode not chosen (national vs joint buying) and the budget-only run are
    # comparisons; without ``what_if`` only the primary and production-only runs go.
    primary = run(joint_mode, cap, cash_in)
    met_years, coll = _completion_years(primary, increments, years)
    other: dict[str, int | None] = {}
    if what_if:
        alt = run(not joint_mode, cap, cash_in) if coalition else primary
        other, _ = _completion_years(alt, increments, years)
    nat_years, joint_years = (other, met_years) if joint_mode else (met_years, other)
    schedules: dict[str, Schedule] = {}
    if what_if and pool:
        schedules = dict(
            zip(
                ("joint", "national") if joint_mode else ("national", "joint"),
                (primary, alt),
                strict=True,
            )
        )
    budget_only = (
        _completion_years(run(joint_mode, cap.iloc[0:0], cash_in), increments, years)[1]
        if what_if
        else None
    )
    _, production_only = _completion_years(run(joint_mode, cap, None), increments, years)

    doubling_rows = []
    saturated = _saturated_lines(primary)
    for s in sorted(set(orders["system"]) & set(cap["system"]) if what_if else ()):
        if s not in saturated:  # never at capacity with a backlog: doubling changes nothing
            doubling_rows.append({"system": s, "met_year_if_doubled": coll, "years_earlier": 0})
            continue
        cap2 = capacity_table(
            ref.production,
            years,
            level=ind.capacity_level,
            multiplier=ind.capacity_multiplier,
            line_share=shares,
            per_system_multiplier={s: 2.0},
        )
        _, y2 = _completion_years(run(joint_mode, cap2, cash_in), increments, years)
        sentinel = last + 1
        earlier = (coll or sentinel) - (y2 or sentinel)
        doubling_rows.append(
            {"system": s, "met_year_if_doubled": y2, "years_earlier": earlier if y2 else None}
        )
    doubling = pd.DataFrame(
        doubling_rows, columns=["system", "met_year_if_doubled", "years_earlier"]
    )
    binding = _binding(doubling, primary)
    binding_lines = _binding_lines(primary, set(cap["system"])) if what_if else []
    doubled_year = None
    if binding_lines and binding is None:
        cap_all = capacity(binding_lines)
        _, doubled_year = _completion_years(run(joint_mode, cap_all, cash_in), increments, years)
    gains = (
        tier_gains(
            schedules["national"],
            schedules["joint"],
            [
                (str(i), str(t), int(n))
                for (i, t), n in zip(increments.index, increments.to_numpy(), strict=True)
            ],
            years,
        )
        if schedules
        else pd.DataFrame(columns=TIER_GAIN_COLUMNS)
    )

    rows = []
    for iso in iso3:
        inc = int(increments.loc[iso].sum()) if iso in increments.index.get_level_values(0) else 0
        mine = {k: q for k, q in qty.items() if k[0] == iso}
        cost_nat = float(sum(price_nat[k] * q for k, q in mine.items()))
        cost_joint = float(sum(price_joint[k] * q for k, q in mine.items()))
        ny, jy = nat_years.get(iso), joint_years.get(iso)
        gained = None if ny is None and jy is None else (ny or last + 1) - (jy or last + 1)
        rows.append(
            {
                "iso3": iso,
                "increment": inc,
                "met_year": met_years.get(iso),
                "national_met_year": ny,
                "joint_met_year": jy,
                "years_gained": gained,
                "cost_national_musd": cost_nat,
                "cost_joint_musd": cost_joint,
                "cost_saved_musd": cost_nat - cost_joint,
                "in_pool": iso in pool,
            }
        )
    countries = pd.DataFrame(rows)
    for col in ("met_year", "national_met_year", "joint_met_year", "years_gained"):
        countries[col] = countries[col].astype("Int64")

    d = primary.deliveries
    tier_met = _tier_met_years(primary, increments, years)
    share_by_horizon = _delivered_share(primary, increments, int(scenario.horizon_year))
    intercept = (
        d.loc[d["interceptors"] > 0, ["system", "year", "iso3", "interceptors"]]
        .sort_values(["system", "year", "iso3"])
        .reset_index(drop=True)
    )
    lines = primary.lines
    finite = lines[np.isfinite(lines["int_capacity"].astype(float))]
    spare = pd.DataFrame(
        {
            "system": finite["system"],
            "year": finite["year"],
            "interceptors": (finite["int_capacity"] - finite["int_delivered"]).clip(lower=0),
        }
    ).reset_index(drop=True)
    unlined = sorted(set(orders["system"]) - set(cap["system"]))
    if unlined:
        warnings.append("no production line modelled (not capacity-limited): " + ", ".join(unlined))
    return IndustryResult(
        deliveries=d,
        interceptor_deliveries=intercept,
        spare_interceptors=spare,
        lines=lines,
        orders=orders,
        countries=countries,
        doubling=doubling,
        mode="joint" if joint_mode else "national",
        rule=str(ind.allocation),
        coalition=coalition,
        collective_met_year=coll,
        budget_only_year=budget_only,
        production_only_year=production_only,
        binding_line=binding,
        last_year=last,
        tier_met_year=tier_met,
        tier_delivered_share=share_by_horizon,
        line_shares=shares,
        imputed=imputed,
        warnings=warnings,
        schedules=schedules,
        tier_gains=gains,
        binding_lines=binding_lines,
        binding_lines_doubled_year=doubled_year,
        interceptor_capacity=(
            expand_capacity(cap, grown, pooling, base) if joint_mode and pool else cap
        )[["system", "year", "interceptors"]].reset_index(drop=True),
    )


def _binding_lines(sched: Schedule, lined: set[str]) -> list[str]:
    """Lines at capacity with orders waiting in the last year (fire units or loads)."""
    ln = sched.lines
    last = ln[(ln["year"] == ln["year"].max()) & ln["system"].astype(str).isin(lined)]
    fu_full = (last["fu_delivered"] >= np.floor(last["fu_capacity"].astype(float) + 1e-9)) & (
        last["fu_backlog"] > 0
    )
    int_full = (last["int_delivered"] >= np.floor(last["int_capacity"].astype(float) + 1e-9)) & (
        last["int_backlog"] > 0
    )
    return sorted(set(last.loc[fu_full | int_full, "system"].astype(str)))


def _saturated_lines(sched: Schedule) -> set[str]:
    """Lines that ran at capacity while orders were waiting, in some year."""
    ln = sched.lines
    fu_full = (ln["fu_delivered"] >= np.floor(ln["fu_capacity"].astype(float) + 1e-9)) & (
        ln["fu_backlog"] > 0
    )
    int_full = (ln["int_delivered"] >= np.floor(ln["int_capacity"].astype(float) + 1e-9)) & (
        ln["int_backlog"] > 0
    )
    return set(ln.loc[fu_full | int_full, "system"].astype(str))


def _binding(doubling: pd.DataFrame, sched: Schedule) -> str | None:
    """The line whose doubling gains most; ties broken by the longest backlog."""
    if not len(doubling):
        return None
    backlog = sched.lines.groupby("system")["fu_backlog"].sum()
    best = doubling.assign(
        gain=doubling["years_earlier"].astype("Float64").fillna(0.0),
        backlog=doubling["system"].map(backlog).fillna(0),
    ).sort_values(["gain", "backlog"], ascending=False)
    top = best.iloc[0]
    if float(top["gain"]) <= 0:
        return None
    return str(top["system"])
