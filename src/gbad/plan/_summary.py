"""Headline numbers of a plan, read from the stages' JSON data.

The summary is computed from exactly the values written to ``plan.json``, so
the report's executive summary and ``plan.json`` cannot disagree. Each value has
one key and is read from one place; fire units are never added across tiers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from gbad._jsonable import dotted_get
from gbad.plan._quality import imputed_in_use
from gbad.scenario.sections import OUTER_TIERS, TIERS

__all__ = ["OUTER_TIERS", "SUMMARY_KEYS", "TRAJECTORY_KEYS", "summarise"]


#: Keys of each ``summary["trajectory"]`` row (a subset of the milestone rows).
TRAJECTORY_KEYS: tuple[str, ...] = (
    "year",
    "long_medium_fire_units",
    "coverage_fraction",
    "missile_coverage_fraction",
    "missile_leak_share",
    "leak_fraction",
    "endurance_nights",
    "endurance_reached",
    "endurance_censored",
)

#: Keys of ``plan.json["summary"]``, with what each means and its unit.
SUMMARY_KEYS: dict[str, str] = {
    "countries": "allies in the plan [count]",
    "factor": "collective multiple of the baseline [-]",
    "horizon_year": "year the target is due [year]",
    "collective_baseline_by_tier": "fire units held today, per tier [fire units]",
    "collective_target_by_tier": "fire units at the horizon, per tier [fire units]",
    "long_medium_baseline": "long- and medium-range fire units held today [fire units]",
    "long_medium_target": "long- and medium-range fire units at the horizon [fire units]",
    "national_targets": "per ally: iso3, name and ``tiers``: baseline and target per tier "
    "[fire units]",
    "total_cost_musd": "cost of everything the allies buy (contracts and new orders, "
    "with first interceptor loads) [million USD]",
    "funding_year": "year the last ally's purchases are funded (None: not by the horizon) [year]",
    "unfunded_countries": "allies whose purchases are not funded by the horizon [iso3]",
    "funded_share_by_horizon": "share of the total cost the allies' GBAD budgets cover by "
    "the horizon (capped at each ally's own cost) [0-1]",
    "funded_countries_by_horizon": "allies whose purchases are funded by the horizon [count]",
    "last_funded_year": "year the last ally's purchases are funded, after the horizon too "
    "(None: some ally not within the years modelled) [year]",
    "delivery_year": "year industry has delivered every ally's increment (None: not within "
    "the years modelled) [year]",
    "production_only_year": "the same if budgets did not bind (lines alone) [year]",
    "tier_delivery_years": "per tier: year every ally's increment of the tier is delivered "
    "(None: not within the years modelled) [year]",
    "long_medium_delivery_year": "year both the long- and medium-range increments are "
    "delivered (None: not within the years modelled) [year]",
    "tier_delivered_share_by_horizon": "per tier: share of the allies' increments delivered "
    "by the horizon (an ally's surplus does not count for another) [0-1]",
    "delivery_checked_to_year": "last year the delivery schedule was modelled to [year]",
    "binding_line": "production line that limits delivery [system]",
    "new_fire_units_sited": "fire units bought and placed (contracts and new orders) [fire units]",
    "new_fire_units_not_optimised": "of those, units placed round-robin at assets because "
    "the ally has fewer candidate sites than units (not optimised) [fire units]",
    "milestone_years": "years whose force is sited, covered and fought [year]",
    "trajectory": "per milestone year: long+medium fire units in service, coverage, missile "
    "leak share, leak fraction, endurance (each as in ``milestones``)",
    "coverage_year": "milestone year the coverage and campaign headlines are of (the last) [year]",
    "coverage_fraction": "share of the allies' defended asset value within reach of a fire "
    "unit that engages the class, weighted by the raid's threats per class [0-1]",
    "missile_coverage_fraction": "the same over ballistic, cruise and glide missiles [0-1]",
    "coverage_by_class": "per threat class: share of the allies' defended asset value within "
    "reach of a fire unit in service that engages the class, coverage year (``milestones`` "
    "``coverage_by_class``; counts units in service, the campaign fights with ready units) "
    "[0-1]",
    "campaign_nights": "campaign length simulated [nights]",
    "campaign_endurance_nights": "nights until a tenth of the allies' long- and "
    "medium-range fire units have run out of interceptors (median over replications); "
    "the campaign length if most replications get through it [nights]",
    "campaign_endurance_reached": "whether the campaign endurance ends within the "
    "campaign (False: the defence lasts at least the whole campaign) [bool]",
    "campaign_endurance_censored": "whether ``campaign_endurance_nights`` is the campaign "
    "length because the defence lasted the whole campaign (the endurance is then at "
    "least that, shown as \u2265) [bool]",
    "campaign_resupply_delay_days": "days between an interceptor being made during the "
    "campaign and it reaching the fire units (``campaign.resupply_delay_days``) [days]",
    "campaign_resupply_within_campaign": "whether interceptors made during the campaign can "
    "reach the fire units before its last night (the resupply delay is shorter than the "
    "campaign; False: every stock-out is final) [bool]",
    "campaign_first_stockout_nights": "stock-out night of the ally stock, of any "
    "interceptor type, that runs out first: the earliest ``days`` of "
    "``campaign.stockouts`` (1-based night at whose end the stock is empty, median over "
    "replications; None: no stock runs out in most replications) [night]",
    "campaign_first_stockout_system": "interceptor type of that stock (None: none) [system]",
    "campaign_first_stockout_iso3": "ally holding that stock (None: none) [iso3]",
    "campaign_first_stockout_tier": "tier of that interceptor type (None: none) [tier]",
    "campaign_first_stockout_fire_units": "that ally's fire units of that type, the ones "
    "left without interceptors (None: none) [fire units]",
    "campaign_first_missile_stockout_nights": "the same for the missile defence: the "
    "earliest stock-out night of an ally stock of a long- or medium-range interceptor "
    "(PAC-3, Aster, IRIS-T SLM...; the endurance's tiers; None: none runs out in most "
    "replications) [night]",
    "campaign_first_missile_stockout_system": "interceptor type of that stock (None: none) "
    "[system]",
    "campaign_first_missile_stockout_iso3": "ally holding that stock (None: none) [iso3]",
    "campaign_first_missile_stockout_fire_units": "that ally's fire units of that type "
    "(None: none) [fire units]",
    "campaign_stockouts": "ally stocks of one interceptor type that run out in most "
    "replications (the ``campaign.stockouts`` rows with ``runs_out``) [count]",
    "campaign_leakers": "threats that leak over the campaign, all classes [threats]",
    "leak_fraction": "share of all threats that leak over the campaign [0-1]",
    "missile_leak_share": "share of ballistic, cruise and glide missiles that leak over the "
    "campaign [0-1]",
    "leak_share_by_class": "per threat class: leakers over threats launched over the campaign "
    "(``campaign.leakers`` / ``campaign.threats``; None: none launched) [0-1]",
    "campaign_threats_by_class": "threats launched over the campaign per class "
    "(``campaign.threats``, mean over replications) [threats]",
    "campaign_ew_defeated_by_class": "of those, threats the electronic-warfare layer removes "
    "before any engagement (``campaign.ew_defeated``; with ``engagement.ew_layer: "
    "calibrated``, Ukraine's calibrated rate given to every ally: an assumption) [threats]",
    "campaign_missile_nights_within_target": "nights on which the missile leak share "
    "(ballistic, cruise, glide) is within the scenario's leak target [nights]",
    "campaign_missile_nights": "nights with missile threats [nights]",
    "campaign_interceptors_produced": "interceptors that reach the fire units from "
    "production during the campaign [interceptors]",
    "cost_exchange_ratio": "interceptor spend over the value of threats destroyed [-]",
    "essi_coalition": "allies pooling their orders in the joint-against-national comparison "
    "(``essi.coalition``; None: no comparison) [iso3]",
    "essi_capex_musd": "cost the comparison starts from: everything the allies buy at "
    "base-year prices, the same as ``total_cost_musd`` [million USD]",
    "essi_cost_difference_musd": "joint minus national cost of everything the allies buy, "
    "with learning and the pooling assumptions (negative: joint buying saves) [million USD]",
    "essi_largest_saving": "the part of the difference that saves most (a pooling "
    "assumption or learning through timing; None: nothing saves) [part]",
    "essi_delivery_years": "``national`` and ``joint``: year every ally's increment is "
    "delivered under each way of buying (None: not within the years modelled) [year]",
    "essi_increments_earlier": "ally-tier increments delivered in an earlier year when "
    "bought jointly than nationally (``essi.delivery.by_ally_tier``) [count]",
    "essi_increments_later": "ally-tier increments delivered in a later year when bought "
    "jointly than nationally (e.g. an ally outside the pool waiting behind its booked "
    "slots) [count]",
    "essi_leakers_avoided": "threats that no longer leak when the coalition shares "
    "interceptor stocks, horizon force, on the horizon milestone's campaign (same engine, "
    "replications and random numbers; mean over replications) [threats]",
    "essi_missile_leak_share": "``without_sharing`` and ``with_sharing``: missile leak share "
    "of that comparison; ``without_sharing`` is the horizon milestone's campaign, so it "
    "equals ``missile_leak_share`` [0-1]",
    "imputed_values": "values filled in because the data lack them (listed in ``imputed``) [count]",
    "imputed_values_used": "of those, values of a system or ally in the plan's force (with "
    "fire units) or budget lines, the ones the plan's numbers use [count]",
}


def _get(data: Mapping[str, Any] | None, path: str) -> Any:
    """The value at the dotted ``path`` of a stage's data, ``None`` if absent or skipped."""
    if not data or data.get("status", "ok") != "ok":
        return None
    return dotted_get(data, path)


def _ordered(tiers: Mapping[str, Any]) -> list[str]:
    return [t for t in TIERS if t in tiers] + [t for t in tiers if t not in TIERS]


def _tier_totals(targets: Mapping[str, Any] | None) -> dict[str, Any]:
    """Per-tier collective baseline and target, and the long + medium sums."""
    out: dict[str, Any] = {
        "collective_baseline_by_tier": None,
        "collective_target_by_tier": None,
        "long_medium_baseline": None,
        "long_medium_target": None,
    }
    tiers = _get(targets, "tiers")
    if not isinstance(tiers, Mapping) or not tiers:
        return out
    order = _ordered(tiers)
    base = {t: tiers[t]["collective_baseline"] for t in order}
    target = {t: tiers[t]["collective_target"] for t in order}
    out["collective_baseline_by_tier"] = base
    out["collective_target_by_tier"] = target
    outer = [t for t in OUTER_TIERS if t in tiers]
    out["long_medium_baseline"] = sum(base[t] for t in outer)
    out["long_medium_target"] = sum(target[t] for t in outer)
    return out


def _national(targets: Mapping[str, Any] | None, names: Mapping[str, str]) -> Any:
    """Per ally: baseline and target per tier (never summed over tiers)."""
    tiers = _get(targets, "tiers")
    if not isinstance(tiers, Mapping):
        return None
    by_ally: dict[str, dict[str, Any]] = {}
    for tier in _ordered(tiers):
        for row in tiers[tier].get("countries", []):
            by_ally.setdefault(str(row["iso3"]), {})[tier] = {
                "baseline": row.get("baseline"),
                "target": row.get("target"),
            }
    return [
        {"iso3": iso3, "name": names.get(iso3, iso3), "tiers": tiers_of}
        for iso3, tiers_of in by_ally.items()
    ]


def _funding(budget: Mapping[str, Any] | None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "funded_share_by_horizon": None,
        "funded_countries_by_horizon": None,
        "last_funded_year": None,
    }
    rows = _get(budget, "countries")
    if not isinstance(rows, list) or not rows:
        return out
    cost = sum(float(r["capex_musd"]) for r in rows)
    gap = sum(float(r["gap_musd"]) for r in rows)
    if cost > 0:
        out["funded_share_by_horizon"] = max(0.0, 1.0 - gap / cost)
    out["funded_countries_by_horizon"] = sum(1 for r in rows if r["funded_by_horizon"])
    years = [r["funded_year"] for r in rows]
    if all(isinstance(y, (int, float)) for y in years):
        out["last_funded_year"] = max(years)
    return out


def _delivery(industry: Mapping[str, Any] | None) -> dict[str, Any]:
    out: dict[str, Any] = {"tier_delivery_years": None, "long_medium_delivery_year": None}
    met = _get(industry, "tier_met_year")
    if not isinstance(met, Mapping):
        return out
    out["tier_delivery_years"] = {t: met[t] for t in _ordered(met)}
    outer = [met.get(t) for t in OUTER_TIERS if t in met]
    years = [y for y in outer if isinstance(y, (int, float))]
    if outer and len(years) == len(outer):
        out["long_medium_delivery_year"] = max(years)
    return out


def _siting(siting: Mapping[str, Any] | None) -> dict[str, Any]:
    units = _get(siting, "new_units")
    if not isinstance(units, list):
        return {"new_fire_units_sited": None, "new_fire_units_not_optimised": None}
    return {
        "new_fire_units_sited": len(units),
        "new_fire_units_not_optimised": sum(1 for u in units if u["origin"] == "new-overflow"),
    }


def _first_stockout(rows: Sequence[Mapping[str, Any]], tiers: Sequence[str] | None) -> Any:
    """The ``campaign.stockouts`` row that runs out first (earliest night, then the most
    fire units), among ``tiers`` (all without), ``None`` if none runs out."""
    out: Mapping[str, Any] | None = None
    for row in rows:
        days = row.get("days")
        if not isinstance(days, (int, float)):
            continue
        if tiers is not None and row.get("tier") not in tiers:
            continue
        key = (days, -float(row.get("fire_units") or 0.0))
        if out is None or key < (out["days"], -float(out.get("fire_units") or 0.0)):
            out = row
    return out


def _campaign(campaign: Mapping[str, Any] | None) -> dict[str, Any]:
    nights = _get(campaign, "nights")
    rows = _get(campaign, "stockouts") or []
    first = _first_stockout(rows, None)
    missile = _first_stockout(rows, OUTER_TIERS)
    threats = _get(campaign, "threats") or {}
    leakers = _get(campaign, "leakers") or {}
    total = sum(float(v) for v in threats.values())
    leaked = sum(float(v) for v in leakers.values())
    stockouts = _get(campaign, "stockouts")
    produced = sum(float(r["produced"]) for r in _get(campaign, "by_system") or [])
    return {
        "campaign_nights": nights,
        "campaign_endurance_nights": _get(campaign, "endurance.nights"),
        "campaign_endurance_reached": _get(campaign, "endurance.reached"),
        "campaign_endurance_censored": _get(campaign, "endurance.censored"),
        "campaign_first_stockout_nights": _of(first, "days"),
        "campaign_first_stockout_system": _of(first, "system"),
        "campaign_first_stockout_iso3": _of(first, "iso3"),
        "campaign_first_stockout_tier": _of(first, "tier"),
        "campaign_first_stockout_fire_units": _of(first, "fire_units"),
        "campaign_first_missile_stockout_nights": _of(missile, "days"),
        "campaign_first_missile_stockout_system": _of(missile, "system"),
        "campaign_first_missile_stockout_iso3": _of(missile, "iso3"),
        "campaign_first_missile_stockout_fire_units": _of(missile, "fire_units"),
        "campaign_stockouts": None
        if stockouts is None
        else sum(1 for r in stockouts if r.get("days") is not None),
        "campaign_leakers": leaked if threats else None,
        "leak_fraction": leaked / total if total > 0 else None,
        "missile_leak_share": _get(campaign, "missile_leak_share"),
        "campaign_missile_nights_within_target": _get(
            campaign, "missile_leak.nights_within_target"
        ),
        "campaign_missile_nights": _get(campaign, "missile_leak.nights_with_missiles"),
        "campaign_interceptors_produced": produced if nights is not None else None,
        "cost_exchange_ratio": _get(campaign, "cost.cost_exchange_ratio"),
        "leak_share_by_class": {
            k: (float(leakers.get(k) or 0.0) / float(v) if float(v) > 0 else None)
            for k, v in threats.items()
        }
        if threats
        else None,
        "campaign_threats_by_class": dict(threats) if threats else None,
        "campaign_ew_defeated_by_class": _get(campaign, "ew_defeated"),
    }


def _resupply(scenario: Mapping[str, Any], nights: Any) -> dict[str, Any]:
    delay = (scenario.get("campaign") or {}).get("resupply_delay_days")
    known = isinstance(delay, (int, float)) and isinstance(nights, (int, float))
    return {
        "campaign_resupply_delay_days": delay if isinstance(delay, (int, float)) else None,
        "campaign_resupply_within_campaign": bool(delay < nights) if known else None,
    }


def _of(row: Mapping[str, Any] | None, key: str) -> Any:
    return None if row is None else row.get(key)


def _essi(essi: Mapping[str, Any] | None) -> dict[str, Any]:
    """ESSI headlines from ``plan.json["essi"]`` (``None`` each without the comparison)."""
    keys = (
        "essi_coalition",
        "essi_capex_musd",
        "essi_cost_difference_musd",
        "essi_largest_saving",
        "essi_delivery_years",
        "essi_increments_earlier",
        "essi_increments_later",
        "essi_leakers_avoided",
        "essi_missile_leak_share",
    )
    if not essi:
        return dict.fromkeys(keys)
    camp = essi.get("campaign") or {}
    rows = dotted_get(essi, "delivery.by_ally_tier") or []
    gained = [r["years_gained"] for r in rows if r.get("years_gained") is not None]
    share = None
    if camp:
        share = {
            k: (camp.get(k) or {}).get("missile_leak_share")
            for k in ("without_sharing", "with_sharing")
        }
    return {
        "essi_coalition": list(essi.get("coalition") or []),
        "essi_capex_musd": dotted_get(essi, "cost.total.capex_musd"),
        "essi_cost_difference_musd": dotted_get(essi, "cost.total.difference_musd"),
        "essi_largest_saving": dotted_get(essi, "cost.largest_saving"),
        "essi_delivery_years": dotted_get(essi, "delivery.met_year"),
        "essi_increments_earlier": sum(1 for g in gained if g > 0),
        "essi_increments_later": sum(1 for g in gained if g < 0),
        "essi_leakers_avoided": camp.get("leakers_avoided") if camp else None,
        "essi_missile_leak_share": share,
    }


def summarise(
    stages: Mapping[str, Mapping[str, Any]],
    *,
    milestones: Sequence[Mapping[str, Any]],
    imputed: Sequence[Mapping[str, Any]],
    scenario: Mapping[str, Any],
    countries: list[str],
    names: Mapping[str, str] | None = None,
    essi: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Headline numbers of a plan.

    Parameters
    ----------
    stages : mapping
        ``plan.json`` entries of the stages, keyed by stage name.
    milestones : sequence of mapping
        ``plan.json["milestones"]``.
    imputed : sequence of mapping
        ``plan.json["imputed"]``.
    scenario : mapping
        The scenario as plain JSON values.
    countries : list of str
        iso3 codes in the plan.
    names : mapping, optional
        Country names by iso3, for the national table.
    essi : mapping, optional
        ``plan.json["essi"]`` (joint against national buying).

    Returns
    -------
    dict
        One value per key of :data:`SUMMARY_KEYS`.
    """
    names = names or {}
    targets = stages.get("targets")
    budget = stages.get("budget")
    industry = stages.get("industry")
    campaign = stages.get("campaign")
    coverage = stages.get("coverage")
    last = milestones[-1] if milestones else {}
    out: dict[str, Any] = {
        "countries": len(countries),
        "factor": scenario["target"]["factor"],
        "horizon_year": scenario["horizon_year"],
        **_tier_totals(targets),
        "national_targets": _national(targets, names),
        "total_cost_musd": _get(budget, "total_cost_musd"),
        "funding_year": _get(budget, "funding_year"),
        "unfunded_countries": _get(budget, "unfunded_countries"),
        **_funding(budget),
        "delivery_year": _get(industry, "delivery_year"),
        "production_only_year": _get(industry, "production_only_year"),
        **_delivery(industry),
        "tier_delivered_share_by_horizon": _get(industry, "tier_delivered_share_by_horizon"),
        "delivery_checked_to_year": _get(industry, "last_year"),
        "binding_line": _get(industry, "binding_line"),
        **_siting(stages.get("siting")),
        "milestone_years": [m["year"] for m in milestones],
        "trajectory": [{k: m.get(k) for k in TRAJECTORY_KEYS} for m in milestones],
        "coverage_year": last.get("year"),
        "coverage_fraction": _get(coverage, "coverage_fraction"),
        "missile_coverage_fraction": _get(coverage, "missile_coverage_fraction"),
        "coverage_by_class": last.get("coverage_by_class"),
        **_campaign(campaign),
        **_resupply(scenario, _get(campaign, "nights")),
        **_essi(essi),
        "imputed_values": len(imputed),
        "imputed_values_used": imputed_in_use(
            imputed, _get(stages.get("force"), "rows") or [], _get(budget, "lines") or []
        ),
    }
    return {k: out[k] for k in SUMMARY_KEYS}
