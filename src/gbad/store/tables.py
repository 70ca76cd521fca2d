"""Turn a plan (nested JSON) into tables and flat scalars, and back into frames.

A plan dict (``Plan.to_dict()``) mixes scalars, records (lists of objects with
the same keys, e.g. ``targets.countries``) and arrays. The store keeps the whole
document per top-level key and, in addition, every list of records as a table
(``result_rows``) so it can be exported to Parquet/CSV and queried with SQL.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator, Mapping
from typing import Any

import pandas as pd

__all__ = ["ID_KEYS", "extract_tables", "flatten_scalars", "records_frame"]

#: Keys that identify a record in a list, tried in order, so diffs and exports
#: name rows (``targets.countries[DEU].target``) instead of numbering them.
ID_KEYS: tuple[str, ...] = (
    "iso3",
    "system",
    "threat_class",
    "tier",
    "year",
    "asset_id",
    "area_id",
    "site_id",
    "id",
    "name",
    "key",
    "night",
)

#: Lists of plain numbers longer than this are summarised, not spelt out, in diffs.
MAX_LIST_LEAVES = 64


def _is_records(value: Any) -> bool:
    """A non-empty list of objects, at least one with a key (a table)."""
    return (
        isinstance(value, list)
        and len(value) > 0
        and all(isinstance(v, Mapping) for v in value)
        and any(len(v) > 0 for v in value)
    )


def extract_tables(doc: Mapping[str, Any], prefix: str = "") -> Iterator[tuple[str, list[Any]]]:
    """Yield ``(name, records)`` for every list of objects in ``doc``.

    Names are dotted key paths (``targets.countries``). Records nested inside
    records are not split further: they stay as JSON cells of their parent.
    """
    for key, value in doc.items():
        path = f"{prefix}.{key}" if prefix else str(key)
        if _is_records(value):
            yield path, list(value)
        elif isinstance(value, Mapping):
            yield from extract_tables(value, path)


def _record_label(record: Mapping[str, Any], index: int) -> str:
    for key in ID_KEYS:
        value = record.get(key)
        if isinstance(value, (str, int)) and not isinstance(value, bool):
            return str(value)
    return str(index)


def _unique_labels(records: list[Any]) -> list[str]:
    labels = [_record_label(r, i) for i, r in enumerate(records)]
    if len(set(labels)) != len(labels):
        # Compose two identifying keys when one is not unique (iso3 x tier ...).
        composed = []
        for i, r in enumerate(records):
            parts = [str(r[k]) for k in ID_KEYS if isinstance(r.get(k), (str, int))]
            composed.append("/".join(parts[:3]) if parts else str(i))
        unique = len(set(composed)) == len(composed)
        labels = composed if unique else [str(i) for i in range(len(records))]
    return labels


def flatten_scalars(doc: Any, prefix: str = "") -> dict[str, Any]:
    """Flatten a JSON document into ``{key path: scalar}``.

    Records are labelled by their identifying key (see :data:`ID_KEYS`), long
    numeric arrays by their length and sum (``path.len``, ``path.sum``).
    """
    out: dict[str, Any] = {}
    if isinstance(doc, Mapping):
        for key, value in doc.items():
            path = f"{prefix}.{key}" if prefix else str(key)
            out.update(flatten_scalars(value, path))
    elif isinstance(doc, list):
        if _is_records(doc):
            for label, record in zip(_unique_labels(doc), doc, strict=True):
                out.update(flatten_scalars(record, f"{prefix}[{label}]"))
        elif len(doc) > MAX_LIST_LEAVES or any(isinstance(v, list) for v in doc):
            numbers = list(_iter_numbers(doc))
            out[f"{prefix}.len"] = len(doc)
            out[f"{prefix}.sum"] = float(sum(numbers)) if numbers else None
        else:
            for i, value in enumerate(doc):
                out.update(flatten_scalars(value, f"{prefix}[{i}]"))
    else:
        out[prefix] = doc
    return out


def _iter_numbers(value: Any) -> Iterator[float]:
    if isinstance(value, bool):
        return
    if isinstance(value, (int, float)):
        if math.isfinite(value):
            yield float(value)
    elif isinstance(value, list):
        for v in value:
            yield from _iter_numbers(v)


def records_frame(records: list[Any]) -> pd.DataFrame:
    """A DataFrame of records; nested values become JSON text cells.

    Parquet and CSV need flat columns, so a cell that is a list or an object is
    written as its JSON text.
    """
    rows = []
    for record in records:
        row = {}
        for key, value in record.items():
            row[str(key)] = (
                json.dumps(value, allow_nan=False) if isinstance(value, (list, dict)) else value
            )
        rows.append(row)
    return pd.DataFrame.from_records(rows)
