"""The coverage stage: fire units × threat classes → figures of merit and grids."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from gbad.coverage.envelope import scenario_radii
from gbad.coverage.grid import assign_countries, europe_grid
from gbad.coverage.merit import count_cover, figures_of_merit, undefended_assets
from gbad.coverage.placement import FIRE_UNIT_COLUMNS, place_baseline_units
from gbad.scenario.sections import MISSILE_CLASSES

COVERAGE_DEFINITION = (
    "share of the allies' defended asset value within reach of a fire unit that engages "
    "the threat class, weighted by the scenario's threats per night of each class (the "
    "share of the raid aimed at covered value); missile_coverage_fraction: the same over "
    "ballistic, cruise and glide missiles"
)

__all__ = ["SMOOTH_EARTH", "CoverageResult", "assess", "plan_allies"]

#: What the result says about terrain when no DEM is given.
SMOOTH_EARTH = "smooth-earth (no terrain masking: no DEM given)"


def _plain(value: Any) -> Any:
    """numpy scalars to Python scalars; non-finite floats to None."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not np.isfinite(value):
        return None
    return value


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [{str(k): _plain(v) for k, v in r.items()} for r in frame.to_dict("records")]


def plan_allies(ref: Any, scenario: Any) -> list[str]:
    """``scenario.countries`` or, by default, the European allies (sorted iso3)."""
    if getattr(scenario, "countries", None):
        return sorted(dict.fromkeys(scenario.countries))
    c = ref.countries
    return sorted(c.loc[c["european"].astype(bool), "iso3"].astype(str))


@dataclass
class CoverageResult:
    """Coverage of a set of fire units.

    Attributes
    ----------
    fire_units : pandas.DataFrame
        :data:`gbad.coverage.placement.FIRE_UNIT_COLUMNS`.
    radii : pandas.DataFrame
        Effective radius per system × threat class (:func:`effective_radii`).
    assets : pandas.DataFrame
        The allies' assets with ``n_<class>`` (covering units, all tiers).
    merit : pandas.DataFrame
        :func:`gbad.coverage.merit.figures_of_merit` (scope EUR = all allies).
    undefended : pandas.DataFrame
        High-value assets uncovered per threat class.
    grid : pandas.DataFrame
        Grid points ``cell_id, lat, lon, area_km2, iso3`` with ``n_<class>``.
    terrain : str
        ``"smooth-earth ..."`` or the DEM used.
    territory : str
        How grid points were assigned to allies (``borders`` or ``asset-proxy``).
    settings : dict
        Parameters used (cell size, k-factor, sensor height, levels).
    """

    fire_units: pd.DataFrame
    radii: pd.DataFrame
    assets: pd.DataFrame
    merit: pd.DataFrame
    undefended: pd.DataFrame
    grid: pd.DataFrame
    terrain: str
    territory: str
    threat_classes: list[str]
    settings: dict[str, Any] = field(default_factory=dict)
    threat_weights: dict[str, float] = field(default_factory=dict)

    def _eur(self, cls: str, tier: str = "all") -> pd.Series:
        m = self.merit
        row = m[(m["scope"] == "EUR") & (m["threat_class"] == cls) & (m["tier"] == tier)]
        return row.iloc[0]

    def class_fraction(self, classes: Iterable[str] | None = None) -> float | None:
        r"""Asset value covered, weighted by the raid mix over ``classes`` (default all).

        :math:`\sum_c w_c f_c / \sum_c w_c` with :math:`f_c` the share of Europe's
        defended asset value within reach of a fire unit that engages class
        :math:`c` and :math:`w_c` the threats per night of that class
        (``threat_weights``): the share of the raid aimed at covered value.
        ``None`` when the classes carry no weight.
        """
        wanted = list(self.threat_classes if classes is None else classes)
        num = den = 0.0
        for c in wanted:
            if c not in self.threat_classes:
                continue
            w = float(self.threat_weights.get(c, 0.0))
            f = float(self._eur(c)["value_fraction"])
            if w > 0 and np.isfinite(f):
                num += w * f
                den += w
        return num / den if den > 0 else None

    @property
    def coverage_fraction(self) -> float:
        """Headline: Europe's asset value covered, weighted by the raid mix (all classes)."""
        value = self.class_fraction()
        return 0.0 if value is None else value

    @property
    def missile_coverage_fraction(self) -> float | None:
        """The same over ballistic, cruise and glide missiles only."""
        return self.class_fraction(MISSILE_CLASSES)

    def to_dict(self) -> dict[str, Any]:
        """JSON-able summary (the ``gbad coverage --json`` object)."""
        keys = [
            "population_fraction",
            "value_fraction",
            "value_double_fraction",
            "high_value_fraction",
            "area_fraction",
            "assets_covered",
            "assets",
        ]
        europe: dict[str, Any] = {
            "coverage_fraction": self.coverage_fraction,
            "missile_coverage_fraction": self.missile_coverage_fraction,
            "by_class": {},
        }
        for cls in self.threat_classes:
            entry: dict[str, Any] = {k: _plain(self._eur(cls)[k]) for k in keys}
            entry["by_tier"] = {
                t: {k: _plain(self._eur(cls, t)[k]) for k in keys[:4]}
                for t in ("long", "medium", "short", "very-short", "c-uas")
            }
            europe["by_class"][cls] = entry
        allies = self.merit[(self.merit["scope"] != "EUR") & (self.merit["tier"] == "all")]
        countries: dict[str, Any] = {}
        for rec in allies.to_dict("records"):
            countries.setdefault(str(rec["scope"]), {})[str(rec["threat_class"])] = {
                k: _plain(rec[k]) for k in keys
            }
        fu = self.fire_units
        return {
            "coverage_fraction": self.coverage_fraction,
            "missile_coverage_fraction": self.missile_coverage_fraction,
            "threat_weights": dict(self.threat_weights),
            "coverage_definition": COVERAGE_DEFINITION,
            "terrain": self.terrain,
            "territory": self.territory,
            "fire_units": len(fu),
            "fire_units_by_tier": {str(k): int(v) for k, v in fu.groupby("tier").size().items()},
            "fire_units_by_origin": {
                str(k): int(v) for k, v in fu.groupby("origin").size().items()
            },
            "europe": europe,
            "countries": countries,
            "undefended_high_value": _records(self.undefended),
            "radii": _records(self.radii),
            "settings": dict(self.settings),
        }


def assess(
    ref: Any,
    scenario: Any,
    fire_units: pd.DataFrame | None = None,
    *,
    dem: Any | None = None,
    cell_km: float | None = None,
    with_grid: bool = True,
    threat_weights: Mapping[str, float] | None = None,
) -> CoverageResult:
    """Figures of merit for a scenario's fire units.

    Parameters
    ----------
    ref : gbad.reference.Reference
        Reference data (``systems, envelopes, threats, assets, inventory,
        countries``, optional ``borders``).
    scenario : gbad.scenario.Scenario
        Uses ``countries`` and the ``coverage`` section (cell size, k-factor,
        sensor height).
    fire_units : pandas.DataFrame, optional
        Fire units with :data:`FIRE_UNIT_COLUMNS` (e.g. ``SitingResult.fire_units``);
        default: today's in-service inventory placed by
        :func:`gbad.coverage.placement.place_baseline_units`.
    dem : gbad.coverage.terrain.Dem, optional
        Terrain model for line-of-sight masking of low flyers; without it the
        result says plainly that coverage is smooth-earth.
    cell_km : float, optional
        Grid cell size [km] (default ``scenario.coverage.cell_km``).
    with_grid : bool
        Compute the Europe grid (area shares, maps).
    threat_weights : mapping, optional
        Threats per night by class that weight the headline ``coverage_fraction``
        (default: the scenario's raid, :func:`gbad.campaign.setup.raid_per_night`).
    """
    cov = scenario.coverage
    allies = plan_allies(ref, scenario)
    if fire_units is None:
        fire_units = place_baseline_units(ref.inventory, ref.assets, ref.countries, allies=allies)
    missing = [c for c in FIRE_UNIT_COLUMNS if c not in fire_units.columns]
    if missing:
        from gbad.errors import GbadInputError

        raise GbadInputError("fire_units", f"missing column(s) {', '.join(missing)}")
    fu = fire_units.reset_index(drop=True)
    radii = scenario_radii(ref, scenario)
    classes = [str(c) for c in ref.threats["threat_class"]]
    assets = ref.assets[ref.assets["iso3"].isin(allies)].reset_index(drop=True)
    los = None
    terrain = SMOOTH_EARTH
    if dem is not None:
        from gbad.coverage.terrain import los_filter

        los = los_filter(
            dem,
            ref.threats,
            sensor_height_m=float(cov.sensor_height_m),
            k_factor=float(cov.k_factor),
        )
        terrain = f"DEM line-of-sight masking for low flyers ({dem.description})"
    # Who covers an asset is who engages threats at it in the campaign: the ally's
    # own fire units, and coalition members' when they defend each other.
    camp = scenario.campaign
    friends: list[str] = []
    if camp.defend_neighbours:
        from gbad.industry.pooling import coalition_of

        friends = list(coalition_of(ref, scenario, allies))
    a_counts = count_cover(
        assets["lat"].to_numpy(),
        assets["lon"].to_numpy(),
        fu,
        radii,
        classes,
        los=los,
        owner=assets["iso3"].to_numpy() if "iso3" in fu.columns else None,
        coalition=friends,
    )
    grid = pd.DataFrame(columns=["cell_id", "lat", "lon", "area_km2", "iso3"])
    g_counts = None
    territory = "none"
    size = float(cell_km if cell_km is not None else cov.cell_km)
    if with_grid:
        grid = assign_countries(
            europe_grid(size), allies, getattr(ref, "borders", None), ref.assets
        )
        territory = str(grid["territory"].iloc[0]) if len(grid) else "none"
        g_counts = count_cover(
            grid["lat"].to_numpy(), grid["lon"].to_numpy(), fu, radii, classes, los=los
        )
        for cls in classes:
            grid[f"n_{cls}"] = g_counts[cls]["all"].to_numpy()
    merit = figures_of_merit(assets, a_counts, grid if with_grid else None, g_counts)
    assets_out = assets.copy()
    for cls in classes:
        assets_out[f"n_{cls}"] = a_counts[cls]["all"].to_numpy()
    if threat_weights is None:
        from gbad.campaign.setup import raid_per_night

        threat_weights = raid_per_night(ref, scenario)
    return CoverageResult(
        threat_weights={c: float(threat_weights.get(c, 0.0)) for c in classes},
        fire_units=fu,
        radii=radii,
        assets=assets_out,
        merit=merit,
        undefended=undefended_assets(assets, a_counts),
        grid=grid,
        terrain=terrain,
        territory=territory,
        threat_classes=classes,
        settings={
            "cell_km": size,
            "k_factor": float(cov.k_factor),
            "sensor_height_m": float(cov.sensor_height_m),
            "altitude_level": "mid",
            "speed_level": "mid",
            "allies": allies,
        },
    )
