"""Run store: saving and reading back a plan in DuckDB vs plain JSON files and SQLite.

Run: ``.venv/bin/python bench/bench_store.py [--plans N]``

A plan of the size of the default plan (30 allies, every stage's tables) is
saved N times and read back N times through :class:`gbad.store.RunStore`
(results by key, every record list as table rows, report as an artifact, one
transaction each), and the same documents through the two obvious alternatives:
one ``plan.json`` per run on disk, and SQLite (one JSON text per run, in the
standard library). Prints the seconds of each and the ratios.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from gbad.store import RunStore

ISO3 = [f"C{i:02d}" for i in range(30)]
SYSTEMS = [f"sys-{i}" for i in range(38)]


def synthetic_plan(rng: np.random.Generator) -> dict[str, Any]:
    """A plan-shaped document with the default plan's table sizes."""

    def rows(n: int, **cols: Any) -> list[dict[str, Any]]:
        return [{k: (v(i) if callable(v) else v) for k, v in cols.items()} for i in range(n)]

    def r() -> float:
        return float(rng.random())

    return {
        "scenario": {"name": "bench", "target": {"factor": 5.0}},
        "targets": {
            "collective_target": 12690,
            "countries": rows(30, iso3=lambda i: ISO3[i], baseline=lambda i: 10 * i, target=lambda i: 50 * i, quota=lambda i: r()),  # noqa: E501
            "tiers": {t: {"countries": rows(30, iso3=lambda i: ISO3[i], target=lambda i: i)} for t in ("long", "medium", "short", "very-short", "c-uas")},  # noqa: E501
        },
        "budget": {
            "countries": rows(30, iso3=lambda i: ISO3[i], cost_musd=lambda i: r() * 1e4, funded_year=2030),  # noqa: E501
            "collective_by_year": rows(26, year=lambda i: 2025 + i, spend_musd=lambda i: r() * 1e5),
        },
        "industry": {"lines": rows(38, system=lambda i: SYSTEMS[i], backlog=lambda i: int(r() * 100))},  # noqa: E501
        "siting": {"new_units": rows(400, site_id=lambda i: f"s{i}", lat=lambda i: r() * 20 + 40, lon=lambda i: r() * 30)},  # noqa: E501
        "coverage": {"grid": [[r() for _ in range(200)] for _ in range(150)], "radii": rows(124, system=lambda i: SYSTEMS[i % 38], threat_class="drone", range_km=lambda i: r() * 100)},  # noqa: E501
        "campaign": {"per_night": rows(30, night=lambda i: i, leakers=lambda i: r()), "by_system": rows(38, system=lambda i: SYSTEMS[i], spent=lambda i: int(r() * 500))},  # noqa: E501
        "summary": {"collective_target": 12690, "total_cost_musd": 431940.3},
        "sources": rows(38, source_id=lambda i: f"src{i}", title="t", url="https://example.org"),
    }  # fmt: skip


def bench_gbad(plans: list[dict[str, Any]], report: str, root: Path) -> tuple[float, float]:
    with RunStore(root / "runs.duckdb") as store:
        t0 = time.perf_counter()
        ids = []
        for plan in plans:
            run_id = store.create_run(plan["scenario"], status="running")
            store.save_results(run_id, plan, artifacts={"report.html": report})
            ids.append(run_id)
        save = time.perf_counter() - t0
        t0 = time.perf_counter()
        for run_id, plan in zip(ids, plans, strict=True):
            assert store.get_run(run_id).results == plan
        load = time.perf_counter() - t0
    return save, load


def bench_files(plans: list[dict[str, Any]], report: str, root: Path) -> tuple[float, float]:
    t0 = time.perf_counter()
    for i, plan in enumerate(plans):
        run = root / f"run{i}"
        run.mkdir()
        (run / "plan.json").write_text(json.dumps(plan))
        (run / "report.html").write_text(report)
    save = time.perf_counter() - t0
    t0 = time.perf_counter()
    for i, plan in enumerate(plans):
        assert json.loads((root / f"run{i}" / "plan.json").read_text()) == plan
    return save, time.perf_counter() - t0


def bench_sqlite(plans: list[dict[str, Any]], report: str, root: Path) -> tuple[float, float]:
    con = sqlite3.connect(root / "runs.sqlite")
    con.execute("CREATE TABLE runs (id INTEGER PRIMARY KEY, plan TEXT, report TEXT)")
    t0 = time.perf_counter()
    for i, plan in enumerate(plans):
        with con:
            con.execute("INSERT INTO runs VALUES (?, ?, ?)", (i, json.dumps(plan), report))
    save = time.perf_counter() - t0
    t0 = time.perf_counter()
    for i, plan in enumerate(plans):
        (text,) = con.execute("SELECT plan FROM runs WHERE id = ?", (i,)).fetchone()
        assert json.loads(text) == plan
    load = time.perf_counter() - t0
    con.close()
    return save, load


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--plans", type=int, default=20)
    args = parser.parse_args()
    rng = np.random.default_rng(1)
    plans = [synthetic_plan(rng) for _ in range(args.plans)]
    report = "<!doctype html>" + "x" * 400_000  # a report of the default plan's size
    size_kb = len(json.dumps(plans[0])) / 1000
    print(f"{args.plans} plans of {size_kb:.0f} kB JSON each, plus a 400 kB report")
    results = {}
    for name, fn in (
        ("gbad RunStore (DuckDB)", bench_gbad),
        ("plan.json files", bench_files),
        ("SQLite JSON blob", bench_sqlite),
    ):
        with tempfile.TemporaryDirectory() as tmp:
            results[name] = fn(plans, report, Path(tmp))
        save, load = results[name]
        print(f"  {name:<24} save {save:7.3f} s ({1000 * save / args.plans:6.1f} ms/plan)   load {load:7.3f} s ({1000 * load / args.plans:6.1f} ms/plan)")  # fmt: skip  # noqa: E501
    g_save, g_load = results["gbad RunStore (DuckDB)"]
    for name in ("plan.json files", "SQLite JSON blob"):
        save, load = results[name]
        print(f"ratio gbad/{name}: save {g_save / save:.1f}, load {g_load / load:.1f}")


if __name__ == "__main__":
    main()
