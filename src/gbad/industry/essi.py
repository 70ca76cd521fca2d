"""Joint against national buying: money, time and war (the European Sky Shield Initiative).

:func:`compute_essi` runs the plan's orders twice through the delivery
simulation (:func:`gbad.industry.schedule.simulate`): once bought nationally,
once by the coalition (``industry.coalition``, default the ESSI members who had
joined by the base year) under the pooling assumptions of
:mod:`gbad.industry.pooling`. With every pooling effect at zero the two runs have
identical inputs, so identical deliveries and cost.

* **Money.** On the budget's basis: everything each ally buys, signed contracts
  and new orders, each fire unit with its first interceptor load
  (``capex_musd``, the budget's ``capex_musd`` and the plan's
  ``total_cost_musd``). Contracts keep their price either way. Each new fire
  unit costs its base-year price times the learning factor of its line in its
  delivery year (:func:`line_learning_factors`, the whole line's cumulative
  output, one anchor for both runs); pool members pay
  ``(1 - common_config)(1 - framework_discount)`` of it and share one fixed
  programme cost per system new to them, instead of one each. The difference
  joint − national splits exactly into learning through timing, common
  configuration, framework discount and fixed programme cost.
* **Time.** Pooled firm multi-year demand (the pool's new orders of a line above
  one year of its open output) expands the line by ``line_expansion_pct`` from
  ``line_expansion_lag_years`` after the order; with ``pooled_slot_priority`` the
  pool is one claimant booked ahead of national orders. Delivery years per ally
  and tier, and each ally's long- and medium-range trajectory, in both runs; the
  collective target year with each effect on its own.
* **War.** The horizon force's campaign with and without stock sharing among the
  members (:mod:`gbad.campaign.sharing`). Without sharing it is the campaign the
  plan's horizon milestone fights (same force, sites, engine, replications and
  seeds: the same missile leak share); sharing, then cross-border defence, are
  the variations on top, on the same random numbers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from gbad.budget.costs import system_costs
from gbad.industry.completion import cumulative_complete, latest_year, met_year, tier_gains
from gbad.industry.essi_war import campaign_pair
from gbad.industry.lines import capacity_table, line_shares, missile_lines
from gbad.industry.pooling import (
    POOLING_EFFECTS,
    PoolingAssumptions,
    booking,
    coalition_of,
    expand_capacity,
    expanded_lines,
    joint_prices,
    line_anchors,
    line_learning_factors,
)
from gbad.industry.schedule import Schedule, simulate

__all__ = ["EssiResult", "compute_essi", "pooling_assumptions"]

COST_PARTS: tuple[str, ...] = (
    "learning_timing_musd",
    "common_config_musd",
    "framework_discount_musd",
    "national_fixed_cost_musd",
)


@dataclass(frozen=True)
class EssiResult:
    """Joint against national buying.

    Attributes
    ----------
    coalition : list of str
        Pool members among the plan's allies (fewer than two: no pool, joint
        buying is national buying).
    assumptions : PoolingAssumptions
    cost : DataFrame
        Per ally: ``iso3, in_pool, fire_units, new_fire_units``; ``capex_musd``, the
        budget's cost of everything the ally buys (contracts and new orders, with
        first interceptor loads, at base-year prices: ``budget.countries.capex_musd``,
        summed the plan's ``total_cost_musd``), of which ``contract_musd`` signed
        contracts; ``national_musd = capex_musd + national_learning_musd +
        national_programme_musd`` (learning on the new orders' national deliveries,
        fixed costs of national programmes), ``joint_musd`` and ``difference_musd``
        (joint − national), the parts of the difference (:data:`COST_PARTS`) and
        ``national_met_year, joint_met_year`` (whole increment delivered).
    delivery : DataFrame
        ``iso3, tier, increment, national_year, joint_year, years_gained,
        driven_by`` (the pooling effects that, each on its own, move that year
        off the national one; filled with ``by_effect``).
    trajectory : DataFrame
        ``iso3, year, national, joint``: new long- and medium-range fire units
        completed by that year.
    met_year : dict
        Collective target year, ``{"national": y, "joint": y}``.
    tier_met_year : dict
        ``{"national": {tier: y}, "joint": {tier: y}}``.
    time_by_effect : dict
        Collective target year with each pooling effect alone.
    expanded_lines : list of str
        Lines the pool's firm demand expands.
    campaign : dict or None
        Horizon force with and without stock sharing
        (:func:`gbad.industry.essi_war.campaign_pair`).
    members : list of dict
        The plan's allies that are ESSI members or in the coalition: ``iso3,
        essi_member, essi_join_year, in_coalition, source_id`` (the sources of the
        joining date, from the ``countries`` table).
    coalition_from : str
        ``"scenario"`` (``industry.coalition``), ``"essi"`` (the members who had
        joined by the base year) or ``"argument"`` (``compute_essi(coalition=...)``).
    """

    coalition: list[str]
    assumptions: PoolingAssumptions
    cost: pd.DataFrame
    delivery: pd.DataFrame
    trajectory: pd.DataFrame
    met_year: dict[str, int | None]
    tier_met_year: dict[str, dict[str, int | None]]
    time_by_effect: dict[str, int | None]
    expanded_lines: list[str]
    campaign: dict[str, Any] | None = None
    warnings: list[str] = field(default_factory=list)
    members: list[dict[str, Any]] = field(default_factory=list)
    coalition_from: str = "essi"

    def totals(self) -> dict[str, float]:
        """Cost totals over the allies [MUSD]: national, joint, difference and parts."""
        c = self.cost
        cols = [
            "capex_musd",
            "contract_musd",
            "national_learning_musd",
            "national_programme_musd",
            "national_musd",
            "joint_musd",
            "difference_musd",
            *COST_PARTS,
        ]
        return {k: float(c[k].sum()) for k in cols}

    def to_dict(self) -> dict[str, Any]:
        """``plan.json["essi"]``."""

        def _y(v: Any) -> int | None:
            return None if v is None or pd.isna(v) else int(v)

        parts = {k: round(v, 3) for k, v in self.totals().items()}
        largest = min(COST_PARTS, key=lambda k: parts[k]) if len(self.cost) else None
        return {
            "coalition": list(self.coalition),
            "coalition_from": self.coalition_from,
            "members": [dict(m) for m in self.members],
            "assumptions": self.assumptions.to_dict(),
            "cost": {
                "total": parts,
                "largest_saving": largest if largest and parts[largest] < 0 else None,
                "by_ally": [
                    {k: _cell(v) for k, v in r.items()} for r in self.cost.to_dict("records")
                ],
            },
            "delivery": {
                "met_year": dict(self.met_year),
                "tier_met_year": {m: dict(v) for m, v in self.tier_met_year.items()},
                "met_year_by_effect": dict(self.time_by_effect),
                "expanded_lines": list(self.expanded_lines),
                "by_ally_tier": [
                    {
                        "iso3": str(r["iso3"]),
                        "tier": str(r["tier"]),
                        "increment": int(r["increment"]),
                        "national_year": _y(r["national_year"]),
                        "joint_year": _y(r["joint_year"]),
                        "years_gained": _y(r["years_gained"]),
                        "driven_by": list(r.get("driven_by") or []),
                    }
                    for r in self.delivery.to_dict("records")
                ],
                "trajectory_total": [
                    {"year": int(str(y)), "national": int(n), "joint": int(j)}
                    for y, n, j in self.trajectory.groupby("year")[["national", "joint"]]
                    .sum()
                    .itertuples()
                ],
                "trajectory": [
                    {
                        "iso3": str(r["iso3"]),
                        "year": int(r["year"]),
                        "national": int(r["national"]),
                        "joint": int(r["joint"]),
                    }
                    for r in self.trajectory.to_dict("records")
                ],
            },
            "campaign": self.campaign,
            "warnings": list(self.warnings),
        }


def _cell(v: Any) -> Any:
    if v is None or v is pd.NA:
        return None
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (int, np.integer)):
        return int(v)
    if isinstance(v, (float, np.floating)):
        return round(float(v), 3)
    return v


def _members(ref: Any, allies: list[str], coalition: list[str]) -> list[dict[str, Any]]:
    """ESSI membership of the plan's allies, with the sources of the joining dates."""
    c = ref.countries.set_index("iso3") if "iso3" in ref.countries.columns else None
    titles: dict[str, str] = {}
    src = getattr(ref, "sources", None)
    if isinstance(src, pd.DataFrame) and {"source_id", "title"} <= set(src.columns):
        titles = dict(zip(src["source_id"].astype(str), src["title"].astype(str), strict=True))
    out = []
    for iso in allies:
        row = c.loc[iso] if c is not None and iso in c.index else None
        member = bool(row is not None and "essi_member" in row and bool(row["essi_member"]))
        if not member and iso not in coalition:
            continue
        year: Any = None
        ids = ""
        if member and row is not None:
            year = pd.to_numeric(pd.Series([row.get("essi_join_year")]), errors="coerce").iloc[0]
            ids = str(row.get("source_id", ""))
        cited = [i for i in ids.split(";") if "sky shield" in titles.get(i, "").lower()]
        out.append(
            {
                "iso3": iso,
                "essi_member": member,
                "essi_join_year": None if year is None or pd.isna(year) else int(year),
                "in_coalition": iso in coalition,
                "source_id": cited,
            }
        )
    return out


def pooling_assumptions(ref: Any, scenario: Any) -> PoolingAssumptions:
    """The scenario's pooling assumptions: ``industry.pooling_level`` of the ``pooling``
    table, then ``industry.pooling`` values on top."""
    ind = scenario.industry
    table = getattr(ref, "pooling", None)
    if not isinstance(table, pd.DataFrame) or table.empty:
        from gbad.reference import load_table

        table = load_table("pooling")  # reference bundles built without it: the embedded one
    a = PoolingAssumptions.from_table(table, ind.pooling_level)
    return a.with_values(dict(ind.pooling)) if ind.pooling else a


@dataclass(frozen=True)
class _Inputs:
    orders: pd.DataFrame
    years: list[int]
    first: int
    rule: str
    cap: pd.DataFrame
    shares: dict[str, float]
    price: dict[tuple[str, str], float]
    new_units: dict[tuple[str, str], int]
    all_units: dict[tuple[str, str], int]
    ipf: dict[str, int]
    opex: dict[str, float]
    cash_in: dict[tuple[str, int], float]
    exposure: dict[str, float]
    increments: list[tuple[str, str, int]]
    progress_ratio: float
    missile_line: dict[str, str]


def _inputs(ref: Any, scenario: Any, targets: Any, budget: Any) -> _Inputs:
    ind = scenario.industry
    base = int(scenario.base_year)
    last = int(budget.paths["year"].max())
    years = list(range(base, last + 1))
    sc = system_costs(ref.systems, scenario.budget.cost_level)
    orders = budget.procurement.orders[
        ["iso3", "tier", "system", "fire_units", "order_year", "source"]
    ].reset_index(drop=True)
    capex = {str(k): float(v) for k, v in sc["capex_musd"].items()}
    all_units: dict[tuple[str, str], int] = {}
    new_units: dict[tuple[str, str], int] = {}
    for r in orders.to_dict("records"):
        k = (str(r["iso3"]), str(r["system"]))
        all_units[k] = all_units.get(k, 0) + int(r["fire_units"])
        if str(r["source"]) != "contract":
            new_units[k] = new_units.get(k, 0) + int(r["fire_units"])
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
    lined = sorted(set(ref.production["system"].astype(str))) if len(ref.production) else []
    shares, _ = line_shares(ref, lined, ind.line_share)
    cap = capacity_table(
        ref.production,
        years,
        level=ind.capacity_level,
        multiplier=ind.capacity_multiplier,
        line_share=shares,
    )
    needs = budget.procurement.needs
    increments = [
        (str(i), str(t), int(n))
        for i, t, n in zip(needs["iso3"], needs["tier"], needs["increment"], strict=True)
    ]
    expo = targets.exposure["exposure"].astype(float).to_dict() if len(targets.exposure) else {}
    return _Inputs(
        orders=orders,
        years=years,
        first=base + int(ind.lead_time_years),
        rule=str(ind.allocation),
        cap=cap,
        shares=shares,
        price={k: float(capex.get(k[1], 0.0)) for k in all_units},
        new_units=new_units,
        all_units=all_units,
        ipf={str(k): int(v) for k, v in sc["interceptors_per_fu"].items()},
        opex={str(k): float(v) for k, v in sc["opex_musd_per_year"].items()},
        cash_in=cash_in,
        exposure=expo,
        increments=increments,
        progress_ratio=float(ind.progress_ratio),
        missile_line=missile_lines(ref),
    )


def _run(inp: _Inputs, pool: set[str], a: PoolingAssumptions, expanded: list[str]) -> Schedule:
    """One delivery simulation; ``pool`` empty or all effects zero: national buying."""
    price = joint_prices(inp.price, inp.all_units, inp.new_units, pool, a)
    cap = expand_capacity(inp.cap, expanded, a, inp.years[0]) if pool else inp.cap
    groups, priority = booking(pool, {str(x) for x in inp.orders["iso3"]}, a)
    return simulate(
        inp.orders,
        cap,
        inp.years,
        rule=inp.rule,  # type: ignore[arg-type]
        price_musd=price,
        interceptors_per_fu=inp.ipf,
        opex_musd=inp.opex,
        cash_in_musd=inp.cash_in,
        groups=groups,
        exposure=inp.exposure,
        first_delivery_year=inp.first,
        priority=priority,
        missile_line=inp.missile_line,
    )


def _new_by_year(sched: Schedule, inp: _Inputs) -> dict[tuple[str, str], dict[int, int]]:
    """New fire units of each (ally, system) delivered per year (contracts come first)."""
    d = sched.deliveries
    out: dict[tuple[str, str], dict[int, int]] = {}
    got = d.groupby(["iso3", "system", "year"])["fire_units"].sum() if len(d) else pd.Series()
    for k, total in inp.all_units.items():
        contract = total - inp.new_units.get(k, 0)
        per: dict[int, int] = {}
        seen = 0
        if k in {(a, s) for a, s, _ in got.index}:
            for y, n in got.loc[k].items():
                lo, hi = seen, seen + int(n)
                seen = hi
                new = max(0, hi - max(lo, contract))
                if new:
                    per[int(y)] = new
        out[k] = per
    return out


def _base_cost(
    sched: Schedule, inp: _Inputs, anchors: dict[str, float], prior_years: float
) -> dict[tuple[str, str], float]:
    """Learning-adjusted cost of each (ally, system)'s new fire units [MUSD]."""
    learn = line_learning_factors(
        sched.lines,
        inp.shares,
        prior_years=prior_years,
        progress_ratio=inp.progress_ratio,
        prior_units=anchors,
    )
    last = inp.years[-1]
    out: dict[tuple[str, str], float] = {}
    for k, per in _new_by_year(sched, inp).items():
        s = k[1]
        n_new = inp.new_units.get(k, 0)
        cost = sum(n * learn.get((s, y), 1.0) for y, n in per.items())
        cost += (n_new - sum(per.values())) * learn.get((s, last), 1.0)
        out[k] = inp.price[k] * cost
    return out


def _new_programmes(ref: Any, inp: _Inputs) -> set[tuple[str, str]]:
    """(ally, system) pairs whose new orders start a programme new to the ally."""
    inv = ref.inventory
    held = set(zip(inv["iso3"].astype(str), inv["system"].astype(str), strict=True))
    return {k for k, n in inp.new_units.items() if n > 0 and k not in held}


def _cost_table(  # noqa: PLR0917 - internal
    ref: Any,
    inp: _Inputs,
    pool: set[str],
    a: PoolingAssumptions,
    nat: Schedule,
    joint: Schedule,
    allies: list[str],
) -> pd.DataFrame:
    anchors = line_anchors(nat.lines, inp.shares, a.learning_prior_years)
    base_n = _base_cost(nat, inp, anchors, a.learning_prior_years)
    base_j = _base_cost(joint, inp, anchors, a.learning_prior_years)
    c, d = a.common_config_pct / 100.0, a.framework_discount_pct / 100.0
    fixed = a.national_fixed_cost_musd
    progs = _new_programmes(ref, inp)
    shared_units: dict[str, int] = {}
    for a3, s in progs:
        if a3 in pool:
            shared_units[s] = shared_units.get(s, 0) + inp.new_units[(a3, s)]
    rows = []
    for iso in allies:
        keys = [k for k in inp.all_units if k[0] == iso]
        bn = sum(base_n.get(k, 0.0) for k in keys)
        bj = sum(base_j.get(k, 0.0) for k in keys)
        # The budget's basis: every fire unit bought, contracts included, with its
        # first interceptor load at base-year prices (``budget.countries.capex_musd``).
        capex = sum(inp.price[k] * inp.all_units[k] for k in keys)
        new_at_base = sum(inp.price[k] * inp.new_units.get(k, 0) for k in keys)
        contract = capex - new_at_base  # signed: the same price either way
        mine = [k for k in keys if k in progs]
        fix_n = fixed * len(mine)
        member = iso in pool
        if member:
            fix_j = sum(fixed * inp.new_units[k] / shared_units[k[1]] for k in mine)
            cc, dd = -c * bj, -d * (1.0 - c) * bj
        else:
            fix_j, cc, dd = fix_n, 0.0, 0.0
        national = contract + bn + fix_n
        joint_cost = contract + bj + cc + dd + fix_j
        rows.append(
            {
                "iso3": iso,
                "in_pool": member,
                "fire_units": int(sum(inp.all_units[k] for k in keys)),
                "new_fire_units": int(sum(inp.new_units.get(k, 0) for k in keys)),
                "capex_musd": capex,
                "contract_musd": contract,
                "national_learning_musd": bn - new_at_base,
                "national_programme_musd": fix_n,
                "national_musd": national,
                "joint_musd": joint_cost,
                "difference_musd": joint_cost - national,
                "learning_timing_musd": bj - bn,
                "common_config_musd": cc,
                "framework_discount_musd": dd,
                "national_fixed_cost_musd": fix_j - fix_n,
            }
        )
    return pd.DataFrame(rows)


def _delivery(
    inp: _Inputs, nat: Schedule, joint: Schedule
) -> tuple[pd.DataFrame, dict[str, dict[str, int | None]], dict[str, int | None]]:
    table = tier_gains(nat, joint, inp.increments, inp.years)
    tiers: dict[str, dict[str, int | None]] = {"national": {}, "joint": {}}
    for mode, col in (("national", "national_year"), ("joint", "joint_year")):
        for tier_name, g in table[table["increment"] > 0].groupby("tier", sort=False):
            tiers[mode][str(tier_name)] = latest_year(
                [None if pd.isna(v) else int(v) for v in g[col]]
            )
    met = {
        "national": _collective(inp, nat),
        "joint": _collective(inp, joint),
    }
    return table, tiers, met


def _collective(inp: _Inputs, sched: Schedule) -> int | None:
    done = cumulative_complete(sched)
    return latest_year([met_year(done, i, t, n, inp.years[0]) for i, t, n in inp.increments])


def _trajectory(inp: _Inputs, nat: Schedule, joint: Schedule, allies: list[str]) -> pd.DataFrame:
    def cum(s: Schedule) -> dict[tuple[str, int], int]:
        d = s.deliveries
        d = d[d["tier"].isin(["long", "medium"])]
        out: dict[tuple[str, int], int] = {}
        for iso in allies:
            mine = d[d["iso3"] == iso].groupby("year")["complete"].sum()
            total = 0
            for y in inp.years:
                total += int(mine.get(y, 0))
                out[(iso, y)] = total
        return out

    cn, cj = cum(nat), cum(joint)
    rows = [
        {"iso3": iso, "year": y, "national": cn[(iso, y)], "joint": cj[(iso, y)]}
        for iso in allies
        for y in inp.years
    ]
    return pd.DataFrame(rows, columns=["iso3", "year", "national", "joint"])


def compute_essi(
    ref: Any,
    scenario: Any,
    targets: Any,
    budget: Any,
    *,
    industry: Any = None,
    force: pd.DataFrame | None = None,
    year: int | None = None,
    assumptions: PoolingAssumptions | None = None,
    coalition: list[str] | None = None,
    by_effect: bool = True,
    ew_defeat: Mapping[str, float] | None = None,
    fire_units: pd.DataFrame | None = None,
    rng: np.random.Generator | int = 0,
    replications: int | None = None,
    engine: str = "numba",
) -> EssiResult:
    """Joint against national buying: cost, delivery and (with ``force``) the campaign.

    Parameters
    ----------
    ref, scenario, targets, budget :
        As for :func:`gbad.industry.compute_industry`.
    industry : IndustryResult, optional
        Refill of the campaign stocks (spare line output); its national and joint
        schedules are reused when they were run with the scenario's assumptions.
    force : DataFrame, optional
        The horizon force (:func:`gbad.force.build_force` rows of ``year``); without
        it, no campaign comparison.
    year : int, optional
        The force's year.
    assumptions : PoolingAssumptions, optional
        Default :func:`pooling_assumptions` of the scenario.
    coalition : list of str, optional
        Pool members (default :func:`gbad.industry.pooling.coalition_of`).
    ew_defeat : mapping, optional
        The electronic-warfare layer of the plan's campaign (the same in both runs).
    fire_units : DataFrame, optional
        Where the ``force``'s fire units stand (the plan's sited units of that
        year), for a spatial campaign; default today's placement rule.
    by_effect : bool
        Also the collective target year with each effect alone (one schedule each).
    rng : numpy.random.Generator or int
        Root of the campaign's random numbers; the plan passes the generator its
        horizon milestone's campaign was given, so the run without sharing is
        that campaign.
    replications : int, optional
        Campaign replications (default ``campaign.replications``).
    engine : {"numba", "numpy", "mean-field"}
        Campaign engine (the plan's).

    Returns
    -------
    EssiResult
    """
    a = assumptions if assumptions is not None else pooling_assumptions(ref, scenario)
    inp = _inputs(ref, scenario, targets, budget)
    allies = list(dict.fromkeys(targets.table["iso3"].astype(str)))
    members = coalition if coalition is not None else coalition_of(ref, scenario, allies)
    members = [m for m in members if m in allies]
    pool = set(members) if len(members) > 1 else set()  # a coalition of one buys alone
    expanded = expanded_lines(inp.cap, inp.new_units, pool, inp.years[0])
    ran = getattr(industry, "schedules", None) or {}
    if assumptions is None and coalition is None and set(ran) == {"national", "joint"}:
        nat, joint = ran["national"], ran["joint"]  # the industry stage's, same inputs
    else:
        nat, joint = _run(inp, set(), a, expanded), _run(inp, pool, a, expanded)
    cost = _cost_table(ref, inp, pool, a, nat, joint, allies)
    delivery, tiers, met = _delivery(inp, nat, joint)
    for mode in ("national", "joint"):
        per = {
            str(i): latest_year([None if pd.isna(v) else int(v) for v in g[f"{mode}_year"]])
            for i, g in delivery.groupby("iso3")
        }
        cost[f"{mode}_met_year"] = pd.array(
            [per.get(i, inp.years[0]) for i in cost["iso3"]], dtype="Int64"
        )
    by: dict[str, int | None] = {}
    drivers: list[list[str]] = [[] for _ in range(len(delivery))]
    if by_effect:
        for e in POOLING_EFFECTS:
            if e == "national_fixed_cost_musd":  # not paid from the yearly cash: no delay
                by[e] = met["national"]
                continue
            alone = _run(inp, pool, a.only(e), expanded)
            by[e] = _collective(inp, alone)
            done = cumulative_complete(alone)
            for k, r in enumerate(delivery.to_dict("records")):
                if r["national_year"] == r["joint_year"] or pd.isna(r["years_gained"]):
                    continue
                y = met_year(done, r["iso3"], r["tier"], int(r["increment"]), inp.years[0])
                if y != (None if pd.isna(r["national_year"]) else int(r["national_year"])):
                    drivers[k].append(e)
    delivery["driven_by"] = drivers
    camp = None
    warnings: list[str] = []
    if force is not None and year is not None:
        if len(members) > 1:
            camp = campaign_pair(
                ref,
                scenario,
                industry,
                force,
                year,
                members,
                ew_defeat,
                fire_units,
                rng=rng,
                replications=replications,
                engine=engine,
            )
        else:
            warnings.append("a coalition of fewer than two allies shares no stocks")
    return EssiResult(
        coalition=members,
        assumptions=a,
        cost=cost,
        delivery=delivery,
        trajectory=_trajectory(inp, nat, joint, allies),
        met_year=met,
        tier_met_year=tiers,
        time_by_effect=by,
        expanded_lines=expanded if a.line_expansion_pct > 0 and pool else [],
        campaign=camp,
        warnings=warnings,
        members=_members(ref, allies, members if len(members) > 1 else []),
        coalition_from="argument"
        if coalition is not None
        else ("scenario" if scenario.industry.coalition is not None else "essi"),
    )
