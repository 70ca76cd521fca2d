"""The sweep's models: headline outputs of one sampled scenario.

Both run the plan's own pipeline, :func:`gbad.plan.run_plan`, and read its
summary, so a number called the same in a sweep and in ``plan.json`` is the same
quantity. ``fast_path`` runs it with :data:`FAST_CONFIG` (no siting or coverage,
no least-cost MILP or industry comparisons, the mean-field campaign with one
replication: expected values without sampling noise), so thousands of samples fit
in minutes; ``full_path`` runs the whole pipeline as ``gbad plan`` does.

A year that is not reached within the stages' own time span (the budget's
``extend_to_year``, the industry's last year) is ``nan``: the sweep counts it
under ``missing`` rather than inventing a year.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from gbad._jsonable import dotted_get
from gbad.plan import Plan, PlanConfig

__all__ = [
    "FAST_CONFIG",
    "FAST_OUTPUTS",
    "FULL_OUTPUTS",
    "HEADLINE_OUTPUTS",
    "fast_path",
    "full_path",
    "plan_outputs",
]

#: The fast path's pipeline: budgets, industry, force and the mean-field campaign
#: of every milestone year, and the joint-against-national comparison's cost and
#: delivery (the pooling assumptions are sampled); no siting, coverage,
#: least-cost MILP, industry what-ifs or the comparison's campaign pair.
FAST_CONFIG = PlanConfig(
    siting=False,
    coverage_grid=False,
    least_cost=False,
    what_if=False,
    engine="mean-field",
    replications=1,
    essi="cost",
    requirement=False,
    burn_vs_build=False,
)

#: Headline outputs of the fast path (keys of the plan summary, same meaning; a
#: dotted key is one entry of a summary mapping).
FAST_OUTPUTS: tuple[str, ...] = (
    "total_cost_musd",
    "funding_year",
    "last_funded_year",
    "delivery_year",
    "production_only_year",
    "long_medium_delivery_year",
    "campaign_leakers",
    "leak_fraction",
    "missile_leak_share",
    "campaign_endurance_nights",
    "essi_cost_difference_musd",
    "essi_delivery_years.national",
    "essi_delivery_years.joint",
)

#: Outputs of the full pipeline: the fast path's and coverage.
FULL_OUTPUTS: tuple[str, ...] = (
    *FAST_OUTPUTS,
    "long_medium_target",
    "coverage_fraction",
    "missile_coverage_fraction",
)

#: Every headline output either model can give.
HEADLINE_OUTPUTS: tuple[str, ...] = tuple(dict.fromkeys(FAST_OUTPUTS + FULL_OUTPUTS))


def _number(value: Any) -> float:
    """A summary value as a float (``nan`` for ``None``, text or booleans)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return math.nan
    out = float(value)
    return out if math.isfinite(out) else math.nan


def plan_outputs(plan: Plan, keys: tuple[str, ...]) -> dict[str, float]:
    """A plan's headline outputs for a sweep: summary values and yearly series.

    Returns
    -------
    dict of str to float
        ``keys`` from ``plan.summary``; the milestone series
        ``missile_leak_share@<year>`` and ``long_medium_fire_units@<year>``; and the
        yearly series ``gbad_budget_musd@<year>`` (collective GBAD budget) and
        ``fire_units_delivered@<year>`` (cumulative fire units delivered) for fan
        charts, base year to horizon.
    """
    out = {key: _number(dotted_get(plan.summary, key)) for key in keys}
    for row in plan.milestones:
        out[f"missile_leak_share@{row['year']}"] = _number(row["missile_leak_share"])
        out[f"long_medium_fire_units@{row['year']}"] = _number(row["long_medium_fire_units"])
    budget, industry = plan.result("budget"), plan.result("industry")
    years = list(range(int(plan.scenario.base_year), int(plan.scenario.horizon_year) + 1))
    spend = budget.paths.groupby("year")["gbad_budget_musd"].sum().reindex(years)
    delivered = industry.deliveries.groupby("year")["fire_units"].sum().cumsum()
    delivered = delivered.reindex(years).ffill().fillna(0.0)
    for y, s, d in zip(years, spend.to_numpy(float), delivered.to_numpy(float), strict=True):
        out[f"gbad_budget_musd@{y}"] = float(s)
        out[f"fire_units_delivered@{y}"] = float(d)
    return out


def _run(scenario: Any, ref: Any, rng: np.random.Generator, config: PlanConfig) -> Plan:
    from gbad.plan import run_plan

    seeded = scenario.model_copy(update={"seed": int(rng.integers(0, 2**63 - 1))})
    return run_plan(seeded, ref=ref, config=config)


def fast_path(scenario: Any, ref: Any, rng: np.random.Generator) -> dict[str, float]:
    """Headline outputs of one scenario from the plan pipeline with :data:`FAST_CONFIG`.

    Parameters
    ----------
    scenario : gbad.scenario.Scenario
        A sampled scenario (its ``overrides`` carry the sampled values).
    ref : gbad.reference.Reference
        Reference data with those overrides applied.
    rng : numpy.random.Generator
        The sample's own generator: it draws the plan's ``seed``.

    Returns
    -------
    dict of str to float
        :data:`FAST_OUTPUTS` and the series of :func:`plan_outputs`.
    """
    return plan_outputs(_run(scenario, ref, rng, FAST_CONFIG), FAST_OUTPUTS)


def full_path(scenario: Any, ref: Any, rng: np.random.Generator) -> dict[str, float]:
    """Headline outputs from the whole pipeline, as ``gbad plan`` runs it.

    The sample's generator draws the plan's ``seed``, so each sample's
    stochastic stages get their own streams and the sweep stays reproducible.
    """
    return plan_outputs(_run(scenario, ref, rng, PlanConfig()), FULL_OUTPUTS)
