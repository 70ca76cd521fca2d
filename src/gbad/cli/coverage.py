"""CLI commands of the coverage and siting stages: ``horizon``, ``site``, ``coverage``."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import typer

from gbad.cli._app import app

#: Parameters of gbad.siting.points.site_points and the flags that set them.
_SITE_FLAGS = {
    "demand": "--demand",
    "candidates": "--candidates",
    "radius_km": "--radius-km",
    "units": "--units",
    "existing": "--existing",
}

__all__ = ["app"]


def _finite(flag: str, value: float) -> float:
    from gbad.errors import GbadInputError

    if not math.isfinite(value):
        raise GbadInputError(flag, "must be a finite number")
    return value


@app.command("horizon")
def horizon(
    sensor_height_m: float = typer.Option(
        ..., "--sensor-height-m", min=0, help="Radar antenna height above ground [m]."
    ),
    target_height_m: float = typer.Option(
        ..., "--target-height-m", min=0, help="Target altitude above ground [m]."
    ),
    k_factor: float = typer.Option(
        4.0 / 3.0, "--k-factor", help="Effective earth radius factor (4/3 standard atmosphere)."
    ),
    json_out: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Radar horizon range over a smooth earth with an effective radius k·R_e."""
    from gbad.cli._common import emit_json, out_console
    from gbad.coverage.horizon import (
        HORIZON_EARTH_RADIUS_KM,
        horizon_coefficient_km_per_sqrt_m,
        one_end_horizon_km,
        radar_horizon_km,
        radar_horizon_km_approx,
    )
    from gbad.errors import GbadInputError

    _finite("--sensor-height-m", sensor_height_m)
    _finite("--target-height-m", target_height_m)
    _finite("--k-factor", k_factor)
    if k_factor <= 0 or k_factor > 100:
        raise GbadInputError("--k-factor", "must be in (0, 100]")
    coef = horizon_coefficient_km_per_sqrt_m(k_factor)
    out: dict[str, Any] = {
        "horizon_km": float(radar_horizon_km(sensor_height_m, target_height_m, k_factor)),
        "horizon_km_approx": float(radar_horizon_km_approx(sensor_height_m, target_height_m, coef)),
        "sensor_horizon_km": float(one_end_horizon_km(sensor_height_m, k_factor)),
        "target_horizon_km": float(one_end_horizon_km(target_height_m, k_factor)),
        "sensor_height_m": sensor_height_m,
        "target_height_m": target_height_m,
        "k_factor": k_factor,
        "earth_radius_km": HORIZON_EARTH_RADIUS_KM,
        "coefficient_km_per_sqrt_m": coef,
        "method": "exact tangent geometry on a smooth earth of radius k*R_e",
    }
    if json_out:
        emit_json(out)
    else:
        out_console.print(
            f"radar horizon {out['horizon_km']:.3f} km "
            f"(sensor {out['sensor_horizon_km']:.3f} km + "
            f"target {out['target_horizon_km']:.3f} km; "
            f"k = {k_factor:.4g}; square-root rule {out['horizon_km_approx']:.3f} km)"
        )


def _read_points(path: Path, flag: str, required: list[str]) -> Any:
    from gbad.cli._common import read_csv_checked

    return read_csv_checked(path, required, flag, as_text=True)


@app.command("site")
def site(  # noqa: PLR0917 - typer passes options by keyword
    demand: Path = typer.Option(..., "--demand", help="CSV with columns id,lat,lon,weight."),
    candidates: Path = typer.Option(..., "--candidates", help="CSV with columns id,lat,lon."),
    radius_km: float = typer.Option(..., "--radius-km", help="Coverage radius [km]."),
    units: int = typer.Option(..., "--units", help="Sites to pick in total, existing included."),
    existing: str = typer.Option(
        "", "--existing", help="Comma-separated candidate ids already built (always selected)."
    ),
    time_limit_s: float | None = typer.Option(
        None, "--time-limit-s", help="Stop the solver after this time (result may be suboptimal)."
    ),
    json_out: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Maximal covering location (brownfield MCLP) over point lists, solved optimally by HiGHS."""
    from gbad.cli._common import emit_json, flags_for, out_console
    from gbad.errors import GbadInputError
    from gbad.siting.points import site_points

    _finite("--radius-km", radius_km)
    if radius_km <= 0:
        raise GbadInputError("--radius-km", "must be positive")
    if units < 1:
        raise GbadInputError("--units", "must be at least 1")
    if time_limit_s is not None and (not math.isfinite(time_limit_s) or time_limit_s <= 0):
        raise GbadInputError("--time-limit-s", "must be a positive number")
    d = _read_points(demand, "--demand", ["id", "lat", "lon", "weight"])
    c = _read_points(candidates, "--candidates", ["id", "lat", "lon"])
    ex = existing.split(",") if existing.strip() else []
    with flags_for(_SITE_FLAGS):
        summary, _ = site_points(d, c, radius_km, units, ex, time_limit_s=time_limit_s)
    if json_out:
        emit_json(summary)
    else:
        out_console.print(
            f"covered weight {summary['covered_weight']:.6g} "
            f"({100 * summary['coverage_fraction']:.2f} %), optimal={summary['optimal']}, "
            f"{summary['solve_seconds']:.3f} s"
        )
        out_console.print("selected: " + ", ".join(summary["selected"]))


@app.command("coverage")
def coverage(
    scenario: Path | None = typer.Option(None, "--scenario", help="Scenario YAML/JSON file."),
    out: Path | None = typer.Option(None, "--out", help="Directory for maps (PNG + HTML)."),
    dem: Path | None = typer.Option(
        None, "--dem", help="Terrain GeoTIFF for line-of-sight masking (needs gbad[terrain])."
    ),
    cell_km: float | None = typer.Option(None, "--cell-km", help="Grid cell size [km]."),
    json_out: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Figures of merit of a scenario's current fire units (placed by the baseline rule)."""
    from gbad.cli._common import emit_json, err_console, load_scenario_file, out_console
    from gbad.coverage.stage import assess
    from gbad.errors import GbadInputError
    from gbad.reference import load_reference

    if cell_km is not None and (not math.isfinite(cell_km) or not 5.0 <= cell_km <= 200.0):
        raise GbadInputError("--cell-km", "must be between 5 and 200")
    if out is not None and out.exists() and not out.is_dir():
        raise GbadInputError("--out", f"{out} exists and is not a directory")
    sc = load_scenario_file(scenario)
    ref = load_reference(overrides=sc.overrides)
    dem_obj = None
    if dem is not None:
        from gbad.cli._common import flags_for
        from gbad.coverage.terrain import read_dem

        with flags_for({"path": "--dem"}):
            dem_obj = read_dem(dem)
    err_console.print("assessing coverage ...")
    res = assess(ref, sc, dem=dem_obj, cell_km=cell_km)
    summary = res.to_dict()
    if out is not None:
        from gbad.coverage.maps import interactive_map, static_map

        try:
            out.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise GbadInputError("--out", f"cannot create {out}: {exc}") from None
        files: list[str] = []
        html_parts: list[str] = []
        for k, cls in enumerate(res.threat_classes):
            fig = static_map(res, cls, ref.borders)
            png = out / f"coverage_{cls}.png"
            fig.savefig(png)
            files.append(str(png))
            html_parts.append(
                interactive_map(res, cls, ref.borders).to_html(
                    full_html=False, include_plotlyjs=(k == 0)
                )
            )
        html = out / "coverage.html"
        html.write_text(
            "<!DOCTYPE html><html><head><meta charset='utf-8'><title>gbad coverage</title>"
            "</head><body>" + "\n".join(html_parts) + "</body></html>",
            encoding="utf-8",
        )
        files.append(str(html))
        summary["maps"] = files
    if json_out:
        emit_json(summary)
    else:
        out_console.print(
            f"coverage (asset value, mean over threat classes): "
            f"{100 * summary['coverage_fraction']:.1f} %  [{summary['terrain']}]"
        )
        for cls, entry in summary["europe"]["by_class"].items():
            out_console.print(
                f"  {cls:10s} value {100 * entry['value_fraction']:5.1f} %  "
                f"double {100 * entry['value_double_fraction']:5.1f} %  "
                f"population {100 * entry['population_fraction']:5.1f} %"
            )
