r"""Cheapest effector mix meeting the campaign's leak targets (HiGHS MILP).

:func:`optimise_mix` finds the cheapest mix of new fire units and depot stock
(long/medium interceptors, short-range systems, guns, MANPADS) meeting the targets,
by a mixed-integer programme on an engagement-rate model solved with HiGHS through
highspy's modelling interface (every variable and constraint is named after its
area, system and threat class), then checked against the Monte Carlo
(:func:`check_mix`). :func:`counter_drone_payoff` solves it with and without the
cheap counter-drone tiers over a range of drone raid sizes to show where they pay off.

Engagement-rate model (per area :math:`a`, system :math:`j`, class :math:`c`):
threats engaged :math:`e_{ajc} \ge 0`, new fire units :math:`y_{aj} \in \mathbb{Z}_{\ge 0}`,
extra depot stock :math:`s_{aj} \ge 0`.

.. math::
    \min \sum_{aj} y_{aj}\,(F_j + m_j L_j (1+\ell)) + \sum_{aj} m_j s_{aj}
         + w \sum_{ajc} m_j E_{jc} e_{ajc}

subject to

.. math::
    \sum_a \Big(D_{ac} - \sum_j P_{jc} e_{ajc}\Big) &\le \tau_c \sum_a D_{ac}
        &\quad \text{(leak target)}\\
    \sum_j P_{jc} e_{ajc} \le D_{ac},\quad e_{ajc} &\le D_{ac}
        &\quad \text{(kills, engagements)}\\
    \sum_c E_{jc} e_{ajc} &\le S^0_{aj} + \Pi_{aj} + L_j(1+\ell)\,y_{aj} + s_{aj}
        &\quad \text{(magazine)}\\
    \sum_c e_{ajc}\, \frac{\hat n_{ac}}{D_{ac}} &\le \rho\, h_j\,(n^0_{aj} + y_{aj})
        &\quad \text{(peak-night engagement rate)}

with :math:`D_{ac}` the campaign's threats, :math:`\hat n_{ac}` those of its
largest night, :math:`P_{jc} = 1-(1-p_{jc})^K` and :math:`E_{jc}` the kill and
expected shots of one engagement (shoot-look-shoot :math:`(1-(1-p)^K)/p`, shoot-shoot
:math:`K`; tests/reference/validation.md §1.2, §2.1), :math:`L_j` a fire unit's load, :math:`\ell`
depot loads per unit, :math:`\Pi_{aj}` campaign deliveries, :math:`h_j` engagements a
fire unit can carry per night (channels × raid duration / engagement time) and
:math:`\rho` a utilisation below 1 that leaves room for random arrivals (Erlang B,
tests/reference/validation.md §2.2). Kills are linear in engagements, exact in expectation for
shoot-look-shoot with perfect kill assessment; what the model leaves out (arrival
order, layer order, saturation within the night) is what :func:`check_mix` checks.

Variable names: ``engaged[area,system,class]``, ``new_fire_units[area,system]``,
``extra_stock[area,system]``, ``leak_above_target[class]``. Constraint names:
``leak_target[class]``, ``kills_within_threats[area,class]``,
``magazine[area,system]``, ``peak_rate[area,system]``.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import numpy.typing as npt

from gbad._highs import new_highs
from gbad.campaign.model import simulate_campaign
from gbad.campaign.setup import ENGAGEMENT_TIME_S, CampaignSetup
from gbad.scenario.sections import THREAT_CLASSES

__all__ = [
    "CHEAP_COUNTER_DRONE_TIERS",
    "CHEAP_SHOT_MUSD",
    "LEAK_PENALTY_MUSD",
    "MixModel",
    "MixResult",
    "apply_mix",
    "build_mix_model",
    "cheap_counter_drone_systems",
    "check_mix",
    "counter_drone_payoff",
    "optimise_mix",
]

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]

#: Tiers counted as cheap counter-drone layers whatever their shot cost.
CHEAP_COUNTER_DRONE_TIERS: tuple[str, ...] = ("c-uas",)
#: Highest cost of one shot [MUSD] for a system to count as a cheap counter-drone
#: layer (guns firing programmable ammunition, interceptor drones).
CHEAP_SHOT_MUSD = 0.1
#: Price of one threat leaking above its target in the mix model [MUSD]: far above
#: any fire unit, so targets are met whenever some mix can meet them.
LEAK_PENALTY_MUSD = 1.0e5


def cheap_counter_drone_systems(setup: CampaignSetup) -> tuple[str, ...]:
    """Systems that engage drones with shots of at most :data:`CHEAP_SHOT_MUSD`."""
    d = THREAT_CLASSES.index("drone")
    return tuple(
        s
        for j, s in enumerate(setup.systems)
        if setup.pk[j, d] > 0
        and (
            setup.tiers[j] in CHEAP_COUNTER_DRONE_TIERS
            or 0 < setup.interceptor_cost_musd[j] <= CHEAP_SHOT_MUSD
        )
    )


@dataclass
class MixResult:
    """Cheapest mix of new fire units and depot stock (see :func:`optimise_mix`).

    Attributes
    ----------
    status : str
        HiGHS model status (``Optimal``, ``Infeasible``...).
    new_fire_units : (A, S) int array
    extra_stock : (A, S) float array
    engagements : (A, S, C) float array
        Threats each system engages over the campaign in the rate model.
    cost_musd : float
        Objective: acquisition plus valued expenditure [MUSD].
    acquisition_musd, expended_musd : float
    leak_fraction : (C,) float array
        Leak shares in the rate model.
    allowed : tuple of str
        Systems the mix could buy.
    mc : dict
        Filled by :func:`check_mix`: Monte Carlo leak shares with their SE.
    """

    status: str
    meets_targets_model: bool
    new_fire_units: I64
    extra_stock: F64
    engagements: F64
    cost_musd: float
    acquisition_musd: float
    expended_musd: float
    leak_fraction: F64
    systems: tuple[str, ...]
    areas: tuple[str, ...]
    allowed: tuple[str, ...]
    solve_seconds: float
    mc: dict[str, Any] = field(default_factory=dict)

    @property
    def optimal(self) -> bool:
        """Whether HiGHS proved optimality."""
        return self.status == "Optimal"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready summary."""
        cls = THREAT_CLASSES
        return {
            "status": self.status,
            "optimal": self.optimal,
            "meets_targets_model": self.meets_targets_model,
            "cost_musd": self.cost_musd,
            "acquisition_musd": self.acquisition_musd,
            "expended_musd": self.expended_musd,
            "new_fire_units": {
                s: int(self.new_fire_units[:, j].sum())
                for j, s in enumerate(self.systems)
                if self.new_fire_units[:, j].sum() > 0
            },
            "extra_stock": {
                s: float(self.extra_stock[:, j].sum())
                for j, s in enumerate(self.systems)
                if self.extra_stock[:, j].sum() > 0.5
            },
            "engagements": {
                s: dict(zip(cls, self.engagements[:, j].sum(axis=0).tolist(), strict=True))
                for j, s in enumerate(self.systems)
                if self.engagements[:, j].sum() > 0.5
            },
            "leak_fraction_model": dict(zip(cls, self.leak_fraction.tolist(), strict=True)),
            "allowed": list(self.allowed),
            "solve_seconds": self.solve_seconds,
            "monte_carlo": self.mc,
        }


def _engagement_arrays(setup: CampaignSetup) -> tuple[F64, F64]:
    """Kill probability ``P`` and expected shots ``E`` of one engagement, ``(S, C)``."""
    p = setup.pk
    k = setup.shots[None, :].astype(float)
    kill = 1.0 - (1.0 - p) ** k
    if setup.doctrine == "shoot-shoot":
        shots = np.where(p > 0, k, 0.0)
    else:
        with np.errstate(divide="ignore", invalid="ignore"):
            shots = np.where(p > 0, kill / np.where(p > 0, p, 1.0), 0.0)
    return np.asarray(kill), np.asarray(shots)


@dataclass
class MixModel:
    """The cheapest-mix MILP as built, before solving (see :func:`build_mix_model`).

    ``highs`` holds the model; the dicts map ``(area, system[, class])`` indices to
    its named variables. Pairs that cannot be used (a system without a kill
    probability against a class, a system that cannot be bought or stocked) have
    no variable.
    """

    highs: Any
    engaged: dict[tuple[int, int, int], Any]
    new_fire_units: dict[tuple[int, int], Any]
    extra_stock: dict[tuple[int, int], Any]
    leak_above_target: dict[int, Any]
    kill: F64
    shots: F64
    demand: F64
    new_unit_cost_musd: F64
    allowed: tuple[str, ...]


def build_mix_model(
    setup: CampaignSetup,
    *,
    allowed: tuple[str, ...] | None = None,
    stockpile_loads: float = 1.0,
    utilisation: float = 0.5,
    expended_weight: float = 1.0,
) -> MixModel:
    """Build the engagement-rate MILP of :func:`optimise_mix` (module docstring)."""
    import highspy

    n_a, n_s = setup.fire_units.shape
    cls = THREAT_CLASSES
    priced = (setup.interceptor_cost_musd > 0) & (setup.fire_unit_cost_musd > 0)
    if allowed is None:
        allowed = tuple(s for s, ok in zip(setup.systems, priced, strict=True) if ok)
    allowed = tuple(allowed)
    # Only systems with both prices can be bought; depot stock only where priced.
    can_buy = np.array([s in allowed for s in setup.systems]) & priced
    can_stock = setup.interceptor_cost_musd > 0
    demand = setup.means.sum(axis=0)[None, :] * setup.exposure
    peak = setup.means.max(axis=0)[None, :] * setup.exposure
    kill, shots = _engagement_arrays(setup)
    deliveries = setup.deliveries.sum(axis=0).astype(float)
    per_night = setup.channels * setup.raid_duration_s / ENGAGEMENT_TIME_S
    load = setup.load.astype(float)
    m = setup.interceptor_cost_musd
    new_unit_cost = setup.fire_unit_cost_musd + m * load * (1.0 + stockpile_loads)
    area, system = setup.areas, setup.systems

    h = new_highs()
    h.setOptionValue("mip_rel_gap", 1e-4)
    engaged = {
        (a, j, c): h.addVariable(
            lb=0.0,
            ub=float(demand[a, c]),
            obj=float(expended_weight * m[j] * shots[j, c]),
            name=f"engaged[{area[a]},{system[j]},{cls[c]}]",
        )
        for a in range(n_a)
        for j in range(n_s)
        for c in range(len(cls))
        if kill[j, c] > 0 and demand[a, c] > 0
    }
    units = {
        (a, j): h.addVariable(
            lb=0.0,
            obj=float(new_unit_cost[j]),
            type=highspy.HighsVarType.kInteger,
            name=f"new_fire_units[{area[a]},{system[j]}]",
        )
        for a in range(n_a)
        for j in range(n_s)
        if can_buy[j]
    }
    stock = {
        (a, j): h.addVariable(lb=0.0, obj=float(m[j]), name=f"extra_stock[{area[a]},{system[j]}]")
        for a in range(n_a)
        for j in range(n_s)
        if can_stock[j]
    }
    # One slack per class on the leak target, priced at LEAK_PENALTY_MUSD per threat,
    # so a target no mix can meet gives the best achievable leak instead of "infeasible".
    slack = {
        c: h.addVariable(lb=0.0, obj=LEAK_PENALTY_MUSD, name=f"leak_above_target[{cls[c]}]")
        for c in range(len(cls))
    }

    for c in range(len(cls)):
        total = float(demand[:, c].sum())
        if total <= 0:
            continue
        kills = [float(kill[j, c]) * v for (_, j, cc), v in engaged.items() if cc == c]
        # Σ_a Σ_j P e + slack ≥ (1 − τ) Σ_a D
        h.addConstr(
            h.qsum(kills, slack[c]) >= (1.0 - float(setup.leak_targets[c])) * total,
            name=f"leak_target[{cls[c]}]",
        )
        for a in range(n_a):
            terms = [
                float(kill[j, c]) * v for (aa, j, cc), v in engaged.items() if (aa, cc) == (a, c)
            ]
            if terms:
                h.addConstr(
                    h.qsum(terms) <= float(demand[a, c]),
                    name=f"kills_within_threats[{area[a]},{cls[c]}]",
                )
    for a in range(n_a):
        for j in range(n_s):
            fired = [(c, engaged[a, j, c]) for c in range(len(cls)) if (a, j, c) in engaged]
            if not fired:
                continue  # nothing to fire: both rows below hold for any y, s >= 0
            added = h.expr(0.0)
            if (a, j) in units:
                added += load[j] * (1.0 + stockpile_loads) * units[a, j]
            if (a, j) in stock:
                added += stock[a, j]
            # Magazine: Σ_c E e ≤ S0 + Π + L(1+ℓ) y + s
            h.addConstr(
                h.qsum([float(shots[j, c]) * v for c, v in fired]) - added
                <= float(setup.stock0[a, j] + deliveries[a, j]),
                name=f"magazine[{area[a]},{system[j]}]",
            )
            # Peak-night engagement rate: Σ_c e n̂/D ≤ ρ h (n0 + y)
            rate = utilisation * float(per_night[j])
            capacity = h.expr(0.0)
            if (a, j) in units:
                capacity += rate * units[a, j]
            h.addConstr(
                h.qsum([float(peak[a, c] / demand[a, c]) * v for c, v in fired]) - capacity
                <= rate * float(setup.fire_units[a, j]),
                name=f"peak_rate[{area[a]},{system[j]}]",
            )
    return MixModel(
        highs=h,
        engaged=engaged,
        new_fire_units=units,
        extra_stock=stock,
        leak_above_target=slack,
        kill=kill,
        shots=shots,
        demand=demand,
        new_unit_cost_musd=new_unit_cost,
        allowed=allowed,
    )


def optimise_mix(
    setup: CampaignSetup,
    *,
    allowed: tuple[str, ...] | None = None,
    stockpile_loads: float = 1.0,
    utilisation: float = 0.5,
    expended_weight: float = 1.0,
    time_limit_s: float = 60.0,
) -> MixResult:
    """Cheapest new fire units and depot stock meeting the leak targets (HiGHS MILP).

    Parameters
    ----------
    setup : CampaignSetup
        Existing fire units and stocks, the raid (means) and the targets.
    allowed : tuple of str, optional
        Systems new fire units may be bought of (default: every system in
        ``setup`` with a fire-unit and an interceptor cost); depot stock may be
        added to any system with an interceptor cost.
    stockpile_loads : float
        Depot loads bought with each new fire unit (:math:`\\ell`).
    utilisation : float
        Share of a fire unit's nightly engagement capacity the plan may use (ρ).
    expended_weight : float
        Weight of the interceptors fired, valued at their unit cost (w).
    time_limit_s : float
        HiGHS time limit.

    Returns
    -------
    MixResult
        When HiGHS stops without proving optimality, ``status`` says why and
        ``optimal`` is false. A feasible incumbent (time limit reached) is reported
        with its own cost and target check; without one, the arrays are zero, the
        costs NaN (``null`` in JSON) and ``meets_targets_model`` false.
    """
    import highspy

    model = build_mix_model(
        setup,
        allowed=allowed,
        stockpile_loads=stockpile_loads,
        utilisation=utilisation,
        expended_weight=expended_weight,
    )
    h = model.highs
    h.setOptionValue("time_limit", float(time_limit_s))
    t0 = time.perf_counter()
    h.minimize()
    elapsed = time.perf_counter() - t0
    status = h.modelStatusToString(h.getModelStatus())
    solved = h.getInfo().primal_solution_status == highspy.SolutionStatus.kSolutionStatusFeasible
    n_a, n_s = setup.fire_units.shape
    n_c = len(THREAT_CLASSES)
    e = np.zeros((n_a, n_s, n_c))
    y = np.zeros((n_a, n_s), dtype=np.int64)
    s = np.zeros((n_a, n_s))
    slack = np.full(n_c, np.inf)
    if solved:
        for key, v in model.engaged.items():
            e[key] = h.val(v)
        for pair, v in model.new_fire_units.items():
            y[pair] = round(h.val(v))
        for pair, v in model.extra_stock.items():
            s[pair] = max(h.val(v), 0.0)
        slack = np.array([h.val(model.leak_above_target[c]) for c in range(n_c)])
    kill, shots, m = model.kill, model.shots, setup.interceptor_cost_musd
    kills = (e * kill[None]).sum(axis=(0, 1))
    total = model.demand.sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        leak = np.where(total > 0, 1.0 - kills / np.where(total > 0, total, 1.0), 0.0)
    acquisition = float((y * model.new_unit_cost_musd[None]).sum() + (s * m[None]).sum())
    expended = float((e * shots[None] * m[None, :, None]).sum())
    if not solved:
        acquisition = expended = math.nan
        leak = np.full(n_c, math.nan)
    return MixResult(
        status=status,
        meets_targets_model=bool(solved and np.all(slack <= 1e-6)),
        new_fire_units=y,
        extra_stock=s,
        engagements=e,
        cost_musd=acquisition + expended_weight * expended,
        acquisition_musd=acquisition,
        expended_musd=expended,
        leak_fraction=np.clip(leak, 0.0, 1.0),
        systems=setup.systems,
        areas=setup.areas,
        allowed=model.allowed,
        solve_seconds=elapsed,
    )


def apply_mix(setup: CampaignSetup, mix: MixResult, stockpile_loads: float = 1.0) -> CampaignSetup:
    """``setup`` with the mix's new fire units (and their loads) and depot stock."""
    grown = setup.with_fire_units(mix.new_fire_units, loads=1.0 + stockpile_loads)
    return grown.with_stock(grown.stock0 + np.ceil(mix.extra_stock - 1e-6))


def check_mix(
    setup: CampaignSetup,
    mix: MixResult,
    *,
    rng: np.random.Generator | int,
    replications: int = 8,
    engine: str = "numba",
    stockpile_loads: float = 1.0,
) -> MixResult:
    """Re-simulate the campaign with the mix and record the Monte Carlo leak shares."""
    res = simulate_campaign(
        apply_mix(setup, mix, stockpile_loads), rng=rng, replications=replications, engine=engine
    )
    cls = THREAT_CLASSES
    mix.mc = {
        "replications": replications,
        "leak_fraction": dict(zip(cls, res.leak_fraction.tolist(), strict=True)),
        "leak_fraction_se": dict(zip(cls, res.leak_fraction_se.tolist(), strict=True)),
        "meets_targets": res.meets_targets,
        "interceptors_spent_musd": res.interceptors_spent_musd,
    }
    return mix


def counter_drone_payoff(
    setup: CampaignSetup,
    *,
    drone_scales: tuple[float, ...] = (0.25, 0.5, 1.0, 2.0, 4.0),
    **kwargs: Any,
) -> list[dict[str, Any]]:
    """Cheapest-mix cost with and without cheap counter-drone layers, by drone raid size.

    Cheap layers are :func:`cheap_counter_drone_systems`; "without" forbids buying
    new units of them (units already in service still fire).

    Returns one row per scale: ``drones_per_night`` (mean), ``cost_with_musd``,
    ``cost_without_musd``, ``saving_musd`` and ``pays_off`` (the cheap tiers are
    bought and lower the cost). Each MILP is solved on ``setup`` with the drone
    means multiplied by the scale.
    """
    d = THREAT_CLASSES.index("drone")
    cheap = cheap_counter_drone_systems(setup)
    without = tuple(s for s in setup.systems if s not in cheap)
    rows = []
    for scale in drone_scales:
        means = setup.means.copy()
        means[:, d] *= scale
        scaled = _replace_means(setup, means)
        with_cheap = optimise_mix(scaled, **kwargs)
        no_cheap = optimise_mix(scaled, allowed=without, **kwargs)
        saving = (
            no_cheap.cost_musd - with_cheap.cost_musd
            if with_cheap.optimal and no_cheap.optimal
            else math.nan
        )
        bought = {
            s: int(with_cheap.new_fire_units[:, j].sum())
            for j, s in enumerate(setup.systems)
            if s in cheap and with_cheap.new_fire_units[:, j].sum() > 0
        }
        rows.append(
            {
                "drone_scale": scale,
                "drones_per_night": float(means[:, d].mean()),
                "cost_with_musd": with_cheap.cost_musd if with_cheap.optimal else None,
                "cost_without_musd": no_cheap.cost_musd if no_cheap.optimal else None,
                "status_with": with_cheap.status,
                "status_without": no_cheap.status,
                "saving_musd": saving if math.isfinite(saving) else None,
                "cheap_units_bought": bought,
                "pays_off": bool(math.isfinite(saving) and saving > 1e-6),
            }
        )
    return rows


def _replace_means(setup: CampaignSetup, means: F64) -> CampaignSetup:
    return replace(setup, means=np.asarray(means, dtype=np.float64))
