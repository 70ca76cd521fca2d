"""The plan: what ``gbad plan`` computes, as typed results and as ``plan.json``."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, Literal

from gbad._jsonable import to_jsonable
from gbad.scenario import Scenario

__all__ = ["STAGES", "Plan", "StageOutcome", "StageStatus"]

#: Pipeline stages in the order they run; every plan has one entry for each.
STAGES: tuple[str, ...] = ("targets", "budget", "industry", "siting", "coverage", "campaign")

#: ``ok``: the stage ran; ``not available``: its code or an input it needs is
#: missing; ``failed``: it raised an internal error (a bug, recorded in ``error``).
StageStatus = Literal["ok", "not available", "failed"]


@dataclass
class StageOutcome:
    """One stage's run inside a plan.

    Attributes
    ----------
    name : str
        Stage name, one of :data:`STAGES`.
    status : {"ok", "not available", "failed"}
        Whether the stage ran.
    result : object or None
        The stage's own typed result (its dataclass), for Python users and plots.
    data : dict
        The same result as plain JSON values; this is what ``plan.json`` holds.
    seconds : float
        Wall-clock time of the stage [s].
    reason : str or None
        Why the stage is not available, or the error it failed with.
    traceback : str or None
        The Python traceback of a failed stage (not written to ``plan.json``).
    """

    name: str
    status: StageStatus
    result: Any = None
    data: dict[str, Any] = field(default_factory=dict)
    seconds: float = 0.0
    reason: str | None = None
    traceback: str | None = field(default=None, repr=False)

    def to_dict(self) -> dict[str, Any]:
        """The stage's entry in ``plan.json``: its data plus ``status``."""
        if self.status == "failed":
            return {"status": "failed", "error": self.reason}
        if self.status != "ok":
            return {"status": self.status, "reason": self.reason}
        return {**self.data, "status": "ok"}


@dataclass
class Plan:
    """A whole plan: the scenario, every stage's outcome, metadata and headline numbers.

    Attributes
    ----------
    scenario : Scenario
        The validated scenario the plan was made from.
    stages : dict of str to StageOutcome
        One outcome per stage in :data:`STAGES`, in pipeline order.
    meta : dict
        gbad and data versions, overrides used, seed and per-stage seeds,
        timings per stage [s], countries, creation time (UTC, ISO 8601).
    summary : dict
        Headline numbers, each taken from a stage's data (``None`` where the
        stage is not available); see :func:`gbad.plan.summarise`.
    sources : list of dict
        Rows of the reference ``sources`` table that the plan draws on.
    ref : Reference or None
        The reference data the plan used (not part of ``plan.json``).
    """

    scenario: Scenario
    stages: dict[str, StageOutcome]
    meta: dict[str, Any]
    summary: dict[str, Any]
    sources: list[dict[str, Any]] = field(default_factory=list)
    ref: Any = field(default=None, repr=False, compare=False)

    @property
    def failed(self) -> list[str]:
        """Stages that raised an internal error (empty for a sound plan)."""
        return [n for n, o in self.stages.items() if o.status == "failed"]

    def result(self, stage: str) -> Any:
        """The typed result of ``stage`` (``None`` when not available)."""
        return self.stages[stage].result

    def to_dict(self) -> dict[str, Any]:
        """``plan.json``: plain JSON values, keys ``scenario``, one per stage, ``meta``,
        ``summary`` and ``sources``."""
        out: dict[str, Any] = {"scenario": self.scenario.model_dump(mode="json")}
        for name in STAGES:
            outcome = self.stages.get(name)
            out[name] = (
                outcome.to_dict()
                if outcome is not None
                else {"status": "not available", "reason": "not run"}
            )
        out["meta"] = to_jsonable(self.meta)
        out["summary"] = to_jsonable(self.summary)
        out["sources"] = to_jsonable(self.sources)
        return out

    def replace(self, **changes: Any) -> Plan:
        """A copy with some fields replaced."""
        return dataclasses.replace(self, **changes)
