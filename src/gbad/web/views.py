"""Server-side views of the browser UI: the allies to pick from, a compact
comparison of two runs, the layers of the interactive map and the required
force of a run as ``force.csv``.

Each is computed here, once, so the page receives a few kilobytes instead of two
whole plans, and draws it without a network request beyond this server.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from gbad._jsonable import dotted_get
from gbad.store.diff import VOLATILE_RESULTS, diff_documents

__all__ = [
    "FRONT_LINE_NEIGHBOURS",
    "HEADLINE",
    "allies_catalogue",
    "borders_outline",
    "compact_compare",
    "dumps_compact",
    "map_layers",
    "requirement_force_csv",
]

#: Countries whose neighbours are the allies grouped as the front line.
FRONT_LINE_NEIGHBOURS: tuple[str, ...] = ("RUS", "BLR", "UKR")

#: Headline keys of ``plan.json["summary"]`` compared first:
#: ``(key, label, kind)``; kind ``year`` compares in years, ``share`` in points.
HEADLINE: tuple[tuple[str, str, str], ...] = (
    ("long_medium_target", "Long + medium target [fire units]", "number"),
    ("long_medium_baseline", "Long + medium today [fire units]", "number"),
    ("total_cost_musd", "Total cost [million USD]", "number"),
    ("funded_share_by_horizon", "Funded by the horizon", "share"),
    ("funding_year", "Last ally funded", "year"),
    ("long_medium_delivery_year", "Long + medium delivered", "year"),
    ("delivery_year", "Every target delivered", "year"),
    ("coverage_fraction", "Coverage (horizon force)", "share"),
    ("missile_coverage_fraction", "Missile coverage (horizon force)", "share"),
    ("missile_leak_share", "Missile leak share (horizon force)", "share"),
    ("leak_fraction", "Leakers (horizon force)", "share"),
    ("campaign_endurance_nights", "Endurance (horizon force) [nights]", "number"),
    ("cost_exchange_ratio", "Cost-exchange ratio", "number"),
)

#: Per-ally values compared: ``(group, label, kind, getter key)``.
_ALLY_FIELDS: tuple[tuple[str, str, str], ...] = (
    ("budget", "capex_musd", "number"),
    ("budget", "funded_year", "year"),
    ("budget", "gap_musd", "number"),
    ("industry", "met_year", "year"),
    ("industry", "cost_saved_musd", "number"),
)


# -- allies ---------------------------------------------------------------------
@functools.cache
def _front_line() -> frozenset[str]:
    """Allies whose borders touch Russia, Belarus or Ukraine (``borders.geojson``)."""
    from shapely.geometry import shape

    from gbad.reference import load_reference

    features = load_reference().borders.get("features", [])
    shapes = {
        str(f["properties"].get("iso3")): shape(f["geometry"])
        for f in features
        if f.get("geometry") and f.get("properties")
    }
    others = [
        _unwrapped(f["geometry"])
        for f in features
        if f.get("geometry") and f.get("properties", {}).get("iso3") in FRONT_LINE_NEIGHBOURS
    ]
    # 0.05° (about 5 km) absorbs the generalisation of the outlines at shared borders.
    return frozenset(
        iso3
        for iso3, geom in shapes.items()
        if iso3 not in FRONT_LINE_NEIGHBOURS and any(geom.distance(o) < 0.05 for o in others)
    )


def _unwrapped(geometry: Mapping[str, Any]) -> Any:
    """A country outline without the vertices on the western clip edge (lon -32).

    Russia's outline crosses the antimeridian; clipped to the box of
    ``borders.geojson`` its rings run along the western edge of the box and
    would make Iceland and Sweden its neighbours.
    """
    from shapely.geometry import Polygon
    from shapely.ops import unary_union
    from shapely.validation import make_valid

    polys = geometry.get("coordinates") or []
    if geometry.get("type") == "Polygon":
        polys = [polys]
    parts = []
    for poly in polys:
        ring = [p for p in poly[0] if p[0] > _WEST_EDGE_DEG]
        if len(ring) >= 4:
            parts.append(make_valid(Polygon(ring)))
    return unary_union(parts)


#: Western edge of the box ``borders.geojson`` is clipped to [° longitude].
_WEST_EDGE_DEG = -32.0


def allies_catalogue() -> dict[str, Any]:
    """The allies a scenario may name, with the groups of the country picker.

    Returns
    -------
    dict
        ``allies``: rows of ``iso3``, ``name``, ``european`` (in the default plan),
        ``essi_member``, ``essi_join_year``, ``front_line`` (borders Russia,
        Belarus or Ukraine in ``borders.geojson``); ``groups``: ``{name: [iso3]}``;
        ``systems``: the systems that procurement may name (``system``, ``name``,
        ``tier``, ``in_production``).
    """
    from gbad.reference import load_reference

    countries = load_reference().countries
    front = _front_line()
    rows: list[dict[str, Any]] = []
    for rec in countries.to_dict("records"):
        join = rec.get("essi_join_year")
        rows.append(
            {
                "iso3": str(rec["iso3"]),
                "name": str(rec["name"]),
                "european": bool(rec.get("european")),
                "essi_member": bool(rec.get("essi_member")),
                "essi_join_year": None if join is None or _nan(join) else int(join),
                "front_line": str(rec["iso3"]) in front,
            }
        )
    rows.sort(key=lambda r: str(r["name"]))
    european = [r for r in rows if r["european"]]
    groups = {
        "Front line (borders Russia, Belarus or Ukraine)": [
            r["iso3"] for r in european if r["front_line"]
        ],
        "ESSI members": [r["iso3"] for r in european if r["essi_member"]],
        "Not in ESSI": [r["iso3"] for r in european if not r["essi_member"]],
        "All European allies": [r["iso3"] for r in european],
        "North American allies": [r["iso3"] for r in rows if not r["european"]],
    }
    systems = [
        {
            "system": str(r["system"]),
            "name": str(r["name"]),
            "tier": str(r["tier"]),
            "in_production": bool(r.get("in_production")),
        }
        for r in load_reference().systems.to_dict("records")
    ]
    return {"allies": rows, "groups": groups, "systems": systems}


def _nan(value: Any) -> bool:
    return isinstance(value, float) and math.isnan(value)


# -- compare ----------------------------------------------------------------------
def _kind_of(path: str, a: Any, b: Any) -> str:
    leaf = path.rsplit(".", 1)[-1]
    ints = all(isinstance(v, int) and not isinstance(v, bool) for v in (a, b) if v is not None)
    if ints and (leaf == "year" or leaf.endswith("_year")):
        return "year"
    return "number"


def _change(a: Any, b: Any, kind: str) -> dict[str, Any]:
    """``delta`` (b − a; in years for years, points for shares) and ``rel``."""
    out: dict[str, Any] = {"a": a, "b": b, "kind": kind, "delta": None, "rel": None}
    numbers = all(isinstance(v, int | float) and not isinstance(v, bool) for v in (a, b))
    if numbers:
        out["delta"] = b - a
        if kind == "number" and a:
            out["rel"] = (b - a) / abs(a)
    return out


def _ally_rows(results: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Per-ally values of a plan: targets by tier, cost, funding and delivery years."""
    out: dict[str, dict[str, Any]] = {}
    summary = results.get("summary") or {}
    for row in summary.get("national_targets") or []:
        entry = out.setdefault(str(row.get("iso3")), {"name": row.get("name")})
        for tier, values in (row.get("tiers") or {}).items():
            if isinstance(values, Mapping):
                entry[f"target.{tier}"] = values.get("target")
    for group, key, _kind in _ALLY_FIELDS:
        stage = results.get(group)
        rows = stage.get("countries") if isinstance(stage, Mapping) else None
        for row in rows or []:
            if isinstance(row, Mapping) and key in row:
                out.setdefault(str(row.get("iso3")), {})[f"{group}.{key}"] = row[key]
    return out


def compact_compare(
    a: Any, b: Any, *, limit: int = 200, ignore: Sequence[str] = ()
) -> dict[str, Any]:
    """What changed from run ``a`` to run ``b``, headline first, in a few kilobytes.

    Parameters
    ----------
    a, b : RunRecord
        Stored runs with their results.
    limit : int
        Most rows of the remaining result changes returned (``other``).

    Returns
    -------
    dict
        ``a``/``b`` (id, name, status), ``identical``, ``headline`` (the summary's
        headline numbers, both runs, change; years compared in years), ``scenario``
        (settings changed), ``trajectory`` (each run's milestone rows), ``allies``
        (per-ally changes grouped by ally), ``other`` (further changed results,
        ``rows``, ``shown``, ``total``, ``truncated``).
    """
    res_a, res_b = a.results or {}, b.results or {}
    sum_a, sum_b = res_a.get("summary") or {}, res_b.get("summary") or {}
    headline = []
    for key, label, kind in HEADLINE:
        if key not in sum_a and key not in sum_b:
            continue
        va, vb = sum_a.get(key), sum_b.get(key)
        if isinstance(va, Mapping) or isinstance(vb, Mapping):
            continue
        headline.append({"key": key, "label": label, **_change(va, vb, kind)})
    allies_a, allies_b = _ally_rows(res_a), _ally_rows(res_b)
    allies = []
    for iso3 in sorted(set(allies_a) | set(allies_b)):
        ra, rb = allies_a.get(iso3, {}), allies_b.get(iso3, {})
        changes = []
        for key in sorted((set(ra) | set(rb)) - {"name"}):
            va, vb = ra.get(key), rb.get(key)
            if va == vb:
                continue
            changes.append({"key": key, **_change(va, vb, _kind_of(key, va, vb))})
        if changes or iso3 not in allies_a or iso3 not in allies_b:
            name = ra.get("name") or rb.get("name") or iso3
            allies.append(
                {
                    "iso3": iso3,
                    "name": name,
                    "in_a": iso3 in allies_a,
                    "in_b": iso3 in allies_b,
                    "changes": changes,
                }
            )
    scenario = diff_documents(a.scenario, b.scenario)
    skip = (*VOLATILE_RESULTS, "sources", "summary.national_targets", *ignore)
    others = diff_documents(res_a, res_b, skip, timings=False)
    rows = []
    for item in others:
        kind = _kind_of(item["path"], item["a"], item["b"])
        rows.append({"path": item["path"], **_change(item["a"], item["b"], kind)})
    # Summary keys first, then the largest relative changes.
    rows.sort(
        key=lambda r: (not r["path"].startswith("summary."), -abs(r["rel"] or 0.0), r["path"])
    )
    return {
        "a": {"id": a.id, "name": a.name, "status": a.status},
        "b": {"id": b.id, "name": b.name, "status": b.status},
        "identical": not scenario and not others and not allies,
        "headline": headline,
        "scenario": scenario,
        "trajectory": {"a": sum_a.get("trajectory") or [], "b": sum_b.get("trajectory") or []},
        "allies": allies,
        "other": {
            "rows": rows[:limit],
            "shown": min(limit, len(rows)),
            "total": len(rows),
            "truncated": len(rows) > limit,
        },
    }


# -- map ----------------------------------------------------------------------------
@functools.cache
def borders_outline(digits: int = 2) -> dict[str, Any]:
    """Country outlines as ``lon``/``lat`` lists, rings separated by ``None``
    (what a plotly line trace draws), rounded to ``digits`` decimals (about 1 km)."""
    from gbad.reference import load_reference

    lon: list[float | None] = []
    lat: list[float | None] = []
    for feature in load_reference().borders.get("features", []):
        geom = feature.get("geometry") or {}
        polys = geom.get("coordinates") or []
        if geom.get("type") == "Polygon":
            polys = [polys]
        for poly in polys:
            for ring in poly:
                previous: tuple[float, float] | None = None
                for x, y in ring:
                    point = (float(x), float(y))
                    if previous is not None and _along_clip_edge(previous, point):
                        # The edge of the clip box is no border: lift the pen.
                        lon.append(None)
                        lat.append(None)
                    lon.append(round(point[0], digits))
                    lat.append(round(point[1], digits))
                    previous = point
                lon.append(None)
                lat.append(None)
    return {"lon": lon, "lat": lat}


#: The box ``borders.geojson`` is clipped to: west, east [° longitude], south, north [° latitude].
_CLIP_BOX = (_WEST_EDGE_DEG, 45.0, 27.0, 72.0)


def _along_clip_edge(p: tuple[float, float], q: tuple[float, float]) -> bool:
    """Whether the segment p–q runs along an edge of the clip box, or across the
    whole box (Russia's rings, wrapped at the antimeridian, cross it at 65° N)."""
    west, east, south, north = _CLIP_BOX
    across = abs(p[0] - q[0]) > _LONGEST_SEGMENT_DEG
    return (
        across
        or any(p[0] == q[0] == x for x in (west, east))
        or any(p[1] == q[1] == y for y in (south, north))
    )


#: No true border segment of the 1:50m outlines is this long [° longitude].
_LONGEST_SEGMENT_DEG = 20.0


def _years_standing(
    iso3: str, system: str, sequence: int | None, years: Iterable[int], force: Mapping[Any, Any]
) -> list[int]:
    out = []
    for year in years:
        row = force.get((year, iso3, system))
        if row is None:
            continue
        if sequence is None:  # today's unit: stands while the ally still fields its system
            if (row.get("fire_units") or 0) - (row.get("delivered") or 0) > 0:
                out.append(year)
        elif sequence <= (row.get("delivered") or 0):
            out.append(year)
    return out


def map_layers(results: Mapping[str, Any]) -> dict[str, Any]:
    """The map of one plan: fire units with the milestone years they stand, the
    defended assets of its allies, each system's effective radius by threat class
    (``radii``, from ``coverage.radii``) and each milestone year's coverage of
    asset value by threat class (``coverage_by_class``, from ``milestones``).

    Today's units are placed by the documented rule
    (:func:`gbad.coverage.placement.place_baseline_units`); new units stand where
    siting put them (``siting.new_units``) from the year the ``force`` table has
    delivered their place in their ally's sequence, as the plan itself assesses.
    """
    from gbad.coverage.placement import place_baseline_units
    from gbad.reference import load_reference

    scenario = results.get("scenario") or {}
    ref = load_reference(overrides=scenario.get("overrides") or None)
    years = [int(y) for y in dotted_get(results, "summary.milestone_years") or []]
    if not years:
        years = [int(m["year"]) for m in results.get("milestones") or [] if "year" in m]
    found = results.get("force")
    force_rows: list[Any] = found if isinstance(found, list) else []
    force = {
        (int(r["year"]), str(r["iso3"]), str(r["system"])): r
        for r in force_rows
        if isinstance(r, Mapping) and {"year", "iso3", "system"} <= set(r)
    }
    allies = sorted({k[1] for k in force}) or list(scenario.get("countries") or [])
    units: list[dict[str, Any]] = []
    if allies:
        base = place_baseline_units(ref.inventory, ref.assets, ref.countries, allies=allies)
        for rec in base.to_dict("records"):
            units.append(_unit({str(k): v for k, v in rec.items()}, None, years, force))
    new = dotted_get(results, "siting.new_units") or []
    for rec in new:
        units.append(_unit(rec, int(rec.get("sequence") or 0), years, force))
    assets = ref.assets[ref.assets["iso3"].isin(allies)] if allies else ref.assets.iloc[:0]
    radii: dict[str, dict[str, float]] = {}
    for row in dotted_get(results, "coverage.radii") or []:
        radius = row.get("effective_radius_km") if isinstance(row, Mapping) else None
        if isinstance(radius, int | float) and radius > 0:
            radii.setdefault(str(row["system"]), {})[str(row["threat_class"])] = float(radius)
    coverage = {
        str(m["year"]): m["coverage_by_class"]
        for m in results.get("milestones") or []
        if isinstance(m, Mapping) and isinstance(m.get("coverage_by_class"), Mapping)
    }
    return {
        "years": years,
        "radii": radii,
        "coverage_by_class": coverage,
        "units": units,
        "assets": [
            {
                "asset_id": str(r["asset_id"]),
                "name": str(r["name"]),
                "iso3": str(r["iso3"]),
                "kind": str(r["kind"]),
                "lat": round(float(r["lat"]), 4),
                "lon": round(float(r["lon"]), 4),
                "value": None if _nan(r["value"]) else round(float(r["value"]), 4),
            }
            for r in assets.to_dict("records")
        ],
    }


def _unit(
    rec: Mapping[str, Any], sequence: int | None, years: list[int], force: Mapping[Any, Any]
) -> dict[str, Any]:
    iso3, system = str(rec["iso3"]), str(rec["system"])
    return {
        "iso3": iso3,
        "system": system,
        "tier": str(rec.get("tier")),
        "origin": "new" if sequence is not None else "today",
        "lat": round(float(rec["lat"]), 4),
        "lon": round(float(rec["lon"]), 4),
        "site": str(rec.get("site_id") or ""),
        "years": _years_standing(iso3, system, sequence, years, force),
    }


def dumps_compact(doc: Any) -> str:
    """JSON without spaces (the map of a large plan is a few hundred kilobytes)."""
    return json.dumps(doc, separators=(",", ":"), allow_nan=False)


def requirement_force_csv(requirement: Any) -> str | None:
    """``force.csv`` of a plan's requirement (``plan.json["requirement"]``).

    The columns ``gbad requirement --out`` writes (:data:`gbad.requirement.COUNT_COLUMNS`:
    ``iso3,system,fire_units``): every system of the required force in service
    (existing plus added) with at least one fire unit, summed per ally and system
    and sorted by them (:func:`gbad.requirement.counts_of_force`), so ``gbad
    campaign --force`` reads it as it reads the command's file. ``None`` when the
    plan has no requirement (the stage was off, or ``countries`` is missing).
    """
    import pandas as pd

    from gbad.requirement.force_table import COUNT_COLUMNS, counts_of_force

    if not isinstance(requirement, Mapping):
        return None
    countries = requirement.get("countries")
    if not isinstance(countries, list):
        return None
    rows = [
        (str(ally["iso3"]), str(item["system"]), int(item["fire_units"]))
        for ally in countries
        if isinstance(ally, Mapping) and "iso3" in ally
        for item in ally.get("systems") or []
        if isinstance(item, Mapping) and {"system", "fire_units"} <= set(item)
    ]
    frame = pd.DataFrame(rows, columns=list(COUNT_COLUMNS))
    text: str = counts_of_force(frame)[list(COUNT_COLUMNS)].to_csv(index=False)
    return text
