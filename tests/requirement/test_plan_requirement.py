"""The requirement and burn against build inside the plan, plan.json and the report."""

from __future__ import annotations

from gbad.plan import PlanConfig, run_plan
from gbad.report import render_report
from gbad.scenario import parse_scenario
from gbad.sweep.fastpath import FAST_CONFIG

SMALL = {"countries": ["LTU", "POL"], "threat": {"nights": 6}, "milestones": [2025, 2030, 2035]}


def test_plan_carries_requirement_and_burn_vs_build() -> None:
    cfg = PlanConfig(siting=False, least_cost=False, what_if=False, replications=2)
    plan = run_plan(parse_scenario(SMALL), config=cfg)
    data = plan.to_dict()
    req = data["requirement"]
    assert req["year"] == 2035
    assert req["leak_target"] == 0.05  # the scenario's missile leak targets (all 5 %)
    assert {r["tier"] for r in req["versus_target"]} >= {"long", "medium"}
    assert data["meta"]["config"]["requirement"] is True
    assert "requirement" in data["meta"]["timings_s"]
    for row in data["burn_vs_build"]:
        assert row["nights_per_year_of_europe_share"] > 0
    html = render_report(plan)
    assert "Is fivefold enough?" in html
    assert 'id="burn-vs-build"' in html


def test_fast_path_and_flags_skip_them() -> None:
    assert not FAST_CONFIG.requirement and not FAST_CONFIG.burn_vs_build
    cfg = PlanConfig(
        siting=False,
        least_cost=False,
        what_if=False,
        replications=1,
        engine="mean-field",
        requirement=False,
        burn_vs_build=False,
    )
    data = run_plan(parse_scenario(SMALL), config=cfg).to_dict()
    assert data["requirement"] is None
    assert data["burn_vs_build"] is None
    assert "Is fivefold enough?" not in render_report(run_plan(parse_scenario(SMALL), config=cfg))
