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

__all__ = ["CENSORED_MARK", "Table", "censored", "data_tables"]

#: First character of a censored value's text (``≥ 30 (did not run out)``).
CENSORED_MARK = "\u2265"

MAX_ROWS = 40
MAX_COLUMNS = 12
_SKIP_KEYS = frozenset({"status", "reason", "source_id", "source_ids"})
#: Older names a record keeps beside the right one (the contract never drops a
#: key): the report shows the right one alone. ``{old: new}``.
_ALIASES = {"days": "night"}


@dataclass
class Table:
    """A table for the report: a title, column headers, formatted rows and a note."""

    title: str
    columns: list[str]
    rows: list[list[str]]
    note: str = ""
    numeric: list[bool] = field(default_factory=list)


def censored(value: Any) -> str:
    """Text of a value known only as a lower bound: ``≥ 30 (did not run out)``.

    An endurance equal to the campaign length because nothing ran out is at
    least that long, not that long.
    """
    return f"{CENSORED_MARK} {format_value(value)} (did not run out)"


def _is_scalar(value: Any) -> bool:
    return value is None or isinstance(value, (str, int, float, bool))


def _cell(value: Any, key: str = "") -> str:
    if _is_scalar(value):
        return format_value(value, key)
    if isinstance(value, list) and all(_is_scalar(v) for v in value) and len(value) <= 8:
        return format_value(value, key)
    return "…"


def _flat(value: Any) -> bool:
    """A value a table cell can show: a scalar or a short list of scalars."""
    return _is_scalar(value) or (
        isinstance(value, list) and len(value) <= 8 and all(_is_scalar(v) for v in value)
    )


def _records_table(title: str, rows: Sequence[Mapping[str, Any]]) -> Table | None:
    """A table of records; nested columns are left to plan.json (``None`` if nothing is left)."""
    columns: list[str] = []
    nested: list[str] = []
    for row in rows[:MAX_ROWS]:
        for key in row:
            if key in columns or key in nested or key in _SKIP_KEYS:
                continue
            if all(_flat(r.get(key)) for r in rows[:MAX_ROWS]):
                columns.append(str(key))
            else:
                nested.append(str(key))
    if len(columns) < 2:
        return None
    columns = [c for c in columns if _ALIASES.get(c) not in columns]
    shown = columns[:MAX_COLUMNS]
    notes = []
    if nested:
        notes.append(f"without {', '.join(label_for(c).lower() for c in nested)}")
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


def _side_by_side(group: list[tuple[str, Mapping[str, Any]]]) -> Table:
    """Flat mappings sharing their keys (e.g. per threat class) as one table."""
    keys = list(group[0][1])
    headers = [""]
    for name, _ in group:
        unit = unit_for(name)
        headers.append(f"{label_for(name)} [{unit}]" if unit else label_for(name))
    rows = [[str(k)] + [format_value(m.get(k), name) for name, m in group] for k in keys]
    numeric = [False] + [
        all(isinstance(m.get(k), (int, float)) for k in keys if m.get(k) is not None)
        for _, m in group
    ]
    title = " · ".join(label_for(name) for name, _ in group[:3])
    if len(group) > 3:
        title += " …"
    return Table(title=title, columns=headers, rows=rows, numeric=numeric)


def data_tables(data: Mapping[str, Any], title: str = "Figures", depth: int = 0) -> list[Table]:
    """Tables for one stage's data (its ``plan.json`` entry)."""
    scalars: list[list[str]] = []
    tables: list[Table] = []
    skipped: list[str] = []
    flat_maps: dict[tuple[str, ...], list[tuple[str, Mapping[str, Any]]]] = {}
    for key, value in data.items():
        if key in _SKIP_KEYS:
            continue
        label = label_for(key)
        if isinstance(value, str) and value.startswith(CENSORED_MARK):
            unit = unit_for(key)  # a censored value: the unit goes with the label
            scalars.append([f"{label} [{unit}]" if unit else label, value])
        elif _is_scalar(value):
            unit = unit_for(key)
            scalars.append([label, f"{format_value(value, key)} {unit}".rstrip()])
        elif isinstance(value, list) and value and all(isinstance(v, Mapping) for v in value):
            table = _records_table(label, value)
            if table is None:
                skipped.append(f"{label} ({len(value)} records)")
            else:
                tables.append(table)
        elif (
            isinstance(value, Mapping)
            and value
            and len(value) <= MAX_ROWS
            and all(_is_scalar(v) for v in value.values())
        ):
            flat_maps.setdefault(tuple(str(k) for k in value), []).append((key, value))
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
                table = _records_table(label, records)
                if table is not None:
                    tables.append(table)
                    continue
            tables.extend(data_tables(value, title=label, depth=depth + 1))
        else:
            skipped.append(label)
    for group in flat_maps.values():
        if len(group) == 1 and len(group[0][1]) <= 3:
            name, mapping = group[0]
            for k, v in mapping.items():
                scalars.append([f"{label_for(name)}: {k}", format_value(v, name)])
        else:
            tables.append(_side_by_side(group))
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
