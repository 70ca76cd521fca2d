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
5. A threat that survives every layer is a leaker (so is a threat of a class the
   doctrine gives no shot, ``K = 0``: it is not engaged).

The model is written once per engine, on the same arguments: a batch of raids
(items) run in order whose units draw on stock pools (the trials of one raid are
items with pools of their own; the raids of a campaign night are items sharing each
ally's pools).

- :func:`raid_batch_numpy`, the reference implementation: numpy, vectorised across
  the items that can run side by side (items share no pool), item after item where
  they share pools.
- :func:`raid_batch_scalar`, the fast kernel: one loop over items, threats, layers
  and units, compiled by numba (:func:`batch_kernel`).

Both consume pre-drawn uniforms (arrival order, times and shot uniforms come from a
:class:`numpy.random.Generator`, :mod:`gbad.engage.batch`), so the same seed and
engine give the same numbers. The tests compare the engines by their distributions
(means and quantiles within Monte Carlo error), not draw for draw.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = [
    "NO_RELOAD",
    "UnitArrays",
    "batch_kernel",
    "raid_batch_numpy",
    "raid_batch_scalar",
    "run_raid_kernel",
]

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]

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
    their own are independent (the trials of :func:`run_raid_kernel`).

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


def _steps(
    item_set: I64,
    item_pool: I64,
    set_layer_start: I64,
    layer_unit_start: I64,
    unit_pool: I64,
) -> I64:
    """Step of each item: items of one step share no pool; items sharing a pool keep
    their order (each runs in a later step than the one before it)."""
    n_items = item_set.size
    v0 = layer_unit_start[set_layer_start[item_set]]
    v1 = layer_unit_start[set_layer_start[item_set + 1]]
    sizes = v1 - v0
    owner = np.repeat(np.arange(n_items), sizes)
    offset = np.repeat(np.cumsum(sizes) - sizes, sizes)
    units = np.repeat(v0, sizes) + np.arange(owner.size) - offset
    pools = item_pool[owner] + unit_pool[units]
    if np.unique(pools).size == pools.size:
        return np.zeros(n_items, dtype=np.int64)  # no pool shared: all side by side
    step = np.zeros(n_items, dtype=np.int64)
    last: dict[int, int] = {}
    bounds = np.concatenate([[0], np.cumsum(sizes)]).tolist()
    pool_list = pools.tolist()
    for it in range(n_items):
        mine = pool_list[bounds[it] : bounds[it + 1]]
        s = 1 + max((last.get(p, -1) for p in mine), default=-1)
        step[it] = s
        for p in mine:
            last[p] = s
    return step


def raid_batch_numpy(  # noqa: PLR0917 - the kernel's arguments
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
    """The model of :func:`raid_batch_scalar` in numpy, the reference implementation.

    Same arguments and results. Items that share no stock pool run side by side
    (the trials of one raid; the allies of a campaign night), vectorised across
    items; items sharing a pool run in their order. Each item's units are laid out
    in slots ``layer * W + w`` (``W`` the most units of a layer), empty slots having
    no channel.
    """
    n_items = item_set.size
    if n_items == 0:
        return
    n_classes = pk.shape[1]
    if pk.shape[0] == 0:  # no fire unit anywhere: every threat leaks
        owner = np.repeat(np.arange(n_items), np.diff(item_threat_start))
        np.add.at(leak, (owner, cls[: owner.size]), 1)
        return
    step = _steps(item_set, item_pool, set_layer_start, layer_unit_start, unit_pool)
    n_layers_set = set_layer_start[1:] - set_layer_start[:-1]
    layer_sizes = layer_unit_start[1:] - layer_unit_start[:-1]
    w_max = max(1, int(layer_sizes.max()) if layer_sizes.size else 1)
    c_max = max(1, int(channels.max()) if channels.size else 1)
    jj = np.arange(kmax)
    for s in range(int(step.max()) + 1):
        items = np.flatnonzero(step == s)
        n_b = items.size
        rows = np.arange(n_b)
        sets = item_set[items]
        l_max = max(1, int(n_layers_set[sets].max()))
        # Slot table: unit of slot q = layer * w_max + w of each item, -1 if empty.
        slot_unit = np.full((n_b, l_max * w_max), -1, dtype=np.int64)
        for g in range(l_max):
            has = g < n_layers_set[sets]
            if not has.any():
                break  # no item of the step has a layer here (or any layer at all)
            layer = np.where(has, set_layer_start[sets] + g, 0)
            first = layer_unit_start[layer]
            size = np.where(has, layer_unit_start[layer + 1] - first, 0)
            for w in range(w_max):
                ok = w < size
                slot_unit[ok, g * w_max + w] = first[ok] + w
        real = slot_unit >= 0
        unit = np.where(real, slot_unit, 0)
        chan = np.where(real, channels[unit], 0)
        pk_s = np.where(real[:, :, None], pk[unit], 0.0)
        pool = item_pool[items][:, None] + unit_pool[unit]
        stock = np.where(real, pool_stock[np.where(real, pool, 0)], 0)
        cap = ready_cap[unit]
        ready = np.minimum(cap, stock)
        eng_s, reload_s, window_s = eng[unit], reload[unit], window[unit]
        free = np.where(np.arange(c_max)[None, None, :] < chan[:, :, None], -np.inf, np.inf)
        reload_until = np.full(ready.shape, -np.inf)
        used = np.zeros_like(stock)
        leak_b = np.zeros((n_b, n_classes), dtype=np.int64)
        t_first = item_threat_start[items]
        n_threats = item_threat_start[items + 1] - t_first
        u0, du = item_u_start[items], item_u_stride[items]
        for i in range(int(n_threats.max()) if n_b else 0):
            here = i < n_threats
            at = np.where(here, t_first + i, 0)
            t, c = times[at], cls[at]
            k = np.where(here, shots[c], 0)
            alive = here.copy()
            engaged = here & (k > 0)
            base = u0 + i * du
            for g in range(l_max):
                # All units of the layer at once: the feasible one with the highest
                # Pk, the first listed among equals (argmax takes the first maximum).
                on = np.flatnonzero(engaged)
                if on.size == 0:
                    break
                qs = slice(g * w_max, (g + 1) * w_max)
                p = pk_s[on, qs, :][np.arange(on.size), :, c[on]]
                ch = np.argmin(free[on, qs, :], axis=2)
                ready_at = np.take_along_axis(free[on, qs, :], ch[:, :, None], axis=2)[:, :, 0]
                start = np.maximum(np.maximum(t[on, None], ready_at), reload_until[on, qs])
                ok = (
                    (chan[on, qs] > 0)
                    & (p > 0)
                    & (stock[on, qs] > 0)
                    & (start - t[on, None] <= window_s[on, qs])
                )
                score = np.where(ok, p, -1.0)
                w = np.argmax(score, axis=1)
                pick = score[np.arange(on.size), w] > 0
                if not pick.any():
                    continue
                idx, w = on[pick], w[pick]
                qb = g * w_max + w
                best_pk = np.zeros(n_b)
                best_start = np.zeros(n_b)
                best_pk[idx] = p[pick, w]
                best_start[idx] = start[pick, w]
                avail = np.minimum(k[idx], ready[idx, qb])
                free[idx, qb, ch[pick, w]] = best_start[idx] + eng_s[idx, qb]
                draws = u[np.minimum(base[idx, None] + g * kmax + jj, u.size - 1)]
                hit = (draws < best_pk[idx, None]) & (jj < avail[:, None])
                killed = hit.any(axis=1)
                fired = avail if mode == 0 else np.where(killed, np.argmax(hit, axis=1) + 1, avail)
                ready[idx, qb] -= fired
                stock[idx, qb] -= fired
                used[idx, qb] += fired
                need = (ready[idx, qb] == 0) & (stock[idx, qb] > 0)
                if need.any():
                    bi, qi = idx[need], qb[need]
                    reload_until[bi, qi] = best_start[bi] + reload_s[bi, qi]
                    ready[bi, qi] = np.minimum(cap[bi, qi], stock[bi, qi])
                alive[idx[killed]] = False
                engaged[idx[killed]] = False
            np.add.at(leak_b, (rows[alive], c[alive]), 1)
        leak[items] += leak_b
        pool_stock[pool[real]] = stock[real]
        pool_used[pool[real]] += used[real]


@cache
def _numba_batch_kernel() -> Callable[..., None]:
    import numba

    return numba.njit(cache=True, nogil=True)(raid_batch_scalar)


def batch_kernel(engine: str) -> Callable[..., None]:
    """The batch kernel of ``engine``: :func:`raid_batch_scalar` compiled by numba,
    or :func:`raid_batch_numpy`."""
    if engine == "numba":
        return _numba_batch_kernel()
    if engine == "numpy":
        return raid_batch_numpy
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
    """Run one chunk of trials; returns ``(leak[B, C], used[B, U])``.

    ``times, cls`` are ``(B, N)`` (sorted per trial), ``u`` the shot uniforms
    ``(N, B, L, K)``: shot ``j`` of layer ``l`` at threat ``i`` of trial ``b`` is
    ``u[i, b, l, j]``. The trials run as a batch whose items have pools of their own.
    """
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
    _run_trials(batch_kernel(engine), *args)
    return leak, used
