"""The siting stage: place each ally's new fire units, tier by tier.

For every ally and tier with ``n_new > 0`` new fire units (from the targets
stage, or any mapping ``{(iso3, tier): n_new}``) gbad solves one brownfield
covering model (:func:`gbad.siting.models.mclp`, or :func:`bacop2` with
``siting.backup``, or :func:`mclp_budget` with a budget):

* **Demand**: the ally's defended assets, weight ``value × exposure`` with
  ``exposure = 2`` when a launch area fielding the tier's design threat lies
  within that threat's range (``threats.range_km_mid``) of the asset, else 1
  (a gbad assumption, stated here, not a published rule).
* **Design threat** per tier: long → ballistic, medium → cruise, short,
  very-short and c-uas → drone.
* **System of the new units**: the ally's most numerous system of that tier in
  service or on order that is still in production; else Europe's most numerous
  such system of the tier. Its effective radius against the design threat
  (:mod:`gbad.coverage.envelope`) is the coverage radius.
* **Candidates**: a grid of ``siting.grid_km`` spacing inside the ally's
  borders plus the ally's asset locations (or a user list filtered to the
  ally), capped at ``siting.max_candidates`` by even thinning of the grid part.
* **Existing units** of that ally and tier are fixed candidates at their
  placed sites (:func:`gbad.coverage.placement.place_baseline_units`), each with
  its own system's radius.
* When new units outnumber candidate sites, the surplus stands at the ranked
  assets round-robin (the placement rule), marked ``origin = "new-overflow"``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from gbad.coverage.envelope import effective_radii
from gbad.coverage.geodesy import haversine_km, within_radius
from gbad.coverage.grid import europe_grid
from gbad.coverage.placement import FIRE_UNIT_COLUMNS, place_baseline_units, rank_assets
from gbad.coverage.stage import plan_allies
from gbad.errors import GbadInputError
from gbad.siting.models import SitingSolution, bacop2, mclp, mclp_budget

__all__ = ["DESIGN_THREAT", "SitingResult", "new_units_from_targets", "site_new_units"]

DESIGN_THREAT = {
    "long": "ballistic",
    "medium": "cruise",
    "short": "drone",
    "very-short": "drone",
    "c-uas": "drone",
}


@dataclass
class SitingResult:
    """New fire units and where they stand.

    Attributes
    ----------
    fire_units : pandas.DataFrame
        Baseline plus new units (:data:`FIRE_UNIT_COLUMNS`); what coverage assesses.
    new_units : pandas.DataFrame
        The new units only.
    problems : pandas.DataFrame
        One row per ally × tier solved: sizes, weights covered before/after,
        ``optimal``, ``status``, ``solve_seconds``.
    model : str
        ``mclp``, ``bacop2`` or ``mclp-budget``.
    """

    fire_units: pd.DataFrame
    new_units: pd.DataFrame
    problems: pd.DataFrame
    model: str
    warnings: list[str] = field(default_factory=list)

    @property
    def new_fire_units(self) -> int:
        """Number of new fire units placed."""
        return len(self.new_units)

    def to_dict(self) -> dict[str, Any]:
        """JSON-able summary."""
        probs = self.problems
        return {
            "model": self.model,
            "new_fire_units": self.new_fire_units,
            "fire_units": len(self.fire_units),
            "all_optimal": bool(probs["optimal"].all()) if len(probs) else True,
            "solve_seconds": float(probs["solve_seconds"].sum()) if len(probs) else 0.0,
            "problems": [
                {k: (v.item() if isinstance(v, np.generic) else v) for k, v in r.items()}
                for r in probs.to_dict("records")
            ],
            "new_units": [
                {k: (v.item() if isinstance(v, np.generic) else v) for k, v in r.items()}
                for r in self.new_units.to_dict("records")
            ],
            "warnings": list(self.warnings),
        }


def new_units_from_targets(targets: Any) -> dict[tuple[str, str], int]:
    """``{(iso3, tier): max(target - baseline, 0)}`` from a targets result or mapping."""
    if isinstance(targets, Mapping):
        return {(str(k[0]), str(k[1])): int(v) for k, v in targets.items()}
    table = getattr(targets, "table", None)
    if not isinstance(table, pd.DataFrame):
        raise GbadInputError("n_new", "expected a mapping {(iso3, tier): n} or a targets result")
    out: dict[tuple[str, str], int] = {}
    for rec in table.to_dict("records"):
        n = int(rec["target"]) - int(rec["baseline"])
        if n > 0:
            out[(str(rec["iso3"]), str(rec["tier"]))] = n
    return out


def _new_system(ref: Any, iso3: str, tier: str) -> str | None:
    inv = ref.inventory
    sysd = ref.systems.set_index("system")
    live = inv[inv["status"].isin(["in service", "on order"]) & (inv["tier"] == tier)].copy()
    live["n"] = pd.to_numeric(live["fire_units_mid"], errors="coerce").fillna(0.0)
    live = live[live["system"].map(sysd["in_production"]).fillna(False).astype(bool)]
    for part in (live[live["iso3"] == iso3], live):
        if len(part):
            g = part.groupby("system")["n"].sum().sort_index()
            return str(g.idxmax())
    cand = ref.systems[(ref.systems["tier"] == tier) & ref.systems["in_production"].astype(bool)]
    return str(cand["system"].iloc[0]) if len(cand) else None


def _exposure(ref: Any, assets: pd.DataFrame, threat_class: str) -> np.ndarray:
    la = ref.launch_areas
    fields = la["threat_classes"].astype(str).str.split(";").apply(lambda xs: threat_class in xs)
    areas = la[fields.to_numpy(bool)]
    thr = ref.threats.set_index("threat_class")
    if areas.empty or threat_class not in thr.index or assets.empty:
        return np.ones(len(assets))
    reach = float(thr.loc[threat_class, "range_km_mid"])
    d = haversine_km(
        assets["lat"].to_numpy()[:, None],
        assets["lon"].to_numpy()[:, None],
        areas["lat"].to_numpy()[None, :],
        areas["lon"].to_numpy()[None, :],
    )
    return np.where((d <= reach).any(axis=1), 2.0, 1.0)


def _candidates(  # noqa: PLR0917 - private helper
    ref: Any, iso3: str, assets: pd.DataFrame, grid_km: float, cap: int, user: pd.DataFrame | None
) -> pd.DataFrame:
    if user is not None:
        c = user[user["iso3"] == iso3] if "iso3" in user.columns else user
        return c[["id", "lat", "lon"]].reset_index(drop=True)
    from gbad.coverage.grid import assign_countries

    if len(assets):
        pad = 1.0
        bbox = (
            float(assets["lat"].min()) - pad,
            float(assets["lat"].max()) + pad,
            float(assets["lon"].min()) - 2 * pad,
            float(assets["lon"].max()) + 2 * pad,
        )
        g = assign_countries(
            europe_grid(grid_km, bbox), [iso3], getattr(ref, "borders", None), ref.assets
        )
        g = g[g["iso3"] == iso3]
    else:
        g = pd.DataFrame(columns=["lat", "lon"])
    n_room = max(cap - len(assets), 0)
    if len(g) > n_room:
        step = int(np.ceil(len(g) / max(n_room, 1)))
        g = g.iloc[::step].head(n_room)
    grid_part = pd.DataFrame(
        {"id": [f"{iso3}-g{k:05d}" for k in range(len(g))], "lat": g["lat"], "lon": g["lon"]}
    )
    asset_part = pd.DataFrame(
        {"id": assets["asset_id"].astype(str), "lat": assets["lat"], "lon": assets["lon"]}
    )
    return pd.concat([asset_part, grid_part], ignore_index=True)


def site_new_units(
    ref: Any,
    scenario: Any,
    n_new: Mapping[tuple[str, str], int] | Any,
    *,
    candidates: pd.DataFrame | None = None,
    fire_units: pd.DataFrame | None = None,
    budget_musd: Mapping[tuple[str, str], float] | None = None,
    time_limit_s: float | None = 60.0,
) -> SitingResult:
    """Place each ally's new fire units per tier (method in the module docstring).

    Parameters
    ----------
    ref : gbad.reference.Reference
        Reference data.
    scenario : gbad.scenario.Scenario
        Uses ``countries``, ``siting`` (``grid_km``, ``backup``, ``max_candidates``)
        and ``coverage`` (radar settings).
    n_new : mapping or targets result
        ``{(iso3, tier): number of new units}``, or the targets stage result
        (then ``target - baseline`` per ally and tier).
    candidates : pandas.DataFrame, optional
        User candidate sites ``id, lat, lon[, iso3]`` instead of the grid.
    fire_units : pandas.DataFrame, optional
        Existing units; default the placed in-service inventory.
    budget_musd : mapping, optional
        ``{(iso3, tier): budget}`` [million USD]: site as many units as the
        budget buys at ``fire_unit_cost_musd_mid`` (at most ``n_new``).
    time_limit_s : float, optional
        Per-problem solver limit [s]; ``optimal`` records whether it was proven.
    """
    wanted = new_units_from_targets(n_new)
    allies = plan_allies(ref, scenario)
    if fire_units is None:
        fire_units = place_baseline_units(ref.inventory, ref.assets, ref.countries, allies=allies)
    cov = scenario.coverage
    radii = effective_radii(
        ref.systems,
        ref.envelopes,
        ref.threats,
        sensor_height_m=float(cov.sensor_height_m),
        k_factor=float(cov.k_factor),
    )
    rad = radii.set_index(["system", "threat_class"])["effective_radius_km"]
    sit = scenario.siting
    backup = bool(sit.backup)
    model = "mclp-budget" if budget_musd is not None else ("bacop2" if backup else "mclp")
    new_rows: list[dict[str, Any]] = []
    probs: list[dict[str, Any]] = []
    warnings: list[str] = []
    for (iso3, tier), n in sorted(wanted.items()):
        if n <= 0 or iso3 not in allies:
            continue
        cls = DESIGN_THREAT.get(tier, "drone")
        system = _new_system(ref, iso3, tier)
        if system is None:
            warnings.append(f"{iso3} {tier}: no system in production for this tier; not sited")
            continue
        r_new = float(rad.get((system, cls), np.nan))
        if not np.isfinite(r_new) or r_new <= 0:
            r_new = float(radii.loc[radii["system"] == system, "effective_radius_km"].max())
        assets = rank_assets(ref.assets, iso3)
        if assets.empty:
            warnings.append(f"{iso3} {tier}: no defended assets; not sited")
            continue
        cands = _candidates(
            ref, iso3, assets, float(sit.grid_km), int(sit.max_candidates), candidates
        )
        ex = fire_units[(fire_units["iso3"] == iso3) & (fire_units["tier"] == tier)]
        ex_r = np.array(
            [float(rad.get((s, cls), -1.0)) for s in ex["system"].astype(str)], dtype=float
        )
        lat = np.concatenate([ex["lat"].to_numpy(float), cands["lat"].to_numpy(float)])
        lon = np.concatenate([ex["lon"].to_numpy(float), cands["lon"].to_numpy(float)])
        radius = np.concatenate([np.where(ex_r > 0, ex_r, -1.0), np.full(len(cands), r_new)])
        a = within_radius(assets["lat"], assets["lon"], lat, lon, radius)
        weight = pd.to_numeric(assets["value"], errors="coerce").fillna(0.0).to_numpy() * _exposure(
            ref, assets, cls
        )
        n_ex = len(ex)
        existing = np.arange(n_ex)
        n_site = min(n, len(cands))
        budget = None if budget_musd is None else budget_musd.get((iso3, tier))
        sol: SitingSolution
        if budget is not None:
            unit_cost = float(
                ref.systems.set_index("system").loc[system, "fire_unit_cost_musd_mid"]
            )
            n_site = min(n_site, int(np.floor(budget / unit_cost + 1e-9)))
            cost = np.full(lat.size, unit_cost)
            sol = mclp_budget(
                a, weight, cost, n_site * unit_cost, existing, time_limit_s=time_limit_s
            )
        elif backup:
            sol = bacop2(a, weight, n_ex + n_site, existing, theta=0.5, time_limit_s=time_limit_s)
        else:
            sol = mclp(a, weight, n_ex + n_site, existing, time_limit_s=time_limit_s)
        before = float(weight[np.asarray(a[:, existing].sum(axis=1)).ravel() >= 1].sum())
        chosen = [int(j) - n_ex for j in sol.new]
        k = 0
        for j in chosen:
            k += 1
            new_rows.append(
                {
                    "fu_id": f"{iso3}-{tier}-new-{k:04d}",
                    "iso3": iso3,
                    "system": system,
                    "tier": tier,
                    "lat": float(cands["lat"].iloc[j]),
                    "lon": float(cands["lon"].iloc[j]),
                    "site_id": str(cands["id"].iloc[j]),
                    "origin": "new",
                }
            )
        overflow = 0 if budget is not None else n - len(chosen)
        for q in range(overflow):
            rec = assets.iloc[q % len(assets)]
            k += 1
            new_rows.append(
                {
                    "fu_id": f"{iso3}-{tier}-new-{k:04d}",
                    "iso3": iso3,
                    "system": system,
                    "tier": tier,
                    "lat": float(rec["lat"]),
                    "lon": float(rec["lon"]),
                    "site_id": str(rec["asset_id"]),
                    "origin": "new-overflow",
                }
            )
        probs.append(
            {
                "iso3": iso3,
                "tier": tier,
                "system": system,
                "design_threat": cls,
                "radius_km": r_new,
                "n_existing": n_ex,
                "n_new": int(n),
                "n_sited": len(chosen),
                "n_overflow": int(overflow),
                "candidates": len(cands),
                "demand_points": len(assets),
                "weight_total": float(weight.sum()),
                "weight_covered_before": before,
                "weight_covered_after": sol.covered_weight,
                "backup_weight_after": sol.backup_weight,
                "optimal": bool(sol.optimal),
                "status": sol.status,
                "solve_seconds": sol.solve_seconds,
            }
        )
    new_units = pd.DataFrame(new_rows, columns=FIRE_UNIT_COLUMNS)
    allf = pd.concat([fire_units[FIRE_UNIT_COLUMNS], new_units], ignore_index=True)
    return SitingResult(
        fire_units=allf,
        new_units=new_units,
        problems=pd.DataFrame(probs),
        model=model,
        warnings=warnings,
    )
