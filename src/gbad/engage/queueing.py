"""Fire channels as a loss (or impatient-waiting) queue, and its steady-state analytics.

A fire unit with ``c`` channels faces a stream of arrivals; each engagement holds one
channel for its holding time. An arrival that finds every channel busy waits at most
``window_s`` for one (``0``: it is lost, the Erlang loss system M/G/c/c).

References
----------
.. [1] Erlang B and its insensitivity to the holding-time distribution:
   tests/reference/validation.md section 2.2 (Octave ``queueing`` ``erlangb``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import numpy as np
import numpy.typing as npt

from gbad.engage.closed_forms import erlang_b

__all__ = [
    "ErlangBApproximation",
    "erlang_b_approximation",
    "loss_system",
    "poisson_arrivals_s",
]

F64 = npt.NDArray[np.float64]
B1 = npt.NDArray[np.bool_]


def poisson_arrivals_s(
    rate_per_min: float, n: int, rng: np.random.Generator, trials: int = 1
) -> F64:
    """Arrival times [s] of ``n`` arrivals of a Poisson stream, shape ``(trials, n)``."""
    if rate_per_min <= 0:
        raise ValueError(f"rate_per_min must be > 0, got {rate_per_min}")
    gaps = rng.exponential(60.0 / rate_per_min, size=(trials, n))
    return np.cumsum(gaps, axis=1)


def _loss_scalar(arrivals: F64, holding: F64, channels: int, window_s: float, out: B1) -> None:
    free = np.full(max(channels, 1), -np.inf)
    for i in range(arrivals.size):
        if channels <= 0:
            out[i] = False
            continue
        ch = 0
        for j in range(1, channels):
            if free[j] < free[ch]:
                ch = j
        start = max(arrivals[i], free[ch])
        if start - arrivals[i] <= window_s:
            free[ch] = start + holding[i]
            out[i] = True
        else:
            out[i] = False


@cache
def _loss_numba() -> Callable[[F64, F64, int, float, B1], None]:
    import numba

    return numba.njit(cache=True)(_loss_scalar)


def loss_system(
    arrivals_s: F64,
    holding_s: F64,
    channels: int,
    *,
    window_s: float = 0.0,
    engine: str = "numpy",
) -> B1:
    """Which arrivals are served by ``channels`` channels (FCFS, earliest free channel).

    Parameters
    ----------
    arrivals_s : (n,) array
        Sorted arrival times [s].
    holding_s : (n,) array
        Holding time of each arrival if served [s].
    channels : int
        Number of channels.
    window_s : float
        Longest wait for a channel [s]; ``0``: lost if all are busy.
    engine : {"numpy", "numba"}
        Plain loop or its compiled version (identical results).

    Returns
    -------
    ndarray of bool
        ``True`` where the arrival was served.
    """
    arrivals = np.ascontiguousarray(arrivals_s, dtype=np.float64)
    holding = np.ascontiguousarray(np.broadcast_to(holding_s, arrivals.shape), dtype=np.float64)
    out = np.empty(arrivals.size, dtype=np.bool_)
    if engine == "numba":
        _loss_numba()(arrivals, holding, int(channels), float(window_s), out)
    elif engine == "numpy":
        _loss_scalar(arrivals, holding, int(channels), float(window_s), out)
    else:
        raise ValueError(f"engine must be 'numpy' or 'numba', got {engine!r}")
    return out


@dataclass(frozen=True)
class ErlangBApproximation:
    """Steady-state (infinite-stream) figures of a saturated single tier."""

    offered_load_erlang: float
    blocking_probability: float
    expected_leakers_steady_state: float
    mean_interceptors_used_steady_state: float


def erlang_b_approximation(
    threats: int,
    kill_probability: float,
    *,
    shots_per_engagement: float,
    arrival_rate_per_min: float,
    engagement_time_s: float,
    channels: int,
) -> ErlangBApproximation:
    r"""Expected leakers of ``N`` Poisson arrivals if each met the steady-state blocking.

    .. math:: E[L] \approx N\,[B(A, c) + (1 - B(A, c))(1 - P_K)], \quad
              A = \lambda S

    Exact in the limit of a long stream; a finite raid that starts with idle channels
    is blocked less often at first, so this slightly overstates the leakers.
    """
    load = arrival_rate_per_min / 60.0 * engagement_time_s
    b = float(erlang_b(load, channels))
    return ErlangBApproximation(
        offered_load_erlang=load,
        blocking_probability=b,
        expected_leakers_steady_state=threats * (b + (1.0 - b) * (1.0 - kill_probability)),
        mean_interceptors_used_steady_state=threats * (1.0 - b) * shots_per_engagement,
    )
