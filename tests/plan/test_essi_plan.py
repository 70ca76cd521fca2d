"""plan.json["essi"]: joint against national buying in the real pipeline."""

from __future__ import annotations

from typing import Any

import pytest

from gbad.industry.essi import COST_PARTS
from gbad.plan import PlanConfig, run_plan
from gbad.scenario import parse_scenario
from tests.plan.fixtures import SMALL


def test_plan_has_the_essi_comparison(small_plan: Any) -> None:
    e = small_plan.to_dict()["essi"]
    assert e["coalition"] == ["EST", "LVA"]
    total = e["cost"]["total"]
    assert total["difference_musd"] == pytest.approx(
        sum(total[p] for p in COST_PARTS), abs=1e-2
    )  # each part rounded to 1e-3
    assert total["joint_musd"] <= total["national_musd"]
    assert set(e["delivery"]["met_year"]) == {"national", "joint"}
    c = e["campaign"]
    horizon = small_plan.milestones[-1]
    assert c["year"] == horizon["year"]  # the horizon force
    # The war without sharing is the horizon milestone's campaign: same engine,
    # replications and seed, so the same missile leak share, bit for bit.
    config = small_plan.meta["config"]
    assert c["engine"] == config["engine"] and c["replications"] == config["replications"]
    assert c["seed_entropy"] == small_plan.to_dict()["campaign"]["seed_entropy"]
    assert c["milestone_campaign"] is True
    assert c["without_sharing"]["missile_leak_share"] == horizon["missile_leak_share"]
    assert c["without_sharing"]["missile_leak_share_se"] == horizon["missile_leak_share_se"]
    assert c["without_sharing"]["endurance_nights"] == horizon["endurance_nights"]
    # Sharing on the same random numbers: it may lose on a path (docs/essi.md), so
    # the missile leak share with sharing is bounded by the one without plus three
    # standard errors of each (Monte Carlo over the plan's replications).
    w, s = c["without_sharing"], c["with_sharing"]
    se = (w["missile_leak_share_se"] or 0.0) + (s["missile_leak_share_se"] or 0.0)
    assert s["missile_leak_share"] <= w["missile_leak_share"] + 3 * se + 1e-12
    assert "essi" in small_plan.meta["timings_s"]


def test_comparisons_off_no_essi() -> None:
    plan = run_plan(
        parse_scenario(SMALL), config=PlanConfig(siting=False, what_if=False, engine="mean-field")
    )
    assert plan.essi is None and plan.to_dict()["essi"] is None


def test_summary_essi_headlines_are_the_comparisons(small_plan: Any) -> None:
    data = small_plan.to_dict()
    s, e = data["summary"], data["essi"]
    # One cost basis: the comparison starts from the plan's total cost.
    assert s["essi_capex_musd"] == pytest.approx(s["total_cost_musd"], abs=1e-2)
    assert s["essi_coalition"] == e["coalition"]
    assert s["essi_cost_difference_musd"] == e["cost"]["total"]["difference_musd"]
    assert s["essi_largest_saving"] == e["cost"]["largest_saving"]
    assert s["essi_delivery_years"] == e["delivery"]["met_year"]
    assert s["essi_leakers_avoided"] == e["campaign"]["leakers_avoided"]
    gained = [r["years_gained"] or 0 for r in e["delivery"]["by_ally_tier"]]
    assert s["essi_increments_earlier"] == sum(g > 0 for g in gained)
    assert s["essi_increments_later"] == sum(g < 0 for g in gained)
    shares = s["essi_missile_leak_share"]
    assert shares["with_sharing"] == e["campaign"]["with_sharing"]["missile_leak_share"]
    # One campaign, one number: the comparison's own-stocks war is the headline's.
    assert shares["without_sharing"] == s["missile_leak_share"]
    # Membership with its joining year and the source of that year.
    members = {m["iso3"]: m for m in e["members"]}
    assert set(e["coalition"]) <= set(members)
    for m in members.values():
        if m["essi_member"]:
            assert m["essi_join_year"] is not None and m["source_id"], m


def test_report_section_shows_war_per_ally_and_membership(small_plan: Any) -> None:
    import re

    from gbad.report._render import _environment

    e = small_plan.to_dict()["essi"]
    html = _environment().get_template("_essi.html.j2").render(essi=e)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert "Missile leak share own / shared" in text and "Endurance own / shared" in text
    for iso in e["coalition"]:
        nights = e["campaign"]["with_sharing"]["endurance_nights_by_ally"][iso]
        assert nights is None or 0 < nights <= SMALL["threat"]["nights"]
    assert "EST 2022" in text  # joining years, with their sources
    assert "essi-members" in text
    # Cross-border defence on top of sharing (spatial campaign): never more leakers.
    # The default campaign is spatial, so the comparison runs it.
    xb = e["campaign"]["with_sharing"]["cross_border_defence"]
    assert e["campaign"]["defend_neighbours"] is True
    assert xb["leakers_avoided"] == pytest.approx(
        e["campaign"]["with_sharing"]["leakers"] - xb["leakers"], abs=1e-3
    )
    assert "Cross-border defence, on top of shared stocks" in text
