"""Record a run done outside the web app (``gbad plan``, a notebook) in the store.

The store file is opened only for each short write, never held while the
pipeline runs, so other commands can read the store meanwhile. When the file is
held by another process (a running ``gbad serve``) at the start, the run is not
recorded and ``on_skip`` is told why; the work itself goes on. When it is held at
the end, the final write waits for it (at most :data:`SAVE_WAIT_S` seconds,
``GBAD_STORE_WAIT_S`` in the environment), telling ``on_skip`` it waits; a run is
reported recorded only once its results are in the store.

Example
-------
>>> with record_run(db, scenario, kind="plan") as rec:     # doctest: +SKIP
...     plan = run_plan(scenario, progress=rec.progress)
...     rec.save(plan.to_dict(), artifacts={"report.html": render_report(plan)})
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from gbad.store.runstore import RunStore, StoreLockedError

__all__ = ["SAVE_WAIT_S", "RunRecorder", "check_db_path", "plan_error", "record_run"]

#: Longest wait [s] of the final write for a store held by another process.
SAVE_WAIT_S = 30.0


def _save_wait_s() -> float:
    try:
        return max(0.0, float(os.environ.get("GBAD_STORE_WAIT_S", SAVE_WAIT_S)))
    except ValueError:
        return SAVE_WAIT_S


def check_db_path(db: str | Path | None, flag: str = "--db") -> None:
    """Refuse an explicit store path that is a directory or a file but not a store.

    A missing file is fine (it is created). Raises
    :class:`gbad.errors.GbadInputError` naming ``flag``.
    """
    from gbad.errors import GbadInputError

    if db is None:
        return
    path = Path(db).expanduser()
    if path.is_dir():
        raise GbadInputError(flag, f"{path} is a directory, not a run store file")
    if not path.exists():
        return  # created (with its directory) on first write
    try:
        with path.open("rb") as handle:
            head = handle.read(16)
    except OSError as exc:
        raise GbadInputError(flag, f"cannot read {path}: {exc.strerror or exc}") from None
    if head and head[8:12] != b"DUCK":
        raise GbadInputError(flag, f"{path} is not a gbad run store (not a DuckDB file)")


#: What makes the store unavailable for a moment or for good (held by another
#: process, not a store, unwritable): recording is skipped, the work goes on.
_UNAVAILABLE = (StoreLockedError, duckdb.Error, OSError)


@dataclass
class RunRecorder:
    """Handle of a run being recorded; ``run_id`` is ``None`` when not recorded."""

    db: Path | None
    run_id: int | None
    min_interval_s: float = 0.5
    on_skip: Callable[[str], None] | None = None
    started: float = field(default_factory=time.perf_counter)
    saved: bool = False
    stored: bool = False
    _last: float = 0.0

    @property
    def recorded(self) -> bool:
        """Whether the run is in the store with its results (after :meth:`save`)."""
        return self.run_id is not None and self.stored

    def _write(self, fn: Callable[[RunStore], None]) -> None:
        if self.run_id is None or self.db is None:
            return
        try:
            with RunStore(self.db) as store:
                fn(store)
        except _UNAVAILABLE:
            pass  # progress is best effort; the final write is retried in ``save``

    def progress(self, message: str, fraction: float) -> None:
        """Record progress: the stage now running and the fraction done (0..1).

        Same signature as the ``progress`` callback of :func:`gbad.plan.run_plan`;
        writes at most every 0.5 s.
        """
        now = time.perf_counter()
        if now - self._last < self.min_interval_s and fraction < 1.0:
            return
        self._last = now
        run_id = self.run_id
        if run_id is not None:
            self._write(lambda s: s.set_progress(run_id, fraction, message))

    def save_plan(self, plan: Any, report_html: str | None = None) -> None:
        """Store a :class:`gbad.plan.Plan` (and its report); failed stages fail the run.

        A plan with a failed stage is recorded ``failed`` with that stage's
        error, keeping what the other stages computed.
        """
        results = plan.to_dict()
        artifacts = {"report.html": report_html} if report_html is not None else None
        self.save(results, artifacts=artifacts, error=plan_error(results))

    def save(
        self,
        results: Mapping[str, Any],
        timings: Mapping[str, float] | None = None,
        artifacts: Mapping[str, str] | None = None,
        error: str | None = None,
    ) -> None:
        """Store the results (and documents such as ``report.html``); mark the run done.

        With ``error`` the run is marked failed and keeps its partial results.
        """
        run_id = self.run_id
        self.saved = True
        if run_id is None or self.db is None:
            return
        total = {"total_s": round(time.perf_counter() - self.started, 3)}
        from gbad.store.runstore import timings_in

        merged = {**dict(timings or timings_in(results)), **total}
        wait_s = _save_wait_s()
        deadline = time.monotonic() + wait_s
        told = False
        while True:
            try:
                with RunStore(self.db) as store:
                    store.save_results(
                        run_id, results, timings=merged, artifacts=artifacts, error=error
                    )
                self.stored = True
                return
            except StoreLockedError as exc:
                if time.monotonic() >= deadline:
                    if self.on_skip is not None:
                        self.on_skip(f"results not recorded after waiting {wait_s:g} s: {exc}")
                    return
                if not told and self.on_skip is not None:
                    self.on_skip(
                        f"run store {self.db} is held by another process; "
                        f"waiting up to {wait_s:g} s to record the results"
                    )
                    told = True
                time.sleep(0.25)
            except _UNAVAILABLE as exc:
                if self.on_skip is not None:
                    self.on_skip(f"results not recorded: {exc}")
                return


def plan_error(results: Mapping[str, Any]) -> str | None:
    """The error of a plan with failed stages (``{"status": "failed"}`` entries), else None."""
    failed = [
        (name, entry.get("error"))
        for name, entry in results.items()
        if isinstance(entry, Mapping) and entry.get("status") == "failed"
    ]
    if not failed:
        return None
    name, error = failed[0]
    more = f" (and {len(failed) - 1} more stage(s))" if len(failed) > 1 else ""
    return f"stage {name} failed: {error or 'internal error'}{more}"


@contextmanager
def record_run(
    db: str | Path | None,
    scenario: Any,
    *,
    kind: str = "plan",
    source: str = "cli",
    on_skip: Callable[[str], None] | None = None,
    enabled: bool = True,
) -> Iterator[RunRecorder]:
    """Record a run in the store at ``db`` (default path when ``None``).

    ``scenario`` is a :class:`gbad.scenario.Scenario` or a mapping; a valid
    mapping is stored with every default filled in, so the stored scenario
    reproduces the run.

    The run is ``running`` on entry. Leaving the block after
    :meth:`RunRecorder.save` leaves it ``done``; an exception (including
    KeyboardInterrupt) marks it ``failed`` with the error and is re-raised;
    leaving without saving marks it ``failed`` ("no results saved"). With
    ``enabled=False`` nothing is recorded and the recorder's methods do nothing.
    """
    if not enabled:  # e.g. ``gbad plan --no-record``: a recorder that writes nothing
        yield RunRecorder(db=None, run_id=None)
        return
    path = Path(db).expanduser() if db is not None else None
    scenario = _complete(scenario)
    try:
        with RunStore(path) as store:
            run_id: int | None = store.create_run(
                scenario, kind=kind, source=source, status="running"
            )
            path = store.path
    except StoreLockedError as exc:
        if on_skip is not None:
            on_skip(f"run not recorded: {exc}")
        run_id, path = None, None
    except (duckdb.Error, OSError) as exc:  # not a store, unwritable: the work goes on
        if on_skip is not None:
            on_skip(f"run not recorded: cannot open the run store {path}: {exc}")
        run_id, path = None, None
    rec = RunRecorder(db=path, run_id=run_id, on_skip=on_skip)
    try:
        yield rec
    except BaseException as exc:
        if isinstance(exc, KeyboardInterrupt):
            message = "interrupted"
        else:
            message = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        _finish_failed(rec, message)
        raise
    if not rec.saved:
        _finish_failed(rec, "no results saved")


def _complete(scenario: Any) -> Any:
    """A scenario mapping with every default filled in (as the pipeline runs it)."""
    if not isinstance(scenario, Mapping):
        return scenario
    from pydantic import ValidationError

    from gbad.scenario import Scenario

    try:
        return Scenario.model_validate(dict(scenario))
    except (ValidationError, ValueError):
        return scenario  # stored as given; the pipeline will name what is wrong


def _finish_failed(rec: RunRecorder, message: str) -> None:
    run_id = rec.run_id
    if run_id is None or rec.db is None:
        return
    try:
        with RunStore(rec.db) as store:
            store.fail_run(run_id, message)
    except _UNAVAILABLE:
        pass  # the next open marks it failed ("interrupted") once this process exits
