"""CLI commands of the data stage: ``gbad data list`` and ``gbad data show``.

``gbad data list --json`` prints ``{"tables": [{"name", "rows", "description"}]}``;
``gbad data show TABLE [--format csv|json]`` prints one reference table (json: a
list of row objects, each with its ``source_id``). An unknown table exits 2.
"""

from __future__ import annotations

import sys
from enum import StrEnum

import typer

from gbad.cli._app import app

__all__ = ["app", "data_app"]

data_app = typer.Typer(
    help="Inspect the embedded reference dataset (tables, sources, licences).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
app.add_typer(data_app, name="data")


class _Format(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


@data_app.command("list")
def data_list(json_out: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """List the reference tables with their row counts."""
    from gbad import DATA_VERSION
    from gbad.cli._common import emit_json, out_console
    from gbad.reference import list_tables

    tables = list_tables()
    if json_out:
        emit_json({"data_version": DATA_VERSION, "tables": tables})
        return
    from rich.table import Table

    table = Table(title=f"gbad reference data {DATA_VERSION}")
    table.add_column("table")
    table.add_column("rows", justify="right")
    table.add_column("description")
    for info in tables:
        table.add_row(info.name, str(info.rows), info.description)
    out_console.print(table)


@data_app.command("show")
def data_show(
    table: str = typer.Argument(..., help="Table name (see `gbad data list`)."),
    fmt: _Format = typer.Option(
        _Format.table, "--format", help="Output format: table (terminal), csv or json."
    ),
) -> None:
    """Print one reference table."""
    from gbad.cli._common import out_console, to_jsonable
    from gbad.errors import GbadInputError
    from gbad.reference import TABLES, load_table

    if table not in TABLES:
        raise GbadInputError("TABLE", f"unknown table {table!r}; known: {', '.join(TABLES)}")
    frame = load_table(table)
    if fmt is _Format.csv:
        frame.to_csv(sys.stdout, index=False, lineterminator="\n")
        return
    if fmt is _Format.json:
        import json

        rows = to_jsonable(frame.to_dict(orient="records"))
        sys.stdout.write(json.dumps(rows, allow_nan=False, ensure_ascii=False))
        sys.stdout.write("\n")
        return
    out_console.print(
        f"{table}: {len(frame)} rows, {frame.shape[1]} columns "
        "(--format csv or json prints everything)",
        markup=False,
        highlight=False,
    )
    width = max(80, out_console.width)
    typer.echo(frame.to_string(max_rows=60, max_colwidth=24, line_width=width))


@data_app.command("audit")
def data_audit(json_out: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """What a sceptical reader should know about the embedded data.

    Rows per table that are estimates, values filled in at load time, sources without
    a URL, flagged sources (kinds the data rules exclude or discourage) and gaps
    (systems in service without launcher, missile or cost figures before filling).
    Exits 0 when the audit runs (findings are output, not errors).
    """
    from gbad import DATA_VERSION
    from gbad.cli._common import emit_json, out_console
    from gbad.data_quality import audit
    from gbad.reference import load_reference, load_table

    report = {"data_version": DATA_VERSION, **audit(load_reference(), load_table("systems"))}
    if json_out:
        emit_json(report)
        return
    from rich.table import Table

    table = Table(title=f"gbad reference data {DATA_VERSION}: audit")
    for col in ("table", "rows", "published", "derived", "estimate", "gbad only", "flagged"):
        table.add_column(col, justify="left" if col == "table" else "right")
    for name, t in report["tables"].items():
        table.add_row(
            name,
            *(
                str(t[k])
                for k in (
                    "rows",
                    "published",
                    "derived",
                    "estimate",
                    "gbad_estimate_only",
                    "citing_flagged_sources",
                )
            ),
        )
    out_console.print(table)
    src = report["sources"]
    out_console.print(f"values filled in at load time: {len(report['imputed'])}")
    out_console.print(f"sources without a URL: {src['without_url']} of {src['total']}")
    flagged = report["flagged_sources"]
    excluded = [f["source_id"] for f in flagged if f["rule"] == "excluded"]
    out_console.print(
        f"flagged sources: {len(flagged)} ({len(excluded)} of an excluded kind"
        + (f": {', '.join(excluded)}" if excluded else "")
        + ")"
    )
    for gap in report["gaps"]:
        out_console.print(f"gap: {gap['system']} lacks {', '.join(gap['missing'])}")
    for problem in report["problems"]:
        out_console.print(f"schema problem: {problem}")
