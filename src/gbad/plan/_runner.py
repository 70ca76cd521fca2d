"""Run the whole pipeline on one scenario: :func:`run_plan`.

The stages are called here, directly and in order, each with typed inputs:

1. targets      national targets per tier (:func:`gbad.targets.compute_targets`)
2. procurement  what each ally buys per tier (:func:`gbad.procurement.decide_procurement`)
3. budget       cost of that procurement, year funded (:func:`gbad.budget.compute_budget`)
4. industry     deliveries of those orders (:func:`gbad.industry.compute_industry`)
5. force        order of battle of each milestone year (:func:`gbad.force.build_force`)
6. siting       where every bought fire unit stands (:func:`gbad.siting.site_new_units`)
7. for each milestone year: coverage of that year's units
   (:func:`gbad.coverage.assess`) and the campaign that year's force fights
   (:func:`gbad.campaign.run_campaign`), against the same threat and with the same
   random numbers, so years differ by their force alone; in a spatial campaign
   (``campaign.geometry``) that year's sited units engage the threats at the
   assets their envelopes cover.
8. essi         joint against national buying for the horizon force
   (:func:`gbad.industry.essi.compute_essi`; a comparison, skipped without
   ``PlanConfig.what_if``).
9. requirement  the least-cost force holding the missile leak share in the horizon
   year, against the x-fold target (:func:`gbad.requirement.compute_requirement`),
   and burn against build, the peak campaign's use per night against a year of
   production (:func:`gbad.requirement.burn_vs_build`); ``PlanConfig.requirement``
   and ``PlanConfig.burn_vs_build`` switch them off.
10. data quality the share of estimated inputs behind each headline
   (:func:`gbad.plan._quality.plan_data_quality`, ``plan.json["data_quality"]``).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from gbad import DATA_VERSION, __version__
from gbad._jsonable import to_jsonable
from gbad.budget import BudgetResult, compute_budget
from gbad.campaign import CampaignResult, run_campaign
from gbad.coverage import CoverageResult, assess
from gbad.coverage.placement import place_baseline_units
from gbad.force import ForceResult, build_force, milestone_years
from gbad.industry import IndustryResult, compute_industry
from gbad.industry.essi import EssiResult, compute_essi
from gbad.plan._calibration import calibration_for
from gbad.plan._model import STAGES, Plan, PlanConfig, StageOutcome
from gbad.plan._quality import plan_data_quality
from gbad.plan._summary import summarise
from gbad.procurement import ProcurementResult, decide_procurement
from gbad.requirement import RequirementResult, burn_vs_build, compute_requirement
from gbad.scenario import Scenario, parse_scenario
from gbad.siting import SitingResult, site_new_units, units_in_year
from gbad.targets import TargetsResult, compute_targets

__all__ = [
    "MilestoneResult",
    "ProgressCallback",
    "load_reference_for",
    "plan_countries",
    "run_plan",
    "stage_seeds",
]

#: ``progress(message, fraction_done)``; ``fraction_done`` runs from 0 to 1.
ProgressCallback = Callable[[str, float], None]

#: Stage titles for progress messages and the report.
STAGE_TITLES: dict[str, str] = {
    "targets": "National targets",
    "procurement": "Procurement",
    "budget": "Budgets",
    "industry": "Industrial delivery",
    "force": "Force by year",
    "siting": "Siting of new fire units",
    "coverage": "Coverage",
    "campaign": "Campaign and stockpiles",
}


@dataclass(frozen=True)
class MilestoneResult:
    """What one milestone year's force covers and how it fights.

    Attributes
    ----------
    year : int
    force : DataFrame
        That year's order of battle (:data:`gbad.force.FORCE_COLUMNS`).
    fire_units : DataFrame or None
        The fire units standing that year, placed (``None`` without siting).
    coverage : CoverageResult or None
    campaign : CampaignResult
    """

    year: int
    force: pd.DataFrame
    fire_units: pd.DataFrame | None
    coverage: CoverageResult | None
    campaign: CampaignResult

    def row(self) -> dict[str, Any]:
        """The milestone's row of ``plan.json["milestones"]``."""
        c = self.campaign
        threats = dict(zip(c.classes, c.threats.tolist(), strict=True))
        leakers = dict(zip(c.classes, c.leakers.tolist(), strict=True))
        total = sum(threats.values())
        m_rep = c.paths_missile_leak_share()
        f = self.force
        by_tier = f.groupby("tier")["fire_units"].sum()
        endurance = c.endurance()
        cov = self.coverage
        return {
            "year": self.year,
            "long_medium_fire_units": int(by_tier.reindex(["long", "medium"]).fillna(0).sum()),
            "fire_units_by_tier": {str(t): int(n) for t, n in by_tier.items()},
            "fire_units_ready_long_medium": float(
                f.loc[f["tier"].isin(["long", "medium"]), "fire_units_ready"].sum()
            ),
            "delivered": int(f["delivered"].sum()),
            "retired": int(f["retired"].sum()),
            "coverage_fraction": None if cov is None else cov.coverage_fraction,
            "missile_coverage_fraction": None if cov is None else cov.missile_coverage_fraction,
            "coverage_by_class": None
            if cov is None
            else {k: cov.class_fraction([k]) for k in cov.threat_classes},
            "leak_fraction": sum(leakers.values()) / total if total > 0 else None,
            "missile_leak_share": c.missile_leak_share(),
            "missile_leak_share_se": m_rep["se"],
            "endurance_nights": endurance["nights"],
            "endurance_reached": endurance["reached"],
            "endurance_censored": endurance["censored"],
            "threats": threats,
            "leakers": leakers,
            "interceptors_start": float(c.stock_start.sum()),
            "interceptors_produced": float(c.produced.sum()),
            "cost_exchange_ratio": _finite(c.cost_exchange_ratio),
            "geometry": c.geometry,
            "leakers_by_asset_kind": _by_kind(c),
        }


def _by_kind(c: CampaignResult) -> dict[str, dict[str, float]] | None:
    """Leakers per asset kind and class, summed over allies (spatial campaigns)."""
    if c.leakers_area_kind is None:
        return None
    total = c.leakers_area_kind.sum(axis=0)
    return {
        kind: dict(zip(c.classes, total[k].tolist(), strict=True))
        for k, kind in enumerate(c.asset_kinds)
    }


def _finite(x: float) -> float | None:
    return float(x) if np.isfinite(x) else None


def stage_seeds(seed: int) -> dict[str, np.random.SeedSequence]:
    """One independent seed sequence per stage, spawned from the scenario seed.

    The spawn order is :data:`gbad.plan.STAGES`, fixed, so a stage's random
    numbers do not depend on what the other stages draw.
    """
    children = np.random.SeedSequence(seed).spawn(len(STAGES))
    return dict(zip(STAGES, children, strict=True))


def load_reference_for(scenario: Scenario) -> Any:
    """Reference data with the scenario's overrides applied."""
    from gbad.reference import load_reference

    return load_reference(overrides=scenario.overrides or None)


def plan_countries(scenario: Scenario, ref: Any) -> list[str]:
    """iso3 codes in the plan: the scenario's list, else the European allies."""
    if scenario.countries is not None:
        return list(dict.fromkeys(scenario.countries))
    frame = ref.countries
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
    asset rows, the systems they field or buy (with envelopes, production,
    readiness, retirements and line shares), the threats, the launch areas and the
    attack reports.
    """
    sources = ref.sources
    ids: set[str] = set()
    _ids_in_data(stage_data, ids)
    keep = set(countries) if countries is not None else None

    def by_iso3(frame: Any) -> Any:
        if keep is None or not isinstance(frame, pd.DataFrame) or "iso3" not in frame:
            return None
        return frame["iso3"].isin(keep | {"*"})

    for table in ("countries", "inventory", "assets"):
        frame = getattr(ref, table, None)
        ids |= _frame_ids(frame, by_iso3(frame))
    inventory = ref.inventory
    mask = by_iso3(inventory)
    systems = set((inventory if mask is None else inventory[mask])["system"].astype(str))
    for row in stage_data.get("procurement", {}).get("choices", []):
        systems.add(str(row["system"]))
    for table in ("systems", "envelopes", "production", "readiness", "retirements", "line_shares"):
        frame = getattr(ref, table, None)
        m = None
        if isinstance(frame, pd.DataFrame) and "system" in frame:
            m = frame["system"].astype(str).isin(systems)
        ids |= _frame_ids(frame, m)
    for table in ("threats", "launch_areas", "attacks"):
        ids |= _frame_ids(getattr(ref, table, None))
    rows = sources[sources["source_id"].astype(str).isin(ids)].sort_values("source_id")
    return list(to_jsonable(rows))


def _country_names(ref: Any) -> dict[str, str]:
    frame = ref.countries
    return {str(i): str(n) for i, n in zip(frame["iso3"], frame["name"], strict=True)}


def _imputed(ref: Any, *more: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Every value filled in: the reference's own fills, then the stages'."""
    out: list[dict[str, Any]] = []
    frame = getattr(ref, "imputed", None)
    if isinstance(frame, pd.DataFrame) and not frame.empty:
        out.extend(to_jsonable(frame))
    seen = {(r["table"], r["key"], r["column"]) for r in out}
    for rows in more:
        for r in rows:
            key = (r["table"], r["key"], r["column"])
            if key not in seen:
                seen.add(key)
                out.append(dict(r))
    return out


def _leak_by_class(results: list[MilestoneResult]) -> dict[str, dict[str, float | None]]:
    """Leak share per threat class and milestone year (``{class: {year: share}}``)."""
    out: dict[str, dict[str, float | None]] = {}
    for m in results:
        c = m.campaign
        frac = c.leak_fraction  # all leakers over all threats: the campaign's own
        for k, cls in enumerate(c.classes):
            launched = float(c.threats[k])
            share = float(frac[k]) if launched > 0 else None
            out.setdefault(cls, {})[str(m.year)] = share
    return out


def _standing_base(base_units: pd.DataFrame, force_rows: pd.DataFrame) -> pd.DataFrame:
    """Today's placed units whose ally and system are still in service that year."""
    alive = force_rows[(force_rows["fire_units"] - force_rows["delivered"]) > 0]
    keys = set(zip(alive["iso3"].astype(str), alive["system"].astype(str), strict=True))
    pairs = zip(base_units["iso3"].astype(str), base_units["system"].astype(str), strict=True)
    mask = np.array([p in keys for p in pairs], dtype=bool)
    return base_units[mask].reset_index(drop=True)


def run_plan(
    scenario: Scenario | Mapping[str, Any] | None = None,
    *,
    ref: Any = None,
    progress: ProgressCallback | None = None,
    config: PlanConfig | None = None,
) -> Plan:
    """Run the pipeline on a scenario (the stages, in order, in the module docstring).

    All randomness comes from ``scenario.seed``: the campaign gets its own
    generator, spawned with :class:`numpy.random.SeedSequence`, and every milestone
    year's campaign draws the same raids (common random numbers), so the same
    scenario gives the same plan and milestone years differ by their force alone.

    Parameters
    ----------
    scenario : Scenario or mapping, optional
        The scenario (a mapping is validated first; ``None`` is the default).
    ref : Reference, optional
        Reference data; loaded with the scenario's overrides when omitted.
    progress : callable, optional
        Called as ``progress(message, fraction_done)`` before each stage and
        once at the end with ``1.0``.
    config : PlanConfig, optional
        Which parts run and with which campaign engine (default: everything).

    Returns
    -------
    Plan

    Raises
    ------
    GbadInputError
        If the scenario is invalid or a stage refuses its input (naming the field).
    """
    if not isinstance(scenario, Scenario):
        scenario = parse_scenario(None if scenario is None else dict(scenario))
    cfg = config or PlanConfig()
    report = progress or (lambda _message, _fraction: None)
    started = dt.datetime.now(dt.UTC)
    timings: dict[str, float] = {}
    years = milestone_years(scenario.base_year, scenario.horizon_year, scenario.milestones)
    n_steps = 6 + 2 * len(years)
    step = 0

    def begin(message: str) -> float:
        nonlocal step
        report(message, step / n_steps)
        step += 1
        return time.perf_counter()

    t0 = begin("reference data")
    if ref is None:
        ref = load_reference_for(scenario)
    calibration = calibration_for(scenario)
    timings["reference"] = time.perf_counter() - t0
    seeds = stage_seeds(scenario.seed)
    outcomes: dict[str, StageOutcome] = {}

    def done(name: str, result: Any, data: dict[str, Any], t_start: float) -> None:
        seconds = time.perf_counter() - t_start
        timings[name] = timings.get(name, 0.0) + seconds
        outcomes[name] = StageOutcome(name, result=result, data=data, seconds=timings[name])

    t0 = begin(STAGE_TITLES["targets"])
    targets: TargetsResult = compute_targets(ref, scenario)
    done("targets", targets, to_jsonable(targets), t0)

    t0 = begin(STAGE_TITLES["procurement"])
    procurement: ProcurementResult = decide_procurement(ref, scenario, targets)
    done("procurement", procurement, to_jsonable(procurement), t0)

    t0 = begin(STAGE_TITLES["budget"])
    budget: BudgetResult = compute_budget(
        ref, scenario, targets, procurement, least_cost=cfg.least_cost
    )
    done("budget", budget, to_jsonable(budget), t0)

    t0 = begin(STAGE_TITLES["industry"])
    industry: IndustryResult = compute_industry(ref, scenario, targets, budget, what_if=cfg.what_if)
    done("industry", industry, to_jsonable(industry), t0)

    t0 = time.perf_counter()
    force: ForceResult = build_force(ref, scenario, procurement, industry, years)
    done(
        "force",
        force,
        {"years": years, "readiness_level": force.readiness_level, "rows": force.to_records()},
        t0,
    )

    allies = plan_countries(scenario, ref)
    siting: SitingResult | None = None
    base_units: pd.DataFrame | None = None
    if cfg.siting:
        t0 = begin(STAGE_TITLES["siting"])
        last = force.of_year(years[-1])
        base_units = place_baseline_units(ref.inventory, ref.assets, ref.countries, allies=allies)
        siting = site_new_units(
            ref, scenario, procurement, fire_units=_standing_base(base_units, last)
        )
        done("siting", siting, to_jsonable(siting), t0)
    else:
        outcomes["siting"] = StageOutcome("siting", status="skipped")

    weights: dict[str, float] | None = None
    if cfg.siting:
        from gbad.campaign.setup import raid_per_night

        weights = raid_per_night(ref, scenario)
    campaign_seed = seeds["campaign"]
    results: list[MilestoneResult] = []
    for year in years:
        rows = force.of_year(year)
        coverage: CoverageResult | None = None
        fire_units: pd.DataFrame | None = None
        if siting is not None and base_units is not None:
            t0 = begin(f"{STAGE_TITLES['coverage']} {year}")
            delivered = {
                (str(i), str(s)): int(n)
                for i, s, n in zip(rows["iso3"], rows["system"], rows["delivered"], strict=True)
            }
            fire_units = units_in_year(siting, _standing_base(base_units, rows), delivered)
            coverage = assess(
                ref,
                scenario,
                fire_units,
                with_grid=cfg.coverage_grid and year == years[-1],
                threat_weights=weights,
            )
            timings["coverage"] = timings.get("coverage", 0.0) + time.perf_counter() - t0
        t0 = begin(f"{STAGE_TITLES['campaign']} {year}")
        campaign = run_campaign(
            ref,
            scenario,
            industry=industry,
            rng=np.random.default_rng(campaign_seed),
            replications=cfg.replications,
            engine=cfg.engine,
            force=rows,
            year=year,
            ew_defeat=None if calibration is None else calibration.ew_defeat,
            fire_units=fire_units,
        )
        timings["campaign"] = timings.get("campaign", 0.0) + time.perf_counter() - t0
        results.append(MilestoneResult(year, rows, fire_units, coverage, campaign))

    horizon = results[-1]
    essi: EssiResult | None = None
    if cfg.essi_mode != "off":  # joint against national buying, for the horizon force
        t0 = time.perf_counter()
        full = cfg.essi_mode == "full"
        essi = compute_essi(
            ref,
            scenario,
            targets,
            budget,
            industry=industry,
            force=horizon.force if full else None,
            year=horizon.year if full else None,
            by_effect=full,
            ew_defeat=None if calibration is None else calibration.ew_defeat,
            fire_units=horizon.fire_units if full else None,
            # The horizon milestone's campaign: its engine, replications and seeds.
            rng=np.random.default_rng(campaign_seed),
            replications=cfg.replications,
            engine=cfg.engine,
        )
        timings["essi"] = time.perf_counter() - t0
    ew = None if calibration is None else calibration.ew_defeat
    requirement: RequirementResult | None = None
    if cfg.requirement:  # least-cost force holding the missile leak share, horizon year
        t0 = time.perf_counter()
        requirement = compute_requirement(
            ref,
            scenario,
            procurement,
            year=horizon.year,
            targets=targets,
            industry=industry,
            ew_defeat=ew,
            seed=seeds["campaign"].spawn(1)[0],
            force=horizon.force,
            fire_units=horizon.fire_units,
        )
        timings["requirement"] = time.perf_counter() - t0
    burn: list[dict[str, Any]] | None = None
    if cfg.burn_vs_build:  # the horizon force's peak-night use against a year of output
        t0 = time.perf_counter()
        burn = burn_vs_build(
            ref,
            scenario,
            force=horizon.force,
            year=horizon.year,
            rng=np.random.default_rng(seeds["campaign"]),
            ew_defeat=ew,
            industry=industry,
        )
        timings["burn_vs_build"] = time.perf_counter() - t0
    if horizon.coverage is not None:
        data = {"year": horizon.year, **to_jsonable(horizon.coverage)}
        outcomes["coverage"] = StageOutcome(
            "coverage", result=horizon.coverage, data=data, seconds=timings["coverage"]
        )
    else:
        outcomes["coverage"] = StageOutcome("coverage", status="skipped")
    outcomes["campaign"] = StageOutcome(
        "campaign",
        result=horizon.campaign,
        data={"year": horizon.year, **to_jsonable(horizon.campaign)},
        seconds=timings["campaign"],
    )
    outcomes = {name: outcomes[name] for name in STAGES}
    milestones = [m.row() for m in results]
    calibration_data = None
    if calibration is not None:
        calibration_data = replace(calibration, plan_leak=_leak_by_class(results)).to_dict()
    imputed = _imputed(ref, force.imputed, industry.imputed)
    stage_data = {name: o.data for name, o in outcomes.items()}
    scenario_data = scenario.model_dump(mode="json")
    summary = summarise(
        stage_data,
        milestones=milestones,
        imputed=imputed,
        scenario=scenario_data,
        countries=allies,
        names=_country_names(ref),
        essi=None if essi is None else to_jsonable(essi.to_dict()),
    )
    data_quality = plan_data_quality(
        {
            "budget": stage_data["budget"],
            "force": stage_data["force"].get("rows") or [],
            "procurement": stage_data["procurement"].get("choices") or [],
            "imputed": imputed,
            "campaign": stage_data["campaign"],
            "scenario": scenario_data,
        },
        ref,
    )
    meta: dict[str, Any] = {
        "gbad_version": __version__,
        "data_version": str(getattr(ref, "version", DATA_VERSION)),
        "overrides": to_jsonable(getattr(ref, "overrides", scenario.overrides)),
        "seed": scenario.seed,
        "stage_seeds": {n: list(s.spawn_key) for n, s in seeds.items()},
        "countries": allies,
        "milestone_years": years,
        "config": {
            "siting": cfg.siting,
            "coverage_grid": cfg.coverage_grid,
            "least_cost": cfg.least_cost,
            "what_if": cfg.what_if,
            "engine": cfg.engine,
            "replications": cfg.replications or scenario.campaign.replications,
            "requirement": cfg.requirement,
            "burn_vs_build": cfg.burn_vs_build,
        },
        "timings_s": timings,
        "total_s": sum(timings.values()),
        "created_at": started.isoformat(timespec="seconds"),
    }
    report("done", 1.0)
    return Plan(
        scenario=scenario,
        stages=outcomes,
        milestones=milestones,
        imputed=imputed,
        calibration=calibration_data,
        meta=meta,
        summary=summary,
        sources=sources_used(ref, allies, stage_data),
        milestone_results=results,
        ref=ref,
        essi=essi,
        requirement=requirement,
        burn_vs_build=burn,
        data_quality=data_quality,
    )
