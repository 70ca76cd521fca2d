"""The report says what a stock-out is and when the endurance is only a lower bound."""

from __future__ import annotations

import copy
import json
import re
from typing import Any

import pytest

from gbad.report import render_report


@pytest.fixture(scope="module")
def data(small_plan: Any) -> dict[str, Any]:
    return json.loads(json.dumps(small_plan.to_dict()))


def _text(html: str, name: str) -> str:
    part = html.split(f'<section id="{name}"', 1)[1].split("</section>", 1)[0]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", part)).replace("&rsquo;", "'")


def _censored(data: dict[str, Any]) -> dict[str, Any]:
    """The plan with its horizon campaign's endurance censored (nothing ran out)."""
    out = copy.deepcopy(data)
    n = out["campaign"]["nights"]
    out["campaign"]["endurance"] |= {"nights": float(n), "reached": False, "censored": True}
    out["campaign"]["endurance_nights"] = float(n)
    out["summary"] |= {
        "campaign_endurance_nights": float(n),
        "campaign_endurance_reached": False,
        "campaign_endurance_censored": True,
    }
    return out


def test_censored_endurance_reads_at_least(data: dict[str, Any]) -> None:
    plan = _censored(data)
    n = plan["campaign"]["nights"]
    html = render_report(plan)
    campaign = _text(html, "campaign")
    assert f"≥ {n} (did not run out)" in campaign
    assert re.search(rf"Endurance \[nights\] ≥ {n} \(did not run out\)", campaign)
    summary = _text(html, "summary")
    assert "the endurance is ≥" in summary.replace("&ge;", "≥")


def test_resupply_that_cannot_arrive_is_stated(data: dict[str, Any]) -> None:
    # The small plan's 5 nights are shorter than the 30-day resupply delay.
    assert data["summary"]["campaign_resupply_within_campaign"] is False
    summary = _text(render_report(data), "summary")
    assert "Resupply cannot arrive within the campaign" in summary
    later = copy.deepcopy(data)
    later["summary"]["campaign_resupply_within_campaign"] = True
    assert "Resupply cannot arrive" not in _text(render_report(later), "summary")


def test_first_stockout_sentence_names_ally_system_and_units(data: dict[str, Any]) -> None:
    plan = copy.deepcopy(data)
    plan["summary"] |= {
        "campaign_first_stockout_nights": 2.0,
        "campaign_first_stockout_system": "san",
        "campaign_first_stockout_iso3": "EST",
        "campaign_first_stockout_tier": "c-uas",
        "campaign_first_stockout_fire_units": 1.0,
        "campaign_first_missile_stockout_nights": None,
        "campaign_first_missile_stockout_system": None,
        "campaign_first_missile_stockout_iso3": None,
        "campaign_first_missile_stockout_fire_units": None,
        "campaign_stockouts": 1,
    }
    summary = _text(render_report(plan), "summary")
    assert "No ally's stock of a long- or medium-range interceptor runs out" in summary
    assert "Estonia's san (c-uas tier, 1 fire unit)" in summary
    assert "end of night 2" in summary
    plan["summary"] |= {
        "campaign_first_missile_stockout_nights": 11.0,
        "campaign_first_missile_stockout_system": "iris-t-slm",
        "campaign_first_missile_stockout_iso3": "LVA",
        "campaign_first_missile_stockout_fire_units": 2.0,
    }
    summary = _text(render_report(plan), "summary")
    assert "long- or medium-range interceptor to run out is Latvia's iris-t-slm" in summary
    assert summary.index("iris-t-slm") < summary.index("Estonia's san")


def test_stocks_text_states_the_depot_rule(data: dict[str, Any]) -> None:
    # gbad.force.stage: today's units hold a load plus the depot loads, new units
    # their first load only; the report says so, not "every in-service fire unit".
    stocks = _text(render_report(data), "stocks")
    assert "Each in-service fire unit holds its magazine" not in stocks
    assert "each new fire unit delivered by the plan holds only its first load" in stocks
    if data.get("requirement"):
        req = _text(render_report(data), "requirement")
        assert "brings its load and the scenario's depot loads" in req
