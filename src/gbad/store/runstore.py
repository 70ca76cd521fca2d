"""The run store: every run and its results in one DuckDB file.

Tables
------
``runs``
    one row per run: ``id, name, kind (plan|sweep|...), source (cli|web|python),
    status (queued|running|done|failed|cancelled), error, created_at, started_at,
    finished_at`` (UTC), ``scenario`` (JSON), ``data_version, gbad_version, seed,
    timings`` (JSON, seconds per stage), ``progress`` (0..1), ``stage``, ``owner``.
``results``
    ``run_id, pos, key, value``: each top-level key of the plan as JSON text.
``result_rows``
    ``run_id, tbl, row_idx, data``: every list of records of the plan (e.g.
    ``targets.countries``) as one JSON row each, so it exports to Parquet/CSV
    and can be queried (``SELECT data->>'iso3' FROM result_rows WHERE tbl=...``).
``artifacts``
    ``run_id, name, content``: documents made from the results, such as
    ``report.html``.

Every write is one transaction: a run that fails or a process that is killed
mid-write leaves what was committed before intact. DuckDB lets one process at a
time open the file for writing; a second process gets :class:`StoreLockedError`.
On open, runs left ``queued``/``running`` by a process that no longer exists are
marked ``failed`` with the error ``interrupted``.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import duckdb
import pandas as pd
import pyarrow as pa

from gbad.store import _owner
from gbad.store._json import dumps, dumps_plain, jsonable
from gbad.store.diff import diff_records
from gbad.store.tables import extract_tables, flatten_scalars, records_frame

__all__ = [
    "STATUSES",
    "RunNotFoundError",
    "RunRecord",
    "RunStore",
    "StoreLockedError",
    "default_db_path",
]

Status = Literal["queued", "running", "done", "failed", "cancelled"]
STATUSES: tuple[str, ...] = ("queued", "running", "done", "failed", "cancelled")
_TERMINAL = {"done", "failed", "cancelled"}
SCHEMA_VERSION = "1"

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)",
    """CREATE TABLE IF NOT EXISTS runs (
        id BIGINT PRIMARY KEY,
        name VARCHAR NOT NULL,
        kind VARCHAR NOT NULL,
        source VARCHAR NOT NULL,
        status VARCHAR NOT NULL,
        error VARCHAR,
        created_at TIMESTAMP NOT NULL,
        started_at TIMESTAMP,
        finished_at TIMESTAMP,
        scenario VARCHAR NOT NULL,
        data_version VARCHAR,
        gbad_version VARCHAR,
        seed BIGINT,
        timings VARCHAR,
        progress DOUBLE NOT NULL DEFAULT 0,
        stage VARCHAR,
        owner VARCHAR
    )""",
    """CREATE TABLE IF NOT EXISTS results (
        run_id BIGINT NOT NULL,
        pos INTEGER NOT NULL,
        key VARCHAR NOT NULL,
        value VARCHAR NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS result_rows (
        run_id BIGINT NOT NULL,
        tbl VARCHAR NOT NULL,
        row_idx INTEGER NOT NULL,
        data VARCHAR NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS artifacts (
        run_id BIGINT NOT NULL,
        name VARCHAR NOT NULL,
        content VARCHAR NOT NULL
    )""",
)

_RUN_COLUMNS = (
    "id, name, kind, source, status, error, created_at, started_at, finished_at, scenario, "
    "data_version, gbad_version, seed, timings, progress, stage"
)


class StoreLockedError(RuntimeError):
    """Another process holds the store file open for writing (e.g. ``gbad serve``)."""

    def __init__(self, path: Path, detail: str) -> None:
        self.path = path
        super().__init__(
            f"{path} is in use by another process (a running `gbad serve`?); "
            f"stop it or use its web API ({detail.splitlines()[0][:200]})"
        )


class RunNotFoundError(KeyError):
    """No run with that id."""

    def __init__(self, run_id: int) -> None:
        self.run_id = run_id
        super().__init__(f"no run with id {run_id}")

    def __str__(self) -> str:
        return f"no run with id {self.run_id}"


def default_db_path() -> Path:
    """The default store: ``runs.duckdb`` in the user's data directory.

    ``GBAD_DB`` in the environment overrides it.
    """
    import os

    env = os.environ.get("GBAD_DB")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_path

    return user_data_path("gbad", appauthor=False) / "runs.duckdb"


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _iso(value: dt.datetime | None) -> str | None:
    return None if value is None else value.isoformat(timespec="milliseconds") + "Z"


@dataclass(frozen=True)
class RunRecord:
    """One stored run (timestamps are naive UTC)."""

    id: int
    name: str
    kind: str
    source: str
    status: str
    error: str | None
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    scenario: dict[str, Any]
    data_version: str | None
    gbad_version: str | None
    seed: int | None
    timings: dict[str, Any]
    progress: float
    stage: str | None
    results: dict[str, Any] | None = field(default=None, compare=False)

    @property
    def elapsed_s(self) -> float | None:
        """Seconds from start to finish (or to now while running)."""
        if self.started_at is None:
            return None
        end = self.finished_at or _now()
        return round((end - self.started_at).total_seconds(), 3)

    def to_dict(self, *, with_results: bool = True) -> dict[str, Any]:
        """JSON-ready dict (ISO 8601 UTC timestamps)."""
        out: dict[str, Any] = {
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
            "source": self.source,
            "status": self.status,
            "progress": self.progress,
            "stage": self.stage,
            "error": self.error,
            "created_at": _iso(self.created_at),
            "started_at": _iso(self.started_at),
            "finished_at": _iso(self.finished_at),
            "elapsed_s": self.elapsed_s,
            "data_version": self.data_version,
            "gbad_version": self.gbad_version,
            "seed": self.seed,
            "timings": self.timings,
            "scenario": self.scenario,
        }
        if with_results:
            out["results"] = self.results
        return out


def _record(row: tuple[Any, ...], results: dict[str, Any] | None = None) -> RunRecord:
    return RunRecord(
        id=int(row[0]),
        name=row[1],
        kind=row[2],
        source=row[3],
        status=row[4],
        error=row[5],
        created_at=row[6],
        started_at=row[7],
        finished_at=row[8],
        scenario=json.loads(row[9]),
        data_version=row[10],
        gbad_version=row[11],
        seed=None if row[12] is None else int(row[12]),
        timings=json.loads(row[13]) if row[13] else {},
        progress=float(row[14]),
        stage=row[15],
        results=results,
    )


class RunStore:
    """A DuckDB file of runs and results.

    Parameters
    ----------
    path : str or Path, optional
        The database file (created with its directory if missing); default
        :func:`default_db_path`.
    read_only : bool
        Open an existing file for reading only (a store the user cannot write).

    Raises
    ------
    StoreLockedError
        If another process has the file open.

    Notes
    -----
    One instance is safe to share between threads (a lock serialises access).
    A long-lived process (the web server) keeps one open; the CLI opens and
    closes one per command.
    """

    def __init__(self, path: str | Path | None = None, *, read_only: bool = False) -> None:
        self.path = Path(path).expanduser() if path is not None else default_db_path()
        self.read_only = read_only
        if not read_only:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._key = str(self.path.resolve())
        self._lock = threading.RLock()
        try:
            self._con: duckdb.DuckDBPyConnection | None = duckdb.connect(
                str(self.path), read_only=read_only
            )
        except duckdb.IOException as exc:
            if "lock" in str(exc).lower():
                raise StoreLockedError(self.path, str(exc)) from None
            raise
        if read_only:  # reading a store the user cannot write: no schema, no recovery
            self.interrupted: list[int] = []
            return
        with self._tx() as con:
            for statement in _SCHEMA:
                con.execute(statement)
            con.execute(
                "INSERT INTO meta VALUES ('schema_version', ?) ON CONFLICT DO NOTHING",
                [SCHEMA_VERSION],
            )
        self.interrupted = self._recover()

    # -- plumbing ---------------------------------------------------------------
    @property
    def con(self) -> duckdb.DuckDBPyConnection:
        """The open connection."""
        if self._con is None:
            raise RuntimeError(f"run store {self.path} is closed")
        return self._con

    @contextmanager
    def _tx(self) -> Iterator[duckdb.DuckDBPyConnection]:
        with self._lock:
            con = self.con
            con.begin()
            try:
                yield con
            except BaseException:
                con.rollback()
                raise
            con.commit()

    def close(self) -> None:
        """Close the file (a checkpoint folds the write-ahead log into it)."""
        with self._lock:
            if self._con is not None:
                try:
                    if not self.read_only:
                        self._con.execute("CHECKPOINT")
                finally:
                    self._con.close()
                    self._con = None

    def __enter__(self) -> RunStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _recover(self) -> list[int]:
        with self._lock:
            rows = self.con.execute(
                "SELECT id, owner FROM runs WHERE status IN ('queued', 'running') ORDER BY id"
            ).fetchall()
        dead = [int(r[0]) for r in rows if not _owner.owner_alive(r[1], self._key, int(r[0]))]
        for run_id in dead:
            self.set_status(run_id, "failed", error="interrupted")
        return dead

    # -- writing ----------------------------------------------------------------
    def create_run(
        self,
        scenario: Mapping[str, Any] | Any,
        *,
        name: str | None = None,
        kind: str = "plan",
        source: str = "python",
        seed: int | None = None,
        data_version: str | None = None,
        status: Status = "queued",
    ) -> int:
        """Add a run and return its id.

        ``scenario`` is a mapping or a pydantic model; its ``name`` and ``seed``
        fill ``name`` and ``seed`` when those are not given.
        """
        from gbad import DATA_VERSION, __version__

        doc = jsonable(scenario)
        if not isinstance(doc, dict):
            raise TypeError("scenario must be a mapping or a pydantic model")
        name = name or str(doc.get("name") or kind)
        if seed is None and isinstance(doc.get("seed"), int):
            seed = int(doc["seed"])
        if status not in ("queued", "running"):
            raise ValueError(f"a new run is queued or running, not {status}")
        now = _now()
        with self._tx() as con:
            # Ids are never reused, even after a delete: links to a run stay valid.
            row = con.execute(
                "SELECT greatest((SELECT coalesce(max(id), 0) FROM runs), "
                "(SELECT coalesce(max(CAST(value AS BIGINT)), 0) FROM meta WHERE key = 'last_id'))"
            ).fetchone()
            run_id = (int(row[0]) if row else 0) + 1
            con.execute(
                "INSERT INTO meta VALUES ('last_id', ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [str(run_id)],
            )
            con.execute(
                "INSERT INTO runs (id, name, kind, source, status, created_at, started_at, "
                "scenario, data_version, gbad_version, seed, timings, progress, owner) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '{}', 0, ?)",
                [
                    run_id,
                    name,
                    kind,
                    source,
                    status,
                    now,
                    now if status == "running" else None,
                    dumps(doc),
                    data_version or DATA_VERSION,
                    __version__,
                    seed,
                    _owner.current_owner(),
                ],
            )
        _owner.mark_live(self._key, run_id)
        return run_id

    def _status_of(self, con: duckdb.DuckDBPyConnection, run_id: int) -> str:
        row = con.execute("SELECT status FROM runs WHERE id = ?", [run_id]).fetchone()
        if row is None:
            raise RunNotFoundError(run_id)
        return str(row[0])

    def set_status(
        self,
        run_id: int,
        status: Status,
        *,
        error: str | None = None,
        progress: float | None = None,
        stage: str | None = None,
    ) -> None:
        """Move a run to ``status``; ``done`` and ``failed`` are final."""
        if status not in STATUSES:
            raise ValueError(f"status must be one of {', '.join(STATUSES)}")
        now = _now()
        with self._tx() as con:
            old = self._status_of(con, run_id)
            if old in _TERMINAL and old != status:
                raise ValueError(f"run {run_id} is already {old}")
            sets = ["status = ?"]
            args: list[Any] = [status]
            if status == "running":
                sets.append("started_at = coalesce(started_at, ?)")
                args.append(now)
            if status in _TERMINAL:
                sets.append("finished_at = coalesce(finished_at, ?)")
                args.append(now)
            if error is not None:
                sets.append("error = ?")
                args.append(error[:4000])
            if progress is not None:
                sets.append("progress = ?")
                args.append(min(max(float(progress), 0.0), 1.0))
            if stage is not None:
                sets.append("stage = ?")
                args.append(stage)
            con.execute(f"UPDATE runs SET {', '.join(sets)} WHERE id = ?", [*args, run_id])
        if status in _TERMINAL:
            _owner.unmark_live(self._key, run_id)

    def set_progress(self, run_id: int, fraction: float, stage: str | None = None) -> None:
        """Record progress (0..1) and the stage now running."""
        with self._tx() as con:
            con.execute(
                "UPDATE runs SET progress = ?, stage = coalesce(?, stage) WHERE id = ?",
                [min(max(float(fraction), 0.0), 1.0), stage, run_id],
            )

    def fail_run(self, run_id: int, error: str) -> None:
        """Mark a run failed with a one-line ``error``."""
        self.set_status(run_id, "failed", error=" ".join(error.split()) or "failed")

    def save_results(
        self,
        run_id: int,
        results: Mapping[str, Any],
        *,
        timings: Mapping[str, float] | None = None,
        artifacts: Mapping[str, str] | None = None,
        error: str | None = None,
    ) -> None:
        """Store a run's results and mark it ``done``, all in one transaction.

        Each top-level key becomes a row of ``results``; every list of records
        becomes a table in ``result_rows``. ``timings`` defaults to the
        ``timings`` (or ``meta.timings_s``) entry of the results. ``artifacts`` are named
        documents made from the results (``{"report.html": html}``). With
        ``error``, the run is marked ``failed`` with that error and keeps its
        (partial) results.
        """
        doc = jsonable(results)
        if not isinstance(doc, dict):
            raise TypeError("results must be a mapping")
        if timings is None:
            timings = timings_in(doc)
        keys = [(run_id, i, str(k), dumps_plain(v)) for i, (k, v) in enumerate(doc.items())]
        rows: dict[str, list[Any]] = {"run_id": [], "tbl": [], "row_idx": [], "data": []}
        for name, records in extract_tables(doc):
            for i, record in enumerate(records):
                rows["run_id"].append(run_id)
                rows["tbl"].append(name)
                rows["row_idx"].append(i)
                rows["data"].append(dumps_plain(record))
        arrow = pa.table(
            {
                "run_id": pa.array(rows["run_id"], pa.int64()),
                "tbl": pa.array(rows["tbl"], pa.string()),
                "row_idx": pa.array(rows["row_idx"], pa.int32()),
                "data": pa.array(rows["data"], pa.string()),
            }
        )
        with self._tx() as con:
            old = self._status_of(con, run_id)
            if old in _TERMINAL:
                raise ValueError(f"run {run_id} is already {old}")
            con.execute("DELETE FROM results WHERE run_id = ?", [run_id])
            con.execute("DELETE FROM result_rows WHERE run_id = ?", [run_id])
            con.execute("DELETE FROM artifacts WHERE run_id = ?", [run_id])
            for name, content in (artifacts or {}).items():
                con.execute("INSERT INTO artifacts VALUES (?, ?, ?)", [run_id, name, content])
            if keys:
                con.executemany("INSERT INTO results VALUES (?, ?, ?, ?)", keys)
            if arrow.num_rows:
                con.register("_gbad_rows", arrow)
                try:
                    con.execute("INSERT INTO result_rows SELECT * FROM _gbad_rows")
                finally:
                    con.unregister("_gbad_rows")
            now = _now()
            con.execute(
                "UPDATE runs SET status = ?, progress = 1, stage = NULL, error = ?, "
                "finished_at = ?, started_at = coalesce(started_at, ?), timings = ? "
                "WHERE id = ?",
                [
                    "done" if error is None else "failed",
                    None if error is None else " ".join(error.split())[:4000],
                    now,
                    now,
                    dumps(dict(timings or {})),
                    run_id,
                ],
            )
        _owner.unmark_live(self._key, run_id)

    def delete_run(self, run_id: int) -> None:
        """Remove a run and its results."""
        with self._tx() as con:
            self._status_of(con, run_id)
            for table in ("artifacts", "result_rows", "results"):
                con.execute(f"DELETE FROM {table} WHERE run_id = ?", [run_id])
            con.execute("DELETE FROM runs WHERE id = ?", [run_id])
        _owner.unmark_live(self._key, run_id)

    # -- reading ----------------------------------------------------------------
    def get_results(self, run_id: int) -> dict[str, Any] | None:
        """The results document of a run (``None`` until it is done)."""
        with self._lock:
            rows = self.con.execute(
                "SELECT key, value FROM results WHERE run_id = ? ORDER BY pos", [run_id]
            ).fetchall()
        if not rows:
            return None
        return {str(k): json.loads(v) for k, v in rows}

    def get_artifact(self, run_id: int, name: str) -> str | None:
        """A named document of a run (``report.html``), ``None`` if absent."""
        with self._lock:
            row = self.con.execute(
                "SELECT content FROM artifacts WHERE run_id = ? AND name = ?", [run_id, name]
            ).fetchone()
        return None if row is None else str(row[0])

    def artifact_names(self, run_id: int) -> list[str]:
        """Names of a run's documents."""
        with self._lock:
            rows = self.con.execute(
                "SELECT name FROM artifacts WHERE run_id = ? ORDER BY name", [run_id]
            ).fetchall()
        return [str(r[0]) for r in rows]

    def get_run(self, run_id: int, *, results: bool = True) -> RunRecord:
        """One run, with its results unless ``results=False``.

        Raises
        ------
        RunNotFoundError
            If there is no such run.
        """
        with self._lock:
            row = self.con.execute(
                f"SELECT {_RUN_COLUMNS} FROM runs WHERE id = ?", [run_id]
            ).fetchone()
            if row is None:
                raise RunNotFoundError(run_id)
            return _record(row, self.get_results(run_id) if results else None)

    def list_runs(
        self, *, limit: int = 100, status: str | None = None, kind: str | None = None
    ) -> list[RunRecord]:
        """Runs, newest first, without results."""
        where, args = [], []
        if status is not None:
            where.append("status = ?")
            args.append(status)
        if kind is not None:
            where.append("kind = ?")
            args.append(kind)
        clause = f"WHERE {' AND '.join(where)}" if where else ""
        with self._lock:
            rows = self.con.execute(
                f"SELECT {_RUN_COLUMNS} FROM runs {clause} ORDER BY id DESC LIMIT ?",
                [*args, int(limit)],
            ).fetchall()
        return [_record(r) for r in rows]

    def table_names(self, run_id: int) -> list[str]:
        """Names of the result tables of a run (``targets.countries``, ...)."""
        with self._lock:
            rows = self.con.execute(
                "SELECT DISTINCT tbl FROM result_rows WHERE run_id = ? ORDER BY tbl", [run_id]
            ).fetchall()
        return [str(r[0]) for r in rows]

    def get_table(self, run_id: int, name: str) -> pd.DataFrame:
        """A result table of a run as a DataFrame (nested cells as JSON text)."""
        with self._lock:
            rows = self.con.execute(
                "SELECT data FROM result_rows WHERE run_id = ? AND tbl = ? ORDER BY row_idx",
                [run_id, name],
            ).fetchall()
        if not rows:
            raise KeyError(f"run {run_id} has no table {name!r}")
        return records_frame([json.loads(r[0]) for r in rows])

    def export_run(
        self, run_id: int, out_dir: str | Path, fmt: Literal["parquet", "csv"] = "parquet"
    ) -> list[Path]:
        """Write a run to ``out_dir``: ``run.json``, ``plan.json``, its documents
        (``report.html``) and one file per table.

        Tables are every result table (``targets.countries.parquet``) plus
        ``scalars.<fmt>`` with each scalar result by key path.

        Returns
        -------
        list of Path
            The files written.
        """
        if fmt not in ("parquet", "csv"):
            raise ValueError("fmt must be 'parquet' or 'csv'")
        record = self.get_run(run_id)
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        written = []
        meta = out / "run.json"
        meta.write_text(json.dumps(record.to_dict(with_results=False), indent=2) + "\n")
        written.append(meta)
        if record.results is not None:
            plan = out / "plan.json"
            plan.write_text(json.dumps(record.results, indent=2) + "\n")
            written.append(plan)
            frames = {name: self.get_table(run_id, name) for name in self.table_names(run_id)}
            flat = flatten_scalars(record.results)
            frames["scalars"] = pd.DataFrame(
                {
                    "key": list(flat),
                    "value": [_num(v) for v in flat.values()],
                    "text": [None if _num(v) is not None else _text(v) for v in flat.values()],
                }
            )
            for name in self.artifact_names(run_id):
                content = self.get_artifact(run_id, name)
                path = out / Path(name).name
                path.write_text(content or "", encoding="utf-8")
                written.append(path)
            for name, frame in frames.items():
                path = out / f"{name}.{fmt}"
                if fmt == "parquet":
                    frame.to_parquet(path, index=False)
                else:
                    frame.to_csv(path, index=False)
                written.append(path)
        return written

    def diff_runs(self, a: int, b: int) -> dict[str, Any]:
        """Compare two runs (see :func:`gbad.store.diff.diff_records`)."""
        return diff_records(self.get_run(a), self.get_run(b))


def timings_in(doc: Mapping[str, Any]) -> dict[str, Any]:
    """Per-stage seconds found in a results document (``timings`` or ``meta.timings_s``)."""
    meta = doc.get("meta")
    for found in (doc.get("timings"), meta.get("timings_s") if isinstance(meta, dict) else None):
        if isinstance(found, dict):
            return dict(found)
    return {}


def _num(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _text(value: Any) -> str | None:
    return None if value is None else str(value)
