"""Uncertain parameters of a scenario: discovery and mapping to overrides.

Every reference value that carries a ``<stem>_low``, ``<stem>_mid``,
``<stem>_high`` column triple is an uncertain parameter. A sampled value
replaces the ``<stem>_mid`` column of that row through the scenario's
``overrides`` (``{table: {row_key: {column: value}}}``), which is what every
stage reads. Scenario-level knobs (raid size, GBAD share of the defence budget)
are uncertain too; they scale a scenario field by a sampled factor.
"""

from __future__ import annotations

import fnmatch
import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from gbad.errors import GbadInputError
from gbad.reference import KEY_COLUMNS as REFERENCE_KEYS

__all__ = [
    "DEFAULT_KNOBS",
    "KEY_COLUMNS",
    "POOLING_TABLE",
    "SCENARIO_TABLE",
    "UNCERTAIN_TABLES",
    "UncertainParam",
    "apply_sample",
    "discover_params",
    "filter_params",
    "pooling_params",
    "reference_params",
    "row_key",
    "sample_document",
    "scenario_knob_params",
]

#: Tables whose ``*_low/_mid/_high`` triples are sampled, in this order.
UNCERTAIN_TABLES: tuple[str, ...] = (
    "countries",
    "systems",
    "envelopes",
    "production",
    "threats",
    "inventory",
)

#: The joint-buying assumptions (``pooling`` table: one row per effect with
#: ``low, mid, high`` columns), sampled as ``pooling.<effect>``.
POOLING_TABLE = "pooling"

#: Columns that identify a row of each table in scenario ``overrides``; a
#: composite key joins its parts with ``/`` (``"patriot/ballistic"``).
KEY_COLUMNS: dict[str, tuple[str, ...]] = {
    t: REFERENCE_KEYS[t] for t in (*UNCERTAIN_TABLES, POOLING_TABLE)
}

#: Pseudo-table name of scenario-level knobs.
SCENARIO_TABLE = "scenario"

#: Default scenario knobs: key path → (low, mode, high) factors applied to the
#: scenario's own value. These are planning assumptions for exploring the
#: scenario, not reference data; set ``sweep.knobs`` to change them.
DEFAULT_KNOBS: dict[str, tuple[float, float, float]] = {
    "threat.scale": (0.5, 1.0, 2.0),
    "budget.gbad_share_of_core_pct": (0.5, 1.0, 1.5),
    # The drone electronic-warfare rate's 10th and 90th percentiles over its mid in
    # the embedded defeat model (gbad.engage.campaign_rates.campaign_defeat_rates): 0.228,
    # 0.333, 0.444 of launched drones; a test keeps these in step with the model.
    "engagement.ew_factor": (0.69, 1.0, 1.33),
}

#: Columns whose sampled values are counts (rounded to the nearest integer).
_INTEGER_STEMS = ("fire_units",)


@dataclass(frozen=True)
class UncertainParam:
    """One uncertain input of a sweep.

    Attributes
    ----------
    name : str
        Dotted name ``table.row_key.stem``, e.g.
        ``systems.patriot.interceptor_cost_musd``; for knobs
        ``scenario.<key path>``.
    table : str
        Reference table, or ``"scenario"`` for a scenario knob.
    row_key : str
        Row key in ``overrides`` (``iso3``, ``system``, ``system/threat_class``,
        ...); for a knob, the scenario key path (``budget.gbad_share_of_core_pct``).
    column : str
        The column a sampled value replaces (``<stem>_mid``); for a knob the
        scenario field name.
    low, mode, high : float
        Three-point estimate, ``low <= mode <= high``, in the column's unit (for
        a knob: the absolute value, i.e. the factor times the scenario value).
    integer : bool
        Round sampled values to integers (counts of fire units).
    """

    name: str
    table: str
    row_key: str
    column: str
    low: float
    mode: float
    high: float
    integer: bool = False

    @property
    def is_knob(self) -> bool:
        """True for a scenario-level knob, False for a reference value."""
        return self.table == SCENARIO_TABLE


def row_key(table: str, row: Mapping[Any, Any]) -> str:
    """Override row key of a reference row (``"DEU"``, ``"patriot/ballistic"``)."""
    parts = []
    for col in KEY_COLUMNS[table]:
        value = row[col]
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        parts.append(str(value))
    return "/".join(parts)


def _triples(columns: Iterable[str]) -> list[str]:
    """Stems ``s`` with ``s_low``, ``s_mid`` and ``s_high`` all among ``columns``."""
    cols = list(columns)
    stems = [c.removesuffix("_mid") for c in cols if c.endswith("_mid")]
    return [s for s in stems if f"{s}_low" in cols and f"{s}_high" in cols]


def _as_float(value: Any) -> float:
    try:
        out = float(value)
    except (TypeError, ValueError):
        return math.nan
    return out


def reference_params(ref: Any, tables: Sequence[str] = UNCERTAIN_TABLES) -> list[UncertainParam]:
    """Find every uncertain reference value (rows with ``low < high``).

    Parameters
    ----------
    ref : gbad.reference.Reference
        Any object with one DataFrame attribute per table name.
    tables : sequence of str
        Tables to scan.

    Returns
    -------
    list of UncertainParam
        In table order, then row order, then column order. Rows with a missing
        value or ``low == high`` are not uncertain and are skipped; so are
        rows whose key is not unique (an override would set every such row to
        the same value), which stay at their mid values. Columns of integer
        type, and fire-unit counts, are sampled as integers.
    """
    out: list[UncertainParam] = []
    for table in tables:
        frame = getattr(ref, table, None)
        if not isinstance(frame, pd.DataFrame) or frame.empty:
            continue
        if any(k not in frame.columns for k in KEY_COLUMNS[table]):
            continue
        stems = _triples(frame.columns)
        integer = {
            s: s in _INTEGER_STEMS or pd.api.types.is_integer_dtype(frame[f"{s}_mid"])
            for s in stems
        }
        records = frame.to_dict(orient="records")
        keys = [row_key(table, r) for r in records]
        counts = Counter(keys)
        for key, record in zip(keys, records, strict=True):
            if counts[key] > 1:
                continue
            for stem in stems:
                lo, mo, hi = (_as_float(record[f"{stem}_{s}"]) for s in ("low", "mid", "high"))
                if not all(math.isfinite(v) for v in (lo, mo, hi)) or not lo < hi:
                    continue
                lo, hi = min(lo, mo), max(hi, mo)  # tolerate a mid outside its range
                out.append(
                    UncertainParam(
                        name=f"{table}.{key}.{stem}",
                        table=table,
                        row_key=key,
                        column=f"{stem}_mid",
                        low=lo,
                        mode=mo,
                        high=hi,
                        integer=integer[stem],
                    )
                )
    return out


def pooling_params(ref: Any) -> list[UncertainParam]:
    """The joint-buying assumptions of the ``pooling`` table (:mod:`gbad.industry.pooling`).

    Each row is one assumption with ``low``, ``mid`` and ``high`` columns; a
    sampled value replaces ``mid``, which the scenario's default
    ``industry.pooling_level: mid`` reads (the ESSI comparison and the industry
    stage's joint schedule). ``low`` and ``high`` name the size of the *effect*,
    so a range given high-to-low (the expansion lag: slow is the low effect) is
    sampled between the smaller and the larger value. The 0/1 slot priority is
    sampled as an integer. Rows with ``low == high`` are certain and skipped.
    """
    frame = getattr(ref, POOLING_TABLE, None)
    if not isinstance(frame, pd.DataFrame) or frame.empty or "effect" not in frame.columns:
        return []
    out: list[UncertainParam] = []
    for record in frame.to_dict(orient="records"):
        lo, mo, hi = (_as_float(record[c]) for c in ("low", "mid", "high"))
        if not all(math.isfinite(v) for v in (lo, mo, hi)):
            continue
        lo, hi = min(lo, hi, mo), max(lo, hi, mo)
        if not lo < hi:
            continue
        effect = str(record["effect"])
        out.append(
            UncertainParam(
                name=f"{POOLING_TABLE}.{effect}",
                table=POOLING_TABLE,
                row_key=effect,
                column="mid",
                low=lo,
                mode=mo,
                high=hi,
                integer=str(record.get("unit", "")).strip() == "0 or 1",
            )
        )
    return out


def _get_path(document: Mapping[str, Any], path: str) -> Any:
    node: Any = document
    for part in path.split("."):
        if not isinstance(node, Mapping) or part not in node:
            raise KeyError(path)
        node = node[part]
    return node


def scenario_knob_params(
    scenario: Any,
    knobs: Mapping[str, Sequence[float]] | None = None,
    *,
    strict: bool = True,
) -> list[UncertainParam]:
    """Uncertain scenario knobs: a scenario field times a sampled factor.

    Parameters
    ----------
    scenario : gbad.scenario.Scenario
        The base scenario; each knob's mode is its value there times the mode
        factor.
    knobs : mapping of str to (low, mode, high), optional
        Scenario key path → factors. Default: ``scenario.sweep.knobs`` if the
        scenario has it, else :data:`DEFAULT_KNOBS`.
    strict : bool
        Raise on a key path that is not a numeric scenario field; when False,
        skip it (used for the defaults, whose fields may not exist in every
        version of the scenario model).

    Raises
    ------
    GbadInputError
        A bad key path or factors (naming ``sweep.knobs.<path>``).
    """
    if knobs is None:
        knobs = getattr(getattr(scenario, "sweep", None), "knobs", None)
        if knobs is None:
            knobs, strict = DEFAULT_KNOBS, False
    document = scenario.model_dump()
    out: list[UncertainParam] = []
    for path, factors in knobs.items():
        field = f"sweep.knobs.{path}"
        try:
            value = _get_path(document, path)
        except KeyError:
            if strict:
                raise GbadInputError(field, "no such scenario field") from None
            continue
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            if strict:
                raise GbadInputError(field, "is not a numeric scenario field")
            continue
        if len(factors) != 3:
            raise GbadInputError(field, "give three factors [low, mode, high]")
        lo, mo, hi = (float(f) * float(value) for f in factors)
        if not lo <= mo <= hi:
            raise GbadInputError(field, "factors must satisfy low <= mode <= high")
        if not lo < hi:
            continue
        out.append(
            UncertainParam(
                name=f"{SCENARIO_TABLE}.{path}",
                table=SCENARIO_TABLE,
                row_key=path,
                column=path.rsplit(".", 1)[-1],
                low=lo,
                mode=mo,
                high=hi,
                integer=isinstance(value, int),
            )
        )
    return out


def filter_params(
    params: Sequence[UncertainParam], include: Sequence[str] = ("*",), exclude: Sequence[str] = ()
) -> list[UncertainParam]:
    """Keep parameters whose name matches an ``include`` glob and no ``exclude`` glob."""
    return [
        p
        for p in params
        if any(fnmatch.fnmatchcase(p.name, pat) for pat in include)
        and not any(fnmatch.fnmatchcase(p.name, pat) for pat in exclude)
    ]


def discover_params(
    scenario: Any,
    ref: Any,
    *,
    tables: Sequence[str] = UNCERTAIN_TABLES,
    include: Sequence[str] | None = None,
    exclude: Sequence[str] | None = None,
    knobs: Mapping[str, Sequence[float]] | None = None,
) -> list[UncertainParam]:
    """All uncertain parameters of a scenario: reference triples, the pooling
    assumptions (:func:`pooling_params`), then knobs.

    Parameters
    ----------
    scenario : gbad.scenario.Scenario
        Supplies the knobs and, by default, ``sweep.include``/``sweep.exclude``.
    ref : gbad.reference.Reference
        Reference data loaded with the scenario's overrides, so an overridden
        mid value becomes the mode (its low/high range is kept).
    tables : sequence of str
        Reference tables to scan.
    include, exclude : sequence of str, optional
        Globs on parameter names (default: the scenario's ``sweep`` section).
    knobs : mapping, optional
        Scenario knobs (see :func:`scenario_knob_params`).
    """
    cfg = getattr(scenario, "sweep", None)
    if include is None:
        include = getattr(cfg, "include", ("*",))
    if exclude is None:
        exclude = getattr(cfg, "exclude", ())
    params = reference_params(ref, tables) + pooling_params(ref)
    params += scenario_knob_params(scenario, knobs)
    return filter_params(params, include, exclude)


def _deep_merge(base: dict[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in extra.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = _deep_merge(dict(out[key]), value)
        else:
            out[key] = value
    return out


def sample_document(
    document: Mapping[str, Any], params: Sequence[UncertainParam], values: Sequence[float]
) -> dict[str, Any]:
    """A scenario document with one sample's values applied.

    Reference values go into ``overrides[table][row_key][column]`` (merged over
    the scenario's own overrides); knobs replace their scenario field.
    """
    overrides: dict[str, dict[str, dict[str, Any]]] = {}
    knob_updates: dict[str, Any] = {}
    for param, raw in zip(params, values, strict=True):
        value: float | int = round(raw) if param.integer else float(raw)
        if param.is_knob:
            node = knob_updates
            *parents, leaf = param.row_key.split(".")
            for part in parents:
                node = node.setdefault(part, {})
            node[leaf] = value
        else:
            overrides.setdefault(param.table, {}).setdefault(param.row_key, {})[param.column] = (
                value
            )
    out = _deep_merge(dict(document), knob_updates)
    out["overrides"] = _deep_merge(dict(document.get("overrides") or {}), overrides)
    return out


def apply_sample(scenario: Any, params: Sequence[UncertainParam], values: Sequence[float]) -> Any:
    """A validated copy of ``scenario`` with one sample's values applied."""
    from gbad.scenario import parse_scenario

    document = scenario.model_dump(mode="json", exclude_defaults=False)
    return parse_scenario(sample_document(document, params, values))
