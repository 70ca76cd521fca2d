"""Figures of budget paths and funding years (matplotlib and plotly)."""

from __future__ import annotations

from typing import Any

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

__all__ = ["budget_paths", "budget_paths_plotly"]


def _collective(result: Any) -> pd.DataFrame:
    g = result.paths.groupby("year")[["gbad_budget_musd", "baseline_opex_musd"]].sum()
    g["cumulative_net_bn"] = (g["gbad_budget_musd"] - g["baseline_opex_musd"]).cumsum() / 1000
    g["gbad_budget_bn"] = g["gbad_budget_musd"] / 1000
    return g


def budget_paths(result: Any) -> Figure:
    """Collective GBAD budget against the cost of the targets, and funding years.

    Left: yearly GBAD budget and cumulative budget net of the in-service fleet's
    operating cost [USD bn, constant base-year prices] with the targets' acquisition
    cost as a horizontal line. Right: the year each ally's target is funded.

    Parameters
    ----------
    result : BudgetResult
        From :func:`gbad.budget.compute_budget`.

    Returns
    -------
    matplotlib.figure.Figure
    """
    g = _collective(result)
    fig = Figure(figsize=(11, 5), layout="constrained")
    ax, ax2 = fig.subplots(1, 2, width_ratios=[1.3, 1])
    ax.bar(g.index, g["gbad_budget_bn"], color="#56B4E9", label="GBAD budget per year")
    ax.plot(g.index, g["cumulative_net_bn"], color="#0072B2", label="cumulative, net of opex")
    ax.axhline(result.total_cost_musd / 1000, color="#D55E00", ls="--", label="cost of targets")
    ax.axvline(result.horizon_year, color="grey", lw=0.8)
    ax.set_xlabel("year")
    ax.set_ylabel("USD bn (base-year prices)")
    ax.set_title(f"GBAD = {result.gbad_share_of_core_pct:g}% of core defence", fontsize=10)
    ax.legend(fontsize=8)
    c = result.countries.sort_values("funded_year", na_position="first")
    years = c["funded_year"].astype("Float64").fillna(float(g.index.max()) + 1).astype(float)
    colours = ["#009E73" if ok else "#D55E00" for ok in c["funded_by_horizon"]]
    # A bar covers the years from the base year to the funding year, both included,
    # so a target funded in the base year still shows.
    start = result.base_year - 0.5
    ax2.barh(c["iso3"], years + 0.5 - start, left=start, color=colours)
    for iso3, year, raw in zip(c["iso3"], years, c["funded_year"], strict=True):
        label = "never" if pd.isna(raw) else f"{int(raw)}"
        ax2.annotate(
            label,
            (float(year) + 0.5, iso3),
            xytext=(2, 0),
            textcoords="offset points",
            va="center",
            fontsize=7,
        )
    ax2.axvline(result.horizon_year + 0.5, color="grey", lw=0.8)
    ax2.set_xlim(start, float(years.max()) + 2.5)
    ax2.set_ylim(-0.6, len(c) - 0.4)
    ax2.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax2.set_xlabel("year target funded (red: after the horizon or never)")
    ax2.tick_params(axis="y", labelsize=8)
    return fig


def budget_paths_plotly(result: Any) -> Any:
    """Plotly version of the left panel of :func:`budget_paths`."""
    import plotly.graph_objects as go

    g = _collective(result)
    fig = go.Figure()
    fig.add_trace(go.Bar(x=list(g.index), y=g["gbad_budget_bn"].tolist(), name="GBAD budget/yr"))
    fig.add_trace(
        go.Scatter(x=list(g.index), y=g["cumulative_net_bn"].tolist(), name="cumulative, net")
    )
    fig.add_hline(y=result.total_cost_musd / 1000, line_dash="dash", annotation_text="cost")
    fig.update_layout(xaxis_title="year", yaxis_title="USD bn (base-year prices)")
    return fig
