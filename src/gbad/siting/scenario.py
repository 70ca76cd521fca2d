"""The siting stage: place each ally's new fire units, tier by tier.

For every ally, tier and system bought (:mod:`gbad.procurement`, or any mapping
``{(iso3, tier, system): n_new}``) gbad solves one brownfield covering model
(:func:`gbad.siting.models.mclp`, or :func:`bacop2` with ``siting.backup``, or
:func:`mclp_budget` with a budget); within a tier, systems are sited one after
the other (most units first), each seeing the earlier ones as existing:

* **Demand**: the ally's defended assets, weight ``value × exposure`` with
  ``exposure = 2`` when a launch area fielding the tier's design threat lies
  within that threat's range (``threats.range_km_mid``) of the asset, else 1
  (a gbad assumption, stated here, not a published rule).
* **Design threat** per tier: long → ballistic, medium → cruise, short,
  very-short and c-uas → drone.
* **System of the new units**: what procurement bought; its effective radius
  against the design threat (:mod:`gbad.coverage.envelope`) is the coverage radius.
* **Candidates**: a grid of ``siting.grid_km`` spacing inside the ally's
  borders plus the ally's asset locations (or a user list filtered to the
  ally), capped at ``siting.max_candidates`` by even thinning of the grid part.
* **Existing units** of that ally and tier are fixed candidates at their
  placed sites (:func:`gbad.coverage.placement.place_baseline_units`), each with
  its own system's radius.
* When new units outnumber candidate sites, the surplus stands at the ranked
  assets round-robin (the placement rule), marked ``origin = "new-overflow"``:
  those units are placed, not optimised.
* **Sequence**: the optimal sites of a problem are ordered greedily by the demand
  weight each adds to what is already covered (``sequence`` 1, 2, ...; overflow
  units last). A milestone year with :math:`k` of the units delivered takes the
  first :math:`k` (:func:`units_in_year`), so units once placed stay where they
  are and every year's layout is a subset of the next.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from gbad.coverage.envelope import scenario_radii
from gbad.coverage.geodesy import haversine_km, within_radius
from gbad.coverage.grid import europe_grid
from gbad.coverage.placement import FIRE_UNIT_COLUMNS, place_baseline_units, rank_assets
from gbad.coverage.stage import plan_allies
from gbad.errors import GbadInputError
from gbad.siting.models import SitingSolution, bacop2, mclp, mclp_budget

__all__ = [
    "DESIGN_THREAT",
    "SitingResult",
    "greedy_sequence",
    "new_units_from_procurement",
    "site_new_units",
    "units_in_year",
]

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


def new_units_from_procurement(procurement: Any) -> dict[tuple[str, str, str], int]:
    """``{(iso3, tier, system): fire units bought}`` from a procurement result."""
    ch = procurement.choices
    return {
        (str(i), str(t), str(s)): int(n)
        for i, t, s, n in zip(ch["iso3"], ch["tier"], ch["system"], ch["fire_units"], strict=True)
        if int(n) > 0
    }


def greedy_sequence(
    a: Any, weight: np.ndarray, existing: np.ndarray, chosen: np.ndarray
) -> list[int]:
    """Order ``chosen`` sites by the demand weight each adds (lazy greedy).

    Coverage is submodular, so a site's gain can only fall as others are added;
    the lazy evaluation (Minoux 1978) re-evaluates only the site on top of the
    heap.

    Parameters
    ----------
    a : scipy.sparse array, (demand, sites)
        Coverage matrix.
    weight : (demand,) array
    existing : array of int
        Sites already standing.
    chosen : array of int
        Sites to order.
    """
    import heapq

    from scipy import sparse

    csc = sparse.csc_array(a)
    covered = np.zeros(csc.shape[0], dtype=bool)
    for j in existing:
        covered[csc.indices[csc.indptr[j] : csc.indptr[j + 1]]] = True

    def gain(j: int) -> float:
        rows = csc.indices[csc.indptr[j] : csc.indptr[j + 1]]
        return float(weight[rows[~covered[rows]]].sum())

    heap = [(-gain(int(j)), k, int(j)) for k, j in enumerate(chosen)]
    heapq.heapify(heap)
    order: list[int] = []
    while heap:
        _, k, j = heapq.heappop(heap)
        g = gain(j)
        if heap and g < -heap[0][0] - 1e-12:
            heapq.heappush(heap, (-g, k, j))
            continue
        order.append(j)
        covered[csc.indices[csc.indptr[j] : csc.indptr[j + 1]]] = True
    return order


def units_in_year(
    siting: SitingResult,
    base_units: pd.DataFrame,
    delivered: Mapping[tuple[str, str], int],
) -> pd.DataFrame:
    """The fire units standing in a year: today's still in service and the new delivered.

    Parameters
    ----------
    siting : SitingResult
        Every bought unit sited, with its ``sequence``.
    base_units : DataFrame
        Today's placed units still in service that year (:data:`FIRE_UNIT_COLUMNS`).
    delivered : mapping
        ``{(iso3, system): new fire units delivered by then}``; the first that many
        of each ally's sequence stand.
    """
    new = siting.new_units
    if new.empty:
        return base_units[FIRE_UNIT_COLUMNS].reset_index(drop=True)
    pairs = zip(new["iso3"].astype(str), new["system"].astype(str), strict=True)
    want = np.fromiter((delivered.get(p, 0) for p in pairs), dtype=np.int64, count=len(new))
    keep = new[new["sequence"].to_numpy() <= want]
    return pd.concat([base_units[FIRE_UNIT_COLUMNS], keep[FIRE_UNIT_COLUMNS]], ignore_index=True)


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
    n_new: Mapping[tuple[str, str, str], int] | Any,
    *,
    candidates: pd.DataFrame | None = None,
    fire_units: pd.DataFrame | None = None,
    budget_musd: Mapping[tuple[str, str], float] | None = None,
    time_limit_s: float | None = 60.0,
) -> SitingResult:
    """Place each ally's new fire units per tier and system (method in the module docstring).

    Parameters
    ----------
    ref : gbad.reference.Reference
        Reference data.
    scenario : gbad.scenario.Scenario
        Uses ``countries``, ``siting`` (``grid_km``, ``backup``, ``max_candidates``)
        and ``coverage`` (radar settings).
    n_new : mapping or ProcurementResult
        ``{(iso3, tier, system): number of new units}``, or the procurement stage's
        result (every fire unit bought, contracts included).
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
    if isinstance(n_new, Mapping):
        wanted = {(str(k[0]), str(k[1]), str(k[2])): int(v) for k, v in n_new.items()}
    elif hasattr(n_new, "choices"):
        wanted = new_units_from_procurement(n_new)
    else:
        raise GbadInputError("n_new", "expected {(iso3, tier, system): n} or a procurement result")
    allies = plan_allies(ref, scenario)
    if fire_units is None:
        fire_units = place_baseline_units(ref.inventory, ref.assets, ref.countries, allies=allies)
    radii = scenario_radii(ref, scenario)
    rad = radii.set_index(["system", "threat_class"])["effective_radius_km"]
    sit = scenario.siting
    backup = bool(sit.backup)
    model = "mclp-budget" if budget_musd is not None else ("bacop2" if backup else "mclp")
    known = set(ref.systems["system"].astype(str))
    new_rows: list[dict[str, Any]] = []
    probs: list[dict[str, Any]] = []
    warnings: list[str] = []
    groups: dict[tuple[str, str], list[tuple[str, int]]] = {}
    for (iso3, tier, system), n in sorted(wanted.items()):
        if n <= 0 or iso3 not in allies:
            continue
        if system not in known:
            raise GbadInputError(f"n_new.{iso3}:{tier}", f"unknown system {system!r}")
        groups.setdefault((iso3, tier), []).append((system, n))
    for (iso3, tier), bought in groups.items():
        assets = rank_assets(ref.assets, iso3)
        if assets.empty:
            warnings.append(f"{iso3} {tier}: no defended assets; not sited")
            continue
        cls = DESIGN_THREAT.get(tier, "drone")
        cands = _candidates(
            ref, iso3, assets, float(sit.grid_km), int(sit.max_candidates), candidates
        )
        weight = pd.to_numeric(assets["value"], errors="coerce").fillna(0.0).to_numpy() * _exposure(
            ref, assets, cls
        )
        standing = fire_units[(fire_units["iso3"] == iso3) & (fire_units["tier"] == tier)]
        taken: set[int] = set()
        for system, n in sorted(bought, key=lambda b: (-b[1], b[0])):
            rows, prob, sited = _site_one(
                iso3,
                tier,
                system,
                n,
                assets=assets,
                cands=cands,
                weight=weight,
                standing=standing,
                taken=taken,
                rad=rad,
                radii=radii,
                ref=ref,
                model=model,
                budget=None if budget_musd is None else budget_musd.get((iso3, tier)),
                time_limit_s=time_limit_s,
            )
            new_rows.extend(rows)
            probs.append(prob)
            standing = pd.concat([standing, sited], ignore_index=True)
    new_units = pd.DataFrame(new_rows, columns=[*FIRE_UNIT_COLUMNS, "sequence"])
    new_units["sequence"] = new_units["sequence"].astype(np.int64)
    allf = pd.concat(
        [fire_units[FIRE_UNIT_COLUMNS], new_units[FIRE_UNIT_COLUMNS]], ignore_index=True
    )
    return SitingResult(
        fire_units=allf,
        new_units=new_units,
        problems=pd.DataFrame(probs),
        model=model,
        warnings=warnings,
    )


def _site_one(
    iso3: str,
    tier: str,
    system: str,
    n: int,
    *,
    assets: pd.DataFrame,
    cands: pd.DataFrame,
    weight: np.ndarray,
    standing: pd.DataFrame,
    taken: set[int],
    rad: pd.Series,
    radii: pd.DataFrame,
    ref: Any,
    model: str,
    budget: float | None,
    time_limit_s: float | None,
) -> tuple[list[dict[str, Any]], dict[str, Any], pd.DataFrame]:
    """Site one system's new units of an ally and tier, ``standing`` units fixed."""
    cls = DESIGN_THREAT.get(tier, "drone")
    r_new = float(rad.get((system, cls), np.nan))
    if not np.isfinite(r_new) or r_new <= 0:
        r_new = float(radii.loc[radii["system"] == system, "effective_radius_km"].max())
    ex_r = np.array(
        [float(rad.get((s, cls), -1.0)) for s in standing["system"].astype(str)], dtype=float
    )
    free = np.array([j for j in range(len(cands)) if j not in taken], dtype=np.int64)
    lat = np.concatenate([standing["lat"].to_numpy(float), cands["lat"].to_numpy(float)[free]])
    lon = np.concatenate([standing["lon"].to_numpy(float), cands["lon"].to_numpy(float)[free]])
    radius = np.concatenate([np.where(ex_r > 0, ex_r, -1.0), np.full(len(free), r_new)])
    a = within_radius(assets["lat"], assets["lon"], lat, lon, radius)
    n_ex = len(standing)
    existing = np.arange(n_ex)
    n_site = min(n, len(free))
    sol: SitingSolution
    if budget is not None:
        unit_cost = float(ref.systems.set_index("system").loc[system, "fire_unit_cost_musd_mid"])
        n_site = min(n_site, int(np.floor(budget / unit_cost + 1e-9)))
        cost = np.full(lat.size, unit_cost)
        sol = mclp_budget(a, weight, cost, n_site * unit_cost, existing, time_limit_s=time_limit_s)
    elif model == "bacop2":
        sol = bacop2(a, weight, n_ex + n_site, existing, theta=0.5, time_limit_s=time_limit_s)
    else:
        sol = mclp(a, weight, n_ex + n_site, existing, time_limit_s=time_limit_s)
    before = float(weight[np.asarray(a[:, existing].sum(axis=1)).ravel() >= 1].sum())
    ordered = greedy_sequence(a, weight, existing, np.asarray(sol.new, dtype=np.int64))
    rows: list[dict[str, Any]] = []

    def unit(lat_deg: float, lon_deg: float, site: str, origin: str) -> None:
        k = len(rows) + 1
        rows.append(
            {
                "fu_id": f"{iso3}-{tier}-{system}-new-{k:04d}",
                "iso3": iso3,
                "system": system,
                "tier": tier,
                "lat": lat_deg,
                "lon": lon_deg,
                "site_id": site,
                "origin": origin,
                "sequence": k,
            }
        )

    for j in ordered:
        c = int(free[int(j) - n_ex])
        taken.add(c)
        unit(
            float(cands["lat"].iloc[c]),
            float(cands["lon"].iloc[c]),
            str(cands["id"].iloc[c]),
            "new",
        )
    overflow = 0 if budget is not None else n - len(ordered)
    for q in range(overflow):
        rec = assets.iloc[q % len(assets)]
        unit(float(rec["lat"]), float(rec["lon"]), str(rec["asset_id"]), "new-overflow")
    prob = {
        "iso3": iso3,
        "tier": tier,
        "system": system,
        "design_threat": cls,
        "radius_km": r_new,
        "n_existing": n_ex,
        "n_new": int(n),
        "n_sited": len(ordered),
        "n_overflow": int(overflow),
        "candidates": len(free),
        "demand_points": len(assets),
        "weight_total": float(weight.sum()),
        "weight_covered_before": before,
        "weight_covered_after": sol.covered_weight,
        "backup_weight_after": sol.backup_weight,
        "optimal": bool(sol.optimal),
        "status": sol.status,
        "solve_seconds": sol.solve_seconds,
    }
    sited = pd.DataFrame(rows, columns=[*FIRE_UNIT_COLUMNS, "sequence"])[FIRE_UNIT_COLUMNS]
    return rows, prob, sited
