"""Synthetic nightly reports with known defeat rates (for calibration tests)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.special import expit, logit

# family -> (model string, weapon_class, launched range, p_defeated, kinetic share)
TRUTH = {
    "shahed": ("Shahed-136/131", "uav", (20, 200), 0.88, 0.60),
    "recon_uav": ("Orlan-10", "uav", (1, 4), 0.97, 0.95),
    "kh101_kalibr": ("X-101/X-555", "cruise", (5, 40), 0.80, 0.95),
}


def synthetic_reports(
    rng: np.random.Generator,
    *,
    months: int = 24,
    days: int = 20,
    slope: float = 0.0,
    shahed_step: tuple[str, float] | None = None,
    rho: float = 0.0,
) -> pd.DataFrame:
    """Report rows from 2023-01 on: ``days`` nights a month, every family each night.

    ``slope``: true change of the Shahed defeat log-odds per e-fold of launched (about
    the geometric mean raid size 60). ``shahed_step``: (first date, logit step) added to
    the Shahed defeat log-odds from that date. ``rho`` > 0 draws the night's rate from a
    beta distribution with that intra-row correlation (beta-binomial rows).
    """
    rows = []
    for m in range(months):
        year, month = 2023 + m // 12, m % 12 + 1
        for day in range(1, days + 1):
            date = f"{year:04d}-{month:02d}-{day:02d}"
            for fam, (model, wclass, (lo, hi), p_def, kappa) in TRUTH.items():
                n = int(rng.integers(lo, hi + 1))
                eta = float(logit(p_def))
                if fam == "shahed":
                    eta += slope * (np.log(n) - np.log(60.0))
                    if shahed_step is not None and date >= shahed_step[0]:
                        eta += shahed_step[1]
                p = float(expit(eta))
                if rho > 0:
                    conc = 1 / rho - 1
                    p = float(rng.beta(p * conc, (1 - p) * conc))
                defeated = int(rng.binomial(n, p))
                destroyed = int(rng.binomial(defeated, kappa))
                rows.append(
                    {
                        "date": date,
                        "model": model,
                        "weapon_class": wclass,
                        "launched": n,
                        "destroyed": destroyed,
                        "not_reach_goal": defeated - destroyed,
                    }
                )
    return pd.DataFrame(rows)
