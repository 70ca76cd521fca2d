"""Executors: one small interface to run a function over many items.

``local`` runs a process pool on this machine (the default), ``dask`` starts a
:class:`dask.distributed.LocalCluster`, and ``dask://HOST:PORT`` connects to an
existing Dask scheduler (a cluster started by dask-kubernetes, dask-jobqueue,
``dask scheduler``/``dask worker`` ...). Every executor returns results in the
order of the items, whatever order they complete in, so a sweep's numbers do
not depend on the executor or the number of workers.
"""

from __future__ import annotations

import math
import multiprocessing
import os
import re
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Protocol, TypeVar

from gbad.errors import GbadInputError

__all__ = [
    "DaskExecutor",
    "Executor",
    "LocalExecutor",
    "Progress",
    "RichProgress",
    "SerialExecutor",
    "make_executor",
    "parse_dask_address",
]

T = TypeVar("T")
R = TypeVar("R")

_DASK_ADDRESS = re.compile(r"^dask://(?P<host>\[[0-9a-fA-F:.]+\]|[A-Za-z0-9_.-]+):(?P<port>\d+)/?$")


#: Modules the fork server imports once, so forked workers start warm.
_PRELOAD = ["numpy", "pandas", "scipy.stats", "gbad.scenario", "gbad.sweep.run"]


class Progress(Protocol):
    """Receives progress of a map: ``start(total)``, ``advance(n)``, ``stop()``."""

    def start(self, total: int, description: str) -> None:
        """A map of ``total`` items begins."""

    def advance(self, n: int) -> None:
        """``n`` more items are done."""

    def stop(self) -> None:
        """The map is over (also on error)."""


class RichProgress:
    """A rich progress bar on stderr (items done, rate, time left)."""

    def __init__(self, console: Any = None) -> None:
        from rich.console import Console

        self._console = console if console is not None else Console(stderr=True)
        self._bar: Any = None
        self._task: Any = None

    def start(self, total: int, description: str) -> None:
        """Show the bar."""
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self._bar = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            console=self._console,
            transient=False,
        )
        self._bar.start()
        self._task = self._bar.add_task(description, total=total)

    def advance(self, n: int) -> None:
        """Move the bar on."""
        if self._bar is not None:
            self._bar.advance(self._task, n)

    def stop(self) -> None:
        """Remove the live display."""
        if self._bar is not None:
            self._bar.stop()
            self._bar = None


def _run_chunk(fn: Callable[[T], R], chunk: Sequence[T]) -> list[R]:
    return [fn(item) for item in chunk]


def _chunks(n_items: int, n_workers: int, chunk_size: int | None) -> list[range]:
    if chunk_size is None:
        # About four chunks per worker balance load while keeping per-task overhead small.
        chunk_size = max(1, math.ceil(n_items / (4 * max(n_workers, 1))))
    return [range(i, min(i + chunk_size, n_items)) for i in range(0, n_items, chunk_size)]


class Executor:
    """Run ``fn`` over ``items`` and return the results in item order.

    Subclasses implement :meth:`map`; use as a context manager so pools and
    clusters are shut down.
    """

    name: str = "executor"
    workers: int = 1

    def map(
        self,
        fn: Callable[[T], R],
        items: Sequence[T],
        progress: Progress | None = None,
        description: str = "sweep",
    ) -> list[R]:
        """``[fn(item) for item in items]``, computed by this executor."""
        raise NotImplementedError

    def close(self) -> None:
        """Release workers."""

    def __enter__(self) -> Executor:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def describe(self) -> dict[str, Any]:
        """Name and worker count, for run metadata."""
        return {"name": self.name, "workers": self.workers}


class SerialExecutor(Executor):
    """Run in this process, one item after another (debugging, tiny sweeps)."""

    name = "serial"

    def map(
        self,
        fn: Callable[[T], R],
        items: Sequence[T],
        progress: Progress | None = None,
        description: str = "sweep",
    ) -> list[R]:
        """Apply ``fn`` to each item in turn."""
        out: list[R] = []
        if progress is not None:
            progress.start(len(items), description)
        try:
            for item in items:
                out.append(fn(item))
                if progress is not None:
                    progress.advance(1)
        finally:
            if progress is not None:
                progress.stop()
        return out


class LocalExecutor(Executor):
    """A process pool on this machine (:class:`concurrent.futures.ProcessPoolExecutor`).

    Parameters
    ----------
    workers : int, optional
        Worker processes (default: the CPU count).
    chunk_size : int, optional
        Items per task (default: about four tasks per worker).
    start_method : str, optional
        ``forkserver`` (default where available) forks workers from a server
        process that has imported gbad once, so pools start fast and no
        worker inherits the caller's threads; ``spawn`` starts clean
        interpreters (slower). ``fork`` is unsafe once threads exist.
    """

    name = "local"

    def __init__(
        self,
        workers: int | None = None,
        chunk_size: int | None = None,
        start_method: str | None = None,
    ) -> None:
        self.workers = workers if workers is not None else (os.cpu_count() or 1)
        if self.workers < 1:
            raise GbadInputError("workers", "must be at least 1")
        self.chunk_size = chunk_size
        if start_method is None:
            methods = multiprocessing.get_all_start_methods()
            start_method = "forkserver" if "forkserver" in methods else "spawn"
        context = multiprocessing.get_context(start_method)
        if start_method == "forkserver":
            context.set_forkserver_preload(_PRELOAD)
        self._pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=context)

    def map(
        self,
        fn: Callable[[T], R],
        items: Sequence[T],
        progress: Progress | None = None,
        description: str = "sweep",
    ) -> list[R]:
        """Submit chunks of items to the pool; collect results in item order."""
        results: list[list[R] | None] = []
        chunks = _chunks(len(items), self.workers, self.chunk_size)
        if progress is not None:
            progress.start(len(items), description)
        try:
            futures = {
                self._pool.submit(_run_chunk, fn, [items[i] for i in chunk]): k
                for k, chunk in enumerate(chunks)
            }
            results = [None] * len(chunks)
            pending = set(futures)
            while pending:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for fut in done:
                    k = futures[fut]
                    results[k] = fut.result()
                    if progress is not None:
                        progress.advance(len(chunks[k]))
        except BaseException:
            for fut in futures:
                fut.cancel()
            raise
        finally:
            if progress is not None:
                progress.stop()
        return [r for chunk_result in results if chunk_result is not None for r in chunk_result]

    def close(self) -> None:
        """Shut the pool down."""
        self._pool.shutdown(wait=True, cancel_futures=True)


def parse_dask_address(spec: str) -> str:
    """``dask://HOST:PORT`` → the scheduler address ``tcp://HOST:PORT``.

    Raises
    ------
    GbadInputError
        Naming ``--executor`` if the address is malformed.
    """
    match = _DASK_ADDRESS.match(spec.strip())
    if match is None:
        raise GbadInputError(
            "executor", f"malformed Dask address {spec!r} (expected dask://HOST:PORT)"
        )
    port = int(match["port"])
    if not 1 <= port <= 65535:
        raise GbadInputError("executor", f"port {port} out of range 1-65535")
    return f"tcp://{match['host']}:{port}"


@dataclass
class _DaskState:
    client: Any
    cluster: Any


class DaskExecutor(Executor):
    """Run on Dask: a new :class:`~dask.distributed.LocalCluster` or an existing cluster.

    Parameters
    ----------
    address : str, optional
        Scheduler address (``tcp://HOST:PORT``); ``None`` starts a LocalCluster
        with ``workers`` single-threaded worker processes.
    workers : int, optional
        LocalCluster size (default: the CPU count); ignored with ``address``.
    chunk_size : int, optional
        Items per Dask task (default: about four tasks per worker).
    """

    def __init__(
        self, address: str | None = None, workers: int | None = None, chunk_size: int | None = None
    ) -> None:
        from dask.distributed import Client, LocalCluster

        self.chunk_size = chunk_size
        self.address = address
        if address is None:
            n = workers if workers is not None else (os.cpu_count() or 1)
            if n < 1:
                raise GbadInputError("workers", "must be at least 1")
            cluster = LocalCluster(
                n_workers=n,
                threads_per_worker=1,
                processes=True,
                dashboard_address=":0",  # random port: never clashes with another cluster
                silence_logs=40,  # logging.ERROR: keep stderr for the progress bar
            )
            self.name = "dask"
            self._state = _DaskState(Client(cluster), cluster)
        else:
            try:
                client = Client(address, timeout="10s")
            except (OSError, TimeoutError) as exc:
                raise GbadInputError(
                    "executor", f"cannot reach Dask scheduler at {address}: {exc}"
                ) from None
            self.name = f"dask://{address.removeprefix('tcp://')}"
            self._state = _DaskState(client, None)
        self.workers = max(1, len(self._state.client.scheduler_info()["workers"]))

    def map(
        self,
        fn: Callable[[T], R],
        items: Sequence[T],
        progress: Progress | None = None,
        description: str = "sweep",
    ) -> list[R]:
        """Submit chunks as Dask futures; gather results in item order."""
        from dask.distributed import as_completed

        client = self._state.client
        chunks = _chunks(len(items), self.workers, self.chunk_size)
        results: list[list[R] | None] = [None] * len(chunks)
        if progress is not None:
            progress.start(len(items), description)
        futures = []
        try:
            for chunk in chunks:
                futures.append(client.submit(_run_chunk, fn, [items[i] for i in chunk], pure=False))
            index = {f.key: k for k, f in enumerate(futures)}
            for fut in as_completed(futures):
                k = index[fut.key]
                results[k] = fut.result()
                if progress is not None:
                    progress.advance(len(chunks[k]))
        except BaseException:
            client.cancel(futures)
            raise
        finally:
            if progress is not None:
                progress.stop()
        return [r for chunk_result in results if chunk_result is not None for r in chunk_result]

    def close(self) -> None:
        """Close the client, and the LocalCluster if this executor started it."""
        self._state.client.close()
        if self._state.cluster is not None:
            self._state.cluster.close()


def make_executor(
    spec: str = "local", workers: int | None = None, chunk_size: int | None = None
) -> Executor:
    """An executor from its command-line name.

    Parameters
    ----------
    spec : str
        ``local`` (process pool), ``dask`` (LocalCluster), ``dask://HOST:PORT``
        (existing cluster) or ``serial`` (this process).
    workers : int, optional
        Worker processes for ``local`` and ``dask`` (default: CPU count).
    chunk_size : int, optional
        Items per task.

    Raises
    ------
    GbadInputError
        Unknown executor or malformed address (naming ``--executor``), or
        ``workers < 1`` (naming ``--workers``).
    """
    if workers is not None and workers < 1:
        raise GbadInputError("workers", "must be at least 1")
    if spec == "local":
        return LocalExecutor(workers, chunk_size)
    if spec == "serial":
        return SerialExecutor()
    if spec == "dask":
        return DaskExecutor(None, workers, chunk_size)
    if spec.startswith("dask://"):
        return DaskExecutor(parse_dask_address(spec), None, chunk_size)
    raise GbadInputError(
        "executor", f"unknown executor {spec!r} (use local, dask or dask://HOST:PORT)"
    )
