"""Schema checks and the audit of the embedded reference data.

The column schema of every table is itself a table, ``gbad/data/schema.csv``
(``table, column, type, unit, allowed, min, max, description``); it drives the type of
the boolean columns at load time, the checks below and the column tables of
``docs/data.md`` (``tools/gen_data_docs.py``). :mod:`gbad.source_rules` holds the
kinds of source the reference-data rules exclude or discourage (DESIGN.md, "Reference
data rules"): the audit's policy, kept out of the reference data it checks.

>>> problems = check_table("envelopes", pd.DataFrame({"pk_low": [0.5], "pk_mid": [0.4]}))
>>> problems[0]
'envelopes: columns not in the schema: pk_low, pk_mid'
"""

from __future__ import annotations

import functools
import io
import re
from importlib import resources
from typing import Any

import pandas as pd

__all__ = [
    "AUDITED_TABLES",
    "audit",
    "check_reference",
    "check_table",
    "check_value",
    "flag_sources",
    "load_schema",
    "load_source_rules",
]

#: Tables with a per-row ``basis`` (published / derived / estimate).
AUDITED_TABLES = ("inventory", "systems", "production", "envelopes", "countries")
BASIS_VALUES = ("published", "derived", "estimate")
_TRIPLE = re.compile(r"^(.*)_(low|mid|high)$")


def _read(name: str) -> pd.DataFrame:
    text = resources.files("gbad").joinpath("data", name).read_text(encoding="utf-8")
    return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)


@functools.cache
def _schema() -> pd.DataFrame:
    return _read("schema.csv")


def load_schema() -> pd.DataFrame:
    """The schema table (a copy): one row per column of every table."""
    return _schema().copy()


@functools.cache
def _rules() -> pd.DataFrame:
    from gbad.source_rules import source_rules_frame

    return source_rules_frame()


def load_source_rules() -> pd.DataFrame:
    """Kinds of source the rules exclude or discourage (``pattern, kind, rule, reason``)."""
    return _rules().copy()


def bool_columns(table: str) -> tuple[str, ...]:
    """Columns of ``table`` the schema types ``bool``."""
    s = _schema()
    return tuple(s.loc[(s["table"] == table) & (s["type"] == "bool"), "column"])


def check_table(
    table: str, frame: pd.DataFrame, source_ids: frozenset[str] | None = None
) -> list[str]:
    """Problems of one loaded table against the schema (empty list: none).

    Checks the column set, types (``int`` values integral, ``float`` numeric, ``bool``
    true/false), ``min``/``max``, ``allowed`` values, ``low <= mid <= high`` on every
    triple, and, given ``source_ids``, that every ``source_id`` resolves.
    """
    s = _schema()
    spec = s[s["table"] == table].set_index("column")
    problems: list[str] = []
    extra = [c for c in frame.columns if c not in spec.index]
    missing = [c for c in spec.index if c not in frame.columns]
    if extra:
        problems.append(f"{table}: columns not in the schema: {', '.join(extra)}")
    if missing:
        problems.append(f"{table}: schema columns missing: {', '.join(missing)}")
    for col in frame.columns.intersection(spec.index):
        row = {str(k): str(v) for k, v in spec.loc[col].items()}
        values = frame[col]
        where = f"{table}.{col}"
        if row["type"] in ("int", "float"):
            if not pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
                problems.append(f"{where}: expected numbers")
                continue
            num = values.dropna()
            if row["type"] == "int" and not (num == num.round()).all():
                problems.append(f"{where}: expected integers")
            if row["min"] != "" and (num < float(row["min"])).any():
                problems.append(f"{where}: below {row['min']}")
            if row["max"] != "" and (num > float(row["max"])).any():
                problems.append(f"{where}: above {row['max']}")
        elif row["type"] == "bool" and not pd.api.types.is_bool_dtype(values):
            problems.append(f"{where}: expected true/false")
        if row["allowed"]:
            allowed = set(row["allowed"].split(";"))
            bad = sorted({str(v) for v in values if v != "" and str(v) not in allowed})
            if bad:
                problems.append(f"{where}: not allowed: {', '.join(bad)}")
    for col in frame.columns:
        m = _TRIPLE.match(col)
        if m is None or m.group(2) != "mid":
            continue
        low, high = f"{m.group(1)}_low", f"{m.group(1)}_high"
        if low in frame.columns and high in frame.columns:
            lo, mid, hi = frame[low], frame[col], frame[high]
            if ((lo > mid) | (mid > hi)).any():
                problems.append(f"{table}: {low} <= {col} <= {high} fails")
    if source_ids is not None and "source_id" in frame.columns:
        cited = {i for v in frame["source_id"] for i in str(v).split(";") if i}
        unknown = sorted(cited - source_ids)
        if unknown:
            problems.append(f"{table}.source_id: unknown ids: {', '.join(unknown[:5])}")
    return problems


def check_reference(frames: dict[str, pd.DataFrame]) -> list[str]:
    """Problems of every table in ``frames`` (``sources`` resolves the ids)."""
    ids = frozenset(frames["sources"]["source_id"]) if "sources" in frames else None
    out: list[str] = []
    for name, frame in frames.items():
        if not frame.empty or len(frame.columns):
            out += check_table(name, frame, ids)
    return out


def flag_sources(sources: pd.DataFrame) -> pd.DataFrame:
    """Sources matching a rule of :mod:`gbad.source_rules`: ``source_id, kind, rule, reason``."""
    rows: list[dict[str, Any]] = []
    text = (
        sources["source_id"] + " " + sources["title"] + " " + sources["publisher"] + " "
    ) + sources["url"].astype(str)
    for rule in _rules().to_dict("records"):
        hit = text.str.contains(rule["pattern"], case=False, regex=True)
        for sid in sources.loc[hit, "source_id"]:
            rows.append({"source_id": sid, **{k: rule[k] for k in ("kind", "rule", "reason")}})
    frame = pd.DataFrame(rows, columns=["source_id", "kind", "rule", "reason"])
    return frame.drop_duplicates("source_id").sort_values("source_id", ignore_index=True)


def _gbad_only(ids: str) -> bool:
    parts = [i for i in ids.split(";") if i]
    return bool(parts) and all(i.startswith("gbad") for i in parts)


def audit(ref: Any, raw_systems: pd.DataFrame) -> dict[str, Any]:
    """What a sceptical reader should know about the embedded data.

    Parameters
    ----------
    ref : Reference
        The loaded reference (gaps filled, ``ref.imputed`` listing them).
    raw_systems : DataFrame
        The systems table as stored (before imputation), for the gaps.

    Returns
    -------
    dict
        ``tables`` (per audited table: rows, rows per basis, rows citing only gbad
        estimates, rows citing a flagged source), ``imputed`` (every filled value),
        ``sources`` (total, without URL, the ids without URL), ``flagged_sources``,
        ``gaps`` (systems in service missing launcher, missile or cost figures before
        imputation) and ``problems`` (schema check of the stored tables; empty when
        the data are valid).
    """
    flagged = flag_sources(ref.sources)
    flagged_ids = set(flagged["source_id"])
    tables: dict[str, Any] = {}
    for name in AUDITED_TABLES:
        frame = ref.table(name)
        basis = frame["basis"] if "basis" in frame.columns else pd.Series(dtype=str)
        cites = frame["source_id"].astype(str)
        tables[name] = {
            "rows": len(frame),
            "published": int((basis == "published").sum()),
            "derived": int((basis == "derived").sum()),
            "estimate": int((basis == "estimate").sum()),
            "gbad_estimate_only": int(cites.map(_gbad_only).sum()),
            "citing_flagged_sources": int(
                cites.map(lambda v: bool(set(v.split(";")) & flagged_ids)).sum()
            ),
        }
    no_url = ref.sources.loc[ref.sources["url"].astype(str) == "", "source_id"]
    inv = ref.inventory
    held = set(inv.loc[inv["status"] == "in service", "system"])
    needed = [
        "launchers_per_fu",
        "missiles_per_launcher",
        "fire_unit_cost_musd_mid",
        "interceptor_cost_musd_mid",
    ]
    gaps = []
    for r in raw_systems[raw_systems["system"].isin(held)].to_dict("records"):
        # a system that fires no round (electronic warfare) has no interceptor to price
        no_round = r["missiles_per_launcher"] == 0
        empty = [c for c in needed if pd.isna(r[c]) and not (no_round and "interceptor" in c)]
        if empty:
            gaps.append({"system": r["system"], "missing": empty})
    imputed = ref.imputed.astype({"value": float}).to_dict("records")
    from gbad.reference import _CSV_TABLES, load_table  # (gbad.reference imports this module)

    frames = {name: load_table(name) for name in _CSV_TABLES}
    return {
        "tables": tables,
        "imputed": imputed,
        "sources": {
            "total": len(ref.sources),
            "without_url": len(no_url),
            "without_url_ids": sorted(no_url),
        },
        "flagged_sources": flagged.to_dict("records"),
        "gaps": gaps,
        "problems": check_reference(frames),
    }


def check_value(table: str, column: str, value: Any) -> str | None:
    """Why ``value`` is not allowed in ``table.column`` by the schema (``None``: allowed).

    Checks the ``min``/``max`` range of a numeric column (NaN, a blanked cell, passes)
    and the ``allowed`` values of a text column; the type is checked by the caller.
    """
    s = _schema()
    rows = s[(s["table"] == table) & (s["column"] == column)]
    if rows.empty or value is None:
        return None
    row = {str(k): str(v) for k, v in rows.iloc[0].items()}
    if row["type"] in ("int", "float") and isinstance(value, (int, float)):
        if row["min"] != "" and value < float(row["min"]):
            return f"must be at least {row['min']}, got {value!r}"
        if row["max"] != "" and value > float(row["max"]):
            return f"must be at most {row['max']}, got {value!r}"
    if row["allowed"] and isinstance(value, str) and value not in row["allowed"].split(";"):
        return f"must be one of {row['allowed'].replace(';', ', ')}, got {value!r}"
    return None
