"""Compare two runs: what changed in the scenario, and how much the results moved."""

from __future__ import annotations

import math
from typing import Any, Protocol

from gbad.store.tables import flatten_scalars

__all__ = ["ComparableRun", "diff_documents", "diff_records"]


class ComparableRun(Protocol):
    """What :func:`diff_records` reads of a stored run (:class:`gbad.store.RunRecord`).

    Stated here so that this module does not import the store that imports it.
    """

    @property
    def id(self) -> int: ...
    @property
    def name(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def data_version(self) -> str | None: ...
    @property
    def gbad_version(self) -> str | None: ...
    @property
    def seed(self) -> int | None: ...
    @property
    def scenario(self) -> dict[str, Any]: ...
    @property
    def results(self) -> dict[str, Any] | None: ...


#: Two numbers closer than this (relative to the larger magnitude) are equal:
#: floating-point noise from summation order, not a change.
REL_TOL = 1e-9

#: Result paths that differ between any two runs (wall-clock timings, creation
#: time) and the scenario echo (compared on its own); left out of result diffs.
VOLATILE_RESULTS: tuple[str, ...] = (
    "scenario",
    "meta.timings_s",
    "meta.total_s",
    "meta.created_at",
    "timings",
)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _same(x: Any, y: Any) -> bool:
    if _is_number(x) and _is_number(y):
        return math.isclose(float(x), float(y), rel_tol=REL_TOL, abs_tol=0.0)
    return bool(x == y)


#: Leaves named ``...seconds`` are wall-clock times (``solve_seconds``), not results.
VOLATILE_LEAF_SUFFIX = "seconds"


def _ignored(path: str, ignore: tuple[str, ...]) -> bool:
    return any(path == p or path.startswith((f"{p}.", f"{p}[")) for p in ignore)


def _volatile(path: str) -> bool:
    leaf = path.rsplit(".", 1)[-1]
    return leaf.endswith(VOLATILE_LEAF_SUFFIX)


def diff_documents(
    a: Any, b: Any, ignore: tuple[str, ...] = (), *, timings: bool = True
) -> list[dict[str, Any]]:
    """Changed scalar leaves of two JSON documents, by key path.

    Each item is ``{"path", "a", "b"}`` plus ``delta`` (b − a) and ``rel``
    (delta / |a|, ``None`` when a is 0) for numbers. A key present on one side
    only has ``None`` on the other. Paths under a prefix in ``ignore`` are skipped,
    and so are wall-clock times (leaves named ``...seconds``) unless ``timings``.
    """
    flat_a, flat_b = flatten_scalars(a), flatten_scalars(b)
    paths = list(flat_a) + [p for p in flat_b if p not in flat_a]
    out = []
    for path in paths:
        if _ignored(path, ignore) or (not timings and _volatile(path)):
            continue
        x, y = flat_a.get(path), flat_b.get(path)
        if path in flat_a and path in flat_b and _same(x, y):
            continue
        item: dict[str, Any] = {"path": path, "a": x, "b": y}
        if (
            isinstance(x, int | float)
            and isinstance(y, int | float)
            and _is_number(x)
            and _is_number(y)
        ):
            delta = float(y) - float(x)
            item["delta"] = delta
            item["rel"] = delta / abs(float(x)) if x else None
        out.append(item)
    return out


def diff_records(a: ComparableRun, b: ComparableRun) -> dict[str, Any]:
    """Compare two stored runs.

    Returns
    -------
    dict
        ``a``, ``b`` (ids), ``meta`` (status, data and gbad versions, seed of
        each), ``scenario`` and ``results`` (lists from :func:`diff_documents`),
        ``n_results_changed`` and ``identical`` (same scenario and results).
    """
    meta = {
        key: {"a": getattr(a, key), "b": getattr(b, key)}
        for key in ("name", "status", "data_version", "gbad_version", "seed")
    }
    scenario = diff_documents(a.scenario, b.scenario)
    results = diff_documents(a.results or {}, b.results or {}, VOLATILE_RESULTS, timings=False)
    # Headline numbers first, the rest in document order.
    results.sort(key=lambda item: not str(item["path"]).startswith("summary."))
    return {
        "a": a.id,
        "b": b.id,
        "meta": meta,
        "scenario": scenario,
        "results": results,
        "n_results_changed": len(results),
        "identical": not scenario and not results,
    }
