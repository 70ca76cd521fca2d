"""docs/data.md: the generated column tables, row counts and audit output are current."""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path
from types import ModuleType

from gbad.data_quality import load_schema

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "data.md"


def load_tool(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_data_reference_is_current() -> None:
    gen = load_tool("gen_data_docs")
    committed = DOC.read_text(encoding="utf-8")
    assert committed == gen.generate(committed), (
        "docs/data.md is stale: run .venv/bin/python tools/gen_data_docs.py"
    )


def test_every_schema_column_is_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    schema = load_schema()
    for table in set(schema["table"]):
        block = re.search(rf"<!-- columns:{table} -->\n(.*?)<!-- /columns -->", text, re.S)
        assert block is not None, table
        for column in schema.loc[schema["table"] == table, "column"]:
            assert f"| `{column}` |" in block.group(1), (table, column)


def test_the_page_holds_the_audit_json() -> None:
    text = DOC.read_text(encoding="utf-8")
    block = re.search(r"<!-- audit -->\n```json\n(.*?)\n```\n<!-- /audit -->", text, re.S)
    assert block is not None
    audit = json.loads(block.group(1))
    assert audit["problems"] == [] and audit["tables"]["inventory"]["rows"] > 100
