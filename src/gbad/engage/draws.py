"""A batch's arrival and shot draws in compiled code, equal to numpy's, draw for draw.

:func:`gbad.engage.batch.draw_raid` draws each raid with three calls of a
:class:`numpy.random.Generator` (``permuted`` for the order of the classes,
``random`` for the arrival times, ``random`` for the shot uniforms); a campaign
night has dozens of raids, and these small calls cost far more than the kernel.
:func:`draws_from_raw` makes the same draws for a whole batch from the bit
generator's raw 64-bit outputs (:meth:`numpy.random.BitGenerator.random_raw`),
with NumPy's algorithms (``numpy/random/src/distributions``):

- a double is ``(x >> 11) * 2**-53`` of the next output;
- ``permuted`` is a Fisher–Yates shuffle, ``j = random_interval(i)`` for
  ``i = n-1, …, 1``: the smallest bit mask covering ``i`` applied to 32-bit
  draws until the value is at most ``i`` (rejection sampling);
- 32-bit draws use each 64-bit output twice, low half first, the high half kept
  for the next (PCG64's ``has_uint32``/``uinteger`` state).

Tests compare every draw with the Generator's own calls. Only PCG64 (NumPy's
default) is supported; :func:`gbad.engage.batch.draw_batch` falls back to the
Generator's methods otherwise.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

import numpy as np
import numpy.typing as npt

__all__ = ["draws_from_raw"]

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
U64 = npt.NDArray[np.uint64]

#: 2**-53, NumPy's factor from 53 random bits to a double in [0, 1).
DOUBLE_FACTOR = 1.0 / 9007199254740992.0


def draws_from_raw(  # noqa: PLR0917 - numba kernels take positional arrays
    raw: U64,
    has32: int,
    uinteger: np.uint64,
    counts: I64,
    n_layers: I64,
    kmax: int,
    duration_s: float,
    times: F64,
    cls: I64,
    u: F64,
) -> tuple[int, int, np.uint64]:
    """Draw a batch's arrivals and shot uniforms from raw generator outputs.

    Parameters
    ----------
    raw : (R,) uint64 array
        The bit generator's next outputs.
    has32, uinteger : int, uint64
        Its buffered 32-bit half (``has_uint32`` and ``uinteger`` of its state).
    counts : (I, C) array
        Threats per item and class.
    n_layers : (I,) array
        Layers each item meets (uniforms per threat: ``max(1, n_layers) * kmax``).
    kmax : int
    duration_s : float
        Arrival window; ``0`` draws no times (all arrive at 0).
    times, cls : (N,) arrays, output
        Sorted arrival times [s] and classes of each item's threats, item after item.
    u : (M,) array, output
        Shot uniforms, item after item, ``(n, max(1, L), kmax)`` each.

    Returns
    -------
    (used, has32, uinteger)
        Raw outputs consumed (``-1`` if ``raw`` ran out: call again with more)
        and the 32-bit buffer afterwards.
    """
    n_raw = raw.size
    pos = 0
    t0 = 0
    m0 = 0
    n_items, n_classes = counts.shape
    low = np.uint64(0xFFFFFFFF)
    for it in range(n_items):
        n = 0
        for c in range(n_classes):
            for _ in range(counts[it, c]):
                cls[t0 + n] = c
                n += 1
        for i in range(n - 1, 0, -1):
            bound = np.uint64(i)
            mask = bound
            mask |= mask >> np.uint64(1)
            mask |= mask >> np.uint64(2)
            mask |= mask >> np.uint64(4)
            mask |= mask >> np.uint64(8)
            mask |= mask >> np.uint64(16)
            mask |= mask >> np.uint64(32)
            while True:
                if has32:
                    word = uinteger
                    has32 = 0
                else:
                    if pos >= n_raw:
                        return -1, has32, uinteger
                    nxt = raw[pos]
                    pos += 1
                    uinteger = nxt >> np.uint64(32)
                    has32 = 1
                    word = nxt & low
                value = word & mask
                if value <= bound:
                    break
            j = t0 + int(value)
            swap = cls[t0 + i]
            cls[t0 + i] = cls[j]
            cls[j] = swap
        if duration_s != 0.0:
            if pos + n > n_raw:
                return -1, has32, uinteger
            for i in range(n):
                times[t0 + i] = float(raw[pos + i] >> np.uint64(11)) * DOUBLE_FACTOR * duration_s
            pos += n
            times[t0 : t0 + n] = np.sort(times[t0 : t0 + n])
        else:
            times[t0 : t0 + n] = 0.0
        m = n * max(1, n_layers[it]) * kmax
        if pos + m > n_raw:
            return -1, has32, uinteger
        for k in range(m):
            u[m0 + k] = float(raw[pos + k] >> np.uint64(11)) * DOUBLE_FACTOR
        pos += m
        t0 += n
        m0 += m
    return pos, has32, uinteger


@cache
def numba_draws() -> Callable[..., tuple[int, int, np.uint64]]:
    """:func:`draws_from_raw` compiled."""
    import numba

    return numba.njit(cache=True, nogil=True)(draws_from_raw)
