r"""Integer apportionment with lower and upper bounds.

Three classical methods share one interface: Hamilton (largest remainders),
Webster (Sainte-Laguë, divisor rounding at :math:`a + 1/2`) and D'Hondt
(Jefferson, divisor rounding at :math:`a + 1`). Every method takes per-party
integer bounds :math:`\ell_i \le a_i \le u_i` so that "hold-harmless" (no ally
below its baseline) and per-ally minima/maxima are honoured exactly. This is
*constrained apportionment* in the sense of Balinski & Young (2001, ch. 5 and
appendix A): the bounded problem is solved directly rather than by rounding the
unconstrained answer and patching it.

Hamilton with bounds
    First the *constrained quotas* are found by water-filling: the unique
    :math:`q_i = \operatorname{clamp}(\lambda w_i, \ell_i, u_i)` with
    :math:`\sum_i q_i = h`. Every ally then gets :math:`\lfloor q_i \rfloor` and the
    :math:`h - \sum_i \lfloor q_i \rfloor` largest remainders get one more. With
    integer bounds the result always satisfies the quota rule with respect to
    :math:`q`, and when no bound binds :math:`q_i = h\,w_i / \sum_j w_j` is the
    ordinary quota.

Divisor methods with bounds
    Start every ally at :math:`\ell_i` and hand out the remaining seats one at a
    time to the ally with the largest priority :math:`w_i / d(a_i)` among those below
    :math:`u_i`, with :math:`d(a) = a + 1` (D'Hondt) or :math:`d(a) = a + 1/2`
    (Webster). At the end there is a common divisor :math:`\lambda` (the last
    priority served) with :math:`a_i = \operatorname{clamp}(r(w_i/\lambda), \ell_i,
    u_i)` for the method's rounding :math:`r`, i.e. the bounded divisor method of
    Balinski & Young. The sequential form makes the methods house monotone.

Ties are broken by larger weight, then by position (deterministic).

References
----------
.. [1] Balinski, M. L. and Young, H. P. (1982; 2nd ed. 2001). *Fair Representation:
   Meeting the Ideal of One Man, One Vote*. Yale University Press / Brookings
   Institution Press. ISBN 0-8157-0111-X.
.. [2] Pukelsheim, F. (2017). *Proportional Representation: Apportionment Methods and
   Their Applications*, 2nd ed. Springer. doi:10.1007/978-3-319-64707-4.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

import numpy as np
import numpy.typing as npt

__all__ = [
    "METHODS",
    "ApportionmentInfeasibleError",
    "ApportionmentResult",
    "Method",
    "apportion",
    "constrained_quotas",
    "dhondt",
    "hamilton",
    "webster",
]

Method = Literal["hamilton", "webster", "dhondt"]
#: Supported method names.
METHODS: tuple[Method, ...] = ("hamilton", "webster", "dhondt")


class ApportionmentInfeasibleError(ValueError):
    """The bounds admit no integer allocation of the house.

    ``side`` is ``"lower"`` when the lower bounds sum above the house and
    ``"upper"`` when the upper bounds sum below it.
    """

    def __init__(self, side: Literal["lower", "upper"], message: str) -> None:
        self.side = side
        super().__init__(message)


@dataclass(frozen=True)
class ApportionmentResult:
    """Seats and the (constrained) quotas they were rounded from.

    Attributes
    ----------
    seats : ndarray of int64
        Integer allocation, sums to the house.
    quotas : ndarray of float64
        Constrained quotas :math:`q_i` (sum to the house, within the bounds).
    method : str
        Method name.
    """

    seats: npt.NDArray[np.int64]
    quotas: npt.NDArray[np.float64]
    method: str


def _bounds(
    n: int, house: int, lower: Sequence[int] | None, upper: Sequence[int] | None
) -> tuple[list[int], list[int]]:
    lo = [0] * n if lower is None else [int(v) for v in lower]
    hi = [house] * n if upper is None else [min(int(v), house) for v in upper]
    if len(lo) != n or len(hi) != n:
        raise ValueError("lower and upper must have one entry per weight")
    if any(v < 0 for v in lo):
        raise ValueError("lower bounds must be non-negative")
    if sum(lo) > house:
        raise ApportionmentInfeasibleError(
            "lower", f"lower bounds sum to {sum(lo)}, above the house of {house}"
        )
    if any(a > b for a, b in zip(lo, hi, strict=True)):
        raise ApportionmentInfeasibleError("upper", "an upper bound is below its lower bound")
    if sum(hi) < house:
        raise ApportionmentInfeasibleError(
            "upper", f"upper bounds sum to {sum(hi)}, below the house of {house}"
        )
    return lo, hi


def _check(weights: Sequence[float], house: int) -> list[Fraction]:
    if house < 0 or int(house) != house:
        raise ValueError("house must be a non-negative integer")
    w = [Fraction(float(x)) for x in weights]
    if any(x < 0 for x in w) or any(not math.isfinite(float(x)) for x in weights):
        raise ValueError("weights must be finite and non-negative")
    return w


def _waterfill(w: list[Fraction], h: Fraction, lo: list[int], hi: list[int]) -> list[Fraction]:
    """Exact clamp(λ w, lo, hi) summing to h over entries with w > 0 (others at lo)."""
    idx = [i for i, x in enumerate(w) if x > 0]

    def total(lam: Fraction) -> Fraction:
        return sum(
            (min(max(lam * w[i], Fraction(lo[i])), Fraction(hi[i])) for i in idx), Fraction(0)
        )

    h = h - sum((Fraction(lo[i]) for i in range(len(w)) if w[i] == 0), Fraction(0))
    points = sorted({Fraction(0)} | {Fraction(b) / w[i] for i in idx for b in (lo[i], hi[i])})
    q = [Fraction(v) for v in lo]
    prev = points[0]
    s_prev = total(prev)
    for lam in points[1:]:
        s = total(lam)
        if s >= h:
            # total() is linear on [prev, lam]: interpolate exactly.
            t = prev if s == s_prev else prev + (lam - prev) * (h - s_prev) / (s - s_prev)
            for i in idx:
                q[i] = min(max(t * w[i], Fraction(lo[i])), Fraction(hi[i]))
            return q
        prev, s_prev = lam, s
    for i in idx:  # every positive weight at its upper bound
        q[i] = Fraction(hi[i])
    return q


def constrained_quotas(
    weights: Sequence[float],
    house: int,
    lower: Sequence[int] | None = None,
    upper: Sequence[int] | None = None,
) -> list[Fraction]:
    r"""Constrained quotas by water-filling, as exact fractions.

    Solves :math:`\sum_i \operatorname{clamp}(\lambda w_i, \ell_i, u_i) = h` for
    :math:`\lambda`. Allies with zero weight stay at their lower bound unless the
    positive-weight allies are all at their upper bounds, in which case the rest
    is shared equally among the zero-weight allies (within their bounds).

    Parameters
    ----------
    weights : sequence of float
        Non-negative key values (need not sum to one).
    house : int
        Seats (fire units) to share.
    lower, upper : sequence of int, optional
        Integer bounds per ally (default 0 and the house).

    Returns
    -------
    list of Fraction
        Quotas summing exactly to ``house``.
    """
    w = _check(weights, house)
    lo, hi = _bounds(len(w), house, lower, upper)
    h = Fraction(house)
    if sum(w) == 0:
        w = [Fraction(1)] * len(w)
    q = _waterfill(w, h, lo, hi)
    rest = h - sum(q, Fraction(0))
    if rest > 0:  # positive-weight allies saturated: fill the zero-weight ones equally
        zero = [i for i, x in enumerate(w) if x == 0]
        eq = [Fraction(1) if i in zero else Fraction(0) for i in range(len(w))]
        hi2 = [hi[i] if i in zero else int(q[i]) for i in range(len(w))]
        lo2 = [lo[i] if i in zero else int(q[i]) for i in range(len(w))]
        q = _waterfill(eq, h, lo2, hi2)
        for i in range(len(w)):
            if i not in zero:
                q[i] = Fraction(lo2[i])
    return q


def hamilton(
    weights: Sequence[float],
    house: int,
    lower: Sequence[int] | None = None,
    upper: Sequence[int] | None = None,
) -> ApportionmentResult:
    """Hamilton (largest-remainder, Hare–Niemeyer) apportionment with bounds.

    Parameters
    ----------
    weights : sequence of float
        Non-negative key values.
    house : int
        Seats to share.
    lower, upper : sequence of int, optional
        Per-ally integer bounds.

    Returns
    -------
    ApportionmentResult

    Notes
    -----
    Satisfies the quota rule with respect to the constrained quotas; it is not
    house monotone (the Alabama paradox, Balinski & Young 2001, ch. 5).

    References
    ----------
    .. [1] Balinski & Young (2001), *Fair Representation*, ch. 5 and appendix A.
    """
    q = constrained_quotas(weights, house, lower, upper)
    seats = [math.floor(x) for x in q]
    rest = house - sum(seats)
    w = [float(x) for x in weights]
    order = sorted(range(len(q)), key=lambda i: (-(q[i] - seats[i]), -w[i], i))
    for i in order[:rest]:
        seats[i] += 1
    return ApportionmentResult(
        np.asarray(seats, dtype=np.int64), np.asarray([float(x) for x in q]), "hamilton"
    )


def _divisor(  # noqa: PLR0917 - private helper behind dhondt/webster
    weights: Sequence[float],
    house: int,
    offset: float,
    name: str,
    lower: Sequence[int] | None,
    upper: Sequence[int] | None,
) -> ApportionmentResult:
    w_exact = _check(weights, house)
    lo, hi = _bounds(len(w_exact), house, lower, upper)
    w = [float(x) for x in weights]
    if sum(w) == 0:
        w = [1.0] * len(w)
    seats = list(lo)
    heap = [(-w[i] / (seats[i] + offset), -w[i], i) for i in range(len(w)) if seats[i] < hi[i]]
    heapq.heapify(heap)
    for _ in range(house - sum(seats)):
        _, negw, i = heapq.heappop(heap)
        seats[i] += 1
        if seats[i] < hi[i]:
            heapq.heappush(heap, (-w[i] / (seats[i] + offset), negw, i))
    q = constrained_quotas(weights, house, lo, hi)
    return ApportionmentResult(
        np.asarray(seats, dtype=np.int64), np.asarray([float(x) for x in q]), name
    )


def dhondt(
    weights: Sequence[float],
    house: int,
    lower: Sequence[int] | None = None,
    upper: Sequence[int] | None = None,
) -> ApportionmentResult:
    """D'Hondt (Jefferson, greatest divisors ``a + 1``) apportionment with bounds.

    Favours large allies; house monotone; may violate upper quota.

    References
    ----------
    .. [1] Balinski & Young (2001), *Fair Representation*, appendix A ("Jefferson").
    """
    return _divisor(weights, house, 1.0, "dhondt", lower, upper)


def webster(
    weights: Sequence[float],
    house: int,
    lower: Sequence[int] | None = None,
    upper: Sequence[int] | None = None,
) -> ApportionmentResult:
    """Webster (Sainte-Laguë, divisors ``a + 1/2``) apportionment with bounds.

    Unbiased between large and small allies; house monotone.

    References
    ----------
    .. [1] Balinski & Young (2001), *Fair Representation*, ch. 9 and appendix A.
    """
    return _divisor(weights, house, 0.5, "webster", lower, upper)


def apportion(
    weights: Sequence[float],
    house: int,
    method: Method = "hamilton",
    lower: Sequence[int] | None = None,
    upper: Sequence[int] | None = None,
) -> ApportionmentResult:
    """Apportion ``house`` seats by ``method`` (``hamilton``, ``webster``, ``dhondt``).

    Raises
    ------
    ValueError
        Unknown method or bad weights.
    ApportionmentInfeasibleError
        The bounds admit no allocation.
    """
    if method == "hamilton":
        return hamilton(weights, house, lower, upper)
    if method == "webster":
        return webster(weights, house, lower, upper)
    if method == "dhondt":
        return dhondt(weights, house, lower, upper)
    raise ValueError(f"unknown apportionment method {method!r}")
