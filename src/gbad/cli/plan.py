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


def _arrow(base: Any, target: Any) -> str:
    from gbad.report import format_value

    return f"{format_value(base)} -> {format_value(target)}"


def _nights(value: Any) -> str:
    from gbad.report import format_value

    return f"{format_value(value)} night{'' if value == 1 else 's'}"


def _funding_line(s: dict[str, Any], ran: set[str]) -> str:
    from gbad.report import format_value

    horizon = s.get("horizon_year")
    if s.get("funding_year") is not None:
        return f"all allies by {format_value(s['funding_year'], 'year')}"
    if "budget" not in ran:
        return "n/a"
    unfunded = s.get("unfunded_countries") or []
    parts = [f"not all allies by {horizon} ({len(unfunded)} short)"]
    share = s.get("funded_share_by_horizon")
    if share is not None:
        parts.append(f"{format_value(100.0 * share)} % of the cost funded by {horizon}")
    last = s.get("last_funded_year")
    if last is not None:
        parts.append(f"all by {format_value(last, 'year')}")
    return "; ".join(parts)


def _delivery_line(s: dict[str, Any], ran: set[str]) -> str:
    from gbad.report import format_value

    checked = s.get("delivery_checked_to_year")
    never = f"not by {checked}" if checked is not None else "n/a"
    head = format_value(s["delivery_year"], "year") if s.get("delivery_year") else never
    if "industry" not in ran:
        return "n/a"
    tiers = s.get("tier_delivery_years") or {}
    if not tiers:
        return head
    each = ", ".join(
        f"{t} {format_value(y, 'year') if y is not None else never}" for t, y in tiers.items()
    )
    binding = f"; binding line {s['binding_line']}" if s.get("binding_line") else ""
    return f"{each} (all tiers {head}{binding})"


def _endurance_line(s: dict[str, Any]) -> str:
    endurance = s.get("campaign_endurance_nights")
    if endurance is None:
        text = "n/a (no long- or medium-range fire units)"
    elif s.get("campaign_endurance_reached") is False:
        text = f"at least {_nights(endurance)} (the whole campaign)"
    else:
        text = f"{_nights(endurance)} until a tenth of the ready long/medium fire units are dry"
    first = s.get("campaign_first_stockout_nights")
    if first is not None:
        text += (
            f"; first national stock-out after {_nights(first)}"
            f" ({s.get('campaign_first_stockout_system')})"
        )
    return text


def _share(value: Any) -> str:
    from gbad.report import format_value

    return "n/a" if value is None else f"{format_value(100.0 * value)} %"


def summary_lines(plan: Any) -> list[str]:
    """The short terminal summary of a plan (numbers as in plan.json's summary)."""
    from gbad.report import format_value

    s = plan.summary
    ran = {n for n, o in plan.stages.items() if o.status == "ok"}
    lines = [
        f"Plan '{plan.scenario.name}': {format_value(s.get('countries'))} allies, "
        f"{format_value(s.get('factor'))}x by {s.get('horizon_year')}"
    ]

    def add(label: str, text: str) -> None:
        lines.append(f"  {label:<20} {text}".rstrip())

    base_tiers = s.get("collective_baseline_by_tier") or {}
    target_tiers = s.get("collective_target_by_tier") or {}
    add(
        "long+medium target",
        f"{_arrow(s.get('long_medium_baseline'), s.get('long_medium_target'))} fire units",
    )
    for tier, target in target_tiers.items():
        add(f"  {tier}", f"{_arrow(base_tiers.get(tier), target)}")
    cost = s.get("total_cost_musd")
    add("total cost", f"{format_value(cost)} million USD" if cost is not None else "n/a")
    add("funded by", _funding_line(s, ran))
    add("delivered by", _delivery_line(s, ran))
    add("trajectory", "year: long+medium fire units, missile coverage, missile leak share")
    for row in s.get("trajectory") or []:
        add(
            f"  {row['year']}",
            f"{format_value(row['long_medium_fire_units'])} fire units, "
            f"{_share(row.get('missile_coverage_fraction'))} covered, "
            f"{_share(row.get('missile_leak_share'))} of missiles leak",
        )
    year = s.get("coverage_year")
    add(f"coverage {year}", f"{_share(s.get('coverage_fraction'))} (raid-weighted)")
    add(
        f"endurance {year}",
        _endurance_line(s) if s.get("campaign_nights") is not None else "n/a",
    )
    missile = s.get("campaign_missile_nights")
    if missile:
        within = s.get("campaign_missile_nights_within_target")
        add("missile leak target", f"met on {within} of {missile} nights with missiles")
    coalition = s.get("essi_coalition")
    diff = s.get("essi_cost_difference_musd")
    if coalition is not None and diff is not None:
        text = (
            f"{len(coalition)} allies pooled: {format_value(diff)} million USD against "
            f"national; {s.get('essi_increments_earlier')} ally-tier increments earlier, "
            f"{s.get('essi_increments_later')} later"
        )
        if s.get("essi_leakers_avoided") is not None:
            text += f"; shared stocks avoid {format_value(s['essi_leakers_avoided'])} leakers"
        add("joint buying (ESSI)", text)
    if s.get("imputed_values"):
        add("imputed values", f"{s['imputed_values']} (listed in plan.json imputed)")
    return lines


@app.command("plan")
def plan_command(
    scenario: Path | None = typer.Option(
        None, "--scenario", help="Scenario YAML or JSON (default: the default scenario)."
    ),
    out: Path = typer.Option(..., "--out", help="Directory for plan.json and report.html."),
    json_out: bool = typer.Option(False, "--json", help="Print plan.json on stdout."),
    db: Path | None = typer.Option(
        None,
        "--db",
        help="Run store to record the run in (default: $GBAD_DB or the user data dir).",
    ),
    no_record: bool = typer.Option(False, "--no-record", help="Do not record the run."),
) -> None:
    """Run the whole pipeline and write DIR/plan.json and DIR/report.html."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from gbad.cli._common import emit_json, err_console, load_scenario_file, out_console
    from gbad.plan import run_plan
    from gbad.store import record_run

    def note(message: str) -> None:
        err_console.print(f"gbad plan: {message}", highlight=False, markup=False)

    from gbad.store.record import check_db_path

    check_db_path(db)
    sc = load_scenario_file(scenario)
    check_out_dir(out)
    with (
        record_run(db, sc, kind="plan", source="cli", on_skip=note, enabled=not no_record) as rec,
        Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TimeElapsedColumn(),
            console=err_console,
            transient=True,
            disable=not err_console.is_terminal,
        ) as bar,
    ):
        task = bar.add_task("gbad plan", total=1.0)

        def progress(message: str, fraction: float) -> None:
            rec.progress(message, fraction)
            bar.update(task, description=f"gbad plan: {message}", completed=fraction)
            if not err_console.is_terminal:  # logs and CI: one line per step instead of a bar
                err_console.print(f"gbad plan: {message} ({fraction:.0%})", highlight=False)

        plan = run_plan(sc, progress=progress)
        bar.update(task, description="gbad plan: writing the report")
        json_path, html_path = write_plan(plan, out)
        rec.save_plan(plan, html_path.read_text(encoding="utf-8"))
    if rec.recorded:
        note(f"recorded as run {rec.run_id} in {rec.db}")
    err_console.print(f"gbad plan: done in {plan.meta['total_s']:.1f} s", highlight=False)

    if json_out:
        emit_json(plan.to_dict())
    else:
        for line in [*summary_lines(plan), f"Wrote {json_path} and {html_path}"]:
            out_console.print(line, highlight=False, markup=False, soft_wrap=True)
