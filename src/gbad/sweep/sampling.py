"""Sampling designs and three-point distributions for uncertainty sweeps.

A sweep draws a design of points in the unit hypercube ``[0, 1)^d`` (plain
random, Latin hypercube or scrambled Sobol) and maps each coordinate through the
inverse CDF of that parameter's three-point distribution (triangular or
Beta-PERT built from its low/mode/high).  Inverse-CDF mapping keeps the
stratification of the design in every marginal.

References
----------
.. [1] Malcolm, D. G., Roseboom, J. H., Clark, C. E., Fazar, W. (1959).
   "Application of a technique for research and development program
   evaluation." Operations Research 7(5): 646-669. doi:10.1287/opre.7.5.646
.. [2] Vose, D. (2008). Risk Analysis: A Quantitative Guide, 3rd ed.
   Wiley. Chapter 9 (PERT and triangular distributions).
.. [3] McKay, M. D., Beckman, R. J., Conover, W. J. (1979). "A comparison of
   three methods for selecting values of input variables in the analysis of
   output from a computer code." Technometrics 21(2): 239-245.
   doi:10.1080/00401706.1979.10489755
.. [4] Sobol', I. M. (1967). "On the distribution of points in a cube and the
   approximate evaluation of integrals." USSR Comput. Math. Math. Phys. 7(4):
   86-112. doi:10.1016/0041-5553(67)90144-9; Owen, A. B. (1998). "Scrambling
   Sobol' and Niederreiter-Xing points." J. Complexity 14(4): 466-489.
"""

from __future__ import annotations

import warnings
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import special
from scipy.stats import qmc

from gbad.errors import GbadInputError

__all__ = [
    "DISTRIBUTIONS",
    "SAMPLERS",
    "Distribution",
    "Sampler",
    "pert_mean",
    "pert_ppf",
    "three_point_ppf",
    "triangular_mean",
    "triangular_ppf",
    "unit_design",
]

Sampler = Literal["random", "lhs", "sobol"]
Distribution = Literal["triangular", "pert"]
SAMPLERS: tuple[Sampler, ...] = ("random", "lhs", "sobol")
DISTRIBUTIONS: tuple[Distribution, ...] = ("triangular", "pert")

#: Weight of the mode in the Beta-PERT mean (a + λm + b)/(λ + 2); λ = 4 is the
#: classic PERT value of Malcolm et al. (1959) [1].
PERT_LAMBDA = 4.0


def _check_three_point(
    low: NDArray[np.float64], mode: NDArray[np.float64], high: NDArray[np.float64]
) -> None:
    if np.any(~np.isfinite(low) | ~np.isfinite(mode) | ~np.isfinite(high)):
        raise GbadInputError("low/mode/high", "must be finite numbers")
    if np.any((low > mode) | (mode > high)):
        raise GbadInputError("low/mode/high", "must satisfy low <= mode <= high")


def triangular_ppf(u: ArrayLike, low: ArrayLike, mode: ArrayLike, high: ArrayLike) -> NDArray:
    r"""Inverse CDF of the triangular distribution on ``[low, high]`` with ``mode``.

    .. math::

        F^{-1}(u) = \begin{cases}
            a + \sqrt{u (b - a)(m - a)} & u < F_c = \frac{m - a}{b - a} \\
            b - \sqrt{(1 - u)(b - a)(b - m)} & u \ge F_c
        \end{cases}

    Parameters
    ----------
    u : array_like
        Probabilities in ``[0, 1]``.
    low, mode, high : array_like
        ``a <= m <= b`` in the parameter's own unit; broadcast against ``u``.
        A degenerate range (``a == b``) returns ``a``.

    Returns
    -------
    numpy.ndarray
        Quantiles, in the unit of ``low``.

    References
    ----------
    Vose, D. (2008). Risk Analysis: A Quantitative Guide, 3rd ed., Wiley, §9.1.
    """
    uu = np.asarray(u, dtype=float)
    a, m, b = (np.asarray(v, dtype=float) for v in (low, mode, high))
    _check_three_point(a, m, b)
    a, m, b, uu = np.broadcast_arrays(a, m, b, uu)
    width = b - a
    with np.errstate(divide="ignore", invalid="ignore"):
        fc = np.where(width > 0, (m - a) / np.where(width > 0, width, 1.0), 0.0)
    left = a + np.sqrt(np.clip(uu * width * (m - a), 0.0, None))
    right = b - np.sqrt(np.clip((1.0 - uu) * width * (b - m), 0.0, None))
    out = np.where(uu < fc, left, right)
    return np.where(width > 0, out, a)


def triangular_mean(low: float, mode: float, high: float) -> float:
    """Mean of the triangular distribution, ``(a + m + b) / 3``."""
    return (low + mode + high) / 3.0


def pert_shape(
    low: ArrayLike, mode: ArrayLike, high: ArrayLike, lam: float = PERT_LAMBDA
) -> tuple[NDArray, NDArray]:
    r"""Beta shape parameters of the Beta-PERT distribution.

    :math:`\alpha = 1 + \lambda \frac{m - a}{b - a}`,
    :math:`\beta = 1 + \lambda \frac{b - m}{b - a}` (Vose 2008, §9.2).
    """
    a, m, b = (np.asarray(v, dtype=float) for v in (low, mode, high))
    width = b - a
    safe = np.where(width > 0, width, 1.0)
    alpha = np.where(width > 0, 1.0 + lam * (m - a) / safe, 1.0)
    beta = np.where(width > 0, 1.0 + lam * (b - m) / safe, 1.0)
    return alpha, beta


def pert_ppf(
    u: ArrayLike,
    low: ArrayLike,
    mode: ArrayLike,
    high: ArrayLike,
    lam: float = PERT_LAMBDA,
) -> NDArray:
    r"""Inverse CDF of the Beta-PERT distribution.

    The PERT distribution of Malcolm et al. (1959) is a Beta distribution
    rescaled to ``[a, b]`` whose mean is :math:`(a + \lambda m + b)/(\lambda + 2)`
    with :math:`\lambda = 4`:

    .. math::

        F^{-1}(u) = a + (b - a)\, I^{-1}_u(\alpha, \beta)

    where :math:`I^{-1}` is the inverse regularised incomplete beta function and
    :math:`\alpha, \beta` are given by :func:`pert_shape`.

    Parameters
    ----------
    u : array_like
        Probabilities in ``[0, 1]``.
    low, mode, high : array_like
        ``a <= m <= b``; a degenerate range returns ``a``.
    lam : float
        Weight of the mode (default 4).

    Returns
    -------
    numpy.ndarray
        Quantiles, in the unit of ``low``.

    References
    ----------
    Malcolm, D. G. et al. (1959), Operations Research 7(5): 646-669,
    doi:10.1287/opre.7.5.646; Vose, D. (2008), Risk Analysis, 3rd ed., §9.2.
    """
    uu = np.asarray(u, dtype=float)
    a, m, b = (np.asarray(v, dtype=float) for v in (low, mode, high))
    _check_three_point(a, m, b)
    alpha, beta = pert_shape(a, m, b, lam)
    a, b, alpha, beta, uu = np.broadcast_arrays(a, b, alpha, beta, uu)
    x = special.betaincinv(alpha, beta, np.clip(uu, 0.0, 1.0))
    return np.where(b > a, a + (b - a) * x, a)


def pert_mean(low: float, mode: float, high: float, lam: float = PERT_LAMBDA) -> float:
    """Mean of the Beta-PERT distribution, ``(a + λ m + b) / (λ + 2)``."""
    return (low + lam * mode + high) / (lam + 2.0)


def three_point_ppf(
    u: ArrayLike,
    low: ArrayLike,
    mode: ArrayLike,
    high: ArrayLike,
    distribution: Distribution = "pert",
) -> NDArray:
    """Inverse CDF of the chosen three-point distribution (``pert`` or ``triangular``)."""
    if distribution == "pert":
        return pert_ppf(u, low, mode, high)
    if distribution == "triangular":
        return triangular_ppf(u, low, mode, high)
    raise GbadInputError("distribution", f"unknown distribution {distribution!r}")


def unit_design(n: int, d: int, sampler: Sampler, rng: np.random.Generator) -> NDArray:
    """Draw ``n`` points in ``[0, 1)^d``.

    Parameters
    ----------
    n : int
        Number of points (samples), at least 1.
    d : int
        Dimension (number of uncertain parameters), at least 0.
    sampler : {"random", "lhs", "sobol"}
        ``random``: independent uniforms; ``lhs``: Latin hypercube (McKay et al.
        1979) via :class:`scipy.stats.qmc.LatinHypercube`; ``sobol``: scrambled
        Sobol' sequence (Sobol' 1967, Owen 1998) via :class:`scipy.stats.qmc.Sobol`.
        Sobol' points balance best when ``n`` is a power of two; other ``n``
        take the first ``n`` points of the sequence.
    rng : numpy.random.Generator
        Source of all randomness (permutations, scrambling).

    Returns
    -------
    numpy.ndarray
        Shape ``(n, d)``.
    """
    if n < 1:
        raise GbadInputError("samples", "must be at least 1")
    if d == 0:
        return np.empty((n, 0))
    if sampler == "random":
        return rng.random((n, d))
    if sampler == "lhs":
        return qmc.LatinHypercube(d=d, rng=rng).random(n)
    if sampler == "sobol":
        engine = qmc.Sobol(d=d, scramble=True, rng=rng)
        m = int(np.ceil(np.log2(n)))
        if 2**m == n:
            return engine.random_base2(m)
        with warnings.catch_warnings():
            # scipy warns that balance needs a power of two; documented above.
            warnings.simplefilter("ignore", UserWarning)
            return engine.random(n)
    raise GbadInputError("sampler", f"unknown sampler {sampler!r}")
