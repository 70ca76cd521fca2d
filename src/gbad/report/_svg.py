"""Matplotlib figures as inline SVG: no files, no external references."""

from __future__ import annotations

import io
import re
from typing import Any

import matplotlib as mpl
from matplotlib.figure import Figure

__all__ = ["figure_to_svg", "new_figure"]

_PROLOGUE = re.compile(r"^.*?(?=<svg\b)", re.DOTALL)
_METADATA = re.compile(r"<metadata>.*?</metadata>\s*", re.DOTALL)
_SIZE = re.compile(r'\s(width|height)="[^"]*pt"')

#: Report palette: colour-blind safe (Okabe & Ito 2008), prints in grey.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442")


def new_figure(width_in: float = 7.0, height_in: float = 3.6) -> Figure:
    """A matplotlib figure not tied to pyplot (no global state, thread safe)."""
    return Figure(figsize=(width_in, height_in), layout="constrained")


def _rasterize_dense(fig: Any, max_vector_points: int) -> None:
    """Rasterize scatter layers with many points (maps), keep the rest vector."""
    for ax in fig.get_axes():
        for artist in ax.collections:
            offsets = artist.get_offsets()
            if offsets is not None and len(offsets) > max_vector_points:
                artist.set_rasterized(True)


def figure_to_svg(fig: Any, *, max_vector_points: int = 400, dpi: float = 150.0) -> str:
    """Render a matplotlib figure as an inline ``<svg>`` element.

    Scatter layers with more than ``max_vector_points`` points (map grids, fire
    units) are embedded as one PNG image (a ``data:`` URI inside the SVG, at
    ``dpi``) so maps stay a few hundred kB; axes, borders and text stay vector.
    Text stays text (``svg.fonttype = none``) so the SVG is small and searchable;
    element ids are salted deterministically so a plan always gives the same bytes.
    The XML prologue, DOCTYPE (which names an external DTD) and RDF metadata are
    dropped; the size comes from the CSS so figures shrink to the page.
    """
    _rasterize_dense(fig, max_vector_points)
    buffer = io.StringIO()
    with mpl.rc_context({"svg.fonttype": "none", "svg.hashsalt": "gbad"}):
        fig.savefig(buffer, format="svg", dpi=dpi, metadata={"Date": None, "Creator": None})
    text = _PROLOGUE.sub("", buffer.getvalue(), count=1)
    text = _METADATA.sub("", text, count=1)
    head, sep, body = text.partition(">")
    head = _SIZE.sub("", head).replace("<svg ", '<svg role="img" class="figure" ', 1)
    return head + sep + body
