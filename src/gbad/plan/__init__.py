"""The plan: the whole pipeline on one scenario, as typed results and ``plan.json``.

>>> from gbad.plan import run_plan
>>> plan = run_plan()                      # the default scenario
>>> sorted(plan.to_dict())[:3]
['budget', 'campaign', 'coverage']
"""

from __future__ import annotations

from gbad.plan._model import STAGES, Plan, StageOutcome, StageStatus
from gbad.plan._runner import STAGE_TITLES, ProgressCallback, run_plan, stage_seeds
from gbad.plan._summary import SUMMARY_KEYS, summarise

__all__ = [
    "STAGES",
    "STAGE_TITLES",
    "SUMMARY_KEYS",
    "Plan",
    "ProgressCallback",
    "StageOutcome",
    "StageStatus",
    "run_plan",
    "stage_seeds",
    "summarise",
]
