"""Bad input is refused up front by every command: exit 2, one line naming the field."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from gbad.cli import main
from gbad.store import RunStore
from tests.scenario.bad_cases import BAD_SCENARIOS


def run_cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exc:
        main(args)
    out, err = capsys.readouterr()
    return int(exc.value.code or 0), out, err


def _write(tmp_path: Path, document: dict[str, object]) -> Path:
    path = tmp_path / "scenario.json"
    path.write_text(json.dumps(document))  # json: NaN and Infinity literals round-trip
    return path


@pytest.mark.parametrize(("document", "field"), BAD_SCENARIOS)
def test_plan_refuses_bad_scenarios_before_any_stage(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], document: dict[str, object], field: str
) -> None:
    scenario = _write(tmp_path, document)
    code, _, err = run_cli(
        ["plan", "--scenario", str(scenario), "--out", str(tmp_path / "out"), "--no-record"],
        capsys,
    )
    assert code == 2, err
    assert err.startswith(f"gbad: error: {field}: "), err
    assert len(err.strip().splitlines()) == 1
    assert "gbad plan:" not in err  # no stage ran
    assert not (tmp_path / "out" / "plan.json").exists()


@pytest.mark.parametrize("command", ["campaign", "sweep", "requirement"])
def test_other_commands_apply_the_same_checks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    scenario = _write(tmp_path, {"countries": ["EST", "EST"]})
    extra = ["--no-store"] if command == "sweep" else []
    code, _, err = run_cli([command, "--scenario", str(scenario), *extra], capsys)
    assert (code, err.split(": ")[2]) == (2, "countries.1")


def test_yaml_exponent_is_a_number(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    scenario = tmp_path / "s.yaml"
    scenario.write_text("overrides: {systems: {patriot: {fire_unit_cost_musd_mid: 1e308}}}\n")
    code, _, err = run_cli(["campaign", "--scenario", str(scenario)], capsys)
    assert code == 2
    assert "fire_unit_cost_musd_mid: must be at most" in err  # read as a number, then bounded


@pytest.mark.parametrize(
    ("args", "flag"),
    [
        (["apportion", "--min", "XXX=5"], "--min"),
        (["apportion", "--max", "ZZZ:long=5"], "--max"),
        (["apportion", "--factor", "0.5"], "--factor"),
    ],
)
def test_apportion_refuses_unknown_allies(
    capsys: pytest.CaptureFixture[str], args: list[str], flag: str
) -> None:
    code, _, err = run_cli([*args, "--json"], capsys)
    assert code == 2 and err.startswith(f"gbad: error: {flag}: "), err


@pytest.mark.parametrize(
    ("args", "flag"),
    [
        (["--threats", "1000000000", "--channels", "2"], "--threats"),
        (["--threats", "10", "--shots", "1000000000"], "--shots"),
        (["--threats", "10000", "--trials", "100000000"], "--trials"),
    ],
)
def test_engage_refuses_work_beyond_the_limits(
    capsys: pytest.CaptureFixture[str], args: list[str], flag: str
) -> None:
    base = {"--pk": "0.5", "--shots": "2", "--doctrine": "shoot-shoot", "--trials": "100"}
    given = dict(zip(args[::2], args[1::2], strict=True))
    merged = {**base, **given}
    if "--channels" in merged:
        merged |= {"--arrival-rate-per-min": "1", "--engagement-time-s": "10"}
    argv = ["engage", *[x for kv in merged.items() for x in kv], "--json"]
    start = time.monotonic()
    code, _, err = run_cli(argv, capsys)
    assert code == 2 and err.startswith(f"gbad: error: {flag}: "), err
    assert "limit" in err or "at most" in err
    assert time.monotonic() - start < 5  # refused, not attempted


def test_calibrate_refuses_destroyed_above_launched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    attacks = tmp_path / "attacks.csv"
    attacks.write_text(
        "date,model,weapon_class,launched,destroyed\n"
        "2025-01-01,Shahed-136/131,uav,10,8\n"
        "2025-01-02,Shahed-136/131,uav,10,12\n"
    )
    code, _, err = run_cli(
        ["calibrate", "--attacks", str(attacks), "--out", str(tmp_path / "m.json")], capsys
    )
    assert code == 2
    assert err.startswith("gbad: error: --attacks: column destroyed exceeds launched in row 2")


@pytest.mark.parametrize("kind", ["directory", "text"])
def test_plan_db_that_is_not_a_store_is_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    db = tmp_path / "db"
    if kind == "directory":
        db.mkdir()
    else:
        db.write_text("not a database\n" * 10)
    code, _, err = run_cli(["plan", "--db", str(db), "--out", str(tmp_path / "o")], capsys)
    assert code == 2 and err.startswith("gbad: error: --db: "), err


def test_read_only_store_opens_for_list_show_export(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "runs.duckdb"
    with RunStore(db) as store:
        run_id = store.create_run({"name": "kept"}, status="running")
        store.save_results(run_id, {"summary": {"x": 1}, "t": [{"a": 1}]})
    real_access = os.access
    # Root ignores file modes, so the test makes the store look unwritable.
    monkeypatch.setattr(
        os, "access", lambda p, mode: False if mode == os.W_OK else real_access(p, mode)
    )
    code, out, err = run_cli(["runs", "list", "--db", str(db), "--json"], capsys)
    assert code == 0, err
    assert [r["name"] for r in json.loads(out)["runs"]] == ["kept"]
    code, out, _ = run_cli(["runs", "show", str(run_id), "--db", str(db), "--json"], capsys)
    assert code == 0 and json.loads(out)["results"]["summary"] == {"x": 1}
    code, _, _ = run_cli(
        ["runs", "export", str(run_id), "--db", str(db), "--out", str(tmp_path / "ex")], capsys
    )
    assert code == 0 and (tmp_path / "ex" / "plan.json").exists()
    code, _, err = run_cli(["runs", "delete", str(run_id), "--db", str(db)], capsys)
    assert code == 2 and "read-only" in err


def test_ctrl_c_prints_interrupted_and_records_the_run(tmp_path: Path) -> None:
    db = tmp_path / "runs.duckdb"
    proc = subprocess.Popen(
        [sys.executable, "-c", "from gbad.cli import main; main()", "plan", "--out",
         str(tmp_path / "o"), "--db", str(db)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    assert proc.stderr is not None
    for line in proc.stderr:  # wait until the run is recorded and a stage runs
        if "(" in line and "%" in line:
            break
    proc.send_signal(signal.SIGINT)
    rest = proc.stderr.read()
    assert proc.wait(timeout=60) == 130
    assert rest.strip().splitlines()[-1] == "gbad: interrupted"
    with RunStore(db) as store:
        (run,) = store.list_runs()
    assert (run.status, run.error) == ("failed", "interrupted")
