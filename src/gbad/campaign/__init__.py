"""Campaign stage: nights of raids, interceptor stocks, production refill, sizing.

Public API
----------
- :func:`run_campaign` ``(ref, scenario, *, industry=None, rng) -> CampaignResult``:
  the plan's stage function (``.to_dict()`` is the ``gbad campaign --json`` object).
- :func:`build_setup` and :func:`simulate_campaign`: the same in two steps, on a
  :class:`CampaignSetup` that tests and sizing can modify.
- :func:`size_stockpile` (:mod:`~gbad.campaign.stockpile`: smallest extra stock per
  interceptor type, by simulation), :func:`optimise_mix` (:mod:`~gbad.campaign.mix`:
  cheapest effector mix, HiGHS MILP), :func:`apply_mix`, :func:`check_mix` (Monte
  Carlo check), :func:`counter_drone_payoff`.
- :func:`raid_presets` (typical, average, peak, record nights of the Ukrainian reports).
- :mod:`gbad.campaign.plots`: stocks, leakers, spend as plotly dicts and matplotlib.
"""

from __future__ import annotations

from gbad.campaign.mix import (
    MixResult,
    apply_mix,
    check_mix,
    counter_drone_payoff,
    optimise_mix,
)
from gbad.campaign.model import (
    CampaignResult,
    campaign_seeds,
    run_campaign,
    simulate_campaign,
    simulate_night,
)
from gbad.campaign.presets import RaidPreset, nightly_counts, raid_presets
from gbad.campaign.setup import CampaignSetup, build_setup
from gbad.campaign.stockpile import StockpileResult, size_stockpile

__all__ = [
    "CampaignResult",
    "CampaignSetup",
    "MixResult",
    "RaidPreset",
    "StockpileResult",
    "apply_mix",
    "build_setup",
    "campaign_seeds",
    "check_mix",
    "counter_drone_payoff",
    "nightly_counts",
    "optimise_mix",
    "raid_presets",
    "run_campaign",
    "simulate_campaign",
    "simulate_night",
    "size_stockpile",
]
