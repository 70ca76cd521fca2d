"""Closed forms of salvo arithmetic, leakage, channel saturation and attrition.

Every function is one published (or, where stated, derived) formula operating on
plain floats. They are the analytic references the Monte Carlo kernels are tested
against (``tests/reference/validation.md`` sections 1, 2 and 6).

Notation: ``pk`` single-shot kill probability, ``p_detect`` the per-target
common-mode factor (detection x tracking x discrimination), ``reliability`` the
per-shot reliability, ``shots`` shots per target, ``threats`` targets in a raid.

References
----------
.. [1] Wilkening, D. A. (2000). "A Simple Model for Calculating Ballistic Missile
   Defense Effectiveness." Science & Global Security 8(2): 183-215.
   doi:10.1080/08929880008426475 (layer formula; as implemented and tested in
   jimjkelly/missile-defense ``src/js/calculations.js``).
.. [2] Erlang, A. K. (1917). "Solution of some problems in the theory of
   probabilities of significance in automatic telephone exchanges." Elektroteknikeren 13.
   (Erlang B; stable recursion as in the Octave ``queueing`` package, ``erlangb``.)
.. [3] Lanchester, F. W. (1916). Aircraft in Warfare: the Dawn of the Fourth Arm.
   Constable, London (square law).
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import TypeVar

__all__ = [
    "at_least_hits_probability",
    "carried_load",
    "erlang_b",
    "erlang_b_min_channels",
    "expected_leakers",
    "interceptors_per_night",
    "lanchester_square_survivors",
    "leaker_distribution",
    "nights_of_supply",
    "p_zero_leakers",
    "replacement_years",
    "salvo_kill_probability",
    "shots_for_defence_effectiveness",
    "sls_expected_interceptors",
    "sls_expected_shots",
]

Num = TypeVar("Num", float, Fraction)


def _check_probability(name: str, value: float) -> None:
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"{name} must be in [0, 1], got {value}")


def salvo_kill_probability(
    pk: float, shots: int, p_detect: float = 1.0, reliability: float = 1.0
) -> float:
    r"""Kill probability of one target engaged by ``shots`` independent interceptors.

    .. math:: P_K = P_d\,[1 - (1 - p\,r)^k]

    The same value holds for shoot-look-shoot with ``shots`` shots in total.

    Parameters
    ----------
    pk : float
        Single-shot kill probability ``p`` [-].
    shots : int
        Shots at the target ``k`` [-].
    p_detect : float
        Common-mode factor ``P_d`` (detection, tracking, discrimination) [-].
    reliability : float
        Per-shot reliability ``r`` [-].

    Returns
    -------
    float
        Probability that the target is killed [-].

    References
    ----------
    Wilkening (2000) [1]_; tests/reference/validation.md cases 1.1-1.9, 2.1.
    """
    _check_probability("pk", pk)
    _check_probability("p_detect", p_detect)
    _check_probability("reliability", reliability)
    if shots < 0:
        raise ValueError(f"shots must be >= 0, got {shots}")
    return p_detect * (1.0 - (1.0 - pk * reliability) ** shots)


def p_zero_leakers(kill_probability: float, threats: int) -> float:
    """Probability that none of ``threats`` independent targets leaks: ``P_K**n``."""
    _check_probability("kill_probability", kill_probability)
    return kill_probability**threats


def expected_leakers(kill_probability: float, threats: int) -> float:
    """Expected leakers of a binomial raid: ``n (1 - P_K)``."""
    _check_probability("kill_probability", kill_probability)
    return threats * (1.0 - kill_probability)


def leaker_distribution(kill_probability: float, threats: int) -> list[float]:
    """``P(j leakers)`` for ``j = 0..n``: Binomial(n, 1 - P_K).

    tests/reference/validation.md 1.2.
    """
    _check_probability("kill_probability", kill_probability)
    q = 1.0 - kill_probability
    return [
        math.comb(threats, j) * q**j * kill_probability ** (threats - j) for j in range(threats + 1)
    ]


def sls_expected_interceptors(
    pk: float, first: int, second: int, p_detect: float = 1.0, reliability: float = 1.0
) -> float:
    r"""Expected interceptors per target, shoot-look-shoot ``first`` then ``second``.

    .. math:: E[I] = P_d\,[k_1 + k_2 (1 - p r)^{k_1}]

    Assumes no shots at untracked targets (tests/reference/validation.md 1.2, derived).
    """
    _check_probability("pk", pk)
    return p_detect * (first + second * (1.0 - pk * reliability) ** first)


def sls_expected_shots(pk: float, max_shots: int) -> float:
    r"""Expected shots per target firing one at a time, up to ``m``, until a kill.

    .. math:: E[I] = \sum_{i=0}^{m-1} (1-p)^i = \frac{1 - (1-p)^m}{p}

    Equals ``m`` when ``p = 0`` (tests/reference/validation.md 2.1, 2.3).
    """
    _check_probability("pk", pk)
    if max_shots < 0:
        raise ValueError(f"max_shots must be >= 0, got {max_shots}")
    if pk == 0.0:
        return float(max_shots)
    return (1.0 - (1.0 - pk) ** max_shots) / pk


def at_least_hits_probability(pk: float, shots: int, hits: int) -> float:
    r"""Probability of at least ``hits`` hits in ``shots`` independent shots.

    .. math:: \sum_{k=r}^{n} \binom{n}{k} p^k (1-p)^{n-k}
    """
    _check_probability("pk", pk)
    return sum(
        math.comb(shots, k) * pk**k * (1.0 - pk) ** (shots - k) for k in range(hits, shots + 1)
    )


def shots_for_defence_effectiveness(
    pk: float,
    threats: int,
    defence_effectiveness: float,
    p_detect: float = 1.0,
    reliability: float = 1.0,
) -> int | None:
    r"""Smallest barrage size per target reaching ``P_0 >= DE`` against ``n`` targets.

    .. math:: k^* = \left\lceil \frac{\ln(1 - DE^{1/n}/P_d)}{\ln(1 - p r)} \right\rceil

    Returns ``None`` when infeasible (``DE^{1/n} >= P_d``: no number of shots beats
    the common-mode factor). Computed as the smallest integer satisfying the
    inequality, which avoids the ceiling's rounding trap at exact integers.

    References
    ----------
    tests/reference/validation.md 1.2 (derived), cases 1.13-1.18.
    """
    _check_probability("pk", pk)
    _check_probability("defence_effectiveness", defence_effectiveness)
    per_target = defence_effectiveness ** (1.0 / threats)
    if per_target >= p_detect:
        return None
    if defence_effectiveness == 0.0:
        return 0
    q = 1.0 - pk * reliability
    if q <= 0.0:
        return 1
    if q >= 1.0:
        return None
    k = max(0, math.ceil(math.log(1.0 - per_target / p_detect) / math.log(q)) - 1)
    while salvo_kill_probability(pk, k, p_detect, reliability) ** threats < defence_effectiveness:
        k += 1
    return k


def erlang_b(offered_load: Num, channels: int) -> Num:
    r"""Erlang B blocking probability of an M/G/c/c loss system.

    .. math:: B(A, c) = \frac{A^c / c!}{\sum_{k=0}^{c} A^k / k!}

    Computed with the stable recursion ``B(A,0)=1``,
    ``B(A,k) = A B(A,k-1) / (k + A B(A,k-1))``. Accepts :class:`fractions.Fraction`
    for exact arithmetic. Blocking depends on the holding-time distribution only
    through its mean (insensitivity).

    Parameters
    ----------
    offered_load : float or Fraction
        ``A = lambda / mu`` [Erlang].
    channels : int
        Number of fire channels ``c``.

    References
    ----------
    Erlang (1917) [2]_; tests/reference/validation.md 2.2, cases 2.4-2.13.
    """
    if offered_load < 0:
        raise ValueError(f"offered_load must be >= 0, got {offered_load}")
    if channels < 0:
        raise ValueError(f"channels must be >= 0, got {channels}")
    b: Num = offered_load * 0 + 1  # 1 of the same type as offered_load
    for k in range(1, channels + 1):
        b = offered_load * b / (k + offered_load * b)
    return b


def erlang_b_min_channels(offered_load: float, max_blocking: float) -> int:
    """Fewest channels with ``B(A, c) <= max_blocking``.

    tests/reference/validation.md 2.14-2.16.
    """
    if not 0.0 < max_blocking <= 1.0:
        raise ValueError(f"max_blocking must be in (0, 1], got {max_blocking}")
    b, c = 1.0, 0
    while b > max_blocking:
        c += 1
        b = offered_load * b / (c + offered_load * b)
    return c


def carried_load(offered_load: float, channels: int) -> float:
    """Mean number of busy channels, ``A (1 - B(A, c))`` (tests/reference/validation.md 2.17)."""
    return offered_load * (1.0 - erlang_b(offered_load, channels))


def lanchester_square_survivors(
    a0: float, b0: float, alpha: float = 1.0, beta: float = 1.0
) -> float:
    r"""Side A's survivors when side B is annihilated under the square law.

    From :math:`dA/dt = -\beta B`, :math:`dB/dt = -\alpha A`,
    :math:`\alpha A^2 - \beta B^2` is constant, so
    :math:`A_{end} = \sqrt{A_0^2 - (\beta/\alpha) B_0^2}` (0 if B wins).

    References
    ----------
    Lanchester (1916) [3]_; tests/reference/validation.md case 2.19.
    """
    rest = a0**2 - (beta / alpha) * b0**2
    return math.sqrt(rest) if rest > 0.0 else 0.0


def interceptors_per_night(
    threats: float, engaged_fraction: float, shots_per_target: float
) -> float:
    """Interceptors fired per night, ``N f s`` (tests/reference/validation.md 6.1, derived)."""
    return threats * engaged_fraction * shots_per_target


def nights_of_supply(stock: float, per_night: float) -> float:
    """Nights a stock lasts at a constant use per night (tests/reference/validation.md 6.2)."""
    return math.inf if per_night == 0 else stock / per_night


def replacement_years(expended: float, per_year: float) -> float:
    """Years of production needed to replace what was expended.

    tests/reference/validation.md 6.5.
    """
    return math.inf if per_year == 0 else expended / per_year
