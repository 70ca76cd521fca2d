r"""Smallest extra interceptor stock meeting the campaign's leak targets.

:func:`size_stockpile` takes today's fire units and finds, per interceptor type and
ally, the smallest extra depot stock that keeps the campaign's leak shares under
their targets. Monte Carlo with common random numbers: a run with unlimited stocks
gives, per sample path, the stock each ally needs never to run dry,
:math:`\max_t (\text{spent}_{\le t} - \text{delivered}_{\le t})`; holding that much
reproduces the unlimited run exactly. The deficit against today's stock is then
scaled down by bisection (first all types together, then each type in turn) while the
re-simulated leak shares stay under target. No optimisation model is involved: the
campaign simulation is the model (:mod:`gbad.campaign.mix` buys fire units and stock
with a MILP instead).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from gbad.campaign.model import CampaignResult, simulate_campaign
from gbad.campaign.setup import CampaignSetup
from gbad.scenario.sections import THREAT_CLASSES

__all__ = ["UNLIMITED", "StockpileResult", "size_stockpile"]

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]

#: A very large stock standing for "unlimited" [interceptors].
UNLIMITED = 10**9


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
