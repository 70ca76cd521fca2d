"""``gbad runs list|show|export|diff``: output contract and one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from gbad.cli import main
from gbad.store import RunStore

PLAN_A = {
    "targets": {"countries": [{"iso3": "DEU", "target": 50}, {"iso3": "POL", "target": 40}]},
    "summary": {"collective_target": 90, "total_cost_musd": 1000.0},
}
PLAN_B = {
    "targets": {"countries": [{"iso3": "DEU", "target": 60}, {"iso3": "POL", "target": 40}]},
    "summary": {"collective_target": 100, "total_cost_musd": 1250.0},
}


def gbad_subprocess(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from gbad.cli import main; main()", *args],
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture
def gbad(capsys: pytest.CaptureFixture[str]) -> Callable[..., subprocess.CompletedProcess[str]]:
    """Run the CLI in this process (fast); same exit codes and streams as a subprocess."""

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        capsys.readouterr()
        with pytest.raises(SystemExit) as exc:
            main(list(args))
        out, err = capsys.readouterr()
        code = exc.value.code if isinstance(exc.value.code, int) else 0
        return subprocess.CompletedProcess(list(args), code, out, err)

    return run


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "runs.duckdb"
    with RunStore(path) as store:
        a = store.create_run({"name": "five", "target": {"factor": 5}})
        store.save_results(a, PLAN_A)
        b = store.create_run({"name": "six", "target": {"factor": 6}})
        store.save_results(b, PLAN_B)
        store.fail_run(store.create_run({"name": "broken"}), "siting: infeasible")
    return path


def test_list_json(db: Path, gbad: Callable[..., subprocess.CompletedProcess[str]]) -> None:
    proc = gbad("runs", "list", "--db", str(db), "--json")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert [(r["id"], r["name"], r["status"]) for r in out["runs"]] == [
        (3, "broken", "failed"),
        (2, "six", "done"),
        (1, "five", "done"),
    ]
    assert out["runs"][0]["error"] == "siting: infeasible"


def test_list_table_and_status_filter(
    db: Path, gbad: Callable[..., subprocess.CompletedProcess[str]]
) -> None:
    proc = gbad("runs", "list", "--db", str(db), "--status", "done")
    assert proc.returncode == 0
    assert "five" in proc.stdout and "six" in proc.stdout and "broken" not in proc.stdout


def test_show_json_has_results(
    db: Path, gbad: Callable[..., subprocess.CompletedProcess[str]]
) -> None:
    proc = gbad("runs", "show", "2", "--db", str(db), "--json")
    assert proc.returncode == 0
    run = json.loads(proc.stdout)
    assert run["results"] == PLAN_B and run["scenario"]["target"]["factor"] == 6


def test_export_csv(
    db: Path, tmp_path: Path, gbad: Callable[..., subprocess.CompletedProcess[str]]
) -> None:
    out = tmp_path / "export"
    proc = gbad(
        "runs", "export", "1", "--db", str(db), "--out", str(out), "--format", "csv", "--json"
    )
    assert proc.returncode == 0, proc.stderr
    files = {Path(f).name for f in json.loads(proc.stdout)["files"]}
    assert files == {"run.json", "plan.json", "targets.countries.csv", "scalars.csv"}
    assert pd.read_csv(out / "targets.countries.csv")["target"].tolist() == [50, 40]


def test_diff_json(db: Path, gbad: Callable[..., subprocess.CompletedProcess[str]]) -> None:
    proc = gbad("runs", "diff", "1", "2", "--db", str(db), "--json")
    assert proc.returncode == 0
    diff = json.loads(proc.stdout)
    by_path = {d["path"]: d for d in diff["results"]}
    assert set(by_path) == {
        "targets.countries[DEU].target",
        "summary.collective_target",
        "summary.total_cost_musd",
    }
    assert by_path["summary.total_cost_musd"]["rel"] == pytest.approx(0.25)
    assert [d["path"] for d in diff["scenario"]] == ["name", "target.factor"]
    assert (
        gbad("runs", "diff", "1", "1", "--db", str(db), "--json").stdout.count('"identical": true')
        == 1
    )


@pytest.mark.parametrize(
    ("args", "flag"),
    [
        (["runs", "show", "42"], "ID"),
        (["runs", "diff", "1", "42"], "ID"),
        (["runs", "export", "1", "--out", "x", "--format", "xlsx"], "--format"),
        (["runs", "list", "--status", "bogus"], "--status"),
    ],
)
def test_bad_input_exits_2_with_one_line(
    db: Path, args: list[str], flag: str, gbad: Callable[..., subprocess.CompletedProcess[str]]
) -> None:
    proc = gbad(*args, "--db", str(db))
    assert proc.returncode == 2
    assert proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and flag in lines[0]


def test_locked_store_is_a_one_line_error(db: Path) -> None:
    with RunStore(db):  # this process holds the file, as `gbad serve` would
        proc = gbad_subprocess("runs", "list", "--db", str(db))
    assert proc.returncode == 2
    assert proc.stderr.startswith("gbad: error: --db:") and "in use" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_not_a_store_is_a_one_line_error(
    tmp_path: Path, gbad: Callable[..., subprocess.CompletedProcess[str]]
) -> None:
    bogus = tmp_path / "bogus.duckdb"
    bogus.write_text("this is not a database\n" * 100)
    proc = gbad("runs", "list", "--db", str(bogus))
    assert proc.returncode == 2 and "--db" in proc.stderr


def test_missing_store_is_a_one_line_error(
    tmp_path: Path, gbad: Callable[..., subprocess.CompletedProcess[str]]
) -> None:
    proc = gbad("runs", "list", "--db", str(tmp_path / "nope" / "runs.duckdb"))
    assert proc.returncode == 2 and "no run store" in proc.stderr
    assert not (tmp_path / "nope").exists()


def test_delete(db: Path, gbad: Callable[..., subprocess.CompletedProcess[str]]) -> None:
    with RunStore(db) as store:
        live = store.create_run({"name": "live"}, status="running")  # this process is alive
    proc = gbad("runs", "delete", str(live), "--db", str(db))
    assert proc.returncode == 2 and "running" in proc.stderr
    proc = gbad("runs", "delete", "3", "--db", str(db), "--json")
    assert proc.returncode == 0 and json.loads(proc.stdout) == {"id": 3, "deleted": True}
    listed = json.loads(gbad("runs", "list", "--db", str(db), "--json").stdout)["runs"]
    assert [r["id"] for r in listed] == [live, 2, 1]
