"""Background execution of runs for the web app.

Runs wait in a queue (status ``queued``) and execute on daemon worker threads
(``running``, with progress written to the store as the pipeline reports it),
ending ``done`` with their results and report, or ``failed`` with the error.
If the process dies, the store marks whatever was queued or running as failed
(``interrupted``) the next time it is opened.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from gbad.errors import GbadInputError
from gbad.scenario import Scenario
from gbad.store import RunStore
from gbad.store.record import plan_error
from gbad.store.runstore import timings_in

__all__ = ["Executor", "RunWorker", "execute_plan", "render_report_html"]

logger = logging.getLogger(__name__)

#: ``execute(scenario, progress) -> (results, artifacts)`` where ``progress`` is
#: called as ``progress(message, fraction_done)``.
Executor = Callable[[Scenario, Callable[[str, float], None]], tuple[dict[str, Any], dict[str, str]]]


def render_report_html(plan: Any) -> str | None:
    """The HTML report of a plan, or ``None`` where the report module is absent."""
    try:
        from gbad.report import render_report
    except ImportError:
        return None
    html: str = render_report(plan)
    return html


def execute_plan(
    scenario: Scenario, progress: Callable[[str, float], None]
) -> tuple[dict[str, Any], dict[str, str]]:
    """Run the whole pipeline: ``plan.json`` as a dict, and ``report.html``."""
    from gbad.plan import run_plan

    # The pipeline reports 0..1; the report takes the last tenth of the bar.
    plan = run_plan(scenario, progress=lambda message, done: progress(message, 0.9 * done))
    progress("writing the report", 0.9)
    html = render_report_html(plan)
    return plan.to_dict(), ({"report.html": html} if html is not None else {})


@dataclass
class _Job:
    run_id: int
    scenario: Scenario


class RunWorker:
    """A queue of runs and the threads that execute them.

    Parameters
    ----------
    store : RunStore
        Where runs, progress and results are written.
    execute : Executor, optional
        What a run does (default :func:`execute_plan`).
    threads : int
        Runs executed at the same time.
    """

    def __init__(self, store: RunStore, execute: Executor | None = None, threads: int = 1) -> None:
        self.store = store
        self.execute = execute or execute_plan
        self._queue: queue.Queue[_Job | None] = queue.Queue()
        self._stopping = threading.Event()
        self._active: set[int] = set()
        self._active_lock = threading.Lock()
        self._threads = [
            threading.Thread(target=self._loop, name=f"gbad-run-{i}", daemon=True)
            for i in range(max(1, threads))
        ]
        for thread in self._threads:
            thread.start()

    def submit(self, scenario: Scenario, *, kind: str = "plan") -> int:
        """Queue a run of ``scenario``; return its id at once."""
        run_id = self.store.create_run(scenario, kind=kind, source="web", status="queued")
        self._queue.put(_Job(run_id, scenario))
        return run_id

    def queued(self) -> int:
        """Runs waiting for a thread."""
        return self._queue.qsize()

    def busy(self) -> bool:
        """Whether a run is executing now."""
        with self._active_lock:
            return bool(self._active)

    def stop(self, reason: str = "server stopped") -> None:
        """Stop taking runs; mark those waiting or executing as failed."""
        self._stopping.set()
        with self._active_lock:
            active = sorted(self._active)
        for run_id in active:
            self._fail(run_id, f"{reason} during the run")
        while True:
            try:
                job = self._queue.get_nowait()
            except queue.Empty:
                break
            if job is not None:
                self._fail(job.run_id, reason)
        for _ in self._threads:
            self._queue.put(None)

    def _fail(self, run_id: int, reason: str) -> None:
        self._safe(lambda: self.store.fail_run(run_id, reason))

    def _safe(self, fn: Callable[[], Any]) -> None:
        try:
            fn()
        except Exception:  # the store may be closed while the server stops
            logger.debug("run store write skipped", exc_info=True)

    def _loop(self) -> None:
        while not self._stopping.is_set():
            job = self._queue.get()
            if job is None or self._stopping.is_set():
                return
            self._run(job)

    def _run(self, job: _Job) -> None:
        with self._active_lock:
            self._active.add(job.run_id)
        try:
            self._execute(job)
        finally:
            with self._active_lock:
                self._active.discard(job.run_id)

    def _execute(self, job: _Job) -> None:
        run_id = job.run_id
        store = self.store
        last: dict[str, Any] = {"at": 0.0, "message": None}

        def progress(message: str, fraction: float) -> None:
            # Every new stage is written; repeats of one stage at most every 0.2 s.
            now = time.monotonic()
            if message == last["message"] and now - last["at"] < 0.2:
                return
            last.update(at=now, message=message)
            self._safe(lambda: store.set_progress(run_id, fraction, message))

        try:
            store.set_status(run_id, "running", progress=0.0, stage="starting")
            started = time.perf_counter()
            results, artifacts = self.execute(job.scenario, progress)
            timings = timings_in(results)
            timings["total_s"] = round(time.perf_counter() - started, 3)
            store.save_results(
                run_id, results, timings=timings, artifacts=artifacts, error=plan_error(results)
            )
        except GbadInputError as exc:
            message = str(exc)
            self._safe(lambda: store.fail_run(run_id, message))
        except Exception as exc:
            if self._stopping.is_set():
                return  # the server stopped under the run; it is already marked failed
            logger.exception("run %s failed", run_id)
            internal = f"internal error: {type(exc).__name__}: {exc}"
            self._safe(lambda: store.fail_run(run_id, internal))
