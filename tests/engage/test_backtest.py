"""Time-forward backtests: a synthetic set where the answer is known, and the embedded
reports against the pooled and last-six-months baselines."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from gbad.engage.backtest import DEFAULT_CUTS, backtest, format_tables
from gbad.reference import load_table
from tests.engage._synthetic import synthetic_reports


@pytest.fixture(scope="module")
def stepped():
    """Shahed defeat log-odds step up by 1.5 on 2024-04-01; beta-binomial rows."""
    frame = synthetic_reports(np.random.default_rng(5), shahed_step=("2024-04-01", 1.5), rho=0.01)
    return backtest(frame, ["2024-07-01", "2024-10-01"], horizon_months=3)


def _table(result) -> pd.DataFrame:
    return pd.DataFrame(result.scores).set_index(["cut", "scope", "method"]).sort_index()


def test_backtest_schema_and_calibration_table(stepped) -> None:
    scores = _table(stepped)
    assert set(scores.index.get_level_values("method")) == {"model", "pooled", "last6"}
    assert set(scores.index.get_level_values("scope")) == {"all", "drone", "cruise"}
    rows = scores.xs(("2024-07-01", "all", "model"))["rows"]
    assert rows == 3 * 20 * 3  # 3 months x 20 nights x 3 families
    assert [c["decile"] for c in stepped.calibration] == list(range(1, 11))
    assert sum(c["rows"] for c in stepped.calibration) == 2 * rows
    text = format_tables(stepped)
    assert "2024-10-01 | drone" in text and "raid-size decile" in text


def test_model_tracks_a_level_shift_the_baselines_miss(stepped) -> None:
    """Three months after the step the pooled ratio (15 of 18 months before it) and the
    last-six-months ratio (half before it) are biased; the local level is not."""
    scores = _table(stepped)
    mae = scores.xs(("2024-07-01", "drone"))["mae_defeated"]
    assert mae["model"] < 0.8 * mae["last6"] < 0.8 * mae["pooled"]


def test_interval_coverage_on_beta_binomial_rows(stepped) -> None:
    """Rows with >= 20 launched are drawn beta-binomial (rho 0.01); the nominal 80 %
    interval must cover 80 % of them within 3 binomial SE (sqrt(0.16 / rows)); the
    discreteness of the quantiles makes it slightly conservative, never narrow."""
    scores = _table(stepped)
    for cut in ("2024-07-01", "2024-10-01"):
        row = scores.xs((cut, "all", "model"))
        se = np.sqrt(0.16 / row["rows_large"])
        assert abs(row["coverage_defeated_large"] - 0.8) < 3 * se + 0.03


def test_embedded_reports_model_beats_both_baselines() -> None:
    """Every cut from 2024: the model's MAE of defeated per report row beats the pooled
    and last-six-months ratios overall. For drones and cruise missiles it wins on all
    but three of the 24 comparisons (2024-04 cruise, 2024-10 drones vs last6, see
    docs/calibration.md) and is nowhere worse by 2 SE of the paired difference."""
    scores = _table(backtest(load_table("attacks"), DEFAULT_CUTS, horizon_months=3))
    losses = []
    for cut in DEFAULT_CUTS:
        for scope in ("all", "drone", "cruise"):
            model = scores.xs((cut, scope, "model"))["mae_defeated"]
            for base in ("pooled", "last6"):
                row = scores.xs((cut, scope, base))
                if scope == "all":
                    assert model < row["mae_defeated"], (cut, base)
                if model >= row["mae_defeated"]:
                    losses.append((cut, scope, base))
                assert row["model_mae_minus_this"] < 2 * row["model_mae_minus_this_se"]
    assert len(losses) <= 3, losses


def test_cli_backtest_json_and_bad_cut(tmp_path, capsys) -> None:
    import json

    from gbad.cli import main

    attacks = tmp_path / "a.csv"
    synthetic_reports(np.random.default_rng(2), months=8, days=4).to_csv(attacks, index=False)
    args = ["calibrate", "--attacks", str(attacks), "--backtest", "--json"]
    with pytest.raises(SystemExit) as exc:
        main([*args, "--cuts", "2023-06-01", "--horizon-months", "2"])
    assert exc.value.code == 0
    out = json.loads(capsys.readouterr().out)
    assert out["horizon_months"] == 2
    assert {r["method"] for r in out["scores"]} == {"model", "pooled", "last6"}
    with pytest.raises(SystemExit) as exc:
        main([*args, "--cuts", "2023-13-01"])
    assert exc.value.code == 2
    assert "--cuts" in capsys.readouterr().err
