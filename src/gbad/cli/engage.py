"""CLI commands of the engage stage (registered on :data:`gbad.cli._app.app`).

``gbad engage`` (single tier, DESIGN.md contract), ``gbad calibrate`` and
``gbad predict`` (effective parameters from nightly attack reports).
"""

from __future__ import annotations

import json
import math
import sys
from datetime import date as _date
from pathlib import Path

import typer

from gbad.cli._app import app
from gbad.errors import GbadInputError

__all__ = ["app"]

_ENGINES = ("numpy", "numba")


def _check_count(flag: str, value: int | None, *, minimum: int = 0) -> None:
    if value is not None and value < minimum:
        raise GbadInputError(flag, f"must be an integer >= {minimum}, got {value}")


def _check_positive(flag: str, value: float | None, *, allow_zero: bool) -> None:
    if value is None:
        return
    ok = math.isfinite(value) and (value >= 0 if allow_zero else value > 0)
    if not ok:
        raise GbadInputError(flag, f"must be a finite number {'>=' if allow_zero else '>'} 0")


@app.command("engage")
def engage(  # noqa: PLR0917 - typer maps parameters to flags
    threats: int = typer.Option(..., "--threats", help="Number of identical threats N."),
    pk: float = typer.Option(..., "--pk", help="Single-shot kill probability P in [0, 1]."),
    shots: int = typer.Option(..., "--shots", help="Shots per threat K."),
    doctrine: str = typer.Option(
        ..., "--doctrine", help="shoot-shoot (K together) or shoot-look-shoot (up to K in turn)."
    ),
    interceptors: int | None = typer.Option(
        None, "--interceptors", help="Magazine M (default unlimited)."
    ),
    channels: int | None = typer.Option(None, "--channels", help="Fire channels C."),
    arrival_rate_per_min: float | None = typer.Option(
        None, "--arrival-rate-per-min", help="Poisson arrival rate R [1/min] (with --channels)."
    ),
    engagement_time_s: float | None = typer.Option(
        None, "--engagement-time-s", help="Time an engagement holds a channel S [s]."
    ),
    trials: int = typer.Option(10_000, "--trials", help="Monte Carlo trials."),
    seed: int | None = typer.Option(None, "--seed", help="Seed (default: fresh, reported)."),
    engine: str = typer.Option("numpy", "--engine", help="Kernel: numpy or numba."),
    json_out: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Engage N threats with one fire unit: leakers and interceptors used."""
    import numpy as np

    from gbad.engage.model import DOCTRINES
    from gbad.engage.single import engage_single

    _check_count("--threats", threats)
    if not (math.isfinite(pk) and 0.0 <= pk <= 1.0):
        raise GbadInputError("--pk", f"must be a probability in [0, 1], got {pk}")
    _check_count("--shots", shots)
    if doctrine not in DOCTRINES:
        raise GbadInputError("--doctrine", f"must be one of {', '.join(DOCTRINES)}")
    _check_count("--interceptors", interceptors)
    _check_count("--channels", channels, minimum=1)
    _check_positive("--arrival-rate-per-min", arrival_rate_per_min, allow_zero=False)
    _check_positive("--engagement-time-s", engagement_time_s, allow_zero=True)
    _check_count("--trials", trials, minimum=1)
    if trials > 100_000_000:
        raise GbadInputError("--trials", "at most 100000000")
    if seed is not None and seed < 0:
        raise GbadInputError("--seed", "must be >= 0")
    from gbad.scenario.limits import check_engage_size

    check_engage_size(threats, shots, trials)
    if engine not in _ENGINES:
        raise GbadInputError("--engine", f"must be one of {', '.join(_ENGINES)}")
    if channels is not None:
        if arrival_rate_per_min is None:
            raise GbadInputError("--arrival-rate-per-min", "required with --channels")
        if engagement_time_s is None:
            raise GbadInputError("--engagement-time-s", "required with --channels")
    elif arrival_rate_per_min is not None or engagement_time_s is not None:
        flag = (
            "--arrival-rate-per-min" if arrival_rate_per_min is not None else "--engagement-time-s"
        )
        raise GbadInputError(flag, "needs --channels")

    used_seed = int(np.random.SeedSequence().entropy) if seed is None else seed  # type: ignore[arg-type]
    result = engage_single(
        threats,
        pk,
        shots,
        doctrine,
        interceptors=interceptors,
        channels=channels,
        arrival_rate_per_min=arrival_rate_per_min,
        engagement_time_s=engagement_time_s,
        trials=trials,
        rng=np.random.default_rng(used_seed),
        engine=engine,
    )
    out: dict[str, object] = {
        "p_zero_leakers": result.p_zero_leakers,
        "expected_leakers": result.expected_leakers,
        "mean_interceptors_used": result.mean_interceptors_used,
        "trials": result.trials,
        "standard_errors": {
            "p_zero_leakers": result.p_zero_leakers_se,
            "expected_leakers": result.expected_leakers_se,
            "mean_interceptors_used": result.mean_interceptors_used_se,
        },
        "seed": used_seed,
        "engine": engine,
        "inputs": {
            "threats": threats,
            "pk": pk,
            "shots": shots,
            "doctrine": doctrine,
            "interceptors": interceptors,
            "channels": channels,
            "arrival_rate_per_min": arrival_rate_per_min,
            "engagement_time_s": engagement_time_s,
        },
    }
    if result.analytic is not None:
        out["analytic"] = result.analytic
        out["analytic_method"] = result.analytic_method
    if result.erlang_b is not None:
        out["erlang_b"] = result.erlang_b
    if json_out:
        # Plain values only, so json suffices; this keeps pandas (imported by
        # gbad.cli._common) out of the command's start-up time.
        sys.stdout.write(json.dumps(out, allow_nan=False) + "\n")
        sys.stdout.flush()
        return
    from rich.table import Table

    from gbad.cli._common import out_console

    table = Table(title=f"gbad engage: {threats} threats, pk {pk}, {shots} shots, {doctrine}")
    table.add_column("quantity")
    table.add_column("Monte Carlo", justify="right")
    table.add_column("± s.e.", justify="right")
    table.add_column("analytic", justify="right")
    ses = out["standard_errors"]
    assert isinstance(ses, dict)
    for key in ("p_zero_leakers", "expected_leakers", "mean_interceptors_used"):
        exact = "" if result.analytic is None else f"{result.analytic[key]:.6g}"
        table.add_row(key, f"{out[key]:.6g}", f"{ses[key]:.2g}", exact)
    out_console.print(table)
    out_console.print(f"trials {trials}, seed {used_seed}, engine {engine}")


@app.command("calibrate")
def calibrate(  # noqa: PLR0917 - typer maps parameters to flags
    attacks: Path = typer.Option(..., "--attacks", help="Nightly attack reports (CSV)."),
    out: Path | None = typer.Option(None, "--out", help="Where to write the model (JSON)."),
    time_trend: bool = typer.Option(
        False, "--time-trend", help="No effect (the monthly local level replaces the trend)."
    ),
    backtest: bool = typer.Option(
        False, "--backtest", help="Run time-forward backtests against the baselines instead."
    ),
    cuts: str | None = typer.Option(
        None, "--cuts", help="Backtest cut dates, comma-separated YYYY-MM-DD."
    ),
    horizon_months: int = typer.Option(
        3, "--horizon-months", help="Backtest: months scored after each cut."
    ),
    json_out: bool = typer.Option(False, "--json", help="Print a JSON summary."),
) -> None:
    """Fit the defeat model (kinetic and EW, per weapon family) to nightly reports."""
    from gbad.cli._common import emit_json, err_console, out_console, read_csv_checked
    from gbad.engage.calibrate import REQUIRED_FIT_COLUMNS, fit_model

    del time_trend
    frame = read_csv_checked(attacks, REQUIRED_FIT_COLUMNS, "--attacks")
    if backtest:
        from gbad.engage.backtest import DEFAULT_CUTS, format_tables
        from gbad.engage.backtest import backtest as run_backtest

        _check_count("--horizon-months", horizon_months, minimum=1)
        cut_list = DEFAULT_CUTS if cuts is None else [c.strip() for c in cuts.split(",")]
        for cut in cut_list:
            try:
                _date.fromisoformat(cut)
            except ValueError:
                raise GbadInputError("--cuts", f"not a YYYY-MM-DD date: {cut!r}") from None
        result = run_backtest(frame, cut_list, horizon_months=horizon_months, field="--attacks")
        if json_out:
            emit_json(result.as_dict())
        else:
            out_console.print(format_tables(result), markup=False, highlight=False)
        return
    if out is None:
        raise GbadInputError("--out", "required (where to write the model) unless --backtest")
    model = fit_model(frame, field="--attacks")
    try:
        out.write_text(json.dumps(model, indent=1, allow_nan=False) + "\n")
    except OSError as exc:
        raise GbadInputError("--out", f"cannot write {out}: {exc}") from None
    summary = {
        "out": str(out),
        "classes": sorted(model["classes"]),
        "families": sorted(f for c in model["classes"].values() for f in c["families"]),
        "last_month": model["last_month_label"],
        "rows_used": model["training"]["rows_used"],
    }
    if json_out:
        emit_json(summary)
    else:
        err_console.print(
            f"wrote {out}: classes {', '.join(summary['classes'])}; "
            f"level held from {summary['last_month']}"
        )


@app.command("predict")
def predict(
    model: Path = typer.Option(..., "--model", help="Model written by gbad calibrate."),
    attacks: Path = typer.Option(..., "--attacks", help="Attack rows to predict (CSV)."),
    json_out: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Predict threats destroyed and defeated (incl. EW) per attack row from a model."""
    from gbad.cli._common import emit_json, out_console, read_csv_checked
    from gbad.engage.calibrate import REQUIRED_PREDICT_COLUMNS, load_model, predict_rows

    try:
        raw = json.loads(model.read_text())
    except FileNotFoundError:
        raise GbadInputError("--model", f"file not found: {model}") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise GbadInputError("--model", f"cannot read {model}: {exc}") from None
    fitted = load_model(raw, field="--model")
    frame = read_csv_checked(attacks, REQUIRED_PREDICT_COLUMNS, "--attacks")
    rows = predict_rows(fitted, frame, field="--attacks")
    if json_out:
        emit_json({"rows": rows})
        return
    from rich.table import Table

    table = Table(title="gbad predict")
    cols = ("date", "model", "family", "launched", "predicted_destroyed", "predicted_defeated")
    for col in cols:
        table.add_column(col)
    for row in rows:
        table.add_row(
            *(f"{row[c]:.1f}" if isinstance(row[c], float) else str(row[c]) for c in cols)
        )
    out_console.print(table)
