"""Signed contracts ahead of new orders; pro-rata rounding on cumulative entitlements;
gainers and losers from each ally-tier increment."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gbad.industry import allocate_cumulative, simulate
from gbad.industry.completion import tier_gains
from gbad.industry.schedule import Schedule
from gbad.industry.stage import IndustryResult

YEARS = [2025, 2026, 2027, 2028, 2029]


def _cap(fu: float, ints: float, system: str = "s") -> pd.DataFrame:
    return pd.DataFrame(
        [{"system": system, "year": y, "fire_units": fu, "interceptors": ints} for y in YEARS]
    )


def _orders(rows: list[tuple[str, int, int, str]]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "iso3": a,
                "tier": "long",
                "system": "s",
                "fire_units": n,
                "order_year": y,
                "source": src,
            }
            for a, n, y, src in rows
        ]
    )


def _run(orders: pd.DataFrame, cap: pd.DataFrame, ipf: int, **kw: object) -> Schedule:
    return simulate(
        orders,
        cap,
        YEARS,
        rule="pro-rata",
        price_musd={},
        interceptors_per_fu={"s": ipf},
        opex_musd={},
        **kw,  # type: ignore[arg-type]
    )


def _by_year(sch: Schedule, iso: str, col: str) -> dict[int, int]:
    d = sch.deliveries
    return d[d["iso3"] == iso].groupby("year")[col].sum().astype(int).to_dict()


@pytest.mark.parametrize("pooled", [False, True])
def test_contract_served_before_bigger_new_order_on_the_line(pooled: bool) -> None:
    # C holds a signed contract for 2 fire units; A and B (a pool, booked ahead when
    # pooled) order 10 each. 2 fire units a year: the contract takes the first year's
    # whole output. Before contracts went first, pro-rata gave C 0 of 2 (quota
    # 2*2/22 = 0.18) and the pool's booking rank 0 of 2.
    orders = _orders([("A", 10, 2025, "new"), ("B", 10, 2025, "new"), ("C", 2, 2024, "contract")])
    kw = {"groups": {"A": "pool", "B": "pool"}, "priority": {"pool": 0, "C": 1}} if pooled else {}
    sch = _run(orders, _cap(2.0, math.inf), 0, **kw)
    assert _by_year(sch, "C", "fire_units") == {2025: 2}
    assert _by_year(sch, "A", "fire_units").get(2025, 0) == 0


def test_contract_loads_come_first_on_a_scarce_missile_line() -> None:
    # No fire-unit limit; 8 interceptors a year, 4 per fire unit. C's contracted unit
    # is loaded (complete) in the first year although A's new order is ten times larger.
    orders = _orders([("A", 10, 2025, "new"), ("C", 1, 2024, "contract")])
    sch = _run(orders, _cap(math.inf, 8.0), 4, groups={"A": "pool"}, priority={"pool": 0, "C": 1})
    assert _by_year(sch, "C", "complete") == {2025: 1}
    assert _by_year(sch, "C", "interceptors") == {2025: 4}
    assert _by_year(sch, "A", "interceptors")[2025] == 4


def test_contract_delivered_whatever_the_cash() -> None:
    # A signed contract is delivered even though the year's money (5) is below its
    # price (10); the new order waits until the cash is positive again.
    orders = _orders([("C", 1, 2024, "contract"), ("C", 1, 2025, "new")])
    sch = simulate(
        orders,
        _cap(math.inf, math.inf),
        YEARS,
        rule="pro-rata",
        price_musd={("C", "s"): 10.0},
        interceptors_per_fu={"s": 0},
        opex_musd={},
        cash_in_musd={("C", y): 5.0 for y in YEARS},
    )
    # cash: 5 - 10 = -5; -5 + 5 = 0; 5; 10 -> the new unit in 2028
    assert _by_year(sch, "C", "fire_units") == {2025: 1, 2028: 1}


def test_small_claimant_gets_its_unit_within_one_over_share_years() -> None:
    # One fire unit a year among demands 30 and 20: B is entitled to 0.4 a year. Each
    # year's Hamilton rounding gave A every unit (0.6 > 0.4); rounding the cumulative
    # entitlement gives B its first unit in the second year (0.8 > 0.2) and
    # floor(cumulative entitlement) by every year.
    orders = _orders([("A", 30, 2025, "new"), ("B", 20, 2025, "new")])
    sch = _run(orders, _cap(1.0, math.inf), 0)
    got_b = _by_year(sch, "B", "fire_units")
    assert sum(got_b.values()) == 2
    assert min(got_b) == 2026
    entitled, received = 0.0, 0
    left = {"A": 30, "B": 20}
    for y in YEARS:
        entitled += left["B"] / (left["A"] + left["B"])
        received += got_b.get(y, 0)
        assert received >= math.floor(entitled)
        a_got = _by_year(sch, "A", "fire_units").get(y, 0)
        left["A"] -= a_got
        left["B"] -= got_b.get(y, 0)


@settings(max_examples=150, deadline=None)
@given(
    st.integers(2, 6).flatmap(
        lambda n: st.lists(
            st.tuples(
                st.integers(0, 12),  # whole units available that year
                st.lists(st.integers(1, 40), min_size=n, max_size=n),  # demand weights
            ),
            min_size=1,
            max_size=25,
        )
    )
)
def test_cumulative_allocation_tracks_cumulative_entitlement(
    years: list[tuple[int, list[int]]],
) -> None:
    # Demands large enough never to bind (each at least the year's capacity + 1), so
    # every claimant stays in: the allocation never exceeds capacity and each
    # claimant's running total is within one unit of its running entitlement
    # (floor(entitlement) at least).
    n = len(years[0][1])
    owed = [0.0] * n
    got = [0] * n
    entitled = [0.0] * n
    for cap, weights in years:
        demand = [w * (cap + 1) for w in weights]
        x, owed = allocate_cumulative(cap, demand, owed)
        assert sum(x) == cap
        assert all(0 <= xi <= di for xi, di in zip(x, demand, strict=True))
        for i in range(n):
            got[i] += x[i]
            entitled[i] += cap * demand[i] / sum(demand)
            assert abs(got[i] - entitled[i]) < 1 + 1e-9
            assert got[i] >= math.floor(entitled[i] + 1e-9)


def _sched(rows: list[tuple[str, str, int, int]]) -> Schedule:
    d = pd.DataFrame(
        [
            {
                "year": y,
                "iso3": a,
                "system": "s",
                "tier": t,
                "fire_units": n,
                "interceptors": 0,
                "complete": n,
                "spend_musd": 0.0,
            }
            for a, t, y, n in rows
        ]
    )
    return Schedule(deliveries=d, lines=pd.DataFrame(), outstanding=pd.DataFrame())


def test_losers_are_the_allies_with_an_increment_later_jointly() -> None:
    # X: long 2030 nationally, 2032 jointly; short 2035 both -> the ally's own target
    # year is 2035 either way (years_gained 0), but one increment is later: a loser.
    # Y: long earlier jointly (gainer).
    nat = _sched([("X", "long", 2030, 1), ("X", "short", 2035, 1), ("Y", "long", 2031, 1)])
    joint = _sched([("X", "long", 2032, 1), ("X", "short", 2035, 1), ("Y", "long", 2029, 1)])
    incs = [("X", "long", 1), ("X", "short", 1), ("Y", "long", 1)]
    gains = tier_gains(nat, joint, incs, list(range(2025, 2041)))
    assert gains["years_gained"].tolist() == [-2, 0, 2]
    countries = pd.DataFrame({"iso3": ["X", "Y"], "years_gained": [0, 2]})
    res = IndustryResult.__new__(IndustryResult)
    object.__setattr__(res, "tier_gains", gains)
    object.__setattr__(res, "countries", countries)
    jp = res._gainers_losers()
    later = {r["iso3"] for r in gains.to_dict("records") if r["years_gained"] < 0}
    assert jp["losers"] == sorted(later) == ["X"]
    assert jp["gainers"] == ["Y"]
    assert jp["increments_later"] == 1
    assert jp["increments_earlier"] == 1
