"""Exact distribution of a single-tier engagement with a limited magazine.

Threats are engaged in arrival order; a threat gets ``min(K, m)`` shots when ``m``
interceptors are left (shoot-shoot fires them together, shoot-look-shoot one at a
time until a kill). A dynamic programme over the interceptors left gives exact
``P(no leaker)``, ``E[leakers]`` and ``E[interceptors used]`` in
``O(N M K)`` operations (vectorised over ``m``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["MagazineOutcome", "magazine_exact"]


@dataclass(frozen=True)
class MagazineOutcome:
    """Exact single-tier outcome with a limited magazine."""

    p_zero_leakers: float
    expected_leakers: float
    mean_interceptors_used: float


def _shift_into(out: np.ndarray, mass: np.ndarray, shots: int) -> None:
    """Add ``mass[m]`` to ``out[m - min(shots, m)]``: m >= K moves by K, m < K to 0."""
    size = mass.size
    k = min(shots, size)
    out[: size - k] += mass[k:]
    out[0] += mass[:k].sum()


def magazine_exact(
    threats: int, pk: float, shots: int, interceptors: int, *, look: bool
) -> MagazineOutcome:
    """Exact outcome by dynamic programming over interceptors left.

    Parameters
    ----------
    threats : int
        ``N`` threats, engaged in arrival order.
    pk : float
        Single-shot kill probability.
    shots : int
        Maximum shots per threat ``K``.
    interceptors : int
        Magazine ``M``.
    look : bool
        ``True`` for shoot-look-shoot, ``False`` for shoot-shoot.

    Notes
    -----
    ``dist[m]`` is the probability that ``m`` interceptors are left, ``clean[m]`` the
    probability of that and no leaker so far. For a threat meeting ``m`` left,
    ``a = min(K, m)``; it is killed at shot ``j <= a`` with probability
    ``q^{j-1} p`` using ``j`` (shoot-look-shoot) or ``a`` (shoot-shoot) interceptors,
    and leaks with probability ``q^a`` using ``a``.
    """
    if not 0.0 <= pk <= 1.0:
        raise ValueError(f"pk must be in [0, 1], got {pk}")
    if threats < 0 or shots < 0 or interceptors < 0:
        raise ValueError("threats, shots and interceptors must be >= 0")
    q = 1.0 - pk
    size = interceptors + 1
    m = np.arange(size)
    leak_p = q ** np.minimum(shots, m)
    dist = np.zeros(size)
    dist[interceptors] = 1.0
    clean = dist.copy()
    expected_leakers = 0.0
    for _ in range(threats):
        expected_leakers += float(dist @ leak_p)
        new = np.zeros(size)
        new_clean = np.zeros(size)
        _shift_into(new, dist * leak_p, shots)  # leak: a = min(K, m) used
        if look:
            for j in range(1, min(shots, interceptors) + 1):
                w = q ** (j - 1) * pk  # killed at shot j (needs m >= j)
                new[: size - j] += dist[j:] * w
                new_clean[: size - j] += clean[j:] * w
        else:
            kill = 1.0 - leak_p
            _shift_into(new, dist * kill, shots)
            _shift_into(new_clean, clean * kill, shots)
        dist, clean = new, new_clean
    return MagazineOutcome(
        p_zero_leakers=float(clean.sum()),
        expected_leakers=expected_leakers,
        mean_interceptors_used=float(interceptors - dist @ m),
    )
