"""``gbad sweep``: the contract's flags, exit codes, JSON and reproducibility."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from gbad.cli import main

#: A cheap model on the real reference, so the CLI runs in seconds.
MODEL = "tests.sweep.fixtures:reference_toy_model"
PARAMS = "systems.patriot.*,systems.iris-t-slm.*,scenario.*"


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    """Run ``gbad`` in this process; return its stdout (exit code must be 0)."""
    with pytest.raises(SystemExit) as exc:
        main(list(args))
    captured = capsys.readouterr()
    assert exc.value.code == 0, captured.err
    return captured.out


def sweep_json(capsys: pytest.CaptureFixture[str], *extra: str) -> dict[str, Any]:
    out = run_cli(
        capsys,
        "sweep",
        "--samples",
        "7",
        "--seed",
        "5",
        "--model",
        MODEL,
        "--params",
        PARAMS,
        "--rows",
        "--json",
        *extra,
    )
    assert out.count("\n") == 1  # one JSON object on stdout, nothing else
    doc: dict[str, Any] = json.loads(out)
    return doc


@pytest.mark.parametrize(
    ("args", "flag"),
    [
        (["--samples", "0"], "--samples"),
        (["--samples", "-3"], "--samples"),
        (["--seed", "-1"], "--seed"),
        (["--executor", "threads"], "--executor"),
        (["--executor", "dask://nohost"], "--executor"),
        (["--executor", "dask://host:0"], "--executor"),
        (["--workers", "0"], "--workers"),
        (["--sampler", "grid"], "--sampler"),
        (["--distribution", "normal"], "--distribution"),
        (["--method", "morris"], "--method"),
        (["--model", "nomodule"], "--model"),
        (["--model", "no.such.module:f"], "--model"),
        (["--params", "nothing.matches.*"], "--params"),
        (["--scenario", "/no/such/file.yaml"], "--scenario"),
    ],
)
def test_bad_input_exits_2_naming_the_flag(
    args: list[str], flag: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["sweep", *args, "--no-store", "--json"])
    assert exc.value.code == 2
    err = capsys.readouterr()
    assert err.out == ""
    lines = err.err.strip().splitlines()
    assert len(lines) == 1 and flag in lines[0]


def test_existing_dask_cluster_gives_the_serial_numbers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from dask.distributed import LocalCluster

    serial = sweep_json(capsys, "--executor", "serial", "--no-store")
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
    ) as cluster:
        address = cluster.scheduler_address.replace("tcp://", "dask://")
        remote = sweep_json(
            capsys,
            "--executor",
            address,
            "--out",
            str(tmp_path / "out"),
            "--db",
            str(tmp_path / "runs.duckdb"),
        )
    assert remote["executor"] == address and remote["workers"] == 2
    assert serial["executor"] == "serial" and serial["samples"] == 7 and serial["seed"] == 5
    assert remote["rows"] == serial["rows"]
    assert remote["outputs"] == serial["outputs"]
    assert remote["sensitivity"] == serial["sensitivity"]
    assert {"mean", "std", "p5", "p50", "p95"} <= set(serial["outputs"]["cost_musd"])
    top = serial["sensitivity"]["cost_musd"][0]
    assert top["input"] == "scenario.budget.gbad_share_of_core_pct" and top["spearman"] > 0.5

    # --out: per-sample table as Parquet, summary and plots.
    table = pd.read_parquet(tmp_path / "out" / "samples.parquet")
    assert len(table) == 7 and "cost_musd" in table and "sample" in table
    assert (tmp_path / "out" / "tornado_cost_musd.png").stat().st_size > 1000
    assert (tmp_path / "out" / "fan_cost_musd.png").exists()
    assert json.loads((tmp_path / "out" / "summary.json").read_text())["seed"] == 5

    # The run store keeps the summary and the per-sample rows (exportable to Parquet).
    from gbad.store import RunStore

    with RunStore(tmp_path / "runs.duckdb") as store:
        run = store.get_run(remote["run_id"])
        assert run.kind == "sweep" and run.status == "done"
        assert len(store.get_table(remote["run_id"], "rows")) == 7
        files = store.export_run(remote["run_id"], tmp_path / "export")
    assert (tmp_path / "export" / "rows.parquet") in files


def test_human_output_is_a_table(capsys: pytest.CaptureFixture[str]) -> None:
    out = run_cli(
        capsys,
        "sweep",
        "--samples",
        "3",
        "--seed",
        "1",
        "--model",
        MODEL,
        "--params",
        PARAMS,
        "--executor",
        "serial",
        "--no-store",
    )
    assert "cost_musd" in out and "p95" in out
