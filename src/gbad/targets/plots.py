"""Figures of national targets (matplotlib for the report, plotly for the web app).

Functions return figures and never show or save them (no pyplot global state).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
from matplotlib.figure import Figure

__all__ = ["TIER_COLOURS", "stacked_targets", "stacked_targets_plotly"]

#: One colour per tier, outer to inner layer (colour-blind safe, Okabe & Ito 2008).
TIER_COLOURS = {
    "long": "#0072B2",
    "medium": "#009E73",
    "short": "#E69F00",
    "very-short": "#CC79A7",
    "c-uas": "#56B4E9",
}


def _frame(
    result: Any, tiers: Sequence[str] | None
) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    t = result.table
    chosen = [x for x in (tiers or list(result.tiers["tier"])) if x in set(t["tier"])]
    t = t[t["tier"].isin(chosen)]
    target = t.pivot_table(index="iso3", columns="tier", values="target", aggfunc="sum")
    base = t.groupby("iso3")["baseline"].sum()
    order = target.sum(axis=1).sort_values(ascending=True).index
    return (
        target.reindex(index=order, columns=chosen).fillna(0),
        base.reindex(order).to_frame(),
        chosen,
    )


def stacked_targets(result: Any, tiers: Sequence[str] | None = ("long", "medium")) -> Figure:
    """Horizontal bars: each ally's target stacked by tier, baseline marked.

    Parameters
    ----------
    result : TargetsResult
        From :func:`gbad.targets.compute_targets`.
    tiers : sequence of str, optional
        Tiers to show (default long and medium, which count batteries; short and
        very-short count launchers). ``None`` shows every tier in the result.

    Returns
    -------
    matplotlib.figure.Figure
    """
    target, base, chosen = _frame(result, tiers)
    fig = Figure(figsize=(8, max(3.0, 0.28 * len(target) + 1.2)), layout="constrained")
    ax = fig.add_subplot()
    left = pd.Series(0.0, index=target.index)
    for tier in chosen:
        ax.barh(target.index, target[tier], left=left, color=TIER_COLOURS.get(tier), label=tier)
        left += target[tier]
    ax.scatter(base["baseline"], base.index, marker="|", s=120, color="black", label="baseline")
    ax.set_xlabel("fire units (target)")
    ax.set_title(
        f"National targets: {', '.join(chosen)} ({result.key} key, {result.method})", fontsize=10
    )
    ax.legend(loc="lower right", fontsize=8)
    ax.tick_params(axis="y", labelsize=8)
    return fig


def stacked_targets_plotly(result: Any, tiers: Sequence[str] | None = ("long", "medium")) -> Any:
    """Plotly version of :func:`stacked_targets` for the web app."""
    import plotly.graph_objects as go

    target, base, chosen = _frame(result, tiers)
    fig = go.Figure()
    for tier in chosen:
        fig.add_trace(
            go.Bar(
                y=list(target.index),
                x=target[tier].tolist(),
                name=tier,
                orientation="h",
                marker_color=TIER_COLOURS.get(tier),
            )
        )
    fig.add_trace(
        go.Scatter(
            y=list(base.index),
            x=base["baseline"].tolist(),
            mode="markers",
            name="baseline",
            marker={"symbol": "line-ns-open", "size": 14, "color": "black"},
        )
    )
    fig.update_layout(barmode="stack", xaxis_title="fire units (target)", height=700)
    return fig
