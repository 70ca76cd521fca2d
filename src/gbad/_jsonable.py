"""Convert stage results into plain JSON values (plan.json, CLI `--json`, run files)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["dotted_get", "to_jsonable"]


def to_jsonable(obj: Any) -> Any:  # noqa: PLR0911 - one branch per type family
    """Turn numpy, pandas, dataclass and pydantic values into plain JSON values.

    Objects with a ``to_dict()`` method are converted through it, so a stage can
    choose its own JSON form. Non-finite floats become ``None`` (strict JSON).
    """
    if isinstance(obj, (str, bool)) or obj is None:
        return obj
    if obj is pd.NA or obj is pd.NaT:
        return None
    if isinstance(obj, Mapping):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    to_dict = getattr(obj, "to_dict", None)
    if callable(to_dict) and not isinstance(obj, (pd.DataFrame, pd.Series, type)):
        return to_jsonable(to_dict())
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: to_jsonable(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if hasattr(obj, "model_dump") and not isinstance(obj, type):
        return to_jsonable(obj.model_dump(mode="json"))
    if isinstance(obj, pd.DataFrame):
        return to_jsonable(obj.to_dict(orient="records"))
    if isinstance(obj, pd.Series):
        return to_jsonable(obj.to_dict())
    if isinstance(obj, np.ndarray):
        return to_jsonable(obj.tolist())
    if isinstance(obj, np.bool_):
        return bool(obj)
    if isinstance(obj, (int, np.integer)):
        return int(obj)
    if isinstance(obj, (float, np.floating)):
        value = float(obj)
        return value if math.isfinite(value) else None
    if isinstance(obj, (dt.date, dt.datetime)):
        return obj.isoformat()
    if isinstance(obj, Path):
        return str(obj)
    if isinstance(obj, Iterable):
        return [to_jsonable(v) for v in obj]
    return str(obj)


def dotted_get(document: Mapping[str, Any], path: str) -> Any:
    """The value at the dotted ``path`` (``"a.b.c"``) of nested mappings, else ``None``."""
    node: Any = document
    for part in path.split("."):
        if not isinstance(node, Mapping) or part not in node:
            return None
        node = node[part]
    return node
