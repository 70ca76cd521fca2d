"""The report's data-quality panel: shares of estimated inputs behind each headline."""

from __future__ import annotations

import json
import re
from types import SimpleNamespace
from typing import Any

import pandas as pd
import pytest

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
        "procurement": [{"system": "a", "new": 3}, {"system": "b", "new": 1}],
        "imputed": [{}, {}],
    }
    rows = {r["headline"]: r for r in data_quality_panel(plan, tiny_ref())}
    # b (estimate row) and c (imputed cost) of 500 MUSD
    assert rows["Capital cost"]["estimated_share"] == pytest.approx(200 / 500)
    # Y/a and X/b counts are estimates: 4 of the 10 base-year fire units
    assert rows["Baseline fire units"]["estimated_share"] == pytest.approx(4 / 10)
    assert rows["Delivery of new fire units"]["estimated_share"] == pytest.approx(1 / 4)
    assert rows["Engagement (leakers, interceptors spent)"]["total"] == 3  # a, a, b
    assert rows["Values filled in"]["estimated"] == 2
    assert rows["Values filled in"]["estimated_share"] is None


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
