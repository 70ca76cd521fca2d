"""Campaign figures: one chart description, drawn as plotly JSON and by matplotlib."""

from __future__ import annotations

import subprocess
import sys
from types import SimpleNamespace

import numpy as np

from gbad.campaign import build_setup, simulate_campaign
from gbad.campaign.plots import campaign_charts, campaign_plotly, chart_figure
from tests.campaign.conftest import mini_scenario


def test_plotly_and_matplotlib_draw_the_same_series(mini_ref: SimpleNamespace) -> None:
    result = simulate_campaign(build_setup(mini_ref, mini_scenario()), rng=5, replications=2)
    charts = campaign_charts(result)
    plotly = campaign_plotly(result)
    for key, chart in charts.items():
        traces = plotly[key]["data"]
        assert [t["name"] for t in traces] == [name for name, _ in chart.series]
        fig = chart_figure(chart)
        ax = fig.axes[0]
        assert [t.get_text() for t in ax.get_legend().get_texts()] == [n for n, _ in chart.series]
        if chart.kind == "bar":  # stacked: the top of the last layer is the column total
            tops = np.zeros(len(chart.x))
            for _, y in chart.series:
                tops += np.asarray(y)
            heights = [p.get_y() + p.get_height() for p in ax.patches[-len(chart.x) :]]
            np.testing.assert_allclose(heights, tops)
    assert plotly["stocks"]["layout"]["yaxis"]["type"] == "log"
    assert plotly["leakers"]["layout"]["barmode"] == "stack"


def test_drawing_and_saving_leave_pyplot_alone(tmp_path) -> None:
    """No pyplot import, no backend switch (read raw: get_backend() would import pyplot)."""
    code = (
        "import sys, matplotlib\n"
        "before = dict.__getitem__(matplotlib.rcParams, 'backend')\n"
        "from gbad.campaign.plots import Chart, chart_figure\n"
        "c = Chart('t', 'x', 'y', [1, 2], [('a', [1.0, 2.0])], 'bar')\n"
        f"chart_figure(c).savefig({str(tmp_path / 'c.png')!r})\n"
        "assert 'matplotlib.pyplot' not in sys.modules\n"
        "assert dict.__getitem__(matplotlib.rcParams, 'backend') == before\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "c.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
