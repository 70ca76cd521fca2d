"""Figures of the delivery timeline (matplotlib and plotly)."""

from __future__ import annotations

from typing import Any

import pandas as pd
from matplotlib.figure import Figure

from gbad.targets.plots import TIER_COLOURS

__all__ = ["delivery_timeline", "delivery_timeline_plotly"]


def _cumulative(result: Any) -> tuple[pd.DataFrame, pd.Series]:
    d = result.deliveries
    years = (
        range(int(result.lines["year"].min()), result.last_year + 1)
        if len(result.lines)
        else range(0)
    )
    done = (
        d.pivot_table(index="year", columns="tier", values="complete", aggfunc="sum")
        .reindex(list(years))
        .fillna(0)
        .cumsum()
        if len(d)
        else pd.DataFrame(index=list(years))
    )
    need = result.orders.groupby("tier")["fire_units"].sum()
    return done, need


def delivery_timeline(result: Any) -> Figure:
    """Completed new fire units per tier by year, as a share of each tier's orders.

    A fire unit counts when its launchers and its initial interceptor load have both
    been delivered. The dotted line marks the year the collective target is met.

    Parameters
    ----------
    result : IndustryResult
        From :func:`gbad.industry.compute_industry`.

    Returns
    -------
    matplotlib.figure.Figure
    """
    done, need = _cumulative(result)
    fig = Figure(figsize=(9, 4.5), layout="constrained")
    ax = fig.add_subplot()
    for tier in done.columns:
        total = float(need.get(tier, 0))
        if total > 0:
            ax.plot(
                done.index,
                100 * done[tier] / total,
                color=TIER_COLOURS.get(str(tier)),
                label=f"{tier} ({int(total)})",
            )
    if result.collective_met_year:
        ax.axvline(result.collective_met_year, color="black", ls=":", label="target met")
    ax.set_ylim(0, 105)
    ax.set_xlabel("year")
    ax.set_ylabel("% of new fire units complete")
    ax.set_title(
        f"Delivery ({result.mode} buying, {result.rule}); binding line: "
        f"{result.binding_line or 'none'}",
        fontsize=10,
    )
    ax.legend(fontsize=8)
    return fig


def delivery_timeline_plotly(result: Any) -> Any:
    """Plotly version of :func:`delivery_timeline`."""
    import plotly.graph_objects as go

    done, need = _cumulative(result)
    fig = go.Figure()
    for tier in done.columns:
        total = float(need.get(tier, 0))
        if total > 0:
            fig.add_trace(
                go.Scatter(
                    x=list(done.index),
                    y=(100 * done[tier] / total).tolist(),
                    name=f"{tier} ({int(total)})",
                    line={"color": TIER_COLOURS.get(str(tier))},
                )
            )
    fig.update_layout(xaxis_title="year", yaxis_title="% of new fire units complete")
    return fig
