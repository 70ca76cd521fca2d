"""Coverage maps: clip-box edges are not drawn as borders; tiers drawn in layers."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd

from gbad.coverage.maps import (
    BORDERS_CLIP_BOX,
    TIER_STYLE,
    border_lines,
    interactive_map,
    static_map,
)
from gbad.reference import load_reference


def _edge(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    lon0, lat0, lon1, lat1 = BORDERS_CLIP_BOX
    return np.isclose(x, lon0) | np.isclose(x, lon1) | np.isclose(y, lat0) | np.isclose(y, lat1)


def _feature(ring: list[list[float]], iso3: str = "AAA") -> dict[str, object]:
    return {"properties": {"iso3": iso3}, "geometry": {"type": "Polygon", "coordinates": [ring]}}


def test_ring_split_at_clip_box_edges() -> None:
    # a ring clipped at lat 72 (top edge) and wrapped across the box (lon -32 to 45)
    ring = [[10.0, 60.0], [20.0, 72.0], [30.0, 72.0], [40.0, 65.0], [45.0, 66.0], [-32.0, 66.0],
            [-20.0, 60.0], [10.0, 60.0]]  # fmt: skip
    lines = list(border_lines({"features": [_feature(ring)]}))
    got = [list(zip(x.tolist(), y.tolist(), strict=True)) for x, y in lines]
    assert got == [
        [(10.0, 60.0), (20.0, 72.0)],
        [(30.0, 72.0), (40.0, 65.0), (45.0, 66.0)],
        [(-32.0, 66.0), (-20.0, 60.0), (10.0, 60.0)],
    ]
    # without a clip box the ring is drawn whole; an inland ring is never split
    whole = list(border_lines({"features": [_feature(ring)]}, clip_box=None))
    assert len(whole) == 1 and whole[0][0].size == len(ring)
    inland = [[10.0, 50.0], [11.0, 50.0], [11.0, 51.0], [10.0, 50.0]]
    assert len(list(border_lines({"features": [_feature(inland)]}))) == 1


def test_embedded_borders_no_segment_along_the_clip_box() -> None:
    borders = load_reference().borders
    xs, ys = zip(*border_lines(borders, clip_box=None), strict=True)
    x, y = np.concatenate(xs), np.concatenate(ys)
    # the constant is the box the data were clipped to (tools/build_borders.py)
    assert (x.min(), y.min(), x.max(), y.max()) == BORDERS_CLIP_BOX
    n_on_box = 0
    for xr, yr in zip(xs, ys, strict=True):
        e = _edge(xr, yr)
        n_on_box += int((e[:-1] & e[1:]).sum())
    assert n_on_box > 0  # the raw rings do run along the box (Russia, Greenland, ...)
    for xl, yl in border_lines(borders):
        assert xl.size >= 2
        e = _edge(xl, yl)
        assert not (e[:-1] & e[1:]).any()


def _result() -> SimpleNamespace:
    rng = np.random.default_rng(5)
    n = {"long": 3, "medium": 4, "short": 20, "very-short": 600, "c-uas": 0}
    sites = {"long": 2, "medium": 4, "short": 10, "very-short": 50, "c-uas": 1}
    parts = []
    for tier, k in n.items():
        lat = rng.uniform(48, 52, sites[tier])
        lon = rng.uniform(5, 15, sites[tier])
        pick = rng.integers(0, sites[tier], k)
        parts.append(
            pd.DataFrame(
                {
                    "iso3": "DEU",
                    "system": f"s-{tier}",
                    "tier": tier,
                    "lat": lat[pick],
                    "lon": lon[pick],
                    "origin": "baseline",
                }
            )
        )
    fu = pd.concat(parts, ignore_index=True)
    grid = pd.DataFrame({"lat": [50.0, 50.2], "lon": [10.0, 10.3], "n_drone": [0, 2]})
    assets = pd.DataFrame(
        {"lat": [50.0], "lon": [9.0], "n_drone": [0], "name": ["X"], "kind": ["city"]}
    )
    return SimpleNamespace(
        grid=grid, fire_units=fu, assets=assets, terrain="smooth-earth", settings={}
    )


def test_tiers_one_marker_per_site_short_range_below() -> None:
    res = _result()
    fu = res.fire_units
    fig = static_map(res, "drone", None)
    ax = fig.axes[0]
    by_label = {c.get_label().split(" (")[0]: c for c in ax.collections}
    for tier in ("long", "medium", "short", "very-short"):
        coll = by_label[tier]
        n_sites = len(fu.loc[fu["tier"] == tier, ["lat", "lon"]].drop_duplicates())
        assert len(coll.get_offsets()) == n_sites
        # the legend still counts units, not sites
        assert coll.get_label() == f"{tier} ({int((fu['tier'] == tier).sum())})"
    z = {t: by_label[t].get_zorder() for t in ("long", "medium", "short", "very-short")}
    assert z["very-short"] < z["short"] < z["medium"] < z["long"]
    size = {t: float(by_label[t].get_sizes()[0]) for t in z}
    assert size["very-short"] < size["short"] < size["medium"] < size["long"]
    assert by_label["asset, uncovered"].get_zorder() > z["long"]
    assert "c-uas" not in by_label  # no units, no layer
    # plotly: the same order (later traces draw on top) and one point per site
    names = [t.name.split(" fire units")[0] for t in interactive_map(res, "drone", None).data]
    tiers = [n for n in names if n in TIER_STYLE]
    assert tiers == ["very-short", "short", "medium", "long"]


def test_static_map_draws_every_border_ring_as_one_collection() -> None:
    from matplotlib.collections import LineCollection

    from gbad.reference import load_borders

    borders = load_borders()
    fig = static_map(_result(), "drone", borders)
    ax = fig.axes[0]
    lines = [c for c in ax.collections if isinstance(c, LineCollection)]
    assert len(lines) == 1 and not ax.lines
    assert len(lines[0].get_segments()) == len(list(border_lines(borders, None)))
