"""Budget arithmetic against hand-computed cases."""

from __future__ import annotations

import pytest

from gbad.budget import compute_budget, gdp_path, share_path
from gbad.errors import GbadInputError
from gbad.scenario import parse_scenario
from gbad.targets import compute_targets
from tests.targets.fixtures import make_ref


def test_gdp_path_by_hand() -> None:
    nominal = gdp_path(100.0, 2024, [2024, 2025, 2026], real_growth_pct=2, inflation_pct=1)
    # (1.02 * 1.01) = 1.0302 per year
    assert nominal.tolist() == pytest.approx([100.0, 103.02, 106.131204])
    real = gdp_path(
        100.0, 2024, [2025, 2026], real_growth_pct=2, inflation_pct=1, base_year=2025, real=True
    )
    # carried to 2025 in nominal terms, then real growth only: 103.02, 103.02 * 1.02
    assert real.tolist() == pytest.approx([103.02, 105.0804])


def test_share_paths_by_hand() -> None:
    years = [2025, 2030, 2035, 2040]
    assert share_path(2.0, 3.5, 2025, 2035, years).tolist() == pytest.approx([2, 2.75, 3.5, 3.5])
    front = share_path(2.0, 3.5, 2025, 2035, [2030], shape="front-loaded")
    back = share_path(2.0, 3.5, 2025, 2035, [2030], shape="back-loaded")
    assert front.tolist() == pytest.approx([3.125])  # 2 + 1.5 * (1 - 0.5**2)
    assert back.tolist() == pytest.approx([2.375])  # 2 + 1.5 * 0.5**2
    assert share_path(4.3, 3.5, 2025, 2035, years).tolist() == pytest.approx([4.3] * 4)
    user = share_path(0, 0, 2025, 2035, [2024, 2026, 2030], user_points={2025: 2.0, 2027: 3.0})
    assert user.tolist() == pytest.approx([2.0, 2.5, 3.0])


def test_funding_year_and_gap_by_hand() -> None:
    ref = make_ref()
    sc = parse_scenario(
        {"budget": {"real_growth_pct": 0, "inflation_pct": 0, "gbad_share_of_core_pct": 6}}
    )
    targets = compute_targets(ref, sc)
    res = compute_budget(ref, sc, targets)
    est = res.costs[res.costs["iso3"] == "EST"].set_index("tier")
    # Estonia's only new unit is one Patriot fire unit (long tier, GDP key).
    assert est["new_units"].to_dict() == {
        "long": 1,
        "medium": 0,
        "short": 0,
        "very-short": 0,
        "c-uas": 0,
    }
    row = res.countries.set_index("iso3").loc["EST"]
    # 1000 + 4 launchers x 4 missiles x 4 MUSD = 1064 MUSD
    assert row["capex_musd"] == pytest.approx(1064.0)
    # GDP 40 bn flat, core share 3.5% flat (already at the pledge), 6% to GBAD:
    # 40,000 MUSD x 0.035 x 0.06 = 84 MUSD a year, no baseline opex (Stinger opex 0).
    p = res.paths[res.paths["iso3"] == "EST"].set_index("year")
    assert p.loc[2025, "gbad_budget_musd"] == pytest.approx(84.0)
    # 84 n >= 1064 first at n = 13 years: 2025..2037.
    assert int(row["funded_year"]) == 2037
    assert not row["funded_by_horizon"]
    # 11 years to 2035: 924 MUSD, gap 140 MUSD.
    assert row["gap_musd"] == pytest.approx(140.0)
    assert "EST" in res.to_dict()["unfunded_countries"]
    assert res.funding_year is None


def test_baseline_opex_reduces_the_budget() -> None:
    ref = make_ref()
    sc = parse_scenario({"budget": {"real_growth_pct": 0, "inflation_pct": 0}})
    res = compute_budget(ref, sc, compute_targets(ref, sc))
    deu = res.paths[res.paths["iso3"] == "DEU"].set_index("year")
    # 8 Patriot x 20 + 2 IRIS-T SLM x 5 = 170 MUSD a year
    assert deu.loc[2025, "baseline_opex_musd"] == pytest.approx(170.0)
    first = deu.loc[2025, "gbad_budget_musd"] - 170.0
    assert deu.loc[2025, "cumulative_net_musd"] == pytest.approx(first)
    summary = res.to_dict()
    assert summary["total_cost_musd"] == pytest.approx(float(res.costs["capex_musd"].sum()))
    assert summary["least_cost"]["optimal"] is True


def test_buy_override_and_its_errors() -> None:
    ref = make_ref()
    sc = parse_scenario({"industry": {"buy": {"medium": "iris-t-slm", "ESP:long": "patriot"}}})
    res = compute_budget(ref, sc, compute_targets(ref, sc))
    chosen = res.costs.set_index(["iso3", "tier"])["system"]
    assert chosen[("POL", "medium")] == "iris-t-slm"
    assert chosen[("ESP", "long")] == "patriot"
    for buy, field in (
        ({"long": "iris-t-slm"}, "industry.buy.long"),
        ({"space": "patriot"}, "industry.buy.space"),
        ({"DEU:long": "thaad"}, "industry.buy.DEU:long"),
    ):
        with pytest.raises(GbadInputError) as exc:  # at parse time or by the stage
            bad = parse_scenario({"industry": {"buy": buy}})
            compute_budget(ref, bad, compute_targets(ref, bad))
        assert exc.value.field == field


def test_least_cost_can_be_skipped_without_changing_the_rest() -> None:
    ref = make_ref()
    sc = parse_scenario({})
    targets = compute_targets(ref, sc)
    full = compute_budget(ref, sc, targets)
    fast = compute_budget(ref, sc, targets, least_cost=False)
    assert fast.to_dict()["least_cost"] == {"skipped": True}
    assert fast.least_cost.empty
    assert fast.countries.equals(full.countries)
    assert fast.total_cost_musd == full.total_cost_musd
