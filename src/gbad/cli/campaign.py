"""CLI commands of the campaign stage (registered on :data:`gbad.cli._app.app`).

``gbad campaign`` runs N nights of raids against the allies' interceptor stocks
(DESIGN.md contract) and, on request, sizes the stockpile and the effector mix.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer

from gbad.cli._app import app
from gbad.errors import GbadInputError

__all__ = ["app"]

_ENGINES = ("numpy", "numba", "mean-field")


def _write_figures(result: Any, out: Path) -> list[str]:
    from gbad.campaign.plots import (
        campaign_plotly,
        leakers_figure,
        spend_figure,
        stocks_figure,
    )

    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise GbadInputError("--out", f"cannot create {out}: {exc.strerror}") from None
    if not out.is_dir():
        raise GbadInputError("--out", f"{out} is not a directory")
    written = []
    for name, make in (
        ("stocks", stocks_figure),
        ("leakers", leakers_figure),
        ("spend", spend_figure),
    ):
        fig = make(result)
        path = out / f"{name}.png"
        fig.savefig(path, dpi=110)
        written.append(str(path))
    path = out / "campaign_plotly.json"
    path.write_text(json.dumps(campaign_plotly(result)), encoding="utf-8")
    written.append(str(path))
    path = out / "campaign.json"
    from gbad.cli._common import to_jsonable

    path.write_text(json.dumps(to_jsonable(result.to_dict())), encoding="utf-8")
    written.append(str(path))
    return written


@app.command("campaign")
def campaign(  # noqa: PLR0917 - typer maps parameters to flags
    scenario_path: Path | None = typer.Option(
        None, "--scenario", help="Scenario file (YAML or JSON); default scenario if omitted."
    ),
    nights: int | None = typer.Option(
        None, "--nights", help="Campaign length [nights] (default: threat.nights)."
    ),
    seed: int | None = typer.Option(None, "--seed", help="Seed (default: the scenario's)."),
    replications: int | None = typer.Option(
        None, "--replications", help="Monte Carlo replications (default: campaign.replications)."
    ),
    engine: str = typer.Option(
        "numba", "--engine", help="numba (default), numpy (no compilation) or mean-field."
    ),
    out: Path | None = typer.Option(None, "--out", help="Directory for the plots."),
    size: bool = typer.Option(
        False, "--size-stockpile", help="Also size the smallest stockpile meeting the targets."
    ),
    mix: bool = typer.Option(
        False, "--optimise-mix", help="Also find the cheapest effector mix (HiGHS MILP)."
    ),
    force_path: Path | None = typer.Option(
        None,
        "--force",
        help="Force to fight with (CSV iso3,system,fire_units) instead of the base year's.",
    ),
    year: int | None = typer.Option(
        None, "--year", help="Fight with the plan's force of this year (from base year)."
    ),
    json_out: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Nights of raids against interceptor stocks: leakers, stocks, cost-exchange ratio."""
    import numpy as np

    from gbad.cli._common import (
        emit_json,
        err_console,
        flags_for,
        load_scenario_file,
        out_console,
    )

    if nights is not None and not 1 <= nights <= 3650:
        raise GbadInputError("--nights", f"must be an integer in 1..3650, got {nights}")
    if seed is not None and not 0 <= seed < 2**63:
        raise GbadInputError("--seed", f"must be an integer in 0..2^63-1, got {seed}")
    if replications is not None and not 1 <= replications <= 10_000:
        raise GbadInputError("--replications", f"must be in 1..10000, got {replications}")
    if engine not in _ENGINES:
        raise GbadInputError("--engine", f"must be one of {', '.join(_ENGINES)}, got {engine!r}")
    if out is not None and out.exists() and not out.is_dir():
        raise GbadInputError("--out", f"{out} exists and is not a directory")
    scenario = load_scenario_file(scenario_path)
    from gbad.cli.requirement import check_year, plan_force, read_force_file

    check_year(year, scenario)

    from gbad.campaign import (
        build_setup,
        check_mix,
        counter_drone_payoff,
        optimise_mix,
        simulate_campaign,
        size_stockpile,
    )
    from gbad.plan._calibration import calibration_for
    from gbad.reference import load_reference

    ref = load_reference(overrides=scenario.overrides)
    calibration = calibration_for(scenario)
    ew = None if calibration is None else calibration.ew_defeat
    force = industry = sites = None
    if force_path is not None:
        from gbad.requirement import force_from_counts

        counts, sites = read_force_file(force_path, ref, scenario)
        force = force_from_counts(ref, scenario, counts, year or scenario.base_year)
    elif year is not None:
        _, _, (force, industry) = plan_force(ref, scenario, year)
    with flags_for({"nights": "--nights"}):
        setup = build_setup(
            ref,
            scenario,
            nights=nights,
            ew_defeat=ew,
            force=force,
            industry=industry,
            year=year,
            fire_units=sites,
        )
    root = scenario.seed if seed is None else seed
    rng = np.random.default_rng(root)
    reps = replications if replications is not None else scenario.campaign.replications
    err_console.print(
        f"campaign: {setup.nights} nights, {len(setup.areas)} allies, "
        f"{len(setup.systems)} systems, {reps} replications ({engine}), "
        f"{'pooled' if setup.geometry is None else 'spatial'} engagement"
        + (f", {setup.waves} wave(s) a night" if setup.waves else "")
    )
    for note in setup.notes:
        err_console.print(f"campaign: {note}")
    result = simulate_campaign(setup, rng=rng, replications=reps, engine=engine)
    doc: dict[str, Any] = {"seed": root, **result.to_dict()}
    if size:
        err_console.print("campaign: sizing the stockpile")
        doc["stockpile_sizing"] = size_stockpile(
            setup, rng=rng, replications=reps, engine=engine
        ).to_dict()
    if mix:
        err_console.print("campaign: optimising the effector mix")
        loads = scenario.campaign.stockpile_loads
        best = optimise_mix(setup, stockpile_loads=loads)
        if best.optimal:
            check_mix(setup, best, rng=rng, replications=reps, engine=engine, stockpile_loads=loads)
        doc["mix"] = best.to_dict()
        doc["counter_drone"] = counter_drone_payoff(setup, stockpile_loads=loads)
    if out is not None:
        doc["figures"] = _write_figures(result, out)
    if json_out:
        emit_json(doc)
        return
    from rich.table import Table

    table = Table(title=f"Campaign of {setup.nights} nights (mean of {reps} replications)")
    for col in ("class", "threats", "leakers", "leak share", "target"):
        table.add_column(col, justify="right")
    for c in result.classes:
        if doc["threats"][c] > 0:
            table.add_row(
                c,
                f"{doc['threats'][c]:.0f}",
                f"{doc['leakers'][c]:.1f}",
                f"{doc['leak_fraction'][c]:.1%}",
                f"{doc['leak_targets'][c]:.0%}",
            )
    out_console.print(table)
    stocks = Table(title="Interceptors (all allies)")
    for col in ("system", "start", "produced", "spent", "end", "first stock-out night"):
        stocks.add_column(col, justify="right")
    for row in doc["by_system"]:
        if row["spent"] > 0 or row["produced"] > 0:
            first = row["days_to_first_stockout"]
            stocks.add_row(
                row["system"],
                f"{row['stock_start']:.0f}",
                f"{row['produced']:.0f}",
                f"{row['spent']:.0f}",
                f"{row['stock_end']:.0f}",
                "-" if first is None else f"{first:.0f}",
            )
    out_console.print(stocks)
    cost = doc["cost"]
    ratio = cost["cost_exchange_ratio"]
    out_console.print(
        f"spent {cost['interceptors_spent_musd']:.0f} MUSD on interceptors against "
        f"{cost['threats_destroyed_value_musd']:.0f} MUSD of threats destroyed "
        f"(cost-exchange ratio {'n/a' if ratio is None else f'{ratio:.2f}'})"
    )
