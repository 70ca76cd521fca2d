"""Many raids in one kernel call: the nights of a campaign, allies side by side.

:func:`simulate_raid` with ``trials=1`` pays its set-up (unit arrays, result
statistics) on every call; a campaign makes tens of thousands of such calls. Here
the raids of a batch (items) are drawn together from one generator
(:func:`draw_batch`: each item's draws distributed as one
``simulate_raid(..., trials=1)`` call's) and run by one call of the engine's kernel
(:func:`gbad.engage.layered.batch_kernel`).

Units draw their interceptors from *stock pools*: each unit of an item names a
pool, read when the item starts and written back when it ends. Items sharing a pool
spend the same stock in turn (an ally's missile raid, then its drone raid on what
is left); :func:`simulate_raids_batch` gives every unit a pool of its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from gbad.engage.layered import F64, I64, NO_RELOAD, batch_kernel
from gbad.engage.model import Doctrine, FireUnit, Raid

__all__ = [
    "RaidBatchResult",
    "UnitSetBuilder",
    "UnitSets",
    "draw_batch",
    "draw_raid",
    "run_raid_batch_arrays",
    "simulate_raids_batch",
    "unit_sets",
]


@dataclass(frozen=True)
class UnitSets:
    """Unit sets (layered defences) flattened for the batch kernel.

    Set ``s`` has layers ``set_layer_start[s]:set_layer_start[s + 1]`` (outer to
    inner); layer ``g`` has units ``layer_unit_start[g]:layer_unit_start[g + 1]``.
    """

    set_layer_start: I64
    layer_unit_start: I64
    pk: F64
    unit_pool: I64
    ready_cap: I64
    channels: I64
    engagement_time_s: F64
    reload_time_s: F64
    window_s: F64

    def n_layers(self, s: int) -> int:
        """Layers of set ``s``."""
        return int(self.set_layer_start[s + 1] - self.set_layer_start[s])


def _set_arrays(
    layers: Sequence[Sequence[FireUnit]], pools: Sequence[int], classes: Sequence[str]
) -> dict[str, Any]:
    units = [unit for layer in layers for unit in layer]
    if len(pools) != len(units) or len(set(pools)) != len(units):
        raise ValueError("every unit of a set needs a pool of its own")
    return {
        "layer_sizes": np.array([len(layer) for layer in layers], dtype=np.int64),
        "pk": np.array(
            [[float(unit.pk.get(c, 0.0)) for c in classes] for unit in units], dtype=np.float64
        ).reshape(len(units), len(classes)),
        "unit_pool": np.array(pools, dtype=np.int64),
        "ready_cap": np.array(
            [u.ready_rounds * u.count if u.ready_rounds > 0 else NO_RELOAD for u in units],
            dtype=np.int64,
        ),
        "channels": np.array([u.channels * u.count for u in units], dtype=np.int64),
        "engagement_time_s": np.array([u.engagement_time_s for u in units], dtype=np.float64),
        "reload_time_s": np.array([u.reload_time_s for u in units], dtype=np.float64),
        "window_s": np.array([u.engagement_window_s for u in units], dtype=np.float64),
    }


class UnitSetBuilder:
    """Unit sets added one at a time (a campaign meets new ones as it goes)."""

    def __init__(self, classes: Sequence[str]) -> None:
        self.classes = tuple(classes)
        self._parts: list[dict[str, Any]] = []
        self._built: UnitSets | None = None

    def add(self, layers: Sequence[Sequence[FireUnit]], pools: Sequence[int]) -> int:
        """Add a set: its layers (outer to inner) and one pool per unit; returns its index."""
        self._parts.append(_set_arrays(layers, pools, self.classes))
        self._built = None
        return len(self._parts) - 1

    def n_layers(self, s: int) -> int:
        """Layers of set ``s``."""
        return int(self._parts[s]["layer_sizes"].size)

    def build(self) -> UnitSets:
        """All sets so far, flattened (cached until the next :meth:`add`)."""
        if self._built is None:
            parts = self._parts
            n_layers = np.array([p["layer_sizes"].size for p in parts], dtype=np.int64)
            sizes = [p["layer_sizes"] for p in parts]
            layer_sizes = np.concatenate(sizes) if sizes else np.zeros(0, dtype=np.int64)
            n_classes = len(self.classes)

            def cat(name: str, empty: Any) -> Any:
                return np.concatenate([p[name] for p in parts]) if parts else empty

            self._built = UnitSets(
                set_layer_start=np.concatenate([[0], np.cumsum(n_layers)]).astype(np.int64),
                layer_unit_start=np.concatenate([[0], np.cumsum(layer_sizes)]).astype(np.int64),
                pk=cat("pk", np.zeros((0, n_classes))),
                unit_pool=cat("unit_pool", np.zeros(0, dtype=np.int64)),
                ready_cap=cat("ready_cap", np.zeros(0, dtype=np.int64)),
                channels=cat("channels", np.zeros(0, dtype=np.int64)),
                engagement_time_s=cat("engagement_time_s", np.zeros(0)),
                reload_time_s=cat("reload_time_s", np.zeros(0)),
                window_s=cat("window_s", np.zeros(0)),
            )
        return self._built


def unit_sets(
    sets: Sequence[tuple[Sequence[Sequence[FireUnit]], Sequence[int]]],
    classes: Sequence[str],
) -> UnitSets:
    """Flatten unit sets: each ``(layers, pools)``, one pool per unit in layer order.

    A unit's magazine is not used: its stock is its pool's. The ``count`` units of
    an entry are pooled as in :func:`gbad.engage.simulate_raid`.
    """
    builder = UnitSetBuilder(classes)
    for layers, pools in sets:
        builder.add(layers, pools)
    return builder.build()


def random_arrivals(
    counts: Sequence[int] | I64, duration_s: float, n_trials: int, rng: np.random.Generator
) -> tuple[F64, I64]:
    """Arrival times ``(B, N)`` (sorted) and classes of a raid, ``B`` realisations.

    Classes in random order, times independent uniforms on ``[0, duration_s]``
    (a Poisson process conditioned on the counts); all at 0 when ``duration_s = 0``.
    """
    base = np.repeat(np.arange(len(counts), dtype=np.int64), counts)
    n = base.size
    rows = base[None, :] if n_trials == 1 else np.broadcast_to(base, (n_trials, n))
    cls = rng.permuted(rows, axis=1)
    if duration_s == 0.0:
        return np.zeros((n_trials, n)), cls
    times = np.sort(rng.random((n_trials, n)) * duration_s, axis=1)
    return times, cls


def draw_raid(
    rng: np.random.Generator,
    counts: Sequence[int] | I64,
    duration_s: float,
    n_layers: int,
    kmax: int,
) -> tuple[F64, I64, F64]:
    """One realisation's draws, in the order :func:`gbad.engage.simulate_raid` makes them.

    Returns arrival times ``(N,)``, classes ``(N,)`` and the shot uniforms, flat,
    ``max(1, n_layers) * kmax`` per threat.
    """
    times, cls = random_arrivals(counts, duration_s, 1, rng)
    n = cls.shape[1]
    u = rng.random(n * max(1, n_layers) * kmax)
    return times[0], cls[0], u


def draw_batch(  # noqa: PLR0917 - the batch's shape and the generator
    rng: np.random.Generator,
    counts: I64,
    n_layers: I64,
    kmax: int,
    duration_s: float,
    engine: str = "numpy",
    restore: bool = True,
) -> tuple[F64, I64, F64]:
    """Draws of a batch of raids, every item at once, in three generator calls.

    Each item's draws have the distribution of :func:`draw_raid`'s: its classes in
    uniformly random order (sorted by independent uniform keys), its arrival times
    sorted independent uniforms on ``[0, duration_s]`` (all 0 when ``duration_s``
    is 0), and ``max(1, n_layers) * kmax`` shot uniforms per threat. The same
    generator state gives the same draws whatever the engine; ``engine`` and
    ``restore`` are accepted so that callers written for earlier versions run
    unchanged, and have no effect.

    Parameters
    ----------
    counts : (I, C) int array
        Threats per item and class.
    n_layers : (I,) int array
        Layers of each item's defence.

    Returns
    -------
    times, cls : (N,) arrays
    u : (M,) array
        Flat, item after item (see :func:`run_raid_batch_arrays`).
    """
    del engine, restore
    counts = np.asarray(counts, dtype=np.int64)
    n_layers = np.asarray(n_layers, dtype=np.int64)
    n_items, n_classes = counts.shape if counts.ndim == 2 else (0, 0)
    per_item = counts.sum(axis=1) if n_items else np.zeros(0, dtype=np.int64)
    item_of = np.repeat(np.arange(n_items, dtype=np.int64), per_item)
    ordered = np.repeat(np.tile(np.arange(n_classes, dtype=np.int64), n_items), counts.ravel())
    # Within each item, sort by a uniform key: item index plus a key in [0, 0.5).
    cls = ordered[np.argsort(item_of + 0.5 * rng.random(item_of.size))]
    if duration_s == 0.0:
        times = np.zeros(item_of.size)
    else:
        raw = rng.random(item_of.size) * duration_s
        times = raw[np.lexsort((raw, item_of))]
    m = int((per_item * np.maximum(n_layers, 1)).sum()) * kmax
    return times, cls, rng.random(m)


def run_raid_batch_arrays(  # noqa: PLR0917 - the batch, its units and the doctrine
    engine: str,
    times: F64,
    cls: I64,
    u: F64,
    item_threats: I64,
    item_set: I64,
    item_pool: I64,
    units: UnitSets,
    shots: I64,
    kmax: int,
    mode: int,
    pool_stock: I64,
) -> tuple[I64, I64]:
    """Run a batch of raids drawn by :func:`draw_batch`; ``pool_stock`` is updated in place.

    Item ``i`` is ``item_threats[i]`` threats meeting unit set ``item_set[i]``,
    its units drawing on the pools ``item_pool[i] + unit_pool``. Returns leakers
    per item and class ``(I, C)`` and interceptors fired per pool.
    """
    item_set = np.ascontiguousarray(item_set, dtype=np.int64)
    n_items = item_set.size
    sizes = units.set_layer_start[1:] - units.set_layer_start[:-1]
    per_threat = np.maximum(sizes[item_set], 1) * kmax
    leak = np.zeros((n_items, shots.size), dtype=np.int64)
    pool_used = np.zeros_like(pool_stock)
    if n_items == 0:
        return leak, pool_used
    n_threats = np.asarray(item_threats, dtype=np.int64)
    threat_start = np.zeros(n_items + 1, dtype=np.int64)
    np.cumsum(n_threats, out=threat_start[1:])
    u_start = np.zeros(n_items, dtype=np.int64)
    np.cumsum((n_threats * per_threat)[:-1], out=u_start[1:])
    batch_kernel(engine)(
        times,
        cls,
        u,
        item_set,
        threat_start,
        u_start,
        per_threat,
        np.ascontiguousarray(item_pool, dtype=np.int64),
        units.set_layer_start,
        units.layer_unit_start,
        units.pk,
        units.unit_pool,
        units.ready_cap,
        units.channels,
        units.engagement_time_s,
        units.reload_time_s,
        units.window_s,
        np.ascontiguousarray(shots, dtype=np.int64),
        int(kmax),
        int(mode),
        pool_stock,
        pool_used,
        leak,
    )
    return leak, pool_used


@dataclass
class RaidBatchResult:
    """One realisation per raid: leakers ``(I, C)`` and interceptors ``(I, S)``."""

    classes: tuple[str, ...]
    systems: tuple[str, ...]
    leakers: I64
    interceptors_used: I64


def simulate_raids_batch(
    raids: Sequence[Raid],
    layers: Sequence[Sequence[Sequence[FireUnit]]],
    doctrine: Doctrine,
    *,
    rng: np.random.Generator,
    engine: str = "numpy",
) -> RaidBatchResult:
    """One realisation of each raid against its own layered defence, in one kernel call.

    Distributed as ``simulate_raid(raids[i], layers[i], doctrine, trials=1,
    engine=engine)`` for ``i = 0, 1, …``; every fire unit starts from its own
    magazine. Raids must share one class list (the keys of
    ``counts``, in order) and draw their arrivals at random (no ``arrival_times_s``).

    Parameters
    ----------
    raids : sequence of Raid
    layers : sequence of layer lists
        ``layers[i]``: the layers (outer to inner) raid ``i`` meets.
    doctrine : Doctrine
    rng : numpy.random.Generator
    engine : {"numpy", "numba"}

    Returns
    -------
    RaidBatchResult
        Leakers per raid and class, interceptors per raid and system (systems in
        order of first appearance).
    """
    if len(raids) != len(layers):
        raise ValueError("one layer list per raid")
    if engine not in ("numpy", "numba"):
        raise ValueError(f"engine must be 'numpy' or 'numba', got {engine!r}")
    classes = tuple(raids[0].counts) if raids else ()
    systems: dict[str, int] = {}
    sets = []
    stock: list[int] = []
    pool_system: list[int] = []
    for raid, defence in zip(raids, layers, strict=True):
        if tuple(raid.counts) != classes or raid.arrival_times_s is not None:
            raise ValueError("raids need the same classes and random arrivals")
        units = [unit for layer in defence for unit in layer]
        sets.append((defence, list(range(len(stock), len(stock) + len(units)))))
        for unit in units:
            stock.append(unit.magazine * unit.count)
            pool_system.append(systems.setdefault(unit.system, len(systems)))
    flat = unit_sets(sets, classes)
    shots = np.array([doctrine.shots_for(c) for c in classes], dtype=np.int64)
    kmax = max(1, int(shots.max()) if shots.size else 1)
    counts = np.array(
        [[raid.counts[c] for c in classes] for raid in raids], dtype=np.int64
    ).reshape(len(raids), len(classes))
    durations = {raid.duration_s for raid in raids}
    items = np.arange(len(raids), dtype=np.int64)
    n_layers = np.array([flat.n_layers(s) for s in range(len(raids))], dtype=np.int64)
    if len(durations) == 1:
        times, cls, u = draw_batch(rng, counts, n_layers, kmax, durations.pop(), engine)
    else:  # one draw call per duration run, in order
        parts = [
            draw_batch(rng, counts[i : i + 1], n_layers[i : i + 1], kmax, r.duration_s, engine)
            for i, r in enumerate(raids)
        ]
        times, cls, u = (np.concatenate(x) for x in zip(*parts, strict=True))
    pool_stock = np.array(stock, dtype=np.int64)
    mode = 0 if doctrine.mode == "shoot-shoot" else 1
    leak, pool_used = run_raid_batch_arrays(
        engine,
        times,
        cls,
        u,
        counts.sum(axis=1),
        items,
        np.zeros_like(items),
        flat,
        shots,
        kmax,
        mode,
        pool_stock,
    )
    used = np.zeros((len(raids), len(systems)), dtype=np.int64)
    item_of_pool = np.repeat(
        np.arange(len(raids)), [len(s[1]) for s in sets] if sets else np.zeros(0, dtype=int)
    )
    np.add.at(used, (item_of_pool, np.array(pool_system, dtype=np.int64)), pool_used)
    return RaidBatchResult(
        classes=classes, systems=tuple(systems), leakers=leak, interceptors_used=used
    )
