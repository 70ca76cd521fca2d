"""The embedded reference dataset: sourced tables, loadable offline, overridable.

Tables are CSV files in ``gbad/data`` (located with :mod:`importlib.resources`, so
they load from a wheel too); ``borders`` is a GeoJSON file. Every row carries a
``source_id`` (several joined by ``;``) into the ``sources`` table. Provenance,
licences and the column schema are documented in ``docs/data.md``.

>>> from gbad.reference import load_reference
>>> ref = load_reference({"countries": {"POL": {"population_m": 37.0}}})
>>> float(ref.countries.set_index("iso3").loc["POL", "population_m"])
37.0
"""

from __future__ import annotations

import functools
import io
import json
import math
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import numpy as np
import pandas as pd

from gbad import DATA_VERSION
from gbad.data_quality import bool_columns, check_table, check_value
from gbad.errors import GbadInputError
from gbad.imputation import IMPUTED_COLUMNS, impute_readiness, impute_systems

__all__ = [
    "KEY_COLUMNS",
    "TABLES",
    "Reference",
    "TableInfo",
    "country_of",
    "list_tables",
    "load_borders",
    "load_reference",
    "load_table",
    "points_in_country",
]

#: Table name -> one-line description (``gbad data list``).
TABLES: dict[str, str] = {
    "sources": "Publications, datasets and estimate markers every row cites",
    "countries": "30 European allies plus Canada and the USA: GDP, defence share, population, ESSI",
    "systems": "GBAD systems: tier, radar, channels, launchers, missiles, costs (MUSD)",
    "envelopes": "Per system and threat class: range, altitude band, single-shot Pk",
    "production": "Announced or estimated annual output per system and year",
    "threats": "Threat classes: speed, altitude, RCS, range, unit cost",
    "inventory": "GBAD holdings and orders per ally and system, in fire units",
    "assets": "Defended assets: capitals and cities >= 100k (GeoNames)",
    "launch_areas": "Areas threats are launched from, with observed threat classes",
    "attacks": "Ukrainian Air Force nightly reports (Ivaniuk, ODC-BY 1.0)",
    "borders": "Simplified country polygons of Europe (Natural Earth, GeoJSON)",
    "readiness": "Share of in-service fire units available to fight, per system (low/mid/high)",
    "retirements": "Year legacy fire units leave service, per ally (or * for all) and system",
    "line_shares": "Share of each production line open to Europe, and competing demand",
    "pooling": "Joint procurement: what pooling changes (ranged effects) and learning anchor",
    "effectors": "Per system: effector kind (missile, gun, interceptor drone, laser, EW), round",
}

#: Table -> columns whose values, joined by "/", key a row for overrides.
KEY_COLUMNS: dict[str, tuple[str, ...]] = {
    "countries": ("iso3",),
    "systems": ("system",),
    "threats": ("threat_class",),
    "envelopes": ("system", "threat_class"),
    "production": ("system", "year"),
    "inventory": ("iso3", "system", "status"),
    "assets": ("asset_id",),
    "launch_areas": ("area_id",),
    "sources": ("source_id",),
    "readiness": ("system",),
    "retirements": ("iso3", "system"),
    "line_shares": ("system",),
    "pooling": ("effect",),
    "effectors": ("system",),
}

_CSV_TABLES = tuple(t for t in TABLES if t != "borders")


@dataclass(frozen=True)
class TableInfo:
    """One line of ``gbad data list``: table name, row count and description."""

    name: str
    rows: int
    description: str


def _data_file(name: str) -> Any:
    return resources.files("gbad").joinpath("data", name)


def _table_names() -> list[str]:
    """Tables present in the installed data directory, in ``TABLES`` order."""
    present = {p.name for p in resources.files("gbad").joinpath("data").iterdir()}
    names = [t for t in _CSV_TABLES if f"{t}.csv" in present]
    if "borders.geojson" in present:
        names.append("borders")
    return names


@functools.cache
def _read_csv(name: str) -> pd.DataFrame:
    text = _data_file(f"{name}.csv").read_text(encoding="utf-8")
    frame = pd.read_csv(io.StringIO(text), keep_default_na=False, na_values=[""])
    for col in bool_columns(name):  # the schema (gbad/data/schema.csv) types the columns
        if col in frame.columns:
            frame[col] = (
                frame[col]
                .map({True: True, False: False, "True": True, "False": False})
                .astype(bool)
            )
    for col in frame.columns:  # text columns: empty cells are "" not NaN
        if frame[col].dtype == object or pd.api.types.is_string_dtype(frame[col]):
            frame[col] = frame[col].fillna("").astype(str)
    problems = check_table(name, frame, _source_ids() if name != "sources" else None)
    if problems:  # the embedded data are wrong: an internal error, not bad input
        raise RuntimeError("reference data fail the schema: " + "; ".join(problems))
    return frame


@functools.cache
def _source_ids() -> frozenset[str]:
    return frozenset(_read_csv("sources")["source_id"])


@functools.cache
def _read_borders_text() -> str:
    return _data_file("borders.geojson").read_text(encoding="utf-8")


def _check_table(name: str) -> None:
    if name not in _table_names():
        raise GbadInputError("table", f"unknown table {name!r}; known: {', '.join(_table_names())}")


def load_table(name: str) -> pd.DataFrame:
    """Return a copy of one reference table.

    Parameters
    ----------
    name : str
        Table name (see :data:`TABLES`). ``borders`` is returned as a frame with one
        row per feature (``iso3``, ``name``, ``geometry_type``).

    Raises
    ------
    GbadInputError
        If ``name`` is not a table.
    """
    _check_table(name)
    if name == "borders":
        feats = load_borders()["features"]
        return pd.DataFrame(
            [
                {
                    "iso3": f["properties"].get("iso3", ""),
                    "name": f["properties"].get("name", ""),
                    "geometry_type": f["geometry"]["type"],
                    "source_id": "natural-earth",
                }
                for f in feats
            ]
        )
    return _read_csv(name).copy()


def load_borders() -> dict[str, Any]:
    """Return the borders GeoJSON FeatureCollection (a fresh dict on every call)."""
    if "borders" not in _table_names():
        return {"type": "FeatureCollection", "features": []}
    result: dict[str, Any] = json.loads(_read_borders_text())
    return result


def list_tables() -> list[TableInfo]:
    """Name, row count and description of every reference table."""
    out = []
    for name in _table_names():
        rows = len(load_borders()["features"]) if name == "borders" else len(_read_csv(name))
        out.append(TableInfo(name=name, rows=rows, description=TABLES[name]))
    return out


@dataclass(frozen=True)
class Reference:
    """The reference dataset as one immutable bundle of tables.

    Attributes are pandas DataFrames (copies; mutating them does not touch the
    cache), ``borders`` is a GeoJSON dict, ``version`` the data version
    (:data:`gbad.DATA_VERSION`) and ``overrides`` the overrides applied.
    ``systems`` and ``readiness`` come with their gaps filled
    (:mod:`gbad.imputation`); ``imputed`` lists every filled cell
    (``table, key, column, value, reason``; empty when nothing was filled).
    """

    countries: pd.DataFrame
    inventory: pd.DataFrame
    systems: pd.DataFrame
    envelopes: pd.DataFrame
    production: pd.DataFrame
    threats: pd.DataFrame
    assets: pd.DataFrame
    launch_areas: pd.DataFrame
    attacks: pd.DataFrame
    sources: pd.DataFrame
    borders: dict[str, Any]
    version: str = DATA_VERSION
    overrides: dict[str, Any] = field(default_factory=dict)
    readiness: pd.DataFrame = field(default_factory=pd.DataFrame)
    retirements: pd.DataFrame = field(default_factory=pd.DataFrame)
    line_shares: pd.DataFrame = field(default_factory=pd.DataFrame)
    imputed: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=IMPUTED_COLUMNS))
    pooling: pd.DataFrame = field(default_factory=pd.DataFrame)
    effectors: pd.DataFrame = field(default_factory=pd.DataFrame)

    def table(self, name: str) -> pd.DataFrame:
        """Return the table called ``name``."""
        _check_table(name)
        value = getattr(self, name)
        if isinstance(value, pd.DataFrame):
            return value
        return load_table(name)


def _row_key(frame: pd.DataFrame, table: str) -> pd.Series:
    cols = KEY_COLUMNS[table]
    key = frame[cols[0]].astype(str)
    for col in cols[1:]:
        key = key + "/" + frame[col].astype(str)
    return key


def _coerce(value: Any, series: pd.Series, path: str) -> Any:
    """Check ``value`` against the column's type; return it in that type."""
    dtype = series.dtype
    if pd.api.types.is_bool_dtype(dtype):
        if isinstance(value, (bool, np.bool_)):
            return bool(value)
        raise GbadInputError(path, f"expected true/false, got {value!r}")
    if pd.api.types.is_numeric_dtype(dtype):
        if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
            if value is None:
                return np.nan
            raise GbadInputError(path, f"expected a number, got {value!r}")
        if isinstance(value, float) and not math.isfinite(value):
            raise GbadInputError(path, f"expected a finite number, got {value!r}")
        if pd.api.types.is_integer_dtype(dtype) and float(value) != int(value):
            raise GbadInputError(path, f"expected an integer, got {value!r}")
        return value
    if not isinstance(value, str):
        raise GbadInputError(path, f"expected text, got {value!r}")
    return value


def _apply(frame: pd.DataFrame, table: str, rows: Any) -> pd.DataFrame:
    if not isinstance(rows, Mapping):
        raise GbadInputError(f"overrides.{table}", "expected a mapping of row keys")
    keys = _row_key(frame, table)
    for row_key, changes in rows.items():
        row_path = f"overrides.{table}.{row_key}"
        hits = np.flatnonzero((keys == str(row_key)).to_numpy())
        if hits.size == 0:
            key_doc = "/".join(KEY_COLUMNS[table])
            raise GbadInputError(row_path, f"no {table} row with key {key_doc} = {row_key!r}")
        if not isinstance(changes, Mapping):
            raise GbadInputError(row_path, "expected a mapping of column: value")
        for column_key, value in changes.items():
            column = str(column_key)
            path = f"{row_path}.{column}"
            if column not in frame.columns:
                raise GbadInputError(path, f"{table} has no column {column!r}")
            if column in KEY_COLUMNS[table]:
                raise GbadInputError(path, "key columns cannot be overridden")
            coerced = _coerce(value, frame[column], path)
            problem = check_value(table, column, coerced)
            if problem is not None:  # the schema's range or allowed values
                raise GbadInputError(path, problem)
            if pd.api.types.is_integer_dtype(frame[column].dtype) and isinstance(coerced, float):
                frame[column] = frame[column].astype(float)
            frame.loc[frame.index[hits], column] = coerced
    return frame


def load_reference(overrides: Mapping[str, Any] | None = None) -> Reference:
    """Load every reference table, with ``overrides`` applied.

    Parameters
    ----------
    overrides : mapping, optional
        ``{table: {row_key: {column: value}}}``. Row keys: countries ``iso3``, systems
        ``system``, threats ``threat_class``, envelopes ``"system/threat_class"``,
        production ``"system/year"``, inventory ``"iso3/system/status"`` (every
        matching row changes), assets ``asset_id``, launch_areas ``area_id``,
        readiness ``system``, retirements ``"iso3/system"`` (``iso3`` may be
        ``*``), line_shares ``system``.

    Returns
    -------
    Reference
        Frozen bundle of copies; ``version`` is :data:`gbad.DATA_VERSION`. Gaps in
        ``systems`` and ``readiness`` are filled (:mod:`gbad.imputation`) and listed
        in ``imputed``: the data's gaps before the overrides apply (an override
        replaces the filled value and its ``imputed`` row goes), a cell blanked by an
        override (``null``) after.

    Raises
    ------
    GbadInputError
        Naming ``overrides.<table>.<row>.<column>`` for an unknown table, row or
        column, or a value of the wrong type.
    """
    overrides = dict(overrides or {})
    names = _table_names()
    frames: dict[str, pd.DataFrame] = {}
    for name in _CSV_TABLES:
        frames[name] = load_table(name) if name in names else pd.DataFrame()
    # Gaps of the data are filled first, so that an override changes exactly the cell
    # it names (the sweep's sampled references rely on it); a cell an override blanks
    # is filled afterwards. Every filled cell is listed; an overridden one is not.
    frames["systems"], filled_systems = impute_systems(frames["systems"])
    frames["readiness"], filled_readiness = impute_readiness(frames["readiness"], frames["systems"])
    for table, rows in overrides.items():
        if table not in KEY_COLUMNS or table == "sources":
            allowed = ", ".join(t for t in KEY_COLUMNS if t != "sources")
            raise GbadInputError(f"overrides.{table}", f"unknown table; overridable: {allowed}")
        frames[table] = _apply(frames[table], table, rows)
    frames["systems"], refilled = impute_systems(frames["systems"])
    touched = {
        (str(table), str(key), str(column))
        for table, rows in overrides.items()
        if isinstance(rows, Mapping)
        for key, changes in rows.items()
        if isinstance(changes, Mapping)
        for column in changes
    }
    parts = []
    for part in (filled_systems, filled_readiness):
        cells = zip(part["table"], part["key"], part["column"], strict=True)
        keep = [(str(t), str(k), str(c)) not in touched for t, k, c in cells]
        parts.append(part[keep])
    parts = [f for f in (*parts, refilled) if not f.empty]
    imputed = (
        pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=IMPUTED_COLUMNS)
    )
    return Reference(
        **frames,
        imputed=imputed,
        borders=load_borders(),
        version=DATA_VERSION,
        overrides=json.loads(json.dumps(overrides, default=str)),
    )


# --------------------------------------------------------------- geometry


#: Prepared shapely geometries of the last few border collections, by object
#: identity (the collection is held, so its id is not reused while cached).
_SHAPES: dict[int, tuple[Mapping[str, Any], dict[str, list[Any]]]] = {}
_SHAPES_LOCK = threading.Lock()
_SHAPES_KEEP = 4


def _shapes(fc: Mapping[str, Any], iso3: str) -> list[Any]:
    """Prepared shapely geometries of ``iso3``'s features in ``fc`` (cached)."""
    with _SHAPES_LOCK:
        entry = _SHAPES.get(id(fc))
        if entry is None or entry[0] is not fc:
            if len(_SHAPES) >= _SHAPES_KEEP:
                _SHAPES.pop(next(iter(_SHAPES)))
            entry = (fc, {})
            _SHAPES[id(fc)] = entry
        by_iso3 = entry[1]
        if iso3 not in by_iso3:
            by_iso3[iso3] = _build_shapes(fc, iso3)
        return by_iso3[iso3]


def _build_shapes(fc: Mapping[str, Any], iso3: str) -> list[Any]:
    import shapely
    from shapely.geometry import shape

    out = []
    for feat in fc["features"]:
        if feat["properties"].get("iso3") != iso3:
            continue
        if feat["geometry"]["type"] not in ("Polygon", "MultiPolygon"):
            continue
        geom = shape(feat["geometry"])
        shapely.prepare(geom)
        out.append(geom)
    return out


@functools.lru_cache(maxsize=1)
def _embedded_borders() -> dict[str, Any]:
    """The embedded borders, read once (callers must not modify it)."""
    return load_borders()


def points_in_country(
    lat: np.ndarray, lon: np.ndarray, iso3: str, borders: Mapping[str, Any] | None = None
) -> np.ndarray:
    """Boolean mask: which points lie inside country ``iso3``'s border polygons.

    Parameters
    ----------
    lat, lon : array_like
        Point coordinates [degrees].
    iso3 : str
        Country code as in the ``borders`` feature properties.
    borders : mapping, optional
        GeoJSON FeatureCollection; default the embedded borders.
    """
    import shapely

    lat_a = np.atleast_1d(np.asarray(lat, dtype=float))
    lon_a = np.atleast_1d(np.asarray(lon, dtype=float))
    fc = borders if borders is not None else _embedded_borders()
    mask = np.zeros(lat_a.shape, dtype=bool)
    for geom in _shapes(fc, iso3):
        mask |= shapely.contains_xy(geom, lon_a, lat_a)
    return mask


def country_of(lat: Any, lon: Any, borders: Mapping[str, Any] | None = None) -> np.ndarray:
    """ISO3 code of the country containing each point (``""`` where none).

    Parameters
    ----------
    lat, lon : array_like
        Point coordinates [degrees].
    borders : mapping, optional
        GeoJSON FeatureCollection; default the embedded borders.

    Returns
    -------
    numpy.ndarray of str
    """
    lat_a = np.atleast_1d(np.asarray(lat, dtype=float))
    lon_a = np.atleast_1d(np.asarray(lon, dtype=float))
    fc = borders if borders is not None else _embedded_borders()
    out = np.full(lat_a.shape, "", dtype=object)
    for feat in fc["features"]:
        iso3 = feat["properties"].get("iso3", "")
        todo = out == ""
        if not todo.any():
            break
        hit = points_in_country(lat_a[todo], lon_a[todo], iso3, {"features": [feat]})
        idx = np.flatnonzero(todo)[hit]
        out[idx] = iso3
    return out.astype(str)
