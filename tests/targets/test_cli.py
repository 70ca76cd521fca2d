"""CLI contract of gbad apportion / budget / industry (exit codes, JSON keys)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from gbad.cli import main


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exc:
        main(args)
    out, err = capsys.readouterr()
    return int(exc.value.code or 0), out, err


@pytest.mark.parametrize(
    ("method", "key"), [("hamilton", "gdp"), ("dhondt", "population"), ("webster", "exposure")]
)
def test_apportion_contract(method: str, key: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(
        ["apportion", "--factor", "5", "--key", key, "--method", method, "--json"], capsys
    )
    assert code == 0
    d = json.loads(out)
    baseline = sum(c["baseline"] for c in d["countries"])
    assert d["collective_target"] == round(5 * baseline)
    assert sum(c["target"] for c in d["countries"]) == d["collective_target"]
    for c in d["countries"]:
        assert isinstance(c["target"], int)
        assert c["target"] >= c["baseline"]
        assert set(c) >= {"iso3", "baseline", "target", "quota"}
    assert {c["iso3"] for c in d["countries"]}.isdisjoint({"CAN", "USA"})
    assert len(d["countries"]) == 30
    assert set(d["tiers"]) == {"long", "medium", "short", "very-short", "c-uas"}


def test_apportion_one_tier(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(["apportion", "--factor", "2.5", "--tier", "long", "--json"], capsys)
    assert code == 0
    d = json.loads(out)
    baseline = sum(c["baseline"] for c in d["countries"])
    assert d["collective_target"] == round(2.5 * baseline)
    assert list(d["tiers"]) == ["long"]


@pytest.mark.parametrize(
    ("args", "flag"),
    [
        (["--factor", "0"], "--factor"),
        (["--factor", "-2"], "--factor"),
        (["--factor", "5", "--key", "area"], "--key"),
        (["--factor", "5", "--method", "jefferson"], "--method"),
        (["--factor", "5", "--tier", "space"], "--tier"),
        (["--factor", "0.5", "--tier", "long"], "--factor"),
        (["--factor", "5", "--tier", "long", "--max", "DEU=1"], "--max"),
        (["--factor", "5", "--tier", "long", "--min", "DEU=10000"], "--min"),
        (["--factor", "5", "--min", "DEU"], "--min"),
    ],
)
def test_apportion_bad_input_exit_2(
    args: list[str], flag: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _run(["apportion", *args, "--json"], capsys)
    assert code == 2
    assert out == ""
    assert err.startswith(f"gbad: error: {flag}:")
    assert len(err.strip().splitlines()) == 1


def test_apportion_table(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(["apportion", "--factor", "5", "--tier", "long"], capsys)
    assert code == 0
    assert "DEU" in out and "National targets" in out


def test_budget_and_industry_json_on_clean_stdout() -> None:
    # A subprocess, so that output written by the HiGHS library to fd 1 would show.
    for cmd, keys in (
        ("budget", {"total_cost_musd", "funding_year", "unfunded_countries", "countries"}),
        ("industry", {"delivery_year", "binding_line", "countries", "joint_procurement"}),
    ):
        proc = subprocess.run(
            [sys.executable, "-c", "from gbad.cli import main; main()", cmd, "--json"],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert proc.returncode == 0, proc.stderr
        d = json.loads(proc.stdout)
        assert keys <= set(d)


def test_budget_industry_bad_flags(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(["budget", "--gbad-share-pct", "150", "--json"], capsys)
    assert code == 2 and "--gbad-share-pct" in err
    code, _, err = _run(["industry", "--allocation", "lottery", "--json"], capsys)
    assert code == 2 and "--allocation" in err
