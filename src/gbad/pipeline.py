"""The pipeline runner, :func:`run_plan` (an alias of :mod:`gbad.plan`)."""

from __future__ import annotations

from gbad.plan import STAGES, Plan, PlanConfig, StageOutcome, run_plan

__all__ = ["STAGES", "Plan", "PlanConfig", "StageOutcome", "run_plan"]
