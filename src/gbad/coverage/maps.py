"""Coverage maps: static (matplotlib) and interactive (plotly), both offline.

Both draw the same layers for one threat class: country borders, grid cells
shaded by the number of fire units covering them, fire units by tier, and
assets (covered or not). The plotly figure uses plain cartesian axes (longitude,
latitude) rather than a geo base map, so it needs no tiles or topojson from the
network; callers choose ``include_plotlyjs`` when they write HTML.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import numpy as np

__all__ = ["border_lines", "interactive_map", "static_map"]

TIER_COLOURS = {
    "long": "#b2182b",
    "medium": "#ef8a62",
    "short": "#2166ac",
    "very-short": "#67a9cf",
    "c-uas": "#1b7837",
}


def border_lines(
    borders: Mapping[str, Any] | None, only: Any = None
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Rings of the border polygons as (lon, lat) arrays (``only``: iso3 codes to draw)."""
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
                arr = np.asarray(ring, dtype=float)
                yield arr[:, 0], arr[:, 1]


def static_map(result: Any, threat_class: str, borders: Mapping[str, Any] | None = None) -> Any:
    """A matplotlib Figure of coverage against ``threat_class`` (uses the Agg backend)."""
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
    for x, y in border_lines(borders, result.settings.get("allies")):
        ax.plot(x, y, color="0.35", linewidth=0.4)
    fu = result.fire_units
    for tier, colour in TIER_COLOURS.items():
        part = fu[fu["tier"] == tier]
        if len(part):
            ax.scatter(part["lon"], part["lat"], s=6, color=colour, label=f"{tier} ({len(part)})")
    assets = result.assets
    if len(assets) and col in assets.columns:
        unc = assets[assets[col] == 0]
        ax.scatter(
            unc["lon"],
            unc["lat"],
            s=10,
            facecolors="none",
            edgecolors="k",
            linewidths=0.5,
            label="asset, uncovered",
        )
    ax.set_xlabel("longitude [°]")
    ax.set_ylabel("latitude [°]")
    ax.set_title(f"Coverage against {threat_class} threats ({result.terrain.split(' ')[0]})")
    ax.set_aspect(1.0 / np.cos(np.radians(52.0)))
    ax.legend(loc="lower left", fontsize=7, markerscale=1.5)
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
    fu = result.fire_units
    for tier, colour in TIER_COLOURS.items():
        part = fu[fu["tier"] == tier]
        if len(part):
            fig.add_trace(
                go.Scattergl(
                    x=part["lon"],
                    y=part["lat"],
                    mode="markers",
                    marker={"size": 5, "color": colour},
                    name=f"{tier} fire units",
                    text=[
                        f"{a} {s} ({o})"
                        for a, s, o in zip(
                            part["iso3"], part["system"], part["origin"], strict=True
                        )
                    ],
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
