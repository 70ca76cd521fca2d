"""National GBAD targets: apportioning a collective x-fold target among allies.

Public API: :func:`compute_targets` (the stage), the apportionment methods in
:mod:`gbad.targets.apportion`, the keys in :mod:`gbad.targets.keys`, and the
least-cost comparison in :mod:`gbad.targets.optimise`.
"""

from __future__ import annotations

from gbad.targets.apportion import (
    METHODS,
    ApportionmentInfeasibleError,
    ApportionmentResult,
    apportion,
    constrained_quotas,
    dhondt,
    hamilton,
    webster,
)
from gbad.targets.keys import KEYS, exposure_table, haversine_km, key_shares
from gbad.targets.stage import TargetsResult, baseline_table, compute_targets, plan_countries

__all__ = [
    "KEYS",
    "METHODS",
    "ApportionmentInfeasibleError",
    "ApportionmentResult",
    "TargetsResult",
    "apportion",
    "baseline_table",
    "compute_targets",
    "constrained_quotas",
    "dhondt",
    "exposure_table",
    "hamilton",
    "haversine_km",
    "key_shares",
    "plan_countries",
    "webster",
]
