"""CLI commands of the targets, budget and industry stages.

``gbad apportion`` (DESIGN.md contract), ``gbad budget`` and ``gbad industry``: rich
tables on the terminal, one JSON object with ``--json``.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import typer

from gbad.cli._app import app
from gbad.errors import GbadInputError

__all__ = ["app"]

_KEYS = ("gdp", "population", "exposure", "equal")
_METHODS = ("hamilton", "dhondt", "webster")
_TIERS = ("long", "medium", "short", "very-short", "c-uas")
_RULES = ("first-come", "pro-rata", "exposure")


def _parse_bounds(values: list[str] | None, flag: str) -> dict[str, int]:
    out: dict[str, int] = {}
    for item in values or []:
        name, sep, num = item.partition("=")
        if not sep or not name.strip():
            raise GbadInputError(flag, f"expected ISO3=N or ISO3:TIER=N, got {item!r}")
        try:
            n = int(num)
        except ValueError:
            raise GbadInputError(flag, f"not an integer: {num!r}") from None
        if n < 0:
            raise GbadInputError(flag, f"must be >= 0, got {n}")
        out[name.strip().upper() if ":" not in name else _bound_key(name)] = n
    return out


def _bound_key(name: str) -> str:
    iso, _, tier = name.partition(":")
    return f"{iso.strip().upper()}:{tier.strip()}"


def _setup(  # noqa: PLR0917 - the shared flags, in CLI order
    scenario_file: Path | None,
    factor: float | None,
    key: str | None,
    method: str | None,
    tier: str | None,
    minimum: list[str] | None = None,
    maximum: list[str] | None = None,
) -> tuple[Any, Any]:
    """Validate the shared flags, load the scenario and the reference data."""
    from gbad.cli._common import load_scenario_file

    if factor is not None and not (math.isfinite(factor) and 0 < factor <= 100):
        raise GbadInputError("--factor", f"must be a number in (0, 100], got {factor}")
    if key is not None and key not in _KEYS:
        raise GbadInputError("--key", f"must be one of {', '.join(_KEYS)}, got {key!r}")
    if method is not None and method not in _METHODS:
        raise GbadInputError("--method", f"must be one of {', '.join(_METHODS)}, got {method!r}")
    if tier is not None and tier not in _TIERS:
        raise GbadInputError("--tier", f"must be one of {', '.join(_TIERS)}, got {tier!r}")
    lo = _parse_bounds(minimum, "--min")
    hi = _parse_bounds(maximum, "--max")
    scenario = load_scenario_file(scenario_file)
    if lo:
        scenario.target.minimum = {**scenario.target.minimum, **lo}
    if hi:
        scenario.target.maximum = {**scenario.target.maximum, **hi}
    if key is not None:
        scenario.target.blend = None
    from gbad.reference import load_reference
    from gbad.scenario.checks import check_scenario, validate_against_reference

    ref = load_reference(overrides=scenario.overrides)
    try:
        check_scenario(scenario)
        validate_against_reference(scenario, ref)
    except GbadInputError as exc:
        for path, flag, given in (("target.minimum", "--min", lo), ("target.maximum", "--max", hi)):
            if exc.field.startswith(path) and given:
                key_name = exc.field[len(path) + 1 :]
                raise GbadInputError(flag, f"{key_name}: {exc.message}") from None
        raise
    return scenario, ref


def _targets(  # noqa: PLR0917 - the shared flags, in CLI order
    ref: Any,
    scenario: Any,
    factor: float | None,
    key: str | None,
    method: str | None,
    tier: str | None,
    flags: dict[str, bool],
) -> Any:
    from gbad.targets import compute_targets

    try:
        return compute_targets(ref, scenario, factor=factor, key=key, method=method, tier=tier)
    except GbadInputError as exc:
        names = {
            "target.factor": "--factor",
            "target.minimum": "--min",
            "target.maximum": "--max",
            "tier": "--tier",
        }
        flag = names.get(exc.field)
        if flag and flags.get(flag, exc.field == "tier"):
            raise GbadInputError(flag, exc.message) from None
        raise


@app.command("apportion")
def apportion(  # noqa: PLR0917 - typer maps parameters to flags
    factor: float | None = typer.Option(
        None, "--factor", help="Collective multiple of the baseline (default: scenario, 5)."
    ),
    key: str | None = typer.Option(None, "--key", help="gdp, population, exposure or equal."),
    method: str | None = typer.Option(None, "--method", help="hamilton, dhondt or webster."),
    tier: str | None = typer.Option(None, "--tier", help="One tier (default: all tiers)."),
    minimum: list[str] | None = typer.Option(
        None, "--min", help="Per-ally minimum ISO3=N or ISO3:TIER=N (repeatable)."
    ),
    maximum: list[str] | None = typer.Option(
        None, "--max", help="Per-ally maximum ISO3=N or ISO3:TIER=N (repeatable)."
    ),
    scenario_file: Path | None = typer.Option(None, "--scenario", help="Scenario YAML/JSON."),
    json_out: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Share the collective x-fold target among allies (integer, hold-harmless)."""
    from gbad.cli._common import emit_json, out_console

    scenario, ref = _setup(scenario_file, factor, key, method, tier, minimum, maximum)
    flags = {"--factor": factor is not None, "--min": bool(minimum), "--max": bool(maximum)}
    result = _targets(ref, scenario, factor, key, method, tier, flags)
    if json_out:
        emit_json(result.to_dict())
        return
    from rich.table import Table

    d = result.to_dict()
    tiers = list(d["tiers"])
    table = Table(
        title=f"National targets: {d['collective_target']} fire units "
        f"(baseline {d['collective_baseline']}; key {d['key']}, method {d['method']})"
    )
    table.add_column("ally")
    for t in tiers:
        table.add_column(t, justify="right")
    table.add_column("baseline", justify="right")
    table.add_column("target", justify="right")
    table.add_column("quota", justify="right")
    per = result.table.set_index(["iso3", "tier"])
    for row in d["countries"]:
        cells = [
            f"{int(per.at[(row['iso3'], t), 'baseline'])}→{int(per.at[(row['iso3'], t), 'target'])}"
            for t in tiers
        ]
        table.add_row(
            row["iso3"], *cells, str(row["baseline"]), str(row["target"]), f"{row['quota']:.2f}"
        )
    out_console.print(table)


@app.command("budget")
def budget(  # noqa: PLR0917 - typer maps parameters to flags
    scenario_file: Path | None = typer.Option(None, "--scenario", help="Scenario YAML/JSON."),
    factor: float | None = typer.Option(None, "--factor", help="Collective multiple."),
    key: str | None = typer.Option(None, "--key", help="gdp, population, exposure or equal."),
    method: str | None = typer.Option(None, "--method", help="hamilton, dhondt or webster."),
    gbad_share_pct: float | None = typer.Option(
        None, "--gbad-share-pct", help="GBAD share of core defence spending [%]."
    ),
    json_out: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """GBAD budgets to the horizon, target costs and the year each is funded."""
    from gbad.budget import compute_budget
    from gbad.cli._common import emit_json, out_console

    if gbad_share_pct is not None and not (
        math.isfinite(gbad_share_pct) and 0 <= gbad_share_pct <= 100
    ):
        raise GbadInputError("--gbad-share-pct", "must be a number in [0, 100]")
    scenario, ref = _setup(scenario_file, factor, key, method, None)
    if gbad_share_pct is not None:
        scenario.budget.gbad_share_of_core_pct = gbad_share_pct
    targets = _targets(ref, scenario, factor, key, method, None, {"--factor": factor is not None})
    result = compute_budget(ref, scenario, targets)
    if json_out:
        emit_json(result.to_dict())
        return
    from rich.table import Table

    d = result.to_dict()
    table = Table(
        title=f"GBAD budgets ({d['gbad_share_of_core_pct']}% of core defence), "
        f"targets cost {d['total_cost_musd'] / 1000:.1f} bn USD"
    )
    for col in ("ally", "cost [MUSD]", f"budget to {d['horizon_year']}", "funded", "gap [MUSD]"):
        table.add_column(col, justify="left" if col == "ally" else "right")
    for r in d["countries"]:
        table.add_row(
            r["iso3"],
            f"{r['capex_musd']:,.0f}",
            f"{r['budget_to_horizon_musd']:,.0f}",
            str(r["funded_year"] or "never"),
            f"{r['gap_musd']:,.0f}",
        )
    out_console.print(table)
    out_console.print(
        f"all funded by: {d['funding_year'] or 'not by ' + str(d['horizon_year'])}; "
        f"unfunded: {', '.join(d['unfunded_countries']) or 'none'}"
    )


@app.command("industry")
def industry(
    scenario_file: Path | None = typer.Option(None, "--scenario", help="Scenario YAML/JSON."),
    factor: float | None = typer.Option(None, "--factor", help="Collective multiple."),
    allocation: str | None = typer.Option(
        None, "--allocation", help="first-come, pro-rata or exposure."
    ),
    national: bool = typer.Option(
        False, "--national", help="Plan with national buying (default: scenario, joint)."
    ),
    json_out: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Delivery schedule: the year each target is met, joint vs national buying."""
    from gbad.budget import compute_budget
    from gbad.cli._common import emit_json, out_console
    from gbad.industry import compute_industry

    if allocation is not None and allocation not in _RULES:
        raise GbadInputError("--allocation", f"must be one of {', '.join(_RULES)}")
    scenario, ref = _setup(scenario_file, factor, None, None, None)
    if allocation is not None:
        scenario.industry.allocation = allocation
    if national:
        scenario.industry.joint_procurement = False
    targets = _targets(ref, scenario, factor, None, None, None, {"--factor": factor is not None})
    result = compute_industry(ref, scenario, targets, compute_budget(ref, scenario, targets))
    if json_out:
        emit_json(result.to_dict())
        return
    from rich.table import Table

    d = result.to_dict()
    table = Table(
        title=f"Delivery ({d['mode']} buying, {d['allocation']}): collective target met "
        f"{d['delivery_year'] or 'not by ' + str(d['last_year'])}"
    )
    for col in ("ally", "new units", "met", "national", "joint", "gained [yr]", "saved [MUSD]"):
        table.add_column(col, justify="left" if col == "ally" else "right")
    for r in d["countries"]:
        table.add_row(
            r["iso3"],
            str(r["increment"]),
            str(r["met_year"] or "-"),
            str(r["national_met_year"] or "-"),
            str(r["joint_met_year"] or "-"),
            "-" if r["years_gained"] is None else str(r["years_gained"]),
            f"{r['cost_saved_musd']:,.0f}",
        )
    out_console.print(table)
    out_console.print(
        f"binding line: {d['binding_line'] or 'none'}; budget-only year: "
        f"{d['budget_only_year'] or '-'}; production-only year: {d['production_only_year'] or '-'}"
    )
