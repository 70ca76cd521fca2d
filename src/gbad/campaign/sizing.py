r"""Stockpile and effector-mix sizing against campaign leak targets.

Two questions, two methods:

1. :func:`size_stockpile` — with today's fire units, the smallest extra depot
   stock per interceptor type (and ally) that keeps the campaign's leak shares
   under their targets. Monte Carlo with common random numbers: a run with
   unlimited stocks gives, per sample path, the stock each ally needs never to run
   dry, :math:`\max_t (\text{spent}_{\le t} - \text{delivered}_{\le t})`; holding
   that much reproduces the unlimited run exactly. The deficit against today's
   stock is then scaled down by bisection (first all types together, then each
   type in turn) while the re-simulated leak shares stay under target.
2. :func:`optimise_mix` — the cheapest mix of new fire units and depot stock
   (long/medium interceptors, short-range systems, guns, MANPADS) meeting the
   targets, by a mixed-integer programme on an engagement-rate model solved with
   HiGHS, then checked against the Monte Carlo (:func:`check_mix`).
   :func:`counter_drone_payoff` solves it with and without the cheap counter-drone
   tiers over a range of drone raid sizes to show where they pay off.

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
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from gbad._highs import new_highs
from gbad.campaign.model import CampaignResult, simulate_campaign
from gbad.campaign.setup import ENGAGEMENT_TIME_S, CampaignSetup
from gbad.scenario.sections import THREAT_CLASSES

__all__ = [
    "CHEAP_COUNTER_DRONE_TIERS",
    "CHEAP_SHOT_MUSD",
    "MixResult",
    "StockpileResult",
    "cheap_counter_drone_systems",
    "check_mix",
    "counter_drone_payoff",
    "optimise_mix",
    "size_stockpile",
]

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]

#: Tiers counted as cheap counter-drone layers whatever their shot cost.
CHEAP_COUNTER_DRONE_TIERS: tuple[str, ...] = ("c-uas",)
#: Highest cost of one shot [MUSD] for a system to count as a cheap counter-drone
#: layer (guns firing programmable ammunition, interceptor drones).
CHEAP_SHOT_MUSD = 0.1


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


#: A very large stock standing for "unlimited" [interceptors].
UNLIMITED = 10**9
#: Price of one threat leaking above its target in the mix model [MUSD]: far above
#: any fire unit, so targets are met whenever some mix can meet them.
LEAK_PENALTY_MUSD = 1.0e5


def _meets(result: CampaignResult, margin_z: float) -> bool:
    frac = result.leak_fraction + margin_z * result.leak_fraction_se
    return bool(np.all(frac <= result.leak_targets + 1e-12))


@dataclass
class StockpileResult:
    """Smallest extra depot stock meeting the leak targets (see :func:`size_stockpile`).

    Attributes
    ----------
    feasible : bool
        Whether unlimited stocks meet the targets at all (if not, no stockpile will).
    extra : (A, S) int array
        Extra depot interceptors per ally and system.
    systems, areas : tuple of str
    interceptor_cost_musd : (S,) float array
    leak_fraction, leak_fraction_se : (C,) float arrays
        Leak shares of the sized campaign (same seeds as the search).
    unlimited_leak_fraction : (C,) float array
        Leak shares with unlimited stocks (the floor no stockpile can beat).
    leak_targets : (C,) float array
    runs : int
        Campaign simulations the search took.
    """

    feasible: bool
    extra: I64
    systems: tuple[str, ...]
    areas: tuple[str, ...]
    interceptor_cost_musd: F64
    leak_fraction: F64
    leak_fraction_se: F64
    unlimited_leak_fraction: F64
    leak_targets: F64
    runs: int

    @property
    def by_system(self) -> dict[str, int]:
        """Extra interceptors per system, summed over allies."""
        return {s: int(self.extra[:, j].sum()) for j, s in enumerate(self.systems)}

    @property
    def cost_musd(self) -> float:
        """Cost of the extra stock [MUSD]."""
        return float(self.extra.sum(axis=0) @ self.interceptor_cost_musd)

    def scenario_stockpile(self) -> dict[str, float]:
        """The ``campaign.stockpile`` mapping (``ISO3/system``) that places this stock."""
        return {
            f"{self.areas[a]}/{self.systems[j]}": float(self.extra[a, j])
            for a, j in zip(*np.nonzero(self.extra), strict=True)
        }

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready summary."""
        cls = THREAT_CLASSES
        return {
            "feasible": self.feasible,
            "by_system": [
                {
                    "system": s,
                    "extra_interceptors": n,
                    "cost_musd": n * float(self.interceptor_cost_musd[j]),
                }
                for j, (s, n) in enumerate(self.by_system.items())
                if n > 0
            ],
            "cost_musd": self.cost_musd,
            "stockpile": self.scenario_stockpile(),
            "leak_fraction": dict(zip(cls, self.leak_fraction.tolist(), strict=True)),
            "leak_fraction_se": dict(zip(cls, self.leak_fraction_se.tolist(), strict=True)),
            "unlimited_leak_fraction": dict(
                zip(cls, self.unlimited_leak_fraction.tolist(), strict=True)
            ),
            "leak_targets": dict(zip(cls, self.leak_targets.tolist(), strict=True)),
            "runs": self.runs,
        }


def size_stockpile(
    setup: CampaignSetup,
    *,
    rng: np.random.Generator | int,
    replications: int = 8,
    engine: str = "numba",
    margin_z: float = 1.0,
    refine: bool = True,
    tol: float = 0.02,
) -> StockpileResult:
    """Smallest extra depot stock per ally and interceptor type meeting the targets.

    Parameters
    ----------
    setup : CampaignSetup
        Today's fire units and stocks, the raid and the leak targets.
    rng : numpy.random.Generator or int
        One root entropy is drawn and reused for every candidate (common random
        numbers), so candidates differ only by their stocks.
    replications : int
        Sample paths per candidate.
    margin_z : float
        A candidate meets a target when ``mean + margin_z · SE ≤ target``.
    refine : bool
        After scaling all types together, shrink each type on its own.
    tol : float
        Bisection tolerance on the scale factors (fraction of the deficit).
    """
    entropy = int(rng.integers(2**63)) if isinstance(rng, np.random.Generator) else int(rng)
    runs = 0

    def run(stock0: npt.NDArray[Any], keep: bool = False) -> CampaignResult:
        nonlocal runs
        runs += 1
        return simulate_campaign(
            setup.with_stock(stock0),
            rng=entropy,
            replications=replications,
            engine=engine,
            keep_paths=keep,
        )

    unlimited = run(setup.stock0 + UNLIMITED, keep=True)
    cum_spent = np.cumsum(unlimited.paths["spent"], axis=1)
    cum_deliv = np.cumsum(setup.deliveries, axis=0)[None]
    need = np.ceil((cum_spent - cum_deliv).max(axis=(0, 1)) - 1e-9)
    deficit = np.maximum(need - setup.stock0, 0.0)
    base = setup.stock0.astype(float)

    def result(extra: F64, res: CampaignResult, feasible: bool) -> StockpileResult:
        return StockpileResult(
            feasible=feasible,
            extra=np.ceil(extra - 1e-9).astype(np.int64),
            systems=setup.systems,
            areas=setup.areas,
            interceptor_cost_musd=setup.interceptor_cost_musd,
            leak_fraction=res.leak_fraction,
            leak_fraction_se=res.leak_fraction_se,
            unlimited_leak_fraction=unlimited.leak_fraction,
            leak_targets=setup.leak_targets,
            runs=runs,
        )

    if not _meets(unlimited, margin_z):
        return result(deficit, unlimited, False)
    current = run(base)
    if _meets(current, margin_z):
        return result(np.zeros_like(deficit), current, True)

    def search(make: Any, lo: float, hi: float, best: CampaignResult) -> tuple[float, Any]:
        while hi - lo > tol:
            mid = 0.5 * (lo + hi)
            res = run(base + np.ceil(make(mid)))
            if _meets(res, margin_z):
                hi, best = mid, res
            else:
                lo = mid
        return hi, best

    lam, best = search(lambda x: x * deficit, 0.0, 1.0, unlimited)
    scale = np.full(deficit.shape[1], lam)
    if refine:
        for j in np.flatnonzero(deficit.sum(axis=0) > 0):

            def make(x: float, j: int = int(j)) -> F64:
                s = scale.copy()
                s[j] = x
                return np.asarray(deficit * s[None, :], dtype=np.float64)

            scale[j], best = search(make, 0.0, float(scale[j]), best)
    extra = np.ceil(deficit * scale[None, :])
    final = run(base + extra)
    return result(extra, final, _meets(final, margin_z))


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
    """
    import highspy

    n_a, n_s = setup.fire_units.shape
    n_c = len(THREAT_CLASSES)
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

    h = new_highs()
    h.setOptionValue("time_limit", float(time_limit_s))
    h.setOptionValue("mip_rel_gap", 1e-4)
    inf = highspy.kHighsInf
    # Variable layout: e[a, j, c], then y[a, j], then s[a, j].
    n_e = n_a * n_s * n_c

    def e_idx(a: int, j: int, c: int) -> int:
        return (a * n_s + j) * n_c + c

    def y_idx(a: int, j: int) -> int:
        return n_e + a * n_s + j

    def s_idx(a: int, j: int) -> int:
        return n_e + n_a * n_s + a * n_s + j

    # One slack per class on the leak target, priced at LEAK_PENALTY_MUSD per threat,
    # so a target no mix can meet gives the best achievable leak instead of "infeasible".
    n_var = n_e + 2 * n_a * n_s + n_c
    cost = np.zeros(n_var)
    lower = np.zeros(n_var)
    upper = np.zeros(n_var)
    for a in range(n_a):
        for j in range(n_s):
            for c in range(n_c):
                i = e_idx(a, j, c)
                upper[i] = demand[a, c] if kill[j, c] > 0 else 0.0
                cost[i] = expended_weight * m[j] * shots[j, c]
            upper[y_idx(a, j)] = inf if can_buy[j] else 0.0
            cost[y_idx(a, j)] = new_unit_cost[j]
            upper[s_idx(a, j)] = inf if can_stock[j] else 0.0
            cost[s_idx(a, j)] = m[j]
    for c in range(n_c):
        upper[n_var - n_c + c] = inf
        cost[n_var - n_c + c] = LEAK_PENALTY_MUSD
    h.addVars(n_var, lower, upper)
    h.changeColsCost(n_var, np.arange(n_var, dtype=np.int32), cost)
    ints = np.array([y_idx(a, j) for a in range(n_a) for j in range(n_s)], dtype=np.int32)
    h.changeColsIntegrality(
        ints.size, ints, np.full(ints.size, highspy.HighsVarType.kInteger, dtype=np.uint8)
    )

    def add_row(lo: float, hi: float, idx: list[int], val: list[float]) -> None:
        h.addRow(lo, hi, len(idx), np.array(idx, dtype=np.int32), np.array(val, dtype=float))

    for c in range(n_c):
        total = float(demand[:, c].sum())
        if total <= 0:
            continue
        # Σ_a Σ_j P e ≥ (1 − τ) Σ_a D
        idx = [e_idx(a, j, c) for a in range(n_a) for j in range(n_s) if kill[j, c] > 0]
        val = [float(kill[j, c]) for a in range(n_a) for j in range(n_s) if kill[j, c] > 0]
        idx.append(n_var - n_c + c)
        val.append(1.0)
        add_row((1.0 - float(setup.leak_targets[c])) * total, inf, idx, val)
        for a in range(n_a):
            if demand[a, c] <= 0:
                continue
            idx = [e_idx(a, j, c) for j in range(n_s) if kill[j, c] > 0]
            val = [float(kill[j, c]) for j in range(n_s) if kill[j, c] > 0]
            if idx:
                add_row(-inf, float(demand[a, c]), idx, val)
    for a in range(n_a):
        for j in range(n_s):
            cls = [c for c in range(n_c) if kill[j, c] > 0 and demand[a, c] > 0]
            # Magazine: Σ_c E e − L(1+ℓ) y − s ≤ S0 + Π
            idx = [e_idx(a, j, c) for c in cls] + [y_idx(a, j), s_idx(a, j)]
            val = [float(shots[j, c]) for c in cls] + [-load[j] * (1.0 + stockpile_loads), -1.0]
            add_row(-inf, float(setup.stock0[a, j] + deliveries[a, j]), idx, val)
            # Peak-night engagement rate: Σ_c e n̂/D − ρ h y ≤ ρ h n0
            rate = utilisation * float(per_night[j])
            idx = [e_idx(a, j, c) for c in cls] + [y_idx(a, j)]
            val = [float(peak[a, c] / demand[a, c]) for c in cls] + [-rate]
            add_row(-inf, rate * float(setup.fire_units[a, j]), idx, val)

    import time

    t0 = time.perf_counter()
    h.run()
    elapsed = time.perf_counter() - t0
    status = h.modelStatusToString(h.getModelStatus())
    n_sol = h.getSolution().col_value if status == "Optimal" else [0.0] * n_var
    x = np.asarray(n_sol, dtype=float)
    e = x[:n_e].reshape(n_a, n_s, n_c)
    y = np.rint(x[n_e : n_e + n_a * n_s]).reshape(n_a, n_s).astype(np.int64)
    s = np.maximum(x[n_e + n_a * n_s : n_e + 2 * n_a * n_s].reshape(n_a, n_s), 0.0)
    slack = x[n_var - n_c :]
    kills = (e * kill[None]).sum(axis=(0, 1))
    total = demand.sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        leak = np.where(total > 0, 1.0 - kills / np.where(total > 0, total, 1.0), 0.0)
    acquisition = float((y * new_unit_cost[None]).sum() + (s * m[None]).sum())
    expended = float((e * shots[None] * m[None, :, None]).sum())
    return MixResult(
        status=status,
        meets_targets_model=bool(np.all(slack <= 1e-6)),
        new_fire_units=y,
        extra_stock=s,
        engagements=e,
        cost_musd=acquisition + expended_weight * expended,
        acquisition_musd=acquisition,
        expended_musd=expended,
        leak_fraction=np.clip(leak, 0.0, 1.0),
        systems=setup.systems,
        areas=setup.areas,
        allowed=allowed,
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
    from dataclasses import replace

    return replace(setup, means=np.asarray(means, dtype=np.float64))
