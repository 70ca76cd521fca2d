"""Labels of the report's headlines: cost bases, coverage and leak per missile class,
the EW and Pk caveats, the requirement's Monte Carlo acceptance, the threat spread."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from gbad.report import format_value, render_report
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


def test_requirement_shows_per_tier_costs_drivers_and_uncoverable(data: dict[str, Any]) -> None:
    r = data["requirement"]
    assert r is not None
    rows = r["versus_target"]
    assert {"added", "sized", "cost_musd", "target_cost_musd"} <= set(rows[0])
    env = _environment()
    text = env.get_template("_requirement.html.j2").render(
        requirement=r, burn_vs_build=None, milestones=data["milestones"]
    )
    assert "<th>Added</th>" in text and "<th>Cost of added</th>" in text
    unsized = [row for row in rows if not row["sized"]]
    assert text.count("kept, not sized against missiles") == len(unsized)
    if any(row["sized"] for row in rows):
        assert "Over the tiers sized against missiles" in text
    for d in r["drivers"]:
        assert f'<td class="n">{format_value(d["drone_leakers_prevented"])}</td></tr>' in text
    # An uncoverable class, and a driver within Monte Carlo error, each get their sentence.
    r2 = dict(r)
    r2["uncoverable"] = [
        {"iso3": "TUR", "threat_class": "glide", "expected_missiles": 0.4, "assets": 91}
    ]
    r2["drivers"] = [
        {
            "tier": "medium",
            "threat_class": "cruise",
            "leakers_prevented": {"ballistic": 0.0, "cruise": 0.29, "glide": 0.0},
            "drone_leakers_prevented": 16.1,
            "within_monte_carlo_error": True,
        }
    ]
    text = env.get_template("_requirement.html.j2").render(requirement=r2, burn_vs_build=None)
    assert "These missiles leak whatever is bought" in text and "<th>TUR</th>" in text
    assert "The medium tier&rsquo;s new units prevent 0.29 missile leakers" in text
    assert "within Monte Carlo error; they stop mostly drones (16.1 leakers)" in text
    assert "EW sites" in text


def test_requirement_existing_share_against_the_milestone(data: dict[str, Any]) -> None:
    r = dict(data["requirement"])
    m = dict(data["milestones"][-1], year=r["year"])
    env = _environment()

    def render(a: float, b: float) -> str:
        r.update(existing_missile_leak_share=a, existing_missile_leak_share_se=0.004)
        mm = dict(m, missile_leak_share=b, missile_leak_share_se=0.014)
        return env.get_template("_requirement.html.j2").render(
            requirement=r, burn_vs_build=None, milestones=[mm]
        )

    # 2 * sqrt(0.004^2 + 0.014^2) = 0.0291: 0.196 vs 0.188 agree, 0.196 vs 0.150 do not.
    assert "agree within Monte Carlo error" in render(0.196, 0.188)
    assert "differ by more than Monte Carlo error" in render(0.196, 0.150)


def test_report_renders_without_a_requirement_and_shows_the_share_error(
    data: dict[str, Any],
) -> None:
    plain = dict(data, requirement=None)
    html = render_report(plain)
    assert 'id="requirement"' not in html
    m = data["milestones"][0]
    assert m["missile_leak_share_se"] is not None
    cell = f"{format_value(100 * m['missile_leak_share'])} &plusmn; "
    assert cell + f"{format_value(100 * m['missile_leak_share_se'])}</td>" in html
    assert "ready long- and medium-range fire units" in html
