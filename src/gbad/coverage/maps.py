"""Coverage maps: static (matplotlib) and interactive (plotly), both offline.

Both draw the same layers for one threat class: country borders, grid cells
shaded by the number of fire units covering them, fire units by tier, and
assets (covered or not). Fire units are drawn one marker per tier and site,
the numerous short-range tiers first with small markers and the few long-range
units last with large ones, so thousands of very-short-range posts do not hide
the other layers. Border rings are split where they run along the box the
embedded borders were clipped to (``tools/build_borders.py``), so the clip
box's straight edges are not drawn as if they were borders.

The plotly figure uses plain cartesian axes (longitude, latitude) rather than a
geo base map, so it needs no tiles or topojson from the network; callers choose
``include_plotlyjs`` when they write HTML.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import numpy as np

__all__ = ["BORDERS_CLIP_BOX", "TIER_STYLE", "border_lines", "interactive_map", "static_map"]

TIER_COLOURS = {
    "long": "#b2182b",
    "medium": "#ef8a62",
    "short": "#2166ac",
    "very-short": "#67a9cf",
    "c-uas": "#1b7837",
}

#: Drawing order (bottom first) and marker style per tier: the numerous
#: short-range units small and faint at the bottom, long-range ones large on top.
#: ``size`` is a matplotlib marker area [pt²]; plotly uses its square root x 1.6.
TIER_STYLE: dict[str, dict[str, float]] = {
    "very-short": {"size": 3.0, "alpha": 0.75, "zorder": 3.0},
    "c-uas": {"size": 4.0, "alpha": 0.8, "zorder": 3.1},
    "short": {"size": 5.0, "alpha": 0.85, "zorder": 3.2},
    "medium": {"size": 10.0, "alpha": 0.9, "zorder": 3.3},
    "long": {"size": 14.0, "alpha": 0.9, "zorder": 3.4},
}

#: (lon_min, lat_min, lon_max, lat_max) [degrees]: the box ``tools/build_borders.py``
#: clips the embedded borders to; ring segments along it are not borders.
BORDERS_CLIP_BOX = (-32.0, 27.0, 45.0, 72.0)


def _on_box(x: np.ndarray, y: np.ndarray, box: tuple[float, float, float, float]) -> np.ndarray:
    """For each segment of a ring: do both of its ends lie on the edge of ``box``?

    Clipping a ring to a box (Sutherland-Hodgman) joins the points where the ring
    leaves and re-enters the box along the box's edge, or straight across it when
    a ring wraps around the globe (Russia, Greenland); neither is a border.
    """
    lon0, lat0, lon1, lat1 = box
    tol = 1e-9
    edge = (np.abs(x - lon0) <= tol) | (np.abs(x - lon1) <= tol)
    edge |= (np.abs(y - lat0) <= tol) | (np.abs(y - lat1) <= tol)
    return np.asarray(edge[:-1] & edge[1:])


def _split_ring(
    x: np.ndarray, y: np.ndarray, box: tuple[float, float, float, float] | None
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """The ring's runs of segments that do not lie along ``box`` (each >= 2 points)."""
    if box is None or x.size < 2:
        yield x, y
        return
    on = _on_box(x, y, box)
    if not on.any():
        yield x, y
        return
    # a run of kept segments k..m-1 draws points k..m
    keep = np.concatenate([[False], ~on, [False]]).astype(np.int8)
    d = np.diff(keep)
    for a, b in zip(np.flatnonzero(d == 1), np.flatnonzero(d == -1), strict=True):
        yield x[a : b + 1], y[a : b + 1]


def border_lines(
    borders: Mapping[str, Any] | None,
    only: Any = None,
    clip_box: tuple[float, float, float, float] | None = BORDERS_CLIP_BOX,
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Border polylines as (lon, lat) arrays (``only``: iso3 codes to draw).

    Rings are split where consecutive points lie on the same edge of
    ``clip_box`` (lon_min, lat_min, lon_max, lat_max): those segments are where
    the data were clipped, not borders. ``clip_box=None`` yields whole rings.
    """
    keep = None if only is None else set(only)
    for feat in (borders or {}).get("features", []):
        if keep is not None and feat.get("properties", {}).get("iso3") not in keep:
            continue
        geom = feat.get("geometry") or {}
        if geom.get("type") == "Polygon":
            polys = [geom["coordinates"]]
        elif geom.get("type") == "MultiPolygon":
            polys = geom["coordinates"]
        else:
            continue
        for poly in polys:
            for ring in poly:
                arr = np.asarray(ring, dtype=float).reshape(-1, 2)
                yield from _split_ring(arr[:, 0], arr[:, 1], clip_box)


def _tier_sites(fire_units: Any, hover: bool = True) -> Iterator[tuple[str, Any, int]]:
    """``(tier, sites, n_units)`` in drawing order (:data:`TIER_STYLE`), one row per site.

    ``sites`` has ``lon, lat, units`` and, with ``hover``, ``hover`` (the units at
    the site as text, for the interactive map); units sharing a tier and a place
    are one marker, so stacked markers neither darken nor slow the figure.
    """
    import pandas as pd

    fu = fire_units
    for tier in TIER_STYLE:
        part = fu[fu["tier"] == tier]
        if not len(part):
            continue
        if not hover:
            xy = pd.DataFrame(
                {"lon": part["lon"].to_numpy(float), "lat": part["lat"].to_numpy(float)}
            )
            sites = xy.groupby(["lon", "lat"], sort=True).size().rename("units").reset_index()
            yield tier, sites, len(part)
            continue
        label = (
            part["iso3"].astype(str)
            + " "
            + part["system"].astype(str)
            + " ("
            + part["origin"].astype(str)
            + ")"
        )
        tmp = pd.DataFrame(
            {
                "lon": part["lon"].to_numpy(float),
                "lat": part["lat"].to_numpy(float),
                "label": label.to_numpy(),
            }
        )
        sites = (
            tmp.groupby(["lon", "lat"], sort=True)["label"]
            .agg(units="size", hover=lambda v: _hover(list(v)))
            .reset_index()
        )
        yield tier, sites, len(part)


def _hover(labels: list[str]) -> str:
    """``"3 x DEU stinger (baseline), 1 x ..."`` for the units at one site."""
    counts: dict[str, int] = {}
    for lab in labels:
        counts[lab] = counts.get(lab, 0) + 1
    return ", ".join(f"{n} x {lab}" if n > 1 else lab for lab, n in counts.items())


def static_map(result: Any, threat_class: str, borders: Mapping[str, Any] | None = None) -> Any:
    """A matplotlib Figure of coverage against ``threat_class`` (uses the Agg backend)."""
    from matplotlib.collections import LineCollection
    from matplotlib.figure import Figure

    fig = Figure(figsize=(9, 8), dpi=110)
    ax = fig.add_subplot(1, 1, 1)
    grid = result.grid
    col = f"n_{threat_class}"
    if len(grid) and col in grid.columns:
        n = grid[col].to_numpy()
        sc = ax.scatter(
            grid["lon"],
            grid["lat"],
            c=np.minimum(n, 3),
            s=3,
            marker="s",
            cmap="YlGn",
            vmin=0,
            vmax=3,
            linewidths=0,
        )
        cb = fig.colorbar(sc, ax=ax, shrink=0.6, ticks=[0, 1, 2, 3])
        cb.ax.set_yticklabels(["0", "1", "2", "3+"])
        cb.set_label("fire units covering the cell")
    # All border rings as one collection: one artist instead of hundreds of lines.
    rings = [
        np.column_stack([x, y]) for x, y in border_lines(borders, result.settings.get("allies"))
    ]
    if rings:
        ax.add_collection(LineCollection(rings, colors="0.35", linewidths=0.4, zorder=2))
    handles: dict[str, Any] = {}
    for tier, part, n_units in _tier_sites(result.fire_units, hover=False):
        style = TIER_STYLE[tier]
        handles[tier] = ax.scatter(
            part["lon"],
            part["lat"],
            s=style["size"],
            color=TIER_COLOURS[tier],
            alpha=style["alpha"],
            zorder=style["zorder"],
            edgecolors="white" if style["size"] >= 10 else "none",
            linewidths=0.3,
            label=f"{tier} ({n_units})",
        )
    assets = result.assets
    if len(assets) and col in assets.columns:
        unc = assets[assets[col] == 0]
        handles["asset"] = ax.scatter(
            unc["lon"],
            unc["lat"],
            s=12,
            facecolors="none",
            edgecolors="k",
            linewidths=0.6,
            zorder=4,
            label="asset, uncovered",
        )
    ax.set_xlabel("longitude [°]")
    ax.set_ylabel("latitude [°]")
    ax.set_title(f"Coverage against {threat_class} threats ({result.terrain.split(' ')[0]})")
    ax.set_aspect(1.0 / np.cos(np.radians(52.0)))
    # legend in tier order (long first), markers at one size so all are visible
    order = [t for t in TIER_COLOURS if t in handles] + (["asset"] if "asset" in handles else [])
    if order:
        leg = ax.legend(
            [handles[k] for k in order],
            [handles[k].get_label() for k in order],
            loc="lower left",
            fontsize=7,
            scatterpoints=1,
        )
        for h in leg.legend_handles:
            if h is not None and hasattr(h, "set_sizes"):
                h.set_sizes([20.0])
                h.set_alpha(1.0)
    fig.tight_layout()
    return fig


def interactive_map(
    result: Any, threat_class: str, borders: Mapping[str, Any] | None = None
) -> Any:
    """A plotly Figure of coverage against ``threat_class`` (offline, cartesian lon/lat)."""
    import plotly.graph_objects as go

    fig = go.Figure()
    xs: list[float | None] = []
    ys: list[float | None] = []
    for x, y in border_lines(borders, result.settings.get("allies")):
        xs += [*x.tolist(), None]
        ys += [*y.tolist(), None]
    if xs:
        fig.add_trace(
            go.Scattergl(
                x=xs,
                y=ys,
                mode="lines",
                line={"color": "#777", "width": 0.6},
                name="borders",
                hoverinfo="skip",
            )
        )
    grid = result.grid
    col = f"n_{threat_class}"
    if len(grid) and col in grid.columns:
        g = grid[grid[col] > 0]
        fig.add_trace(
            go.Scattergl(
                x=g["lon"],
                y=g["lat"],
                mode="markers",
                marker={
                    "size": 3,
                    "color": np.minimum(g[col], 3),
                    "colorscale": "YlGn",
                    "cmin": 0,
                    "cmax": 3,
                    "symbol": "square",
                },
                name="covered cells",
                text=[f"{int(v)} unit(s)" for v in g[col]],
                hoverinfo="text",
            )
        )
    for tier, part, n_units in _tier_sites(result.fire_units):
        style = TIER_STYLE[tier]
        fig.add_trace(
            go.Scattergl(
                x=part["lon"],
                y=part["lat"],
                mode="markers",
                marker={
                    "size": max(2.0, 1.6 * float(np.sqrt(style["size"]))),
                    "color": TIER_COLOURS[tier],
                    "opacity": style["alpha"],
                },
                name=f"{tier} fire units ({n_units})",
                text=part["hover"].tolist(),
                hoverinfo="text",
            )
        )
    assets = result.assets
    if len(assets) and col in assets.columns:
        fig.add_trace(
            go.Scattergl(
                x=assets["lon"],
                y=assets["lat"],
                mode="markers",
                marker={
                    "size": 6,
                    "symbol": "circle-open",
                    "color": np.where(assets[col] > 0, "#1a9850", "#000000").tolist(),
                },
                name="assets (black: uncovered)",
                text=[
                    f"{n} ({k}): {int(c)} unit(s)"
                    for n, k, c in zip(assets["name"], assets["kind"], assets[col], strict=True)
                ],
                hoverinfo="text",
            )
        )
    fig.update_layout(
        title=f"Coverage against {threat_class} threats",
        xaxis_title="longitude [°]",
        yaxis_title="latitude [°]",
        yaxis={"scaleanchor": "x", "scaleratio": 1.0 / float(np.cos(np.radians(52.0)))},
        template="plotly_white",
        height=700,
    )
    return fig
