"""Reference data for one sample, fast.

:func:`gbad.reference.load_reference` validates and applies every override
cell by cell, which is right for user input but costs about half a second for
the ~300 sampled values of a sweep. Sampled values need no validation: each lies
inside its own low/high range and integer columns get integers. So each worker
loads the reference once with the base scenario's own overrides and, per
sample, writes the sampled values column by column into copies of the tables it
touches. The result equals ``load_reference(sample_scenario.overrides)``
(checked in the tests) and records the same ``overrides``.
"""

from __future__ import annotations

import dataclasses
import functools
import json
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from gbad.sweep.params import POOLING_TABLE, UNCERTAIN_TABLES, UncertainParam, row_key

__all__ = ["base_reference", "sampled_reference"]


@functools.lru_cache(maxsize=4)
def _base(overrides_json: str) -> tuple[Any, dict[str, dict[str, int]]]:
    from gbad.reference import load_reference

    ref = load_reference(json.loads(overrides_json))
    positions: dict[str, dict[str, int]] = {}
    for table in (*UNCERTAIN_TABLES, POOLING_TABLE):
        frame = getattr(ref, table)
        keys = [row_key(table, r) for r in frame.to_dict(orient="records")]
        positions[table] = {k: i for i, k in enumerate(keys)}
    return ref, positions


def base_reference(overrides: Mapping[str, Any]) -> Any:
    """The reference with ``overrides`` applied, loaded once per process."""
    return _base(json.dumps(overrides, sort_keys=True, default=str))[0]


def sampled_reference(
    base_overrides: Mapping[str, Any],
    params: Sequence[UncertainParam],
    values: Sequence[float],
    overrides: Mapping[str, Any],
) -> Any:
    """The reference of one sample.

    Parameters
    ----------
    base_overrides : mapping
        The base scenario's own overrides (loaded once and cached).
    params, values : sequences
        The sampled parameters and their values (scenario knobs are skipped).
    overrides : mapping
        The sample scenario's whole ``overrides``, recorded on the result.
    """
    ref, positions = _base(json.dumps(base_overrides, sort_keys=True, default=str))
    by_column: dict[tuple[str, str], tuple[list[int], list[float]]] = {}
    for param, value in zip(params, values, strict=True):
        if param.is_knob:
            continue
        rows, vals = by_column.setdefault((param.table, param.column), ([], []))
        rows.append(positions[param.table][param.row_key])
        vals.append(round(value) if param.integer else float(value))
    frames: dict[str, pd.DataFrame] = {}
    for (table, column), (rows, vals) in by_column.items():
        if table not in frames:
            frames[table] = getattr(ref, table).copy()
        frame = frames[table]
        current = frame[column].to_numpy(copy=True)
        if not np.issubdtype(current.dtype, np.integer):
            current = current.astype(float)
        current[np.asarray(rows)] = np.asarray(vals, dtype=current.dtype)
        frame[column] = current
    return dataclasses.replace(ref, **frames, overrides=json.loads(json.dumps(overrides)))
