"""Plots of a sweep for the report: fan charts and tornado diagrams.

Each plot comes as a matplotlib :class:`~matplotlib.figure.Figure` (for PNG/SVG
files) and as a plotly figure dictionary (for the HTML report, which embeds the
JSON and renders it offline).

- A **fan chart** shows a yearly series' median with its 25-75 % and 5-95 %
  bands across samples (the Bank of England's inflation fan, Britton, Fisher &
  Whitley 1998, Bank of England Quarterly Bulletin 38(1): 30-37).
- A **tornado diagram** ranks the inputs that drive one output. Each bar spans
  the output's mean over the samples whose input lies in its lowest decile to
  the mean over those in its highest decile, around the overall median
  (Howard 1988, "Decision analysis: practice and promise", Management Science
  34(6): 679-695, doi:10.1287/mnsc.34.6.679).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from gbad.sweep.analysis import fan_table, spearman_matrix
from gbad.sweep.run import SweepResult

__all__ = [
    "fan_chart",
    "fan_chart_plotly",
    "tornado",
    "tornado_chart",
    "tornado_chart_plotly",
    "write_plots",
]

_BAND_COLOUR = "#1f77b4"


def tornado(result: SweepResult, output: str, top: int = 10, quantile: float = 0.1) -> pd.DataFrame:
    """Tornado table of one output: its top inputs by ``|spearman|``.

    Returns
    -------
    pandas.DataFrame
        Columns ``input, spearman, low_mean, high_mean, swing`` (output means
        over samples with the input at or below its ``quantile`` and at or above
        its ``1 - quantile``), largest ``|swing|`` first, plus attribute
        ``attrs["median"]``, the output's median.
    """
    y = result.outputs[output].to_numpy(dtype=float)
    ok = np.isfinite(y)
    rho = spearman_matrix(result.inputs, result.outputs, [output])[output]
    rows = []
    if not ok.any() or np.ptp(y[ok]) == 0:
        rho = rho.iloc[:0]  # a constant output has no drivers
    for name in rho.index:
        x = result.inputs[name].to_numpy(dtype=float)[ok]
        yy = y[ok]
        if yy.size == 0 or np.ptp(x) == 0:
            continue
        lo_cut, hi_cut = np.quantile(x, [quantile, 1 - quantile])
        low = yy[x <= lo_cut]
        high = yy[x >= hi_cut]
        low_mean = float(low.mean()) if low.size else float("nan")
        high_mean = float(high.mean()) if high.size else float("nan")
        rows.append(
            {
                "input": name,
                "spearman": float(rho[name]),
                "low_mean": low_mean,
                "high_mean": high_mean,
                "swing": high_mean - low_mean,
            }
        )
    frame = pd.DataFrame(rows, columns=["input", "spearman", "low_mean", "high_mean", "swing"])
    if not frame.empty:
        frame = frame.reindex(frame["swing"].abs().sort_values(ascending=False).index)
        frame = frame.head(top).reset_index(drop=True)
    frame.attrs["median"] = float(np.median(y[ok])) if ok.any() else float("nan")
    return frame


def tornado_chart(table: pd.DataFrame, output: str) -> Figure:
    """Matplotlib tornado diagram of a :func:`tornado` table."""
    fig = Figure(figsize=(8, 0.45 * max(len(table), 2) + 1.2), layout="constrained")
    ax = fig.add_subplot()
    centre = table.attrs.get("median", 0.0)
    labels = list(table["input"])[::-1]
    lows = table["low_mean"].to_numpy()[::-1]
    highs = table["high_mean"].to_numpy()[::-1]
    ypos = np.arange(len(labels))
    ax.barh(ypos, lows - centre, left=centre, color="#d62728", label="input in lowest decile")
    ax.barh(ypos, highs - centre, left=centre, color="#2ca02c", label="input in highest decile")
    ax.axvline(centre, color="black", linewidth=0.8)
    ax.set_yticks(ypos, labels, fontsize=8)
    ax.set_xlabel(output)
    ax.set_title(f"What drives {output}")
    ax.legend(fontsize=8, loc="lower right")
    return fig


def tornado_chart_plotly(table: pd.DataFrame, output: str) -> dict[str, Any]:
    """Plotly figure dictionary of a :func:`tornado` table."""
    centre = float(table.attrs.get("median", 0.0))
    labels = list(table["input"])[::-1]
    traces = []
    for col, colour, name in (
        ("low_mean", "#d62728", "input in lowest decile"),
        ("high_mean", "#2ca02c", "input in highest decile"),
    ):
        values = table[col].to_numpy(dtype=float)[::-1]
        traces.append(
            {
                "type": "bar",
                "orientation": "h",
                "y": labels,
                "x": [float(v - centre) for v in values],
                "base": [centre] * len(labels),
                "marker": {"color": colour},
                "name": name,
            }
        )
    return {
        "data": traces,
        "layout": {
            "title": {"text": f"What drives {output}"},
            "barmode": "overlay",
            "xaxis": {"title": {"text": output}},
            "yaxis": {"automargin": True},
        },
    }


def fan_chart(fans: pd.DataFrame, series: str) -> Figure:
    """Matplotlib fan chart of one series from :func:`gbad.sweep.analysis.fan_table`."""
    part = fans[fans["series"] == series].sort_values("year")
    fig = Figure(figsize=(7, 4), layout="constrained")
    ax = fig.add_subplot()
    years = part["year"].to_numpy()
    ax.fill_between(years, part["p5"], part["p95"], color=_BAND_COLOUR, alpha=0.2, label="5-95 %")
    ax.fill_between(years, part["p25"], part["p75"], color=_BAND_COLOUR, alpha=0.4, label="25-75 %")
    ax.plot(years, part["p50"], color=_BAND_COLOUR, label="median")
    ax.set_xlabel("year")
    ax.set_ylabel(series)
    ax.set_title(series)
    ax.legend(fontsize=8)
    return fig


def fan_chart_plotly(fans: pd.DataFrame, series: str) -> dict[str, Any]:
    """Plotly figure dictionary of a fan chart."""
    part = fans[fans["series"] == series].sort_values("year")
    years = [int(y) for y in part["year"]]

    def col(name: str) -> list[float]:
        return [float(v) for v in part[name]]

    def band(lo: str, hi: str, opacity: float, name: str) -> dict[str, Any]:
        return {
            "type": "scatter",
            "x": years + years[::-1],
            "y": col(hi) + col(lo)[::-1],
            "fill": "toself",
            "fillcolor": f"rgba(31,119,180,{opacity})",
            "line": {"width": 0},
            "name": name,
            "hoverinfo": "skip",
        }

    return {
        "data": [
            band("p5", "p95", 0.2, "5-95 %"),
            band("p25", "p75", 0.4, "25-75 %"),
            {
                "type": "scatter",
                "x": years,
                "y": col("p50"),
                "name": "median",
                "line": {"color": _BAND_COLOUR},
            },
        ],
        "layout": {
            "title": {"text": series},
            "xaxis": {"title": {"text": "year"}},
            "yaxis": {"title": {"text": series}},
        },
    }


def write_plots(
    result: SweepResult, out_dir: Path, top: int = 10, fmt: str = "png"
) -> dict[str, Any]:
    """Write every fan chart and tornado diagram to ``out_dir``.

    Returns
    -------
    dict
        ``{"files": [paths], "plotly": {name: figure dict}}``.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    files: list[Path] = []
    plotly: dict[str, Any] = {}
    fans = fan_table(result.outputs)
    for series in sorted(set(fans["series"])) if not fans.empty else []:
        path = out_dir / f"fan_{series}.{fmt}"
        fan_chart(fans, series).savefig(path, dpi=120)
        files.append(path)
        plotly[f"fan_{series}"] = fan_chart_plotly(fans, series)
    for output in result.output_names:
        table = tornado(result, output, top)
        if table.empty:
            continue
        path = out_dir / f"tornado_{output}.{fmt}"
        tornado_chart(table, output).savefig(path, dpi=120)
        files.append(path)
        plotly[f"tornado_{output}"] = tornado_chart_plotly(table, output)
    return {"files": files, "plotly": plotly}
