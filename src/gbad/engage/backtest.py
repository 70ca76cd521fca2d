"""Time-forward backtests of the defeat model against two baselines.

For each cut date: fit :func:`gbad.engage.calibrate.fit_model` on the report rows
before it, predict the rows of the following ``horizon_months`` (all later rows if
``None``) and score, per report row,

- ``mae_defeated`` / ``mae_destroyed``: mean absolute error of the predicted count
  (threats per report row, so a 500-drone night weighs 100 times a 5-drone row);
- ``log_loss_defeated``: binomial log loss of defeated per launched threat;
- ``coverage_defeated`` / ``coverage_destroyed`` (model only): share of rows whose
  reported count lies in the 80 % predictive interval (``coverage_defeated_large``:
  the same over rows with at least :data:`LARGE_ROW` launched, where the discreteness
  of small counts does not widen the interval);
- ``bias_defeated``: total predicted / total reported - 1.

Baselines, per threat class: ``pooled``, the ratio defeated/launched (and
destroyed/launched) of all training rows; ``last6``, the same ratio over the six
months before the cut (the pooled ratio where the class has no such rows).
:attr:`BacktestResult.calibration` pools the test rows of all cuts by decile of raid
size (launched): mean reported against mean predicted defeated per row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from gbad.engage.calibrate import (
    Hyper,
    beta_binomial_interval,
    fit_model,
    load_model,
    predict_probabilities,
    prepare_reports,
)

__all__ = ["DEFAULT_CUTS", "BacktestResult", "backtest", "format_tables"]

DEFAULT_CUTS = (
    "2024-01-01",
    "2024-04-01",
    "2024-07-01",
    "2024-10-01",
    "2025-01-01",
    "2025-04-01",
)
METHODS = ("model", "pooled", "last6")
LARGE_ROW = 20
"""Rows with at least this many launched also get their own interval coverage."""


@dataclass(frozen=True)
class BacktestResult:
    """Scores per (cut, scope, method) and the raid-size calibration table."""

    scores: list[dict[str, Any]]
    calibration: list[dict[str, Any]]
    horizon_months: int | None

    def as_dict(self) -> dict[str, Any]:
        """JSON-able form."""
        return {
            "horizon_months": self.horizon_months,
            "scores": self.scores,
            "calibration": self.calibration,
        }


def _ratios(train: pd.DataFrame, column: str) -> tuple[pd.Series, float]:
    by = train.groupby("threat_class")
    return by[column].sum() / by["launched"].sum(), float(
        train[column].sum() / train["launched"].sum()
    )


def _baseline(train: pd.DataFrame, test: pd.DataFrame, column: str) -> np.ndarray:
    ratio, overall = _ratios(train, column)
    return test["threat_class"].map(ratio).fillna(overall).to_numpy(dtype=np.float64)


def _score(
    n: np.ndarray, y_def: np.ndarray, y_des: np.ndarray, p_def: np.ndarray, p_des: np.ndarray
) -> dict[str, float]:
    pc = np.clip(p_def, 1e-4, 1 - 1e-4)
    return {
        "mae_defeated": float(np.abs(n * p_def - y_def).mean()),
        "mae_destroyed": float(np.abs(n * p_des - y_des).mean()),
        "log_loss_defeated": float(
            -(y_def * np.log(pc) + (n - y_def) * np.log1p(-pc)).sum() / n.sum()
        ),
        "bias_defeated": float((n * p_def).sum() / max(y_def.sum(), 1.0) - 1.0),
    }


def backtest(
    frame: pd.DataFrame,
    cuts: Sequence[str] = DEFAULT_CUTS,
    *,
    horizon_months: int | None = 3,
    hyper: Hyper | None = None,
    field: str = "attacks",
) -> BacktestResult:
    """Run the time-forward backtest (see the module docstring).

    Parameters
    ----------
    frame : DataFrame
        Report rows (as for :func:`gbad.engage.calibrate.fit_model`).
    cuts : sequence of str
        Cut dates, YYYY-MM-DD; training uses rows strictly before each.
    horizon_months : int or None
        Months after the cut that are scored; ``None`` scores all later rows.
    hyper : Hyper, optional
        Prior scales of the fitted model.
    field : str
        Name of the input for error messages.
    """
    data = prepare_reports(frame, field=field)
    scores: list[dict[str, Any]] = []
    pooled_rows: list[pd.DataFrame] = []
    for cut in cuts:
        start = pd.Timestamp(cut)
        end = None if horizon_months is None else start + pd.DateOffset(months=horizon_months)
        train = data[data["day"] < start]
        test = data[(data["day"] >= start) & ((data["day"] < end) if end is not None else True)]
        if train.empty or test.empty:
            continue
        model = load_model(fit_model(train, hyper=hyper, field=field))
        prob = predict_probabilities(model, test, field=field)
        n = test["launched"].to_numpy(dtype=np.float64)
        recent = train[train["day"] >= start - pd.DateOffset(months=6)]
        preds = {
            "model": (prob.defeat, prob.defeat * prob.kinetic_share),
            "pooled": (_baseline(train, test, "defeated"), _baseline(train, test, "destroyed")),
            "last6": (
                _pooled_fallback(recent, train, test, "defeated"),
                _pooled_fallback(recent, train, test, "destroyed"),
            ),
        }
        d_low, d_high = beta_binomial_interval(n, prob.defeat, prob.rho_defeat, model.interval)
        k_low, k_high = beta_binomial_interval(
            n, prob.defeat * prob.kinetic_share, prob.rho_destroyed, model.interval
        )
        y_def = test["defeated"].to_numpy(dtype=np.float64)
        y_des = test["destroyed"].to_numpy(dtype=np.float64)
        in_def = (y_def >= d_low) & (y_def <= d_high)
        in_des = (y_des >= k_low) & (y_des <= k_high)
        classes = test["threat_class"].to_numpy()
        scopes = [("all", np.ones(len(test), dtype=bool))] + [
            (c, classes == c) for c in ("drone", "cruise", "ballistic", "glide")
        ]
        for scope, mask in scopes:
            if not mask.any():
                continue
            for method, (p_def, p_des) in preds.items():
                row: dict[str, Any] = {
                    "cut": cut,
                    "scope": scope,
                    "method": method,
                    "train_rows": len(train),
                    "rows": int(mask.sum()),
                    "launched": float(n[mask].sum()),
                    "defeated": float(y_def[mask].sum()),
                }
                row.update(_score(n[mask], y_def[mask], y_des[mask], p_def[mask], p_des[mask]))
                if method != "model":
                    # Paired difference of absolute errors, model minus this baseline.
                    diff = np.abs(n * preds["model"][0] - y_def) - np.abs(n * p_def - y_def)
                    row["model_mae_minus_this"] = float(diff[mask].mean())
                    row["model_mae_minus_this_se"] = float(
                        diff[mask].std(ddof=1) / np.sqrt(mask.sum()) if mask.sum() > 1 else np.nan
                    )
                if method == "model":
                    row["coverage_defeated"] = float(in_def[mask].mean())
                    row["coverage_destroyed"] = float(in_des[mask].mean())
                    big = mask & (n >= LARGE_ROW)
                    row["rows_large"] = int(big.sum())
                    row["coverage_defeated_large"] = (
                        float(in_def[big].mean()) if big.any() else None
                    )
                scores.append(row)
        pooled_rows.append(
            pd.DataFrame(
                {
                    "launched": n,
                    "defeated": y_def,
                    **{f"pred_{m}": n * p for m, (p, _) in preds.items()},
                }
            )
        )
    return BacktestResult(scores, _calibration(pooled_rows), horizon_months)


def _pooled_fallback(
    recent: pd.DataFrame, train: pd.DataFrame, test: pd.DataFrame, column: str
) -> np.ndarray:
    pooled = _baseline(train, test, column)
    if recent.empty:
        return pooled
    ratio, _ = _ratios(recent, column)
    return np.asarray(test["threat_class"].map(ratio).fillna(pd.Series(pooled, test.index)))


def _calibration(parts: list[pd.DataFrame]) -> list[dict[str, Any]]:
    if not parts:
        return []
    rows = pd.concat(parts, ignore_index=True)
    bins = min(10, len(rows))
    rows["decile"] = pd.qcut(rows["launched"].rank(method="first"), bins, labels=False)
    out = []
    for decile in range(bins):
        g = rows[rows["decile"] == decile]
        out.append(
            {
                "decile": decile + 1,
                "rows": len(g),
                "launched_min": float(g["launched"].min()),
                "launched_max": float(g["launched"].max()),
                "reported_defeated": float(g["defeated"].mean()),
                **{m: float(g[f"pred_{m}"].mean()) for m in METHODS},
            }
        )
    return out


def format_tables(result: BacktestResult) -> str:
    """Markdown tables of a backtest (scores by cut and scope; calibration)."""
    lines = [
        "| cut | scope | rows | MAE defeated model / pooled / last6 | MAE destroyed model / "
        "pooled / last6 | log loss model / pooled / last6 | 80 % PI coverage defeated / "
        f"destroyed / defeated on rows >= {LARGE_ROW} | bias model |",
        "|---|---|---|---|---|---|---|---|",
    ]
    by_key = {(r["cut"], r["scope"], r["method"]): r for r in result.scores}
    keys = sorted({(r["cut"], r["scope"]) for r in result.scores}, key=_scope_order)
    for cut, scope in keys:
        m, p, s = (by_key[(cut, scope, k)] for k in METHODS)

        def trio(key: str, m: dict = m, p: dict = p, s: dict = s) -> str:
            best = min(m[key], p[key], s[key])
            return " / ".join(
                f"**{r[key]:.2f}**" if r[key] == best else f"{r[key]:.2f}" for r in (m, p, s)
            )

        lines.append(
            f"| {cut} | {scope} | {m['rows']} | {trio('mae_defeated')} | "
            f"{trio('mae_destroyed')} | {trio('log_loss_defeated')} | "
            f"{m['coverage_defeated']:.2f} / {m['coverage_destroyed']:.2f} / "
            f"{_fmt(m['coverage_defeated_large'])} ({m['rows_large']}) | "
            f"{m['bias_defeated']:+.0%} |"
        )
    lines += [
        "",
        "| raid-size decile | rows | launched | reported defeated | model | pooled | last6 |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in result.calibration:
        lines.append(
            f"| {r['decile']} | {r['rows']} | {r['launched_min']:.0f}-{r['launched_max']:.0f} | "
            f"{r['reported_defeated']:.1f} | {r['model']:.1f} | {r['pooled']:.1f} | "
            f"{r['last6']:.1f} |"
        )
    return "\n".join(lines)


def _scope_order(key: tuple[str, str]) -> tuple[str, int]:
    order = {"all": 0, "drone": 1, "cruise": 2, "ballistic": 3, "glide": 4}
    return key[0], order.get(key[1], 9)


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"
