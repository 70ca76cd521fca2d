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
