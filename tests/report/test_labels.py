"""Labels of the report's headlines: cost bases, coverage and leak per missile class,
the EW and Pk caveats, the requirement's Monte Carlo acceptance, the threat spread."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from gbad.report import render_report
from gbad.report._render import MISSILE_CLASSES, _environment, threat_spread


@pytest.fixture(scope="module")
def data(small_plan: Any) -> dict[str, Any]:
    """Exactly what ``plan.json`` holds for the small plan."""
    return json.loads(json.dumps(small_plan.to_dict()))


@pytest.fixture(scope="module")
def html(data: dict[str, Any]) -> str:
    return render_report(data)


def test_summary_per_class_keys_read_the_campaign_and_the_horizon_milestone(
    data: dict[str, Any],
) -> None:
    s = data["summary"]
    assert s["coverage_by_class"] == data["milestones"][-1]["coverage_by_class"]
    threats, leakers = data["campaign"]["threats"], data["campaign"]["leakers"]
    assert s["campaign_threats_by_class"] == threats
    assert s["campaign_ew_defeated_by_class"] == data["campaign"]["ew_defeated"]
    for cls, launched in threats.items():
        expected = leakers[cls] / launched if launched > 0 else None
        assert s["leak_share_by_class"][cls] == pytest.approx(expected)


def test_cards_show_coverage_and_leak_per_missile_class(data: dict[str, Any], html: str) -> None:
    cards = html.split('class="cards"', 1)[1].split('<table class="data tiers">', 1)[0]
    s = data["summary"]
    cov = dict(re.findall(r'data-coverage-class="(\w+)" data-value="([^"]*)"', cards))
    leak = dict(re.findall(r'data-leak-class="(\w+)" data-value="([^"]*)"', cards))
    shown = [c for c in MISSILE_CLASSES if s["coverage_by_class"].get(c) is not None]
    assert shown and sorted(cov) == sorted(shown)
    for cls, value in cov.items():
        assert json.loads(value) == s["coverage_by_class"][cls]
    for cls, value in leak.items():
        assert json.loads(value) == s["leak_share_by_class"][cls]
    assert "counts fire units in service" in cards and "ready" in cards
    assert "base-year list prices" in cards


def test_the_summary_states_the_ew_layer_and_the_estimated_pk(
    data: dict[str, Any], html: str
) -> None:
    summary = html.split('<section id="summary"', 1)[1].split("</section>", 1)[0]
    assert data["scenario"]["engagement"]["ew_layer"] == "calibrated"  # the default
    removed = re.search(r'data-ew-defeated="([^"]*)"', summary)
    assert removed is not None
    assert json.loads(removed.group(1)) == data["campaign"]["ew_defeated"]["drone"]
    env = next(r for r in data["data_quality"] if r["key"] == "engagement")
    assert f"{env['estimated']:g} of the {env['total']:g} envelope rows" in summary


def test_the_imputed_line_says_how_many_the_plan_uses(data: dict[str, Any], html: str) -> None:
    used = data["summary"]["imputed_values_used"]
    assert used == next(r["used"] for r in data["data_quality"] if r["key"] == "imputed")
    if data["summary"]["imputed_values"]:
        assert "used by this plan&rsquo;s force or budget" in html


def _requirement(data: dict[str, Any], share: float, met: bool) -> str:
    r = dict(data["requirement"])
    r.update(missile_leak_share=share, missile_leak_share_se=0.0024, leak_target=0.05, met=met)
    env = _environment()
    return env.get_template("_requirement.html.j2").render(requirement=r, burn_vs_build=None)


def test_requirement_met_says_within_monte_carlo_error(data: dict[str, Any]) -> None:
    assert data["requirement"] is not None
    text = _requirement(data, 0.0507, True)
    assert "met within Monte Carlo error (5.07 % &plusmn; 0.24)" in text
    assert "Required in service (existing kept + added)" in text
    below = _requirement(data, 0.049, True)
    assert "met (4.90 % &plusmn; 0.24)" in below and "within Monte Carlo" not in below
    assert "not met" in _requirement(data, 0.06, False)


def test_threat_spread_names_allies_without_threats_and_the_ballistic_share() -> None:
    plan = {
        "meta": {"countries": ["POL", "DEU", "PRT", "ISL"]},
        "scenario": {"threat": {"asset_value": "national", "axes": []}},
        "campaign": {
            "by_area": [
                {"iso3": "POL", "threats": {"ballistic": 8.0, "drone": 5.0}},
                {"iso3": "DEU", "threats": {"ballistic": 2.0, "drone": 5.0}},
                {"iso3": "PRT", "threats": {"ballistic": 0.0, "drone": 0.0}},
            ]
        },
    }
    spread = threat_spread(plan)
    assert spread is not None
    assert spread["none"] == ["PRT", "ISL"]  # ISL: no row at all
    assert (spread["ballistic_top"], spread["ballistic_top_share"]) == ("POL", 0.8)
    axes = {**plan, "scenario": {"threat": {"axes": [{"launch_area": "x"}]}}}
    assert threat_spread(axes) is None


def test_campaign_section_states_the_spread(data: dict[str, Any], html: str) -> None:
    if data["scenario"]["threat"]["axes"] or not data["campaign"].get("by_area"):
        pytest.skip("the small plan sets axes or has no per-ally split")
    campaign = html.split('<section id="campaign"', 1)[1].split("</section>", 1)[0]
    assert "threat.asset_value" in campaign and "docs/campaign.md" in campaign


def test_essi_section_says_why_the_savings_differ(data: dict[str, Any], html: str) -> None:
    if data["essi"] is None:
        pytest.skip("no comparison")
    essi = html.split('<section id="essi"', 1)[1].split("</section>", 1)[0]
    assert "Price effects alone" in essi and "learning alone" in essi
