"""The final write of a recorded run waits for a store another process holds."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from gbad.scenario import Scenario
from gbad.store import RunStore, record_run

HOLD = """
import sys, time
from gbad.store import RunStore
store = RunStore(sys.argv[1])
print("held", flush=True)
time.sleep(float(sys.argv[2]))
store.close()
"""


def hold(db: Path, seconds: float) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(db), str(seconds)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
    return proc


def test_save_waits_for_a_held_store_then_records(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "runs.duckdb"
    monkeypatch.setenv("GBAD_STORE_WAIT_S", "30")
    notes: list[str] = []
    with record_run(db, Scenario(), on_skip=notes.append) as rec:
        holder = hold(db, 1.5)  # e.g. `gbad serve --db` started meanwhile, then stopped
        start = time.monotonic()
        rec.save({"summary": {"x": 1}})
    holder.wait(timeout=30)
    assert rec.recorded and time.monotonic() - start >= 0.5
    assert any("waiting up to 30 s" in n for n in notes)
    with RunStore(db) as store:
        run = store.get_run(rec.run_id or 0)
    assert run.status == "done" and run.results == {"summary": {"x": 1}}


def test_a_run_is_not_reported_recorded_without_its_results(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "runs.duckdb"
    monkeypatch.setenv("GBAD_STORE_WAIT_S", "0.5")
    notes: list[str] = []
    with record_run(db, Scenario(), on_skip=notes.append) as rec:
        holder = hold(db, 20)
        rec.save({"summary": {"x": 1}})
    assert rec.run_id is not None and not rec.recorded
    assert "results not recorded after waiting 0.5 s" in notes[-1]
    holder.kill()
    holder.wait(timeout=10)
