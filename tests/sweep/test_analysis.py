"""Summaries against numpy/scipy and variance indices against closed forms."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from gbad.sweep.analysis import (
    fan_table,
    sensitivity,
    spearman_matrix,
    summarise,
    summarise_outputs,
    variance_indices,
)
from gbad.sweep.params import UncertainParam
from gbad.sweep.run import SweepResult, design_matrix

N = 1024


def _params(d: int) -> list[UncertainParam]:
    return [UncertainParam(f"p.x{i}.v", "p", f"x{i}", "v_mid", 0.0, 0.5, 1.0) for i in range(d)]


def _linear_result(method: str = "rbd-fast", n: int = N) -> SweepResult:
    """y = 3 x0 + x1 (+ 0 x2) with x ~ U(0, 1): S1 = 9/10, 1/10, 0 (variance shares)."""
    params = _params(3)
    unit = design_matrix(params, n, seed=3, sampler="lhs", distribution="triangular", method=method)
    # Map the triangular(0, .5, 1) draws back to uniforms so the closed form holds exactly.
    u = np.where(unit < 0.5, 2 * unit**2, 1 - 2 * (1 - unit) ** 2)
    inputs = pd.DataFrame(u, columns=[p.name for p in params])
    inputs.insert(0, "sample", np.arange(len(u)))
    y = 3 * u[:, 0] + u[:, 1]
    outputs = pd.DataFrame({"sample": np.arange(len(u)), "y": y, "const": 1.0})
    outputs.loc[0, "const"] = np.nan
    outputs["y@2030"] = y
    outputs["y@2031"] = 2 * y
    meta = {"seed": 3, "method": method, "samples": len(u)}
    return SweepResult(params=params, inputs=inputs, outputs=outputs, meta=meta)


def test_percentiles_match_numpy() -> None:
    res = _linear_result()
    out = summarise_outputs(res.outputs, ["y", "const"])
    y = res.outputs["y"].to_numpy()
    assert out["y"]["p5"] == pytest.approx(np.percentile(y, 5), abs=0)
    assert out["y"]["p95"] == pytest.approx(np.percentile(y, 95), abs=0)
    assert out["y"]["std"] == pytest.approx(y.std(ddof=1))
    assert (out["const"]["n"], out["const"]["missing"], out["const"]["std"]) == (N - 1, 1, 0.0)


def test_spearman_matches_scipy() -> None:
    res = _linear_result()
    rho = spearman_matrix(res.inputs, res.outputs, ["y", "const"])
    for name in ("p.x0.v", "p.x1.v", "p.x2.v"):
        expected = stats.spearmanr(res.inputs[name], res.outputs["y"]).statistic
        assert rho.at[name, "y"] == pytest.approx(expected, abs=1e-12)
    assert rho["const"].isna().all()


@pytest.mark.parametrize("method", ["rbd-fast", "sobol"])
def test_first_order_indices_of_a_linear_model(method: str) -> None:
    # Closed form for y = 3 x0 + x1, x ~ U(0,1): S1 = (9, 1, 0)/10. With ~1000 model
    # runs the estimators' sampling error is a few hundredths (RBD-FAST bias-corrected,
    # Tissot & Prieur 2012; Saltelli 2010 estimator), so 0.06 is a fair bound.
    res = _linear_result(method, n=N if method == "rbd-fast" else 256 * 5)
    s1 = variance_indices(res, ["y"])["y"]
    np.testing.assert_allclose(s1.to_numpy(), [0.9, 0.1, 0.0], atol=0.06)


def test_delta_ranks_the_drivers() -> None:
    res = _linear_result()
    delta = variance_indices(res, ["y"], method="delta")["y"]
    assert delta["p.x0.v"] > delta["p.x1.v"] > delta["p.x2.v"]


def test_sensitivity_ranks_by_absolute_spearman() -> None:
    res = _linear_result()
    ranked = sensitivity(res, ["y"], top=2)["y"]
    assert [r["input"] for r in ranked] == ["p.x0.v", "p.x1.v"]
    assert ranked[0]["spearman"] > 0.9 and ranked[0]["variance_index"] > 0.8


def test_summary_has_the_contract_keys_and_fans() -> None:
    res = _linear_result()
    out = summarise(res)
    assert {"samples", "seed", "outputs", "sensitivity", "parameters", "series"} <= set(out)
    assert set(out["outputs"]) == {"y", "const"}
    assert {"mean", "std", "p5", "p50", "p95"} <= set(out["outputs"]["y"])
    fans = fan_table(res.outputs)
    assert fans["year"].tolist() == [2030, 2031]
    assert fans.loc[1, "p50"] == pytest.approx(2 * fans.loc[0, "p50"])
