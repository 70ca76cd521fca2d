"""``gbad coverage --json --out DIR``: figures of merit and offline maps."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from gbad.cli import main; main()", *args],
        capture_output=True,
        text=True,
        check=False,
    )


def test_coverage_json_and_maps(tmp_path: Path) -> None:
    sc = tmp_path / "s.yaml"
    sc.write_text("countries: [LTU, LVA, EST]\ncoverage:\n  cell_km: 40\n")
    proc = _run("coverage", "--scenario", str(sc), "--out", str(tmp_path / "maps"), "--json")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["terrain"].startswith("smooth-earth")
    assert 0.0 <= out["coverage_fraction"] <= 1.0
    assert set(out["europe"]["by_class"]) >= {"ballistic", "cruise", "drone"}
    html = (tmp_path / "maps" / "coverage.html").read_text()
    # offline: plotly.js is inlined, nothing is fetched from another host
    assert "<script src=" not in html
    assert (tmp_path / "maps" / "coverage_cruise.png").stat().st_size > 1000


def test_coverage_bad_cell_exits_2() -> None:
    proc = _run("coverage", "--cell-km", "1", "--json")
    assert proc.returncode == 2 and "--cell-km" in proc.stderr and proc.stdout == ""
