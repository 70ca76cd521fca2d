"""The requirement on a small scenario: Monte Carlo with other seeds, larger threats, CLI."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from gbad.campaign import build_setup, simulate_campaign
from gbad.plan._calibration import calibration_for
from gbad.procurement import decide_procurement
from gbad.reference import load_reference
from gbad.requirement import compute_requirement, force_from_counts, sites_of_counts
from gbad.scenario import parse_scenario
from gbad.targets import compute_targets

GBAD = [sys.executable, "-c", "from gbad.cli import main; main()"]
# The requirement fights the scenario's campaign, spatial by default
# (gbad.requirement.stage, "Geometry"); the checks of its force fight the same
# campaign with the units where the requirement stood them (force.csv's lat, lon).
SMALL: dict[str, Any] = {"countries": ["LTU", "LVA", "EST"], "threat": {"nights": 10}}
POOLED: dict[str, Any] = {
    "countries": ["LTU", "POL", "TUR"],
    "threat": {"nights": 10},
    "campaign": {"geometry": "pooled"},
}


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*GBAD, *args], capture_output=True, text=True, timeout=600, check=False)


def _requirement(doc: dict[str, Any], target: float = 0.05) -> Any:
    scenario = parse_scenario(doc)
    ref = load_reference(overrides=scenario.overrides)
    targets = compute_targets(ref, scenario)
    cal = calibration_for(scenario)
    res = compute_requirement(
        ref,
        scenario,
        decide_procurement(ref, scenario, targets),
        leak_target=target,
        targets=targets,
        ew_defeat=None if cal is None else cal.ew_defeat,
    )
    return scenario, ref, cal, res


@pytest.fixture(scope="module")
def small() -> Any:
    return _requirement(SMALL)


def test_required_force_holds_with_other_seeds(small: Any) -> None:
    scenario, ref, cal, res = small
    assert res.met
    assert res.existing_missile_leak_share > res.leak_target  # the check has work to do
    table = res.force_csv()
    setup = build_setup(
        ref,
        scenario,
        force=force_from_counts(ref, scenario, res.counts(), res.year),
        year=res.year,
        ew_defeat=None if cal is None else cal.ew_defeat,
        fire_units=sites_of_counts(table.astype(str)),
    )
    assert setup.geometry is not None
    for seed in (101, 202):
        out = simulate_campaign(setup, rng=seed, replications=64).paths_missile_leak_share()
        # The force was accepted when one Monte Carlo estimate was at most the target
        # plus one of its standard errors, so its true share may lie above the target
        # by about two of them; a fresh estimate adds its own error. One accepted
        # error plus three combined ones (one-sided z = 3, a false alarm about 1 in
        # 700) bound the two.
        se0 = res.missile_leak_share_se
        tol = se0 + 3.0 * math.hypot(se0, out["se"])
        assert out["mean"] <= res.leak_target + tol, (seed, out, res.missile_leak_share)


def test_contract_keys_and_versus_target(small: Any) -> None:
    _, _, _, res = small
    doc = res.to_dict()
    for key in (
        "year",
        "leak_target",
        "missile_leak_share",
        "missile_leak_share_se",
        "total_cost_musd",
        "countries",
        "versus_target",
    ):
        assert key in doc
    assert {r["tier"] for r in doc["versus_target"]} == {
        "long",
        "medium",
        "short",
        "very-short",
        "c-uas",
    }
    assert doc["total_cost_musd"] == pytest.approx(sum(c["cost_musd"] for c in doc["countries"]))
    for c in doc["countries"]:
        for s in c["systems"]:
            assert s["fire_units"] == s["existing"] + s["added"]
            assert s["added"] >= 0


def test_twice_the_threat_never_needs_a_cheaper_force(small: Any) -> None:
    _, _, _, one = small
    _, _, _, two = _requirement({**SMALL, "threat": {**SMALL["threat"], "scale": 2.0}})
    assert two.met
    assert two.total_cost_musd >= one.total_cost_musd


def test_cli_requirement_then_campaign_with_other_seed(tmp_path: Path) -> None:
    scen = tmp_path / "small.json"
    scen.write_text(json.dumps(SMALL), encoding="utf-8")
    out = tmp_path / "req"
    proc = _run(
        "requirement", "--scenario", str(scen), "--leak-target", "0.05", "--out", str(out), "--json"
    )
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert (out / "force.csv").is_file()
    se_req = doc["missile_leak_share_se"]
    common = ["campaign", "--scenario", str(scen), "--replications", "64", "--json"]
    held = _run(*common, "--force", str(out / "force.csv"), "--seed", "777")
    today = _run(*common, "--seed", "777")
    assert held.returncode == 0, held.stderr
    assert today.returncode == 0, today.stderr
    h, t = json.loads(held.stdout), json.loads(today.stdout)
    # Same tolerance and reason as test_required_force_holds_with_other_seeds.
    tol = se_req + 3.0 * math.hypot(se_req, h["missile_leak_share_se"])
    assert h["missile_leak_share"] <= 0.05 + tol
    # Today's force leaks missiles well above 5 %: beyond three of its standard errors.
    assert t["missile_leak_share"] > 0.05 + 3.0 * t["missile_leak_share_se"]


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("iso3,system\nPOL,patriot\n", "fire_units"),
        ("iso3,system,fire_units\nXXX,patriot,2\n", "iso3"),
        ("iso3,system,fire_units\nPOL,warp-drive,2\n", "system"),
        ("iso3,system,fire_units\nPOL,patriot,-1\n", "fire_units"),
        ("iso3,system,fire_units\nPOL,patriot,1.5\n", "fire_units"),
        ("iso3,system,fire_units\nPOL,patriot,two\n", "fire_units"),
        ("iso3,system,fire_units,lat,lon\nPOL,patriot,1,95,20\n", "lat"),
        ("iso3,system,fire_units,lat,lon\nPOL,patriot,1,52,\n", "lon"),
        ("iso3,system,fire_units,lat,lon\nPOL,patriot,1,52,east\n", "lon"),
    ],
)
def test_bad_force_csv_exits_2_naming_the_column(tmp_path: Path, text: str, field: str) -> None:
    path = tmp_path / "force.csv"
    path.write_text(text, encoding="utf-8")
    proc = _run("campaign", "--force", str(path), "--nights", "2", "--json")
    assert proc.returncode == 2, proc.stderr
    line = proc.stderr.strip()
    assert "\n" not in line
    assert "--force" in line and field in line
    assert proc.stdout == ""


@pytest.mark.parametrize(
    ("args", "flag"),
    [
        (["requirement", "--leak-target", "1.5"], "--leak-target"),
        (["requirement", "--year", "1990"], "--year"),
        (["campaign", "--year", "1990", "--nights", "2"], "--year"),
    ],
)
def test_bad_flags_exit_2(args: list[str], flag: str) -> None:
    proc = _run(*args)
    assert proc.returncode == 2
    assert flag in proc.stderr


def test_mean_field_area_campaign_sums_to_whole() -> None:
    # The search values each ally on its own campaign; with a fixed raid and the
    # deterministic engine the allies' leakers add up to the whole campaign's when
    # each ally's raid is whole (here: every class aimed at one ally). Pooled
    # engagement: the exposure alone says where the raid goes.
    from dataclasses import replace

    from gbad.requirement import area_setup

    doc = {**POOLED, "threat": {"nights": 4}}
    setup = build_setup(load_reference(), parse_scenario(doc))
    assert setup.geometry is None
    exposure = np.zeros_like(setup.exposure)
    exposure[1] = 1.0
    setup = replace(setup, exposure=exposure, draw="fixed")
    whole = simulate_campaign(setup, rng=1, replications=1, engine="mean-field")
    part = simulate_campaign(area_setup(setup, 1), rng=1, replications=1, engine="mean-field")
    np.testing.assert_allclose(part.leakers, whole.leakers, atol=1e-9)


def test_spatial_area_campaigns_sum_to_whole() -> None:
    # The same on the spatial campaign, whose assets say where the raid goes: with
    # every class's raid aimed at one ally's assets (shares and exposure agreeing),
    # no coalition, a fixed raid and the deterministic engine, that ally's own
    # campaign is the whole campaign and the others' own campaigns leak nothing.
    from dataclasses import replace

    from gbad.requirement import area_setup

    scenario = parse_scenario({"countries": POOLED["countries"], "threat": {"nights": 4}})
    setup = build_setup(load_reference(), scenario)
    geo = setup.geometry
    assert geo is not None and setup.share_members is None
    a = 1
    mine = (geo.asset_area == a)[:, None]
    share = np.where(mine, geo.asset_share, 0.0)
    total = share.sum(axis=0)
    share = np.where(total > 0, share / np.where(total > 0, total, 1.0), mine / mine.sum())
    geo = replace(geo, asset_share=share, cells_cache={}, surplus_cache={})
    exposure = np.zeros_like(setup.exposure)
    np.add.at(exposure, geo.asset_area, share)
    setup = replace(setup, geometry=geo, exposure=exposure, draw="fixed")
    whole = simulate_campaign(setup, rng=1, replications=1, engine="mean-field")
    assert whole.leakers.sum() > 1.0  # the comparison has something to compare
    parts = [
        simulate_campaign(area_setup(setup, i), rng=1, replications=1, engine="mean-field")
        for i in range(len(setup.areas))
    ]
    np.testing.assert_allclose(parts[a].leakers, whole.leakers, atol=1e-9)
    np.testing.assert_allclose(parts[a].leakers_area[0], whole.leakers_area[a], atol=1e-9)
    summed = sum(p.leakers for p in parts)
    np.testing.assert_allclose(summed, whole.leakers, atol=1e-9)


def test_burn_vs_build_is_production_over_use() -> None:
    from gbad.requirement import burn_vs_build

    scenario = parse_scenario({**POOLED, "threat": {"nights": 5}})
    ref = load_reference()
    rows = burn_vs_build(ref, scenario, rng=3, nights=5, replications=2)
    assert rows
    for r in rows:
        assert r["use_per_peak_night"] > 0
        assert 0 < r["europe_share"] <= 1
        assert r["nights_per_year_of_europe_share"] == pytest.approx(
            r["europe_share"] * r["production_per_year"] / r["use_per_peak_night"]
        )


def test_campaign_year_fights_the_plans_force(tmp_path: Path) -> None:
    scen = tmp_path / "small.json"
    scen.write_text(json.dumps(POOLED), encoding="utf-8")
    common = ["campaign", "--scenario", str(scen), "--nights", "3", "--replications", "2"]
    base = _run(*common, "--seed", "5", "--json")
    later = _run(*common, "--seed", "5", "--year", "2035", "--json")
    assert base.returncode == 0, base.stderr
    assert later.returncode == 0, later.stderr
    start = {r["system"]: r["stock_start"] for r in json.loads(base.stdout)["by_system"]}
    start_y = {r["system"]: r["stock_start"] for r in json.loads(later.stdout)["by_system"]}
    # The plan's 2035 force holds the interceptors of the units delivered by then.
    assert sum(start_y.values()) > sum(start.values())


def test_the_requirement_fights_the_scenarios_geometry(small: Any) -> None:
    scenario, _, _, res = small
    assert scenario.campaign.geometry == "spatial"
    assert res.to_dict()["geometry"] == "spatial"
    # force.csv says where every ready unit stands; its counts are the force's.
    table = res.force_csv()
    assert list(table.columns) == ["iso3", "system", "fire_units", "lat", "lon"]
    counts = table.groupby(["iso3", "system"])["fire_units"].sum()
    expect = res.counts().set_index(["iso3", "system"])["fire_units"]
    assert counts.sort_index().tolist() == expect.sort_index().tolist()
    assert table["lat"].notna().any()
    doc = {**POOLED, "threat": {"nights": 3}}
    scenario, _, _, res = _requirement(doc)
    assert res.geometry == "pooled"
    assert res.sites is None
    assert list(res.force_csv().columns) == ["iso3", "system", "fire_units"]


def test_versus_target_per_tier_costs_sum_to_the_totals(small: Any) -> None:
    _, _, _, res = small
    doc = res.to_dict()
    rows = doc["versus_target"]
    # Per-tier parts of two sums over the same units: equal up to float rounding.
    assert sum(r["cost_musd"] for r in rows) == pytest.approx(doc["total_cost_musd"])
    assert doc["target_cost_musd"] is not None
    assert sum(r["target_cost_musd"] for r in rows) == pytest.approx(doc["target_cost_musd"])
    added = res.force.groupby("tier")["added"].sum()
    for r in rows:
        assert r["added"] == int(added.get(r["tier"], 0))
        assert r["sized"] == (r["added"] > 0)
        assert (r["cost_musd"] > 0) == r["sized"]
    assert doc["missiles_launched"] > 0
    for d in doc["drivers"]:
        stopped = sum(d["leakers_prevented"].values())
        se = doc["missile_leak_share_se"]
        assert d["within_monte_carlo_error"] == (stopped < se * doc["missiles_launched"])


def test_versus_target_splits_costs_by_tier() -> None:
    # Two allies, two tiers; the target's units beyond the existing force are priced
    # at the share-weighted procurement price, the added units at their own price.
    from types import SimpleNamespace

    from gbad.requirement.compare import versus_target

    force = pd.DataFrame(
        [
            ("AAA", "long", "lr", 3, 1, 2),
            ("AAA", "short", "sr", 5, 5, 0),
            ("BBB", "long", "lr", 1, 1, 0),
        ],
        columns=["iso3", "tier", "system", "fire_units", "existing", "added"],
    )
    targets = SimpleNamespace(
        table=pd.DataFrame(
            [("AAA", "long", 4), ("AAA", "short", 9), ("BBB", "long", 2)],
            columns=["iso3", "tier", "target"],
        )
    )
    choices = pd.DataFrame(
        [("AAA", "long", "lr", 1.0), ("AAA", "short", "sr", 1.0), ("BBB", "long", "lr", 1.0)],
        columns=["iso3", "tier", "system", "share"],
    )
    price = {"lr": 100.0, "sr": 10.0}
    rows, _, total = versus_target(force, targets, choices, price, ("AAA", "BBB"))
    by = {r["tier"]: r for r in rows}
    assert by["long"]["added"] == 2 and by["long"]["sized"]
    assert by["long"]["cost_musd"] == 200.0
    assert by["long"]["target_cost_musd"] == (4 - 1) * 100.0 + (2 - 1) * 100.0
    assert by["short"]["added"] == 0 and not by["short"]["sized"]
    assert by["short"]["cost_musd"] == 0.0
    assert by["short"]["target_cost_musd"] == (9 - 5) * 10.0
    assert total == 440.0
