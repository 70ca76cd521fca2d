"""``gbad runs list|show|export|diff``: the run history in the DuckDB store."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from gbad.cli._app import app
from gbad.errors import GbadInputError

if TYPE_CHECKING:
    from gbad.store import RunStore

__all__ = ["open_store", "runs_app"]

runs_app = typer.Typer(
    name="runs",
    help="List, show, export and compare stored runs.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)
app.add_typer(runs_app, name="runs")

DB_HELP = "Run store file (default: runs.duckdb in the user data directory, or $GBAD_DB)."


@contextmanager
def open_store(db: Path | None) -> Iterator[RunStore]:
    """Open the store for one command, turning a held lock into a one-line error."""
    from gbad.store import RunStore, StoreLockedError

    if db is not None and db.exists() and db.is_dir():
        raise GbadInputError("--db", f"{db} is a directory, not a database file")
    if db is not None and not db.exists():
        raise GbadInputError("--db", f"no run store at {db}")
    import os

    from gbad.store.runstore import default_db_path

    path = db if db is not None else default_db_path()
    writable = not path.exists() or (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK))
    try:
        store = RunStore(db, read_only=not writable)
    except StoreLockedError as exc:
        from gbad.cli.serve import serving_url

        url = serving_url(exc.path)
        if url is not None:
            raise GbadInputError(
                "--db", f"{exc.path} is held by gbad serve at {url}; use its API ({url}api/runs)"
            ) from None
        raise GbadInputError("--db", str(exc)) from None
    except Exception as exc:
        if type(exc).__module__.startswith(("duckdb", "_duckdb")):
            raise GbadInputError("--db", f"not a gbad run store: {exc}") from None
        raise
    with store:
        yield store


def _get(store: RunStore, run_id: int, *, results: bool = True) -> Any:
    from gbad.store import RunNotFoundError

    try:
        return store.get_run(run_id, results=results)
    except RunNotFoundError as exc:
        raise GbadInputError("ID", str(exc)) from None


@runs_app.command("list")
def runs_list(
    db: Path | None = typer.Option(None, "--db", help=DB_HELP),
    limit: int = typer.Option(50, "--limit", min=1, max=100_000, help="Newest N runs."),
    status: str | None = typer.Option(None, "--status", help="queued|running|done|failed"),
    json_out: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """List stored runs, newest first."""
    from gbad.cli._common import emit_json, out_console
    from gbad.store import STATUSES

    if status is not None and status not in STATUSES:
        raise GbadInputError("--status", f"must be one of {', '.join(STATUSES)}")
    with open_store(db) as store:
        runs = store.list_runs(limit=limit, status=status)
        path = store.path
    if json_out:
        emit_json({"db": str(path), "runs": [r.to_dict(with_results=False) for r in runs]})
        return
    from rich.table import Table

    table = Table(title=f"runs in {path}", title_justify="left")
    for col in ("id", "name", "kind", "status", "created (UTC)", "seconds", "error"):
        table.add_column(col, justify="right" if col in {"id", "seconds"} else "left")
    for r in runs:
        table.add_row(
            str(r.id),
            r.name,
            r.kind,
            r.status,
            r.created_at.strftime("%Y-%m-%d %H:%M:%S"),
            "" if r.elapsed_s is None else f"{r.elapsed_s:.1f}",
            (r.error or "")[:60],
        )
    out_console.print(table)


@runs_app.command("show")
def runs_show(
    run_id: int = typer.Argument(..., metavar="ID", help="Run id."),
    db: Path | None = typer.Option(None, "--db", help=DB_HELP),
    json_out: bool = typer.Option(False, "--json", help="Print the run and its results as JSON."),
) -> None:
    """Show one run: metadata, scenario, timings and result tables."""
    from gbad.cli._common import emit_json, out_console

    with open_store(db) as store:
        record = _get(store, run_id)
        tables = {name: len(store.get_table(run_id, name)) for name in store.table_names(run_id)}
    if json_out:
        emit_json(record.to_dict())
        return
    info = record.to_dict(with_results=False)
    for key in ("id", "name", "kind", "source", "status", "error", "created_at", "finished_at"):
        if info.get(key) is not None:
            out_console.print(f"{key:>13}: {info[key]}")
    out_console.print(f"{'versions':>13}: gbad {record.gbad_version}, data {record.data_version}")
    out_console.print(f"{'seed':>13}: {record.seed}")
    if record.timings:
        parts = ", ".join(f"{k} {v:.2f}s" for k, v in record.timings.items() if _num(v))
        out_console.print(f"{'timings':>13}: {parts}")
    if record.results is not None:
        out_console.print(f"{'result keys':>13}: {', '.join(record.results)}")
    for name, n in tables.items():
        out_console.print(f"{'table':>13}: {name} ({n} rows)")


def _num(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


@runs_app.command("export")
def runs_export(
    run_id: int = typer.Argument(..., metavar="ID", help="Run id."),
    out: Path = typer.Option(..., "--out", help="Directory to write into (created)."),
    fmt: str = typer.Option("parquet", "--format", help="parquet or csv."),
    db: Path | None = typer.Option(None, "--db", help=DB_HELP),
    json_out: bool = typer.Option(False, "--json", help="Print the files written as JSON."),
) -> None:
    """Export a run: run.json, plan.json and one Parquet/CSV file per result table."""
    from gbad.cli._common import emit_json, err_console

    if fmt not in ("parquet", "csv"):
        raise GbadInputError("--format", "must be parquet or csv")
    if out.exists() and not out.is_dir():
        raise GbadInputError("--out", f"{out} exists and is not a directory")
    with open_store(db) as store:
        _get(store, run_id, results=False)
        files = store.export_run(run_id, out, fmt="csv" if fmt == "csv" else "parquet")
    if json_out:
        emit_json({"id": run_id, "files": [str(f) for f in files]})
    else:
        err_console.print(f"wrote {len(files)} files to {out}")


@runs_app.command("diff")
def runs_diff(
    a: int = typer.Argument(..., metavar="A", help="First run id."),
    b: int = typer.Argument(..., metavar="B", help="Second run id."),
    db: Path | None = typer.Option(None, "--db", help=DB_HELP),
    limit: int = typer.Option(40, "--limit", min=1, help="Rows to print (table output)."),
    json_out: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Compare two runs: scenario changes and the results that moved."""
    from gbad.cli._common import emit_json, out_console

    with open_store(db) as store:
        _get(store, a, results=False)
        _get(store, b, results=False)
        diff = store.diff_runs(a, b)
    if json_out:
        emit_json(diff)
        return
    from rich.table import Table

    if diff["identical"]:
        out_console.print(f"runs {a} and {b}: same scenario, same results")
        return
    for section in ("scenario", "results"):
        items = diff[section]
        table = Table(title=f"{section}: {len(items)} changed", title_justify="left")
        for col in ("path", f"run {a}", f"run {b}", "change"):
            table.add_column(col)
        for item in items[:limit]:
            rel = item.get("rel")
            change = "" if "delta" not in item else f"{item['delta']:+.4g}"
            if rel is not None:
                change += f" ({rel:+.1%})"
            table.add_row(item["path"], _fmt(item["a"]), _fmt(item["b"]), change)
        out_console.print(table)


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.6g}"
    return "—" if value is None else str(value)


@runs_app.command("delete")
def runs_delete(
    run_id: int = typer.Argument(..., metavar="ID", help="Run id."),
    db: Path | None = typer.Option(None, "--db", help=DB_HELP),
    json_out: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Delete a finished run and its results."""
    from gbad.cli._common import emit_json, err_console

    with open_store(db) as store:
        if store.read_only:
            raise GbadInputError("--db", f"{store.path} is read-only; cannot delete a run")
        record = _get(store, run_id, results=False)
        if record.status in ("queued", "running"):
            raise GbadInputError("ID", f"run {run_id} is {record.status}; wait until it ends")
        store.delete_run(run_id)
    if json_out:
        emit_json({"id": run_id, "deleted": True})
    else:
        err_console.print(f"deleted run {run_id}")
