"""The builder scripts in tools/ reproduce the committed data files byte for byte."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "src" / "gbad" / "data"
REFERENCE_DIR = Path(__file__).resolve().parents[3] / "shared" / "reference" / "data"


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


@pytest.mark.skipif(not REFERENCE_DIR.is_dir(), reason="raw reference material not present")
def test_build_reference_reproduces_the_tables(tmp_path: Path) -> None:
    tool = load_tool("build_reference")
    tool.OUT = tmp_path
    tool.main(["build_reference.py", str(REFERENCE_DIR)])
    for path in sorted(tmp_path.glob("*.csv")):
        assert path.read_bytes() == (DATA / path.name).read_bytes(), path.name


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
