r"""The requirement: the least-cost force that holds the missile leak share to a target.

For a milestone year :math:`Y` and the scenario's threat, the force is today's
force still in service in :math:`Y` (kept whole) plus whole fire units of the
systems each ally buys (:mod:`gbad.procurement`'s choice, every tier) and of the
cheap counter-drone effectors the data hold
(:func:`gbad.campaign.mix.cheap_counter_drone_systems`). A new fire unit is priced
with its load and depot loads, the interceptors it brings to the campaign:

.. math::
    c_j = c^{FU}_j + \lfloor L_j (1 + \ell m) \rfloor\, c^{int}_j .

The target is on the **missile leak share**, the one of ``plan.json``'s
milestones: leakers of :data:`gbad.scenario.sections.MISSILE_CLASSES` (ballistic,
cruise, glide) over those launched, over the campaign; default the scenario's
leak targets of those classes weighted by their threats.

Method
    1. *Optimise on the mean-field engine.* The campaign separates by ally (each
       fights with its own stocks), so each ally's expected missile leakers
       :math:`L_a(n_a)` is evaluated on its own campaign: the mean-field engine
       (expected engagement outcomes) over ``mf_replications`` Poisson raid paths
       drawn with common random numbers, so two candidate forces see the same
       raids. :func:`gbad.requirement.search.greedy_additions` buys the move
       with the largest leak reduction per USD until :math:`\sum_a L_a \le \tau
       D` (:math:`D` the expected missile threats), prunes, then tries
       exchanges (:func:`gbad.requirement.search.exchange_improve`).
    The search runs on leakers rescaled to the Monte Carlo engine: each ally's
    mean-field leakers times :math:`\kappa_a = (M_a + \epsilon)/(L_a + \epsilon)`,
    its Monte Carlo to mean-field ratio for the existing force (what the
    expected-value model leaves out: shot-to-shot chance, channel saturation;
    :data:`KAPPA_EPS`, :data:`KAPPA_BOUNDS`).
    2. *Verify by Monte Carlo and repair.* The whole campaign with the found
       force runs on the Monte Carlo engine with fresh seeds (``mc_replications``
       paths), and :math:`\kappa` is measured again for that force. Above
       :math:`\tau`, the greedy adds units against the newly rescaled leakers;
       more than two standard errors below, one pruning pass removes units, and
       the smaller force must pass its own check (else the passing one stays).
       Every check uses new seeds. The force is accepted when its Monte Carlo
       share is within its error of the target, at most :math:`\tau` plus
       :data:`ACCEPT_SE` standard errors (share and standard error are reported).

Coalition stock sharing (``campaign.share_stocks``) couples the allies: the
optimisation ignores it, the Monte Carlo check includes it.

Geometry
    The search and its checks fight the scenario's campaign (``geometry`` in the
    result). On the **spatial** campaign a fire unit engages a threat only when
    the threat's target asset lies within the unit's effective radius for its
    class (:mod:`gbad.campaign.spatial`), so new units need sites as well as
    counts. Valuing every (ally, system, site) move on the campaign model is far
    too slow (hundreds of units, each move a campaign), so step 1 starts from a
    covering model instead:

    0. *Covering MILP.* :func:`gbad.requirement.covering.covering_additions`
       solves once, with HiGHS, the least-cost new ready units and their sites
       (the ally's assets) holding the expected missile leakers to the budget on
       a linear stand-in of the campaign: the maximal covering location problem
       (Church & ReVelle 1974) with per-system kill probabilities and one
       budget over all allies. Its units stand after the existing force's
       standing ones, the most covering first.
    1'. The greedy then *repairs* that force on the rescaled mean-field campaign
       (what the covering model leaves out: layers, magazines drawn down by
       drones night after night, channel saturation): it may remove any of the
       covering model's units in its pruning pass and adds units of the systems
       that engage the missile classes an ally still leaks (more than
       :data:`REPAIR_MIN_SHARE` of the budget), a move buying at least
       :data:`REPAIR_GROW` of the units already added, pruned by halving
       (:func:`gbad.requirement.search.greedy_additions`). Added units beyond
       the covering model's stand by the campaign's rule
       (:meth:`gbad.campaign.geometry.AssetGeometry.surplus_sites`: maximal
       covering greedy). In step 2 a failed check first solves the covering
       model again with its budget lowered by the check's shortfall (at most
       :data:`RESITE_ROUNDS` times; the shortfall is mostly at assets the few
       mean-field raid paths rarely hit, which the covering model sees in
       expectation), then repairs; ``sites`` (and ``force.csv``'s
       ``lat, lon``) say where the accepted force's units stand.

    On the **pooled** campaign (``campaign.geometry: pooled``: each ally's units
    engage every threat aimed at it, wherever they stand) there are no sites and
    the search starts from the existing force alone.
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from gbad.campaign import CampaignSetup, build_setup, simulate_campaign
from gbad.campaign.mix import cheap_counter_drone_systems
from gbad.errors import GbadInputError
from gbad.force import force_of_year, stock_per_fu
from gbad.requirement.compare import drivers_of, uncoverable_classes, versus_target
from gbad.requirement.covering import CoveringResult, covering_additions, standing_sites
from gbad.requirement.force_table import counts_of_force, force_from_counts
from gbad.requirement.result import RequirementResult
from gbad.requirement.search import SearchResult, exchange_improve, greedy_additions
from gbad.scenario.sections import MISSILE_CLASSES, THREAT_CLASSES

__all__ = ["RequirementResult", "area_setup", "compute_requirement", "missile_leak_target"]


F64 = npt.NDArray[np.float64]

_MISSILE_IDX = [THREAT_CLASSES.index(c) for c in MISSILE_CLASSES]
#: Smoothing of the Monte Carlo to mean-field ratio [leakers]: an ally with almost
#: no leakers in either engine gets a ratio near 1, not the ratio of two tiny numbers.
KAPPA_EPS = 0.1
#: Bounds of that ratio (the engines differ by chance and saturation, not by orders
#: of magnitude; the bounds keep one noisy check from steering the search).
KAPPA_BOUNDS = (0.25, 4.0)
#: A force holds the target when its Monte Carlo share is at most the target plus
#: this many standard errors of that estimate ("within Monte Carlo error"): a force
#: whose true share is exactly the target passes five checks in six.
ACCEPT_SE = 1.0
#: Doublings of a move that lowers the leakers by nothing before the search gives
#: it up (:func:`gbad.requirement.search.greedy_additions`): on the spatial
#: campaign an added unit covers assets, and the first may cover ones no raid
#: path of the evaluation hit.
LOOKAHEAD = 3
#: On the spatial campaign the repair buys only systems engaging a missile class
#: an ally leaks more than this share of the leak budget of (with the covering
#: model's force, or the search's so far).
REPAIR_MIN_SHARE = 0.01
#: On the spatial campaign a repair move buys at least this share of the units
#: the ally already added of the system (:func:`greedy_additions`' ``grow``): an
#: ally short of magazines needs tens of units, one valuation per unit is most of
#: the search's time, and the halving pruning pass trims the overshoot.
REPAIR_GROW = 0.1
#: ``method`` of a requirement on the spatial campaign.
SPATIAL_METHOD = (
    "covering MILP (HiGHS) for the counts and sites of new units, repaired by a lazy greedy "
    "on the mean-field engine rescaled per ally to the Monte Carlo engine, pruned by "
    "halving; Monte Carlo check, covering model solved again on a shortfall, and repair"
)
#: On the spatial campaign, times a failed Monte Carlo check solves the covering
#: model again with the leak budget lowered by the check's shortfall.
RESITE_ROUNDS = 2


def missile_leak_target(scenario: Any, means: F64) -> float:
    """The scenario's missile leak target: class targets weighted by the class's threats."""
    targets = scenario.campaign.leak_targets
    totals = means.sum(axis=0)
    weights = np.array([totals[i] for i in _MISSILE_IDX])
    values = np.array([float(targets.get(c, 1.0)) for c in MISSILE_CLASSES])
    if weights.sum() <= 0:
        return float(values.min())
    return float((weights * values).sum() / weights.sum())


def area_setup(setup: CampaignSetup, area: int) -> CampaignSetup:
    """One ally's campaign on its own (:meth:`CampaignSetup.for_area`)."""
    return setup.for_area(area)


def _budget_unit_cost(ref: Any, scenario: Any, systems: list[str]) -> dict[str, float]:
    """The budget's price of a new fire unit with its first load, per system."""
    from gbad.budget.costs import system_costs

    capex = system_costs(ref.systems, scenario.budget.cost_level)["capex_musd"]
    return {s: float(capex[s]) for s in systems if s in capex.index}


def _mc_share(  # noqa: PLR0917 - internal
    ref: Any,
    scenario: Any,
    force: pd.DataFrame,
    year: int,
    industry: Any,
    ew_defeat: Mapping[str, float] | None,
    seed: np.random.SeedSequence,
    replications: int,
    engine: str,
    fire_units: pd.DataFrame | None = None,
) -> tuple[float, float | None, F64]:
    """Monte Carlo missile leak share (mean, SE) and per-ally missile leakers of a force."""
    setup = build_setup(
        ref,
        scenario,
        industry=industry,
        force=force,
        year=year,
        ew_defeat=ew_defeat,
        fire_units=fire_units,
    )
    res = simulate_campaign(
        setup, rng=np.random.default_rng(seed), replications=replications, engine=engine
    )
    share = res.paths_missile_leak_share()
    leak_area = res.leakers_area[:, _MISSILE_IDX].sum(axis=1)
    mean = share["mean"]
    return (0.0 if mean is None else float(mean)), share["se"], np.asarray(leak_area)


def compute_requirement(
    ref: Any,
    scenario: Any,
    procurement: Any,
    *,
    year: int | None = None,
    leak_target: float | None = None,
    targets: Any = None,
    industry: Any = None,
    ew_defeat: Mapping[str, float] | None = None,
    seed: int | np.random.SeedSequence | None = None,
    mf_replications: int = 4,
    mc_replications: int = 64,
    max_rounds: int = 8,
    engine: str = "numba",
    force: pd.DataFrame | None = None,
    fire_units: pd.DataFrame | None = None,
) -> RequirementResult:
    """The least-cost force holding the missile leak share to ``leak_target`` (module docstring).

    Parameters
    ----------
    ref, scenario
        Reference data and scenario (threat, campaign, engagement).
    procurement : ProcurementResult
        Its ``choices`` (``iso3, tier, system, share``) are the systems each ally buys.
    year : int, optional
        Milestone year (default the horizon year).
    leak_target : float, optional
        Missile leak share to hold (default :func:`missile_leak_target`).
    targets : TargetsResult, optional
        The x-fold targets to compare with (``versus_target``'s ``target``).
    industry : IndustryResult, optional
        Production refilling the stocks in the campaign (as in the plan).
    ew_defeat : mapping, optional
        Electronic-warfare layer (as in the plan and ``gbad campaign``).
    seed : int or SeedSequence, optional
        Root of the raid paths (default ``scenario.seed``); the Monte Carlo checks
        use seeds spawned from it, unused by the optimisation.
    mf_replications, mc_replications : int
        Raid paths of the mean-field evaluation and of each Monte Carlo check.
    max_rounds : int
        Monte Carlo checks before giving up (``met`` false).
    engine : str
        Monte Carlo engine of the checks (``numba`` or ``numpy``).
    force : DataFrame, optional
        The year's order of battle new units add to (:data:`gbad.force.FORCE_COLUMNS`,
        with its stocks; the plan's milestone force). Default: today's force still
        in service in ``year``, kept whole, as fire-unit counts
        (:func:`gbad.requirement.force_from_counts`, what ``force.csv`` holds).
    fire_units : DataFrame, optional
        Where that force's units stand (``iso3, system, lat, lon``; the plan's
        siting of the year). Default: today's inventory placed by the baseline rule.
        New units stand by the campaign's rule for units beyond the placed ones.
    """
    t_start = time.perf_counter()
    year = int(scenario.horizon_year if year is None else year)
    if not scenario.base_year <= year <= scenario.horizon_year + 50:
        raise GbadInputError("year", f"{year} is before the base year {scenario.base_year}")
    if leak_target is not None and not 0.0 <= float(leak_target) < 1.0:
        raise GbadInputError("leak_target", f"must be in [0, 1), got {leak_target}")
    root = (
        seed
        if isinstance(seed, np.random.SeedSequence)
        else np.random.SeedSequence(int(scenario.seed if seed is None else seed))
    )
    mf_seed, mc_root = root.spawn(2)
    first = build_setup(ref, scenario, industry=industry, year=year, ew_defeat=ew_defeat)
    areas = first.areas
    if force is None:
        today, _ = force_of_year(ref, scenario, list(areas), year)
        existing_rows = force_from_counts(ref, scenario, counts_of_force(today), year)
    else:
        existing_rows = force[force["iso3"].isin(list(areas))].reset_index(drop=True)

    def setup_at(sites: pd.DataFrame | None) -> CampaignSetup:
        """The existing force's campaign with its units standing at ``sites``."""
        return build_setup(
            ref,
            scenario,
            industry=industry,
            force=existing_rows,
            year=year,
            ew_defeat=ew_defeat,
            fire_units=sites,
        )

    base = setup_at(fire_units)
    systems = base.systems
    n_a, n_s = base.fire_units.shape
    tau = missile_leak_target(scenario, base.means) if leak_target is None else float(leak_target)
    demand = float(base.means[:, _MISSILE_IDX].sum())

    # Candidates: the procurement's systems per ally, and the cheap counter-drone effectors.
    from gbad.force.stage import _readiness

    ready, _ = _readiness(ref, systems, str(scenario.force.readiness_level))
    camp = scenario.campaign
    per_fu = np.array(
        [
            math.floor(
                stock_per_fu(float(base.load[j]), camp.stockpile_loads, camp.stockpile_multiplier)
                + 1e-9
            )
            for j in range(n_s)
        ]
    )
    price = base.fire_unit_cost_musd + per_fu * base.interceptor_cost_musd
    priced = (
        (base.fire_unit_cost_musd > 0)
        & (base.interceptor_cost_musd > 0)
        & (base.pk.sum(axis=1) > 0)
    )
    choices = procurement.choices
    choices = choices[choices["share"].astype(float) > 0]
    cheap = set(cheap_counter_drone_systems(base))
    candidates: list[list[int]] = []
    for iso in areas:
        mine = set(choices.loc[choices["iso3"] == iso, "system"].astype(str)) | cheap
        candidates.append([j for j, s in enumerate(systems) if s in mine and priced[j]])
    unit_cost = {j: float(price[j]) for j in range(n_s)}

    in_service = np.zeros((n_a, n_s))
    ready_f = np.zeros((n_a, n_s))  # ready fire units of the existing force, unrounded
    for rec in existing_rows.to_dict("records"):
        if rec["iso3"] in areas and rec["system"] in systems:
            i, j = areas.index(str(rec["iso3"])), systems.index(str(rec["system"]))
            in_service[i, j] += float(rec["fire_units"])
            ready_f[i, j] += float(rec["fire_units_ready"])
    readiness = np.array([ready[s] for s in systems])
    ready0 = np.rint(ready_f)
    budget = tau * demand
    # Spatial campaign: the covering model chooses counts and sites of new units at
    # once (gbad.requirement.covering); they stand after the existing force's
    # standing units, and the greedy below repairs from there on the campaign model.
    start: dict[tuple[int, int], int] = {}
    covering: CoveringResult | None = None
    sited = fire_units
    unsited = base
    cache: dict[tuple[int, tuple[tuple[int, int], ...]], F64] = {}

    def site(lp_budget: float) -> None:
        """Solve the covering model; stand its units after the existing force's."""
        nonlocal covering, sited, base, start
        covering = covering_additions(unsited, candidates, unit_cost, readiness, lp_budget)
        geo = unsited.geometry
        assert geo is not None
        site_rows = [
            (areas[a], systems[j], float(la), float(lo))
            for (a, j), (lat, lon) in standing_sites(geo, unsited.fire_units).items()
            for la, lo in zip(lat, lon, strict=True)
        ]
        start = {}
        for (a, j), ks in sorted(covering.sites.items()):
            site_rows.extend(
                (areas[a], systems[j], float(geo.lat[k]), float(geo.lon[k])) for k in ks
            )
            n = 0
            while np.rint(ready_f[a, j] + n * readiness[j]) - ready0[a, j] < len(ks) and n < 10_000:
                n += 1
            start[a, j] = n
        sited = pd.DataFrame(site_rows, columns=["iso3", "system", "lat", "lon"])
        base = setup_at(sited)
        cache.clear()

    lp_budget = budget
    if base.geometry is not None and demand > 0:
        site(lp_budget)
    seeds = mf_seed.spawn(n_a)
    subs = [area_setup(base, a) for a in range(n_a)]

    def class_leakers(a: int, mix: Mapping[int, int]) -> F64:
        key = (a, tuple(sorted((j, int(n)) for j, n in mix.items() if n)))
        if key not in cache:
            sub = subs[a]
            if mix:
                extra_ready = np.zeros((1, n_s), dtype=np.int64)
                extra_stock = np.zeros((1, n_s))
                for j, n in mix.items():
                    extra_ready[0, j] = int(
                        np.rint(ready_f[a, j] + n * readiness[j]) - ready0[a, j]
                    )
                    extra_stock[0, j] = n * per_fu[j]
                sub = sub.with_fire_units(np.maximum(extra_ready, 0), loads=0.0)
                sub = sub.with_stock(sub.stock0 + extra_stock)
            res = simulate_campaign(
                sub,
                rng=np.random.default_rng(seeds[a]),
                replications=mf_replications,
                engine="mean-field",
            )
            cache[key] = np.asarray(res.leakers_rep.mean(axis=0), dtype=float)
        return cache[key]

    def mf_leakers(a: int, mix: Mapping[int, int]) -> float:
        return float(class_leakers(a, mix)[_MISSILE_IDX].sum())

    def step(a: int, j: int, n: int) -> int:
        now = np.rint(ready_f[a, j] + n * readiness[j])
        for k in range(1, 11):
            if np.rint(ready_f[a, j] + (n + k) * readiness[j]) > now:
                return k
        return 1

    def force_with(add: Mapping[tuple[int, int], int]) -> pd.DataFrame:
        """The existing force (its rows, stocks included) and the added units."""
        rows = [(areas[a], systems[j], int(n)) for (a, j), n in add.items() if n > 0]
        if not rows:
            return existing_rows
        more = force_from_counts(
            ref, scenario, pd.DataFrame(rows, columns=["iso3", "system", "fire_units"]), year
        )
        return pd.concat([existing_rows, more], ignore_index=True)

    def ratio(add: Mapping[tuple[int, int], int], mc_area: F64) -> F64:
        """Each ally's Monte Carlo to mean-field missile leakers, smoothed and bounded."""
        mf_now = np.array(
            [mf_leakers(a, {j: n for (aa, j), n in add.items() if aa == a}) for a in range(n_a)]
        )
        k = np.clip((mc_area + KAPPA_EPS) / (mf_now + KAPPA_EPS), *KAPPA_BOUNDS)
        if covering is not None:
            # Spatial: Monte Carlo leakers the bounded ratio cannot carry (an ally
            # the mean-field engine sees almost none at) stay as a fixed offset,
            # so the search holds the other leakers lower instead of missing them.
            offset[:] = np.maximum(mc_area - k * mf_now, 0.0)
        return np.asarray(k, dtype=float)

    offset = np.zeros(n_a)

    def scaled(kappa: F64) -> Any:
        off = offset.copy()
        return lambda a, mix: float(kappa[a]) * mf_leakers(a, mix) + float(off[a])

    def cost_of(add: Mapping[tuple[int, int], int]) -> float:
        return float(sum(unit_cost[j] * n for (_, j), n in add.items()))

    mc_seeds = mc_root.spawn(max_rounds + 1)
    ex_share, ex_se, ex_area = _mc_share(
        ref,
        scenario,
        existing_rows,
        year,
        industry,
        ew_defeat,
        mc_seeds[0],
        mc_replications,
        engine,
        fire_units,
    )
    kappa = ratio({}, ex_area)
    if demand <= 0:  # no missiles in the raid: nothing to hold, nothing to buy
        candidates = [[] for _ in range(n_a)]

    def buy_from(begin: Mapping[tuple[int, int], int], **how: Any) -> SearchResult:
        """The greedy from ``begin`` on the rescaled leakers; on the spatial
        campaign only systems engaging a class an ally still leaks, in grown moves."""
        repair = candidates
        if covering is not None:
            repair = _repair_candidates(base, candidates, begin, kappa, class_leakers, budget)
        return greedy_additions(
            n_a,
            repair,
            unit_cost,
            scaled(kappa),
            budget,
            step=step,
            start=begin,
            lookahead=LOOKAHEAD if covering is None else 1,
            grow=0.0 if covering is None else REPAIR_GROW,
            **how,
        )

    found = buy_from(start, keep={}, halving=covering is not None)
    if found.met and covering is None:
        found = exchange_improve(
            n_a,
            candidates,
            unit_cost,
            scaled(kappa),
            budget,
            found,
            step=step,
            lookahead=LOOKAHEAD,
        )
    added = dict(found.added)
    rounds: list[dict[str, Any]] = []
    share, se = math.nan, None
    passed: tuple[dict[tuple[int, int], int], float, float | None] | None = None
    pruned = False
    resited = 0
    for r in range(max_rounds):
        share, se, mc_area = _mc_share(
            ref,
            scenario,
            force_with(added),
            year,
            industry,
            ew_defeat,
            mc_seeds[r + 1],
            mc_replications,
            engine,
            sited,
        )
        rounds.append(
            {
                "missile_leak_share": share,
                "missile_leak_share_se": se,
                "added_units": int(sum(added.values())),
                "cost_musd": cost_of(added),
            }
        )
        kappa = ratio(added, mc_area)
        if share <= tau + ACCEPT_SE * (se or 0.0) + 1e-12:
            if passed is None or cost_of(added) < cost_of(passed[0]):
                passed = (dict(added), share, se)
            # Clearly below the target (two standard errors): prune once against the
            # leakers rescaled to this check, then check the smaller force afresh.
            if pruned or se is None or share > tau - 2.0 * se:
                break
            pruned = True
            fewer = greedy_additions(
                n_a,
                candidates,
                unit_cost,
                scaled(kappa),
                budget,
                step=step,
                start=added,
                keep={},
                max_steps=0,
                halving=covering is not None,
            )
            if fewer.added == added:
                break
            added = dict(fewer.added)
            continue
        if passed is not None:
            break  # the pruned force fails: keep the one that passed
        if covering is not None and resited < RESITE_ROUNDS:
            # Spatial: what the Monte Carlo leaks beyond the budget is mostly at
            # assets the mean-field paths rarely hit and the covering model sees in
            # expectation: solve it again with the budget lowered by the shortfall.
            resited += 1
            lp_budget = max(lp_budget - (float(mc_area.sum()) - budget), 0.0)
            site(lp_budget)
            subs = [area_setup(base, a) for a in range(n_a)]
            added = {k: max(start.get(k, 0), added.get(k, 0)) for k in set(start) | set(added)}
            offset[:] = 0.0
        more = buy_from(added, prune=False)
        if more.added == added:
            # No purchase lowers the rescaled leakers: add one unit where the
            # Monte Carlo leaks most, of its best missile killer per USD.
            a = int(np.argmax(mc_area))
            kill = base.pk[:, _MISSILE_IDX].max(axis=1)
            if not candidates[a]:
                break
            j = max(candidates[a], key=lambda j: kill[j] / unit_cost[j])
            more.added[a, j] = more.added.get((a, j), 0) + step(a, j, added.get((a, j), 0))
        added = dict(more.added)
    met = passed is not None
    if passed is not None:
        added, share, se = passed
    evaluations = len(cache)
    sites = None
    if covering is not None:
        final = build_setup(
            ref,
            scenario,
            industry=industry,
            force=force_with(added),
            year=year,
            ew_defeat=ew_defeat,
            fire_units=sited,
        )
        sites = _site_rows(final, areas, systems)

    uncoverable = uncoverable_classes(base, candidates, in_service)

    # The force, against the x-fold targets.
    tiers = dict(zip(systems, base.tiers, strict=True))
    rows = []
    for a in range(n_a):
        for j in range(n_s):
            n_add = int(added.get((a, j), 0))
            n_old = int(in_service[a, j])
            if n_add or n_old:
                rows.append((areas[a], tiers[systems[j]], systems[j], n_old + n_add, n_old, n_add))
    force = pd.DataFrame(
        rows, columns=["iso3", "tier", "system", "fire_units", "existing", "added"]
    )
    versus, by_ally, target_cost = versus_target(
        force, targets, choices, dict(zip(systems, price.tolist(), strict=True)), areas
    )
    drivers = drivers_of(added, base.tiers, n_a, class_leakers)
    launched = demand
    for d in drivers:
        stopped = sum(d["leakers_prevented"].values())
        d["within_monte_carlo_error"] = se is not None and stopped < se * launched
    result = RequirementResult(
        year=year,
        leak_target=tau,
        missile_leak_share=share,
        missile_leak_share_se=se,
        existing_missile_leak_share=ex_share,
        existing_missile_leak_share_se=ex_se,
        met=met,
        force=force,
        unit_cost_musd=_budget_unit_cost(
            ref, scenario, [systems[j] for j in range(n_s) if priced[j]]
        ),
        unit_price_with_reloads_musd={systems[j]: float(price[j]) for j in range(n_s) if priced[j]},
        versus_target=versus,
        by_ally_tier=by_ally,
        target_cost_musd=target_cost,
        drivers=drivers,
        rounds=rounds,
        uncoverable=uncoverable,
        missiles_launched=launched,
        evaluations=evaluations,
        geometry="pooled" if base.geometry is None else "spatial",
        sites=sites,
        seconds=time.perf_counter() - t_start,
    )
    if covering is not None:
        result.method = SPATIAL_METHOD
    return result


def _repair_candidates(  # noqa: PLR0917 - internal
    base: CampaignSetup,
    candidates: list[list[int]],
    start: Mapping[tuple[int, int], int],
    kappa: F64,
    class_leakers: Any,
    budget: float,
) -> list[list[int]]:
    """Systems the repair may buy per ally: those engaging a missile class it leaks.

    A class counts when the ally's rescaled mean-field leakers of it, with the
    additions ``start`` (the covering model's, or the search's so far), exceed
    :data:`REPAIR_MIN_SHARE` of the leak budget; the others cannot lower its
    leakers (or by next to nothing), and valuing their moves is most of the search's time.
    """
    assert base.geometry is not None
    reach = (base.pk > 0) & (base.geometry.radius_km > 0)
    out: list[list[int]] = []
    for a, mine in enumerate(candidates):
        leak = class_leakers(a, {j: n for (aa, j), n in start.items() if aa == a}) * kappa[a]
        classes = [k for k in _MISSILE_IDX if leak[k] > REPAIR_MIN_SHARE * budget]
        out.append([j for j in mine if any(reach[j, k] for k in classes)])
    return out


def _site_rows(setup: CampaignSetup, areas: Any, systems: Any) -> pd.DataFrame:
    """Standing units of a spatial campaign, one row per run of units at one position."""
    rows: list[tuple[str, str, int, float, float]] = []
    assert setup.geometry is not None
    for (a, j), (lat, lon) in standing_sites(setup.geometry, setup.fire_units).items():
        for la, lo in zip(lat.tolist(), lon.tolist(), strict=True):
            if rows and rows[-1][:2] == (areas[a], systems[j]) and rows[-1][3:] == (la, lo):
                rows[-1] = (*rows[-1][:2], rows[-1][2] + 1, la, lo)
            else:
                rows.append((areas[a], systems[j], 1, la, lo))
    return pd.DataFrame(rows, columns=["iso3", "system", "fire_units", "lat", "lon"])
