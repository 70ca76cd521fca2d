"""The sweep's models: headline outputs of one sampled scenario.

``fast_path`` runs the cheap stages only (no siting MILP, no maps; the
campaign with few replications), so thousands of samples fit in minutes;
``full_path`` runs the whole ``gbad plan`` pipeline per sample.
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["HEADLINE_OUTPUTS", "fast_path", "full_path"]

#: Headline outputs, with units: cost of the targets [MUSD], first year the
#: cumulative GBAD budget pays for them, year industry delivers them, covered
#: share of defended value [0-1], leakers over the campaign [threats], and
#: nights until the first interceptor type runs dry [nights].
HEADLINE_OUTPUTS: tuple[str, ...] = (
    "targets_cost_musd",
    "funding_year",
    "delivery_year",
    "coverage_fraction",
    "campaign_leakers",
    "campaign_endurance_nights",
)


def fast_path(scenario: Any, ref: Any, rng: np.random.Generator) -> dict[str, float]:
    """Headline outputs of one scenario from the cheap stages.

    Parameters
    ----------
    scenario : gbad.scenario.Scenario
        A sampled scenario (its ``overrides`` carry the sampled values).
    ref : gbad.reference.Reference
        Reference data with those overrides applied.
    rng : numpy.random.Generator
        The sample's own generator (campaign replications).

    Returns
    -------
    dict of str to float
        :data:`HEADLINE_OUTPUTS` that the available stages provide, plus
        ``name@year`` series for fan charts.
    """
    from gbad.sweep._interim import interim_fast_path

    return interim_fast_path(scenario, ref, rng)


def full_path(scenario: Any, ref: Any, rng: np.random.Generator) -> dict[str, float]:
    """Headline outputs from the whole pipeline (``gbad.pipeline.run_plan``)."""
    from gbad.pipeline import run_plan

    del rng  # run_plan seeds every stage from scenario.seed
    plan: Any = run_plan(scenario, ref=ref)
    summary = getattr(plan, "summary", {}) or {}
    return {k: float(summary[k]) for k in HEADLINE_OUTPUTS if summary.get(k) is not None}
