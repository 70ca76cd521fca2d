"""Procurement: one decision per ally and tier, contracts included, shares that add up."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gbad.budget import compute_budget
from gbad.errors import GbadInputError
from gbad.procurement import decide_procurement
from gbad.reference import load_reference
from gbad.scenario import parse_scenario
from gbad.targets import compute_targets

REF = load_reference()


def _decide(doc: dict[str, Any]) -> Any:
    sc = parse_scenario(doc)
    return decide_procurement(REF, sc, compute_targets(REF, sc))


def test_default_rule_buys_what_an_ally_operates_or_ordered() -> None:
    p = _decide({"countries": ["POL", "EST", "DEU"]})
    ch = p.choices.set_index(["iso3", "tier", "system"])
    # Poland has Patriot in service and on order: it buys more Patriot.
    assert ch.loc[("POL", "long", "patriot"), "rule"] == "ordered"
    # Estonia holds no long-range system: the tier default, the system Europe holds most of.
    est = p.choices[(p.choices["iso3"] == "EST") & (p.choices["tier"] == "long")]
    assert list(est["rule"]) == ["tier default"]
    assert p.system_of("EST", "long") == "patriot"


def test_contracts_count_first_and_new_orders_fill_the_increment() -> None:
    p = _decide({"countries": ["POL", "DEU"]})
    needs = p.needs.set_index(["iso3", "tier"])
    orders = p.orders
    for (iso, tier), row in needs.iterrows():
        mine = orders[(orders["iso3"] == iso) & (orders["tier"] == tier)]
        contracted = int(mine.loc[mine["source"] == "contract", "fire_units"].sum())
        new = int(mine.loc[mine["source"] == "new", "fire_units"].sum())
        assert contracted == row["contracted"]
        assert new == max(0, row["increment"] - contracted) == row["new"]
    # every inventory contract of these allies is an order, whatever the target
    inv = REF.inventory
    signed = inv[inv["iso3"].isin(["POL", "DEU"]) & (inv["status"] == "on order")]
    assert int(orders.loc[orders["source"] == "contract", "fire_units"].sum()) == int(
        signed["fire_units_mid"].round().sum()
    )


def test_scenario_shares_split_new_units_by_largest_remainder() -> None:
    p = _decide({"countries": ["POL"], "procurement": {"POL:short": {"camm": 1, "pilica-plus": 2}}})
    rows = p.choices[(p.choices["iso3"] == "POL") & (p.choices["tier"] == "short")]
    new = rows.set_index("system")["new"]
    total = int(new.sum())
    assert abs(int(new["pilica-plus"]) - 2 * total / 3) < 1
    assert set(rows.loc[rows["new"] > 0, "rule"]) == {"scenario"}
    assert rows["share"].sum() == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("doc", "field"),
    [
        ({"procurement": {"long": "iris-t-slm"}}, "procurement.long"),
        ({"procurement": {"space": "patriot"}}, "procurement.space"),
        ({"procurement": {"XXX:long": "patriot"}}, "procurement.XXX:long"),
        ({"procurement": {"DEU:long": "thaad"}}, "procurement.DEU:long"),
        ({"industry": {"buy": {"long": "nasams"}}}, "industry.buy.long"),
    ],
)
def test_bad_choices_name_the_field(doc: dict[str, Any], field: str) -> None:
    with pytest.raises(GbadInputError) as exc:
        _decide(doc)
    assert exc.value.field == field


@settings(max_examples=8, deadline=None)
@given(
    factor=st.floats(min_value=1.0, max_value=8.0),
    allies=st.lists(
        st.sampled_from(["POL", "DEU", "EST", "FRA", "ITA", "ROU"]),
        min_size=1,
        max_size=3,
        unique=True,
    ),
)
def test_shares_add_up_and_the_budget_costs_exactly_what_is_bought(
    factor: float, allies: list[str]
) -> None:
    sc = parse_scenario({"countries": allies, "target": {"factor": factor}})
    targets = compute_targets(REF, sc)
    p = decide_procurement(REF, sc, targets)
    sums = p.choices.groupby(["iso3", "tier"])["share"].sum()
    assert ((sums - 1.0).abs() < 1e-9).all()
    assert (p.choices["fire_units"] == p.choices["contracted"] + p.choices["new"]).all()
    budget = compute_budget(REF, sc, targets, p, least_cost=False)
    lines = budget.lines.set_index(["iso3", "tier", "system"])["units"]
    bought = p.choices[p.choices["fire_units"] > 0].set_index(["iso3", "tier", "system"])
    assert lines.sort_index().to_dict() == bought["fire_units"].sort_index().to_dict()
    assert budget.total_cost_musd == pytest.approx(float(budget.lines["capex_musd"].sum()))
