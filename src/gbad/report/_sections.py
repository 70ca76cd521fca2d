"""The report's plan-wide sections, read from the ``plan.json`` dict.

The trajectory, procurement, the force by year, stocks and refill, and the
imputed values: each a small, plain structure the template lays out. Nothing
here computes a model; every number is one of ``plan.json``'s, or a sum of its
rows within one tier (fire units are never added across tiers).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from gbad.scenario.sections import TIERS

__all__ = [
    "PROCUREMENT_RULES",
    "TRAJECTORY_COLUMNS",
    "force_by_year",
    "leakers_by_ally",
    "procurement_rows",
    "readiness_rows",
    "stocks_and_refill",
]

#: Columns of the trajectory table: ``milestones`` key, header, shown as a percentage.
TRAJECTORY_COLUMNS: tuple[tuple[str, str, bool], ...] = (
    ("long_medium_fire_units", "Long + medium fire units", False),
    ("fire_units_ready_long_medium", "of them ready", False),
    ("coverage_fraction", "Coverage [%]", True),
    ("missile_coverage_fraction", "Missile coverage [%]", True),
    ("missile_leak_share", "Missile leak share [%]", True),
    ("leak_fraction", "Leak fraction, all threats [%]", True),
    ("endurance_nights", "Endurance [nights]", False),
    ("interceptors_start", "Interceptors at start", False),
)

#: What each procurement rule means, in a reader's words.
PROCUREMENT_RULES: dict[str, str] = {
    "scenario": "chosen in the scenario (procurement or industry.buy)",
    "ordered": "the in-production system of the tier the ally has on order "
    "(with most fire units in service, on order and planned)",
    "planned": "the in-production system of the tier the ally plans to buy",
    "operates": "the in-production system of the tier the ally already operates",
    "tier default": "the in-production system of the tier the plan's allies hold most of",
    "tier default (out of production)": "no system of the tier is still built: the one the "
    "plan's allies hold most of",
    "contract": "a contract already signed, delivered whatever the target",
}


def _tier_order(tiers: Sequence[str]) -> list[str]:
    seen = list(dict.fromkeys(tiers))
    return [t for t in TIERS if t in seen] + [t for t in seen if t not in TIERS]


def procurement_rows(procurement: Any) -> list[dict[str, Any]]:
    """The ``procurement`` rows of ``plan.json``, in tier order then by ally."""
    if not isinstance(procurement, list):
        return []
    order = {t: k for k, t in enumerate(_tier_order([str(r.get("tier")) for r in procurement]))}
    return sorted(
        (dict(r) for r in procurement if isinstance(r, Mapping)),
        key=lambda r: (order.get(str(r.get("tier")), 99), str(r.get("iso3"))),
    )


def force_by_year(force: Any, years: Sequence[int]) -> dict[str, Any]:
    """Fire units per tier and milestone year (in service, ready, delivered, retired).

    Returns ``{"years": [...], "tiers": [{"tier", "cells": [{...} per year]}]}``;
    each cell sums the ``force`` rows of that tier and year (one tier at a time).
    """
    rows = [r for r in force if isinstance(r, Mapping)] if isinstance(force, list) else []
    years = [int(y) for y in years] or sorted({int(r["year"]) for r in rows})
    tiers = _tier_order([str(r["tier"]) for r in rows])
    out = []
    for tier in tiers:
        cells = []
        for year in years:
            part = [r for r in rows if r["tier"] == tier and int(r["year"]) == year]
            cells.append(
                {
                    "year": year,
                    "fire_units": sum(int(r.get("fire_units") or 0) for r in part),
                    "fire_units_ready": sum(float(r.get("fire_units_ready") or 0) for r in part),
                    "delivered": sum(int(r.get("delivered") or 0) for r in part),
                    "retired": sum(int(r.get("retired") or 0) for r in part),
                }
            )
        out.append({"tier": tier, "cells": cells})
    return {"years": years, "tiers": out}


def readiness_rows(force: Any) -> list[dict[str, Any]]:
    """One row per system: its tier and readiness (one value, or each value the rows hold)."""
    rows = [r for r in force if isinstance(r, Mapping)] if isinstance(force, list) else []
    by_system: dict[str, dict[str, Any]] = {}
    for r in rows:
        entry = by_system.setdefault(
            str(r["system"]),
            {"system": str(r["system"]), "tier": str(r["tier"]), "readiness": set()},
        )
        if r.get("readiness") is not None:
            entry["readiness"].add(float(r["readiness"]))
    order = {t: k for k, t in enumerate(_tier_order([e["tier"] for e in by_system.values()]))}
    out = []
    for entry in sorted(by_system.values(), key=lambda e: (order[e["tier"]], e["system"])):
        values = sorted(entry["readiness"])
        out.append({**entry, "readiness": values[0] if len(values) == 1 else values})
    return out


def stocks_and_refill(plan: Mapping[str, Any]) -> dict[str, Any]:
    """Interceptors at the start of each milestone's campaign, refill and its timing."""
    scenario = plan.get("scenario", {}) or {}
    campaign_cfg = scenario.get("campaign", {}) or {}
    summary = plan.get("summary", {}) or {}
    industry = plan.get("industry", {}) or {}
    nights = summary.get("campaign_nights")
    delay = campaign_cfg.get("resupply_delay_days")
    years = [
        {
            "year": m.get("year"),
            "interceptors_start": m.get("interceptors_start"),
            "interceptors_produced": m.get("interceptors_produced"),
        }
        for m in plan.get("milestones", []) or []
        if isinstance(m, Mapping)
    ]
    produced = [y["interceptors_produced"] for y in years if y["interceptors_produced"]]
    blocked = (
        isinstance(delay, (int, float)) and isinstance(nights, (int, float)) and delay >= nights
    )
    shares = industry.get("line_shares") if isinstance(industry, Mapping) else None
    return {
        "years": years,
        "nights": nights,
        "resupply_delay_days": delay,
        "nothing_arrives": not produced,
        "delay_blocks": blocked,
        "stockpile_loads": campaign_cfg.get("stockpile_loads"),
        "line_share_setting": (scenario.get("industry", {}) or {}).get("line_share"),
        "line_shares": dict(shares) if isinstance(shares, Mapping) else {},
        "first_loads": dict(industry.get("interceptors_delivered") or {})
        if isinstance(industry, Mapping)
        else {},
    }


def leakers_by_ally(plan: Mapping[str, Any]) -> dict[str, Any]:
    """Leakers of the horizon campaign per ally and asset kind (spatial campaigns)."""
    campaign = plan.get("campaign", {}) or {}
    rows: dict[str, dict[str, float]] = {}
    kinds: set[str] = set()
    for r in campaign.get("leakers_by_asset_kind", []) or []:
        if not isinstance(r, Mapping):
            continue
        kind = str(r.get("asset_kind"))
        kinds.add(kind)
        leak = r.get("leakers") or {}
        missiles = sum(float(leak.get(c, 0.0) or 0.0) for c in ("ballistic", "cruise", "glide"))
        rows.setdefault(str(r.get("iso3")), {})[kind] = missiles
    threats = {
        str(a.get("iso3")): sum(
            float((a.get("threats") or {}).get(c, 0.0) or 0.0)
            for c in ("ballistic", "cruise", "glide")
        )
        for a in campaign.get("by_area", []) or []
        if isinstance(a, Mapping)
    }
    order = sorted(rows, key=lambda iso: -sum(rows[iso].values()))
    return {
        "geometry": campaign.get("geometry"),
        "year": campaign.get("year"),
        "notes": list(campaign.get("notes", []) or []),
        "kinds": sorted(kinds),
        "rows": [
            {
                "iso3": iso,
                "by_kind": rows[iso],
                "missiles": threats.get(iso),
                "leakers": sum(rows[iso].values()),
            }
            for iso in order
        ],
    }
