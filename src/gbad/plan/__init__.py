"""The plan: the whole pipeline on one scenario, as typed results and ``plan.json``.

>>> from gbad.plan import run_plan
>>> plan = run_plan()                      # the default scenario
>>> sorted(plan.to_dict())[:3]
['budget', 'campaign', 'coverage']
"""

from __future__ import annotations

from gbad.plan._model import PLAN_KEYS, STAGES, Plan, PlanConfig, StageOutcome
from gbad.plan._runner import (
    STAGE_TITLES,
    MilestoneResult,
    ProgressCallback,
    run_plan,
    stage_seeds,
)
from gbad.plan._summary import SUMMARY_KEYS, TRAJECTORY_KEYS, summarise

__all__ = [
    "PLAN_KEYS",
    "STAGES",
    "STAGE_TITLES",
    "SUMMARY_KEYS",
    "TRAJECTORY_KEYS",
    "MilestoneResult",
    "Plan",
    "PlanConfig",
    "ProgressCallback",
    "StageOutcome",
    "run_plan",
    "stage_seeds",
    "summarise",
]
