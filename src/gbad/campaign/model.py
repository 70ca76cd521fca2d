"""The campaign: N nights of raids against allies whose interceptor stocks run down.

Per replication (one sample path of the campaign) and night ``t``:

1. production deliveries arrive: ``stock += deliveries[t]``;
2. the night's raid is drawn per class (Poisson around the preset mean, or the
   mean rounded) and spread over the areas by threat exposure (multinomial, or
   largest remainders when the draw is fixed);
3. each area's raid meets that ally's fire units, tier by tier outer to inner, in
   the engagement engine (:func:`gbad.engage.simulate_raid`, one realisation, or
   :func:`gbad.engage.expected_raid_outcome` in mean field), with magazines equal
   to the current stocks: a stock-out removes the unit and leakers rise;
4. ``stock -= spent``.

Stocks are bookkept in whole interceptors, so at every night and for every ally
and system ``stock_end = stock_start + produced − spent`` and ``stock ≥ 0``.

Seeding: the caller's generator gives one root :class:`numpy.random.SeedSequence`;
it spawns one child per replication, and each of those one child per night. A
night's randomness therefore does not depend on what earlier nights consumed, so
a campaign with unlimited stocks is exactly the sum of independent nights.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from gbad.campaign.result import (
    ENDURANCE_DRY_SHARE,
    ENDURANCE_TIERS,
    MISSILE_CLASSES,
    CampaignResult,
)
from gbad.campaign.setup import (
    ENGAGEMENT_TIME_S,
    ENGAGEMENT_WINDOW_S,
    CampaignSetup,
    build_setup,
)
from gbad.scenario import Scenario
from gbad.scenario.sections import THREAT_CLASSES, TIERS

__all__ = [
    "CHEAPEST_FIRST",
    "ENDURANCE_DRY_SHARE",
    "ENDURANCE_TIERS",
    "ENGINES",
    "MISSILE_CLASSES",
    "CampaignResult",
    "NightOutcome",
    "campaign_seeds",
    "engage_area",
    "largest_remainder",
    "run_campaign",
    "simulate_campaign",
    "simulate_night",
]

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]

#: Engines: Monte Carlo kernels of :mod:`gbad.engage`, or its mean-field model.
ENGINES: tuple[str, ...] = ("numpy", "numba", "mean-field")


def campaign_seeds(
    rng: np.random.Generator | int, replications: int, nights: int
) -> list[list[np.random.SeedSequence]]:
    """Seed sequences ``[replication][night]`` of a campaign.

    Parameters
    ----------
    rng : numpy.random.Generator or int
        A generator (one 63-bit integer is drawn from it as root entropy) or the
        root entropy itself.
    """
    entropy = int(rng.integers(2**63)) if isinstance(rng, np.random.Generator) else int(rng)
    root = np.random.SeedSequence(entropy)
    return [rep.spawn(nights) for rep in root.spawn(replications)]


def largest_remainder(total: int, weights: F64) -> I64:
    """Split ``total`` into integers proportional to ``weights`` (Hamilton's method)."""
    w = np.asarray(weights, dtype=float)
    if total <= 0 or w.sum() <= 0:
        return np.zeros(w.shape, dtype=np.int64)
    quota = total * w / w.sum()
    base = np.floor(quota).astype(np.int64)
    rest = int(total - base.sum())
    if rest > 0:
        order = np.argsort(-(quota - base), kind="stable")
        base[order[:rest]] += 1
    return base


#: Classes engaged cheapest interceptor first (cost-aware doctrine); every other
#: class meets the tiers outer to inner.
CHEAPEST_FIRST: tuple[str, ...] = ("drone",)


def engage_area(  # noqa: PLR0917 - mirrors simulate_night's arguments
    setup: CampaignSetup,
    area: int,
    counts: I64,
    stock: npt.NDArray[Any],
    rng: np.random.Generator,
    engine: str = "numpy",
) -> tuple[F64, F64]:
    """One night's raid on one area against its fire units (the engine adapter).

    Missiles and aircraft are engaged first, meeting the area's tiers outer to
    inner; then the drones (:data:`CHEAPEST_FIRST`) meet the remaining stocks with
    the fire units ordered by interceptor cost, cheapest first, so guns and
    short-range systems take the drones before medium-range missiles do. Both are
    one call each of the engagement engine (:func:`gbad.engage.simulate_raid`
    with one trial, or :func:`gbad.engage.expected_raid_outcome`).

    Parameters
    ----------
    setup : CampaignSetup
    area : int
        Index of the area (ally).
    counts : (C,) int array
        Threats of each class aimed at the area.
    stock : (S,) array
        Interceptors the area's fire units hold before the raid.
    rng : numpy.random.Generator
        Used only by the Monte Carlo engines.
    engine : {"numpy", "numba", "mean-field"}

    Returns
    -------
    leakers : (C,) float array
    used : (S,) float array
        Interceptors fired per system (whole numbers with a Monte Carlo engine).
    """
    leak = np.zeros(len(THREAT_CLASSES))
    used = np.zeros(len(setup.systems))
    left = np.asarray(stock, dtype=float).copy()
    groups = (
        [k for k, c in enumerate(THREAT_CLASSES) if c not in CHEAPEST_FIRST],
        [k for k, c in enumerate(THREAT_CLASSES) if c in CHEAPEST_FIRST],
    )
    for cheapest_first, group in enumerate(groups):
        sub = np.zeros_like(counts)
        sub[group] = counts[group]
        if sub.sum() == 0:
            continue
        g_leak, g_used = _engage_group(setup, area, sub, left, rng, engine, bool(cheapest_first))
        leak[group] = g_leak[group]
        used += g_used
        left = np.maximum(left - g_used, 0.0)
    return leak, used


def _group_layers(
    setup: CampaignSetup,
    area: int,
    wanted: npt.NDArray[np.bool_],
    stock: F64,
    cheapest_first: bool,
) -> tuple[list[list[Any]], list[int]]:
    """The area's fire units able to engage the ``wanted`` classes, as layers.

    Outer to inner by tier, or one unit per layer cheapest interceptor first.
    Returns the layers and the system index of each unit in layer order.
    """
    from gbad.engage import FireUnit

    classes = THREAT_CLASSES
    units: list[tuple[tuple[float, ...], Any, int]] = []
    tier_rank: dict[str, int] = {t: i for i, t in enumerate(TIERS)}
    for j, system in enumerate(setup.systems):
        n_fu = int(setup.fire_units[area, j])
        if n_fu <= 0 or not np.any(setup.pk[j, wanted] > 0):
            continue
        unit = FireUnit(
            system=system,
            tier=setup.tiers[j],
            pk={c: float(setup.pk[j, k]) for k, c in enumerate(classes) if setup.pk[j, k] > 0},
            magazine=math.floor(float(stock[j]) + 1e-9),
            channels=int(setup.channels[j]) * n_fu,
            engagement_time_s=ENGAGEMENT_TIME_S,
            reload_time_s=float(setup.reload_time_s[j]),
            count=1,
            ready_rounds=int(setup.load[j]) * n_fu,
            engagement_window_s=ENGAGEMENT_WINDOW_S,
        )
        if cheapest_first:
            key: tuple[float, ...] = (float(setup.interceptor_cost_musd[j]), float(j))
        else:
            key = (float(tier_rank.get(setup.tiers[j], 99)), 0.0)
        units.append((key, unit, j))
    layers: list[list[Any]] = []
    order: list[int] = []
    last: tuple[float, ...] | None = None
    for key, unit, j in sorted(units, key=lambda kuj: kuj[0]):
        if cheapest_first or key != last:
            layers.append([])
        layers[-1].append(unit)
        order.append(j)
        last = key
    return layers, order


def _doctrine(setup: CampaignSetup) -> Any:
    from gbad.engage import Doctrine

    return Doctrine(
        shots={c: int(setup.shots[k]) for k, c in enumerate(THREAT_CLASSES)},
        mode="shoot-shoot" if setup.doctrine == "shoot-shoot" else "shoot-look-shoot",
    )


def _engage_group(  # noqa: PLR0917 - internal
    setup: CampaignSetup,
    area: int,
    counts: I64,
    stock: F64,
    rng: np.random.Generator,
    engine: str,
    cheapest_first: bool,
) -> tuple[F64, F64]:
    from gbad.engage import Raid, expected_raid_outcome, simulate_raid

    classes = THREAT_CLASSES
    layers, order = _group_layers(setup, area, counts > 0, stock, cheapest_first)
    index = {setup.systems[j]: j for j in order}
    from gbad.campaign.spatial import effective_duration_s

    raid = Raid(
        counts={c: int(counts[k]) for k, c in enumerate(classes)},
        duration_s=effective_duration_s(setup, counts),
    )
    doctrine = _doctrine(setup)
    leak = np.zeros(len(classes))
    used = np.zeros(len(setup.systems))
    if engine == "mean-field":
        outcome = expected_raid_outcome(raid, layers, doctrine)
        for k, c in enumerate(classes):
            leak[k] = outcome.leakers_mean[c]
        for s, v in outcome.interceptors_used_mean.items():
            used[index[s]] = v
        return leak, used
    result = simulate_raid(raid, layers, doctrine, trials=1, rng=rng, engine=engine)
    for k, c in enumerate(classes):
        leak[k] = float(result.leakers_per_trial[c][0])
    for s, per_trial in result.interceptors_used_per_trial.items():
        used[index[s]] = float(per_trial[0])
    return leak, used


class _NightBatches:
    """A campaign's nights as batches of the engagement kernel (Monte Carlo engines).

    Each ally's raid of a night is two items of one batch, missiles and aircraft
    then drones (:func:`engage_area`), whose fire units draw on the ally's stock
    pools: the drones meet what the missiles left. The items' unit sets (ally,
    class group, classes present) are built once, when first met; the night's
    draws are made for the whole batch at once (:func:`gbad.engage.batch.draw_batch`).
    Results are distributed as those of :func:`engage_area` called ally by ally.
    """

    def __init__(self, setup: CampaignSetup, engine: str) -> None:
        from gbad.engage.batch import UnitSetBuilder

        n_a, n_c = setup.exposure.shape
        self.setup = setup
        self.engine = engine
        in_group = np.array([c in CHEAPEST_FIRST for c in THREAT_CLASSES])
        #: (2, C) 0/1: classes of each group, missiles and aircraft first.
        self.group_classes = np.stack([~in_group, in_group]).astype(np.int64)
        self.bits = 1 << np.arange(n_c, dtype=np.int64)
        #: Unit set of (area, group, classes present as bits); -1 until first met.
        self.table = np.full((n_a, 2, 1 << n_c), -1, dtype=np.int64)
        self.sets = UnitSetBuilder(THREAT_CLASSES)
        self.set_layers: list[int] = []
        self.shots = np.asarray(setup.shots, dtype=np.int64)
        self.kmax = max(1, int(self.shots.max()) if self.shots.size else 1)
        self.mode = 0 if setup.doctrine == "shoot-shoot" else 1
        self.no_stock = np.zeros(len(setup.systems))
        self.layers_of_set = np.zeros(0, dtype=np.int64)
        #: Whether each night's generator is left where item-by-item draws leave
        #: it (not needed for the campaign's own per-night generators).
        self.restore = True

    def _add_set(self, area: int, group: int, mask: int) -> int:
        wanted = (mask & self.bits) > 0
        layers, order = _group_layers(self.setup, area, wanted, self.no_stock, group == 1)
        s = self.sets.add(layers, order)
        self.set_layers.append(len(layers))
        self.table[area, group, mask] = s
        return s

    def nights(
        self, threats: I64, stock: npt.NDArray[Any], rngs: list[np.random.Generator]
    ) -> tuple[F64, F64]:
        """Engage one night of each replication: ``threats`` ``(R, A, C)``, ``stock``
        ``(R, A, S)``, one generator each; returns leakers and spent, one kernel call."""
        from gbad.engage.batch import draw_batch, run_raid_batch_arrays

        n_r, n_a, n_c = threats.shape
        n_s = len(self.setup.systems)
        # Items in the order engage_area meets them: area by area, missiles first.
        per_group = threats[:, :, None, :] * self.group_classes[None, None]  # (R, A, 2, C)
        rep, area, group = np.nonzero(per_group.sum(axis=3))
        counts = per_group[rep, area, group]
        masks = (counts > 0) @ self.bits
        sets = self.table[area, group, masks]
        if np.any(sets < 0):
            for i in np.flatnonzero(sets < 0).tolist():
                sets[i] = self.table[area[i], group[i], masks[i]]
                if sets[i] < 0:
                    sets[i] = self._add_set(int(area[i]), int(group[i]), int(masks[i]))
            self.layers_of_set = np.array(self.set_layers, dtype=np.int64)
        n_layers = self.layers_of_set[sets]
        bounds = np.searchsorted(rep, np.arange(n_r + 1)).tolist()
        waves = self.setup.waves > 0
        duration = 1.0 if waves else self.setup.raid_duration_s
        parts = [
            draw_batch(
                g, counts[lo:hi], n_layers[lo:hi], self.kmax, duration, self.engine, self.restore
            )
            for g, lo, hi in zip(rngs, bounds[:-1], bounds[1:], strict=True)
        ]
        times, cls, u = (np.concatenate(x) for x in zip(*parts, strict=True))
        if waves:
            from gbad.campaign.spatial import arrival_times

            times, cls = arrival_times(self.setup, times, cls, counts.sum(axis=1))
        pool_stock = np.floor(np.asarray(stock, dtype=float).ravel() + 1e-9).astype(np.int64)
        ally = rep * n_a + area
        leak, used = run_raid_batch_arrays(
            self.engine,
            times,
            cls,
            u,
            counts.sum(axis=1),
            sets,
            ally * n_s,
            self.sets.build(),
            self.shots,
            self.kmax,
            self.mode,
            pool_stock,
        )
        cells = (ally[:, None] * n_c + np.arange(n_c)).ravel()
        leakers = np.bincount(cells, weights=leak.ravel(), minlength=n_r * n_a * n_c)
        return (
            np.asarray(leakers, dtype=np.float64).reshape(n_r, n_a, n_c),
            np.asarray(used, dtype=np.float64).reshape(n_r, n_a, n_s),
        )


@dataclass
class NightOutcome:
    """One night: threats launched, leakers, defeated by electronic warfare ``(A, C)``
    and interceptors spent ``(A, S)``."""

    threats: F64
    leakers: F64
    spent: F64
    ew_defeated: F64


def simulate_night(
    setup: CampaignSetup,
    night: int,
    stock: npt.NDArray[Any],
    rng: np.random.Generator,
    engine: str = "numpy",
    *,
    _batches: _NightBatches | None = None,
) -> NightOutcome:
    """Draw night ``night``'s raid, spread it over the areas and engage it.

    ``stock`` ``(A, S)`` is the interceptors held before the raid; it is not
    modified. With ``setup.draw == "fixed"`` the raid is the rounded mean and is
    spread by largest remainders (no randomness before the engagement). The
    Monte Carlo engines run every area's raid in one batch of the engagement
    kernel (:mod:`gbad.engage.batch`), distributed as :func:`engage_area` called
    area by area.
    """
    launched = _draw_threats(setup, night, rng)
    ew = _ew_defeated(setup, launched, rng, engine)
    threats = launched - ew
    n_a, n_c = threats.shape
    if setup.geometry is not None:
        from gbad.campaign.spatial import SpatialEngine

        spatial = SpatialEngine(setup, engine)
        if engine == "mean-field":
            leak, used, _ = spatial.night_mean_field(threats, np.asarray(stock, dtype=float), rng)
            return NightOutcome(launched.astype(float), leak, used, ew.astype(float))
        leak3, used3, _ = spatial.nights(threats[None], np.asarray(stock, dtype=float)[None], [rng])
        return NightOutcome(launched.astype(float), leak3[0], used3[0], ew.astype(float))
    if engine != "mean-field":
        batches = _batches if _batches is not None else _NightBatches(setup, engine)
        leakers, spent = batches.nights(threats[None], np.asarray(stock)[None], [rng])
        return NightOutcome(launched.astype(float), leakers[0], spent[0], ew.astype(float))
    leakers = np.zeros((n_a, n_c))
    spent = np.zeros((n_a, len(setup.systems)))
    for a in np.flatnonzero(threats.sum(axis=1)):
        leakers[a], spent[a] = engage_area(setup, int(a), threats[a], stock[a], rng, engine)
    return NightOutcome(launched.astype(float), leakers, spent, ew.astype(float))


def _ew_defeated(setup: CampaignSetup, launched: I64, rng: np.random.Generator, engine: str) -> I64:
    """Threats ``(A, C)`` electronic warfare defeats before any fire unit engages.

    Each launched threat of class :math:`c` aimed at area :math:`a` is defeated
    with probability :math:`p^{EW}_{ac}` (``setup.ew_defeat``: one rate per class for
    every area, or one per area and class; :mod:`gbad.campaign.ew`), independently:
    a binomial thinning for the Monte Carlo engines, the rounded expectation for the
    mean-field engine. No random number is drawn when the layer is absent.
    """
    p = np.broadcast_to(np.asarray(setup.ew_defeat, dtype=float), launched.shape)
    if not np.any(p > 0):
        return np.zeros_like(launched)
    if engine == "mean-field":
        return np.asarray(np.rint(launched * p), dtype=np.int64)
    return np.asarray(rng.binomial(launched, p), dtype=np.int64)


def _draw_threats(setup: CampaignSetup, night: int, rng: np.random.Generator) -> I64:
    """Threats ``(A, C)`` of night ``night``: the raid drawn and spread over the areas."""
    n_a, n_c = setup.exposure.shape
    mean = setup.means[night]
    threats = np.zeros((n_a, n_c), dtype=np.int64)
    if setup.draw == "fixed":
        sizes = np.rint(mean).astype(np.int64)
        for c in range(n_c):
            threats[:, c] = largest_remainder(int(sizes[c]), setup.exposure[:, c])
    else:
        sizes = rng.poisson(mean)
        for c in range(n_c):
            if sizes[c] > 0:
                threats[:, c] = rng.multinomial(int(sizes[c]), setup.exposure[:, c])
    return threats


def _run_paths(
    setup: CampaignSetup,
    seeds: list[list[np.random.SeedSequence]],
    engine: str,
) -> dict[str, Any]:
    """All replications, night after night (``seeds[r][t]`` seeds night ``t`` of ``r``).

    The Monte Carlo engines engage one night of every replication in one kernel
    call; each replication's draws come from its own generators, as when the
    replications run one after the other.
    """
    n_r, n_t = len(seeds), setup.nights
    n_a, n_c = setup.exposure.shape
    n_s = len(setup.systems)
    stock: npt.NDArray[Any] = np.repeat(setup.stock0.astype(float)[None], n_r, axis=0)
    threats = np.zeros((n_r, n_t, n_a, n_c))
    ew = np.zeros((n_r, n_t, n_a, n_c))
    leakers = np.zeros((n_r, n_t, n_a, n_c))
    spent = np.zeros((n_r, n_t, n_a, n_s))
    stock_end = np.zeros((n_r, n_t, n_a, n_s))
    spatial = None
    kinds: F64 = np.zeros(0)
    if setup.geometry is not None:
        from gbad.campaign.spatial import SpatialEngine, spare_stock

        spatial = SpatialEngine(setup, engine)
        kinds = np.zeros((n_r, n_t, n_a, len(setup.geometry.kinds), n_c))
    batches = _NightBatches(setup, engine) if engine != "mean-field" and spatial is None else None
    if batches is not None:
        batches.restore = False  # the generators are private to this run
    share = setup.share_members is not None and int(setup.share_members.sum()) > 1
    helping = spatial is not None and spatial.helping
    if share or helping:
        from gbad.campaign.sharing import need_bound

        bound = need_bound(setup)
    if share:
        delay = int(setup.transfer_delay_nights)
        transit = np.zeros((n_r, n_t + delay + 1, n_a, n_s))
        shared_in = np.zeros((n_r, n_t, n_a, n_s))
        shared_out = np.zeros((n_r, n_t, n_a, n_s))
    for t in range(n_t):
        stock = stock + setup.deliveries[t]
        if share:
            stock = stock + transit[:, t]
            shared_in[:, t] = transit[:, t]
        rngs = [np.random.default_rng(seeds[r][t]) for r in range(n_r)]
        spare = None
        if helping:

            def spare(held: F64, t: int = t) -> F64:
                return spare_stock(setup, held, t, bound)

        if spatial is not None:
            launched = [_draw_threats(setup, t, g) for g in rngs]
            defeated = [
                _ew_defeated(setup, x, g, engine) for x, g in zip(launched, rngs, strict=True)
            ]
            threats[:, t], ew[:, t] = np.stack(launched), np.stack(defeated)
            engaged = (threats[:, t] - ew[:, t]).astype(np.int64)
            if engine == "mean-field":
                for r, g in enumerate(rngs):
                    leakers[r, t], spent[r, t], kinds[r, t] = spatial.night_mean_field(
                        engaged[r], stock[r], g, spare
                    )
            else:
                leakers[:, t], spent[:, t], kinds[:, t] = spatial.nights(
                    engaged, stock, rngs, spare
                )
        elif batches is not None:
            launched = [_draw_threats(setup, t, g) for g in rngs]
            defeated = [
                _ew_defeated(setup, x, g, engine) for x, g in zip(launched, rngs, strict=True)
            ]
            threats[:, t], ew[:, t] = np.stack(launched), np.stack(defeated)
            engaged = (threats[:, t] - ew[:, t]).astype(np.int64)
            leakers[:, t], spent[:, t] = batches.nights(engaged, stock, rngs)
        else:
            for r, g in enumerate(rngs):
                night = simulate_night(setup, t, stock[r], g, engine)
                threats[r, t], leakers[r, t], spent[r, t], ew[r, t] = (
                    night.threats,
                    night.leakers,
                    night.spent,
                    night.ew_defeated,
                )
        stock = stock - spent[:, t]
        if np.any(stock < -1e-9):
            raise RuntimeError("interceptor stock went negative")
        stock = np.maximum(stock, 0.0)
        if share and t + 1 < n_t:
            stock = _share(setup, stock, t, bound, transit, delay, shared_out)
        stock_end[:, t] = stock
    out = {
        "threats": threats,
        "leakers": leakers,
        "spent": spent,
        "stock_end": stock_end,
        "ew_defeated": ew,
    }
    if share:
        out |= {"shared_in": shared_in, "shared_out": shared_out}
    if spatial is not None:
        out["leakers_kind"] = kinds
    return out


def _share(  # noqa: PLR0917 - internal
    setup: CampaignSetup,
    stock: F64,
    t: int,
    bound: F64,
    transit: F64,
    delay: int,
    shared_out: F64,
) -> F64:
    """Stocks after night ``t``'s shipments leave; they land before night ``t+1+delay``."""
    from gbad.campaign.sharing import transfers

    assert setup.share_members is not None
    arrive = t + 1 + delay
    if arrive >= setup.nights:  # a shipment landing after the last night helps no one
        return stock
    out = stock.copy()
    for r in range(stock.shape[0]):
        arrivals = setup.deliveries[t + 1 :].astype(float) + transit[r, t + 1 : setup.nights]
        given, received = transfers(stock[r], arrivals, bound[t + 1 :], setup.share_members)
        out[r] -= given
        shared_out[r, t] = given
        transit[r, arrive] += received
    return out


def simulate_campaign(
    setup: CampaignSetup,
    *,
    rng: np.random.Generator | int,
    replications: int = 8,
    engine: str = "numba",
    keep_paths: bool = False,
) -> CampaignResult:
    """Run ``replications`` sample paths of the campaign ``setup`` describes.

    Parameters
    ----------
    setup : CampaignSetup
        From :func:`gbad.campaign.setup.build_setup`.
    rng : numpy.random.Generator or int
        Root of every random draw (see :func:`campaign_seeds`).
    replications : int
        Independent sample paths; means and standard errors are over them.
    engine : {"numba", "numpy", "mean-field"}
        Engagement engine. ``numba`` (the default) and ``numpy`` give identical
        numbers; ``numba`` is about four times faster once compiled (a few seconds
        on first use, then cached). ``mean-field`` is deterministic (use it with
        ``draw="fixed"`` and one replication).
    keep_paths : bool
        Keep the per-replication ``(R, T, A, …)`` arrays in ``result.paths``.
    """
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {ENGINES}, got {engine!r}")
    if replications < 1:
        raise ValueError("replications must be >= 1")
    entropy = int(rng.integers(2**63)) if isinstance(rng, np.random.Generator) else int(rng)
    seeds = campaign_seeds(entropy, replications, setup.nights)
    stack = _run_paths(setup, seeds, engine)
    stock_end = stack["stock_end"]
    empty = (stock_end < 1.0 - 1e-9) & (setup.fire_units[None, None] > 0)
    any_empty = empty.any(axis=1)
    first = np.where(any_empty, empty.argmax(axis=1) + 1, -1).astype(np.int64)
    kept: dict[str, Any] = {"fire_units": setup.fire_units}
    if "shared_in" in stack:  # interceptors shipped between members, per system (mean)
        kept["shared_per_system"] = stack["shared_in"].sum(axis=(1, 2)).mean(axis=0)
    if keep_paths:
        kept.update(stack)
    return CampaignResult(
        nights=setup.nights,
        replications=replications,
        engine=engine,
        seed_entropy=entropy,
        areas=setup.areas,
        systems=setup.systems,
        tiers=setup.tiers,
        classes=THREAT_CLASSES,
        threats_night=stack["threats"].sum(axis=2).mean(axis=0),
        leakers_night=stack["leakers"].sum(axis=2).mean(axis=0),
        spent_night=stack["spent"].sum(axis=2).mean(axis=0),
        produced_night=setup.deliveries.sum(axis=1).astype(float),
        stock_night=stock_end.sum(axis=2).mean(axis=0),
        stock_start=setup.stock0.sum(axis=0).astype(float),
        leakers_area=stack["leakers"].sum(axis=1).mean(axis=0),
        threats_area=stack["threats"].sum(axis=1).mean(axis=0),
        spent_area=stack["spent"].sum(axis=1).mean(axis=0),
        stock_end_area=stock_end[:, -1].mean(axis=0),
        threats_rep=stack["threats"].sum(axis=(1, 2)),
        leakers_rep=stack["leakers"].sum(axis=(1, 2)),
        spent_rep=stack["spent"].sum(axis=(1, 2)),
        stockout_night_rep=first,
        interceptor_cost_musd=setup.interceptor_cost_musd,
        threat_cost_musd=setup.threat_cost_musd,
        leak_targets=setup.leak_targets,
        production_per_year=setup.production_per_year,
        europe_production_per_year=setup.europe_production_per_year,
        missile_line=setup.missile_line,
        ew_defeated_night=stack["ew_defeated"].sum(axis=2).mean(axis=0),
        paths=kept,
        geometry="pooled" if setup.geometry is None else "spatial",
        asset_kinds=() if setup.geometry is None else setup.geometry.kinds,
        leakers_area_kind=None
        if "leakers_kind" not in stack
        else stack["leakers_kind"].sum(axis=1).mean(axis=0),
        notes=setup.notes,
    )


def run_campaign(
    ref: Any,
    scenario: Scenario,
    *,
    industry: Any = None,
    rng: np.random.Generator | int,
    nights: int | None = None,
    replications: int | None = None,
    engine: str = "numba",
    force: pd.DataFrame | None = None,
    year: int | None = None,
    ew_defeat: Mapping[str, float] | None = None,
    fire_units: pd.DataFrame | None = None,
) -> CampaignResult:
    """The campaign stage of the plan: build the scenario's campaign and run it.

    Parameters
    ----------
    ref : Reference
        Reference data (see :func:`gbad.campaign.setup.build_setup`).
    scenario : Scenario
        ``threat``, ``campaign`` and ``engagement`` sections.
    industry : IndustryResult, optional
        Production deliveries that refill the stocks.
    rng : numpy.random.Generator or int
        Root of all randomness; the same state reproduces the result.
    nights, replications : int, optional
        Override ``threat.nights`` and ``campaign.replications``.
    engine : {"numba", "numpy", "mean-field"}
        See :func:`simulate_campaign`.
    force : DataFrame, optional
        The order of battle that fights (:func:`gbad.force.build_force` rows of
        one year); default today's.
    year : int, optional
        Year of the first night (see :func:`gbad.campaign.setup.build_setup`).
    ew_defeat : mapping, optional
        Electronic-warfare defeat probability per class (see ``build_setup``).
    fire_units : DataFrame, optional
        Placed fire units of that year for a spatial campaign (see ``build_setup``).
    """
    setup = build_setup(
        ref,
        scenario,
        industry=industry,
        nights=nights,
        force=force,
        year=year,
        ew_defeat=ew_defeat,
        fire_units=fire_units,
    )
    reps = replications if replications is not None else scenario.campaign.replications
    return simulate_campaign(setup, rng=rng, replications=reps, engine=engine)
