"""Any stage's JSON data as readable tables, without knowing its structure.

Scalars become a two-column table (label, value with unit); lists of records
become tables (first rows only, the rest stays in ``plan.json``); nested
mappings become sub-tables; long numeric arrays (grids) are named, not printed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from gbad.report._format import format_value, label_for, unit_for

__all__ = ["Table", "data_tables"]

MAX_ROWS = 40
MAX_COLUMNS = 12
_SKIP_KEYS = frozenset({"status", "reason", "source_id", "source_ids"})


@dataclass
class Table:
    """A table for the report: a title, column headers, formatted rows and a note."""

    title: str
    columns: list[str]
    rows: list[list[str]]
    note: str = ""
    numeric: list[bool] = field(default_factory=list)


def _is_scalar(value: Any) -> bool:
    return value is None or isinstance(value, (str, int, float, bool))


def _cell(value: Any, key: str = "") -> str:
    if _is_scalar(value):
        return format_value(value, key)
    if isinstance(value, list) and all(_is_scalar(v) for v in value) and len(value) <= 8:
        return format_value(value, key)
    return "…"


def _records_table(title: str, rows: Sequence[Mapping[str, Any]]) -> Table:
    columns: list[str] = []
    for row in rows[:MAX_ROWS]:
        for key in row:
            if key not in columns and key not in _SKIP_KEYS:
                columns.append(str(key))
    shown = columns[:MAX_COLUMNS]
    notes = []
    if len(rows) > MAX_ROWS:
        notes.append(f"first {MAX_ROWS} of {len(rows)} rows")
    if len(columns) > MAX_COLUMNS:
        notes.append(f"{len(columns) - MAX_COLUMNS} more columns")
    headers = []
    for c in shown:
        unit = unit_for(c)
        headers.append(f"{label_for(c)} [{unit}]" if unit else label_for(c))
    numeric = [
        all(
            isinstance(r.get(c), (int, float)) and not isinstance(r.get(c), bool)
            for r in rows[:MAX_ROWS]
            if r.get(c) is not None
        )
        for c in shown
    ]
    body = [[_cell(r.get(c), c) for c in shown] for r in rows[:MAX_ROWS]]
    note = f"Showing {', '.join(notes)}; all of it is in plan.json." if notes else ""
    return Table(title=title, columns=headers, rows=body, note=note, numeric=numeric)


def data_tables(data: Mapping[str, Any], title: str = "Figures", depth: int = 0) -> list[Table]:
    """Tables for one stage's data (its ``plan.json`` entry)."""
    scalars: list[list[str]] = []
    tables: list[Table] = []
    skipped: list[str] = []
    for key, value in data.items():
        if key in _SKIP_KEYS:
            continue
        label = label_for(key)
        if _is_scalar(value):
            unit = unit_for(key)
            scalars.append([label, f"{format_value(value, key)} {unit}".rstrip()])
        elif isinstance(value, list) and value and all(isinstance(v, Mapping) for v in value):
            tables.append(_records_table(label, value))
        elif isinstance(value, list) and all(_is_scalar(v) for v in value):
            if len(value) <= 12:
                scalars.append([label, format_value(value, key)])
            else:
                skipped.append(f"{label} ({len(value)} values)")
        elif isinstance(value, Mapping) and depth < 1:
            if value and all(isinstance(v, Mapping) for v in value.values()):
                records = [
                    {"key": k, **{f: x for f, x in v.items() if _is_scalar(x)}}
                    for k, v in value.items()
                ]
                if any(len(r) > 1 for r in records):
                    tables.append(_records_table(label, records))
                    continue
            tables.extend(data_tables(value, title=label, depth=depth + 1))
        else:
            skipped.append(label)
    out: list[Table] = []
    if scalars:
        out.append(
            Table(title=title, columns=["Quantity", "Value"], rows=scalars, numeric=[False, True])
        )
    out.extend(tables)
    if skipped and out:
        out[-1].note = (out[-1].note + " " if out[-1].note else "") + (
            "Also in plan.json: " + "; ".join(skipped) + "."
        )
    elif skipped:
        out.append(
            Table(
                title=title, columns=[], rows=[], note="In plan.json: " + "; ".join(skipped) + "."
            )
        )
    return out
