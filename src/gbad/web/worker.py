"""Background execution of runs for the web app.

Runs wait in a bounded queue (status ``queued``) and execute in a pool of slots,
one per core by default (``running``, with progress written to the store as the
pipeline reports it), ending ``done`` with their results and report, ``failed``
with the error, or ``cancelled`` (``POST /api/runs/{id}/cancel``).

The default pipeline runs each run in a worker process of its own, watched by
its slot: a run over its wall-time or memory cap is killed and ends ``failed``
with the reason, and a cancelled run is killed at once. A full queue refuses new
runs (:class:`QueueFullError`, HTTP 429). If the server dies, the store marks
whatever was queued or running as failed (``interrupted``) the next time it is
opened.
"""

from __future__ import annotations

import collections
import contextlib
import logging
import multiprocessing as mp
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from gbad.errors import GbadInputError
from gbad.scenario import Scenario
from gbad.store import RunStore
from gbad.store.record import plan_error
from gbad.store.runstore import timings_in

__all__ = [
    "DEFAULT_MEMORY_MB",
    "DEFAULT_WALL_TIME_S",
    "Executor",
    "QueueFullError",
    "RunWorker",
    "default_workers",
    "execute_plan",
    "render_report_html",
]

logger = logging.getLogger(__name__)

#: ``execute(scenario, progress) -> (results, artifacts)`` where ``progress`` is
#: called as ``progress(message, fraction_done)``.
Executor = Callable[[Scenario, Callable[[str, float], None]], tuple[dict[str, Any], dict[str, str]]]

#: Default cap on one run's wall time [s].
DEFAULT_WALL_TIME_S = 3600.0
#: Default cap on one run's resident memory [MiB].
DEFAULT_MEMORY_MB = 4096.0
#: How often a slot looks at its worker process [s].
_POLL_S = 0.1


def default_workers() -> int:
    """Runs executed at once by default: one per core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


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

    started = time.monotonic()
    plan = run_plan(
        scenario, progress=lambda message, done: progress(message, PIPELINE_SHARE * done)
    )
    pipeline_s = time.monotonic() - started
    with _ReportTicker(progress, expected_s=REPORT_TIME_RATIO * pipeline_s):
        html = render_report_html(plan)
    progress("saving the results", 1.0)
    return plan.to_dict(), ({"report.html": html} if html is not None else {})


#: Share of the progress bar taken by the pipeline; the report takes the rest.
PIPELINE_SHARE = 0.7
#: The report's time as a multiple of the pipeline's (about 12 s after 17 s,
#: the default scenario on a 2-core machine): how fast its part of the bar fills.
REPORT_TIME_RATIO = 0.7


class _ReportTicker:
    """Progress while the report renders: the elapsed seconds, and a bar that
    approaches, never reaches, the end (``1 - exp(-t / expected)`` of its part)."""

    def __init__(self, progress: Callable[[str, float], None], expected_s: float) -> None:
        self.progress = progress
        self.expected_s = max(expected_s, 0.5)
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        import math

        started = time.monotonic()
        while True:
            elapsed = time.monotonic() - started
            part = 1.0 - math.exp(-elapsed / self.expected_s)
            fraction = PIPELINE_SHARE + (0.99 - PIPELINE_SHARE) * part
            with contextlib.suppress(Exception):  # a closed pipe: the run is over
                self.progress(f"writing the report ({elapsed:.0f} s)", fraction)
            if self.stop.wait(0.5):
                return

    def __enter__(self) -> _ReportTicker:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join(timeout=2)


class QueueFullError(RuntimeError):
    """The run queue is full; ``retry_after_s`` is a guess of when a place frees."""

    def __init__(self, size: int, retry_after_s: int) -> None:
        self.retry_after_s = retry_after_s
        super().__init__(f"the run queue is full ({size} runs waiting); retry later")


@dataclass
class _Job:
    run_id: int
    scenario: Scenario
    cancelled: threading.Event = field(default_factory=threading.Event)


def _watch_server(server_pid: int) -> None:
    """End this worker process when the server that started it is gone (killed)."""
    from gbad.store._owner import pid_alive

    while True:
        time.sleep(1.0)
        if not pid_alive(server_pid):
            os._exit(1)


def _child(execute: Executor, scenario: Scenario, conn: Any, server_pid: int) -> None:
    """Body of a worker process: run, report progress and the outcome on ``conn``."""
    threading.Thread(target=_watch_server, args=(server_pid,), daemon=True).start()
    try:

        def progress(message: str, fraction: float) -> None:
            conn.send(("progress", message, float(fraction)))

        results, artifacts = execute(scenario, progress)
        conn.send(("done", results, artifacts))
    except GbadInputError as exc:
        conn.send(("input", str(exc), None))
    except BaseException as exc:  # reported to the slot, which records it
        conn.send(("error", f"{type(exc).__name__}: {exc}", None))
    finally:
        conn.close()


def _rss_mb(pid: int) -> float:
    """Resident memory of ``pid`` and its children [MiB] (0 when unknown)."""
    import psutil

    try:
        proc = psutil.Process(pid)
        total = proc.memory_info().rss
        children = proc.children(recursive=True)
    except psutil.Error:
        return 0.0
    for child in children:
        with contextlib.suppress(psutil.Error):
            total += child.memory_info().rss
    return float(total) / 2**20


class RunWorker:
    """A bounded queue of runs and the slots that execute them.

    Parameters
    ----------
    store : RunStore
        Where runs, progress and results are written.
    execute : Executor, optional
        What a run does (default :func:`execute_plan`).
    threads : int, optional
        Runs executed at the same time (default :func:`default_workers`).
    processes : bool, optional
        Run each run in a worker process with the caps below. Default: yes for the
        default pipeline; a custom ``execute`` runs in the slot's thread (it need
        not be picklable) unless ``processes=True``.
    max_queue : int, optional
        Runs that may wait for a slot (default 8 per slot); more get
        :class:`QueueFullError`.
    wall_time_s, memory_mb : float
        Caps of one run (worker processes only); over a cap the run is killed and
        ends ``failed`` with the reason.
    """

    def __init__(
        self,
        store: RunStore,
        execute: Executor | None = None,
        threads: int | None = None,
        *,
        processes: bool | None = None,
        max_queue: int | None = None,
        wall_time_s: float = DEFAULT_WALL_TIME_S,
        memory_mb: float = DEFAULT_MEMORY_MB,
    ) -> None:
        self.store = store
        self.execute = execute or execute_plan
        self.slots = max(1, threads or default_workers())
        self.processes = (execute is None) if processes is None else processes
        self.max_queue = max(1, max_queue if max_queue is not None else 8 * self.slots)
        self.wall_time_s = float(wall_time_s)
        self.memory_mb = float(memory_mb)
        self._waiting: collections.deque[_Job] = collections.deque()
        self._cond = threading.Condition()
        self._stopping = threading.Event()
        self._active: dict[int, _Job] = {}
        self._mean_run_s = 60.0
        self._ctx: Any = None
        if self.processes:
            method = "forkserver" if "forkserver" in mp.get_all_start_methods() else "spawn"
            self._ctx = mp.get_context(method)
            if method == "forkserver":
                self._ctx.set_forkserver_preload(["gbad.web.worker", "gbad.plan", "gbad.report"])
        self._threads = [
            threading.Thread(target=self._loop, name=f"gbad-run-{i}", daemon=True)
            for i in range(self.slots)
        ]
        for thread in self._threads:
            thread.start()

    # -- the queue ----------------------------------------------------------------
    def submit(self, scenario: Scenario, *, kind: str = "plan") -> int:
        """Queue a run of ``scenario``; return its id at once.

        Raises
        ------
        QueueFullError
            If ``max_queue`` runs are already waiting.
        """
        with self._cond:
            if len(self._waiting) >= self.max_queue:
                ahead = len(self._waiting) + len(self._active)
                retry = max(1, round(self._mean_run_s * ahead / self.slots / 4))
                raise QueueFullError(len(self._waiting), min(retry, 3600))
            run_id = self.store.create_run(scenario, kind=kind, source="web", status="queued")
            self._waiting.append(_Job(run_id, scenario))
            self._cond.notify()
        return run_id

    def queued(self) -> int:
        """Runs waiting for a slot."""
        with self._cond:
            return len(self._waiting)

    def position(self, run_id: int) -> int | None:
        """Place of a queued run in the queue (1: next to start), ``None`` if not waiting."""
        with self._cond:
            for place, job in enumerate(self._waiting, start=1):
                if job.run_id == run_id:
                    return place
        return None

    def busy(self) -> bool:
        """Whether a run is executing now."""
        with self._cond:
            return bool(self._active)

    def cancel(self, run_id: int) -> bool:
        """Cancel a queued or running run; ``False`` if it is neither (here)."""
        with self._cond:
            job = next((j for j in self._waiting if j.run_id == run_id), None)
            if job is not None:
                self._waiting.remove(job)
            else:
                job = self._active.get(run_id)
            if job is None:
                return False
            job.cancelled.set()
        self._safe(lambda: self.store.set_status(run_id, "cancelled", error="cancelled"))
        return True

    def stop(self, reason: str = "server stopped") -> None:
        """Stop taking runs; mark those waiting or executing as failed."""
        self._stopping.set()
        with self._cond:
            active = sorted(self._active)
            waiting = list(self._waiting)
            self._waiting.clear()
            for job in self._active.values():
                job.cancelled.set()
            self._cond.notify_all()
        for run_id in active:
            self._fail(run_id, f"{reason} during the run")
        for job in waiting:
            self._fail(job.run_id, reason)

    # -- the slots ------------------------------------------------------------------
    def _fail(self, run_id: int, reason: str) -> None:
        self._safe(lambda: self.store.fail_run(run_id, reason))

    def _safe(self, fn: Callable[[], Any]) -> None:
        try:
            fn()
        except Exception:  # the store may be closed while the server stops
            logger.debug("run store write skipped", exc_info=True)

    def _loop(self) -> None:
        while True:
            with self._cond:
                while not self._waiting and not self._stopping.is_set():
                    self._cond.wait()
                if self._stopping.is_set():
                    return
                job = self._waiting.popleft()
                self._active[job.run_id] = job
            started = time.monotonic()
            try:
                self._execute(job)
            finally:
                with self._cond:
                    self._active.pop(job.run_id, None)
                    self._mean_run_s = 0.8 * self._mean_run_s + 0.2 * (time.monotonic() - started)

    def _progress_writer(self, run_id: int) -> Callable[[str, float], None]:
        last: dict[str, Any] = {"at": 0.0, "message": None}

        def progress(message: str, fraction: float) -> None:
            # Every new stage is written; repeats of one stage at most every 0.2 s.
            now = time.monotonic()
            if message == last["message"] and now - last["at"] < 0.2:
                return
            last.update(at=now, message=message)
            self._safe(lambda: self.store.set_progress(run_id, fraction, message))

        return progress

    def _execute(self, job: _Job) -> None:
        run_id = job.run_id
        store = self.store
        try:
            store.set_status(run_id, "running", progress=0.0, stage="starting")
        except Exception:  # cancelled or stopped meanwhile: nothing to run
            return
        started = time.perf_counter()
        progress = self._progress_writer(run_id)
        try:
            if self.processes:
                outcome = self._in_process(job, progress)
            else:
                outcome = ("done", *self.execute(job.scenario, progress))
        except GbadInputError as exc:
            outcome = ("input", str(exc), None)
        except Exception as exc:
            if self._stopping.is_set() or job.cancelled.is_set():
                return  # already marked failed or cancelled
            logger.exception("run %s failed", run_id)
            outcome = ("error", f"{type(exc).__name__}: {exc}", None)
        if job.cancelled.is_set() or self._stopping.is_set() or outcome[0] == "gone":
            return
        kind, first, second = outcome
        if kind == "done":
            results, artifacts = first, second
            timings = timings_in(results)
            timings["total_s"] = round(time.perf_counter() - started, 3)
            self._safe(
                lambda: store.save_results(
                    run_id,
                    results,
                    timings=timings,
                    artifacts=artifacts,
                    error=plan_error(results),
                )
            )
        elif kind in ("input", "limit"):
            self._fail(run_id, str(first))
        else:
            self._fail(run_id, f"internal error: {first}")

    def _in_process(self, job: _Job, progress: Callable[[str, float], None]) -> tuple[Any, ...]:
        """Run ``job`` in a worker process under the caps; return its outcome."""
        receiver, sender = self._ctx.Pipe(duplex=False)
        proc = self._ctx.Process(
            target=_child,
            args=(self.execute, job.scenario, sender, os.getpid()),
            name=f"gbad-run-{job.run_id}",
        )
        proc.start()
        sender.close()
        started = time.monotonic()
        outcome: tuple[Any, ...] | None = None
        reason = None
        try:
            while outcome is None:
                if job.cancelled.is_set() or self._stopping.is_set():
                    return ("gone", None, None)
                if receiver.poll(_POLL_S):
                    try:
                        message = receiver.recv()
                    except EOFError:
                        proc.join(timeout=5)
                        code = proc.exitcode
                        return ("error", f"worker process ended (exit code {code})", None)
                    if message[0] == "progress":
                        progress(message[1], message[2])
                    else:
                        outcome = message
                    continue
                elapsed = time.monotonic() - started
                if elapsed > self.wall_time_s:
                    reason = f"over the wall-time cap of {self.wall_time_s:g} s"
                elif (rss := _rss_mb(proc.pid)) > self.memory_mb:
                    reason = f"over the memory cap of {self.memory_mb:g} MiB ({rss:.0f} MiB)"
                if reason is not None:
                    return ("limit", f"stopped: {reason}", None)
                if not proc.is_alive() and not receiver.poll(0):
                    return ("error", f"worker process ended (exit code {proc.exitcode})", None)
            return outcome
        finally:
            receiver.close()
            if proc.is_alive():
                proc.kill()
            proc.join(timeout=10)
