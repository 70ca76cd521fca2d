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
    ax.scatter(base["baseline"], base.index, marker="|", s=120, color="black", label="today")
    # The axis ends just past the longest bar (or baseline), with room for its label.
    top = float(max(left.max(), base["baseline"].max(), 1.0))
    baseline = base["baseline"].to_dict()
    for iso3, total in left.items():
        today = float(baseline[iso3])
        text = f"{total:,.0f}" if today == 0 else f"{total:,.0f} (today {today:,.0f})"
        ax.annotate(
            text,
            (float(total), iso3),
            xytext=(3, 0),
            textcoords="offset points",
            va="center",
            fontsize=7,
            color="#333333",
        )
    ax.set_xlim(0, top * 1.18)
    ax.set_ylim(-0.6, len(target) - 0.4)
    ax.set_xlabel("fire units at the horizon (stacked by tier); | today")
    ax.set_title(
        f"National targets: {', '.join(chosen)} ({result.key} key, {result.method})", fontsize=10
    )
    ax.legend(loc="lower right", fontsize=8, frameon=False)
    ax.tick_params(axis="y", labelsize=8)
    ax.grid(axis="x", alpha=0.3)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
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
