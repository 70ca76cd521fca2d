"""Defeat model fitted to nightly reports: recovery of known rates, local level held,
intervals, the embedded default model, rates for the campaign, and the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from gbad.cli import main
from gbad.engage.calibrate import (
    deduplicate,
    default_model,
    fit_model,
    load_model,
    predict_probabilities,
    predict_rows,
    threat_class_of,
)
from gbad.engage.campaign_rates import campaign_defeat_rates, reported_leak_ranges
from gbad.errors import GbadInputError
from gbad.reference import load_table
from tests.engage._synthetic import TRUTH, synthetic_reports


@pytest.fixture(scope="module")
def synthetic() -> pd.DataFrame:
    return synthetic_reports(np.random.default_rng(7))


@pytest.fixture(scope="module")
def embedded_model() -> dict:
    return fit_model(load_table("attacks"))


@pytest.mark.parametrize(
    ("model", "weapon_class", "expected"),
    [
        ("Shahed-136/131", "uav", "drone"),
        ("Kalibr", "cruise", "cruise"),
        ("Iskander-M/KN-23", "ballistic", "ballistic"),
        ("X-47 Kinzhal", "ballistic", "glide"),
        ("X-47 Kinzhal and Iskander-M/KN-23", "cruise", "ballistic"),
        ("C-300", "surface-to-air_missile", "ballistic"),
        ("Iskander-M and Iskander-K", "mixed_missile", "ballistic"),
        ("Brand-new missile", "cruise", "cruise"),
    ],
)
def test_threat_class_mapping(model, weapon_class, expected) -> None:
    assert threat_class_of(model, weapon_class) == expected


def test_deduplicate_keeps_the_national_row() -> None:
    frame = pd.DataFrame(
        {
            "date": ["2024-01-01", "2024-01-01", "2024-01-01", "2024-01-02"],
            "model": ["Shahed-136/131", "Shahed-136/131", "Kalibr", "Shahed-136/131"],
            "launched": [10, 40, 5, 7],
        }
    )
    assert list(deduplicate(frame)["launched"]) == [40, 5, 7]


def _info(frame: pd.DataFrame, p: float, trials: str) -> float:
    """Fisher information of a logit from binomial rows: sum of trials * p (1 - p)."""
    return float(frame[trials].sum() * p * (1 - p))


def test_synthetic_rates_recovered_within_sampling_error(synthetic) -> None:
    """Constant known rates, no saturation, binomial rows. Tolerance: 4 standard errors
    on the logit scale. The forecast holds the last month's level; with a random-walk
    step sd of 0.3 against one month's information, that level rests mainly on the last
    month, so its SE is taken as 1/sqrt(I_last month of the class) and the family offset
    adds 1/sqrt(I_family over all months) (I = sum of trials * p(1-p))."""
    model = load_model(fit_model(synthetic))
    last = synthetic[synthetic["date"] >= "2024-12-01"]
    for fam, (name, wclass, _, p_def, kappa) in TRUTH.items():
        cls = threat_class_of(name, wclass)
        rows = synthetic[synthetic["model"] == name]
        size = float(np.exp(np.log(rows["launched"]).mean()))
        frame = pd.DataFrame(
            {"date": ["2025-03-01"], "model": [name], "weapon_class": [wclass], "launched": [size]}
        )
        prob = predict_probabilities(model, frame)
        cls_last = last[
            [
                threat_class_of(m, w) == cls
                for m, w in zip(last["model"], last["weapon_class"], strict=True)
            ]
        ]
        se_def = np.sqrt(
            1 / _info(cls_last, p_def, "launched") + 1 / _info(rows, p_def, "launched")
        )
        defeated = rows["destroyed"] + rows["not_reach_goal"]
        se_k = np.sqrt(
            1 / (defeated[rows["date"] >= "2024-12-01"].sum() * kappa * (1 - kappa))
            + 1 / (defeated.sum() * kappa * (1 - kappa))
        )
        assert (
            abs(np.log(prob.defeat[0] / (1 - prob.defeat[0])) - np.log(p_def / (1 - p_def)))
            < 4 * se_def
        ), fam
        k = prob.kinetic_share[0]
        assert abs(np.log(k / (1 - k)) - np.log(kappa / (1 - kappa))) < 4 * se_k, fam


@pytest.mark.parametrize("slope", [0.0, -0.5])
def test_saturation_slope_recovered(slope) -> None:
    """Known Shahed slope per e-fold of launched. The fitted slope is shrunk by its prior
    (sd 0.05, precision 400) against the data's information on it (about 1e3 here:
    240 Shahed rows x ~11 x var(ln n) 0.36), so the expected estimate is about 0.7 of
    the truth: accept (0.5, 1.0] of it, and |slope| < 0.05 when the truth is 0 (SE of
    the slope ~0.03). All synthetic rows report EW, so the slope in force is
    log_size_slope + ew_era_slope_change."""
    frame = synthetic_reports(np.random.default_rng(3), months=12, slope=slope)
    par = fit_model(frame)["classes"]["drone"]["defeat"]
    fitted = par["log_size_slope"] + par["ew_era_slope_change"]
    if slope == 0.0:
        assert abs(fitted) < 0.05
    else:
        assert slope <= fitted < 0.5 * slope


def test_forecast_holds_the_last_level(synthetic) -> None:
    model = load_model(fit_model(synthetic))
    frame = pd.DataFrame(
        {
            "date": ["2024-12-15", "2026-01-01", "2031-07-01"],
            "model": ["Shahed-136/131"] * 3,
            "weapon_class": ["uav"] * 3,
            "launched": [100, 100, 100],
        }
    )
    p = predict_probabilities(model, frame).defeat
    assert p[0] == p[1] == p[2]


def test_predict_rows_contract_and_intervals(embedded_model) -> None:
    model = load_model(embedded_model)
    frame = pd.DataFrame(
        {
            "date": ["2025-07-02", "2023-05-01", "2024-03-03", "2025-07-02"],
            "model": ["Kalibr", "Shahed-136/131", "Mystery", "Shahed-136/131"],
            "weapon_class": ["cruise", "uav", "uav", "uav"],
            "launched": [10, None, 100, 400],
        }
    )
    rows = predict_rows(model, frame)
    assert [r["model"] for r in rows] == list(frame["model"])
    assert rows[1]["predicted_destroyed"] is None and rows[1]["predicted_defeated"] is None
    for r in (rows[0], rows[2], rows[3]):
        assert 0 <= r["predicted_destroyed"] <= r["predicted_defeated"] <= r["launched"]
        assert (
            r["predicted_defeated_low"] <= r["predicted_defeated"] <= r["predicted_defeated_high"]
        )
        assert r["predicted_destroyed_low"] <= r["predicted_destroyed"]
        assert r["predicted_destroyed"] <= r["predicted_destroyed_high"]
        assert r["predicted_not_reach_goal"] == pytest.approx(
            r["predicted_defeated"] - r["predicted_destroyed"]
        )
    assert rows[2]["family"] == "other_drone"
    # Shahed in 2025: a large share is lost to EW.
    assert rows[3]["predicted_not_reach_goal"] > 0.2 * rows[3]["launched"]


def test_bad_inputs_raise_naming_column(embedded_model) -> None:
    with pytest.raises(GbadInputError, match="--model"):
        load_model({"format": "gbad-intercept-model/1"}, field="--model")
    model = load_model(embedded_model)
    frame = pd.DataFrame(
        {"date": ["2024-01-01"], "model": ["X"], "weapon_class": ["uav"], "launched": [-3]}
    )
    with pytest.raises(GbadInputError, match="launched"):
        predict_rows(model, frame, field="--attacks")
    over = frame.assign(launched=[3], destroyed=[5])
    with pytest.raises(GbadInputError, match="destroyed"):
        fit_model(over)
    with pytest.raises(GbadInputError, match="not_reach_goal"):
        fit_model(over.assign(destroyed=[1], not_reach_goal=["-1"]))


def test_embedded_default_model_is_the_fit_of_the_embedded_reports(embedded_model) -> None:
    """The stored JSON must equal a refit (deterministic: Newton to 1e-10 relative)."""
    stored = default_model()
    assert stored.last_month == embedded_model["last_month"]
    for cls, par in embedded_model["classes"].items():
        for stage in ("defeat", "kinetic"):
            np.testing.assert_allclose(
                stored.classes[cls][stage]["levels"], par[stage]["levels"], atol=1e-6
            )
        for fam, f in par["families"].items():
            assert stored.classes[cls]["families"][fam]["defeat_offset"] == pytest.approx(
                f["defeat_offset"], abs=1e-6
            )


def test_campaign_defeat_rates(embedded_model) -> None:
    rates = campaign_defeat_rates(embedded_model)
    assert set(rates) == {"ballistic", "cruise", "drone", "glide"}  # no aircraft rows
    for r in rates.values():
        for low, mid, high in (r.defeated, r.kinetic, r.ew):
            assert 0 <= low <= mid <= high <= 1
        assert r.defeated[1] == pytest.approx(r.kinetic[1] + r.ew[1])
        assert sum(r.families.values()) == pytest.approx(1.0)
        assert r.level_month == "2025-06"
    # S-300/S-400 in ground attack do not set the ballistic rate; Iskander-M/KN-23 do.
    assert set(rates["ballistic"].families) == {"iskander_m_kn23"}
    assert rates["drone"].ew[1] > 0.2
    # the mid is the model's expected rate at the last level for the family and size
    model = load_model(embedded_model)
    drone = rates["drone"]
    frame = pd.DataFrame(
        {
            "date": ["2025-06-15"],
            "model": ["Shahed-136/131"],
            "weapon_class": ["uav"],
            "launched": [drone.raid_size],
        }
    )
    assert predict_probabilities(model, frame).defeat[0] == pytest.approx(drone.defeated[1])
    # deterministic
    assert campaign_defeat_rates(embedded_model)["cruise"] == rates["cruise"]


def test_reported_leak_ranges(embedded_model) -> None:
    """Recomputed by hand for drones: launched-weighted percentiles of nightly leak."""
    leak = reported_leak_ranges(embedded_model)
    assert set(leak) == {"ballistic", "cruise", "drone", "glide"}
    data = load_table("attacks")
    data = data[(data["model"] == "Shahed-136/131") & (data["date"] > "2024-06-30")]
    data = deduplicate(data.dropna(subset=["launched", "destroyed"]))
    nights = (
        data.assign(defeated=data["destroyed"] + data["not_reach_goal"].fillna(0))
        .groupby("date")[["launched", "defeated"]]
        .sum()
    )
    share = 1 - (nights["defeated"] / nights["launched"]).clip(upper=1)
    pooled = 1 - nights["defeated"].sum() / nights["launched"].sum()
    low, mid, high = leak["drone"]
    assert low <= mid <= high
    assert low <= pooled <= high
    assert share.min() <= low and high <= share.max()


def test_predict_uses_only_the_model_file(tmp_path: Path, capsys, monkeypatch) -> None:
    """Fit on a synthetic file, then predict with every other data source disabled."""
    rng = np.random.default_rng(11)
    attacks = tmp_path / "attacks.csv"
    synthetic_reports(rng, months=6, days=5).to_csv(attacks, index=False)
    model_path = tmp_path / "model.json"
    with pytest.raises(SystemExit) as exc:
        main(["calibrate", "--attacks", str(attacks), "--out", str(model_path), "--json"])
    assert exc.value.code == 0
    capsys.readouterr()
    import gbad.engage.calibrate as cal
    import gbad.reference as ref

    def refuse(*_a, **_k):
        raise AssertionError("predict read data other than the model file")

    monkeypatch.setattr(ref, "load_table", refuse)
    monkeypatch.setattr(cal, "_default_document", refuse)
    small = tmp_path / "small.csv"
    pd.DataFrame(
        {
            "date": ["2025-06-01", "2025-06-01"],
            "model": ["Shahed-136/131", "Iskander-M"],
            "weapon_class": ["uav", "ballistic"],
            "launched": [400, 6],
        }
    ).to_csv(small, index=False)
    with pytest.raises(SystemExit) as exc:
        main(["predict", "--model", str(model_path), "--attacks", str(small), "--json"])
    assert exc.value.code == 0
    out = json.loads(capsys.readouterr().out)
    assert [r["model"] for r in out["rows"]] == ["Shahed-136/131", "Iskander-M"]
    expected = predict_rows(load_model(json.loads(model_path.read_text())), pd.read_csv(small))
    for row, exp in zip(out["rows"], expected, strict=True):
        assert {"date", "model", "weapon_class", "launched", "predicted_destroyed",
                "predicted_defeated"} <= set(row)  # fmt: skip
        assert row["predicted_defeated"] == pytest.approx(exp["predicted_defeated"])
        assert 0 <= row["predicted_destroyed"] <= row["predicted_defeated"] <= row["launched"]


@pytest.mark.parametrize(
    ("args", "flag"),
    [
        (["predict", "--model", "/no/such.json", "--attacks", "/no/such.csv", "--json"], "--model"),
        (["calibrate", "--attacks", "/no/such.csv", "--out", "/tmp/x.json"], "--attacks"),
    ],
)
def test_cli_bad_files_exit_2(args, flag, capsys) -> None:
    with pytest.raises(SystemExit) as exc:
        main(args)
    assert exc.value.code == 2
    assert flag in capsys.readouterr().err


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("date,model,weapon_class,launched\n2024-01-01,Kalibr,cruise,3\n", "destroyed"),
        ("date,model,weapon_class,launched,destroyed\n2024-01-01,Kalibr,cruise,3,5\n", "destroyed"),
        ("date,model,weapon_class,launched,destroyed\n2024-01-01,Kalibr,cruise,x,1\n", "launched"),
    ],
)
def test_cli_calibrate_bad_columns_exit_2(tmp_path: Path, capsys, text, word) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(text)
    with pytest.raises(SystemExit) as exc:
        main(["calibrate", "--attacks", str(bad), "--out", str(tmp_path / "m.json")])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "--attacks" in err and word in err


def test_cli_predict_missing_column_exit_2(tmp_path: Path, capsys, embedded_model) -> None:
    model_path = tmp_path / "m.json"
    model_path.write_text(json.dumps(embedded_model))
    bad = tmp_path / "bad.csv"
    bad.write_text("date,model\n2024-01-01,Kalibr\n")
    with pytest.raises(SystemExit) as exc:
        main(["predict", "--model", str(model_path), "--attacks", str(bad), "--json"])
    assert exc.value.code == 2
    assert "weapon_class" in capsys.readouterr().err


def test_cli_calibrate_without_out_exit_2(tmp_path: Path, capsys) -> None:
    attacks = tmp_path / "a.csv"
    synthetic_reports(np.random.default_rng(1), months=2, days=2).to_csv(attacks, index=False)
    with pytest.raises(SystemExit) as exc:
        main(["calibrate", "--attacks", str(attacks)])
    assert exc.value.code == 2
    assert "--out" in capsys.readouterr().err


def test_beta_binomial_interval_matches_scipy() -> None:
    """Against scipy.stats.betabinom.ppf (independent implementation), exact."""
    from scipy.stats import betabinom

    from gbad.engage._penalised_logit import beta_binomial_interval

    rng = np.random.default_rng(4)
    n = rng.integers(0, 400, 300).astype(float)
    p = rng.uniform(0.01, 0.99, 300)
    rho = rng.uniform(0.002, 0.5, 300)
    low, high = beta_binomial_interval(n, p, rho, (0.1, 0.9))
    conc = 1 / rho - 1
    a, b = p * conc, (1 - p) * conc
    np.testing.assert_array_equal(low, betabinom.ppf(0.1, n.astype(int), a, b))
    np.testing.assert_array_equal(high, betabinom.ppf(0.9, n.astype(int), a, b))


def test_sampled_rates_agree_with_the_triples(embedded_model) -> None:
    """Means of the draws equal ``mid`` within 4 standard errors of the mean (sd of the
    draws / sqrt(draws)); their 10th/90th percentiles match low/high within 0.02 (the
    quantile's sampling sd at 20,000 draws is below 0.005)."""
    from gbad.engage.campaign_rates import sample_campaign_defeat_rates

    draws = 20_000
    sample = sample_campaign_defeat_rates(embedded_model, np.random.default_rng(9), draws)
    rates = campaign_defeat_rates(embedded_model)
    assert set(sample) == set(rates)
    for cls, d in sample.items():
        np.testing.assert_allclose(d["defeated"], d["kinetic"] + d["ew"])
        for key in ("defeated", "kinetic", "ew"):
            low, mid, high = getattr(rates[cls], key)
            se = d[key].std() / np.sqrt(draws)
            assert abs(d[key].mean() - mid) < 4 * se + 1e-12, (cls, key)
            assert abs(np.quantile(d[key], 0.1) - low) < 0.02
            assert abs(np.quantile(d[key], 0.9) - high) < 0.02
