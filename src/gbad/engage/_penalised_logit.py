r"""Penalised beta-binomial logit fits behind :mod:`gbad.engage.calibrate`.

One class and stage: rows with ``n`` trials and ``y`` successes, logit = month level
(Gaussian random walk) + family offset (normal prior) + a few dense terms (normal
priors); each row's binomial log-likelihood weighted by :math:`1/(1+(n-1)\rho)` (the
beta-binomial variance inflation, a quasi-likelihood) with :math:`\rho` re-estimated
by moments. The mode is found by damped Newton steps on the (convex) objective.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.special import betaln, expit, gammaln, log_expit

__all__ = [
    "Hyper",
    "beta_binomial_interval",
    "fit_stage",
    "moment_rho",
    "weighted_percentiles",
]


@dataclass(frozen=True)
class Hyper:
    """Prior scales of the fit (logit scale).

    Attributes
    ----------
    level_step_sd : float
        Sd of the monthly random-walk step of the class level (0.15: the defeat odds
        of a class drift by about 15 % a month unless the data say otherwise).
    family_sd : float
        Sd of a family's offset from its class (1.0: families differ by up to a few
        e-folds in odds).
    slope_sd : float
        Sd of the saturation slope per e-fold of raid size.
    level0_sd : float
        Sd of the first month's level around 0 (weak).
    era_sd : float
        Sd of the step at the month the reports start to give EW losses (weak: the
        kinetic share of drones defeated fell from about 1 to about 0.6 at once).
    """

    level_step_sd: float = 0.3
    family_sd: float = 2.0
    slope_sd: float = 0.05
    level0_sd: float = 3.0
    era_sd: float = 2.0


def fit_stage(
    n: np.ndarray,
    y: np.ndarray,
    month: np.ndarray,
    fam: np.ndarray,
    x: np.ndarray,
    *,
    era: np.ndarray,
    n_months: int,
    n_fam: int,
    hyper: Hyper,
) -> dict[str, Any]:
    """Posterior mode of one class and stage (see the module docstring)."""
    total = float(n.sum())
    ratio = float(np.clip(y.sum() / total, 1e-3, 1 - 1e-3)) if total > 0 else 0.5
    n_par = n_months + n_fam + 3
    design = _Design(month, fam, np.column_stack([era, era * x, x]), n_months, n_fam)
    # Prior precision: random walk on the levels, independent family offsets and slope.
    prec = np.zeros((n_par, n_par))
    step = np.diff(np.eye(n_months), axis=0)
    prec[:n_months, :n_months] = step.T @ step / hyper.level_step_sd**2
    prec[0, 0] += 1.0 / hyper.level0_sd**2
    idx = np.arange(n_months, n_months + n_fam)
    prec[idx, idx] = 1.0 / hyper.family_sd**2
    prec[-3, -3] = 1.0 / hyper.era_sd**2
    prec[-2, -2] = 1.0 / hyper.slope_sd**2
    prec[-1, -1] = 1.0 / hyper.slope_sd**2
    theta = np.zeros(n_par)
    theta[:n_months] = math.log(ratio / (1 - ratio))
    rho = 0.0
    for _ in range(3):
        w = 1.0 / (1.0 + (n - 1.0) * rho)
        theta = _newton(design, prec, n, y, w, theta=theta)
        rho = moment_rho(n, y, expit(design.dot(theta)))
    return {
        "levels": [float(v) for v in theta[:n_months]],
        "offsets": theta[n_months : n_months + n_fam],
        "log_size_slope": float(theta[-1]),
        "ew_era_step": float(theta[-3]),
        "ew_era_slope_change": float(theta[-2]),
        "rho": rho,
        "rows": int(n.size),
        "trials": float(n.sum()),
        "pooled_ratio": float(y.sum() / total) if total > 0 else None,
    }


@dataclass(frozen=True)
class _Design:
    """Design matrix [month one-hot | family one-hot | dense columns], kept sparse.

    Products go through ``bincount`` rather than BLAS: the matrices are small and a
    threaded BLAS on a busy machine is slower than the plain loops.
    """

    month: np.ndarray
    fam: np.ndarray
    dense: np.ndarray
    n_months: int
    n_fam: int

    def dot(self, theta: np.ndarray) -> np.ndarray:
        m, f = self.n_months, self.n_fam
        coef = theta[m + f :]
        out = theta[:m][self.month] + theta[m : m + f][self.fam]
        for j in range(coef.size):
            out = out + coef[j] * self.dense[:, j]
        return np.asarray(out)

    def tdot(self, r: np.ndarray) -> np.ndarray:
        return np.concatenate(
            [
                np.bincount(self.month, r, minlength=self.n_months),
                np.bincount(self.fam, r, minlength=self.n_fam),
                [float((self.dense[:, j] * r).sum()) for j in range(self.dense.shape[1])],
            ]
        )

    def gram(self, h: np.ndarray) -> np.ndarray:
        m, f, k = self.n_months, self.n_fam, self.dense.shape[1]
        g = np.zeros((m + f + k, m + f + k))
        g[:m, :m] = np.diag(np.bincount(self.month, h, minlength=m))
        g[m : m + f, m : m + f] = np.diag(np.bincount(self.fam, h, minlength=f))
        cross = np.bincount(self.month * f + self.fam, h, minlength=m * f).reshape(m, f)
        g[:m, m : m + f] = cross
        g[m : m + f, :m] = cross.T
        for j in range(k):
            hd = h * self.dense[:, j]
            col = np.concatenate(
                [np.bincount(self.month, hd, minlength=m), np.bincount(self.fam, hd, minlength=f)]
            )
            g[: m + f, m + f + j] = col
            g[m + f + j, : m + f] = col
            for i in range(k):
                g[m + f + i, m + f + j] = float((hd * self.dense[:, i]).sum())
        return g


def _objective(
    design: _Design, prec: np.ndarray, n: np.ndarray, y: np.ndarray, w: np.ndarray,
    *, theta: np.ndarray,
) -> float:  # fmt: skip
    eta = design.dot(theta)
    nll = (w * (-y * log_expit(eta) - (n - y) * log_expit(-eta))).sum()
    return float(nll + 0.5 * theta @ prec @ theta)


def _newton(
    design: _Design, prec: np.ndarray, n: np.ndarray, y: np.ndarray, w: np.ndarray,
    *, theta: np.ndarray,
) -> np.ndarray:  # fmt: skip
    """Mode of the (convex) penalised weighted binomial log-likelihood by damped Newton."""
    value = _objective(design, prec, n, y, w, theta=theta)
    for _ in range(100):
        p = expit(design.dot(theta))
        grad = design.tdot(w * (n * p - y)) + prec @ theta
        hess = design.gram(w * n * p * (1 - p)) + prec
        delta = np.linalg.solve(hess, grad)
        t = 1.0
        while True:
            cand = theta - t * delta
            new = _objective(design, prec, n, y, w, theta=cand)
            if new <= value + 1e-12 * abs(value) or t < 1e-6:
                break
            t *= 0.5
        theta, done = cand, value - new < 1e-10 * max(abs(value), 1.0)
        value = new
        if done and np.abs(t * delta).max() < 1e-7:
            break
    return theta


def moment_rho(n: np.ndarray, y: np.ndarray, p: np.ndarray) -> float:
    """Moment estimate of the beta-binomial intra-row correlation, in [0.001, 0.5]."""
    v = n * p * (1.0 - p)
    denom = float((v * (n - 1.0)).sum())
    if denom <= 0:
        return 1e-3
    return float(np.clip((((y - n * p) ** 2 - v).sum()) / denom, 1e-3, 0.5))


def weighted_percentiles(
    values: np.ndarray, weights: np.ndarray, qs: tuple[float, ...]
) -> list[float]:
    order = np.argsort(values, kind="stable")
    v, w = values[order], weights[order]
    cum = np.cumsum(w) / w.sum()
    return [float(v[min(int(np.searchsorted(cum, q)), v.size - 1)]) for q in qs]


def beta_binomial_interval(
    n: np.ndarray, p: np.ndarray, rho: np.ndarray, quantiles: tuple[float, float] = (0.1, 0.9)
) -> tuple[np.ndarray, np.ndarray]:
    """Quantiles of BetaBin(n, mean p, intra-row correlation rho), vectorised.

    The beta-binomial with :math:`\\alpha = p(1/\\rho - 1)`,
    :math:`\\beta = (1-p)(1/\\rho - 1)` has mean :math:`np` and variance
    :math:`np(1-p)(1+(n-1)\\rho)`.
    """
    n_int = np.maximum(np.rint(n), 0).astype(np.int64)
    pc = np.clip(p, 1e-9, 1 - 1e-9)
    conc = 1.0 / np.clip(rho, 1e-6, 1 - 1e-6) - 1.0
    a, b = pc * conc, (1 - pc) * conc
    low = np.zeros(n_int.size)
    high = np.zeros(n_int.size)
    # pmf over k = 0..max n for all rows at once, in chunks to bound memory.
    k = np.arange(int(n_int.max(initial=0)) + 1, dtype=np.float64)
    for lo in range(0, n_int.size, 512):
        sl = slice(lo, lo + 512)
        nn, aa, bb = (v[sl, None] for v in (n_int.astype(np.float64), a, b))
        valid = k[None, :] <= nn
        kk = np.minimum(k[None, :], nn)
        log_pmf = (
            gammaln(nn + 1) - gammaln(kk + 1) - gammaln(nn - kk + 1)
            + betaln(kk + aa, nn - kk + bb) - betaln(aa, bb)
        )  # fmt: skip
        cdf = np.cumsum(np.where(valid, np.exp(log_pmf), 0.0), axis=1)
        cdf = cdf / cdf[np.arange(cdf.shape[0]), n_int[sl]][:, None]
        low[sl] = np.minimum(((cdf < quantiles[0] - 1e-12) & valid).sum(axis=1), n_int[sl])
        high[sl] = np.minimum(((cdf < quantiles[1] - 1e-12) & valid).sum(axis=1), n_int[sl])
    return low, high
