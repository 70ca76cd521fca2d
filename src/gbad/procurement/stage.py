r"""The procurement stage: which system each ally buys, per tier, and how many.

One decision that budget, industry, siting, coverage and the campaign all read;
no later stage picks a system.

Units to buy
    For ally :math:`i` and tier :math:`t` with national target :math:`x_{it}`, the
    force still in service at the horizon :math:`b^{H}_{it}` (today's in-service
    fire units less those that retire by then, :mod:`gbad.force`) and contracts
    already placed :math:`k_{it}` (inventory rows *on order* or *delivering*, all
    of them: a signed contract is delivered whatever the target), the new order is

    .. math::

        n_{it} = \max\!\left(0,\; x_{it} - b^{H}_{it} - k_{it}\right).

System of the new units (first rule that applies)
    1. ``scenario.procurement`` (``{tier: system}``, ``{"ISO3:tier": system}`` or
       ``{"ISO3:tier": {system: share, ...}}``; the ally-specific key wins), then the
       older ``industry.buy`` with the same keys: rule ``scenario``.
    2. The in-production system of that tier the ally operates, has ordered or plans
       to buy, with most fire units (in service + on order + planned): rule
       ``ordered`` (some on order), ``planned`` or ``operates``.
    3. The tier default: the in-production system of that tier the allies of the
       plan hold most of (in service + on order): rule ``tier default``; where no
       system of the tier is still built, the most held one, with a warning (rule
       ``tier default (out of production)``).

    Whether a system has a modelled production line plays no part in the choice;
    a bought system without one is delivered without a capacity limit and the
    industry stage says so.

Shares
    A tier's purchase is the contracts plus the new order; ``share`` is each
    system's part of the fire units bought in that tier (summing to one per ally
    and tier; the chosen system has share one where nothing is bought).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from gbad.errors import GbadInputError
from gbad.force.retire import in_service_at
from gbad.scenario.sections import TIERS
from gbad.targets.apportion import hamilton

__all__ = [
    "CONTRACT_STATUSES",
    "ProcurementResult",
    "check_rules",
    "decide_procurement",
    "procurement_rules",
]

#: Inventory statuses that are signed contracts (delivered whatever the target).
CONTRACT_STATUSES: tuple[str, ...] = ("on order", "delivering")
#: Inventory statuses that show what an ally intends to buy (choice rule 2 only).
INTENT_STATUSES: tuple[str, ...] = ("in service", "on order", "delivering", "planned")

CHOICE_COLUMNS = ["iso3", "tier", "system", "share", "fire_units", "contracted", "new", "rule"]
ORDER_COLUMNS = ["iso3", "tier", "system", "fire_units", "order_year", "source", "delivery_year"]


@dataclass(frozen=True)
class ProcurementResult:
    """What each ally buys per tier.

    Attributes
    ----------
    choices : DataFrame
        ``iso3, tier, system, share, fire_units, contracted, new, rule``: one row per
        ally, tier and system bought (shares sum to one per ally and tier).
    orders : DataFrame
        ``iso3, tier, system, fire_units, order_year, source, delivery_year``: the
        contracts (``source = "contract"``, with the delivery year the data give)
        and the new orders (``source = "new"``, placed in the base year).
    needs : DataFrame
        ``iso3, tier, baseline, retiring, target, increment, contracted, new``:
        ``increment`` is what the ally must receive by the horizon to hold its
        target (``target - (baseline - retiring)``, at least zero).
    """

    choices: pd.DataFrame
    orders: pd.DataFrame
    needs: pd.DataFrame
    base_year: int
    horizon_year: int
    warnings: list[str] = field(default_factory=list)

    def system_of(self, iso3: str, tier: str) -> str | None:
        """The system of an ally's new units in a tier (largest share)."""
        rows = self.choices[(self.choices["iso3"] == iso3) & (self.choices["tier"] == tier)]
        if rows.empty:
            return None
        return str(rows.sort_values(["share", "system"], ascending=[False, True]).iloc[0]["system"])

    def bought(self) -> set[tuple[str, str, str]]:
        """``(iso3, tier, system)`` of every system bought or contracted."""
        rows = self.choices[self.choices["fire_units"] > 0]
        return {(str(a), str(t), str(s)) for a, t, s in rows[["iso3", "tier", "system"]].values}

    def to_dict(self) -> dict[str, Any]:
        """JSON-able summary: the contract's ``procurement`` list and the orders."""
        return {
            "choices": [
                {
                    "iso3": str(r["iso3"]),
                    "tier": str(r["tier"]),
                    "system": str(r["system"]),
                    "share": round(float(r["share"]), 6),
                    "fire_units": int(r["fire_units"]),
                    "contracted": int(r["contracted"]),
                    "new": int(r["new"]),
                    "rule": str(r["rule"]),
                }
                for r in self.choices.to_dict("records")
            ],
            "orders": [
                {
                    "iso3": str(r["iso3"]),
                    "tier": str(r["tier"]),
                    "system": str(r["system"]),
                    "fire_units": int(r["fire_units"]),
                    "order_year": int(r["order_year"]),
                    "source": str(r["source"]),
                    "delivery_year": None
                    if pd.isna(r["delivery_year"])
                    else int(r["delivery_year"]),
                }
                for r in self.orders.to_dict("records")
            ],
            "warnings": list(self.warnings),
        }


def procurement_rules(scenario: Any) -> dict[str, tuple[dict[str, float], str]]:
    """The scenario's procurement choices, ``{key: ({system: share}, field path)}``.

    ``scenario.procurement`` wins over the older ``industry.buy`` for the same key.
    """
    out: dict[str, tuple[dict[str, float], str]] = {}
    for key, system in dict(getattr(scenario.industry, "buy", {}) or {}).items():
        out[str(key)] = ({str(system): 1.0}, f"industry.buy.{key}")
    for key, value in dict(getattr(scenario, "procurement", {}) or {}).items():
        total = float(sum(value.values()))  # the scenario holds {system: share > 0}
        mix = {str(s): float(v) / total for s, v in value.items()}
        out[str(key)] = (mix, f"procurement.{key}")
    return out


def check_rules(
    rules: Mapping[str, tuple[dict[str, float], str]], systems: pd.DataFrame, allies: list[str]
) -> None:
    """Refuse a rule naming an unknown tier, an ally outside the plan, an unknown
    system or a system of another tier (the error names the rule's field)."""
    s = systems.set_index("system")
    for key, (mix, path) in rules.items():
        iso, _, tier = key.rpartition(":")
        if tier not in TIERS:
            raise GbadInputError(path, f"unknown tier {tier!r}")
        if iso and iso not in allies:
            raise GbadInputError(path, f"{iso} is not an ally of this plan")
        for system in mix:
            if system not in s.index:
                raise GbadInputError(path, f"unknown system {system!r}")
            if str(s.at[system, "tier"]) != tier:
                raise GbadInputError(path, f"{system} is a {s.at[system, 'tier']!s} system")


def _split(n: int, mix: Mapping[str, float]) -> dict[str, int]:
    """``n`` units over the systems of ``mix`` by largest remainder (Hamilton)."""
    systems = list(mix)
    if n <= 0:
        return dict.fromkeys(systems, 0)
    if len(systems) == 1:
        return {systems[0]: n}
    seats = hamilton([float(mix[s]) for s in systems], n).seats
    return {s: int(v) for s, v in zip(systems, seats, strict=True)}


def decide_procurement(ref: Any, scenario: Any, targets: Any) -> ProcurementResult:
    """Decide per ally and tier what is bought (rules in the module docstring).

    Parameters
    ----------
    ref : Reference
        ``inventory``, ``systems`` and ``retirements`` are used.
    scenario : Scenario
        ``procurement`` (and the older ``industry.buy``), ``base_year``,
        ``horizon_year`` and ``force.retirement_level``.
    targets : TargetsResult
        National targets per ally and tier.

    Returns
    -------
    ProcurementResult

    Raises
    ------
    GbadInputError
        ``procurement.<key>`` naming an unknown tier, ally or system, or a system
        of another tier.
    """
    base, horizon = int(scenario.base_year), int(scenario.horizon_year)
    table = targets.table
    allies = list(dict.fromkeys(str(a) for a in table["iso3"]))
    systems = ref.systems
    sysd = systems.set_index("system")
    in_prod = sysd["in_production"].astype(bool)
    rules = procurement_rules(scenario)
    check_rules(rules, systems, allies)

    inv = ref.inventory[ref.inventory["iso3"].isin(allies)].copy()
    inv["status_l"] = inv["status"].astype(str).str.strip().str.lower()
    inv["n"] = pd.to_numeric(inv["fire_units_mid"], errors="coerce").fillna(0.0)
    inv = inv[inv["system"].isin(sysd.index)]
    intent = inv[inv["status_l"].isin(INTENT_STATUSES)]
    held = intent.groupby(["iso3", "system"])["n"].sum().to_dict()
    on_order = (
        inv[inv["status_l"].isin(CONTRACT_STATUSES)]
        .groupby(["iso3", "system"])["n"]
        .sum()
        .to_dict()
    )
    planned = inv[inv["status_l"] == "planned"].groupby(["iso3", "system"])["n"].sum().to_dict()
    europe = (
        inv[inv["status_l"].isin(("in service", *CONTRACT_STATUSES))].groupby("system")["n"].sum()
    )
    level = str(scenario.force.retirement_level)
    remaining = in_service_at(ref, allies, horizon, level=level)  # iso3, system, fire_units
    left_at_horizon = remaining.groupby(["iso3", "tier"])["fire_units"].sum().to_dict()

    signed = inv[inv["status_l"].isin(CONTRACT_STATUSES) & (inv["n"] > 0)].sort_values(
        ["iso3", "tier", "system"]
    )
    contracts: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for c in signed.to_dict("records"):
        contracts.setdefault((str(c["iso3"]), str(c["tier"])), []).append(c)
    warnings: list[str] = []
    choice_rows: list[dict[str, Any]] = []
    order_rows: list[tuple[Any, ...]] = []
    need_rows: list[dict[str, Any]] = []
    targets_by = {
        (str(i), str(t)): (int(x), int(b))
        for i, t, x, b in zip(
            table["iso3"], table["tier"], table["target"], table["baseline"], strict=True
        )
    }
    for tier in TIERS:
        tier_systems = [str(x) for x in sysd.index if str(sysd.at[x, "tier"]) == tier]
        live = [x for x in tier_systems if bool(in_prod.get(x, False))]
        pool = live or tier_systems  # no system of the tier still built: the most held one
        default = (
            max(pool, key=lambda x: (float(europe.get(x, 0.0)), -tier_systems.index(x)))
            if pool
            else None
        )
        default_rule = "tier default" if live else "tier default (out of production)"
        for iso in allies:
            target, baseline = targets_by.get((iso, tier), (0, 0))
            at_horizon = round(float(left_at_horizon.get((iso, tier), 0.0)))
            retiring = max(0, baseline - at_horizon)
            increment = max(0, target - min(baseline, at_horizon))
            contracted: dict[str, int] = {}
            for c in contracts.get((iso, tier), []):
                n = round(float(c["n"]))
                if n <= 0:
                    continue
                system = str(c["system"])
                contracted[system] = contracted.get(system, 0) + n
                year = _year(c.get("delivery_year"))
                order_rows.append((iso, tier, system, n, base - 1, "contract", year))
            n_contract = sum(contracted.values())
            n_new = max(0, increment - n_contract)
            mix, rule = _choose(
                iso, tier, rules, live, held, on_order, planned, (default, default_rule)
            )
            if rule == "tier default (out of production)" and n_new > 0:
                warnings.append(f"{iso} {tier}: {default} bought although out of production")
            if mix is None:
                if n_new > 0:
                    warnings.append(f"{iso} {tier}: no system in production in this tier")
                n_new = 0
                mix = {}
            new = _split(n_new, mix)
            for system, n in new.items():
                if n > 0:
                    order_rows.append((iso, tier, system, n, base, "new", np.nan))
            bought = {s: contracted.get(s, 0) + new.get(s, 0) for s in [*contracted, *new]}
            total = sum(bought.values())
            for system in dict.fromkeys([*mix, *contracted]):
                units = bought.get(system, 0)
                share = units / total if total > 0 else float(mix.get(system, 0.0))
                if share <= 0 and units <= 0:
                    continue
                choice_rows.append(
                    {
                        "iso3": iso,
                        "tier": tier,
                        "system": system,
                        "share": share,
                        "fire_units": units,
                        "contracted": contracted.get(system, 0),
                        "new": new.get(system, 0),
                        "rule": rule if system in mix else "contract",
                    }
                )
            need_rows.append(
                {
                    "iso3": iso,
                    "tier": tier,
                    "baseline": baseline,
                    "retiring": retiring,
                    "target": target,
                    "increment": increment,
                    "contracted": n_contract,
                    "new": n_new,
                }
            )
    choices = pd.DataFrame(choice_rows, columns=CHOICE_COLUMNS)
    orders = pd.DataFrame(order_rows, columns=ORDER_COLUMNS)
    orders["delivery_year"] = orders["delivery_year"].astype("Float64")
    return ProcurementResult(
        choices=choices,
        orders=orders,
        needs=pd.DataFrame(need_rows),
        base_year=base,
        horizon_year=horizon,
        warnings=warnings,
    )


def _year(value: Any) -> float:
    """A delivery year cell as a float (``nan`` when missing or not a number)."""
    try:
        out = float(value)
    except (TypeError, ValueError):
        return float("nan")
    return out


def _choose(  # noqa: PLR0917 - private helper over the stage's lookup tables
    iso: str,
    tier: str,
    rules: Mapping[str, tuple[dict[str, float], str]],
    live: list[str],
    held: Mapping[tuple[str, str], float],
    on_order: Mapping[tuple[str, str], float],
    planned: Mapping[tuple[str, str], float],
    default: tuple[str | None, str],
) -> tuple[dict[str, float] | None, str]:
    """The mix of systems for an ally's new units in a tier, and the rule that chose it."""
    for key in (f"{iso}:{tier}", tier):
        if key in rules:
            return dict(rules[key][0]), "scenario"
    own = [(float(held.get((iso, x), 0.0)), x) for x in live]
    own = [o for o in own if o[0] > 0]
    if own:
        system = max(own, key=lambda o: (o[0], o[1]))[1]
        if float(on_order.get((iso, system), 0.0)) > 0:
            rule = "ordered"
        elif float(planned.get((iso, system), 0.0)) > 0:
            rule = "planned"
        else:
            rule = "operates"
        return {system: 1.0}, rule
    if default[0] is None:
        return None, "none"
    return {default[0]: 1.0}, default[1]
