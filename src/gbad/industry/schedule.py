"""Delivery schedule: orders from many allies competing for the same production lines.

A yearly simulation, budget and production together:

1. Each ally's GBAD budget for the year (net of the operating cost of the fleet it
   already holds, new units included) is added to its cash.
2. For each line (outer tiers first), every ally asks for as many fire units as it
   has outstanding *and can pay for*: a fire unit is paid on delivery together with
   its initial interceptor load.
3. The line's fire-unit capacity is shared among *claimants* (an ally, or a pool of
   allies buying jointly) by the allocation rule:

   * ``first-come``: in order of the order year, then the order's queue position;
   * ``pro-rata``: in proportion to demand (Hamilton, so integers that sum right);
   * ``exposure``: highest exposure share first.

   A pool shares its slots among its members in proportion to their demand.
4. The interceptor line then delivers the initial loads of the fire units delivered
   so far, shared by the same rule. A fire unit is *complete* when its launchers and
   its initial load have both arrived. Systems that fire the same interceptor can
   draw on one missile line (``missile_line``): its yearly output is the sum of
   their rows' interceptor rates, and what one system leaves unused in a year the
   others may take, never more than the line's output together.

Capacity is never exceeded and orders are conserved (nothing is delivered twice or
beyond the order); systems without a production line are not capacity-limited and
are reported as such.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import pandas as pd

from gbad.targets.apportion import hamilton

__all__ = ["Rule", "Schedule", "allocate", "simulate"]

Rule = Literal["first-come", "pro-rata", "exposure"]


def allocate(
    capacity: float,
    demand: Sequence[int],
    rule: Rule,
    *,
    order_key: Sequence[tuple[float, ...]] | None = None,
) -> list[int]:
    """Share ``floor(capacity)`` units among claimants with integer ``demand``.

    Parameters
    ----------
    capacity : float
        Units available (``inf`` for an unconstrained line).
    demand : sequence of int
        Units each claimant asks for.
    rule : {"first-come", "pro-rata", "exposure"}
        Sharing rule; ``first-come`` and ``exposure`` serve claimants in ascending
        ``order_key`` order.
    order_key : sequence of tuple, optional
        Sort key per claimant (queue position or negative exposure).

    Returns
    -------
    list of int
        Units per claimant; each at most its demand, summing to at most ``capacity``.
    """
    d = [max(int(x), 0) for x in demand]
    total = sum(d)
    cap = total if math.isinf(capacity) else min(math.floor(capacity + 1e-9), total)
    if cap >= total:
        return d
    if cap <= 0:
        return [0] * len(d)
    if rule == "pro-rata":
        return [int(v) for v in hamilton(d, cap, upper=d).seats]
    keys = order_key or [(float(k),) for k in range(len(d))]
    out = [0] * len(d)
    left = cap
    for k in sorted(range(len(d)), key=lambda i: (keys[i], i)):
        take = min(d[k], left)
        out[k] = take
        left -= take
    return out


@dataclass(frozen=True)
class Schedule:
    """Result of :func:`simulate`.

    Attributes
    ----------
    deliveries : DataFrame
        ``year, iso3, system, tier, fire_units, interceptors, complete, spend_musd``
        (``complete``: fire units completed that year).
    lines : DataFrame
        ``system, year, fu_capacity, fu_delivered, fu_backlog, int_capacity,
        int_delivered, int_backlog`` (capacity ``inf`` when no line is modelled).
    outstanding : DataFrame
        ``iso3, system, fire_units`` never delivered by the last year.
    """

    deliveries: pd.DataFrame
    lines: pd.DataFrame
    outstanding: pd.DataFrame


def simulate(
    orders: pd.DataFrame,
    capacity: pd.DataFrame,
    years: Sequence[int],
    *,
    rule: Rule,
    price_musd: Mapping[tuple[str, str], float],
    interceptors_per_fu: Mapping[str, int],
    opex_musd: Mapping[str, float],
    cash_in_musd: Mapping[tuple[str, int], float] | None = None,
    groups: Mapping[str, str] | None = None,
    exposure: Mapping[str, float] | None = None,
    first_delivery_year: int | None = None,
    priority: Mapping[str, int] | None = None,
    missile_line: Mapping[str, str] | None = None,
) -> Schedule:
    """Run the yearly delivery simulation.

    Parameters
    ----------
    orders : DataFrame
        ``iso3, tier, system, fire_units, order_year`` (one row per order; row order
        is the queue position within an order year).
    capacity : DataFrame
        ``system, year, fire_units, interceptors`` (:func:`capacity_table`).
    years : sequence of int
        Simulated years (cash accrues in every year).
    rule : {"first-come", "pro-rata", "exposure"}
        Allocation rule.
    price_musd : mapping (iso3, system) -> float
        Price of one fire unit with its initial load [MUSD].
    interceptors_per_fu : mapping system -> int
        Initial load per fire unit.
    opex_musd : mapping system -> float
        Operating cost per complete fire unit per year [MUSD].
    cash_in_musd : mapping (iso3, year) -> float, optional
        Money available each year (``None``: budgets do not bind).
    groups : mapping iso3 -> claimant, optional
        Pools: allies mapped to the same claimant share slots (default: each alone).
    exposure : mapping iso3 -> float, optional
        Priority for the ``exposure`` rule.
    first_delivery_year : int, optional
        No delivery before this year.
    priority : mapping claimant -> int, optional
        Booking rank of claimants (a pool's name or an ally): lower ranks are
        served first, the rule shares within a rank (default: all alike).
    missile_line : mapping system -> str, optional
        Interceptor line of each system (default: its own). Systems on one line
        share one pool of interceptors a year: the sum of their interceptor rates
        in ``capacity`` (``inf`` if none of them has one), taken in tier order.

    Returns
    -------
    Schedule
    """
    years = [int(y) for y in years]
    first = years[0] if first_delivery_year is None else int(first_delivery_year)
    cap = {(str(r["system"]), int(r["year"])): r for r in capacity.to_dict("records")}
    lined = {s for s, _ in cap}
    tier_rank = {"long": 0, "medium": 1, "short": 2, "very-short": 3, "c-uas": 4}
    o = orders.reset_index(drop=True).copy()
    o["queue"] = range(len(o))
    allies = sorted(set(o["iso3"]))
    systems = sorted(set(o["system"]), key=lambda s: (tier_rank.get(_tier(o, s), 9), s))
    outstanding = {(str(r["iso3"]), str(r["system"])): 0 for r in o.to_dict("records")}
    queue_key: dict[tuple[str, str], tuple[float, ...]] = {}
    for r in o.to_dict("records"):
        k = (str(r["iso3"]), str(r["system"]))
        outstanding[k] += int(r["fire_units"])
        qk = (float(r["order_year"]), float(r["queue"]))
        queue_key[k] = min(queue_key.get(k, qk), qk)
    tier_of = {str(r["system"]): str(r["tier"]) for r in o.to_dict("records")}
    group = {a: (groups or {}).get(a, a) for a in allies}
    expo = exposure or {}
    rank_of = dict(priority or {})
    cash = dict.fromkeys(allies, 0.0)
    pending = dict.fromkeys(outstanding, 0)  # fire units delivered awaiting their load
    fu_got = dict.fromkeys(outstanding, 0)
    int_got = dict.fromkeys(outstanding, 0)
    done = dict.fromkeys(outstanding, 0)
    rows: list[dict[str, object]] = []
    line_rows: list[dict[str, object]] = []

    def shares(
        claims: dict[str, int], line_cap: float, key_of: dict[str, tuple[float, ...]]
    ) -> dict[str, int]:
        names = sorted(claims)
        grp_names = sorted({group[a] for a in names})
        gdem = [sum(claims[a] for a in names if group[a] == g) for g in grp_names]
        gkey: list[tuple[float, ...]]
        if rule == "exposure":
            gkey = [(-max(expo.get(a, 0.0) for a in names if group[a] == g),) for g in grp_names]
        else:
            gkey = [min(key_of[a] for a in names if group[a] == g) for g in grp_names]
        gget = [0] * len(grp_names)
        left = line_cap
        for rank in sorted({rank_of.get(g, 0) for g in grp_names}):
            idx = [i for i, g in enumerate(grp_names) if rank_of.get(g, 0) == rank]
            part = allocate(left, [gdem[i] for i in idx], rule, order_key=[gkey[i] for i in idx])
            for i, n in zip(idx, part, strict=True):
                gget[i] = n
            left = left - sum(part)
        out: dict[str, int] = {}
        for g, got in zip(grp_names, gget, strict=True):
            members = [a for a in names if group[a] == g]
            split = allocate(got, [claims[a] for a in members], "pro-rata")
            out.update(zip(members, split, strict=True))
        return out

    line_of = {str(k): str(v) for k, v in (missile_line or {}).items() if v}

    def pools(y: int) -> dict[str, float]:
        """Interceptors each missile line can deliver in year ``y``."""
        rates: dict[str, list[float]] = {}
        for s in sorted(lined):
            c = cap.get((s, y))
            v = float(c["interceptors"]) if c is not None else math.inf
            rates.setdefault(line_of.get(s, s), []).append(v)
        finite = {k: [v for v in vs if math.isfinite(v)] for k, vs in rates.items()}
        return {k: float(sum(v)) if v else math.inf for k, v in finite.items()}

    for y in years:
        for a in allies:
            cash[a] += 0.0 if cash_in_musd is None else float(cash_in_musd.get((a, y), 0.0))
            cash[a] -= sum(done[k] * opex_musd.get(k[1], 0.0) for k in done if k[0] == a)
        if y < first:
            continue
        pool_left = pools(y)
        for s in systems:
            c = cap.get((s, y))
            fu_cap = float(c["fire_units"]) if c is not None else math.inf
            if s not in lined:
                fu_cap = math.inf
            int_cap = pool_left.get(line_of.get(s, s), math.inf)
            claims: dict[str, int] = {}
            for a in allies:
                left = outstanding.get((a, s), 0)
                if left <= 0:
                    continue
                price = float(price_musd.get((a, s), 0.0))
                if cash_in_musd is not None and price > 0:
                    left = min(left, math.floor(max(cash[a], 0.0) / price + 1e-9))
                if left > 0:
                    claims[a] = left
            key_of = {a: queue_key[(a, s)] for a in claims}
            got = shares(claims, fu_cap, key_of) if claims else {}
            ipf = int(interceptors_per_fu.get(s, 0))
            for a, n in got.items():
                if n <= 0:
                    continue
                k = (a, s)
                outstanding[k] -= n
                fu_got[k] += n
                pending[k] += n
                cash[a] -= n * float(price_musd.get(k, 0.0))
            need = {
                a: fu_got[(a, s)] * ipf - int_got[(a, s)]
                for a in allies
                if (a, s) in fu_got and fu_got[(a, s)] * ipf > int_got[(a, s)]
            }
            ints = (
                shares(need, int_cap, {a: queue_key[(a, s)] for a in need})
                if ipf > 0 and need
                else {}
            )
            line = line_of.get(s, s)
            if line in pool_left:
                pool_left[line] -= sum(ints.values())
            for a in allies:
                k = (a, s)
                if k not in pending:
                    continue
                n_int = ints.get(a, 0)
                int_got[k] += n_int
                total_done = fu_got[k] if ipf == 0 else min(fu_got[k], int_got[k] // ipf)
                new_done = total_done - done[k]
                done[k] = total_done
                pending[k] = fu_got[k] - total_done
                if got.get(a, 0) or n_int or new_done:
                    rows.append(
                        {
                            "year": y,
                            "iso3": a,
                            "system": s,
                            "tier": tier_of[s],
                            "fire_units": int(got.get(a, 0)),
                            "interceptors": int(n_int),
                            "complete": int(new_done),
                            "spend_musd": float(got.get(a, 0)) * float(price_musd.get(k, 0.0)),
                        }
                    )
            line_rows.append(
                {
                    "system": s,
                    "year": y,
                    "fu_capacity": fu_cap,
                    "fu_delivered": int(sum(got.values())),
                    "fu_backlog": int(sum(v for (a, t), v in outstanding.items() if t == s)),
                    "int_capacity": int_cap,
                    "int_delivered": int(sum(ints.values())),
                    "int_backlog": int(
                        sum(fu_got[(a, t)] * ipf - int_got[(a, t)] for (a, t) in fu_got if t == s)
                    ),
                }
            )
        _split_pools(line_rows, y, line_of, pool_left, cap)
    deliveries = pd.DataFrame(
        rows,
        columns=[
            "year",
            "iso3",
            "system",
            "tier",
            "fire_units",
            "interceptors",
            "complete",
            "spend_musd",
        ],
    )
    left_rows = [
        {"iso3": a, "system": s, "fire_units": v} for (a, s), v in outstanding.items() if v > 0
    ]
    return Schedule(
        deliveries=deliveries,
        lines=pd.DataFrame(
            line_rows,
            columns=[
                "system",
                "year",
                "fu_capacity",
                "fu_delivered",
                "fu_backlog",
                "int_capacity",
                "int_delivered",
                "int_backlog",
            ],
        ),
        outstanding=pd.DataFrame(left_rows, columns=["iso3", "system", "fire_units"]),
    )


def _split_pools(
    line_rows: list[dict[str, object]],
    year: int,
    line_of: Mapping[str, str],
    pool_left: Mapping[str, float],
    cap: Mapping[tuple[str, int], Any],
) -> None:
    """Report a shared missile line's year as each system's own capacity.

    Each system on a line shared by several gets what it took plus a part of what
    the line left unused, in proportion to its own interceptor rate (equal parts when
    none has one), so that capacities add up to the line's output and spare rounds
    (capacity less delivered) are counted once. A line of one system is unchanged.
    """
    shared: dict[str, list[dict[str, object]]] = {}
    for row in line_rows:
        if row["year"] == year and str(row["system"]) in line_of:
            shared.setdefault(line_of[str(row["system"])], []).append(row)
    for line, rows in shared.items():
        left = pool_left.get(line, math.inf)
        if not math.isfinite(left):
            continue
        own = []
        for row in rows:
            c = cap.get((str(row["system"]), year))
            v = float(c["interceptors"]) if c is not None else math.nan
            own.append(v if math.isfinite(v) else 0.0)
        total = sum(own)
        for row, w in zip(rows, own, strict=True):
            part = w / total if total > 0 else 1.0 / len(rows)
            took = float(str(row["int_delivered"]))
            row["int_capacity"] = took + max(left, 0.0) * part


def _tier(orders: pd.DataFrame, system: str) -> str:
    t = orders.loc[orders["system"] == system, "tier"]
    return str(t.iloc[0]) if len(t) else ""
