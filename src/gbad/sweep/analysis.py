"""Summaries of a sweep: percentiles of outputs and which inputs drive them.

Three measures per output:

- **Percentiles** ``p5, p25, p50, p75, p95`` (linear interpolation, numpy's
  default), mean and standard deviation over the samples with a finite value.
- **Spearman rank correlation** of each input with the output: Pearson's
  correlation of the ranks (Spearman 1904), robust to monotone transforms and
  signed, so it shows the direction of an effect.
- **A variance-based index** computed with SALib (Herman & Usher 2017):

  * ``rbd-fast`` (default): first-order index :math:`S_i = V[E(Y|X_i)]/V(Y)` by
    random balance designs (Tarantola et al. 2006) with the bias correction of
    Tissot & Prieur (2012); works with any sample, including Latin hypercubes.
  * ``delta``: Borgonovo's (2007) moment-independent :math:`\\delta_i`, the
    expected shift of the output's density when :math:`X_i` is known; any sample.
    Slow (seconds per parameter and output): use it with ``--params``.
  * ``sobol``: first-order Sobol' indices (Sobol' 2001) by the Saltelli (2010)
    estimators; needs the Saltelli design (``method="sobol"`` in the sweep).

References
----------
.. [1] Spearman, C. (1904). "The proof and measurement of association between
   two things." Am. J. Psychol. 15(1): 72-101. doi:10.2307/1412159
.. [2] Tarantola, S., Gatelli, D., Mara, T. A. (2006). "Random balance designs
   for the estimation of first order global sensitivity indices." Reliab. Eng.
   Syst. Saf. 91(6): 717-727. doi:10.1016/j.ress.2005.06.003
.. [3] Tissot, J.-Y., Prieur, C. (2012). "Bias correction for the estimation of
   sensitivity indices based on random balance designs." Reliab. Eng. Syst. Saf.
   107: 205-213. doi:10.1016/j.ress.2012.06.010
.. [4] Borgonovo, E. (2007). "A new uncertainty importance measure." Reliab.
   Eng. Syst. Saf. 92(6): 771-784. doi:10.1016/j.ress.2006.04.015
.. [5] Saltelli, A. et al. (2010). "Variance based sensitivity analysis of model
   output. Design and estimator for the total sensitivity index." Comput. Phys.
   Commun. 181(2): 259-270. doi:10.1016/j.cpc.2009.09.018
.. [6] Herman, J., Usher, W. (2017). "SALib: An open-source Python library for
   Sensitivity Analysis." J. Open Source Softw. 2(9): 97. doi:10.21105/joss.00097
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from gbad.sweep.run import SweepResult

__all__ = [
    "PERCENTILES",
    "fan_table",
    "sensitivity",
    "spearman_matrix",
    "summarise",
    "summarise_outputs",
    "variance_indices",
]

#: Percentiles reported for every output.
PERCENTILES: tuple[int, ...] = (5, 25, 50, 75, 95)


def _describe(values: np.ndarray) -> dict[str, float | int | None]:
    finite = values[np.isfinite(values)]
    out: dict[str, float | int | None] = {
        "n": int(finite.size),
        "missing": int(values.size - finite.size),
    }
    if finite.size == 0:
        out |= {"mean": None, "std": None} | {f"p{q}": None for q in PERCENTILES}
        return out
    out["mean"] = float(finite.mean())
    out["std"] = float(finite.std(ddof=1)) if finite.size > 1 else 0.0
    for q, v in zip(PERCENTILES, np.percentile(finite, PERCENTILES), strict=True):
        out[f"p{q}"] = float(v)
    return out


def summarise_outputs(outputs: pd.DataFrame, names: list[str]) -> dict[str, dict[str, Any]]:
    """Mean, std, p5/p25/p50/p75/p95, ``n`` finite and ``missing`` per output."""
    return {name: _describe(outputs[name].to_numpy(dtype=float)) for name in names}


def fan_table(outputs: pd.DataFrame) -> pd.DataFrame:
    """Percentiles of ``name@year`` series, long form: ``series, year, p5 ... p95``."""
    rows = []
    for col in outputs.columns:
        if "@" not in col:
            continue
        name, _, year = col.partition("@")
        stats_ = _describe(outputs[col].to_numpy(dtype=float))
        rows.append({"series": name, "year": int(year), **{k: stats_[k] for k in stats_}})
    frame = pd.DataFrame(rows)
    if frame.empty:
        return frame
    return frame.sort_values(["series", "year"]).reset_index(drop=True)


def spearman_matrix(inputs: pd.DataFrame, outputs: pd.DataFrame, names: list[str]) -> pd.DataFrame:
    """Spearman's rank correlation, inputs (rows) × outputs (columns).

    Samples where the output is not finite are left out for that output; an
    input or output that is constant over the samples gets ``nan``.
    """
    cols = [c for c in inputs.columns if c != "sample"]
    result = pd.DataFrame(np.nan, index=cols, columns=names)
    X = inputs[cols].to_numpy(dtype=float)
    for name in names:
        y = outputs[name].to_numpy(dtype=float)
        ok = np.isfinite(y)
        if ok.sum() < 3 or np.ptp(y[ok]) == 0:
            continue
        ry = stats.rankdata(y[ok])
        rx = stats.rankdata(X[ok], axis=0)
        rx = rx - rx.mean(axis=0)
        ry = ry - ry.mean()
        denom = np.sqrt((rx**2).sum(axis=0) * (ry**2).sum())
        with np.errstate(invalid="ignore", divide="ignore"):
            rho = np.where(denom > 0, (rx * ry[:, None]).sum(axis=0) / denom, np.nan)
        result[name] = rho
    return result


def variance_indices(
    result: SweepResult, names: list[str], method: str | None = None, seed: int | None = None
) -> pd.DataFrame:
    """First-order variance-based (or delta) indices, inputs × outputs.

    Parameters
    ----------
    result : SweepResult
        The sweep; ``method="sobol"`` requires that the sweep used the Saltelli
        design (``result.meta["method"] == "sobol"``).
    names : list of str
        Outputs to analyse.
    method : {"rbd-fast", "delta", "sobol"}, optional
        Default: the sweep's own method.
    seed : int, optional
        Seed of SALib's bootstrap (default: the sweep's seed).
    """
    from SALib.analyze import delta, rbd_fast
    from SALib.analyze import sobol as sobol_analyze

    method = method or str(result.meta.get("method", "rbd-fast"))
    seed = int(result.meta.get("seed", 0)) if seed is None else seed
    cols = [p.name for p in result.params]
    out = pd.DataFrame(np.nan, index=cols, columns=names)
    if not cols:
        return out
    X = result.inputs[cols].to_numpy(dtype=float)
    varying = np.ptp(X, axis=0) > 0
    if not varying.any():
        return out
    varying_names = [c for c, v in zip(cols, varying, strict=True) if v]
    problem: dict[str, Any] = {
        "num_vars": len(varying_names),
        "names": varying_names,
        "bounds": [
            [float(lo), float(hi)]
            for lo, hi, v in zip(X.min(0), X.max(0), varying, strict=True)
            if v
        ],
    }
    for name in names:
        y = result.outputs[name].to_numpy(dtype=float)
        ok = np.isfinite(y)
        if not ok.any() or np.ptp(y[ok]) == 0:
            continue
        with warnings.catch_warnings():
            # SALib and scipy warn on small samples and ties; the indices are
            # still defined and reported as estimated.
            warnings.simplefilter("ignore")
            if method == "sobol":
                if result.meta.get("method") != "sobol" or not ok.all():
                    continue
                full = {
                    **problem,
                    "num_vars": len(cols),
                    "names": cols,
                    "bounds": [[0, 1]] * len(cols),
                }
                si = sobol_analyze.analyze(
                    full, y, calc_second_order=False, num_resamples=20, seed=seed
                )
                out.loc[cols, name] = np.asarray(si["S1"], dtype=float)
                continue
            if ok.sum() < 20:
                continue  # too few samples for a first-order estimate
            Xv = X[ok][:, varying]
            if method == "delta":
                # SALib >= 1.5 bootstraps delta; two resamples keep it affordable
                # (the point estimate, not its confidence interval, is reported).
                si = delta.analyze(problem, Xv, y[ok], num_resamples=2, seed=seed, method="delta")
                values = np.asarray(si["delta_raw"], dtype=float)
            else:
                si = rbd_fast.analyze(problem, Xv, y[ok], num_resamples=2, seed=seed)
                values = np.asarray(si["S1"], dtype=float)
        out.loc[problem["names"], name] = values
    return out


def sensitivity(
    result: SweepResult,
    names: list[str] | None = None,
    top: int | None = 10,
    method: str | None = None,
) -> dict[str, list[dict[str, Any]]]:
    """Ranked drivers of each output.

    Returns
    -------
    dict
        ``{output: [{"input", "spearman", "variance_index"}, ...]}`` ranked by
        ``|spearman|`` (largest first), at most ``top`` entries (all if ``None``
        or 0); inputs with an undefined correlation come last.
    """
    names = result.output_names if names is None else names
    rho = spearman_matrix(result.inputs, result.outputs, names)
    vi = variance_indices(result, names, method)
    out: dict[str, list[dict[str, Any]]] = {}
    for name in names:
        col = rho[name].astype(float)
        vcol = vi[name].astype(float)
        order = sorted(
            col.index, key=lambda k: (-abs(col[k]) if np.isfinite(col[k]) else np.inf, k)
        )
        if top:
            order = order[:top]
        out[name] = [
            {
                "input": k,
                "spearman": float(col[k]) if np.isfinite(col[k]) else None,
                "variance_index": float(vcol[k]) if np.isfinite(vcol[k]) else None,
            }
            for k in order
        ]
    return out


def summarise(
    result: SweepResult, top: int | None = 10, method: str | None = None
) -> dict[str, Any]:
    """The sweep's JSON summary: meta, ``outputs`` percentiles and ``sensitivity``."""
    names = result.output_names
    failed = 0
    if "error" in result.outputs.columns:
        failed = int((result.outputs["error"] != "").sum())
    fans = fan_table(result.outputs)
    return {
        **result.meta,
        "failed_samples": failed,
        "parameters": [
            {
                "name": p.name,
                "table": p.table,
                "row_key": p.row_key,
                "column": p.column,
                "low": p.low,
                "mode": p.mode,
                "high": p.high,
            }
            for p in result.params
        ],
        "outputs": summarise_outputs(result.outputs, names),
        "series": fans.to_dict(orient="records") if not fans.empty else [],
        "sensitivity": sensitivity(result, names, top, method),
    }
