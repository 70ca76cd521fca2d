"""The report's data-quality panel: shares of estimated inputs behind each headline."""

from __future__ import annotations

import json
import re
from types import SimpleNamespace
from typing import Any

import pandas as pd
import pytest

from gbad.plan._quality import imputed_in_use, plan_data_quality
from gbad.report._quality import data_quality_panel
from tests.plan.fixtures import small_plan

__all__ = ["small_plan"]


def tiny_ref() -> SimpleNamespace:
    """Two systems: 'a' (published costs), 'b' (estimate); 'a' has a published line."""
    return SimpleNamespace(
        systems=pd.DataFrame(
            {"system": ["a", "b", "c"], "basis": ["derived", "estimate", "derived"]}
        ),
        imputed=pd.DataFrame(
            {"table": ["systems"], "key": ["c"], "column": ["fire_unit_cost_musd_mid"]}
        ),
        inventory=pd.DataFrame(
            {
                "iso3": ["X", "Y", "X"],
                "system": ["a", "a", "b"],
                "status": ["in service"] * 3,
                "basis": ["published", "estimate", "estimate"],
            }
        ),
        production=pd.DataFrame({"system": ["a", "b"], "basis": ["published", "estimate"]}),
        envelopes=pd.DataFrame({"system": ["a", "a", "b", "d"]}),
    )


def test_shares_equal_hand_computed_values() -> None:
    plan: dict[str, Any] = {
        "budget": {
            "base_year": 2025,
            "lines": [
                {"system": "a", "capex_musd": 300.0},
                {"system": "b", "capex_musd": 100.0},
                {"system": "c", "capex_musd": 100.0},
            ],
        },
        "force": [
            {"year": 2025, "iso3": "X", "system": "a", "fire_units": 6},
            {"year": 2025, "iso3": "Y", "system": "a", "fire_units": 2},
            {"year": 2025, "iso3": "X", "system": "b", "fire_units": 2},
            {"year": 2030, "iso3": "X", "system": "b", "fire_units": 50},
        ],
        "procurement": [
            {"system": "a", "new": 3, "contracted": 2},
            {"system": "b", "new": 1, "contracted": 0},
        ],
        "imputed": [
            {"table": "systems", "key": "b", "column": "x"},
            {"table": "systems", "key": "z", "column": "x"},
        ],
        "scenario": {"engagement": {"ew_layer": "calibrated"}},
        "campaign": {
            "threats": {"drone": 90.0, "cruise": 10.0},
            "ew_defeated": {"drone": 30.0, "cruise": 0.0},
        },
    }
    rows = {r["headline"]: r for r in data_quality_panel(plan, tiny_ref())}
    # b (estimate row) and c (imputed cost) of 500 MUSD
    assert rows["Capital cost"]["estimated_share"] == pytest.approx(200 / 500)
    # Y/a and X/b counts are estimates: 4 of the 10 base-year fire units
    assert rows["Baseline fire units"]["estimated_share"] == pytest.approx(4 / 10)
    # contracts count with new orders (as siting.new_fire_units): b's 1 of 6 bought
    new = rows["Delivery of new fire units (contracts and new orders)"]
    assert (new["estimated"], new["total"]) == (1, 6)
    # the calibrated EW layer removes 30 of 100 threats: an assumption
    ew = rows["Electronic-warfare layer (engagement.ew_layer: calibrated)"]
    assert ew["estimated_share"] == pytest.approx(30 / 100)
    assert rows["Engagement (leakers, interceptors spent)"]["total"] == 3  # a, a, b
    assert rows["Values filled in"]["estimated"] == 2
    assert rows["Values filled in"]["estimated_share"] is None
    assert rows["Values filled in"]["used"] == 1  # b is in the force; z in nothing


def test_imputed_in_use_counts_force_and_budget_systems_only() -> None:
    imputed = [
        {"table": "systems", "key": "s-400", "column": "fire_channels"},
        {"table": "systems", "key": "patriot", "column": "reload_time_min"},
        {"table": "production", "key": "iris-t-slm", "column": "rate"},
        {"table": "countries", "key": "EST", "column": "gdp"},
    ]
    force = [
        {"iso3": "EST", "system": "patriot", "fire_units": 2},
        {"iso3": "TUR", "system": "s-400", "fire_units": 0},  # inactive: not in use
    ]
    lines = [{"iso3": "LVA", "system": "iris-t-slm"}]
    assert imputed_in_use(imputed, force, lines) == 3
    assert imputed_in_use(imputed[:1], force, lines) == 0
    assert imputed_in_use([], force, lines) == 0


def test_a_calibrated_layer_without_ew_gives_no_ew_row() -> None:
    plan = {"scenario": {"engagement": {"ew_layer": "fielded"}}, "campaign": {"ew_defeated": {}}}
    assert "ew_layer" not in {r.key for r in plan_data_quality(plan, tiny_ref())}


def test_an_empty_plan_has_no_shares() -> None:
    rows = data_quality_panel({}, tiny_ref())
    assert all(r["estimated_share"] is None for r in rows)


def test_the_partial_shows_the_panel_of_a_real_plan(small_plan: Any) -> None:
    """The partial renders the rows of the plan's panel (the main template includes it)."""
    from gbad.report._render import _TEMPLATES, _environment

    rows = data_quality_panel(json.loads(json.dumps(small_plan.to_dict())), small_plan.ref)
    html = _environment().get_template("_data_quality.html.j2").render(data_quality=rows)
    shares = [json.loads(v) for v in re.findall(r'data-share="([^"]*)"', html)]
    assert shares == [r["estimated_share"] for r in rows]
    assert rows[0]["total"] > 0 and 0.0 <= rows[0]["estimated_share"] <= 1.0
    assert rows[1]["estimated_share"] is not None
    main = (_TEMPLATES / "report.html.j2").read_text(encoding="utf-8")
    assert '{% include "_data_quality.html.j2" %}' in main


def test_plan_json_carries_the_panel_and_the_report_shows_its_numbers(small_plan: Any) -> None:
    """plan.json["data_quality"] is computed with the plan; the report renders that key."""
    from gbad.report import render_report

    data = json.loads(json.dumps(small_plan.to_dict()))
    rows = data["data_quality"]
    assert [r["key"] for r in rows][:4] == [
        "capex",
        "baseline_fire_units",
        "new_fire_units",
        "engagement",
    ]
    assert rows == data_quality_panel(data, small_plan.ref)  # the same as computing it
    new = next(r for r in rows if r["key"] == "new_fire_units")
    assert new["total"] == data["summary"]["new_fire_units_sited"]
    imputed = next(r for r in rows if r["key"] == "imputed")
    assert imputed["used"] == data["summary"]["imputed_values_used"]
    # A changed stored row shows in the report: the page renders the key, not a recomputation.
    rows[0] = {**rows[0], "estimated": 1.0, "total": 4.0, "estimated_share": 0.25}
    html = render_report(data)
    panel = html[html.index('id="data-quality"') :]
    shares = [json.loads(v) for v in re.findall(r'data-share="([^"]*)"', panel)]
    assert shares == [r["estimated_share"] for r in rows]
    totals = [json.loads(v) for v in re.findall(r'data-total="([^"]*)"', panel)]
    assert totals == [r["total"] for r in rows]
