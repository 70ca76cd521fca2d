"""The DuckDB run store: round trips, transactions, recovery of interrupted runs."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pandas as pd
import psutil
import pytest

from gbad.store import RunNotFoundError, RunStore, record_run
from gbad.store._owner import current_owner, pid_alive

PLAN = {
    "scenario": {"name": "t", "target": {"factor": 5.0}},
    "targets": {
        "status": "ok",
        "collective_target": 120,
        "countries": [
            {"iso3": "DEU", "baseline": 10, "target": 50, "quota": 49.6},
            {"iso3": "POL", "baseline": 8, "target": 40, "quota": 40.2},
            {"iso3": "FRA", "baseline": 6, "target": 30, "quota": 30.2},
        ],
    },
    "coverage": {"status": "ok", "grid": [[0.1, 0.2], [0.3, 0.4]], "fraction": 0.61},
    "meta": {"timings_s": {"targets": 0.5, "coverage": 1.25}, "seed": 7},
    "summary": {"collective_target": 120, "coverage_fraction": 0.61, "funding_year": None},
}


@pytest.fixture
def store(tmp_path: Path) -> RunStore:
    with RunStore(tmp_path / "runs.duckdb") as s:
        yield s


def test_create_get_list_roundtrip(store: RunStore) -> None:
    a = store.create_run({"name": "alpha", "seed": 11})
    b = store.create_run({"name": "beta"}, kind="sweep", seed=3)
    assert (a, b) == (1, 2)
    run = store.get_run(a)
    assert (run.name, run.kind, run.status, run.seed, run.results) == (
        "alpha",
        "plan",
        "queued",
        11,
        None,
    )
    assert run.scenario == {"name": "alpha", "seed": 11}
    assert [r.id for r in store.list_runs()] == [b, a]
    assert [r.id for r in store.list_runs(kind="sweep")] == [b]
    with pytest.raises(RunNotFoundError):
        store.get_run(99)


def test_results_and_tables_roundtrip(store: RunStore) -> None:
    run_id = store.create_run(PLAN["scenario"])
    store.set_status(run_id, "running")
    store.save_results(run_id, PLAN, artifacts={"report.html": "<p>r</p>"})
    run = store.get_run(run_id)
    assert run.status == "done" and run.progress == 1.0
    assert run.results == PLAN
    assert list(run.results) == list(PLAN)  # key order kept
    assert run.timings == {"targets": 0.5, "coverage": 1.25}
    assert run.started_at is not None and run.finished_at is not None
    assert run.started_at <= run.finished_at
    assert store.table_names(run_id) == ["targets.countries"]
    frame = store.get_table(run_id, "targets.countries")
    pd.testing.assert_frame_equal(
        frame, pd.DataFrame(PLAN["targets"]["countries"]), check_dtype=False
    )
    assert store.get_artifact(run_id, "report.html") == "<p>r</p>"


def test_final_status_is_final(store: RunStore) -> None:
    run_id = store.create_run({})
    store.fail_run(run_id, "boom\n  second line")
    assert store.get_run(run_id).error == "boom second line"
    with pytest.raises(ValueError, match="already failed"):
        store.set_status(run_id, "running")
    with pytest.raises(ValueError, match="already failed"):
        store.save_results(run_id, PLAN)


def test_failed_write_leaves_nothing_behind(
    store: RunStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    done = store.create_run({"name": "kept"})
    store.save_results(done, PLAN)
    run_id = store.create_run({})
    store.set_status(run_id, "running")
    real = store.con

    class DiesMidTransaction:
        """The connection, failing after the results rows are written."""

        def __getattr__(self, name: str) -> object:
            return getattr(real, name)

        def register(self, name: str, obj: object) -> object:
            assert real.execute(
                "SELECT count(*) FROM results WHERE run_id = ?", [run_id]
            ).fetchone() == (len(PLAN),)
            raise OSError("disk full")

    monkeypatch.setattr(store, "_con", DiesMidTransaction())
    with pytest.raises(OSError, match="disk full"):
        store.save_results(run_id, PLAN)
    monkeypatch.undo()
    run = store.get_run(run_id)
    assert run.status == "running" and run.results is None
    assert store.table_names(run_id) == []
    assert store.get_run(done).results == PLAN  # the earlier run is untouched


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_runs_of_dead_processes_marked_failed_on_open(tmp_path: Path) -> None:
    db = tmp_path / "runs.duckdb"
    with RunStore(db) as s:
        done = s.create_run({"name": "done"})
        s.save_results(done, PLAN)
        dead = s.create_run({"name": "dead"})
        s.set_status(dead, "running")
        queued = s.create_run({"name": "queued"})
        mine = s.create_run({"name": "mine"})  # executed by this (live) process
        host = socket.gethostname()
        s.con.execute(
            "UPDATE runs SET owner = ? WHERE id IN (?, ?)",
            [f"{host}:{_dead_pid()}:1", dead, queued],
        )
    with RunStore(db) as s:
        assert sorted(s.interrupted) == [dead, queued]
        assert s.get_run(dead).status == "failed"
        assert s.get_run(dead).error == "interrupted"
        assert s.get_run(queued).status == "failed"
        assert s.get_run(mine).status == "queued"
        assert s.get_run(done).results == PLAN


def test_live_other_process_keeps_its_run(tmp_path: Path) -> None:
    db = tmp_path / "runs.duckdb"
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        with RunStore(db) as s:
            run_id = s.create_run({})
            created = psutil.Process(sleeper.pid).create_time()
            owner = f"{socket.gethostname()}:{sleeper.pid}:{created:.3f}"
            s.con.execute("UPDATE runs SET owner = ? WHERE id = ?", [owner, run_id])
            # The same pid with another start time is a recycled pid: that run is dead.
            other = s.create_run({})
            s.con.execute(
                "UPDATE runs SET owner = ? WHERE id = ?",
                [f"{socket.gethostname()}:{sleeper.pid}:{created - 1:.3f}", other],
            )
        with RunStore(db) as s:
            assert s.get_run(run_id).status == "queued"
            assert s.get_run(other).status == "failed"
    finally:
        sleeper.kill()
        sleeper.wait()


def test_a_zombie_owner_is_dead_and_a_live_one_alive() -> None:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    try:
        assert pid_alive(os.getpid(), current_owner().rsplit(":", 1)[-1])
        for _ in range(500):  # exited but not yet reaped: a zombie
            if psutil.Process(child.pid).status() == psutil.STATUS_ZOMBIE:
                break
            time.sleep(0.01)
        assert not pid_alive(child.pid)
    finally:
        child.wait()
    assert not pid_alive(child.pid)  # reaped: no such process


def test_second_process_gets_store_locked(tmp_path: Path) -> None:
    db = tmp_path / "runs.duckdb"
    with RunStore(db):
        code = (
            "import sys\nfrom gbad.store import RunStore, StoreLockedError\n"
            f"try:\n    RunStore({str(db)!r})\nexcept StoreLockedError as e:\n"
            "    print(e); sys.exit(3)\n"
        )
        proc = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=False
        )
    assert proc.returncode == 3, proc.stderr
    assert "in use by another process" in proc.stdout


def test_export_parquet_and_csv(store: RunStore, tmp_path: Path) -> None:
    run_id = store.create_run(PLAN["scenario"])
    store.save_results(run_id, PLAN, artifacts={"report.html": "<p>r</p>"})
    for fmt in ("parquet", "csv"):
        out = tmp_path / fmt
        files = store.export_run(run_id, out, fmt=fmt)
        names = sorted(p.name for p in files)
        assert names == sorted(
            ["run.json", "plan.json", "report.html", f"targets.countries.{fmt}", f"scalars.{fmt}"]
        )
        assert json.loads((out / "plan.json").read_text()) == PLAN
        read = pd.read_parquet if fmt == "parquet" else pd.read_csv
        countries = read(out / f"targets.countries.{fmt}")
        assert list(countries["iso3"]) == ["DEU", "POL", "FRA"]
        assert countries["target"].sum() == 120
        scalars = read(out / f"scalars.{fmt}").set_index("key")
        assert scalars.loc["summary.coverage_fraction", "value"] == pytest.approx(0.61)
        assert scalars.loc["targets.countries[POL].quota", "value"] == pytest.approx(40.2)
        assert scalars.loc["coverage.grid.sum", "value"] == pytest.approx(1.0)


def test_sql_over_result_rows(store: RunStore) -> None:
    """Stored tables are queryable with DuckDB's JSON functions."""
    run_id = store.create_run({})
    store.save_results(run_id, PLAN)
    rows = store.con.execute(
        "SELECT json_extract_string(data, '$.iso3'), CAST(json_extract(data, '$.target') AS INT) "
        "FROM result_rows WHERE run_id = ? AND tbl = 'targets.countries' ORDER BY row_idx",
        [run_id],
    ).fetchall()
    assert rows == [("DEU", 50), ("POL", 40), ("FRA", 30)]


def test_record_run_done_and_failed(tmp_path: Path) -> None:
    db = tmp_path / "runs.duckdb"
    with record_run(db, {"name": "ok"}) as rec:
        rec.progress("half", 0.5)
        rec.save(PLAN, artifacts={"report.html": "x"})
    with pytest.raises(RuntimeError, match="stage blew up"), record_run(db, {"name": "bad"}):
        raise RuntimeError("stage blew up")
    with record_run(db, {"name": "forgot"}):
        pass
    with RunStore(db) as s:
        ok, bad, forgot = (s.get_run(i) for i in (1, 2, 3))
    assert (ok.status, ok.source, ok.results) == ("done", "cli", PLAN)
    assert set(ok.timings) == {"targets", "coverage", "total_s"}
    # The stored scenario is complete (defaults filled in), so it reproduces the run.
    assert ok.scenario["target"]["factor"] == 5.0 and ok.seed == ok.scenario["seed"]
    assert (bad.status, bad.error) == ("failed", "RuntimeError: stage blew up")
    assert (forgot.status, forgot.error) == ("failed", "no results saved")


def test_record_run_skips_when_store_is_held(tmp_path: Path) -> None:
    db = tmp_path / "runs.duckdb"
    RunStore(db).close()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb, time; c = duckdb.connect({str(db)!r}); "
            "print('ok', flush=True); time.sleep(30)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ok"
        messages: list[str] = []
        with record_run(db, {}, on_skip=messages.append) as rec:
            rec.save(PLAN)
        assert not rec.recorded
        assert len(messages) == 1 and "not recorded" in messages[0]
    finally:
        holder.kill()
        holder.wait()
    with RunStore(db) as s:
        assert s.list_runs() == []


def test_store_file_is_a_duckdb_database(tmp_path: Path) -> None:
    db = tmp_path / "runs.duckdb"
    with RunStore(db) as s:
        s.save_results(s.create_run({}), PLAN)
    con = duckdb.connect(str(db), read_only=True)
    try:
        tables = {
            r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()
        }
    finally:
        con.close()
    assert {"runs", "results", "result_rows", "artifacts", "meta"} <= tables


def test_record_run_progress_is_visible_while_running(tmp_path: Path) -> None:
    db = tmp_path / "runs.duckdb"
    with record_run(db, {"name": "live"}) as rec:
        rec.progress("Budgets", 0.3)
        rec.progress("Industrial delivery", 0.4)  # within 0.5 s: not written
        with RunStore(db) as s:  # another reader meanwhile (the file is not held)
            run = s.get_run(1)
        assert (run.status, run.progress, run.stage) == ("running", 0.3, "Budgets")
        rec.save(PLAN)


def test_partial_results_of_a_failed_run_are_kept(store: RunStore) -> None:
    run_id = store.create_run({}, status="running")
    store.save_results(run_id, PLAN, error="stage campaign failed\n(ValueError)")
    run = store.get_run(run_id)
    assert (run.status, run.error, run.results) == (
        "failed",
        "stage campaign failed (ValueError)",
        PLAN,
    )


def test_record_run_skips_an_unusable_store(tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.duckdb"
    bogus.write_text("not a database\n" * 100)
    messages: list[str] = []
    with record_run(bogus, {}, on_skip=messages.append) as rec:
        rec.progress("Budgets", 0.5)
        rec.save(PLAN)
    assert not rec.recorded and len(messages) == 1 and "cannot open" in messages[0]
    assert bogus.read_text().startswith("not a database")


def test_ids_are_never_reused(store: RunStore) -> None:
    first = store.create_run({})
    second = store.create_run({})
    store.fail_run(second, "x")
    store.delete_run(second)
    assert store.create_run({}) == second + 1
    assert [r.id for r in store.list_runs()] == [second + 1, first]


def test_record_run_save_plan_and_disabled(tmp_path: Path) -> None:
    db = tmp_path / "runs.duckdb"

    class FakePlan:
        def __init__(self, failed: bool) -> None:
            self.doc = (
                {**PLAN, "campaign": {"status": "failed", "error": "ValueError: x"}}
                if failed
                else PLAN
            )

        def to_dict(self) -> dict[str, object]:
            return self.doc

    with record_run(db, {"name": "ok"}) as rec:
        rec.save_plan(FakePlan(failed=False), "<html>")
    with record_run(db, {"name": "partial"}) as rec:
        rec.save_plan(FakePlan(failed=True))
    with record_run(db, {"name": "off"}, enabled=False) as off:
        off.progress("x", 0.5)
        off.save_plan(FakePlan(failed=False))
    assert not off.recorded
    with RunStore(db) as s:
        ok, partial = s.get_run(1), s.get_run(2)
        assert [r.id for r in s.list_runs()] == [2, 1]
        assert (ok.status, s.get_artifact(1, "report.html")) == ("done", "<html>")
    assert (partial.status, partial.error) == ("failed", "stage campaign failed: ValueError: x")
    assert partial.results is not None and partial.results["targets"] == PLAN["targets"]
