"""Numbers, labels and units as a reader sees them in the report."""

from __future__ import annotations

import math
from typing import Any

__all__ = ["format_value", "is_year_key", "label_for", "unit_for"]

#: Unit suffixes of field names (STYLE: units in names) and how to print them.
_UNITS: tuple[tuple[str, str], ...] = (
    ("_musd_per_year", "million USD/yr"),
    ("_musd", "million USD"),
    ("_per_year", "per year"),
    ("_usd_bn", "billion USD"),
    ("_bn", "billion"),
    ("_pct_gdp", "% of GDP"),
    ("_pct", "%"),
    ("_km", "km"),
    ("_m2", "m²"),
    ("_mps", "m/s"),
    ("_min", "min"),
    ("_m", "m"),
    ("_s", "s"),
    ("_nights", "nights"),
    ("_year", "year"),
)

_ACRONYMS = {"gdp": "GDP", "essi": "ESSI", "iso3": "ISO3", "musd": "", "pk": "Pk", "fu": "FU"}


def unit_for(key: str) -> str:
    """The unit a field name states by its suffix (``cost_musd`` → ``million USD``)."""
    for suffix, unit in _UNITS:
        if key.endswith(suffix):
            return unit
    return ""


#: Field names whose words would mislead as a label: ``days_to_first_stockout``
#: holds a night index (:data:`gbad.campaign.result.STOCKOUT_DEFINITION`).
_LABELS = {"days_to_first_stockout": "Night of first stock-out"}


def label_for(key: str) -> str:
    """A readable label for a field name (``total_cost_musd`` → ``Total cost``)."""
    if key in _LABELS:
        return _LABELS[key]
    for suffix, _unit in _UNITS:
        if key.endswith(suffix) and len(key) > len(suffix) and suffix not in ("_year",):
            key = key[: -len(suffix)]
            break
    words = [_ACRONYMS.get(w, w) for w in key.replace("-", " ").split("_") if w]
    words = [w for w in words if w]
    if not words:
        return key
    text = " ".join(words)
    return text[0].upper() + text[1:]


def is_year_key(key: str) -> bool:
    """Whether a field name holds a calendar year (printed without separators)."""
    if key.endswith("_per_year"):  # a rate, not a calendar year
        return False
    return key == "year" or key.endswith(("_year", "-year")) or key.startswith("year_")


def format_value(value: Any, key: str = "") -> str:  # noqa: PLR0911 - one branch per kind
    """Format a value for a reader: thousands separators, sensible digits.

    ``None`` is ``n/a``; integers get thousands separators (not years: a
    ``key`` naming a year prints ``2031``); floats get one decimal from 10
    upwards, none from 1,000 upwards, three significant digits below 10.
    """
    if value is None:
        return "n/a"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if is_year_key(key) and isinstance(value, (int, float)) and float(value).is_integer():
        return str(int(value))
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        if not math.isfinite(value):
            return "n/a"
        if value.is_integer() and abs(value) < 1e15:
            return f"{int(value):,}"
        magnitude = abs(value)
        if magnitude >= 1000:
            return f"{value:,.0f}"
        if magnitude >= 10:
            return f"{value:,.1f}"
        return f"{value:.3g}"
    if isinstance(value, (list, tuple)):
        return ", ".join(format_value(v, key) for v in value) if value else "none"
    return str(value)
