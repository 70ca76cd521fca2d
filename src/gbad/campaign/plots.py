"""Campaign figures: stocks over time, leakers per night, spend.

Each figure exists twice: a plotly figure dictionary (``*_plotly``; plain JSON,
embeddable offline by the report) and a matplotlib figure (``*_figure``; written
as PNG by ``gbad campaign --out``).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from gbad.campaign.model import CampaignResult

__all__ = [
    "campaign_plotly",
    "leakers_figure",
    "leakers_plotly",
    "spend_figure",
    "spend_plotly",
    "stocks_figure",
    "stocks_plotly",
]


def _active(result: CampaignResult) -> list[int]:
    """Systems that fired or were restocked during the campaign."""
    return [j for j in range(len(result.systems)) if result.spent[j] > 0 or result.produced[j] > 0]


def stocks_plotly(result: CampaignResult) -> dict[str, Any]:
    """Collective interceptor stock at the end of each night, per system (plotly dict)."""
    nights = list(range(0, result.nights + 1))
    traces = [
        {
            "type": "scatter",
            "mode": "lines",
            "name": result.systems[j],
            "x": nights,
            "y": [float(result.stock_start[j]), *result.stock_night[:, j].tolist()],
        }
        for j in _active(result)
    ]
    return {
        "data": traces,
        "layout": {
            "title": {"text": "Interceptor stocks (all allies)"},
            "xaxis": {"title": {"text": "night"}},
            "yaxis": {"title": {"text": "interceptors"}, "type": "log"},
        },
    }


def leakers_plotly(result: CampaignResult) -> dict[str, Any]:
    """Leakers per night by threat class, stacked bars (plotly dict)."""
    nights = list(range(1, result.nights + 1))
    traces = [
        {"type": "bar", "name": c, "x": nights, "y": result.leakers_night[:, k].tolist()}
        for k, c in enumerate(result.classes)
        if result.threats_night[:, k].sum() > 0
    ]
    return {
        "data": traces,
        "layout": {
            "title": {"text": "Leakers per night"},
            "barmode": "stack",
            "xaxis": {"title": {"text": "night"}},
            "yaxis": {"title": {"text": "threats not intercepted"}},
        },
    }


def spend_plotly(result: CampaignResult) -> dict[str, Any]:
    """Cumulative interceptor spend by system [MUSD] (plotly dict)."""
    nights = list(range(1, result.nights + 1))
    cum = np.cumsum(result.spent_night * result.interceptor_cost_musd[None, :], axis=0)
    traces = [
        {
            "type": "scatter",
            "mode": "lines",
            "stackgroup": "spend",
            "name": result.systems[j],
            "x": nights,
            "y": cum[:, j].tolist(),
        }
        for j in _active(result)
        if cum[-1, j] > 0
    ]
    return {
        "data": traces,
        "layout": {
            "title": {"text": "Interceptor spend, cumulative (MUSD)"},
            "xaxis": {"title": {"text": "night"}},
            "yaxis": {"title": {"text": "million USD"}},
        },
    }


def campaign_plotly(result: CampaignResult) -> dict[str, dict[str, Any]]:
    """The three campaign figures as plotly dicts, keyed ``stocks, leakers, spend``."""
    return {
        "stocks": stocks_plotly(result),
        "leakers": leakers_plotly(result),
        "spend": spend_plotly(result),
    }


def _mpl_from_plotly(fig: dict[str, Any]) -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, ax = plt.subplots(figsize=(9, 4.5))
    layout = fig["layout"]
    bottom: np.ndarray | None = None
    for trace in fig["data"]:
        x = np.asarray(trace["x"], dtype=float)
        y = np.asarray(trace["y"], dtype=float)
        if trace["type"] == "bar":
            ax.bar(x, y, bottom=bottom, label=trace["name"], width=0.9)
            bottom = y if bottom is None else bottom + y
        elif trace.get("stackgroup"):
            base = np.zeros_like(y) if bottom is None else bottom
            ax.fill_between(x, base, base + y, label=trace["name"], alpha=0.8)
            bottom = base + y
        else:
            ax.plot(x, y, label=trace["name"])
    ax.set_title(layout["title"]["text"])
    ax.set_xlabel(layout["xaxis"]["title"]["text"])
    ax.set_ylabel(layout["yaxis"]["title"]["text"])
    if layout["yaxis"].get("type") == "log":
        ax.set_yscale("symlog", linthresh=10)
    if fig["data"]:
        ax.legend(fontsize="small", ncols=2, loc="best")
    figure.tight_layout()
    return figure


def stocks_figure(result: CampaignResult) -> Any:
    """Matplotlib figure of :func:`stocks_plotly`."""
    return _mpl_from_plotly(stocks_plotly(result))


def leakers_figure(result: CampaignResult) -> Any:
    """Matplotlib figure of :func:`leakers_plotly`."""
    return _mpl_from_plotly(leakers_plotly(result))


def spend_figure(result: CampaignResult) -> Any:
    """Matplotlib figure of :func:`spend_plotly`."""
    return _mpl_from_plotly(spend_plotly(result))
