"""Run the whole pipeline on one scenario: :func:`run_plan`."""

from __future__ import annotations

import datetime as dt
import logging
import time
import traceback
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from gbad import DATA_VERSION, __version__
from gbad._jsonable import to_jsonable
from gbad.errors import GbadInputError
from gbad.plan._model import STAGES, Plan, StageOutcome
from gbad.plan._stages import ADAPTERS, StageContext, StageUnavailable
from gbad.plan._summary import summarise
from gbad.scenario import Scenario, parse_scenario

__all__ = ["ProgressCallback", "load_reference_for", "plan_countries", "run_plan", "stage_seeds"]

log = logging.getLogger(__name__)

#: ``progress(message, fraction_done)``; ``fraction_done`` runs from 0 to 1.
ProgressCallback = Callable[[str, float], None]

#: Stage titles for progress messages and the report.
STAGE_TITLES: dict[str, str] = {
    "targets": "National targets",
    "budget": "Budgets",
    "industry": "Industrial delivery",
    "siting": "Siting of new fire units",
    "coverage": "Coverage",
    "campaign": "Campaign and stockpiles",
}


def stage_seeds(seed: int) -> dict[str, np.random.SeedSequence]:
    """One independent seed sequence per stage, spawned from the scenario seed.

    The spawn order is :data:`gbad.plan.STAGES`, fixed, so a stage's random
    numbers do not depend on which other stages are available.
    """
    children = np.random.SeedSequence(seed).spawn(len(STAGES))
    return dict(zip(STAGES, children, strict=True))


def load_reference_for(scenario: Scenario) -> Any:
    """Reference data with the scenario's overrides applied, or ``None`` if absent."""
    try:
        from gbad.reference import load_reference
    except ModuleNotFoundError as exc:
        if exc.name and "gbad.reference".startswith(exc.name):
            return None
        raise
    return load_reference(overrides=scenario.overrides or None)


def plan_countries(scenario: Scenario, ref: Any) -> list[str] | None:
    """iso3 codes in the plan: the scenario's list, else the European allies."""
    if scenario.countries is not None:
        return list(scenario.countries)
    frame = getattr(ref, "countries", None)
    if not isinstance(frame, pd.DataFrame) or "iso3" not in frame:
        return None
    if "european" in frame:
        frame = frame[frame["european"].astype(bool)]
    return [str(c) for c in frame["iso3"]]


def _split_ids(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        return [v.strip() for v in value.split(";") if v.strip()]
    if isinstance(value, (list, tuple, set)):
        return [str(v).strip() for v in value if str(v).strip()]
    return []


def _ids_in_data(node: Any, out: set[str]) -> None:
    if isinstance(node, Mapping):
        for key, value in node.items():
            if key in ("source_id", "source_ids"):
                out.update(_split_ids(value))
            else:
                _ids_in_data(value, out)
    elif isinstance(node, list):
        for item in node:
            _ids_in_data(item, out)


def _frame_ids(frame: Any, mask: Any = None) -> set[str]:
    if not isinstance(frame, pd.DataFrame) or "source_id" not in frame:
        return set()
    column = frame["source_id"] if mask is None else frame.loc[mask, "source_id"]
    ids: set[str] = set()
    for value in column.dropna():
        ids.update(_split_ids(str(value)))
    return ids


def sources_used(
    ref: Any, countries: list[str] | None, stage_data: Mapping[str, Any]
) -> list[dict[str, Any]]:
    """Rows of ``ref.sources`` behind the figures the plan uses.

    That is every ``source_id`` the stages publish in their results, plus those
    of the reference rows the plan draws on: the allies' country, inventory and
    asset rows, the systems they field (with envelopes and production), the
    threats, the launch areas and the attack reports when the campaign ran.
    """
    sources = getattr(ref, "sources", None)
    if not isinstance(sources, pd.DataFrame) or "source_id" not in sources:
        return []
    ids: set[str] = set()
    _ids_in_data(stage_data, ids)
    keep = set(countries) if countries is not None else None

    def by_iso3(frame: Any) -> Any:
        if keep is None or not isinstance(frame, pd.DataFrame) or "iso3" not in frame:
            return None
        return frame["iso3"].isin(keep)

    for table in ("countries", "inventory", "assets"):
        frame = getattr(ref, table, None)
        ids |= _frame_ids(frame, by_iso3(frame))
    inventory = getattr(ref, "inventory", None)
    systems: set[str] | None = None
    if isinstance(inventory, pd.DataFrame) and "system" in inventory:
        mask = by_iso3(inventory)
        systems = set((inventory if mask is None else inventory[mask])["system"].astype(str))
    for table in ("systems", "envelopes", "production"):
        frame = getattr(ref, table, None)
        mask = None
        if systems is not None and isinstance(frame, pd.DataFrame) and "system" in frame:
            mask = frame["system"].astype(str).isin(systems)
        ids |= _frame_ids(frame, mask)
    for table in ("threats", "launch_areas"):
        ids |= _frame_ids(getattr(ref, table, None))
    campaign = stage_data.get("campaign", {})
    if isinstance(campaign, Mapping) and campaign.get("status") == "ok":
        ids |= _frame_ids(getattr(ref, "attacks", None))
    rows = sources[sources["source_id"].astype(str).isin(ids)].sort_values("source_id")
    return list(to_jsonable(rows))


def _country_names(ref: Any) -> dict[str, str]:
    frame = getattr(ref, "countries", None)
    if not isinstance(frame, pd.DataFrame) or not {"iso3", "name"} <= set(frame.columns):
        return {}
    return {str(i): str(n) for i, n in zip(frame["iso3"], frame["name"], strict=True)}


def run_plan(
    scenario: Scenario | Mapping[str, Any] | None = None,
    *,
    ref: Any = None,
    progress: ProgressCallback | None = None,
    strict: bool = False,
) -> Plan:
    """Run every stage of the pipeline on a scenario.

    Stages run in the order of :data:`gbad.plan.STAGES` (targets, budget,
    industry, siting, coverage, campaign); each gets the results of the earlier
    ones. A stage whose code or inputs are missing is recorded as
    ``{"status": "not available"}`` and the plan goes on; a stage that raises an
    internal error is recorded as ``{"status": "failed", "error": ...}`` (listed in
    :attr:`Plan.failed`) and the stages needing it are not available, unless
    ``strict`` is set, when the error propagates. All randomness comes
    from ``scenario.seed``: each stage gets its own generator, spawned with
    :class:`numpy.random.SeedSequence`, so the same scenario gives the same plan.

    Parameters
    ----------
    scenario : Scenario or mapping, optional
        The scenario (a mapping is validated first; ``None`` is the default).
    ref : Reference, optional
        Reference data; loaded with the scenario's overrides when omitted.
    progress : callable, optional
        Called as ``progress(message, fraction_done)`` before each stage and
        once at the end with ``1.0``.
    strict : bool, default False
        Re-raise a stage's internal error instead of recording it.

    Returns
    -------
    Plan
        Typed stage results, ``plan.json`` data, metadata and headline numbers.

    Raises
    ------
    GbadInputError
        If the scenario is invalid or a stage refuses its input (naming the field).
    """
    if not isinstance(scenario, Scenario):
        scenario = parse_scenario(None if scenario is None else dict(scenario))
    report = progress or (lambda _message, _fraction: None)
    started = dt.datetime.now(dt.UTC)
    timings: dict[str, float] = {}

    report("reference data", 0.0)
    t0 = time.perf_counter()
    if ref is None:
        ref = load_reference_for(scenario)
    timings["reference"] = time.perf_counter() - t0

    seeds = stage_seeds(scenario.seed)
    outcomes: dict[str, StageOutcome] = {}
    results: dict[str, Any] = {}
    for i, name in enumerate(STAGES):
        report(STAGE_TITLES[name], i / len(STAGES))
        ctx = StageContext(
            scenario=scenario,
            ref=ref,
            rng=np.random.default_rng(seeds[name]),
            results=results,
        )
        t0 = time.perf_counter()
        try:
            result = ADAPTERS[name](ctx)
        except StageUnavailable as exc:
            outcome = StageOutcome(name, "not available", reason=exc.reason)
        except GbadInputError:
            raise
        except Exception as exc:
            if strict:
                raise
            log.debug("stage %s failed", name, exc_info=True)
            error = " ".join(f"{type(exc).__name__}: {exc}".split())
            outcome = StageOutcome(name, "failed", reason=error)
            outcome.traceback = traceback.format_exc()
        else:
            data = to_jsonable(result)
            if not isinstance(data, dict):
                data = {"result": data}
            data.pop("status", None)
            outcome = StageOutcome(name, "ok", result=result, data=data)
            results[name] = result
        outcome.seconds = time.perf_counter() - t0
        timings[name] = outcome.seconds
        outcomes[name] = outcome

    countries = plan_countries(scenario, ref)
    stage_data = {name: o.to_dict() for name, o in outcomes.items()}
    scenario_data = scenario.model_dump(mode="json")
    summary = summarise(
        stage_data, scenario=scenario_data, countries=countries, names=_country_names(ref)
    )
    sources = sources_used(ref, countries, stage_data)
    applied = getattr(ref, "overrides", None)
    meta: dict[str, Any] = {
        "gbad_version": __version__,
        "data_version": str(getattr(ref, "version", DATA_VERSION)),
        "overrides": to_jsonable(applied if applied is not None else scenario.overrides),
        "seed": scenario.seed,
        "stage_seeds": {n: list(s.spawn_key) for n, s in seeds.items()},
        "countries": countries,
        "timings_s": timings,
        "total_s": sum(timings.values()),
        "created_at": started.isoformat(timespec="seconds"),
        "stages_available": [n for n in STAGES if outcomes[n].status == "ok"],
        "stages_failed": [n for n in STAGES if outcomes[n].status == "failed"],
    }
    report("done", 1.0)
    return Plan(
        scenario=scenario, stages=outcomes, meta=meta, summary=summary, sources=sources, ref=ref
    )
