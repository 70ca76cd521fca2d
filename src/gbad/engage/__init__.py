"""Engagement stage: raids against fire units, Monte Carlo and closed forms.

Public API
----------
- Inputs: :class:`FireUnit`, :class:`Raid`, :class:`Doctrine`.
- :func:`simulate_raid` (Monte Carlo, ``engine="numpy" | "numba"``) returning
  :class:`RaidResult`; :func:`simulate_raids_batch` (one realisation of each of
  many raids in one kernel call, :class:`RaidBatchResult`);
  :func:`expected_raid_outcome` (mean field, no randomness).
- :func:`engage_single` the single-tier model behind ``gbad engage``.
- :mod:`gbad.engage.closed_forms` (salvo, leakers, Erlang B, Lanchester, stockpile),
  :mod:`gbad.engage.wta` (weapon-target assignment), :mod:`gbad.engage.calibrate`
  (defeat rates fitted to Ukraine's nightly reports; ``campaign_defeat_rates`` for the
  plan), :mod:`gbad.engage.families` (weapon families), :mod:`gbad.engage.backtest`.
"""

from __future__ import annotations

from gbad.engage.batch import RaidBatchResult, simulate_raids_batch
from gbad.engage.defence import (
    fire_unit_from_reference,
    interceptor_costs_musd,
    threat_costs_musd,
)
from gbad.engage.model import (
    DOCTRINES,
    Doctrine,
    ExpectedRaidOutcome,
    FireUnit,
    Raid,
    RaidResult,
)
from gbad.engage.raid import expected_raid_outcome, simulate_raid
from gbad.engage.single import SingleTierResult, engage_single
from gbad.engage.wta import WTAResult, wta_exact, wta_mmr

__all__ = [
    "DOCTRINES",
    "Doctrine",
    "ExpectedRaidOutcome",
    "FireUnit",
    "Raid",
    "RaidBatchResult",
    "RaidResult",
    "SingleTierResult",
    "WTAResult",
    "engage_single",
    "expected_raid_outcome",
    "fire_unit_from_reference",
    "interceptor_costs_musd",
    "simulate_raid",
    "simulate_raids_batch",
    "threat_costs_musd",
    "wta_exact",
    "wta_mmr",
]
