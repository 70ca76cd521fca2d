"""CLI commands of the sweep stage (registered on :data:`gbad.cli._app.app`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from gbad.cli._app import app

__all__ = ["app", "sweep"]

_SAMPLERS = ("random", "lhs", "sobol")
_DISTRIBUTIONS = ("triangular", "pert")
_METHODS = ("rbd-fast", "delta", "sobol")
#: Parameters of run_sweep and the flags that set them.
_SWEEP_FLAGS = {
    "samples": "--samples",
    "seed": "--seed",
    "sampler": "--sampler",
    "distribution": "--distribution",
    "method": "--method",
    "executor": "--executor",
    "workers": "--workers",
}


def _globs(text: str | None, flag: str) -> list[str] | None:
    from gbad.errors import GbadInputError

    if text is None:
        return None
    parts = [p.strip() for p in text.split(",") if p.strip()]
    if not parts:
        raise GbadInputError(flag, "give one or more comma-separated name patterns")
    return parts


def _check_choice(value: str | None, choices: tuple[str, ...], flag: str) -> None:
    from gbad.errors import GbadInputError

    if value is not None and value not in choices:
        raise GbadInputError(flag, f"unknown value {value!r} (use {', '.join(choices)})")


def _check_executor(spec: str) -> None:
    from gbad.errors import GbadInputError
    from gbad.sweep.executors import parse_dask_address

    if spec.startswith("dask://"):
        parse_dask_address(spec)
    elif spec not in ("local", "dask", "serial"):
        raise GbadInputError(
            "--executor", f"unknown executor {spec!r} (use local, dask or dask://HOST:PORT)"
        )


def _resolve_model(spec: str) -> Any:
    """``fast``, ``full`` or ``MODULE:FUNCTION`` → the model function."""
    import importlib

    from gbad.errors import GbadInputError
    from gbad.sweep.fastpath import fast_path, full_path

    if spec == "fast":
        return fast_path
    if spec == "full":
        return full_path
    module, sep, name = spec.partition(":")
    if not sep or not module or not name:
        raise GbadInputError("--model", f"use fast, full or MODULE:FUNCTION, not {spec!r}")
    try:
        fn = getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError) as exc:
        raise GbadInputError("--model", f"cannot load {spec!r}: {exc}") from None
    if not callable(fn):
        raise GbadInputError("--model", f"{spec!r} is not callable")
    return fn


def _print_table(summary: dict[str, Any]) -> None:
    from rich.table import Table

    from gbad.cli._common import out_console

    table = Table(title=f"gbad sweep: {summary['samples']} samples, seed {summary['seed']}")
    for col in ("output", "mean", "p5", "p50", "p95", "top driver (spearman)"):
        table.add_column(
            col, justify="left" if col in ("output", "top driver (spearman)") else "right"
        )

    def fmt(v: Any) -> str:
        return "—" if v is None else f"{v:,.4g}"

    for name, stats in summary["outputs"].items():
        drivers = summary["sensitivity"].get(name) or []
        top = drivers[0] if drivers and drivers[0]["spearman"] is not None else None
        driver = f"{top['input']} ({top['spearman']:+.2f})" if top else "—"
        table.add_row(name, *(fmt(stats[k]) for k in ("mean", "p5", "p50", "p95")), driver)
    out_console.print(table)


@app.command("sweep")
def sweep(  # noqa: PLR0917 - one parameter per typer option
    samples: int | None = typer.Option(
        None, "--samples", help="Number of samples (default: the scenario's sweep.samples)."
    ),
    seed: int | None = typer.Option(None, "--seed", help="Root seed (default: scenario seed)."),
    executor: str = typer.Option(
        "local", "--executor", help="local (process pool), dask (LocalCluster), dask://HOST:PORT."
    ),
    workers: int | None = typer.Option(
        None, "--workers", help="Worker processes for local and dask (default: CPU count)."
    ),
    scenario: Path | None = typer.Option(None, "--scenario", help="Scenario file (YAML/JSON)."),
    sampler: str | None = typer.Option(None, "--sampler", help="random, lhs or sobol."),
    distribution: str | None = typer.Option(
        None, "--distribution", help="Three-point distribution: pert or triangular."
    ),
    method: str | None = typer.Option(
        None, "--method", help="Variance index: rbd-fast, delta, or sobol (Saltelli design)."
    ),
    params: str | None = typer.Option(
        None, "--params", help="Comma-separated globs of parameters to sample (systems.*)."
    ),
    exclude: str | None = typer.Option(
        None, "--exclude", help="Comma-separated globs of parameters to hold at mid."
    ),
    full: bool = typer.Option(False, "--full", help="Run the whole pipeline per sample."),
    model: str | None = typer.Option(
        None,
        "--model",
        help="fast (default), full, or MODULE:FUNCTION taking (scenario, ref, rng).",
    ),
    rows: bool = typer.Option(False, "--rows", help="Include per-sample rows in the JSON."),
    top: int = typer.Option(10, "--top", help="Drivers listed per output (0: all)."),
    out: Path | None = typer.Option(
        None, "--out", help="Directory for samples.parquet, summary.json and plots."
    ),
    db: Path | None = typer.Option(
        None, "--db", help="Run store file (default: GBAD_DB or user dir)."
    ),
    no_store: bool = typer.Option(False, "--no-store", help="Do not record the run in the store."),
    json_out: bool = typer.Option(False, "--json", help="Print the summary as JSON."),
) -> None:
    """Sample the scenario's uncertain inputs and rerun the pipeline per sample.

    The same --seed gives the same numbers whatever the executor and worker count.
    """
    from gbad.cli._common import (
        emit_json,
        err_console,
        flags_for,
        load_scenario_file,
        to_jsonable,
    )
    from gbad.errors import GbadInputError

    if samples is not None and samples < 1:
        raise GbadInputError("--samples", "must be at least 1")
    if seed is not None and seed < 0:
        raise GbadInputError("--seed", "must be non-negative")
    if workers is not None and workers < 1:
        raise GbadInputError("--workers", "must be at least 1")
    if top < 0:
        raise GbadInputError("--top", "must be 0 or more")
    with flags_for(_SWEEP_FLAGS):
        _check_executor(executor)
    _check_choice(sampler, _SAMPLERS, "--sampler")
    _check_choice(distribution, _DISTRIBUTIONS, "--distribution")
    _check_choice(method, _METHODS, "--method")
    include = _globs(params, "--params")
    excluded = _globs(exclude, "--exclude")
    if out is not None and out.exists() and not out.is_dir():
        raise GbadInputError("--out", f"{out} exists and is not a directory")

    from gbad.sweep import RichProgress, discover_params, run_sweep, summarise
    from gbad.sweep.run import default_reference

    if full and model not in (None, "full"):
        raise GbadInputError("--full", "cannot be combined with --model")
    chosen_model = _resolve_model("full" if full else (model or "fast"))

    if not no_store:
        from gbad.store.record import check_db_path

        check_db_path(db)
    sc = load_scenario_file(scenario)
    chosen_method = method or sc.sweep.method
    found = discover_params(sc, default_reference(sc), include=include, exclude=excluded)
    if include is not None and not found:
        raise GbadInputError("--params", "no uncertain parameter matches")
    from gbad.store import record_run

    with (
        record_run(
            db,
            sc,
            kind="sweep",
            source="cli",
            on_skip=lambda msg: err_console.print(f"gbad: note: {msg}"),
            enabled=not no_store,
        ) as rec,
        flags_for(_SWEEP_FLAGS),
    ):
        result = run_sweep(
            sc,
            samples=samples,
            seed=seed,
            sampler=sampler,  # type: ignore[arg-type]
            distribution=distribution,  # type: ignore[arg-type]
            method=chosen_method,  # type: ignore[arg-type]
            executor=executor,
            workers=workers,
            params=found,
            model=chosen_model,
            progress=RichProgress(err_console),
        )
        summary = summarise(result, top=top or None)
        table = result.table()
        if summary["failed_samples"]:
            first = result.outputs.loc[result.outputs["error"] != "", "error"].iloc[0]
            err_console.print(
                f"gbad: note: {summary['failed_samples']} of {summary['samples']} samples "
                f"failed (their outputs are missing); the first: {first}"
            )

        if out is not None:
            from gbad.sweep.plots import write_plots

            out.mkdir(parents=True, exist_ok=True)
            table.to_parquet(out / "samples.parquet", index=False)
            plots = write_plots(result, out, top=top or 10)
            (out / "plots.json").write_text(_dumps(plots["plotly"]), encoding="utf-8")
            (out / "summary.json").write_text(_dumps(summary), encoding="utf-8")
            summary["files"] = sorted(
                str(p) for p in [out / "samples.parquet", out / "summary.json", out / "plots.json"]
            ) + sorted(str(p) for p in plots["files"])

        if not no_store:
            rec.save({**summary, "rows": to_jsonable(table)})
    if not no_store:
        summary["run_id"] = rec.run_id if rec.recorded else None
    if rows:
        summary["rows"] = table
    if json_out:
        emit_json(summary)
    else:
        _print_table(summary)


def _dumps(obj: Any) -> str:
    import json

    from gbad.cli._common import to_jsonable

    return json.dumps(to_jsonable(obj), indent=1, allow_nan=False) + "\n"
