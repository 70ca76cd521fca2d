"""Strict JSON for what the store keeps, with a fast path for plain JSON values.

A plan is mostly plain dicts, lists, strings and numbers already; those are
copied by exact type here, and anything else (numpy, pandas, dataclasses,
pydantic models) goes through :func:`gbad._jsonable.to_jsonable`.
"""

from __future__ import annotations

import json
import math
from typing import Any

from gbad._jsonable import to_jsonable

__all__ = ["dumps", "dumps_plain", "jsonable"]


def jsonable(obj: Any) -> Any:
    """Convert ``obj`` into plain JSON values; non-finite floats become ``None``."""
    kind = type(obj)
    if kind is str or kind is int or kind is bool or obj is None:
        return obj
    if kind is float:
        return obj if math.isfinite(obj) else None
    if kind is dict:
        return {k if type(k) is str else str(k): jsonable(v) for k, v in obj.items()}
    if kind is list:
        return [jsonable(v) for v in obj]
    return to_jsonable(obj)


def dumps(obj: Any) -> str:
    """Compact strict JSON text of ``obj``."""
    return dumps_plain(jsonable(obj))


def dumps_plain(obj: Any) -> str:
    """Compact JSON text of a value already made of plain JSON values."""
    return json.dumps(obj, allow_nan=False, separators=(",", ":"))
