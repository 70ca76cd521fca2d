"""Campaign figures: stocks over time, leakers per night, spend.

Each figure is described once, as a :class:`Chart` (title, axis labels, x values,
named series and how they stack) built from a :class:`CampaignResult`. The chart is
then rendered two ways: a plotly figure dictionary (``*_plotly``; plain JSON,
embeddable offline by the report and the web app) and a matplotlib figure
(``*_figure``; written as PNG by ``gbad campaign --out`` and as SVG by the report).
The matplotlib figures are :class:`matplotlib.figure.Figure` objects drawn by
:func:`chart_figure`, not pyplot figures: no backend switch, no global state.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from matplotlib.figure import Figure

from gbad.campaign.model import CampaignResult

__all__ = [
    "Chart",
    "campaign_charts",
    "campaign_plotly",
    "chart_figure",
    "chart_plotly",
    "leakers_chart",
    "leakers_figure",
    "leakers_plotly",
    "spend_chart",
    "spend_figure",
    "spend_plotly",
    "stocks_chart",
    "stocks_figure",
    "stocks_plotly",
]


@dataclass(frozen=True)
class Chart:
    """One campaign figure, independent of the library that draws it.

    ``kind`` is ``line`` (one line per series), ``bar`` (bars stacked per x) or
    ``area`` (areas stacked per x).
    """

    title: str
    xlabel: str
    ylabel: str
    x: list[int]
    series: list[tuple[str, list[float]]]
    kind: Literal["line", "bar", "area"]
    log_y: bool = False


def _active(result: CampaignResult) -> list[int]:
    """Systems that fired or were restocked during the campaign."""
    return [j for j in range(len(result.systems)) if result.spent[j] > 0 or result.produced[j] > 0]


def stocks_chart(result: CampaignResult) -> Chart:
    """Collective interceptor stock at the end of each night, per system."""
    return Chart(
        title="Interceptor stocks (all allies)",
        xlabel="night",
        ylabel="interceptors",
        x=list(range(0, result.nights + 1)),
        series=[
            (result.systems[j], [float(result.stock_start[j]), *result.stock_night[:, j].tolist()])
            for j in _active(result)
        ],
        kind="line",
        log_y=True,
    )


def leakers_chart(result: CampaignResult) -> Chart:
    """Leakers per night by threat class, stacked bars."""
    return Chart(
        title="Leakers per night",
        xlabel="night",
        ylabel="threats not intercepted",
        x=list(range(1, result.nights + 1)),
        series=[
            (c, result.leakers_night[:, k].tolist())
            for k, c in enumerate(result.classes)
            if result.threats_night[:, k].sum() > 0
        ],
        kind="bar",
    )


def spend_chart(result: CampaignResult) -> Chart:
    """Cumulative interceptor spend by system [MUSD], stacked areas."""
    cum = np.cumsum(result.spent_night * result.interceptor_cost_musd[None, :], axis=0)
    return Chart(
        title="Interceptor spend, cumulative (MUSD)",
        xlabel="night",
        ylabel="million USD",
        x=list(range(1, result.nights + 1)),
        series=[(result.systems[j], cum[:, j].tolist()) for j in _active(result) if cum[-1, j] > 0],
        kind="area",
    )


def campaign_charts(result: CampaignResult) -> dict[str, Chart]:
    """The three campaign charts, keyed ``stocks, leakers, spend``."""
    return {
        "stocks": stocks_chart(result),
        "leakers": leakers_chart(result),
        "spend": spend_chart(result),
    }


def chart_plotly(chart: Chart) -> dict[str, Any]:
    """A plotly figure dictionary of ``chart`` (plain JSON)."""
    traces: list[dict[str, Any]] = []
    for name, y in chart.series:
        if chart.kind == "bar":
            traces.append({"type": "bar", "name": name, "x": chart.x, "y": y})
            continue
        trace: dict[str, Any] = {"type": "scatter", "mode": "lines"}
        if chart.kind == "area":
            trace["stackgroup"] = "spend"
        traces.append({**trace, "name": name, "x": chart.x, "y": y})
    yaxis: dict[str, Any] = {"title": {"text": chart.ylabel}}
    if chart.log_y:
        yaxis["type"] = "log"
    layout: dict[str, Any] = {"title": {"text": chart.title}}
    if chart.kind == "bar":
        layout["barmode"] = "stack"
    layout["xaxis"] = {"title": {"text": chart.xlabel}}
    layout["yaxis"] = yaxis
    return {"data": traces, "layout": layout}


def chart_figure(
    chart: Chart,
    *,
    width_in: float = 9.0,
    height_in: float = 4.5,
    max_series: int | None = None,
    colours: Sequence[str] | None = None,
    legend_outside: bool = False,
    title: bool = True,
) -> Figure:
    """A matplotlib figure of ``chart`` (not tied to pyplot).

    ``max_series`` keeps the line series with the largest peaks (stacked charts are
    always drawn whole: leaving a layer out would change the stack). ``colours``
    cycles a palette (dashed lines once it is used up); ``legend_outside`` puts the
    legend right of the axes.
    """
    fig = Figure(figsize=(width_in, height_in), layout="constrained")
    ax = fig.add_subplot()
    series = list(chart.series)
    if max_series is not None and chart.kind == "line" and len(series) > max_series:
        series = sorted(series, key=lambda s: -float(np.nanmax(np.asarray(s[1], float))))
        series = series[:max_series]
    x = np.asarray(chart.x, dtype=float)
    bottom = np.zeros_like(x)
    for k, (name, values) in enumerate(series):
        y = np.asarray(values, dtype=float)
        style: dict[str, Any] = {"label": name}
        if colours:
            style["color"] = colours[k % len(colours)]
        if chart.kind == "bar":
            ax.bar(x, y, bottom=bottom, width=0.9, **style)
            bottom = bottom + y
        elif chart.kind == "area":
            ax.fill_between(x, bottom, bottom + y, alpha=0.8, **style)
            bottom = bottom + y
        else:
            dashed = colours is not None and k >= len(colours)
            ax.plot(x, y, "--" if dashed else "-", linewidth=1.2, **style)
    if title:
        ax.set_title(chart.title)
    ax.set_xlabel(chart.xlabel)
    ax.set_ylabel(chart.ylabel)
    if chart.log_y:
        ax.set_yscale("symlog", linthresh=10)
    if series:
        if legend_outside:
            ax.legend(
                fontsize=6.5, ncols=2, loc="center left", bbox_to_anchor=(1.0, 0.5), frameon=False
            )
        else:
            ax.legend(fontsize="small", ncols=2, loc="best")
    return fig


def stocks_plotly(result: CampaignResult) -> dict[str, Any]:
    """Plotly dict of :func:`stocks_chart`."""
    return chart_plotly(stocks_chart(result))


def leakers_plotly(result: CampaignResult) -> dict[str, Any]:
    """Plotly dict of :func:`leakers_chart`."""
    return chart_plotly(leakers_chart(result))


def spend_plotly(result: CampaignResult) -> dict[str, Any]:
    """Plotly dict of :func:`spend_chart`."""
    return chart_plotly(spend_chart(result))


def campaign_plotly(result: CampaignResult) -> dict[str, dict[str, Any]]:
    """The three campaign figures as plotly dicts, keyed ``stocks, leakers, spend``."""
    return {key: chart_plotly(chart) for key, chart in campaign_charts(result).items()}


def stocks_figure(result: CampaignResult) -> Figure:
    """Matplotlib figure of :func:`stocks_chart`."""
    return chart_figure(stocks_chart(result))


def leakers_figure(result: CampaignResult) -> Figure:
    """Matplotlib figure of :func:`leakers_chart`."""
    return chart_figure(leakers_chart(result))


def spend_figure(result: CampaignResult) -> Figure:
    """Matplotlib figure of :func:`spend_chart`."""
    return chart_figure(spend_chart(result))
