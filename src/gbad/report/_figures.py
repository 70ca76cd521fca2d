"""Figures of the report, one builder per stage.

A builder gets a :class:`FigureContext` (the ``plan.json`` data, the stage's
typed result when the plan is a live :class:`gbad.plan.Plan`, and the country
borders) and returns :class:`Figure` objects (title, inline SVG, caption). Where
a stage package offers its own figure (the coverage maps, the campaign plot
definitions) it is reused; otherwise the figure is drawn here from the stage's
JSON data. A figure that cannot be drawn from the data at hand is left out.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from matplotlib.patches import Patch

from gbad.report._svg import PALETTE, figure_to_svg, new_figure

__all__ = ["FIGURE_BUILDERS", "Figure", "FigureContext", "stage_figures", "trajectory_figure"]

log = logging.getLogger(__name__)

#: Threat classes shown on the coverage maps (the missile classes and drones).
MAP_CLASSES = ("cruise", "drone", "ballistic")


@dataclass
class Figure:
    """One figure of the report."""

    title: str
    svg: str
    caption: str = ""


@dataclass
class FigureContext:
    """What a figure builder may draw from."""

    plan: Mapping[str, Any]
    data: Mapping[str, Any]
    result: Any = None
    borders: Mapping[str, Any] | None = None


Builder = Callable[[FigureContext], list[Figure]]


def _style(ax: Any, axis: str = "y") -> None:
    ax.grid(axis=axis, alpha=0.3)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def _targets(ctx: FigureContext) -> list[Figure]:
    rows = ctx.plan.get("summary", {}).get("national_targets") or []
    figures: list[Figure] = []
    if ctx.result is not None and hasattr(ctx.result, "table"):
        from gbad.targets.plots import stacked_targets

        # Batteries and launchers apart: one fire unit of each tier is not alike.
        figures = [
            Figure(
                "Long- and medium-range targets by ally",
                figure_to_svg(stacked_targets(ctx.result)),
                "National targets of the two outer tiers (batteries), stacked by tier; "
                "the black tick marks the fire units held today.",
            ),
            Figure(
                "Short-range, very-short-range and counter-UAS targets by ally",
                figure_to_svg(stacked_targets(ctx.result, ("short", "very-short", "c-uas"))),
                "National targets of the inner tiers, whose fire units are launchers, "
                "vehicles or firing posts, stacked by tier.",
            ),
        ]
    elif rows:
        outer = [
            (
                str(r["iso3"]),
                sum(int(r["tiers"].get(t, {}).get("baseline") or 0) for t in ("long", "medium")),
                sum(int(r["tiers"].get(t, {}).get("target") or 0) for t in ("long", "medium")),
            )
            for r in rows
            if isinstance(r.get("tiers"), Mapping)
        ]
        outer = sorted((o for o in outer if o[2] > 0), key=lambda o: (o[2], o[0]))
        if outer:
            fig = new_figure(7.0, max(1.8, 0.19 * len(outer) + 0.8))
            ax = fig.add_subplot()
            ys = np.arange(len(outer))
            ax.barh(ys, [o[2] for o in outer], color=PALETTE[5], label="target")
            ax.barh(ys, [o[1] for o in outer], color=PALETTE[0], label="today")
            ax.set_yticks(ys, [o[0] for o in outer], fontsize=7)
            ax.set_ylim(-0.6, len(outer) - 0.4)
            ax.set_xlabel("long- and medium-range fire units")
            ax.legend(loc="lower right", frameon=False)
            _style(ax, "x")
            figures.append(
                Figure(
                    "Long- and medium-range fire units today and at the horizon, by ally",
                    figure_to_svg(fig),
                    "Dark: held today. Light: the national target. The other tiers are in "
                    "the national targets table.",
                )
            )
    tiers = ctx.data.get("tiers")
    if isinstance(tiers, Mapping) and tiers:
        names = list(tiers)
        base = [tiers[t].get("collective_baseline") or 0 for t in names]
        target = [tiers[t].get("collective_target") or 0 for t in names]
        fig = new_figure(7.0, 2.8)
        ax = fig.add_subplot()
        xs = np.arange(len(names))
        ax.bar(xs - 0.2, base, width=0.4, color=PALETTE[0], label="today")
        ax.bar(xs + 0.2, target, width=0.4, color=PALETTE[5], label="target")
        for x, b, t in zip(xs, base, target, strict=True):
            for dx, v in ((-0.2, b), (0.2, t)):
                ax.annotate(
                    f"{v:,.0f}",
                    (x + dx, max(v, 1)),
                    xytext=(0, 2),
                    textcoords="offset points",
                    ha="center",
                    fontsize=7,
                )
        ax.set_xticks(xs, names)
        # Log scale: a few hundred batteries and ten thousand launchers on one chart.
        ax.set_yscale("log")
        ax.set_ylim(0.8, max(*target, *base, 1) * 3)
        ax.set_ylabel("fire units (log scale)")
        ax.legend(frameon=False, loc="upper left")
        _style(ax)
        figures.append(
            Figure(
                "Collective fire units by tier",
                figure_to_svg(fig),
                "All allies together, today and at the horizon, per tier of the defence.",
            )
        )
    return figures


def _budget(ctx: FigureContext) -> list[Figure]:
    figures = []
    rows = [r for r in ctx.data.get("countries") or [] if isinstance(r, Mapping)]
    rows = [r for r in rows if r.get("capex_musd") is not None]
    if rows:
        rows = sorted(rows, key=lambda r: (r["capex_musd"], r["iso3"]))
        fig = new_figure(7.0, max(1.8, 0.19 * len(rows) + 0.8))
        ax = fig.add_subplot()
        ys = np.arange(len(rows))
        ax.barh(
            ys + 0.2,
            [r.get("budget_to_horizon_musd") or 0 for r in rows],
            height=0.4,
            color=PALETTE[2],
            label="GBAD budget to the horizon",
        )
        colours = [PALETTE[0] if r.get("funded_by_horizon") else PALETTE[3] for r in rows]
        ax.barh(ys - 0.2, [r["capex_musd"] for r in rows], height=0.4, color=colours)
        ax.set_yticks(ys, [r["iso3"] for r in rows], fontsize=7)
        ax.set_xscale("log")
        ax.set_xlabel("million USD (log scale)")
        handles = [
            Patch(color=PALETTE[2], label="GBAD budget to the horizon"),
            Patch(color=PALETTE[0], label="cost of target (funded)"),
            Patch(color=PALETTE[3], label="cost of target (not funded by the horizon)"),
        ]
        ax.legend(handles=handles, loc="lower right", frameon=False, fontsize=7)
        _style(ax, "x")
        figures.append(
            Figure(
                "Cost of each national target against its GBAD budget",
                figure_to_svg(fig),
                "Investment cost of the target (fire units and first interceptor load) and "
                "the ally's cumulative GBAD budget from the base year to the horizon.",
            )
        )
    if ctx.result is not None and hasattr(ctx.result, "paths"):
        from gbad.budget.plots import budget_paths

        figures.insert(
            0,
            Figure(
                "Budget paths and funding years",
                figure_to_svg(budget_paths(ctx.result)),
                "Left: the allies' yearly GBAD budget and their cumulative budget net of "
                "today's operating costs, against the cost of the targets. Right: the year "
                "each ally's target is funded.",
            ),
        )
        return figures
    years = [r for r in ctx.data.get("collective_by_year") or [] if isinstance(r, Mapping)]
    if years and all("year" in r and "gbad_budget_musd" in r for r in years):
        fig = new_figure(7.0, 2.8)
        ax = fig.add_subplot()
        x = [r["year"] for r in years]
        ax.plot(x, [r["gbad_budget_musd"] for r in years], color=PALETTE[0], marker="o", ms=3)
        ax.set_ylabel("million USD per year")
        ax.set_xlabel("year")
        ax.set_ylim(bottom=0)
        _style(ax)
        figures.append(
            Figure(
                "Collective GBAD budget by year",
                figure_to_svg(fig),
                "What all allies together can spend on air defence each year on their path "
                "to the spending pledge.",
            )
        )
    return figures


def _industry(ctx: FigureContext) -> list[Figure]:
    figures = []
    if ctx.result is not None and hasattr(ctx.result, "deliveries"):
        from gbad.industry.plots import delivery_timeline

        figures.append(
            Figure(
                "Delivery timeline",
                figure_to_svg(delivery_timeline(ctx.result)),
                "Fire units delivered over time by tier, against what the targets need.",
            )
        )
    lines = [r for r in ctx.data.get("lines") or [] if isinstance(r, Mapping)]
    lines = [r for r in lines if (r.get("fire_units_delivered") or 0) > 0]
    if lines:
        lines = sorted(lines, key=lambda r: (r["fire_units_delivered"], r["system"]))
        fig = new_figure(7.0, max(2.5, 0.2 * len(lines) + 0.8))
        ax = fig.add_subplot()
        ys = np.arange(len(lines))
        binding = ctx.data.get("binding_line")
        colours = [PALETTE[3] if r["system"] == binding else PALETTE[0] for r in lines]
        ax.barh(ys, [r["fire_units_delivered"] for r in lines], color=colours)
        ax.set_yticks(ys, [r["system"] for r in lines], fontsize=7)
        ax.set_xlabel("fire units delivered")
        _style(ax, "x")
        figures.append(
            Figure(
                "Fire units delivered per production line",
                figure_to_svg(fig),
                "Deliveries to the allies over the period modelled"
                + (f"; the binding line ({binding}) in red." if binding else "."),
            )
        )
    doubling = [r for r in ctx.data.get("doubling") or [] if isinstance(r, Mapping)]
    doubling = [r for r in doubling if r.get("years_earlier")]
    if len(doubling) >= 2:  # one line is said in the table; a one-bar chart says nothing more
        doubling = sorted(doubling, key=lambda r: (r["years_earlier"], r["system"]))
        fig = new_figure(7.0, max(2.0, 0.25 * len(doubling) + 0.8))
        ax = fig.add_subplot()
        ys = np.arange(len(doubling))
        ax.barh(ys, [r["years_earlier"] for r in doubling], color=PALETTE[2])
        ax.set_yticks(ys, [r["system"] for r in doubling], fontsize=8)
        ax.set_xlabel("years earlier")
        _style(ax, "x")
        figures.append(
            Figure(
                "Years gained if one production line doubles",
                figure_to_svg(fig),
                "How much earlier the collective target is met if the line's capacity doubles.",
            )
        )
    return figures


def _map_axes(ctx: FigureContext, height_in: float = 6.0) -> tuple[Any, Any]:
    from gbad.coverage.maps import border_lines

    fig = new_figure(7.0, height_in)
    ax = fig.add_subplot()
    for x, y in border_lines(ctx.borders):
        ax.plot(x, y, color="0.45", linewidth=0.4)
    ax.set_aspect(1.0 / np.cos(np.radians(52.0)))
    ax.set_xlabel("longitude [°]")
    ax.set_ylabel("latitude [°]")
    return fig, ax


def _fit_extent(ax: Any, lon: Any, lat: Any, margin_deg: float = 2.0) -> None:
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    if lon.size:
        ax.set_xlim(np.nanmin(lon) - margin_deg, np.nanmax(lon) + margin_deg)
        ax.set_ylim(np.nanmin(lat) - margin_deg, np.nanmax(lat) + margin_deg)


def _siting(ctx: FigureContext) -> list[Figure]:
    result = ctx.result
    new = getattr(result, "new_units", None)
    old = getattr(result, "fire_units", None)
    if new is None or old is None or not len(old):
        return []
    from gbad.coverage.maps import TIER_COLOURS

    fig, ax = _map_axes(ctx)
    base = old[old["origin"] == "baseline"] if "origin" in old else old.iloc[:0]
    ax.scatter(
        base["lon"],
        base["lat"],
        s=5,
        color="0.2",
        marker="x",
        linewidths=0.6,
        label=f"today ({len(base)})",
    )
    for tier, colour in TIER_COLOURS.items():
        part = new[new["tier"] == tier]
        if len(part):
            ax.scatter(
                part["lon"],
                part["lat"],
                s=7,
                color=colour,
                alpha=0.8,
                label=f"new {tier} ({len(part)})",
            )
    ax.legend(loc="lower left", fontsize=7, markerscale=1.5, frameon=True)
    return [
        Figure(
            "Where the new fire units stand",
            figure_to_svg(fig),
            "Sites chosen for the new fire units by tier (several units may share a site), "
            "and today's fire units as placed by gbad's documented rule.",
        )
    ]


def _coverage(ctx: FigureContext) -> list[Figure]:
    figures = []
    result = ctx.result
    if result is not None and hasattr(result, "grid"):
        from gbad.coverage.maps import static_map

        classes = [c for c in MAP_CLASSES if c in getattr(result, "threat_classes", MAP_CLASSES)]
        for cls in classes:
            fig = static_map(result, cls, ctx.borders)
            figures.append(
                Figure(
                    f"Coverage against {cls} threats",
                    figure_to_svg(fig),
                    "Grid cells shaded by the number of fire units that can engage a "
                    f"{cls} threat over them; dots are fire units by tier, circles "
                    "defended assets no fire unit covers.",
                )
            )
    by_class = ctx.data.get("europe", {}).get("by_class") if ctx.data.get("europe") else None
    if isinstance(by_class, Mapping) and by_class:
        names = list(by_class)
        keys = [
            ("population_fraction", "population"),
            ("value_fraction", "asset value"),
            ("value_double_fraction", "asset value, 2+ fire units"),
        ]
        fig = new_figure(7.0, 2.8)
        ax = fig.add_subplot()
        xs = np.arange(len(names))
        width = 0.8 / len(keys)
        for k, (key, label) in enumerate(keys):
            vals = [100.0 * float(by_class[c].get(key) or 0.0) for c in names]
            ax.bar(xs + (k - 1) * width, vals, width=width, color=PALETTE[k], label=label)
        ax.set_xticks(xs, names)
        ax.set_ylabel("% covered")
        ax.set_ylim(0, 100)
        ax.legend(
            frameon=False, fontsize=7, ncols=3, loc="upper center", bbox_to_anchor=(0.5, 1.18)
        )
        _style(ax)
        figures.append(
            Figure(
                "Share covered, by threat class",
                figure_to_svg(fig),
                "Share of the allies' population and defended asset value within reach of "
                "at least one fire unit (two for mutual support), per threat class.",
            )
        )
    return figures


def _campaign(ctx: FigureContext) -> list[Figure]:
    if ctx.result is None:
        return []
    from gbad.campaign.plots import campaign_charts, chart_figure

    charts = campaign_charts(ctx.result)
    captions = {
        "stocks": (
            "Interceptor stocks over the campaign",
            "Interceptors left at the end of each night, all allies together, for the "
            "types most in use (logarithmic scale).",
        ),
        "leakers": (
            "Leakers per night",
            "Threats that got through each night, by class (mean over the replications).",
        ),
        "spend": (
            "Interceptor spend",
            "Money spent on interceptors over the campaign, by type.",
        ),
    }
    figures = []
    for key, chart in charts.items():
        title, caption = captions.get(key, (key, ""))
        fig = chart_figure(
            chart,
            width_in=7.0,
            height_in=3.2,
            max_series=12,
            colours=PALETTE,
            legend_outside=True,
            title=False,
        )
        _style(fig.axes[0])
        figures.append(Figure(chart.title or title, figure_to_svg(fig), caption))
    return figures


#: Figure builders by stage name.
FIGURE_BUILDERS: dict[str, Builder] = {
    "targets": _targets,
    "budget": _budget,
    "industry": _industry,
    "siting": _siting,
    "coverage": _coverage,
    "campaign": _campaign,
}


def stage_figures(stage: str, ctx: FigureContext) -> list[Figure]:
    """Figures for one stage; a builder that fails is logged and skipped."""
    builder = FIGURE_BUILDERS.get(stage)
    if builder is None or ctx.data.get("status") != "ok":
        return []
    try:
        return builder(ctx)
    except Exception as exc:  # a broken plot must not lose the report
        log.warning("figure for stage %s failed: %s: %s", stage, type(exc).__name__, exc)
        log.debug("figure for stage %s failed", stage, exc_info=True)
        return []


def trajectory_figure(milestones: Sequence[Mapping[str, Any]]) -> Figure | None:
    """Long + medium fire units and coverage and leaks per milestone year (inline SVG)."""
    rows = [m for m in milestones if isinstance(m, Mapping) and m.get("year") is not None]
    if not rows:
        return None
    years = [int(m["year"]) for m in rows]
    labels = [str(y) for y in years]
    xs = np.arange(len(years))
    fig = new_figure(7.0, 2.8)
    left, right = fig.subplots(1, 2)
    units = [float(m.get("long_medium_fire_units") or 0) for m in rows]
    ready = [float(m.get("fire_units_ready_long_medium") or 0) for m in rows]
    left.bar(xs, units, color=PALETTE[0], width=0.6, label="in service")
    left.bar(xs, ready, color=PALETTE[5], width=0.3, label="ready")
    left.set_xticks(xs, labels)
    left.set_ylabel("long + medium fire units")
    left.legend(frameon=False, fontsize=7, loc="upper left")
    _style(left)
    series = [
        ("coverage_fraction", "coverage", "-"),
        ("missile_coverage_fraction", "missile coverage", "-"),
        ("missile_leak_share", "missile leak share", "--"),
        ("leak_fraction", "leak fraction", "--"),
    ]
    for k, (key, label, style) in enumerate(series):
        vals = [np.nan if m.get(key) is None else 100.0 * float(m[key]) for m in rows]
        right.plot(xs, vals, style, marker="o", ms=3, color=PALETTE[k + 1], label=label)
    right.set_xticks(xs, labels)
    right.set_ylim(0, 100)
    right.set_ylabel("%")
    right.legend(frameon=False, fontsize=7, loc="center right")
    _style(right)
    return Figure(
        "The trajectory",
        figure_to_svg(fig),
        "Left: long- and medium-range fire units in service and ready at each milestone year. "
        "Right: the raid-weighted coverage, the missile coverage, and the shares of missiles "
        "and of all threats that leak in the campaign fought by that year's force.",
    )
