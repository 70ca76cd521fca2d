"""``gbad requirement``: the least-cost force holding the missile leak share to a target."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from gbad.cli._app import app
from gbad.errors import GbadInputError

__all__ = ["app", "plan_force", "read_force_csv", "read_force_file"]


def plan_force(ref: Any, scenario: Any, year: int) -> tuple[Any, Any, Any]:
    """Targets, procurement and the plan's force of ``year`` (stages 1-5 of the plan)."""
    from gbad.budget import compute_budget
    from gbad.force import build_force
    from gbad.industry import compute_industry
    from gbad.procurement import decide_procurement
    from gbad.targets import compute_targets

    targets = compute_targets(ref, scenario)
    procurement = decide_procurement(ref, scenario, targets)
    budget = compute_budget(ref, scenario, targets, procurement, least_cost=False)
    industry = compute_industry(ref, scenario, targets, budget, what_if=False)
    force = build_force(ref, scenario, procurement, industry, [year])
    return targets, procurement, (force.of_year(year), industry)


def read_force_csv(path: Path, ref: Any, scenario: Any, flag: str = "--force") -> Any:
    """``iso3,system,fire_units`` of ``path``, checked (exit 2 naming column and row)."""
    return read_force_file(path, ref, scenario, flag)[0]


def read_force_file(path: Path, ref: Any, scenario: Any, flag: str = "--force") -> Any:
    """Counts (:func:`read_force_csv`) and where units stand (``lat, lon`` columns, optional).

    Returns ``(counts, sites)``, ``sites`` an ``iso3, system, lat, lon`` table of
    units (:func:`gbad.requirement.sites_of_counts`) or ``None``.
    """
    from gbad.cli._common import read_csv_checked
    from gbad.requirement import COUNT_COLUMNS, check_counts, sites_of_counts

    frame = read_csv_checked(path, COUNT_COLUMNS, flag, as_text=True)
    if scenario.countries:
        allies = list(scenario.countries)
    else:
        c = ref.countries
        allies = [str(x) for x in c.loc[c["european"].astype(bool), "iso3"]]
    counts = check_counts(frame, allies, [str(s) for s in ref.systems["system"]], name=flag)
    return counts, sites_of_counts(frame, name=flag)


def check_year(year: int | None, scenario: Any, flag: str = "--year") -> None:
    """Refuse a year outside the scenario's base..horizon span."""
    if year is not None and not scenario.base_year <= year <= scenario.horizon_year:
        raise GbadInputError(
            flag,
            f"must be in {scenario.base_year}..{scenario.horizon_year} (the scenario's span), "
            f"got {year}",
        )


@app.command("requirement")
def requirement(  # noqa: PLR0917 - typer maps parameters to flags
    scenario_path: Path | None = typer.Option(
        None, "--scenario", help="Scenario file (YAML or JSON); default scenario if omitted."
    ),
    year: int | None = typer.Option(None, "--year", help="Milestone year (default: horizon)."),
    leak_target: float | None = typer.Option(
        None,
        "--leak-target",
        help="Missile leak share to hold (default: the scenario's missile leak targets).",
    ),
    out: Path | None = typer.Option(None, "--out", help="Directory for force.csv."),
    seed: int | None = typer.Option(None, "--seed", help="Seed (default: the scenario's)."),
    replications: int = typer.Option(
        64, "--replications", help="Monte Carlo replications of each check."
    ),
    json_out: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Least-cost force holding the missile leak share, against the x-fold target."""
    from gbad.cli._common import emit_json, err_console, load_scenario_file, out_console

    if leak_target is not None and not 0.0 < leak_target < 1.0:
        raise GbadInputError("--leak-target", f"must be in (0, 1), got {leak_target}")
    if seed is not None and not 0 <= seed < 2**63:
        raise GbadInputError("--seed", f"must be an integer in 0..2^63-1, got {seed}")
    if not 2 <= replications <= 10_000:
        raise GbadInputError("--replications", f"must be in 2..10000, got {replications}")
    if out is not None and out.exists() and not out.is_dir():
        raise GbadInputError("--out", f"{out} exists and is not a directory")
    scenario = load_scenario_file(scenario_path)
    check_year(year, scenario)

    from gbad.plan._calibration import calibration_for
    from gbad.procurement import decide_procurement
    from gbad.reference import load_reference
    from gbad.requirement import compute_requirement
    from gbad.targets import compute_targets

    ref = load_reference(overrides=scenario.overrides)
    calibration = calibration_for(scenario)
    targets = compute_targets(ref, scenario)
    procurement = decide_procurement(ref, scenario, targets)
    err_console.print("requirement: optimising on the mean-field engine, checking by Monte Carlo")
    result = compute_requirement(
        ref,
        scenario,
        procurement,
        year=year,
        leak_target=leak_target,
        targets=targets,
        ew_defeat=None if calibration is None else calibration.ew_defeat,
        seed=seed,
        mc_replications=replications,
    )
    doc = {**result.to_dict(), "seconds": result.seconds}
    if out is not None:
        try:
            out.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise GbadInputError("--out", f"cannot create {out}: {exc.strerror}") from None
        path = out / "force.csv"
        result.force_csv().to_csv(path, index=False)
        doc["force_csv"] = str(path)
    if json_out:
        emit_json(doc)
        return
    from rich.table import Table

    table = Table(title=f"Required force {result.year} against the x-fold target")
    for col in ("tier", "required", "target"):
        table.add_column(col, justify="right")
    for row in doc["versus_target"]:
        table.add_row(row["tier"], str(row["required"]), str(row["target"]))
    out_console.print(table)
    se = doc["missile_leak_share_se"]
    out_console.print(
        f"missile leak share {doc['missile_leak_share']:.1%} (SE {se or 0:.1%}) against a "
        f"target of {doc['leak_target']:.1%} (existing force: "
        f"{doc['existing_missile_leak_share']:.1%}); added units cost "
        f"{doc['total_cost_musd']:,.0f} MUSD"
    )
