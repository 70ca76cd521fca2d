"""Joint against national buying: learning, the split of the difference, zero effects."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import integrate

from gbad.budget import compute_budget
from gbad.errors import GbadInputError
from gbad.industry.essi import COST_PARTS, compute_essi, pooling_assumptions
from gbad.industry.pooling import POOLING_EFFECTS, PoolingAssumptions, learning_batch_factor
from gbad.industry.schedule import simulate
from gbad.reference import load_reference, load_table
from gbad.scenario import Scenario, parse_scenario
from gbad.targets import compute_targets
from tests.targets.fixtures import make_ref


def _ref() -> object:
    ref = make_ref()
    ref.pooling = load_table("pooling")  # type: ignore[attr-defined]
    return ref


def _stages(sc: Scenario | None = None) -> tuple[object, Scenario, object, object]:
    ref = _ref()
    sc = sc or Scenario()
    t = compute_targets(ref, sc)
    return ref, sc, t, compute_budget(ref, sc, t)


@settings(max_examples=60, deadline=None)
@given(
    c=st.floats(0, 500),
    n=st.floats(0.5, 500),
    q0=st.floats(1, 1000),
    r=st.floats(0.7, 1.0),
)
def test_learning_batch_mean_is_the_integral_of_wrights_curve(
    c: float, n: float, q0: float, r: float
) -> None:
    # Authority: numerical quadrature of the unit-cost curve over the batch.
    b = math.log2(r)
    want = integrate.quad(lambda x: ((q0 + x) / q0) ** b, c, c + n)[0] / n
    assert learning_batch_factor(c, n, q0, r) == pytest.approx(want, rel=1e-9)
    assert 0 < learning_batch_factor(c, n, q0, r) <= 1 + 1e-12


def test_learning_is_one_without_learning_and_falls_with_output() -> None:
    assert learning_batch_factor(100, 10, 50, 1.0) == pytest.approx(1.0)
    # Doubling the output from the anchor costs r per unit at the margin.
    assert learning_batch_factor(50, 0, 50, 0.9) == pytest.approx(0.9)
    assert learning_batch_factor(200, 10, 50, 0.9) < learning_batch_factor(0, 10, 50, 0.9)


def test_pooling_table_levels_and_zero() -> None:
    table = load_table("pooling")
    assert set(POOLING_EFFECTS) <= set(table["effect"])
    assert table["source_id"].str.len().gt(0).all()
    low, mid, high = (PoolingAssumptions.from_table(table, lv) for lv in ("low", "mid", "high"))
    for e in POOLING_EFFECTS:
        assert getattr(low, e) <= getattr(mid, e) <= getattr(high, e)
    zero = PoolingAssumptions.from_table(table, "zero")
    assert all(getattr(zero, e) == 0 for e in POOLING_EFFECTS)
    assert zero.learning_prior_years == mid.learning_prior_years


def test_pooling_is_overridable_and_bad_names_are_refused() -> None:
    ref = load_reference({"pooling": {"framework_discount_pct": {"mid": 12.5}}})
    assert pooling_assumptions(ref, Scenario()).framework_discount_pct == 12.5
    sc = parse_scenario({"industry": {"pooling": {"common_config_pct": 4.0}}})
    assert pooling_assumptions(ref, sc).common_config_pct == 4.0
    with pytest.raises(GbadInputError) as err:
        pooling_assumptions(ref, parse_scenario({"industry": {"pooling": {"bogus": 1.0}}}))
    assert err.value.field == "industry.pooling.bogus"


def test_priority_books_the_pool_first_by_hand() -> None:
    orders = pd.DataFrame(
        {
            "iso3": ["AAA", "BBB", "CCC"],
            "tier": ["long"] * 3,
            "system": ["x"] * 3,
            "fire_units": [4, 4, 4],
            "order_year": [2025] * 3,
        }
    )
    cap = pd.DataFrame(
        {"system": ["x"], "year": [2025], "fire_units": [6.0], "interceptors": [math.inf]}
    )
    kw = {"rule": "first-come", "price_musd": {}, "interceptors_per_fu": {}, "opex_musd": {}}
    alike = simulate(orders, cap, [2025], **kw).deliveries.set_index("iso3")["fire_units"]
    assert alike.to_dict() == {"AAA": 4, "BBB": 2}
    pool = {"BBB": "pool", "CCC": "pool"}
    ahead = simulate(orders, cap, [2025], groups=pool, priority={"pool": 0, "AAA": 1}, **kw)
    got = ahead.deliveries.set_index("iso3")["fire_units"].to_dict()
    assert got == {"BBB": 3, "CCC": 3}  # the pool's 6 slots shared by demand; AAA waits


def test_zero_effects_joint_equals_national() -> None:
    ref, sc, t, b = _stages()
    zero = pooling_assumptions(ref, sc).zero()
    r = compute_essi(ref, sc, t, b, assumptions=zero)
    assert r.coalition == ["DEU", "EST"]
    assert (r.cost["national_musd"] == r.cost["joint_musd"]).all()
    for part in COST_PARTS:
        assert (r.cost[part] == 0).all()
    assert (r.trajectory["national"] == r.trajectory["joint"]).all()
    assert r.met_year["national"] == r.met_year["joint"]
    assert r.tier_met_year["national"] == r.tier_met_year["joint"]
    assert (
        r.delivery["national_year"].astype("Int64") == r.delivery["joint_year"].astype("Int64")
    ).all()


@pytest.mark.parametrize("level", ["low", "mid", "high"])
def test_coalition_of_one_is_national_buying(level: str) -> None:
    ref, sc, t, b = _stages(parse_scenario({"industry": {"pooling_level": level}}))
    one = compute_essi(ref, sc, t, b, coalition=["DEU"])
    zero = compute_essi(ref, sc, t, b, assumptions=pooling_assumptions(ref, sc).zero())
    assert (one.cost["national_musd"] == one.cost["joint_musd"]).all()
    assert (one.trajectory["national"] == one.trajectory["joint"]).all()
    # ... and national buying is the same whatever the coalition.
    assert one.trajectory["national"].tolist() == zero.trajectory["national"].tolist()


@pytest.mark.parametrize("level", ["low", "mid", "high"])
def test_difference_is_exactly_the_sum_of_its_parts(level: str) -> None:
    ref, sc, t, b = _stages(parse_scenario({"industry": {"pooling_level": level}}))
    r = compute_essi(ref, sc, t, b)
    parts = r.cost[list(COST_PARTS)].sum(axis=1)
    assert r.cost["difference_musd"].tolist() == pytest.approx(parts.tolist(), abs=1e-6)
    outside = r.cost[~r.cost["in_pool"]]
    for part in ("common_config_musd", "framework_discount_musd", "national_fixed_cost_musd"):
        assert (outside[part] == 0).all()  # price effects reach members only
        assert (r.cost[part] <= 0).all()  # and never raise a member's cost
    d = r.to_dict()
    assert set(d) >= {"coalition", "assumptions", "cost", "delivery", "campaign"}
    assert set(d["delivery"]["met_year_by_effect"]) == set(POOLING_EFFECTS)


def test_each_price_effect_alone_is_its_own_part() -> None:
    ref, sc, t, b = _stages()
    mid = pooling_assumptions(ref, sc)
    r = compute_essi(ref, sc, t, b, assumptions=mid.only("framework_discount_pct"), by_effect=False)
    members = r.cost[r.cost["in_pool"]]
    assert (members["framework_discount_musd"] < 0).any()
    assert (members["common_config_musd"] == 0).all()
    assert (members["national_fixed_cost_musd"] == 0).all()


def test_the_industry_stage_joint_schedule_is_the_comparisons() -> None:
    # One meaning of "joint buying": the plan's joint schedule is compute_essi's.
    from gbad.industry import compute_industry

    ref, sc, t, b = _stages()
    ind = compute_industry(ref, sc, t, b, what_if=False)
    assert ind.mode == "joint"
    r = compute_essi(ref, sc, t, b, by_effect=False)
    d = ind.deliveries[ind.deliveries["tier"].isin(["long", "medium"])]
    got = d.groupby(["iso3", "year"])["complete"].sum().groupby(level=0).cumsum()
    last = r.trajectory.groupby("iso3")["joint"].max()
    for iso, n in last.items():
        have = got.loc[iso].iloc[-1] if iso in got.index.get_level_values(0) else 0
        assert have == n
    # Price effects only lower the members' prices.
    assert (ind.countries["cost_saved_musd"] >= 0).all()


def test_reusing_the_industry_schedules_changes_nothing() -> None:
    from gbad.industry import compute_industry

    ref, sc, t, b = _stages()
    ind = compute_industry(ref, sc, t, b)
    assert set(ind.schedules) == {"national", "joint"}
    reused = compute_essi(ref, sc, t, b, industry=ind, by_effect=False)
    fresh = compute_essi(ref, sc, t, b, by_effect=False)
    pd.testing.assert_frame_equal(reused.cost, fresh.cost)
    pd.testing.assert_frame_equal(reused.trajectory, fresh.trajectory)
    assert reused.met_year == fresh.met_year


def test_cost_basis_is_the_budgets() -> None:
    # One meaning of the cost: ESSI's capex_musd is the budget's capex_musd per ally
    # (contracts and new orders, first interceptor loads), so its total is the plan's
    # total_cost_musd; national cost adds learning and national programme costs only.
    ref, sc, t, b = _stages()
    r = compute_essi(ref, sc, t, b, by_effect=False)
    budget = b.countries.set_index("iso3")["capex_musd"]
    got = r.cost.set_index("iso3")["capex_musd"]
    assert got.to_dict() == pytest.approx(budget.reindex(got.index).to_dict(), rel=1e-12)
    assert r.totals()["capex_musd"] == pytest.approx(b.total_cost_musd, rel=1e-12)
    assert (r.cost["contract_musd"] > 0).any()  # the fixture's allies hold contracts
    c = r.cost
    rebuilt = c["capex_musd"] + c["national_learning_musd"] + c["national_programme_musd"]
    assert c["national_musd"].tolist() == pytest.approx(rebuilt.tolist(), abs=1e-6)
    assert (c["national_learning_musd"] <= 1e-9).all()  # the curve only goes down


def test_without_learning_or_pooling_both_costs_are_the_budgets() -> None:
    # progress ratio 1 (no learning) and every effect zero: national = joint = budget.
    ref, sc, t, b = _stages(parse_scenario({"industry": {"progress_ratio": 1.0}}))
    r = compute_essi(ref, sc, t, b, assumptions=pooling_assumptions(ref, sc).zero())
    assert r.totals()["national_musd"] == pytest.approx(b.total_cost_musd, rel=1e-12)
    assert r.totals()["joint_musd"] == pytest.approx(b.total_cost_musd, rel=1e-12)


def test_industry_price_saving_is_the_essi_price_parts_without_learning() -> None:
    # industry.joint_procurement.cost_saved_musd (price effects at base-year prices on
    # the whole order) equals minus the ESSI common-configuration and discount parts
    # when there is no learning: one meaning of the price saving.
    from gbad.industry import compute_industry

    ref, sc, t, b = _stages(parse_scenario({"industry": {"progress_ratio": 1.0}}))
    ind = compute_industry(ref, sc, t, b, what_if=False)
    r = compute_essi(ref, sc, t, b, by_effect=False)
    saved = ind.countries.set_index("iso3")["cost_saved_musd"]
    parts = r.cost.set_index("iso3")[["common_config_musd", "framework_discount_musd"]]
    want = -parts.sum(axis=1)
    assert (want > 0).any()
    assert saved.reindex(want.index).tolist() == pytest.approx(want.tolist(), abs=1e-6)


def test_zero_effects_give_the_same_deliveries_row_for_row() -> None:
    # Stronger than the years: every delivery (ally, system, year, units,
    # interceptors) of the joint schedule is the national one's when every pooling
    # effect is zero, whatever the coalition.
    from gbad.industry.essi import _inputs, _run
    from gbad.industry.pooling import expanded_lines

    ref, sc, t, b = _stages()
    zero = pooling_assumptions(ref, sc).zero()
    inp = _inputs(ref, sc, t, b)
    for pool in ({"DEU", "EST"}, {"DEU"}, set(inp.orders["iso3"].astype(str))):
        grown = expanded_lines(inp.cap, inp.new_units, pool, inp.years[0])
        nat = _run(inp, set(), zero, grown).deliveries
        joint = _run(inp, pool, zero, grown).deliveries
        assert len(nat) > 0
        pd.testing.assert_frame_equal(nat, joint)


@pytest.mark.parametrize(
    ("base_year", "joined"),
    [(2022, set()), (2023, {"DNK", "SWE"}), (2024, {"DNK", "SWE", "GRC", "TUR"})],
)
def test_default_coalition_follows_the_sourced_joining_years(
    base_year: int, joined: set[str]
) -> None:
    # ESSI's membership by joining year (NATO releases of 13 Oct 2022 and 15 Feb 2023,
    # the letters of intent of Greece and Turkiye on 15 Feb 2024): the default
    # coalition is the members that had joined by the base year.
    from gbad.industry.pooling import coalition_of

    ref = load_reference()
    allies = ["DEU", "POL", "DNK", "SWE", "GRC", "TUR", "FRA"]
    sc = parse_scenario({"base_year": base_year})
    assert set(coalition_of(ref, sc, allies)) == {"DEU"} | joined
    chosen = parse_scenario({"base_year": base_year, "industry": {"coalition": ["POL", "FRA"]}})
    assert coalition_of(ref, chosen, allies) == ["POL", "FRA"]
