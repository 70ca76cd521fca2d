"""Fan charts and tornado diagrams."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gbad.sweep.analysis import fan_table
from gbad.sweep.plots import fan_chart_plotly, tornado, tornado_chart_plotly, write_plots
from tests.sweep.test_analysis import _linear_result


def test_tornado_swings_follow_the_model() -> None:
    # y = 3 x0 + x1 with x ~ U(0,1): the mean of y over the top decile of x0 minus
    # that over the bottom decile is 3 * (0.95 - 0.05) = 2.7 exactly in expectation;
    # with ~100 samples per decile the other input adds sd 0.29/sqrt(100) each, so 0.1.
    res = _linear_result()
    table = tornado(res, "y", top=3)
    assert table["input"].tolist()[:2] == ["p.x0.v", "p.x1.v"]
    assert table.loc[0, "swing"] == pytest.approx(2.7, abs=0.1)
    assert table.loc[1, "swing"] == pytest.approx(0.9, abs=0.1)
    assert table.attrs["median"] == pytest.approx(res.outputs["y"].median())


def test_plotly_dicts_are_json() -> None:
    res = _linear_result()
    fig = tornado_chart_plotly(tornado(res, "y"), "y")
    assert [t["type"] for t in fig["data"]] == ["bar", "bar"]
    fan = fan_chart_plotly(fan_table(res.outputs), "y")
    assert fan["data"][2]["x"] == [2030, 2031]
    json.dumps([fig, fan], allow_nan=False)


def test_write_plots(tmp_path: Path) -> None:
    out = write_plots(_linear_result(), tmp_path)
    names = sorted(p.name for p in out["files"])
    assert names == ["fan_y.png", "tornado_y.png"]
    assert all(p.stat().st_size > 1000 for p in out["files"])
    assert set(out["plotly"]) == {"fan_y", "tornado_y"}
