"""The typer application object every command module registers on."""

from __future__ import annotations

import typer

__all__ = ["app"]

app = typer.Typer(
    name="gbad",
    help="Plan Europe's ground-based air defence from public data.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


@app.callback()
def _root() -> None:
    """Plan Europe's ground-based air defence from public data."""


@app.command("version")
def version(json_out: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Print the gbad and reference-data versions."""
    from gbad import DATA_VERSION, __version__
    from gbad.cli._common import emit_json

    if json_out:
        emit_json({"version": __version__, "data_version": DATA_VERSION})
    else:
        typer.echo(f"gbad {__version__} (data {DATA_VERSION})")
