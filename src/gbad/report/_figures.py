"""Figures of the report, one builder per stage, drawn from ``plan.json`` data.

A builder returns a list of :class:`Figure` (title, inline SVG, caption). Where
a stage package offers its own plotting function it is used; otherwise the
figure is drawn here from the stage's JSON data. A figure that cannot be drawn
from the data at hand is left out, never faked.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from gbad.report._svg import PALETTE, figure_to_svg, new_figure

__all__ = ["FIGURE_BUILDERS", "Figure", "stage_figures"]

log = logging.getLogger(__name__)


@dataclass
class Figure:
    """One figure of the report."""

    title: str
    svg: str
    caption: str = ""


Builder = Callable[[Mapping[str, Any], Mapping[str, Any], Any], list[Figure]]


def _targets(plan: Mapping[str, Any], data: Mapping[str, Any], _result: Any) -> list[Figure]:
    rows = plan.get("summary", {}).get("national_targets") or []
    rows = [r for r in rows if r.get("target") is not None]
    if not rows:
        return []
    rows = sorted(rows, key=lambda r: (r["target"], r["iso3"]))
    labels = [r["iso3"] for r in rows]
    baseline = [r.get("baseline") or 0 for r in rows]
    target = [r["target"] for r in rows]
    fig = new_figure(7.0, max(3.0, 0.19 * len(rows) + 0.8))
    ax = fig.add_subplot()
    ys = range(len(rows))
    ax.barh(ys, target, color=PALETTE[5], label="target")
    ax.barh(ys, baseline, color=PALETTE[0], label="baseline (today)")
    ax.set_yticks(list(ys), labels, fontsize=7)
    ax.set_xlabel("fire units")
    ax.legend(loc="lower right", frameon=False)
    ax.grid(axis="x", alpha=0.3)
    ax.set_axisbelow(True)
    return [
        Figure(
            "Baseline and target by ally",
            figure_to_svg(fig),
            "Fire units held today (dark) and the national target at the horizon (light).",
        )
    ]


#: Figure builders by stage name.
FIGURE_BUILDERS: dict[str, Builder] = {"targets": _targets}


def stage_figures(
    stage: str, plan: Mapping[str, Any], data: Mapping[str, Any], result: Any
) -> list[Figure]:
    """Figures for one stage; a builder that fails is logged and skipped."""
    builder = FIGURE_BUILDERS.get(stage)
    if builder is None or data.get("status") != "ok":
        return []
    try:
        return builder(plan, data, result)
    except Exception:  # a broken plot must not lose the plan
        log.warning("figure for stage %s failed", stage, exc_info=True)
        return []
