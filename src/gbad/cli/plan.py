"""``gbad plan``: the whole pipeline on one scenario, written as plan.json and report.html."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

import typer

from gbad.cli._app import app
from gbad.errors import GbadInputError

__all__ = ["app", "check_out_dir", "summary_lines", "write_plan"]

#: Lines of the terminal summary: label, summary key, unit.
_SUMMARY_LINES: tuple[tuple[str, str, str], ...] = (
    ("collective target", "collective_target", "fire units"),
    ("baseline today", "collective_baseline", "fire units"),
    ("total cost", "total_cost_musd", "million USD"),
    ("funded by", "funding_year", ""),
    ("delivered by", "delivery_year", ""),
    ("coverage achieved", "coverage_fraction", "%"),
    ("campaign endurance", "campaign_endurance_nights", "nights"),
)


def check_out_dir(out: Path) -> Path:
    """Create ``out`` if needed and make sure files can be written there.

    Raises
    ------
    GbadInputError
        Naming ``--out`` if it is a file, cannot be created or is not writable.
    """
    if out.exists() and not out.is_dir():
        raise GbadInputError("--out", f"{out} exists and is not a directory")
    try:
        out.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=out, prefix=".gbad-write-test-"):
            pass
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise GbadInputError("--out", f"cannot write to {out}: {reason}") from None
    return out


def _write_atomic(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        Path(tmp).chmod(0o644)  # mkstemp makes 0600; results are meant to be shared
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_plan(plan: Any, out: Path) -> tuple[Path, Path]:
    """Write ``plan.json`` and ``report.html`` into ``out`` (each atomically)."""
    from gbad.report import render_report

    data = plan.to_dict()
    json_path = out / "plan.json"
    html_path = out / "report.html"
    html = render_report(plan)
    try:
        _write_atomic(json_path, json.dumps(data, indent=2, allow_nan=False) + "\n")
        _write_atomic(html_path, html)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise GbadInputError("--out", f"cannot write to {out}: {reason}") from None
    return json_path, html_path


def summary_lines(plan: Any) -> list[str]:
    """The short terminal summary of a plan (numbers as in plan.json's summary)."""
    from gbad.report import format_value

    s = plan.summary
    lines = [
        f"Plan '{plan.scenario.name}': {format_value(s.get('countries'))} allies, "
        f"{format_value(s.get('factor'))}x by {s.get('horizon_year')}"
    ]
    ran = {n for n, o in plan.stages.items() if o.status == "ok"}
    unfunded = s.get("unfunded_countries") or []
    missing_text = {
        "funding_year": f"not all allies by {s.get('horizon_year')} ({len(unfunded)} short)"
        if "budget" in ran
        else "n/a",
        "delivery_year": f"not by {s.get('delivery_checked_to_year')}"
        if "industry" in ran and s.get("delivery_checked_to_year") is not None
        else "n/a",
    }
    for label, key, unit in _SUMMARY_LINES:
        value = s.get(key)
        if value is None:
            lines.append(f"  {label:<20} {missing_text.get(key, 'n/a')}")
            continue
        if unit == "%":
            value = 100.0 * float(value)
        shown_unit = "night" if unit == "nights" and value == 1 else unit
        lines.append(f"  {label:<20} {format_value(value, key)} {shown_unit}".rstrip())
    for status in ("not available", "failed"):
        names = [n for n, o in plan.stages.items() if o.status == status]
        if names:
            lines.append(f"  {status:<20} {', '.join(names)}")
    return lines


@app.command("plan")
def plan_command(
    scenario: Path | None = typer.Option(
        None, "--scenario", help="Scenario YAML or JSON (default: the default scenario)."
    ),
    out: Path = typer.Option(..., "--out", help="Directory for plan.json and report.html."),
    json_out: bool = typer.Option(False, "--json", help="Print plan.json on stdout."),
) -> None:
    """Run the whole pipeline and write DIR/plan.json and DIR/report.html."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from gbad.cli._common import emit_json, err_console, load_scenario_file, out_console
    from gbad.plan import run_plan

    sc = load_scenario_file(scenario)
    check_out_dir(out)
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
        disable=not err_console.is_terminal,
    ) as bar:
        task = bar.add_task("gbad plan", total=1.0)

        def progress(message: str, fraction: float) -> None:
            bar.update(task, description=f"gbad plan: {message}", completed=fraction)
            if not err_console.is_terminal:  # logs and CI: one line per step instead of a bar
                err_console.print(f"gbad plan: {message} ({fraction:.0%})", highlight=False)

        plan = run_plan(sc, progress=progress)
        bar.update(task, description="gbad plan: writing the report")
        json_path, html_path = write_plan(plan, out)
    err_console.print(f"gbad plan: done in {plan.meta['total_s']:.1f} s", highlight=False)

    if json_out:
        emit_json(plan.to_dict())
    else:
        for line in [*summary_lines(plan), f"Wrote {json_path} and {html_path}"]:
            out_console.print(line, highlight=False, markup=False, soft_wrap=True)
    if plan.failed:
        first = plan.stages[plan.failed[0]]
        if os.environ.get("GBAD_DEBUG") and first.traceback:
            err_console.print(first.traceback, highlight=False, markup=False)
        raise RuntimeError(
            f"stage {first.name} failed ({first.reason}); partial plan written to {out}"
        )
