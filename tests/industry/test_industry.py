"""Industry: allocation rules, capacity never exceeded, orders conserved, hand cases."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gbad.budget import compute_budget
from gbad.industry import allocate, capacity_table, compute_industry, simulate, volume_price_factor
from gbad.scenario import Scenario, parse_scenario
from gbad.targets import compute_targets
from tests.targets.fixtures import make_ref


def test_allocation_rules_by_hand() -> None:
    # pro-rata: quotas 5, 2.5, 2.5 -> 5, 3, 2 (tie to the first listed)
    assert allocate(10, [10, 5, 5], "pro-rata") == [5, 3, 2]
    assert allocate(10, [10, 5, 5], "first-come", order_key=[(2,), (1,), (0,)]) == [0, 5, 5]
    assert allocate(7, [10, 5], "exposure", order_key=[(-0.2,), (-0.9,)]) == [2, 5]
    assert allocate(math.inf, [3, 4], "pro-rata") == [3, 4]
    assert allocate(2.9, [3, 4], "first-come") == [2, 0]


@settings(max_examples=200, deadline=None)
@given(
    st.floats(0, 100, allow_nan=False),
    st.lists(st.integers(0, 50), min_size=1, max_size=6),
    st.sampled_from(["first-come", "pro-rata", "exposure"]),
)
def test_allocate_respects_capacity_and_demand(cap: float, demand: list[int], rule: str) -> None:
    got = allocate(cap, demand, rule)  # type: ignore[arg-type]
    assert all(0 <= g <= d for g, d in zip(got, demand, strict=True))
    assert sum(got) == min(math.floor(cap + 1e-9), sum(demand))


def test_volume_discount_learning_curve() -> None:
    # (Q/q)^log2(r): tenfold pooling at r = 0.9 -> exp(ln 10 ln 0.9 / ln 2) = exp(-0.35000)
    assert volume_price_factor(10, 1, 0.9, 50) == pytest.approx(0.9 ** math.log2(10))
    assert volume_price_factor(10, 1, 0.9, 50) == pytest.approx(0.704688, abs=1e-6)
    assert volume_price_factor(100, 1, 0.9, 20) == pytest.approx(0.8)  # capped
    assert volume_price_factor(5, 5, 0.9, 20) == 1.0
    assert volume_price_factor(10, 1, 1.0, 20) == 1.0


def test_capacity_steps_hold_and_nan_is_unlimited() -> None:
    prod = pd.DataFrame(
        {
            "system": ["a", "a", "b"],
            "year": [2025, 2027, 2025],
            "fire_units_per_year_mid": [2.0, 4.0, float("nan")],
            "interceptors_per_year_mid": [10.0, float("nan"), 5.0],
        }
    )
    cap = capacity_table(prod, [2024, 2026, 2027, 2030], multiplier=2).set_index(["system", "year"])
    assert cap.loc[("a", 2024), "fire_units"] == 4.0  # first rate applies before it
    assert cap.loc[("a", 2026), "fire_units"] == 4.0
    assert cap.loc[("a", 2030), "fire_units"] == 8.0
    assert cap.loc[("a", 2030), "interceptors"] == 20.0  # held after a NaN announcement
    assert math.isinf(cap.loc[("b", 2026), "fire_units"])


def _one_line_orders(n: int) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "iso3": ["A"],
            "tier": ["medium"],
            "system": ["s"],
            "fire_units": [n],
            "order_year": [2025],
        }
    )


def test_interceptor_line_limits_completion_by_hand() -> None:
    # 6 fire units at 3/yr; each needs 4 interceptors; 8 interceptors/yr.
    cap = pd.DataFrame(
        {
            "system": ["s"] * 4,
            "year": [2026, 2027, 2028, 2029],
            "fire_units": [3.0] * 4,
            "interceptors": [8.0] * 4,
        }
    )
    sch = simulate(
        _one_line_orders(6),
        cap,
        [2026, 2027, 2028, 2029],
        rule="pro-rata",
        price_musd={("A", "s"): 1.0},
        interceptors_per_fu={"s": 4},
        opex_musd={},
    )
    d = sch.deliveries.set_index("year")
    assert d["fire_units"].to_dict() == {2026: 3, 2027: 3, 2028: 0}
    assert d["interceptors"].to_dict() == {2026: 8, 2027: 8, 2028: 8}
    assert d["complete"].to_dict() == {2026: 2, 2027: 2, 2028: 2}


def test_budget_limits_deliveries_by_hand() -> None:
    # price 10 MUSD, 15 MUSD a year, no line limit: 1 unit in 2025, 2 in 2026.
    sch = simulate(
        _one_line_orders(3),
        pd.DataFrame(columns=["system", "year", "fire_units", "interceptors"]),
        [2025, 2026, 2027],
        rule="pro-rata",
        price_musd={("A", "s"): 10.0},
        interceptors_per_fu={"s": 0},
        opex_musd={},
        cash_in_musd={("A", 2025): 15.0, ("A", 2026): 15.0, ("A", 2027): 15.0},
    )
    assert sch.deliveries.set_index("year")["fire_units"].to_dict() == {2025: 1, 2026: 2}


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from("ABC"), st.sampled_from("xy"), st.integers(0, 30)),
        min_size=1,
        max_size=6,
    ),
    st.integers(0, 6),
    st.integers(0, 40),
    st.sampled_from(["first-come", "pro-rata", "exposure"]),
    st.booleans(),
)
def test_schedule_never_exceeds_capacity_and_conserves_orders(
    rows: list[tuple[str, str, int]], fu_cap: int, int_cap: int, rule: str, pooled: bool
) -> None:
    orders = pd.DataFrame(
        [
            {"iso3": a, "tier": "medium", "system": s, "fire_units": n, "order_year": 2025}
            for a, s, n in rows
        ]
    )
    years = list(range(2025, 2031))
    cap = pd.DataFrame(
        [
            {"system": s, "year": y, "fire_units": float(fu_cap), "interceptors": float(int_cap)}
            for s in "xy"
            for y in years
        ]
    )
    sch = simulate(
        orders,
        cap,
        years,
        rule=rule,  # type: ignore[arg-type]
        price_musd={},
        interceptors_per_fu={"x": 3, "y": 0},
        opex_musd={},
        groups={"A": "p", "B": "p"} if pooled else None,
        exposure={"A": 0.1, "B": 0.5, "C": 0.4},
    )
    d = sch.deliveries
    per = d.groupby(["system", "year"])[["fire_units", "interceptors"]].sum()
    assert (per["fire_units"] <= fu_cap).all()
    assert (per["interceptors"] <= int_cap).all()
    ordered = orders.groupby(["iso3", "system"])["fire_units"].sum()
    got = d.groupby(["iso3", "system"])["fire_units"].sum().reindex(ordered.index, fill_value=0)
    left = sch.outstanding.set_index(["iso3", "system"])["fire_units"].reindex(
        ordered.index, fill_value=0
    )
    assert (got + left == ordered).all()
    done = d.groupby(["iso3", "system"])["complete"].sum().reindex(ordered.index, fill_value=0)
    assert (done <= got).all()


def test_compute_industry_on_fixture() -> None:
    ref = make_ref()
    sc = Scenario()
    t = compute_targets(ref, sc)
    res = compute_industry(ref, sc, t, compute_budget(ref, sc, t))
    assert list(res.interceptor_deliveries.columns) == ["system", "year", "iso3", "interceptors"]
    assert (res.interceptor_deliveries["interceptors"] > 0).all()
    d = res.to_dict()
    assert d["coalition"] == ["DEU", "EST"]  # ESSI members among the plan's allies
    assert d["delivery_year"] == d["collective_target_met_year"]
    # Contracts fill increments first: Germany's 8 Patriot on order appear as a contract.
    contract = res.orders[(res.orders["source"] == "contract") & (res.orders["iso3"] == "DEU")]
    assert contract["fire_units"].sum() == 8
    # Doubling a line never delays the collective target.
    for r in d["doubling"]:
        assert r["years_earlier"] is None or r["years_earlier"] >= 0
    # Pooled members never pay more than buying alone.
    assert (res.countries["cost_saved_musd"] >= 0).all()
    nat = compute_industry(
        ref,
        parse_scenario({"industry": {"joint_procurement": False}}),
        t,
        compute_budget(ref, sc, t),
    )
    assert nat.mode == "national"


def test_without_what_if_the_schedule_is_the_same() -> None:
    ref = make_ref()
    # Half the line capacity: the Patriot line binds, so the doubling comparison matters.
    sc = parse_scenario({"industry": {"capacity_multiplier": 0.5}})
    t = compute_targets(ref, sc)
    b = compute_budget(ref, sc, t)
    full = compute_industry(ref, sc, t, b)
    lean = compute_industry(ref, sc, t, b, what_if=False)
    assert not full.doubling.empty and full.binding_line is not None  # the fixture saturates
    assert lean.doubling.empty and lean.binding_line is None
    assert lean.deliveries.equals(full.deliveries)
    assert lean.interceptor_deliveries.equals(full.interceptor_deliveries)
    assert lean.countries["met_year"].equals(full.countries["met_year"])
    assert lean.countries["cost_saved_musd"].equals(full.countries["cost_saved_musd"])
    assert (lean.collective_met_year, lean.production_only_year) == (
        full.collective_met_year,
        full.production_only_year,
    )
    # The comparisons are what is left out.
    assert lean.budget_only_year is None
    assert lean.countries["national_met_year"].isna().all()
