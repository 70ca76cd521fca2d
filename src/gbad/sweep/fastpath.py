"""The sweep's models: headline outputs of one sampled scenario.

``fast_path`` runs the cheap stages only (targets, budget, industry and the
campaign with the mean-field engine; no siting MILP, no coverage maps), so
thousands of samples fit in minutes. ``full_path`` runs the whole
:func:`gbad.plan.run_plan` pipeline per sample and reads its summary.

A year that is not reached within the stages' own time span (the budget's
``extend_to_year``, the industry's last year) is ``nan``: the sweep counts it
under ``missing`` rather than inventing a year.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

__all__ = ["FAST_OUTPUTS", "FULL_OUTPUTS", "HEADLINE_OUTPUTS", "fast_path", "full_path"]

#: Headline outputs of the fast path, with units: acquisition cost of every
#: national target [MUSD]; year the last ally's target is funded [year];
#: year industry delivers the collective target [year], and the year production
#: alone would [year]; leakers over the campaign, summed over classes
#: [threats]; their share of all threats [0-1]; nights until the first
#: interceptor type runs dry (the campaign length if none does) [nights].
FAST_OUTPUTS: tuple[str, ...] = (
    "total_cost_musd",
    "funding_year",
    "delivery_year",
    "production_only_year",
    "campaign_leakers",
    "leak_fraction",
    "campaign_endurance_nights",
)

#: Outputs of the full pipeline: the plan summary's numeric headline numbers.
FULL_OUTPUTS: tuple[str, ...] = (
    "collective_target",
    "total_cost_musd",
    "funding_year",
    "delivery_year",
    "coverage_fraction",
    "leak_fraction",
    "campaign_endurance_nights",
)

#: Every headline output either model can give.
HEADLINE_OUTPUTS: tuple[str, ...] = tuple(dict.fromkeys(FAST_OUTPUTS + FULL_OUTPUTS))


def _year(value: Any) -> float:
    if value is None:
        return math.nan
    out = float(value)
    return out if math.isfinite(out) else math.nan


def _funding_year(budget: Any) -> float:
    """Year the last ally's target is funded within the budget's span, else nan."""
    years = budget.countries["funded_year"].to_numpy(dtype=float)
    if years.size == 0 or not np.all(np.isfinite(years)):
        return math.nan
    return float(years.max())


def _endurance_nights(campaign: Any) -> float:
    """Nights until the collective stock of a system that started with one is empty.

    The campaign's own ``endurance_nights`` when it has one; else the first
    night (1-based) at whose end a system's collective stock (summed over
    allies) is exhausted, or the campaign length if none is.
    """
    known = getattr(campaign, "endurance_nights", None)
    if known is not None:
        return float(known)
    stock = np.asarray(campaign.stock_night, dtype=float)  # (nights, systems)
    held = np.asarray(campaign.stock_start, dtype=float) > 0
    empty = (stock[:, held] <= 1e-9).any(axis=1)
    return float(np.argmax(empty) + 1) if empty.any() else float(campaign.nights)


def fast_path(scenario: Any, ref: Any, rng: np.random.Generator) -> dict[str, float]:
    """Headline outputs of one scenario from the cheap stages.

    Calls :func:`gbad.targets.compute_targets`, :func:`gbad.budget.compute_budget`,
    :func:`gbad.industry.compute_industry` and :func:`gbad.campaign.run_campaign`
    (mean-field engine, one replication: expected values, no sampling noise).

    Parameters
    ----------
    scenario : gbad.scenario.Scenario
        A sampled scenario (its ``overrides`` carry the sampled values).
    ref : gbad.reference.Reference
        Reference data with those overrides applied.
    rng : numpy.random.Generator
        The sample's own generator (passed to the campaign).

    Returns
    -------
    dict of str to float
        :data:`FAST_OUTPUTS`, plus the series ``gbad_budget_musd@<year>``
        (collective GBAD budget) and ``fire_units_delivered@<year>``
        (cumulative new fire units) for fan charts.
    """
    from gbad.budget import compute_budget
    from gbad.campaign import run_campaign
    from gbad.industry import compute_industry
    from gbad.targets import compute_targets

    targets = compute_targets(ref, scenario)
    budget = compute_budget(ref, scenario, targets, least_cost=False)
    industry = compute_industry(ref, scenario, targets, budget, what_if=False)
    campaign = run_campaign(
        ref, scenario, industry=industry, rng=rng, engine="mean-field", replications=1
    )
    threats = float(np.sum(campaign.threats))
    leakers = float(np.sum(campaign.leakers))
    out = {
        "total_cost_musd": float(budget.total_cost_musd),
        "funding_year": _funding_year(budget),
        "delivery_year": _year(industry.collective_met_year),
        "production_only_year": _year(industry.production_only_year),
        "campaign_leakers": leakers,
        "leak_fraction": leakers / threats if threats > 0 else math.nan,
        "campaign_endurance_nights": _endurance_nights(campaign),
    }
    horizon = int(scenario.horizon_year)
    years = list(range(int(scenario.base_year), horizon + 1))
    spend = budget.paths.groupby("year")["gbad_budget_musd"].sum().reindex(years)
    delivered = industry.deliveries.groupby("year")["fire_units"].sum().cumsum()
    delivered = delivered.reindex(years).ffill().fillna(0.0)
    for y, s, d in zip(years, spend.to_numpy(float), delivered.to_numpy(float), strict=True):
        out[f"gbad_budget_musd@{y}"] = float(s)
        out[f"fire_units_delivered@{y}"] = float(d)
    return out


def full_path(scenario: Any, ref: Any, rng: np.random.Generator) -> dict[str, float]:
    """Headline outputs from the whole pipeline (:func:`gbad.plan.run_plan`).

    The sample's generator draws the plan's ``seed``, so each sample's
    stochastic stages get their own streams and the sweep stays reproducible.
    Outputs are the numeric entries of the plan summary among
    :data:`FULL_OUTPUTS` (``nan`` where a stage is not available).
    """
    from gbad.plan import run_plan

    seeded = scenario.model_copy(update={"seed": int(rng.integers(0, 2**63 - 1))})
    plan = run_plan(seeded, ref=ref)
    summary = plan.summary or {}
    out: dict[str, float] = {}
    for key in FULL_OUTPUTS:
        value = summary.get(key)
        out[key] = (
            float(value)
            if isinstance(value, (int, float)) and not isinstance(value, bool)
            else math.nan
        )
    return out
