"""docs/data.md: its Python example runs and its stated figures match the tables."""

from __future__ import annotations

import re
from pathlib import Path

from gbad.reference import list_tables

DOC = Path(__file__).resolve().parents[2] / "docs" / "data.md"


def test_python_example_runs() -> None:
    text = DOC.read_text(encoding="utf-8")
    blocks = re.findall(r"^```python\n(.*?)^```", text, flags=re.S | re.M)
    assert blocks
    namespace: dict[str, object] = {}
    for block in blocks:
        exec(compile(block, "docs/data.md", "exec"), namespace)  # our own example
    ref = namespace["ref"]
    assert ref.overrides == {"systems": {"patriot": {"interceptor_cost_musd_mid": 4.5}}}  # type: ignore[attr-defined]


def test_row_counts_in_the_page_are_current() -> None:
    text = DOC.read_text(encoding="utf-8")
    for info in list_tables():
        assert re.search(rf"### {info.name} \({info.rows:,} (rows|features)\)", text), info.name
