"""The requirement and burn against build inside the plan, plan.json and the report."""

from __future__ import annotations

import math

from gbad.plan import PlanConfig, run_plan
from gbad.report import render_report
from gbad.scenario import parse_scenario
from gbad.sweep.fastpath import FAST_CONFIG

SMALL = {"countries": ["LTU", "POL"], "threat": {"nights": 6}, "milestones": [2025, 2030, 2035]}


def test_plan_carries_requirement_and_burn_vs_build() -> None:
    cfg = PlanConfig(siting=False, least_cost=False, what_if=False, replications=32)
    plan = run_plan(parse_scenario(SMALL), config=cfg)
    data = plan.to_dict()
    req = data["requirement"]
    assert req["year"] == 2035
    # One name, one meaning: the requirement's existing force is the horizon
    # milestone's force (its stocks and sites), so its missile leak share is the
    # milestone's, estimated again with independent seeds. Two independent
    # estimates of one quantity differ by at most four combined standard errors
    # (two-sided, a false alarm about 1 in 16,000).
    horizon = data["milestones"][-1]
    assert horizon["year"] == 2035
    diff = horizon["missile_leak_share"] - req["existing_missile_leak_share"]
    se = math.hypot(horizon["missile_leak_share_se"], req["existing_missile_leak_share_se"])
    assert abs(diff) <= 4.0 * se, (horizon["missile_leak_share"], req)
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
