"""The stage figures build from fixture results (matplotlib and plotly)."""

from __future__ import annotations

from matplotlib.figure import Figure

from gbad.budget import compute_budget
from gbad.budget.plots import budget_paths, budget_paths_plotly
from gbad.industry import compute_industry
from gbad.industry.plots import delivery_timeline, delivery_timeline_plotly
from gbad.scenario import Scenario
from gbad.targets import compute_targets
from gbad.targets.plots import stacked_targets, stacked_targets_plotly
from tests.targets.fixtures import make_ref


def test_figures() -> None:
    ref, sc = make_ref(), Scenario()
    t = compute_targets(ref, sc)
    b = compute_budget(ref, sc, t)
    i = compute_industry(ref, sc, t, b)
    fig = stacked_targets(t)
    assert isinstance(fig, Figure)
    # one bar per ally per tier shown (long, medium)
    assert len(fig.axes[0].patches) == 2 * 4
    assert len(budget_paths(b).axes) == 2
    assert isinstance(delivery_timeline(i), Figure)
    for p in (stacked_targets_plotly(t), budget_paths_plotly(b), delivery_timeline_plotly(i)):
        assert len(p.data) >= 1


def test_axes_end_at_the_data() -> None:
    """The x axis ends just past the longest bar (its label fits), not at a round 2x."""
    ref, sc = make_ref(), Scenario()
    t = compute_targets(ref, sc)
    ax = stacked_targets(t).axes[0]
    right = max(p.get_x() + p.get_width() for p in ax.patches)
    lo, hi = ax.get_xlim()
    assert lo == 0
    assert right < hi <= 1.2 * right + 1e-9
    # The funding-year bars: every ally has a bar of positive length (base year too).
    b = compute_budget(ref, sc, t)
    bars = budget_paths(b).axes[1].patches
    assert len(bars) == len(b.countries)
    assert all(p.get_width() > 0 for p in bars)
