"""Strict JSON for what the store keeps (numpy, pandas, dataclasses, pydantic)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["dumps", "dumps_plain", "jsonable"]


def jsonable(obj: Any) -> Any:  # noqa: PLR0911 - one branch per type family
    """Convert ``obj`` into plain JSON values; non-finite floats become ``None``."""
    # Fast paths: plain JSON values (most of a plan) by exact type.
    kind = type(obj)
    if kind is str or kind is int or kind is bool or obj is None:
        return obj
    if kind is float:
        return obj if math.isfinite(obj) else None
    if kind is dict:
        return {k if type(k) is str else str(k): jsonable(v) for k, v in obj.items()}
    if kind is list:
        return [jsonable(v) for v in obj]
    if isinstance(obj, Mapping):
        return {str(k): jsonable(v) for k, v in obj.items()}
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return jsonable(dataclasses.asdict(obj))
    if hasattr(obj, "model_dump"):
        return jsonable(obj.model_dump(mode="json"))
    if isinstance(obj, pd.DataFrame):
        return jsonable(obj.to_dict(orient="records"))
    if isinstance(obj, pd.Series):
        return jsonable(obj.to_dict())
    if isinstance(obj, np.ndarray):
        return jsonable(obj.tolist())
    if isinstance(obj, str | bool) or obj is None:
        return obj
    if isinstance(obj, np.bool_):
        return bool(obj)
    if isinstance(obj, int | np.integer):
        return int(obj)
    if isinstance(obj, float | np.floating):
        value = float(obj)
        return value if math.isfinite(value) else None
    if isinstance(obj, dt.date | dt.datetime):
        return obj.isoformat()
    if isinstance(obj, Path):
        return str(obj)
    if isinstance(obj, Iterable):
        return [jsonable(v) for v in obj]
    return str(obj)


def dumps(obj: Any) -> str:
    """Compact strict JSON text of ``obj``."""
    return dumps_plain(jsonable(obj))


def dumps_plain(obj: Any) -> str:
    """Compact JSON text of a value already made of plain JSON values."""
    return json.dumps(obj, allow_nan=False, separators=(",", ":"))
