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
   * ``pro-rata``: in proportion to demand, rounded on the cumulative entitlement
     (:func:`allocate_cumulative`: each claimant's fraction of a unit is carried to
     the next year, so a small claimant is not starved by rounding);
   * ``exposure``: highest exposure share first.

   Contracts already signed (orders whose ``source`` is ``contract``) are served
   before any new order, national or pooled; the rule shares within each class.
   A pool shares its slots among its members in proportion to their demand.
4. The interceptor line then delivers the initial loads of the fire units delivered
   so far, shared by the same rule. A fire unit is *complete* when its launchers and
   its initial load have both arrived; loads of contracted fire units go first.
   Systems that fire the same interceptor can draw on one missile line
   (``missile_line``): its yearly output is the sum of their rows' interceptor
   rates, and what one system leaves unused in a year the others may take, never
   more than the line's output together.

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

__all__ = ["Rule", "Schedule", "allocate", "allocate_cumulative", "simulate"]

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
        return allocate_cumulative(cap, d, [0.0] * len(d))[0]
    keys = order_key or [(float(k),) for k in range(len(d))]
    out = [0] * len(d)
    left = cap
    for k in sorted(range(len(d)), key=lambda i: (keys[i], i)):
        take = min(d[k], left)
        out[k] = take
        left -= take
    return out


def allocate_cumulative(
    capacity: float, demand: Sequence[int], owed: Sequence[float]
) -> tuple[list[int], list[float]]:
    r"""Pro-rata shares of ``floor(capacity)`` rounded on the cumulative entitlement.

    Claimant :math:`i` is entitled to :math:`q_i = C d_i / \sum_j d_j` units this
    year (:math:`C` the whole units available, :math:`d_i` its demand) on top of
    what it was owed, :math:`e_i = o_i + q_i`. Each gets :math:`\lfloor e_i \rfloor`
    (within ``[0, d_i]``); the units left go one by one to the largest
    :math:`e_i - x_i` (too many: taken back from the smallest), and
    :math:`e_i - x_i` is owed the next year. Largest remainders (Hamilton;
    Balinski and Young 2001) applied to the running total rather than to each
    year's quota: a claimant entitled to 0.4 of a unit a year gets one within three
    years instead of never, and while demands last each claimant's cumulative
    allocation stays within one unit of its cumulative entitlement. With nothing
    owed it is Hamilton rounding of the year's quotas.

    Parameters
    ----------
    capacity : float
        Units available (``inf``: every demand is met).
    demand : sequence of int
        Units each claimant asks for.
    owed : sequence of float
        Entitlement each claimant has not yet received (0 for a new claimant).

    Returns
    -------
    tuple of (list of int, list of float)
        Units per claimant (each at most its demand, summing to
        ``min(floor(capacity), sum(demand))``) and what each is owed afterwards.
    """
    d = [max(int(x), 0) for x in demand]
    o = [float(v) for v in owed]
    total = sum(d)
    cap = total if math.isinf(capacity) else min(math.floor(capacity + 1e-9), total)
    if cap >= total:
        return d, o
    if cap <= 0:
        return [0] * len(d), o
    e = [oi + cap * di / total for oi, di in zip(o, d, strict=True)]
    x = [min(di, max(0, math.floor(ei + 1e-9))) for ei, di in zip(e, d, strict=True)]
    n = len(d)
    while sum(x) < cap:
        i = max((k for k in range(n) if x[k] < d[k]), key=lambda k: (e[k] - x[k], -k))
        x[i] += 1
    while sum(x) > cap:
        i = min((k for k in range(n) if x[k] > 0), key=lambda k: (e[k] - x[k], k))
        x[i] -= 1
    return x, [ei - xi for ei, xi in zip(e, x, strict=True)]


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
    if "source" not in o.columns:
        o["source"] = "new"
    allies = sorted(set(o["iso3"]))
    systems = sorted(set(o["system"]), key=lambda s: (tier_rank.get(_tier(o, s), 9), s))
    outstanding = {(str(r["iso3"]), str(r["system"])): 0 for r in o.to_dict("records")}
    contracted = dict.fromkeys(outstanding, 0)  # signed contracts per (ally, system)
    queue_key: dict[tuple[str, str], tuple[float, ...]] = {}
    for r in o.to_dict("records"):
        k = (str(r["iso3"]), str(r["system"]))
        outstanding[k] += int(r["fire_units"])
        if str(r["source"]) == "contract":
            contracted[k] += int(r["fire_units"])
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
    owed: dict[tuple[str, ...], float] = {}  # pro-rata entitlement carried forward
    rows: list[dict[str, object]] = []
    line_rows: list[dict[str, object]] = []

    def split(
        got: float, claims: dict[str, int], names: list[str], tag: tuple[str, ...]
    ) -> list[int]:
        """Pro-rata among ``names``, rounding carried per claimant under ``tag``."""
        keys = [(*tag, n) for n in names]
        part, left = allocate_cumulative(
            got, [claims[n] for n in names], [owed.get(k, 0.0) for k in keys]
        )
        owed.update(zip(keys, left, strict=True))
        return part

    def shares(
        claims: dict[str, int],
        line_cap: float,
        key_of: dict[str, tuple[float, ...]],
        tag: tuple[str, ...],
        pooled: bool,
    ) -> dict[str, int]:
        names = sorted(claims)
        grp = {a: group[a] for a in names} if pooled else {a: a for a in names}
        grp_names = sorted(set(grp.values()))
        gdem = {g: sum(claims[a] for a in names if grp[a] == g) for g in grp_names}
        gkey: dict[str, tuple[float, ...]]
        if rule == "exposure":
            gkey = {g: (-max(expo.get(a, 0.0) for a in names if grp[a] == g),) for g in grp_names}
        else:
            gkey = {g: min(key_of[a] for a in names if grp[a] == g) for g in grp_names}
        gget: dict[str, int] = {}
        left = line_cap
        ranks = {g: rank_of.get(g, 0) if pooled else 0 for g in grp_names}
        for rank in sorted(set(ranks.values())):
            idx = [g for g in grp_names if ranks[g] == rank]
            if rule == "pro-rata":
                part = split(left, gdem, idx, (*tag, "claimant"))
            else:
                part = allocate(
                    left, [gdem[g] for g in idx], rule, order_key=[gkey[g] for g in idx]
                )
            gget.update(zip(idx, part, strict=True))
            left = left - sum(part)
        out: dict[str, int] = {}
        for g in grp_names:
            members = [a for a in names if grp[a] == g]
            if len(members) == 1:
                out[members[0]] = gget[g]
                continue
            out.update(
                zip(members, split(gget[g], claims, members, (*tag, "pool", g)), strict=True)
            )
        return out

    def staged(
        contract: dict[str, int],
        new: dict[str, int],
        line_cap: float,
        key_of: dict[str, tuple[float, ...]],
        tag: tuple[str, ...],
    ) -> dict[str, int]:
        """Signed contracts first (national claimants), then new orders (pools)."""
        first_got = shares(contract, line_cap, key_of, (*tag, "contract"), False)
        left = line_cap - sum(first_got.values())
        second = shares(new, left, key_of, (*tag, "new"), True) if new else {}
        return {a: first_got.get(a, 0) + second.get(a, 0) for a in {*first_got, *second}}

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
            claims_c: dict[str, int] = {}
            claims_n: dict[str, int] = {}
            for a in allies:
                k = (a, s)
                left = outstanding.get(k, 0)
                if left <= 0:
                    continue
                price = float(price_musd.get(k, 0.0))
                # A signed contract is delivered whatever the year's cash (its
                # payment may run the ally's cash negative); new orders wait for money
                # left after it.
                in_c = min(left, max(contracted[k] - fu_got[k], 0))
                afford = left - in_c
                if cash_in_musd is not None and price > 0:
                    money = max(cash[a] - in_c * price, 0.0)
                    afford = min(afford, math.floor(money / price + 1e-9))
                if in_c > 0:
                    claims_c[a] = in_c
                if afford > 0:
                    claims_n[a] = afford
            key_of = {a: queue_key[(a, s)] for a in {*claims_c, *claims_n}}
            got = staged(claims_c, claims_n, fu_cap, key_of, ("fu", s))
            ipf = int(interceptors_per_fu.get(s, 0))
            for a, n in got.items():
                if n <= 0:
                    continue
                k = (a, s)
                outstanding[k] -= n
                fu_got[k] += n
                pending[k] += n
                cash[a] -= n * float(price_musd.get(k, 0.0))
            need_c: dict[str, int] = {}
            need_n: dict[str, int] = {}
            for a in allies:
                k = (a, s)
                if k not in fu_got or fu_got[k] * ipf <= int_got[k]:
                    continue
                nc = max(min(fu_got[k], contracted[k]) * ipf - int_got[k], 0)
                if nc > 0:
                    need_c[a] = nc
                if fu_got[k] * ipf - int_got[k] - nc > 0:
                    need_n[a] = fu_got[k] * ipf - int_got[k] - nc
            ints = (
                staged(
                    need_c,
                    need_n,
                    int_cap,
                    {a: queue_key[(a, s)] for a in {*need_c, *need_n}},
                    ("int", s),
                )
                if ipf > 0 and (need_c or need_n)
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
