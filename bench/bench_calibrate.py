"""Defeat-model benchmark: backtest tables, calibration plot and fit speed, one run.

1. Time-forward backtests on the embedded reports (cuts 2024-01-01 ... 2025-04-01,
   three months scored after each): MAE per report row, log loss, interval coverage,
   against the pooled and last-six-months ratios (markdown tables on stdout, as in
   docs/calibration.md and bench/RESULTS.md).
2. Calibration plot (predicted against reported defeated per row, by decile of raid
   size, all cuts pooled): ``docs/img/calibration_deciles.png`` with ``--plot``.
3. Speed: one fit of the drone defeat stage by gbad's structured Newton steps against
   scipy's L-BFGS-B on the same penalised objective and gradient (same optimum
   checked), and the whole ``fit_model`` on the embedded reports.

Run: ``.venv/bin/python bench/bench_calibrate.py [--plot]``.
"""

from __future__ import annotations

import os
import platform
import sys
import time
from pathlib import Path

import numpy as np
from scipy.optimize import minimize
from scipy.special import expit

from gbad.engage import _penalised_logit as pl
from gbad.engage import calibrate as cal
from gbad.engage.backtest import DEFAULT_CUTS, backtest, format_tables
from gbad.reference import load_table

ROOT = Path(__file__).resolve().parents[1]


def best_of(fn, repeat: int = 5) -> float:
    """Least CPU time of ``fn`` over ``repeat`` runs [s]."""
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        fn()
        best = min(best, time.process_time() - start)
    return best


def drone_stage_problem() -> tuple:
    """Design, prior precision and data of the drone defeat stage (first pass, rho 0)."""
    data = cal.prepare_reports(load_table("attacks"))
    group = data[data["threat_class"] == "drone"]
    first, last = int(group["month"].min()), int(data["month"].max())
    names = sorted(group["family"].unique())
    fam = np.searchsorted(names, group["family"].to_numpy())
    n = group["launched"].to_numpy(dtype=np.float64)
    y = group["defeated"].to_numpy(dtype=np.float64)
    x = np.log(n) - np.log(n).mean()
    month = group["month"].to_numpy(dtype=np.int64) - first
    era = np.zeros(n.size)
    m, f = last - first + 1, len(names)
    design = pl._Design(month, fam, np.column_stack([era, era * x, x]), m, f)
    hyper = pl.Hyper()
    prec = np.zeros((m + f + 3, m + f + 3))
    step = np.diff(np.eye(m), axis=0)
    prec[:m, :m] = step.T @ step / hyper.level_step_sd**2
    prec[0, 0] += 1 / hyper.level0_sd**2
    idx = np.arange(m, m + f + 3)
    prec[idx, idx] = 1.0
    return design, prec, n, y, np.ones(n.size), m + f + 3


def main() -> int:
    frame = load_table("attacks")
    print(
        f"# {time.strftime('%Y-%m-%d')}, {platform.machine()}, {os.cpu_count()} cores, "
        f"load {os.getloadavg()[0]:.1f}"
    )
    start = time.process_time()
    result = backtest(frame, DEFAULT_CUTS, horizon_months=3)
    print(f"backtest, {len(DEFAULT_CUTS)} cuts: {time.process_time() - start:.2f} s CPU\n")
    print(format_tables(result))

    design, prec, n, y, w, size = drone_stage_problem()
    theta0 = np.zeros(size)

    def newton() -> np.ndarray:
        return pl._newton(design, prec, n, y, w, theta=theta0)

    def fun(theta: np.ndarray) -> tuple[float, np.ndarray]:
        value = pl._objective(design, prec, n, y, w, theta=theta)
        p = expit(design.dot(theta))
        return value, design.tdot(w * (n * p - y)) + prec @ theta

    def lbfgs() -> np.ndarray:
        opts = {"maxiter": 20000, "ftol": 1e-14, "gtol": 1e-8}
        return minimize(fun, theta0, jac=True, method="L-BFGS-B", options=opts).x

    t_newton, t_lbfgs = best_of(newton), best_of(lbfgs)
    v_newton, v_lbfgs = fun(newton())[0], fun(lbfgs())[0]
    t_fit = best_of(lambda: cal.fit_model(frame), repeat=3)
    print(
        f"\ndrone defeat stage ({n.size} rows, {size} parameters): Newton {t_newton * 1e3:.1f} ms"
        f" (objective {v_newton:.6f}), L-BFGS-B {t_lbfgs * 1e3:.1f} ms (objective "
        f"{v_lbfgs:.6f}): {t_lbfgs / t_newton:.1f}x"
    )
    print(f"fit_model on the embedded reports (8 stage fits, 3 passes each): {t_fit:.3f} s CPU")

    if "--plot" in sys.argv:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        cal_rows = result.calibration
        rep = np.array([r["reported_defeated"] for r in cal_rows])
        fig, (ax, ax2) = plt.subplots(1, 2, figsize=(10, 4.5))
        for key, marker in (("model", "o"), ("pooled", "s"), ("last6", "^")):
            pred = np.array([r[key] for r in cal_rows])
            ax.plot(rep, pred, marker, label=key, alpha=0.8)
            ax2.plot(np.arange(1, rep.size + 1), pred / rep, marker + "-", label=key, alpha=0.8)
        lim = [0.5, rep.max() * 1.3]
        ax.plot(lim, lim, "k:", lw=1, label="predicted = reported")
        ax.set(xscale="log", yscale="log", xlim=lim, ylim=lim)
        ax.set_xlabel("reported defeated per row (decile mean)")
        ax.set_ylabel("predicted defeated per row")
        ax.legend()
        ax2.axhline(1.0, color="k", ls=":", lw=1)
        ax2.set_xlabel("decile of raid size (launched), 1 = smallest")
        ax2.set_ylabel("predicted / reported")
        ax2.set_xticks(np.arange(1, rep.size + 1))
        fig.suptitle("Backtests 2024-2025 (6 cuts, 3 months each), by decile of raid size")
        fig.tight_layout()
        out = ROOT / "docs" / "img" / "calibration_deciles.png"
        fig.savefig(out, dpi=110)
        print(f"wrote {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
