"""The run store: every run (CLI or web) and its results in one DuckDB file.

>>> from gbad.store import RunStore                      # doctest: +SKIP
>>> with RunStore("runs.duckdb") as store:
...     run_id = store.create_run({"name": "baseline"})
...     store.set_status(run_id, "running")
...     store.save_results(run_id, plan.to_dict())
...     store.export_run(run_id, "out/", fmt="csv")
"""

from __future__ import annotations

from gbad.store.diff import diff_documents, diff_records
from gbad.store.record import RunRecorder, record_run
from gbad.store.runstore import (
    STATUSES,
    RunNotFoundError,
    RunRecord,
    RunStore,
    StoreLockedError,
    default_db_path,
)

__all__ = [
    "STATUSES",
    "RunNotFoundError",
    "RunRecord",
    "RunRecorder",
    "RunStore",
    "StoreLockedError",
    "default_db_path",
    "diff_documents",
    "diff_records",
    "diff_runs",
    "record_run",
]


def diff_runs(store: RunStore, a: int, b: int) -> dict[str, object]:
    """Compare runs ``a`` and ``b`` of ``store`` (see :func:`diff_records`)."""
    return store.diff_runs(a, b)
