"""Radar horizon and range scaling against tests/reference/validation.md §3.3 (cases 3.1-3.13)."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from gbad.coverage.horizon import (
    horizon_coefficient_km_per_sqrt_m,
    one_end_horizon_km,
    radar_horizon_km,
    radar_horizon_km_approx,
    radio_horizon_fs1037c_km,
    range_scale_power,
    range_scale_rcs,
)

# tolerance 1e-3 km: the table gives values to 3 decimals (tests/reference/validation.md §3.3)
CASES = [
    # id, h_r, h_t, 4.12 form, exact 4/3 earth
    ("3.1/3.2", 10.0, 50.0, 42.161, 42.180),
    ("3.3", 10.0, 0.0, 13.029, 13.034),
    ("3.4", 4.0, 30.0, 30.806, 30.820),
    ("3.5", 20.0, 100.0, 59.625, 59.652),
    ("3.6", 15.0, 500.0, 108.083, 108.132),
    ("3.7", 30.0, 10_000.0, 434.566, 434.879),
]


@pytest.mark.parametrize(("case", "hr", "ht", "approx", "exact"), CASES)
def test_horizon_cases(case: str, hr: float, ht: float, approx: float, exact: float) -> None:
    # the table's 3 decimals are rounded, so allow half a unit in the last place + float noise
    assert radar_horizon_km_approx(hr, ht) == pytest.approx(approx, abs=5e-4 + 1e-9)
    assert radar_horizon_km(hr, ht) == pytest.approx(exact, abs=5e-4 + 1e-9)


def test_coefficient_3_8() -> None:
    assert horizon_coefficient_km_per_sqrt_m() == pytest.approx(4.12181, abs=1e-5)


def test_fs1037c_metre_form_3_9() -> None:
    value = radio_horizon_fs1037c_km(10.0, 50.0)
    assert value == pytest.approx(42.263, abs=5e-4)
    # "about 0.2 % above" the exact value of case 3.2
    assert value / radar_horizon_km(10.0, 50.0) - 1.0 == pytest.approx(0.002, abs=5e-4)


def test_rcs_scaling_3_10_to_3_12() -> None:
    assert range_scale_rcs(1.0, 0.01) == pytest.approx(0.316228, abs=1e-6)
    assert 100.0 * range_scale_rcs(1.0, 0.01) == pytest.approx(31.623, abs=1e-3)
    assert range_scale_rcs(1.0, 0.1) == pytest.approx(0.562341, abs=1e-6)
    assert range_scale_rcs(2.0, 1.0) == pytest.approx(0.840896, abs=1e-6)


def test_power_scaling_3_13() -> None:
    assert range_scale_power(16.0) == pytest.approx(2.0, abs=1e-12)


def test_small_angle_form_converges_to_exact() -> None:
    # exact minus sqrt(2kRh) is h^2/(2 d) to first order: tiny at low heights
    h = np.array([1.0, 10.0, 100.0])
    exact = np.asarray(one_end_horizon_km(h))
    approx = horizon_coefficient_km_per_sqrt_m() * np.sqrt(h)
    assert np.all(exact > approx)
    assert np.all((exact - approx) / exact < 1e-5)


def test_k_factor_scales_with_sqrt_k() -> None:
    # d ~ sqrt(k) for h << kR: k = 4/3 vs k = 1 differ by sqrt(4/3) within 1e-5
    ratio = radar_horizon_km(10.0, 50.0, 4.0 / 3.0) / radar_horizon_km(10.0, 50.0, 1.0)
    assert ratio == pytest.approx(np.sqrt(4.0 / 3.0), rel=1e-5)


def test_rejects_negative_height() -> None:
    with pytest.raises(ValueError, match="height"):
        radar_horizon_km(-1.0, 10.0)


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from gbad.cli import main; main()", *args],
        capture_output=True,
        text=True,
        check=False,
    )


def test_cli_horizon_contract() -> None:
    proc = _run("horizon", "--sensor-height-m", "10", "--target-height-m", "50", "--json")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["horizon_km"] == pytest.approx(42.180, abs=5e-4)
    proc = _run(
        "horizon", "--sensor-height-m", "10", "--target-height-m", "50", "--k-factor", "1", "--json"
    )
    assert json.loads(proc.stdout)["horizon_km"] == pytest.approx(
        float(radar_horizon_km(10.0, 50.0, 1.0)), rel=1e-12
    )


@pytest.mark.parametrize(
    ("args", "flag"),
    [
        (["--sensor-height-m", "-5", "--target-height-m", "50"], "--sensor-height-m"),
        (["--sensor-height-m", "5", "--target-height-m", "nan"], "--target-height-m"),
        (["--sensor-height-m", "5", "--target-height-m", "5", "--k-factor", "0"], "--k-factor"),
    ],
)
def test_cli_horizon_bad_input(args: list[str], flag: str) -> None:
    proc = _run("horizon", *args, "--json")
    assert proc.returncode == 2
    assert flag in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    assert proc.stdout == ""
