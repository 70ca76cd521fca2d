"""Monte Carlo kernel of a raid against a layered defence (numpy and numba engines).

The model, per realisation (trial):

1. Threats arrive at given times (sorted) with given classes and are processed in
   arrival order. Each threat meets the layers outer to inner.
2. In a layer, the threat is engaged by the fire unit (pooled entry) with the highest
   single-shot Pk against its class among those that have interceptors left and can
   start the engagement within their engagement window: the start time is the latest
   of the arrival, the earliest free channel and the end of a reload. Ties go to the
   first unit listed. No feasible unit: the threat passes to the next layer.
3. The engagement holds the chosen channel for the unit's engagement time from its
   start. Shoot-shoot fires ``min(K, ready rounds)`` together; shoot-look-shoot fires
   one at a time until a kill or ``min(K, ready rounds)`` shots. Shot ``j`` kills when
   the uniform ``u[i, trial, layer, j] < pk``.
4. When a unit's ready rounds reach zero and stock remains, it reloads for
   ``reload_time_s`` from the start of the engagement that emptied it.
5. A threat that survives every layer is a leaker.

Both engines consume the same pre-drawn uniforms, so they give identical results for
the same generator state. The model is written once as :func:`raid_batch_scalar`, a
batch of raids (items) run in order whose units draw on stock pools: the trials of
one raid are items with pools of their own (:func:`raid_kernel_scalar`), the raids of
a campaign night are items sharing each ally's pools. The numba engine compiles
:func:`raid_batch_scalar`; the numpy engine runs :func:`raid_kernel_numpy`
(vectorised across trials) or, for a few trials or a batch where vectorisation does
not pay, :func:`raid_batch_lists` (the same kernel on Python lists).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache, partial
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = [
    "NO_RELOAD",
    "UnitArrays",
    "batch_kernel",
    "raid_batch_lists",
    "raid_batch_scalar",
    "raid_kernel_lists",
    "raid_kernel_numpy",
    "raid_kernel_scalar",
    "run_raid_kernel",
]

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]

#: Below this many trials the numpy engine runs the scalar kernel uncompiled.
SCALAR_TRIALS = 4

#: ``ready_cap`` of a unit without reloads (the whole stock is ready).
NO_RELOAD = 2**62


@dataclass(frozen=True)
class UnitArrays:
    """Fire units of all layers flattened into arrays (layers contiguous, outer first)."""

    layer_start: I64
    pk: F64
    stock: I64
    ready_cap: I64
    channels: I64
    engagement_time_s: F64
    reload_time_s: F64
    window_s: F64

    def as_tuple(self) -> tuple[Any, ...]:
        """Arguments of the kernels, in order."""
        return (
            self.layer_start,
            self.pk,
            self.stock,
            self.ready_cap,
            self.channels,
            self.engagement_time_s,
            self.reload_time_s,
            self.window_s,
        )


def raid_batch_scalar(  # noqa: PLR0917 - numba kernels take positional arrays
    times: F64,
    cls: I64,
    u: F64,
    item_set: I64,
    item_threat_start: I64,
    item_u_start: I64,
    item_u_stride: I64,
    item_pool: I64,
    set_layer_start: I64,
    layer_unit_start: I64,
    pk: F64,
    unit_pool: I64,
    ready_cap: I64,
    channels: I64,
    eng: F64,
    reload: F64,
    window: F64,
    shots: I64,
    kmax: int,
    mode: int,
    pool_stock: I64,
    pool_used: I64,
    leak: I64,
) -> None:
    """The kernel: a batch of raids (items), one realisation each, in order.

    Each item is one raid against one unit set; the units draw their interceptors
    from stock pools, read when the item starts and written back when it ends, so
    items sharing a pool see each other's spending (a campaign night: an ally's
    missile raid, then its drone raid on what is left), and items with pools of
    their own are independent (the trials of :func:`raid_kernel_scalar`).

    Parameters
    ----------
    times, cls : (N,) arrays
        Arrival times [s] (sorted within each item) and class indices of the
        threats of all items, item after item.
    u : (M,) array
        Uniforms deciding each shot: shot ``j`` of layer ``l`` at threat ``i`` (the
        item's ``i``-th) is ``u[item_u_start + i * item_u_stride + l * kmax + j]``.
    item_set, item_pool : (I,) arrays
        Unit set of each item and the offset of its pools.
    item_threat_start : (I + 1,) array
        Threats of item ``it`` are ``item_threat_start[it]:item_threat_start[it + 1]``.
    item_u_start, item_u_stride : (I,) arrays
        Where the item's uniforms start and the stride between its threats.
    set_layer_start : (S + 1,) array
        Layers of set ``s`` are ``set_layer_start[s]:set_layer_start[s + 1]``,
        outer to inner.
    layer_unit_start : (total layers + 1,) array
        Units of layer ``g`` are ``layer_unit_start[g]:layer_unit_start[g + 1]``.
    pk : (U, C) array
        Single-shot Pk of unit ``v`` against class ``c``.
    unit_pool : (U,) array
        Pool of unit ``v`` relative to the item's pool offset (distinct within a set).
    ready_cap, channels : (U,) arrays
        Rounds ready at once (``>=`` the stock when there are no reloads) and
        fire channels of each pooled unit.
    eng, reload, window : (U,) arrays
        Engagement, reload and waiting times [s].
    shots : (C,) array
        Maximum shots per class.
    kmax : int
        Uniforms per layer and threat.
    mode : int
        0 shoot-shoot, 1 shoot-look-shoot.
    pool_stock : (P,) array, in and out
        Interceptors of each pool.
    pool_used : (P,) array, output
        Interceptors fired from each pool (added to).
    leak : (I, C) array, output
        Leakers per item and class (added to).
    """
    n_items = item_set.size
    n_units = pk.shape[0]
    cmax = 1
    for v in range(n_units):
        cmax = max(cmax, channels[v])
    free = np.empty((n_units, cmax))
    stock = np.zeros(n_units, dtype=np.int64)
    ready = np.zeros(n_units, dtype=np.int64)
    reload_until = np.empty(n_units)
    for it in range(n_items):
        s = item_set[it]
        l0 = set_layer_start[s]
        n_layers = set_layer_start[s + 1] - l0
        v0 = layer_unit_start[l0]
        v1 = layer_unit_start[l0 + n_layers]
        p0 = item_pool[it]
        for v in range(v0, v1):
            for j in range(channels[v]):
                free[v, j] = -np.inf
            stock[v] = pool_stock[p0 + unit_pool[v]]
            ready[v] = min(ready_cap[v], stock[v])
            reload_until[v] = -np.inf
        first = item_threat_start[it]
        u0 = item_u_start[it]
        du = item_u_stride[it]
        for i in range(first, item_threat_start[it + 1]):
            t = times[i]
            c = cls[i]
            k = shots[c]
            base = u0 + (i - first) * du
            alive = True
            for layer in range(n_layers):
                if not alive or k == 0:
                    break
                best = -1
                best_pk = 0.0
                best_start = 0.0
                best_ch = -1
                for v in range(layer_unit_start[l0 + layer], layer_unit_start[l0 + layer + 1]):
                    p = pk[v, c]
                    if p <= best_pk or stock[v] <= 0 or channels[v] <= 0:
                        continue
                    ch = 0
                    for j in range(1, channels[v]):
                        if free[v, j] < free[v, ch]:
                            ch = j
                    start = max(t, free[v, ch], reload_until[v])
                    if start - t <= window[v]:
                        best = v
                        best_pk = p
                        best_start = start
                        best_ch = ch
                if best < 0:
                    continue
                v = best
                avail = min(k, ready[v])
                free[v, best_ch] = best_start + eng[v]
                shot = base + layer * kmax
                fired = 0
                killed = False
                if mode == 0:
                    fired = avail
                    for j in range(avail):
                        if u[shot + j] < best_pk:
                            killed = True
                else:
                    for j in range(avail):
                        fired += 1
                        if u[shot + j] < best_pk:
                            killed = True
                            break
                ready[v] -= fired
                stock[v] -= fired
                pool_used[p0 + unit_pool[v]] += fired
                if ready[v] == 0 and stock[v] > 0:
                    reload_until[v] = best_start + reload[v]
                    ready[v] = min(ready_cap[v], stock[v])
                if killed:
                    alive = False
            if alive:
                leak[it, c] += 1
        for v in range(v0, v1):
            pool_stock[p0 + unit_pool[v]] = stock[v]


@lru_cache(maxsize=64)
def _trial_items(
    n_trials: int, n_threats: int, per_trial: int, n_units: int
) -> tuple[tuple[I64, ...], I64]:
    """Item arguments of ``n_trials`` trials as a batch, and the units' pools.

    Cached: the kernels only read them.
    """
    items = (
        np.zeros(n_trials, dtype=np.int64),
        np.arange(n_trials + 1, dtype=np.int64) * n_threats,
        np.arange(n_trials, dtype=np.int64) * per_trial,
        np.full(n_trials, n_trials * per_trial, dtype=np.int64),
        np.arange(n_trials, dtype=np.int64) * n_units,
    )
    return items, np.arange(n_units, dtype=np.int64)


def _run_trials(  # noqa: PLR0917 - the signature of the per-trial kernels
    batch_kernel: Callable[..., None],
    times: F64,
    cls: I64,
    u: F64,
    layer_start: I64,
    pk: F64,
    stock0: I64,
    ready_cap: I64,
    channels: I64,
    eng: F64,
    reload: F64,
    window: F64,
    shots: I64,
    mode: int,
    leak: I64,
    used: I64,
) -> None:
    n_trials, n_threats = times.shape
    items, unit_pool = _trial_items(n_trials, n_threats, u.shape[2] * u.shape[3], stock0.size)
    # The trials are items with pools of their own, one set: the raid's layers.
    set_layer_start = np.array([0, layer_start.size - 1], dtype=np.int64)
    pool_stock = np.tile(stock0, n_trials)
    pool_used = np.zeros_like(pool_stock)
    batch_kernel(
        times.ravel(),
        cls.ravel(),
        u.ravel(),
        *items,
        set_layer_start,
        layer_start,
        pk,
        unit_pool,
        ready_cap,
        channels,
        eng,
        reload,
        window,
        shots,
        int(u.shape[3]),
        int(mode),
        pool_stock,
        pool_used,
        leak,
    )
    used += pool_used.reshape(used.shape)


def raid_kernel_scalar(  # noqa: PLR0917 - numba kernels take positional arrays
    times: F64,
    cls: I64,
    u: F64,
    layer_start: I64,
    pk: F64,
    stock0: I64,
    ready_cap: I64,
    channels: I64,
    eng: F64,
    reload: F64,
    window: F64,
    shots: I64,
    mode: int,
    leak: I64,
    used: I64,
) -> None:
    """Trial-by-trial kernel; writes leakers per class and interceptors per unit.

    The trials of one raid run as a batch of :func:`raid_batch_scalar` whose items
    are the trials, each with its own stock pools.

    Parameters
    ----------
    times, cls : (B, N) arrays
        Arrival times [s] (sorted per trial) and class indices of the threats.
    u : (N, B, L, K) array
        Uniforms deciding each shot.
    layer_start : (L + 1,) array
        Units of layer ``l`` are ``layer_start[l]:layer_start[l + 1]``.
    pk : (U, C) array
        Single-shot Pk of unit ``v`` against class ``c``.
    stock0, ready_cap, channels : (U,) arrays
        Interceptors, rounds ready at once (``>= stock0`` when no reloads) and
        channels of each pooled unit.
    eng, reload, window : (U,) arrays
        Engagement, reload and waiting times [s].
    shots : (C,) array
        Maximum shots per class.
    mode : int
        0 shoot-shoot, 1 shoot-look-shoot.
    leak : (B, C) array, output
        Leakers per trial and class (added to).
    used : (B, U) array, output
        Interceptors fired per trial and unit (added to).
    """
    _run_trials(
        raid_batch_scalar,
        times,
        cls,
        u,
        layer_start,
        pk,
        stock0,
        ready_cap,
        channels,
        eng,
        reload,
        window,
        shots,
        mode,
        leak,
        used,
    )


def raid_kernel_numpy(  # noqa: PLR0917 - same signature as the scalar kernel
    times: F64,
    cls: I64,
    u: F64,
    layer_start: I64,
    pk: F64,
    stock0: I64,
    ready_cap: I64,
    channels: I64,
    eng: F64,
    reload: F64,
    window: F64,
    shots: I64,
    mode: int,
    leak: I64,
    used: I64,
) -> None:
    """The model of :func:`raid_kernel_scalar`, vectorised across trials."""
    n_trials, n_threats = times.shape
    n_layers = layer_start.size - 1
    n_units, n_classes = pk.shape
    kmax = u.shape[3]
    cmax = max(1, int(channels.max())) if n_units else 1
    free = np.full((n_trials, n_units, cmax), -np.inf)
    for v in range(n_units):
        free[:, v, channels[v] :] = np.inf
    stock = np.tile(stock0, (n_trials, 1))
    ready = np.tile(np.minimum(ready_cap, stock0), (n_trials, 1))
    reload_until = np.full((n_trials, n_units), -np.inf)
    rows = np.arange(n_trials)
    jj = np.arange(kmax)
    for i in range(n_threats):
        t = times[:, i]
        c = cls[:, i]
        k = shots[c]
        alive = k > 0
        for layer in range(n_layers):
            best = np.full(n_trials, -1)
            best_pk = np.zeros(n_trials)
            best_start = np.zeros(n_trials)
            best_ch = np.zeros(n_trials, dtype=np.int64)
            for v in range(layer_start[layer], layer_start[layer + 1]):
                if channels[v] <= 0:
                    continue
                p = pk[v, c]
                ch = np.argmin(free[:, v, : channels[v]], axis=1)
                start = np.maximum(np.maximum(t, free[rows, v, ch]), reload_until[:, v])
                ok = alive & (p > best_pk) & (stock[:, v] > 0) & (start - t <= window[v])
                best = np.where(ok, v, best)
                best_pk = np.where(ok, p, best_pk)
                best_start = np.where(ok, start, best_start)
                best_ch = np.where(ok, ch, best_ch)
            idx = np.flatnonzero(best >= 0)
            if idx.size == 0:
                continue
            vb = best[idx]
            avail = np.minimum(k[idx], ready[idx, vb])
            free[idx, vb, best_ch[idx]] = best_start[idx] + eng[vb]
            hit = (u[i, idx, layer, :] < best_pk[idx, None]) & (jj < avail[:, None])
            killed = hit.any(axis=1)
            fired = avail if mode == 0 else np.where(killed, np.argmax(hit, axis=1) + 1, avail)
            ready[idx, vb] -= fired
            stock[idx, vb] -= fired
            used[idx, vb] += fired
            need = (ready[idx, vb] == 0) & (stock[idx, vb] > 0)
            if need.any():
                bi, vi = idx[need], vb[need]
                reload_until[bi, vi] = best_start[bi] + reload[vi]
                ready[bi, vi] = np.minimum(ready_cap[vi], stock[bi, vi])
            alive[idx[killed]] = False
        np.add.at(leak, (rows[alive], c[alive]), 1)
    del n_classes


def raid_batch_lists(  # noqa: PLR0917 - same signature as the scalar kernel
    times: F64,
    cls: I64,
    u: F64,
    item_set: I64,
    item_threat_start: I64,
    item_u_start: I64,
    item_u_stride: I64,
    item_pool: I64,
    set_layer_start: I64,
    layer_unit_start: I64,
    pk: F64,
    unit_pool: I64,
    ready_cap: I64,
    channels: I64,
    eng: F64,
    reload: F64,
    window: F64,
    shots: I64,
    kmax: int,
    mode: int,
    pool_stock: I64,
    pool_used: I64,
    leak: I64,
) -> None:
    """:func:`raid_batch_scalar` on Python lists, for a few raids without numba.

    Line for line the same model; indexing Python lists is several times faster than
    indexing numpy arrays element by element. Tested equal to the other kernels.
    """
    t_l, c_l, u_l = times.tolist(), cls.tolist(), u.tolist()
    sets, starts = set_layer_start.tolist(), layer_unit_start.tolist()
    pk_l, pool_of = pk.tolist(), unit_pool.tolist()
    cap, chan = ready_cap.tolist(), channels.tolist()
    eng_l, reload_l, window_l = eng.tolist(), reload.tolist(), window.tolist()
    shots_l = shots.tolist()
    pools = pool_stock.tolist()
    pool_used_l = pool_used.tolist()
    leak_l = leak.tolist()
    bounds = item_threat_start.tolist()
    u_start, u_stride, pool0 = item_u_start.tolist(), item_u_stride.tolist(), item_pool.tolist()
    n_units = len(pk_l)
    free: list[list[float]] = [[] for _ in range(n_units)]
    stock = [0] * n_units
    ready = [0] * n_units
    reload_until = [-math.inf] * n_units
    for it, s in enumerate(item_set.tolist()):
        l0 = sets[s]
        n_layers = sets[s + 1] - l0
        v0, v1 = starts[l0], starts[l0 + n_layers]
        p0 = pool0[it]
        for v in range(v0, v1):
            free[v] = [-math.inf] * max(1, chan[v])
            stock[v] = pools[p0 + pool_of[v]]
            ready[v] = min(cap[v], stock[v])
            reload_until[v] = -math.inf
        leak_it = leak_l[it]
        first = bounds[it]
        u0, du = u_start[it], u_stride[it]
        for i in range(first, bounds[it + 1]):
            t = t_l[i]
            c = c_l[i]
            k = shots_l[c]
            base = u0 + (i - first) * du
            alive = True
            for layer in range(n_layers):
                if not alive or k == 0:
                    break
                best = -1
                best_pk = 0.0
                best_start = 0.0
                best_ch = -1
                for v in range(starts[l0 + layer], starts[l0 + layer + 1]):
                    p = pk_l[v][c]
                    if p <= best_pk or stock[v] <= 0 or chan[v] <= 0:
                        continue
                    fv = free[v]
                    ch = 0
                    for j in range(1, chan[v]):
                        if fv[j] < fv[ch]:
                            ch = j
                    start = max(t, fv[ch], reload_until[v])
                    if start - t <= window_l[v]:
                        best = v
                        best_pk = p
                        best_start = start
                        best_ch = ch
                if best < 0:
                    continue
                v = best
                avail = min(k, ready[v])
                free[v][best_ch] = best_start + eng_l[v]
                shot = base + layer * kmax
                fired = 0
                killed = False
                if mode == 0:
                    fired = avail
                    for j in range(avail):
                        if u_l[shot + j] < best_pk:
                            killed = True
                else:
                    for j in range(avail):
                        fired += 1
                        if u_l[shot + j] < best_pk:
                            killed = True
                            break
                ready[v] -= fired
                stock[v] -= fired
                pool_used_l[p0 + pool_of[v]] += fired
                if ready[v] == 0 and stock[v] > 0:
                    reload_until[v] = best_start + reload_l[v]
                    ready[v] = min(cap[v], stock[v])
                if killed:
                    alive = False
            if alive:
                leak_it[c] += 1
        for v in range(v0, v1):
            pools[p0 + pool_of[v]] = stock[v]
    pool_stock[:] = pools
    pool_used[:] = pool_used_l
    leak[:] = np.asarray(leak_l, dtype=np.int64).reshape(leak.shape)


def raid_kernel_lists(  # noqa: PLR0917 - same signature as the scalar kernel
    times: F64,
    cls: I64,
    u: F64,
    layer_start: I64,
    pk: F64,
    stock0: I64,
    ready_cap: I64,
    channels: I64,
    eng: F64,
    reload: F64,
    window: F64,
    shots: I64,
    mode: int,
    leak: I64,
    used: I64,
) -> None:
    """:func:`raid_kernel_scalar` on Python lists (:func:`raid_batch_lists`)."""
    _run_trials(
        raid_batch_lists,
        times,
        cls,
        u,
        layer_start,
        pk,
        stock0,
        ready_cap,
        channels,
        eng,
        reload,
        window,
        shots,
        mode,
        leak,
        used,
    )


@cache
def _numba_batch_kernel() -> Callable[..., None]:
    import numba

    return numba.njit(cache=True, nogil=True)(raid_batch_scalar)


@cache
def _numba_kernel() -> Callable[..., None]:
    """:func:`raid_kernel_scalar` running the compiled batch kernel."""
    return partial(_run_trials, _numba_batch_kernel())


def batch_kernel(engine: str) -> Callable[..., None]:
    """The batch kernel of ``engine`` (``numba`` compiled, ``numpy`` on lists)."""
    if engine == "numba":
        return _numba_batch_kernel()
    if engine == "numpy":
        return raid_batch_lists
    raise ValueError(f"engine must be 'numpy' or 'numba', got {engine!r}")


def run_raid_kernel(  # noqa: PLR0917 - internal, mirrors the kernels
    engine: str,
    times: F64,
    cls: I64,
    u: F64,
    units: UnitArrays,
    shots: I64,
    mode: int,
    n_classes: int,
) -> tuple[I64, I64]:
    """Run one chunk of trials; returns ``(leak[B, C], used[B, U])``."""
    n_trials = times.shape[0]
    leak = np.zeros((n_trials, n_classes), dtype=np.int64)
    used = np.zeros((n_trials, units.pk.shape[0]), dtype=np.int64)
    args = (
        np.ascontiguousarray(times, dtype=np.float64),
        np.ascontiguousarray(cls, dtype=np.int64),
        np.ascontiguousarray(u, dtype=np.float64),
        *units.as_tuple(),
        np.ascontiguousarray(shots, dtype=np.int64),
        int(mode),
        leak,
        used,
    )
    if engine == "numba":
        _numba_kernel()(*args)
    elif engine == "numpy":
        if n_trials < SCALAR_TRIALS:
            raid_kernel_lists(*args)
        else:
            raid_kernel_numpy(*args)
    else:
        raise ValueError(f"engine must be 'numpy' or 'numba', got {engine!r}")
    return leak, used
