"""The HTML report of a plan: self-contained, offline, printable.

>>> from gbad.plan import run_plan
>>> from gbad.report import render_report
>>> html = render_report(run_plan())
>>> html.startswith("<!doctype html>")
True
"""

from __future__ import annotations

from gbad.report._format import format_value, label_for, unit_for
from gbad.report._render import ODC_BY_ATTRIBUTION, STAGE_INTROS, render_report
from gbad.report._svg import figure_to_svg, new_figure

__all__ = [
    "ODC_BY_ATTRIBUTION",
    "STAGE_INTROS",
    "figure_to_svg",
    "format_value",
    "label_for",
    "new_figure",
    "render_report",
    "unit_for",
]
