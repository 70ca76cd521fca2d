"""The report's plan-wide sections from plain plan.json rows (no plan run)."""

from __future__ import annotations

from typing import Any

from gbad.report._sections import (
    PROCUREMENT_RULES,
    force_by_year,
    leakers_by_ally,
    procurement_rows,
    readiness_rows,
    stocks_and_refill,
)

FORCE: list[dict[str, Any]] = [
    {"year": 2025, "iso3": "POL", "tier": "long", "system": "patriot", "fire_units": 2,
     "fire_units_ready": 1.5, "readiness": 0.75, "delivered": 0, "retired": 0},
    {"year": 2025, "iso3": "DEU", "tier": "long", "system": "patriot", "fire_units": 8,
     "fire_units_ready": 6.0, "readiness": 0.75, "delivered": 0, "retired": 0},
    {"year": 2025, "iso3": "POL", "tier": "very-short", "system": "piorun", "fire_units": 100,
     "fire_units_ready": 100.0, "readiness": 1.0, "delivered": 0, "retired": 0},
    {"year": 2030, "iso3": "POL", "tier": "long", "system": "patriot", "fire_units": 5,
     "fire_units_ready": 3.75, "readiness": 0.75, "delivered": 3, "retired": 0},
    {"year": 2030, "iso3": "POL", "tier": "medium", "system": "kub", "fire_units": 0,
     "fire_units_ready": 0.0, "readiness": 0.5, "delivered": 0, "retired": 4},
]  # fmt: skip


def test_force_by_year_sums_within_a_tier_only() -> None:
    table = force_by_year(FORCE, [2025, 2030])
    assert table["years"] == [2025, 2030]
    assert [t["tier"] for t in table["tiers"]] == ["long", "medium", "very-short"]
    long = table["tiers"][0]["cells"]
    assert [(c["fire_units"], c["fire_units_ready"]) for c in long] == [(10, 7.5), (5, 3.75)]
    assert long[1]["delivered"] == 3
    medium = table["tiers"][1]["cells"]
    assert [c["retired"] for c in medium] == [0, 4]
    short = table["tiers"][2]["cells"]
    assert [c["fire_units"] for c in short] == [100, 0]  # absent in 2030: none in service


def test_force_years_default_to_the_rows() -> None:
    assert force_by_year(FORCE, [])["years"] == [2025, 2030]
    assert force_by_year(None, [2025]) == {"years": [2025], "tiers": []}


def test_readiness_one_row_per_system_in_tier_order() -> None:
    rows = readiness_rows(FORCE)
    assert [(r["system"], r["tier"], r["readiness"]) for r in rows] == [
        ("patriot", "long", 0.75),
        ("kub", "medium", 0.5),
        ("piorun", "very-short", 1.0),
    ]


def test_procurement_rows_in_tier_order_and_every_rule_explained() -> None:
    rows = procurement_rows(
        [
            {"iso3": "POL", "tier": "short", "system": "camm", "rule": "tier default"},
            {"iso3": "DEU", "tier": "long", "system": "patriot", "rule": "ordered"},
            {"iso3": "AUT", "tier": "long", "system": "patriot", "rule": "scenario"},
        ]
    )
    assert [(r["iso3"], r["tier"]) for r in rows] == [
        ("AUT", "long"),
        ("DEU", "long"),
        ("POL", "short"),
    ]
    for rule in ("scenario", "ordered", "planned", "operates", "tier default", "contract"):
        assert PROCUREMENT_RULES[rule]
    assert procurement_rows({"status": "ok"}) == []


def test_stocks_say_nothing_arrives_when_the_delay_outlasts_the_campaign() -> None:
    plan: dict[str, Any] = {
        "scenario": {"campaign": {"resupply_delay_days": 30, "stockpile_loads": 1.0}},
        "summary": {"campaign_nights": 30},
        "milestones": [
            {"year": 2025, "interceptors_start": 100.0, "interceptors_produced": 0.0},
            {"year": 2035, "interceptors_start": 300.0, "interceptors_produced": 0.0},
        ],
    }
    stocks = stocks_and_refill(plan)
    assert stocks["nothing_arrives"] and stocks["delay_blocks"]
    assert [y["interceptors_start"] for y in stocks["years"]] == [100.0, 300.0]
    plan["scenario"]["campaign"]["resupply_delay_days"] = 10
    plan["milestones"][1]["interceptors_produced"] = 42.0
    stocks = stocks_and_refill(plan)
    assert not stocks["nothing_arrives"] and not stocks["delay_blocks"]


def test_leakers_by_ally_sums_missiles_per_asset_kind_and_orders_by_leakers() -> None:
    plan = {
        "campaign": {
            "geometry": "spatial",
            "year": 2035,
            "by_area": [
                {"iso3": "POL", "threats": {"ballistic": 10, "cruise": 20, "drone": 500}},
                {"iso3": "LTU", "threats": {"ballistic": 4, "glide": 1}},
            ],
            "leakers_by_asset_kind": [
                {"iso3": "POL", "asset_kind": "city", "leakers": {"ballistic": 1, "drone": 40}},
                {"iso3": "LTU", "asset_kind": "capital", "leakers": {"ballistic": 3, "glide": 1}},
                {"iso3": "LTU", "asset_kind": "city", "leakers": {"cruise": 0.5}},
            ],
        }
    }
    out = leakers_by_ally(plan)
    assert out["kinds"] == ["capital", "city"]
    assert [r["iso3"] for r in out["rows"]] == ["LTU", "POL"]  # most missile leakers first
    ltu, pol = out["rows"]
    assert ltu["by_kind"] == {"capital": 4.0, "city": 0.5} and ltu["leakers"] == 4.5
    assert pol["missiles"] == 30.0 and pol["leakers"] == 1.0  # drones are not missiles
    assert leakers_by_ally({})["rows"] == []
