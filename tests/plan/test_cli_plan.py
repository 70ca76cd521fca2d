"""``gbad plan``: files written, JSON on stdout, exit 2 for bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest


def gbad(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from gbad.cli import main; main()", *args],
        capture_output=True,
        text=True,
        check=False,
    )


SMALL_YAML = """\
name: estonia
countries: [EST]
seed: 11
target:
  factor: 3
threat:
  nights: 5
campaign:
  replications: 2
"""


def test_plan_writes_json_and_report_and_prints_summary(tmp_path: Path) -> None:
    scenario = tmp_path / "s.yaml"
    scenario.write_text(SMALL_YAML)
    out = tmp_path / "new" / "dir"
    proc = gbad("plan", "--scenario", str(scenario), "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    data = json.loads((out / "plan.json").read_text())
    assert {"scenario", "targets", "budget", "industry", "siting", "coverage", "campaign"} <= set(
        data
    )
    assert data["scenario"]["name"] == "estonia"
    assert data["scenario"]["target"]["factor"] == 3
    assert (data["meta"]["seed"], data["summary"]["factor"]) == (11, 3)
    html = (out / "report.html").read_text()
    assert html.startswith("<!doctype html>")
    assert "plan.json" in proc.stdout
    assert "long+medium target" in proc.stdout
    assert "trajectory" in proc.stdout and "collective target" not in proc.stdout
    assert "Traceback" not in proc.stderr


def test_plan_is_recorded_in_the_run_store(tmp_path: Path) -> None:
    scenario = tmp_path / "s.yaml"
    scenario.write_text(SMALL_YAML)
    db = tmp_path / "runs.duckdb"
    proc = gbad("plan", "--scenario", str(scenario), "--out", str(tmp_path / "o"), "--db", str(db))
    assert proc.returncode == 0, proc.stderr
    assert "recorded as run 1" in proc.stderr
    runs = json.loads(gbad("runs", "list", "--db", str(db), "--json").stdout)
    rows = runs["runs"] if isinstance(runs, dict) else runs
    assert [(r["id"], r["status"], r["name"]) for r in rows] == [(1, "done", "estonia")]
    shown = json.loads(gbad("runs", "show", "1", "--db", str(db), "--json").stdout)
    plan = json.loads((tmp_path / "o" / "plan.json").read_text())
    assert shown["results"]["summary"] == plan["summary"]
    skipped = gbad(
        "plan",
        "--scenario",
        str(scenario),
        "--out",
        str(tmp_path / "o"),
        "--db",
        str(db),
        "--no-record",
    )
    assert skipped.returncode == 0, skipped.stderr
    again = json.loads(gbad("runs", "list", "--db", str(db), "--json").stdout)
    assert len(again["runs"] if isinstance(again, dict) else again) == 1


def test_plan_json_flag_prints_the_plan_only(tmp_path: Path) -> None:
    scenario = tmp_path / "s.yaml"
    scenario.write_text(SMALL_YAML)
    proc = gbad("plan", "--scenario", str(scenario), "--out", str(tmp_path), "--json")
    assert proc.returncode == 0, proc.stderr
    printed = json.loads(proc.stdout)  # exactly one JSON document on stdout
    written = json.loads((tmp_path / "plan.json").read_text())
    assert printed == written


@pytest.mark.parametrize(
    ("text", "path"),
    [
        ("target:\n  factr: 3\n", "target.factr"),
        ("threat:\n  nights: -1\n", "threat.nights"),
        ("bogus: 1\n", "bogus"),
    ],
)
def test_bad_scenario_key_exits_2_naming_the_path(tmp_path: Path, text: str, path: str) -> None:
    scenario = tmp_path / "bad.yaml"
    scenario.write_text(text)
    out = tmp_path / "o"
    proc = gbad("plan", "--scenario", str(scenario), "--out", str(out))
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"gbad: error: {path}:")
    assert proc.stdout == ""
    assert not out.exists()  # nothing written for a bad scenario


def test_missing_scenario_file_exits_2(tmp_path: Path) -> None:
    proc = gbad("plan", "--scenario", str(tmp_path / "none.yaml"), "--out", str(tmp_path))
    assert proc.returncode == 2
    assert "--scenario" in proc.stderr


def test_out_is_a_file_exits_2(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    for out in (blocker, blocker / "sub"):
        proc = gbad("plan", "--out", str(out))
        assert proc.returncode == 2, proc.stderr
        assert proc.stderr.startswith("gbad: error: --out:")
        assert len(proc.stderr.strip().splitlines()) == 1


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only directories")
def test_out_not_writable_exits_2(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        proc = gbad("plan", "--out", str(locked))
    finally:
        locked.chmod(0o700)
    assert proc.returncode == 2
    assert "--out" in proc.stderr


def test_out_not_writable_under_proc_exits_2() -> None:
    # /proc refuses new directories even for root, so this runs everywhere on Linux.
    if not Path("/proc/self").exists():
        pytest.skip("no /proc")
    proc = gbad("plan", "--out", "/proc/gbad-out")
    assert proc.returncode == 2
    assert proc.stderr.startswith("gbad: error: --out:")


def test_out_flag_is_required() -> None:
    proc = gbad("plan")
    assert proc.returncode == 2
    assert "--out" in proc.stderr


def test_an_internal_error_exits_1_naming_it(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from gbad.cli import main
    from gbad.plan import _runner

    def broken(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(_runner, "compute_industry", broken)
    monkeypatch.delenv("GBAD_DEBUG", raising=False)
    with pytest.raises(SystemExit) as exc:
        main(["plan", "--out", str(tmp_path), "--json", "--no-record"])
    assert exc.value.code == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith("gbad: internal error: ZeroDivisionError")
    assert not (tmp_path / "plan.json").exists()  # no half plan is written


def test_summary_lines_say_missing_years_in_words(small_plan: object) -> None:
    from gbad.cli.plan import summary_lines

    plan = small_plan.replace(  # type: ignore[attr-defined]
        summary={
            **small_plan.summary,  # type: ignore[attr-defined]
            "funding_year": None,
            "unfunded_countries": ["EST"],
            "last_funded_year": None,
            "delivery_year": None,
            "tier_delivery_years": {"long": None},
            "delivery_checked_to_year": 2050,
        }
    )
    lines = summary_lines(plan)
    assert any(
        line.startswith("  funded by            not all allies by 2035 (1 short)") for line in lines
    )
    assert "  delivered by         long not by 2050 (all tiers not by 2050)" in lines
    assert any(line.startswith("  long+medium target") for line in lines)
    assert any(line.strip().startswith("2035") and "fire units" in line for line in lines)


def test_summary_lines_give_the_essi_headline(small_plan: object) -> None:
    from gbad.cli.plan import summary_lines

    s = small_plan.summary  # type: ignore[attr-defined]
    lines = [ln for ln in summary_lines(small_plan) if "joint buying (ESSI)" in ln]
    assert len(lines) == 1
    assert f"{len(s['essi_coalition'])} allies pooled" in lines[0]
    assert f"{s['essi_increments_earlier']} ally-tier increments earlier" in lines[0]
    off = small_plan.replace(summary={**s, "essi_coalition": None})  # type: ignore[attr-defined]
    assert not any("joint buying" in ln for ln in summary_lines(off))
