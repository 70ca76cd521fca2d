"""Fast Monte Carlo kernels of the single-tier model with an unlimited magazine.

Model (the one a plain loop over trials, threats and shots implements): each of
``N`` threats is engaged independently; shoot-shoot fires ``K`` shots at once,
shoot-look-shoot fires one at a time until a kill, at most ``K``; each shot kills
with probability ``p``.

The kernels draw aggregate counts instead of single shots, which is exact in
distribution:

- shoot-shoot: leakers ~ Binomial(N, (1-p)^K); interceptors = N K.
- shoot-look-shoot: in round ``j = 1..K`` every threat still alive receives its
  ``j``-th shot; the kills of the round are Binomial(alive, p) because the shots
  are independent. Interceptors = the sum of the alive counts over the rounds;
  leakers = the alive count after round K.

Each trial therefore costs one binomial draw (shoot-shoot) or ``K`` (shoot-look-shoot)
instead of ``N K`` uniforms. The numba versions draw the same variates in the same
order from the same :class:`numpy.random.Generator`, so both engines give identical
results for identical generator states.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

import numpy as np
import numpy.typing as npt

__all__ = ["unlimited_kernel"]

I64 = npt.NDArray[np.int64]


def _ss_numpy(
    rng: np.random.Generator, threats: int, pk: float, shots: int, trials: int
) -> tuple[I64, I64]:
    leak = rng.binomial(threats, (1.0 - pk) ** shots, size=trials).astype(np.int64)
    return leak, np.full(trials, threats * shots, dtype=np.int64)


def _sls_numpy(
    rng: np.random.Generator, threats: int, pk: float, shots: int, trials: int
) -> tuple[I64, I64]:
    alive = np.full(trials, threats, dtype=np.int64)
    used = np.zeros(trials, dtype=np.int64)
    for _ in range(shots):
        used += alive
        alive -= rng.binomial(alive, pk)
    return alive, used


def _ss_scalar(
    rng: np.random.Generator, threats: int, pk: float, shots: int, trials: int
) -> tuple[I64, I64]:
    leak = np.empty(trials, dtype=np.int64)
    used = np.empty(trials, dtype=np.int64)
    q = (1.0 - pk) ** shots
    for t in range(trials):
        leak[t] = rng.binomial(threats, q)
        used[t] = threats * shots
    return leak, used


def _sls_scalar(
    rng: np.random.Generator, threats: int, pk: float, shots: int, trials: int
) -> tuple[I64, I64]:
    alive = np.full(trials, threats, dtype=np.int64)
    used = np.zeros(trials, dtype=np.int64)
    for _ in range(shots):
        for t in range(trials):
            used[t] += alive[t]
            alive[t] -= rng.binomial(alive[t], pk)
    return alive, used


Kernel = Callable[[np.random.Generator, int, float, int, int], tuple[I64, I64]]


@cache
def _numba(name: str) -> Kernel:
    import numba

    func = {"ss": _ss_scalar, "sls": _sls_scalar}[name]
    return numba.njit(cache=True)(func)


def unlimited_kernel(
    rng: np.random.Generator,
    threats: int,
    pk: float,
    shots: int,
    trials: int,
    *,
    look: bool,
    engine: str = "numpy",
) -> tuple[I64, I64]:
    """Leakers and interceptors used per trial, unlimited magazine, no channels.

    Parameters
    ----------
    rng : numpy.random.Generator
        Source of randomness.
    threats, shots, trials : int
        ``N``, ``K`` and the number of trials.
    pk : float
        Single-shot kill probability.
    look : bool
        ``True`` for shoot-look-shoot, ``False`` for shoot-shoot.
    engine : {"numpy", "numba"}
        Vectorised numpy or compiled loop; identical results.

    Returns
    -------
    (leakers, used) : tuple of int arrays of length ``trials``
    """
    name = "sls" if look else "ss"
    if engine == "numpy":
        return (_sls_numpy if look else _ss_numpy)(rng, threats, pk, shots, trials)
    if engine == "numba":
        return _numba(name)(rng, threats, float(pk), shots, trials)
    raise ValueError(f"engine must be 'numpy' or 'numba', got {engine!r}")
