"""One name, one meaning across plan.json: stock-outs, endurance, rates and prices.

Each test reads two places of the same real plan that name the same quantity and
checks they hold the same number (or, where two quantities are meant, that they
carry different names and each is what its definition says).
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from gbad.plan._summary import OUTER_TIERS, _campaign


def _data(plan: Any) -> dict[str, Any]:
    return json.loads(json.dumps(plan.to_dict()))


def test_stockout_tables_agree(small_plan: Any) -> None:
    data = _data(small_plan)
    camp, s = data["campaign"], data["summary"]
    rows = camp["stockouts"]
    assert s["campaign_stockouts"] == sum(1 for r in rows if r["runs_out"])
    for r in rows:
        assert r["runs_out"] == (r["days"] is not None)
    for b in camp["by_system"]:
        days = [r["days"] for r in rows if r["system"] == b["system"] and r["runs_out"]]
        assert b["days_to_first_stockout"] == (min(days) if days else None)


def test_first_stockout_headline_names_what_ran_out() -> None:
    # A one-unit counter-drone stock out on night 2 and a Patriot stock of 6 fire units
    # out on night 11: the headline says both, the missile defence's on its own keys.
    rows = [
        {"iso3": "TUR", "system": "san", "tier": "c-uas", "fire_units": 1.0, "days": 2.0},
        {"iso3": "POL", "system": "patriot", "tier": "long", "fire_units": 6.0, "days": 11.0},
        {"iso3": "DEU", "system": "patriot", "tier": "long", "fire_units": 9.0, "days": 11.0},
        {"iso3": "EST", "system": "iris-t-slm", "tier": "medium", "fire_units": 2, "days": None},
    ]
    for r in rows:
        r["runs_out"] = r["days"] is not None
    out = _campaign({"nights": 30, "stockouts": rows, "by_system": []})
    assert out["campaign_first_stockout_nights"] == 2.0
    assert (out["campaign_first_stockout_iso3"], out["campaign_first_stockout_system"]) == (
        "TUR",
        "san",
    )
    assert out["campaign_first_stockout_fire_units"] == 1.0
    assert out["campaign_first_stockout_tier"] == "c-uas"
    # Ties on the night go to the stock behind more fire units.
    assert out["campaign_first_missile_stockout_iso3"] == "DEU"
    assert out["campaign_first_missile_stockout_system"] == "patriot"
    assert out["campaign_first_missile_stockout_nights"] == 11.0
    assert out["campaign_first_missile_stockout_fire_units"] == 9.0
    assert out["campaign_stockouts"] == 3
    assert set(OUTER_TIERS) == {"long", "medium"}


def test_summary_first_stockouts_are_rows_of_the_table(small_plan: Any) -> None:
    data = _data(small_plan)
    s, rows = data["summary"], data["campaign"]["stockouts"]
    days = [r["days"] for r in rows if r["runs_out"]]
    assert s["campaign_first_stockout_nights"] == (min(days) if days else None)
    missile = [r["days"] for r in rows if r["runs_out"] and r["tier"] in OUTER_TIERS]
    assert s["campaign_first_missile_stockout_nights"] == (min(missile) if missile else None)


def test_endurance_censored_everywhere(small_plan: Any) -> None:
    data = _data(small_plan)
    e, s = data["campaign"]["endurance"], data["summary"]
    # Censored: the defence lasted the campaign (not reached, with fire units to follow).
    assert e["censored"] == (not e["reached"] and e["nights"] is not None)
    assert s["campaign_endurance_censored"] == e["censored"]
    for m, t in zip(data["milestones"], s["trajectory"], strict=True):
        lasted = not m["endurance_reached"] and m["endurance_nights"] is not None
        assert m["endurance_censored"] == lasted
        assert t["endurance_censored"] == m["endurance_censored"]
        if m["endurance_censored"]:
            assert m["endurance_nights"] == data["campaign"]["nights"]
    # The small scenario's 5 nights are shorter than the 30-day resupply delay.
    assert s["campaign_resupply_delay_days"] == data["scenario"]["campaign"]["resupply_delay_days"]
    assert s["campaign_resupply_within_campaign"] is False


def test_one_production_rate_per_name(small_plan: Any) -> None:
    # Burn against build and the campaign's by_system both name Europe's share of a
    # line's output ``europe_production_per_year``: the same number (the horizon
    # year's line output times the allies' share, before first loads).
    data = _data(small_plan)
    by_system = {r["system"]: r for r in data["campaign"]["by_system"]}
    burn = data["burn_vs_build"]
    assert burn, "the small plan fires interceptors that have production lines"
    for r in burn:
        b = by_system[r["system"]]
        assert b["europe_production_per_year"] == r["europe_production_per_year"]
        assert r["europe_production_per_year"] == pytest.approx(
            r["europe_share"] * r["production_per_year"], rel=1e-12
        )
    for b in by_system.values():
        rate, spare = b["europe_production_per_year"], b["spare_production_per_year"]
        # What all systems on the line spent, over the line's rates.
        line_spent = sum(
            r["spent"] for r in by_system.values() if r["missile_line"] == b["missile_line"]
        )
        assert b["line_spent"] == pytest.approx(line_spent, rel=1e-12)
        if rate:
            assert b["replacement_years"] == pytest.approx(line_spent / rate, rel=1e-12)
        if spare:
            assert b["replacement_years_of_spare"] == pytest.approx(line_spent / spare, rel=1e-12)


def test_spare_is_left_of_the_line_rate(small_plan: Any) -> None:
    # ``spare_production_per_year`` is what is left of ``europe_production_per_year``
    # after first loads: never more, on every milestone's campaign, one basis.
    data = _data(small_plan)
    campaigns = [data["campaign"]] + [
        m["campaign"] for m in data["milestones"] if isinstance(m.get("campaign"), dict)
    ]
    for camp in campaigns:
        for b in camp["by_system"]:
            rate, spare = b["europe_production_per_year"], b["spare_production_per_year"]
            assert rate is not None
            assert spare <= rate + 1e-9, b


def test_systems_on_one_line_show_the_line_rate(small_plan: Any) -> None:
    # Sky Sabre fires CAMM, SAMP/T and SAMP/T NG fire Aster 30: one line, one rate.
    data = _data(small_plan)
    rows = data["campaign"]["by_system"]
    lines: dict[str, set[tuple[float, float]]] = {}
    for b in rows:
        rates = (b["europe_production_per_year"], b["spare_production_per_year"])
        lines.setdefault(b["missile_line"], set()).add(rates)
    assert all(len(v) == 1 for v in lines.values()), lines
    named = {b["system"]: b["missile_line"] for b in rows}
    shared = {s: line for s, line in named.items() if line != s}
    assert shared, "the small plan fields systems on a shared missile line"
    for s, line in shared.items():
        others = [t for t, k in named.items() if k == line and t != s]
        for t in others:
            assert by_rate(rows, s) == by_rate(rows, t)


def by_rate(rows: list[dict[str, Any]], system: str) -> tuple[float, float]:
    b = next(r for r in rows if r["system"] == system)
    return b["europe_production_per_year"], b["spare_production_per_year"]


def test_unit_cost_is_the_budgets(small_plan: Any) -> None:
    # requirement.unit_cost_musd is the budget's price of a fire unit with its first
    # load (budget.lines capex per unit); the price with depot loads has its own key.
    data = _data(small_plan)
    req, lines = data["requirement"], data["budget"]["lines"]
    checked = 0
    for line in lines:
        s = line["system"]
        if line["units"] > 0 and s in req["unit_cost_musd"]:
            # budget.lines rounds capex_musd to 1e-3 MUSD: that, per unit, is the tolerance.
            assert req["unit_cost_musd"][s] == pytest.approx(
                line["capex_musd"] / line["units"], abs=5e-4 / line["units"] + 1e-9
            )
            checked += 1
    assert checked > 0
    assert set(req["unit_price_with_reloads_musd"]) == set(req["unit_cost_musd"])
    loads = data["scenario"]["campaign"]["stockpile_loads"]
    for s, price in req["unit_price_with_reloads_musd"].items():
        if loads > 0:
            assert price >= req["unit_cost_musd"][s] - 1e-9


def test_leak_share_per_class_is_one_number(small_plan: Any) -> None:
    # The campaign's per-class ``leak_fraction`` and the calibration table's plan
    # column (horizon year) are both all leakers over all threats of the class.
    data = _data(small_plan)
    camp = data["campaign"]
    year = str(data["milestones"][-1]["year"])
    plan_leak = (data.get("calibration") or {}).get("plan_leak") or {}
    for cls, frac in camp["leak_fraction"].items():
        launched = camp["threats"][cls]
        if launched > 0:
            assert frac == pytest.approx(camp["leakers"][cls] / launched, rel=1e-9)
            if cls in plan_leak:
                assert plan_leak[cls][year] == pytest.approx(frac, rel=1e-12)
