"""The default plan is one force: what is bought is costed, delivered, sited, covered
and fought, year by year (``gbad plan`` end to end)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from gbad.cli import app


@pytest.fixture(scope="module")
def plan_json(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("plan")
    result = CliRunner().invoke(app, ["plan", "--out", str(out), "--no-record"])
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(Path(out, "plan.json").read_text())
    return data


def test_plan_json_has_the_force_keys(plan_json: dict[str, Any]) -> None:
    for key in ("procurement", "force", "milestones"):
        assert isinstance(plan_json[key], list) and plan_json[key], key
    assert {"iso3", "tier", "system", "share"} <= set(plan_json["procurement"][0])
    assert {"year", "iso3", "tier", "system", "fire_units", "interceptors"} <= set(
        plan_json["force"][0]
    )
    assert {"iso3", "tier", "system", "units", "capex_musd"} <= set(plan_json["budget"]["lines"][0])
    assert isinstance(plan_json["imputed"], list)


def test_what_is_costed_or_sited_is_bought(plan_json: dict[str, Any]) -> None:
    bought = {
        (r["iso3"], r["tier"], r["system"]) for r in plan_json["procurement"] if r["share"] > 0
    }
    costed = {
        (r["iso3"], r["tier"], r["system"]) for r in plan_json["budget"]["lines"] if r["units"]
    }
    sited = {(r["iso3"], r["tier"], r["system"]) for r in plan_json["siting"]["new_units"]}
    assert costed <= bought
    assert sited <= bought
    # and the units costed are the units bought, system by system
    units = {(r["iso3"], r["tier"], r["system"]): r["fire_units"] for r in plan_json["procurement"]}
    for r in plan_json["budget"]["lines"]:
        assert r["units"] == units[(r["iso3"], r["tier"], r["system"])]
    shares: dict[tuple[str, str], float] = {}
    for r in plan_json["procurement"]:
        shares[(r["iso3"], r["tier"])] = shares.get((r["iso3"], r["tier"]), 0.0) + r["share"]
    assert all(abs(v - 1.0) < 1e-9 for v in shares.values())


def test_milestones_run_from_base_year_to_horizon(plan_json: dict[str, Any]) -> None:
    sc = plan_json["scenario"]
    years = [m["year"] for m in plan_json["milestones"]]
    assert len(years) >= 3
    assert years[0] == sc["base_year"] and years[-1] == sc["horizon_year"]
    assert years == sorted(set(years))


def test_long_medium_fire_units_never_fall_and_match_the_force(plan_json: dict[str, Any]) -> None:
    rows = plan_json["milestones"]
    counts = [m["long_medium_fire_units"] for m in rows]
    assert counts == sorted(counts)
    for m in rows:
        force = sum(
            r["fire_units"]
            for r in plan_json["force"]
            if r["year"] == m["year"] and r["tier"] in ("long", "medium")
        )
        assert force == m["long_medium_fire_units"]
    assert counts[0] == plan_json["summary"]["long_medium_baseline"]


def test_the_build_up_covers_more_and_leaks_less(plan_json: dict[str, Any]) -> None:
    first, last = plan_json["milestones"][0], plan_json["milestones"][-1]
    assert last["coverage_fraction"] >= first["coverage_fraction"]
    assert last["missile_coverage_fraction"] >= first["missile_coverage_fraction"]
    # The same threat, the same random numbers: only the force differs.
    assert first["threats"] == last["threats"]
    leaked_first, leaked_last = sum(first["leakers"].values()), sum(last["leakers"].values())
    assert leaked_last <= leaked_first
    assert leaked_last != leaked_first


def test_the_campaign_and_coverage_sections_are_the_horizon_year(
    plan_json: dict[str, Any],
) -> None:
    last = plan_json["milestones"][-1]
    assert plan_json["campaign"]["year"] == last["year"] == plan_json["coverage"]["year"]
    assert plan_json["summary"]["missile_leak_share"] == last["missile_leak_share"]
