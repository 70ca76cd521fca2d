"""The builder scripts in tools/ reproduce the committed data files byte for byte."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path
from types import ModuleType

import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "src" / "gbad" / "data"
RAW = ROOT / "tests" / "reference" / "raw"
# The raw attack reports differ from the packaged table only in their ``source`` column
# (one citation string for every row, replaced by the id ``ivaniuk-attacks``), so the
# test writes them back from the package instead of vendoring a second 1 MB copy.
ATTACKS_SOURCE = (
    "Ivaniuk P. Massive Missile Attacks on Ukraine (Kaggle piterfm; ODC-BY 1.0; from "
    "Ukrainian Air Force Command reports) via GitHub yakzebude/ua-air-defense-tracker "
    "public/data/missile_attacks_daily.csv @44aea932"
)


def load_tool(name: str) -> ModuleType:
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(ROOT / "tools"))
    return module


def test_build_reference_reproduces_the_tables(tmp_path: Path) -> None:
    """tests/reference/raw (see its README) builds the derived tables byte for byte."""
    raw = tmp_path / "raw"
    shutil.copytree(RAW, raw)
    attacks = pd.read_csv(DATA / "attacks.csv", dtype=str, keep_default_na=False)
    assert set(attacks["source_id"]) == {"ivaniuk-attacks"}
    attacks = attacks.drop(columns=["source_id"]).assign(source=ATTACKS_SOURCE)
    attacks.to_csv(raw / "ukraine_attacks_2022-09_2025-06.csv", index=False)
    tool = load_tool("build_reference")
    tool.OUT = tmp_path / "out"
    tool.main(["build_reference.py", str(raw)])
    built = sorted(p.name for p in tool.OUT.glob("*.csv"))
    assert built == ["attacks.csv", "launch_areas.csv"]  # the rest is curated by hand
    for name in built:
        assert (tool.OUT / name).read_bytes() == (DATA / name).read_bytes(), name


def test_topojson_decoding_and_clipping() -> None:
    """A two-arc square decodes, reverses and clips as hand-computed."""
    tool = load_tool("build_borders")
    topo = {
        "transform": {"scale": [1.0, 1.0], "translate": [40.0, 60.0]},
        "arcs": [[[0, 0], [10, 0], [0, 10]], [[10, 10], [-10, 0], [0, -10]]],
    }
    arcs = tool.decode_arcs(topo)
    assert arcs[0] == [(40.0, 60.0), (50.0, 60.0), (50.0, 70.0)]
    ring = tool.ring_points([0, 1], arcs)
    assert ring[0] == ring[-1] == (40.0, 60.0)
    assert ring == [(40.0, 60.0), (50.0, 60.0), (50.0, 70.0), (40.0, 70.0), (40.0, 60.0)]
    assert tool.ring_points([~1], arcs) == [(40.0, 60.0), (40.0, 70.0), (50.0, 70.0)]
    clipped = tool.tidy(tool.clip_ring(ring))  # box edge at lon 45
    assert max(x for x, _ in clipped) == 45.0
    assert sorted(set(map(tuple, clipped))) == [
        (40.0, 60.0),
        (40.0, 70.0),
        (45.0, 60.0),
        (45.0, 70.0),
    ]
