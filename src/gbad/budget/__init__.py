"""GBAD budgets: GDP and defence paths to the horizon, target costs, funding years.

Public API: :func:`compute_budget` (the stage), the path functions in
:mod:`gbad.budget.paths` and the cost model in :mod:`gbad.budget.costs`.
"""

from __future__ import annotations

from gbad.budget.costs import interceptors_per_fu, system_costs
from gbad.budget.paths import gdp_path, shape_fraction, share_path
from gbad.budget.stage import GBAD_SHARE_ASSUMPTION, BudgetResult, compute_budget

__all__ = [
    "GBAD_SHARE_ASSUMPTION",
    "BudgetResult",
    "compute_budget",
    "gdp_path",
    "interceptors_per_fu",
    "shape_fraction",
    "share_path",
    "system_costs",
]
