"""Headline numbers of a plan, read from the stages' JSON data.

The summary is computed from exactly the values written to ``plan.json``, so
the report's executive summary and ``plan.json`` cannot disagree. A number
whose stage is not available (or does not publish it) is ``None``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from gbad.scenario.sections import TIERS

__all__ = ["OUTER_TIERS", "SUMMARY_KEYS", "lookup", "summarise"]

#: The tiers of the headline: fire units that defeat missiles, not MANPADS launchers.
OUTER_TIERS: tuple[str, ...] = ("long", "medium")

#: Keys of ``plan.json["summary"]``, with what each means and its unit.
SUMMARY_KEYS: dict[str, str] = {
    "countries": "allies in the plan [count]",
    "factor": "collective multiple of the baseline [-]",
    "horizon_year": "year the target is due [year]",
    "collective_baseline": "fire units held by the allies today [fire units]",
    "collective_target": "fire units the allies hold together at the horizon, all tiers "
    "summed (a MANPADS launcher counts as much as a Patriot battery) [fire units]",
    "collective_baseline_by_tier": "fire units held today, per tier [fire units]",
    "collective_target_by_tier": "fire units at the horizon, per tier [fire units]",
    "long_medium_baseline": "long- and medium-range fire units held today [fire units]",
    "long_medium_target": "long- and medium-range fire units at the horizon [fire units]",
    "national_targets": "per ally: iso3, name, baseline and target (all tiers) and "
    "``tiers``: baseline and target per tier [fire units]",
    "total_cost_musd": "cost of reaching every national target [million USD]",
    "funding_year": "year the last ally's target is funded (None: not by the horizon) [year]",
    "unfunded_countries": "allies whose target is not funded by the horizon [iso3]",
    "funded_share_by_horizon": "share of the total cost the allies' GBAD budgets cover by "
    "the horizon (capped at each ally's own cost) [0-1]",
    "funded_countries_by_horizon": "allies whose target is funded by the horizon [count]",
    "last_funded_year": "year the last ally's target is funded, after the horizon too "
    "(None: some ally not within the years modelled) [year]",
    "delivery_year": "year industry delivers the collective target [year]",
    "tier_delivery_years": "per tier: year industry delivers the tier's target "
    "(None: not within the years modelled) [year]",
    "long_medium_delivery_year": "year both the long- and medium-range targets are "
    "delivered (None: not within the years modelled) [year]",
    "delivery_checked_to_year": "last year the delivery schedule was modelled to [year]",
    "binding_line": "production line that limits delivery [system]",
    "new_fire_units_sited": "new fire units placed on sites [fire units]",
    "coverage_fraction": "share of the allies' defended asset value covered, mean over "
    "threat classes [0-1]",
    "coverage_of": "which fire units the coverage is of: planned (today's and new) or today's",
    "campaign_nights": "campaign length simulated [nights]",
    "campaign_endurance_nights": "nights until a tenth of the allies' long- and "
    "medium-range fire units have run out of interceptors (median over replications); "
    "the campaign length if most replications get through it [nights]",
    "campaign_endurance_reached": "whether the campaign endurance ends within the "
    "campaign (False: the defence lasts at least the whole campaign) [bool]",
    "campaign_first_stockout_nights": "nights until the first ally runs out of an "
    "interceptor type (earliest over types of the median over replications; None: "
    "no stock runs out in most replications) [nights]",
    "campaign_first_stockout_system": "interceptor type that runs out first (None: none) [system]",
    "campaign_stockouts": "ally stocks of one interceptor type that run out in most "
    "replications [count]",
    "leak_fraction": "share of all threats that leak over the campaign [0-1]",
    "campaign_missile_nights_within_target": "nights on which the missile leak share "
    "(ballistic, cruise, glide) is within the scenario's leak target [nights]",
    "campaign_missile_nights": "nights with missile threats [nights]",
    "cost_exchange_ratio": "interceptor spend over the value of threats destroyed [-]",
}


def _campaign(campaign: Mapping[str, Any] | None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "campaign_nights": None,
        "campaign_endurance_nights": None,
        "campaign_endurance_reached": None,
        "campaign_first_stockout_nights": None,
        "campaign_first_stockout_system": None,
        "campaign_stockouts": None,
        "leak_fraction": None,
        "campaign_missile_nights_within_target": None,
        "campaign_missile_nights": None,
        "cost_exchange_ratio": None,
    }
    nights = lookup(campaign, "nights")
    if not isinstance(nights, (int, float)):
        return out
    out["campaign_nights"] = nights
    first: tuple[float, str] | None = None
    for row in lookup(campaign, "by_system") or []:
        days = row.get("days_to_first_stockout") if isinstance(row, Mapping) else None
        if isinstance(days, (int, float)) and (first is None or days < first[0]):
            first = (days, str(row.get("system")))
    endurance = lookup(campaign, "endurance_nights")
    reached = lookup(campaign, "endurance.reached")
    if endurance is None and lookup(campaign, "endurance") is None:
        # A campaign without the endurance measure: its first stock-out instead.
        endurance = first[0] if first is not None else nights
        reached = first is not None
    out["campaign_endurance_nights"] = endurance
    out["campaign_endurance_reached"] = (
        bool(reached) if reached is not None else (endurance is not None and endurance < nights)
    )
    out["campaign_first_stockout_nights"] = first[0] if first is not None else None
    out["campaign_first_stockout_system"] = first[1] if first is not None else None
    missile = lookup(campaign, "missile_leak")
    if isinstance(missile, Mapping):
        out["campaign_missile_nights_within_target"] = missile.get("nights_within_target")
        out["campaign_missile_nights"] = missile.get("nights_with_missiles")
    stockouts = lookup(campaign, "stockouts")
    if isinstance(stockouts, list):
        out["campaign_stockouts"] = sum(
            1 for r in stockouts if isinstance(r, Mapping) and r.get("days") is not None
        )
    threats, leakers = lookup(campaign, "threats"), lookup(campaign, "leakers")
    if isinstance(threats, Mapping) and isinstance(leakers, Mapping):
        total = sum(float(v) for v in threats.values() if v is not None)
        leaked = sum(float(v) for v in leakers.values() if v is not None)
        out["leak_fraction"] = leaked / total if total > 0 else None
    out["cost_exchange_ratio"] = lookup(campaign, "cost.cost_exchange_ratio")
    return out


def _coverage_of(coverage: Mapping[str, Any] | None) -> str | None:
    origins = lookup(coverage, "fire_units_by_origin")
    if not isinstance(origins, Mapping):
        return None
    return "planned" if any(k != "baseline" for k in origins) else "today's"


def lookup(data: Mapping[str, Any] | None, *paths: str) -> Any:
    """The first value found at any of the dotted ``paths`` in ``data``, else ``None``."""
    if not data or data.get("status", "ok") != "ok":
        return None
    for path in paths:
        node: Any = data
        for part in path.split("."):
            if isinstance(node, Mapping) and part in node:
                node = node[part]
            else:
                node = None
                break
        if node is not None:
            return node
    return None


def _tier_totals(targets: Mapping[str, Any] | None) -> dict[str, Any]:
    """Per-tier collective baseline and target, and the long + medium sums."""
    out: dict[str, Any] = {
        "collective_baseline_by_tier": None,
        "collective_target_by_tier": None,
        "long_medium_baseline": None,
        "long_medium_target": None,
    }
    tiers = lookup(targets, "tiers")
    if not isinstance(tiers, Mapping) or not tiers:
        return out
    order = [t for t in TIERS if t in tiers] + [t for t in tiers if t not in TIERS]
    base = {t: lookup(tiers[t], "collective_baseline") for t in order}
    target = {t: lookup(tiers[t], "collective_target") for t in order}
    out["collective_baseline_by_tier"] = base
    out["collective_target_by_tier"] = target
    outer = [t for t in OUTER_TIERS if t in tiers]
    if outer and all(isinstance(base[t], (int, float)) for t in outer):
        out["long_medium_baseline"] = sum(base[t] for t in outer)
    if outer and all(isinstance(target[t], (int, float)) for t in outer):
        out["long_medium_target"] = sum(target[t] for t in outer)
    return out


def _national_tiers(targets: Mapping[str, Any] | None) -> dict[str, dict[str, Any]]:
    """iso3 -> tier -> {"baseline", "target"} from the targets' per-tier tables."""
    tiers = lookup(targets, "tiers")
    out: dict[str, dict[str, Any]] = {}
    if not isinstance(tiers, Mapping):
        return out
    order = [t for t in TIERS if t in tiers] + [t for t in tiers if t not in TIERS]
    for tier in order:
        for row in lookup(tiers[tier], "countries") or []:
            if isinstance(row, Mapping) and "iso3" in row:
                out.setdefault(str(row["iso3"]), {})[tier] = {
                    "baseline": row.get("baseline"),
                    "target": row.get("target"),
                }
    return out


def _funding(budget: Mapping[str, Any] | None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "funded_share_by_horizon": None,
        "funded_countries_by_horizon": None,
        "last_funded_year": None,
    }
    rows = lookup(budget, "countries")
    if not isinstance(rows, list) or not rows:
        return out
    rows = [r for r in rows if isinstance(r, Mapping)]
    cost = sum(float(r.get("capex_musd") or 0.0) for r in rows)
    gap = sum(float(r.get("gap_musd") or 0.0) for r in rows)
    if cost > 0:
        out["funded_share_by_horizon"] = max(0.0, 1.0 - gap / cost)
    out["funded_countries_by_horizon"] = sum(1 for r in rows if r.get("funded_by_horizon"))
    years = [r.get("funded_year") for r in rows]
    if all(isinstance(y, (int, float)) for y in years):
        out["last_funded_year"] = max(years)
    return out


def _delivery(industry: Mapping[str, Any] | None) -> dict[str, Any]:
    out: dict[str, Any] = {"tier_delivery_years": None, "long_medium_delivery_year": None}
    met = lookup(industry, "tier_met_year")
    if not isinstance(met, Mapping):
        return out
    order = [t for t in TIERS if t in met] + [t for t in met if t not in TIERS]
    out["tier_delivery_years"] = {t: met[t] for t in order}
    outer = [met.get(t) for t in OUTER_TIERS if t in met]
    years = [y for y in outer if isinstance(y, (int, float))]
    if outer and len(years) == len(outer):
        out["long_medium_delivery_year"] = max(years)
    return out


def _national(targets: Mapping[str, Any] | None, names: Mapping[str, str]) -> Any:
    rows = lookup(targets, "countries", "national")
    if not isinstance(rows, list):
        return None
    by_tier = _national_tiers(targets)
    out = []
    for row in rows:
        if not isinstance(row, Mapping) or "iso3" not in row:
            continue
        iso3 = str(row["iso3"])
        out.append(
            {
                "iso3": iso3,
                "name": row.get("name") or names.get(iso3, iso3),
                "baseline": row.get("baseline"),
                "target": row.get("target"),
                "tiers": by_tier.get(iso3, {}),
            }
        )
    return out


def summarise(
    stages: Mapping[str, Mapping[str, Any]],
    *,
    scenario: Mapping[str, Any],
    countries: list[str] | None = None,
    names: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Headline numbers of a plan.

    Parameters
    ----------
    stages : mapping
        ``plan.json`` entries of the stages, keyed by stage name.
    scenario : mapping
        The scenario as plain JSON values.
    countries : list of str, optional
        iso3 codes in the plan.
    names : mapping, optional
        Country names by iso3, for the national table.

    Returns
    -------
    dict
        One value per key of :data:`SUMMARY_KEYS`.
    """
    names = names or {}
    targets = stages.get("targets")
    budget = stages.get("budget")
    industry = stages.get("industry")
    siting = stages.get("siting")
    coverage = stages.get("coverage")
    campaign = stages.get("campaign")
    target_cfg = scenario.get("target", {})
    return {
        "countries": len(countries) if countries is not None else None,
        "factor": target_cfg.get("factor"),
        "horizon_year": scenario.get("horizon_year"),
        "collective_baseline": lookup(targets, "collective_baseline", "baseline_total"),
        "collective_target": lookup(targets, "collective_target", "target_total"),
        **_tier_totals(targets),
        "national_targets": _national(targets, names),
        "total_cost_musd": lookup(budget, "total_cost_musd", "cost_musd"),
        "funding_year": lookup(budget, "funding_year", "collective_funded_year"),
        "unfunded_countries": lookup(budget, "unfunded_countries", "unfunded"),
        **_funding(budget),
        "delivery_year": lookup(industry, "delivery_year", "collective_target_met_year"),
        **_delivery(industry),
        "delivery_checked_to_year": lookup(industry, "last_year"),
        "binding_line": lookup(industry, "binding_line", "binding_system"),
        "new_fire_units_sited": lookup(siting, "new_fire_units", "n_new", "units_placed"),
        "coverage_fraction": lookup(coverage, "coverage_fraction", "europe.coverage_fraction"),
        "coverage_of": _coverage_of(coverage),
        **_campaign(campaign),
    }
