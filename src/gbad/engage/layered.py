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
the same generator state. The numba engine compiles :func:`raid_kernel_scalar`; the
numpy engine runs :func:`raid_kernel_numpy` (vectorised across trials) or, for a few
trials where vectorisation does not pay, :func:`raid_kernel_lists` (the scalar
kernel on Python lists).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = [
    "UnitArrays",
    "raid_kernel_lists",
    "raid_kernel_numpy",
    "raid_kernel_scalar",
    "run_raid_kernel",
]

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]

#: Below this many trials the numpy engine runs the scalar kernel uncompiled.
SCALAR_TRIALS = 4


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
    n_trials, n_threats = times.shape
    n_layers = layer_start.size - 1
    n_units = pk.shape[0]
    cmax = 1
    for v in range(n_units):
        cmax = max(cmax, channels[v])
    free = np.empty((n_units, cmax))
    stock = np.empty(n_units, dtype=np.int64)
    ready = np.empty(n_units, dtype=np.int64)
    reload_until = np.empty(n_units)
    for b in range(n_trials):
        free[:, :] = -np.inf
        for v in range(n_units):
            stock[v] = stock0[v]
            ready[v] = min(ready_cap[v], stock0[v])
            reload_until[v] = -np.inf
        for i in range(n_threats):
            t = times[b, i]
            c = cls[b, i]
            k = shots[c]
            alive = True
            for layer in range(n_layers):
                if not alive or k == 0:
                    break
                best = -1
                best_pk = 0.0
                best_start = 0.0
                best_ch = -1
                for v in range(layer_start[layer], layer_start[layer + 1]):
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
                fired = 0
                killed = False
                if mode == 0:
                    fired = avail
                    for j in range(avail):
                        if u[i, b, layer, j] < best_pk:
                            killed = True
                else:
                    for j in range(avail):
                        fired += 1
                        if u[i, b, layer, j] < best_pk:
                            killed = True
                            break
                ready[v] -= fired
                stock[v] -= fired
                used[b, v] += fired
                if ready[v] == 0 and stock[v] > 0:
                    reload_until[v] = best_start + reload[v]
                    ready[v] = min(ready_cap[v], stock[v])
                if killed:
                    alive = False
            if alive:
                leak[b, c] += 1


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
    """:func:`raid_kernel_scalar` on Python lists, for a few trials without numba.

    Line for line the same model; indexing Python lists is several times faster than
    indexing numpy arrays element by element. Tested equal to the other kernels.
    """
    n_trials, n_threats = times.shape
    n_layers = layer_start.size - 1
    n_units = pk.shape[0]
    starts = layer_start.tolist()
    pk_l = pk.tolist()
    chan = channels.tolist()
    eng_l, reload_l, window_l = eng.tolist(), reload.tolist(), window.tolist()
    shots_l = shots.tolist()
    cap = ready_cap.tolist()
    for b in range(n_trials):
        t_b = times[b].tolist()
        c_b = cls[b].tolist()
        u_b = u[:, b].tolist()
        free = [[-math.inf] * max(1, chan[v]) for v in range(n_units)]
        stock = stock0.tolist()
        ready = [min(cap[v], stock[v]) for v in range(n_units)]
        reload_until = [-math.inf] * n_units
        leak_b = [0] * leak.shape[1]
        used_b = [0] * n_units
        for i in range(n_threats):
            t = t_b[i]
            c = c_b[i]
            k = shots_l[c]
            alive = True
            for layer in range(n_layers):
                if not alive or k == 0:
                    break
                best = -1
                best_pk = 0.0
                best_start = 0.0
                best_ch = -1
                for v in range(starts[layer], starts[layer + 1]):
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
                shot_u = u_b[i][layer]
                fired = 0
                killed = False
                if mode == 0:
                    fired = avail
                    for j in range(avail):
                        if shot_u[j] < best_pk:
                            killed = True
                else:
                    for j in range(avail):
                        fired += 1
                        if shot_u[j] < best_pk:
                            killed = True
                            break
                ready[v] -= fired
                stock[v] -= fired
                used_b[v] += fired
                if ready[v] == 0 and stock[v] > 0:
                    reload_until[v] = best_start + reload_l[v]
                    ready[v] = min(cap[v], stock[v])
                if killed:
                    alive = False
            if alive:
                leak_b[c] += 1
        leak[b] += np.asarray(leak_b, dtype=np.int64)
        used[b] += np.asarray(used_b, dtype=np.int64)


@cache
def _numba_kernel() -> Callable[..., None]:
    import numba

    return numba.njit(cache=True, nogil=True)(raid_kernel_scalar)


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
