"""Adapters from the pipeline to each stage package.

Each adapter takes a :class:`StageContext` and returns the stage's own typed
result. A stage whose package is not part of this gbad, or which needs an
earlier stage that is not available, raises :class:`StageUnavailable`, and the
plan records it as ``{"status": "not available"}``.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from gbad.scenario import Scenario

__all__ = ["ADAPTERS", "StageContext", "StageUnavailable", "call_with_accepted"]


class StageUnavailable(Exception):  # noqa: N818 - a state, not a failure
    """The stage cannot run in this plan (missing code or missing input)."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


@dataclass
class StageContext:
    """What a stage adapter may use.

    Attributes
    ----------
    scenario : Scenario
        The validated scenario.
    ref : Reference or None
        Reference data with the scenario's overrides applied.
    rng : numpy.random.Generator
        The stage's own generator, spawned from ``scenario.seed``.
    results : dict
        Typed results of the earlier stages that ran.
    """

    scenario: Scenario
    ref: Any
    rng: np.random.Generator
    results: dict[str, Any] = field(default_factory=dict)

    def need(self, *stages: str) -> list[Any]:
        """Results of earlier ``stages``; unavailable if any is missing."""
        missing = [s for s in stages if self.results.get(s) is None]
        if missing:
            raise StageUnavailable(f"needs {', '.join(missing)}")
        return [self.results[s] for s in stages]

    def need_ref(self) -> Any:
        """The reference data; unavailable if it is missing."""
        if self.ref is None:
            raise StageUnavailable("reference data (gbad.reference) not available")
        return self.ref


def load_function(module: str | tuple[str, ...], names: tuple[str, ...]) -> Callable[..., Any]:
    """The first of ``names`` defined in the first of ``module`` that defines one.

    Raises
    ------
    StageUnavailable
        If no module is installed or none defines any of the names. Import
        errors raised *inside* an existing module propagate: they are bugs.
    """
    modules = (module,) if isinstance(module, str) else module
    for mod_name in modules:
        try:
            mod = importlib.import_module(mod_name)
        except ModuleNotFoundError as exc:
            if exc.name and (mod_name == exc.name or mod_name.startswith(exc.name + ".")):
                continue
            raise
        for name in names:
            fn = getattr(mod, name, None)
            if callable(fn):
                return fn
    raise StageUnavailable(f"{modules[0]}.{names[0]} is not part of this gbad")


def call_with_accepted(fn: Callable[..., Any], *args: Any, **optional: Any) -> Any:
    """Call ``fn(*args, **kw)`` passing only the keyword arguments it accepts."""
    try:
        params = inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return fn(*args, **optional)
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values()):
        return fn(*args, **optional)
    accepted = {k: v for k, v in optional.items() if k in params}
    return fn(*args, **accepted)


def _targets(ctx: StageContext) -> Any:
    fn = load_function("gbad.targets", ("compute_targets",))
    return call_with_accepted(fn, ctx.need_ref(), ctx.scenario)


def _budget(ctx: StageContext) -> Any:
    fn = load_function("gbad.budget", ("compute_budget",))
    (targets,) = ctx.need("targets")
    return call_with_accepted(fn, ctx.need_ref(), ctx.scenario, targets)


def _industry(ctx: StageContext) -> Any:
    fn = load_function("gbad.industry", ("compute_industry",))
    targets, budget = ctx.need("targets", "budget")
    return call_with_accepted(fn, ctx.need_ref(), ctx.scenario, targets, budget)


def _siting(ctx: StageContext) -> Any:
    fn = load_function(
        ("gbad.siting", "gbad.siting.stage"), ("site_new_units", "site_scenario", "site_plan")
    )
    (targets,) = ctx.need("targets")
    return call_with_accepted(fn, ctx.need_ref(), ctx.scenario, targets)


def _coverage(ctx: StageContext) -> Any:
    """Coverage of the planned fire units, or of today's when siting is not available.

    ``gbad.coverage.assess`` places today's units itself when given none; the
    result's ``fire_units_by_origin`` says which were assessed.
    """
    fn = load_function(("gbad.coverage", "gbad.coverage.stage"), ("assess", "assess_scenario"))
    siting = ctx.results.get("siting")
    fire_units = getattr(siting, "fire_units", None) if siting is not None else None
    return call_with_accepted(fn, ctx.need_ref(), ctx.scenario, fire_units)


def _campaign(ctx: StageContext) -> Any:
    fn = load_function("gbad.campaign", ("run_campaign",))
    return call_with_accepted(
        fn,
        ctx.need_ref(),
        ctx.scenario,
        industry=ctx.results.get("industry"),
        rng=ctx.rng,
    )


#: One adapter per stage, keyed by stage name (see :data:`gbad.plan.STAGES`).
ADAPTERS: dict[str, Callable[[StageContext], Any]] = {
    "targets": _targets,
    "budget": _budget,
    "industry": _industry,
    "siting": _siting,
    "coverage": _coverage,
    "campaign": _campaign,
}
