"""Generate the column tables and the audit output of docs/data.md from the data.

The schema table ``src/gbad/data/schema.csv`` is the one description of every column;
this script writes, between the markers ``<!-- columns:TABLE -->`` and
``<!-- /columns -->`` of ``docs/data.md``, the column table of each reference table,
updates the row counts in the ``### TABLE (N rows)`` headings, and writes the real
output of ``gbad data audit --json`` between ``<!-- audit -->`` and ``<!-- /audit -->``.
The prose around them is written by hand::

    .venv/bin/python tools/gen_data_docs.py          # rewrite docs/data.md
    .venv/bin/python tools/gen_data_docs.py --check  # exit 1 if it is stale

``tests/docs/test_data_docs_generated.py`` fails when the committed file is stale.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET = ROOT / "docs" / "data.md"
_COLUMNS = re.compile(r"(<!-- columns:([a-z_]+) -->\n)(.*?)(<!-- /columns -->)", re.S)
_AUDIT = re.compile(r"(<!-- audit -->\n)(.*?)(<!-- /audit -->)", re.S)


def column_table(table: str) -> str:
    """Markdown table of one table's columns, from the schema."""
    from gbad.data_quality import load_schema

    schema = load_schema()
    rows = schema[schema["table"] == table]
    if rows.empty:
        raise KeyError(f"schema has no table {table!r}")
    out = ["| column | type | unit | allowed / range | description |", "|---|---|---|---|---|"]
    for r in rows.to_dict("records"):
        allowed = " \\| ".join(f"`{v}`" for v in r["allowed"].split(";")) if r["allowed"] else ""
        if r["min"] or r["max"]:
            if r["min"] and r["max"]:
                span = f"{r['min']} … {r['max']}".replace("-", "−")
            else:
                span = f"≥ {r['min']}" if r["min"] else f"≤ {r['max']}"
            allowed = f"{allowed} {span}".strip()
        desc = r["description"].replace("|", "\\|")
        out.append(f"| `{r['column']}` | {r['type']} | {r['unit']} | {allowed} | {desc} |")
    return "\n".join(out) + "\n"


def audit_json() -> str:
    """The output of ``gbad data audit --json``, indented."""
    from gbad import DATA_VERSION
    from gbad.data_quality import audit
    from gbad.reference import load_reference, load_table

    report = {"data_version": DATA_VERSION, **audit(load_reference(), load_table("systems"))}
    return "```json\n" + json.dumps(report, indent=1, ensure_ascii=False) + "\n```\n"


def generate(text: str | None = None) -> str:
    """docs/data.md with its generated parts current."""
    from gbad.reference import list_tables

    text = TARGET.read_text(encoding="utf-8") if text is None else text
    text = _COLUMNS.sub(lambda m: m.group(1) + column_table(m.group(2)) + m.group(4), text)
    text = _AUDIT.sub(lambda m: m.group(1) + audit_json() + m.group(3), text)
    for info in list_tables():
        unit = "features" if info.name == "borders" else "rows"
        text = re.sub(
            rf"^### {info.name} \([\d,]+ {unit}\)$",
            f"### {info.name} ({info.rows:,} {unit})",
            text,
            flags=re.M,
        )
    return text


def main(argv: list[str]) -> int:
    """Rewrite docs/data.md, or with ``--check`` exit 1 when it is stale."""
    fresh = generate()
    if "--check" in argv:
        if TARGET.read_text(encoding="utf-8") != fresh:
            print("docs/data.md is stale: run tools/gen_data_docs.py", file=sys.stderr)
            return 1
        return 0
    TARGET.write_text(fresh, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
