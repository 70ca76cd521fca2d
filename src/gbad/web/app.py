"""The FastAPI app: JSON API over the pipeline and the run store, plus the browser UI.

Endpoints
---------
``GET  /api/health``                  ``{"status": "ok"}``
``GET  /api/version``                 gbad and data versions
``GET  /api/scenario/default``        the default scenario document
``GET  /api/scenario/schema``         its JSON schema (pydantic)
``GET  /api/limits``                  run-size limits of this server
``POST /api/scenario/validate``       ``{"ok": true}`` or 422 naming the field
``POST /api/runs``                    scenario (JSON or YAML) → ``{"id": ...}``, 202
``GET  /api/runs``                    ``{"runs": [...]}`` newest first
``GET  /api/runs/{id}``               the run: ``status``, ``progress``, ``results``,
                                      ``queue_position`` while queued
``GET  /api/runs/{id}/report``        its HTML report
``GET  /api/runs/{id}/tables/{name}`` one result table as CSV (or ``?format=json``)
``GET  /api/runs/{a}/diff/{b}``       what changed from run a to run b (every leaf)
``GET  /api/compare?a=&b=``           the same, compact: headline first, allies grouped
``GET  /api/runs/{id}/plan.json``     the run's plan.json (a download)
``GET  /api/runs/{id}/map``           fire units by milestone year and defended assets
``GET  /api/runs/{id}/force.csv``     the required force (``iso3,system,fire_units``)
``GET  /api/allies``                  the allies to pick from, grouped
``GET  /api/map/borders``             country outlines as lon/lat lines
``POST /api/runs/{id}/cancel``        stop a queued or running run (``cancelled``)
``DELETE /api/runs/{id}``             remove a finished run

A full run queue answers ``POST /api/runs`` with 429 and ``Retry-After``.
"""

from __future__ import annotations

import importlib.resources
import json
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.middleware.trustedhost import TrustedHostMiddleware

from gbad import __version__
from gbad.scenario import Scenario
from gbad.scenario.limits import work_limits
from gbad.store import RunNotFoundError, RunStore
from gbad.web.security import (
    BodyLimitMiddleware,
    SecurityHeadersMiddleware,
    origin_allowed,
    token_ok,
)
from gbad.web.validation import (
    DEFAULT_LIMITS,
    ScenarioRejectedError,
    parse_body,
    validate_scenario,
)
from gbad.web.views import (
    allies_catalogue,
    borders_outline,
    compact_compare,
    dumps_compact,
    requirement_force_csv,
)
from gbad.web.worker import (
    DEFAULT_MEMORY_MB,
    DEFAULT_WALL_TIME_S,
    Executor,
    QueueFullError,
    RunWorker,
)

__all__ = ["LOOPBACK_HOSTS", "create_app"]

#: Host headers accepted by a server bound to a loopback address (DNS-rebinding guard).
LOOPBACK_HOSTS = ["127.0.0.1", "localhost", "::1", "[::1]"]
MAX_BODY_BYTES = 1_000_000


class _HTTPProblemError(Exception):
    def __init__(self, status: int, detail: str, field: str | None = None) -> None:
        self.status = status
        self.detail = detail
        self.field = field


def _static_dir() -> Path:
    return Path(str(importlib.resources.files("gbad.web") / "static"))


def _plotly_js() -> Path:
    import plotly

    return Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


def create_app(
    db_path: str | Path | None,
    *,
    token: str | None = None,
    allowed_hosts: list[str] | None = None,
    max_body_bytes: int = MAX_BODY_BYTES,
    limits: Mapping[str, tuple[float | None, float | None]] | None = None,
    threads: int | None = None,
    execute: Executor | None = None,
    processes: bool | None = None,
    max_queue: int | None = None,
    wall_time_s: float = DEFAULT_WALL_TIME_S,
    memory_mb: float = DEFAULT_MEMORY_MB,
) -> FastAPI:
    """Build the web app over the run store at ``db_path``.

    Parameters
    ----------
    db_path : str or Path, optional
        The DuckDB run store (default path when ``None``); held open by the app.
    token : str, optional
        When given, state-changing endpoints need ``Authorization: Bearer <token>``.
    allowed_hosts : list of str, optional
        Accepted ``Host`` headers (``gbad serve`` passes the loopback names).
    max_body_bytes : int
        Largest request body [bytes]; larger ones get 413.
    limits : mapping, optional
        Run-size bounds (default :data:`gbad.web.validation.DEFAULT_LIMITS`).
    threads : int, optional
        Runs executed at the same time (``None``: one per core).
    execute : callable, optional
        What a run does (default: the whole pipeline and its report).
    processes : bool, optional
        Run each run in a worker process (default: for the default pipeline).
    max_queue : int, optional
        Runs that may wait (default 8 per slot); more get 429.
    wall_time_s, memory_mb : float
        Caps of one run in a worker process; over one, the run ends ``failed``.

    Raises
    ------
    StoreLockedError
        If another process holds the store.
    """
    store = RunStore(db_path)
    worker = RunWorker(
        store,
        execute=execute,
        threads=threads,
        processes=processes,
        max_queue=max_queue,
        wall_time_s=wall_time_s,
        memory_mb=memory_mb,
    )
    run_limits = dict(DEFAULT_LIMITS if limits is None else limits)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        worker.stop()
        store.close()

    app = FastAPI(
        title="gbad",
        version=__version__,
        summary="Plan Europe's ground-based air defence from public data.",
        lifespan=lifespan,
        docs_url=None,  # Swagger UI loads its assets from a CDN: not offered offline
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    app.state.store = store
    app.state.worker = worker
    app.state.token = token

    @app.exception_handler(ScenarioRejectedError)
    async def _rejected(_request: Request, exc: ScenarioRejectedError) -> JSONResponse:
        return JSONResponse(exc.payload, status_code=422)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        detail = [
            {"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")}
            for e in exc.errors()
        ]
        first = detail[0]["loc"] if detail else []
        field = ".".join(str(p) for p in first[1:] or first) or "request"
        return JSONResponse({"detail": detail, "field": field}, status_code=422)

    @app.exception_handler(_HTTPProblemError)
    async def _problem(_request: Request, exc: _HTTPProblemError) -> JSONResponse:
        body: dict[str, Any] = {"detail": exc.detail}
        if exc.field:
            body["field"] = exc.field
        return JSONResponse(body, status_code=exc.status)

    @app.exception_handler(QueueFullError)
    async def _full(_request: Request, exc: QueueFullError) -> JSONResponse:
        return JSONResponse(
            {"detail": str(exc), "retry_after_s": exc.retry_after_s},
            status_code=429,
            headers={"Retry-After": str(exc.retry_after_s)},
        )

    @app.exception_handler(RunNotFoundError)
    async def _missing(_request: Request, exc: RunNotFoundError) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=404)

    def guard(request: Request) -> None:
        """Token and same-origin check of a state-changing request."""
        if not origin_allowed(request.headers.get("origin"), request.headers.get("host")):
            raise _HTTPProblemError(403, "cross-origin request refused")
        if not token_ok(
            token, request.headers.get("authorization"), request.headers.get("x-gbad-token")
        ):
            raise _HTTPProblemError(401, "this server needs a token: Authorization: Bearer <token>")

    async def scenario_from(request: Request) -> Scenario:
        body = await request.body()
        document = parse_body(body, request.headers.get("content-type"))
        return validate_scenario(document, run_limits)

    # -- API --------------------------------------------------------------------
    @app.get("/api/health")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/api/version")
    def version() -> dict[str, str]:
        from gbad import DATA_VERSION, __version__

        return {"version": __version__, "data_version": DATA_VERSION}

    @app.get("/api/scenario/default")
    def scenario_default() -> dict[str, Any]:
        return Scenario().model_dump(mode="json")

    @app.get("/api/scenario/schema")
    def scenario_schema() -> dict[str, Any]:
        return Scenario.model_json_schema()

    @app.get("/api/limits")
    def get_limits() -> dict[str, Any]:
        return {
            "max_body_bytes": max_body_bytes,
            "token_required": bool(token),
            "runs": {k: {"min": lo, "max": hi} for k, (lo, hi) in run_limits.items()},
            "work": work_limits(),
            "workers": worker.slots,
            "max_queue": worker.max_queue,
            "wall_time_s": worker.wall_time_s if worker.processes else None,
            "memory_mb": worker.memory_mb if worker.processes else None,
        }

    @app.post("/api/scenario/validate")
    async def scenario_validate(request: Request) -> dict[str, Any]:
        scenario = await scenario_from(request)
        return {"ok": True, "scenario": scenario.model_dump(mode="json")}

    @app.post("/api/runs", status_code=202, dependencies=[Depends(guard)])
    async def create_run(request: Request) -> dict[str, Any]:
        scenario = await scenario_from(request)
        run_id = worker.submit(scenario)
        return {"id": run_id, "status": "queued", "url": f"/api/runs/{run_id}"}

    @app.get("/api/runs")
    def list_runs(
        limit: int = Query(100, ge=1, le=10_000),
        status: str | None = Query(None, pattern="^(queued|running|done|failed|cancelled)$"),
    ) -> dict[str, Any]:
        runs = store.list_runs(limit=limit, status=status)
        return {"runs": [_summary(r.to_dict(with_results=False)) for r in runs]}

    @app.get("/api/runs/{run_id}")
    def get_run(run_id: int, results: bool = Query(True)) -> dict[str, Any]:
        record = store.get_run(run_id, results=results)
        out = record.to_dict(with_results=results)
        finished = record.status in ("done", "failed", "cancelled")
        out["tables"] = store.table_names(run_id) if finished else []
        has_report = finished and "report.html" in store.artifact_names(run_id)
        out["report_url"] = f"/api/runs/{run_id}/report" if has_report else None
        out["queue_position"] = worker.position(run_id) if record.status == "queued" else None
        out["queue_length"] = worker.queued()
        return out

    @app.get("/api/runs/{run_id}/plan.json")
    def get_plan_json(run_id: int) -> Response:
        record = store.get_run(run_id, results=True)
        if record.results is None:
            raise _HTTPProblemError(404, f"run {run_id} has no results ({record.status})")
        return Response(
            json.dumps(record.results, indent=1, allow_nan=False),
            media_type="application/json",
            headers={"content-disposition": f'attachment; filename="run{run_id}-plan.json"'},
        )

    @app.get("/api/runs/{run_id}/map")
    def get_map(run_id: int) -> Response:
        record = store.get_run(run_id, results=True)
        if not record.results:
            raise _HTTPProblemError(404, f"run {run_id} has no results ({record.status})")
        from gbad.web.views import map_layers

        return Response(dumps_compact(map_layers(record.results)), media_type="application/json")

    @app.get("/api/runs/{run_id}/force.csv")
    def get_force_csv(run_id: int) -> Response:
        """The run's required force as ``force.csv`` (``gbad requirement --out``)."""
        record = store.get_run(run_id, results=True)
        if not record.results:
            raise _HTTPProblemError(404, f"run {run_id} has no results ({record.status})")
        text = requirement_force_csv(record.results.get("requirement"))
        if text is None:
            raise _HTTPProblemError(404, f"run {run_id} has no requirement")
        return Response(
            text,
            media_type="text/csv; charset=utf-8",
            headers={"content-disposition": f'attachment; filename="run{run_id}-force.csv"'},
        )

    @app.get("/api/compare")
    def compare(
        a: int = Query(..., ge=1),
        b: int = Query(..., ge=1),
        limit: int = Query(200, ge=0, le=100_000),
    ) -> dict[str, Any]:
        return compact_compare(store.get_run(a), store.get_run(b), limit=limit)

    @app.get("/api/allies")
    def allies() -> dict[str, Any]:
        return allies_catalogue()

    @app.get("/api/map/borders")
    def borders() -> Response:
        return Response(
            dumps_compact(borders_outline()),
            media_type="application/json",
            headers={"cache-control": "public, max-age=86400"},
        )

    @app.get("/api/runs/{run_id}/report", response_class=HTMLResponse)
    def get_report(run_id: int, download: bool = Query(False)) -> HTMLResponse:
        record = store.get_run(run_id, results=False)
        if record.status in ("queued", "running"):
            raise _HTTPProblemError(409, f"run {run_id} is {record.status}; no report yet")
        html = store.get_artifact(run_id, "report.html")
        if html is None:
            raise _HTTPProblemError(404, f"run {run_id} has no report")
        if download:
            disposition = f'attachment; filename="run{run_id}-report.html"'
            return HTMLResponse(html, headers={"content-disposition": disposition})
        return HTMLResponse(html)

    @app.get("/api/runs/{run_id}/tables/{name}")
    def get_table(
        run_id: int, name: str, fmt: str = Query("csv", alias="format", pattern="^(csv|json)$")
    ) -> Response:
        store.get_run(run_id, results=False)
        try:
            frame = store.get_table(run_id, name)
        except KeyError:
            raise _HTTPProblemError(404, f"run {run_id} has no table {name}") from None
        if fmt == "json":
            return JSONResponse({"name": name, "rows": json.loads(frame.to_json(orient="records"))})
        return Response(
            frame.to_csv(index=False),
            media_type="text/csv; charset=utf-8",
            headers={"content-disposition": f'attachment; filename="run{run_id}-{name}.csv"'},
        )

    @app.get("/api/runs/{a}/diff/{b}")
    def diff(a: int, b: int) -> dict[str, Any]:
        return store.diff_runs(a, b)

    @app.post("/api/runs/{run_id}/cancel", dependencies=[Depends(guard)])
    def cancel_run(run_id: int) -> dict[str, Any]:
        record = store.get_run(run_id, results=False)
        if record.status not in ("queued", "running"):
            raise _HTTPProblemError(409, f"run {run_id} is {record.status}; nothing to cancel")
        if not worker.cancel(run_id):
            raise _HTTPProblemError(409, f"run {run_id} is not executed by this server")
        return {"id": run_id, "status": "cancelled"}

    @app.delete("/api/runs/{run_id}", dependencies=[Depends(guard)])
    def delete_run(run_id: int) -> dict[str, Any]:
        record = store.get_run(run_id, results=False)
        if record.status in ("queued", "running"):
            raise _HTTPProblemError(409, f"run {run_id} is {record.status}; wait until it ends")
        store.delete_run(run_id)
        return {"id": run_id, "deleted": True}

    # -- browser UI ---------------------------------------------------------------
    static = _static_dir()

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(static / "index.html", media_type="text/html")

    @app.get("/vendor/plotly.min.js", include_in_schema=False)
    def plotly_js() -> Response:
        path = _plotly_js()
        if not path.exists():
            return Response("/* plotly.js is not installed */", media_type="text/javascript")
        return FileResponse(
            path,
            media_type="text/javascript",
            headers={"cache-control": "public, max-age=86400"},
        )

    app.mount("/static", StaticFiles(directory=static), name="static")

    app.add_middleware(SecurityHeadersMiddleware)
    app.add_middleware(BodyLimitMiddleware, max_bytes=max_body_bytes)
    if allowed_hosts:
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts)
    return app


def _summary(run: dict[str, Any]) -> dict[str, Any]:
    """A run for the list: metadata and a few headline numbers, no scenario."""
    scenario = run.pop("scenario", {}) or {}
    target = scenario.get("target", {}) if isinstance(scenario, dict) else {}
    run["factor"] = target.get("factor") if isinstance(target, dict) else None
    return run
