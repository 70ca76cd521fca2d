"""The plan: what ``gbad plan`` computes, as typed results and as ``plan.json``."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from gbad._jsonable import to_jsonable
from gbad.scenario import Scenario

__all__ = ["PLAN_KEYS", "STAGES", "Plan", "PlanConfig", "StageOutcome"]

#: Pipeline stages in the order they run; every plan has one entry for each.
STAGES: tuple[str, ...] = (
    "targets",
    "procurement",
    "budget",
    "industry",
    "force",
    "siting",
    "coverage",
    "campaign",
)

#: Top-level keys of ``plan.json`` besides the stages.
PLAN_KEYS: tuple[str, ...] = (
    "scenario",
    "milestones",
    "imputed",
    "calibration",
    "meta",
    "summary",
    "sources",
    "essi",
    "requirement",
    "burn_vs_build",
    "data_quality",
)


@dataclass(frozen=True)
class PlanConfig:
    """Which parts of the pipeline run, and with which engine.

    The plan and the sweep run the same pipeline (:func:`gbad.plan.run_plan`);
    the sweep's fast path switches off what it does not report.

    Attributes
    ----------
    siting : bool
        Site the new fire units and assess the coverage of each milestone year.
    coverage_grid : bool
        Compute the coverage grid (area shares and maps); siting must be on.
    least_cost : bool
        Solve the least-cost allocation for comparison (budget stage).
    what_if : bool
        Run the industry comparisons (line doubling, the other buying mode).
    engine : {"numba", "numpy", "mean-field"}
        Campaign engine.
    replications : int or None
        Campaign replications (default ``scenario.campaign.replications``).
    essi : {"full", "cost", "off"} or None
        The joint-against-national comparison (``plan.json["essi"]``): ``full``
        (cost, delivery, the years with each effect alone and the horizon force's
        campaign with and without shared stocks), ``cost`` (cost and delivery
        only: what a sweep reports) or ``off``; default ``full`` with ``what_if``,
        else ``off``.
    requirement : bool
        Find the least-cost force holding the missile leak share in the horizon
        year (:func:`gbad.requirement.compute_requirement`; about a minute and a
        half on the default scenario).
    burn_vs_build : bool
        Set the peak campaign's interceptor use against production
        (:func:`gbad.requirement.burn_vs_build`).
    """

    siting: bool = True
    coverage_grid: bool = True
    least_cost: bool = True
    what_if: bool = True
    engine: str = "numba"
    replications: int | None = None
    essi: str | None = None
    requirement: bool = True
    burn_vs_build: bool = True

    def __post_init__(self) -> None:
        if self.engine not in ("numba", "numpy", "mean-field"):
            raise ValueError(f"engine must be numba, numpy or mean-field, got {self.engine!r}")
        if self.replications is not None and self.replications < 1:
            raise ValueError("replications must be at least 1")
        if self.essi not in (None, "full", "cost", "off"):
            raise ValueError(f"essi must be full, cost or off, got {self.essi!r}")

    @property
    def essi_mode(self) -> str:
        """The comparison that runs: ``essi``, else ``full`` with ``what_if``, else ``off``."""
        return self.essi or ("full" if self.what_if else "off")


@dataclass
class StageOutcome:
    """One stage's run inside a plan.

    Attributes
    ----------
    name : str
        Stage name, one of :data:`STAGES`.
    result : object
        The stage's own typed result, for Python users and plots (``None`` for a
        stage the configuration switched off).
    data : dict
        The same result as plain JSON values; this is what ``plan.json`` holds.
    seconds : float
        Wall-clock time of the stage [s].
    status : {"ok", "skipped"}
        ``skipped``: switched off by the :class:`PlanConfig`.
    """

    name: str
    result: Any = None
    data: dict[str, Any] = field(default_factory=dict)
    seconds: float = 0.0
    status: str = "ok"

    def to_dict(self) -> dict[str, Any]:
        """The stage's entry in ``plan.json``: its data plus ``status``."""
        return {**self.data, "status": self.status}


@dataclass
class Plan:
    """A whole plan: the scenario, every stage's outcome, milestones, metadata, headlines.

    Attributes
    ----------
    scenario : Scenario
        The validated scenario the plan was made from.
    stages : dict of str to StageOutcome
        One outcome per stage in :data:`STAGES`, in pipeline order. ``coverage``
        and ``campaign`` are those of the last milestone year (the horizon force);
        every year's are in ``milestone_results``.
    milestones : list of dict
        One row per milestone year (the contract's ``milestones``).
    milestone_results : list
        :class:`gbad.plan.MilestoneResult` per year (typed, not in ``plan.json``).
    imputed : list of dict
        Every value filled in because the data lack it.
    calibration : dict or None
        The electronic-warfare layer calibrated on Ukraine's reports, its
        assumption and the comparison of the plan's leak shares with Ukraine's
        (``None`` when ``engagement.calibration`` is null).
    meta : dict
        gbad and data versions, overrides used, seed, timings [s], countries, time.
    summary : dict
        Headline numbers read from the plan's own data (:func:`gbad.plan.summarise`).
    sources : list of dict
        Rows of the reference ``sources`` table that the plan draws on.
    ref : Reference or None
        The reference data the plan used (not part of ``plan.json``).
    essi : EssiResult or None
        Joint against national buying (``plan.json["essi"]``; ``None`` when the
        configuration runs no comparisons).
    data_quality : list of DataQualityRow or None
        The share of estimated inputs behind each headline
        (``plan.json["data_quality"]``, :func:`gbad.plan._quality.plan_data_quality`).
    """

    scenario: Scenario
    stages: dict[str, StageOutcome]
    milestones: list[dict[str, Any]]
    imputed: list[dict[str, Any]]
    calibration: dict[str, Any] | None
    meta: dict[str, Any]
    summary: dict[str, Any]
    sources: list[dict[str, Any]] = field(default_factory=list)
    milestone_results: list[Any] = field(default_factory=list, repr=False)
    ref: Any = field(default=None, repr=False, compare=False)
    essi: Any = field(default=None, repr=False, compare=False)
    requirement: Any = field(default=None, repr=False, compare=False)
    burn_vs_build: list[dict[str, Any]] | None = None
    data_quality: list[Any] | None = None

    def result(self, stage: str) -> Any:
        """The typed result of ``stage``."""
        return self.stages[stage].result

    def to_dict(self) -> dict[str, Any]:
        """``plan.json``: ``scenario``, one key per stage, ``milestones``, ``imputed``,
        ``meta``, ``summary`` and ``sources``.

        ``procurement`` and ``force`` are lists of rows (the contract's), as are
        ``milestones`` and ``imputed``.
        """
        out: dict[str, Any] = {"scenario": self.scenario.model_dump(mode="json")}
        for name in STAGES:
            out[name] = self.stages[name].to_dict()
        out["procurement"] = to_jsonable(self.stages["procurement"].data.get("choices", []))
        out["force"] = to_jsonable(self.stages["force"].data.get("rows", []))
        out["milestones"] = to_jsonable(self.milestones)
        out["imputed"] = to_jsonable(self.imputed)
        out["calibration"] = to_jsonable(self.calibration)
        out["meta"] = to_jsonable(self.meta)
        out["summary"] = to_jsonable(self.summary)
        out["sources"] = to_jsonable(self.sources)
        out["essi"] = None if self.essi is None else to_jsonable(self.essi.to_dict())
        out["requirement"] = (
            None if self.requirement is None else to_jsonable(self.requirement.to_dict())
        )
        out["burn_vs_build"] = to_jsonable(self.burn_vs_build)
        out["data_quality"] = (
            None if self.data_quality is None else [r.to_dict() for r in self.data_quality]
        )
        return out

    def replace(self, **changes: Any) -> Plan:
        """A copy with some fields replaced."""
        return dataclasses.replace(self, **changes)
