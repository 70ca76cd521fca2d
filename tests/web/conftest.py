"""Fixtures of the web tests: an app over a temporary store, and a live server."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from gbad.scenario import Scenario
from gbad.web import create_app

# starlette warns once, at import, that it prefers the httpx2 package; the client
# works the same with httpx, which the project already depends on.
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient


def fake_plan(scenario: Scenario) -> dict[str, Any]:
    """A small plan-shaped document whose numbers follow the scenario."""
    factor = scenario.target.factor
    return {
        "scenario": scenario.model_dump(mode="json"),
        "targets": {
            "status": "ok",
            "countries": [
                {"iso3": "DEU", "baseline": 10, "target": round(10 * factor)},
                {"iso3": "POL", "baseline": 8, "target": round(8 * factor)},
            ],
        },
        "summary": {
            "long_medium_target": round(18 * factor),
            "campaign_nights": scenario.threat.nights,
            "coverage_year": scenario.horizon_year,
            "trajectory": [
                {"year": scenario.base_year, "long_medium_fire_units": 18},
                {"year": scenario.horizon_year, "long_medium_fire_units": round(18 * factor)},
            ],
        },
        "meta": {"timings_s": {"targets": 0.01}},
    }


class FakeExecutor:
    """Stands in for the pipeline: reports progress, may wait for a release."""

    def __init__(self, *, hold: bool = False) -> None:
        self.release = threading.Event()
        if not hold:
            self.release.set()
        self.calls = 0

    def __call__(
        self, scenario: Scenario, progress: Callable[[str, float], None]
    ) -> tuple[dict[str, Any], dict[str, str]]:
        self.calls += 1
        progress("National targets", 0.25)
        if not self.release.wait(timeout=20):
            raise TimeoutError("never released")
        if scenario.name == "explode":
            raise RuntimeError("stage exploded")
        if scenario.name == "partial":
            plan = fake_plan(scenario)
            plan["campaign"] = {"status": "failed", "error": "ValueError: no raids"}
            return plan, {}
        progress("done", 1.0)
        plan = fake_plan(scenario)
        return plan, {"report.html": f"<!doctype html><h1>Report {scenario.name}</h1>"}


def wait_for(
    client: Any, run_id: int, statuses: tuple[str, ...] = ("done", "failed")
) -> dict[str, Any]:
    """Poll a run until its status is one of ``statuses`` (10 s at most)."""
    deadline = time.monotonic() + 10
    while True:
        run: dict[str, Any] = client.get(f"/api/runs/{run_id}").json()
        if run["status"] in statuses or time.monotonic() > deadline:
            return run
        time.sleep(0.02)


@pytest.fixture
def make_client(tmp_path: Path) -> Iterator[Callable[..., TestClient]]:
    clients: list[TestClient] = []

    def make(**kwargs: Any) -> TestClient:
        kwargs.setdefault("execute", FakeExecutor())
        app = create_app(tmp_path / "runs.duckdb", **kwargs)
        client = TestClient(app)
        client.__enter__()
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """``gbad serve`` in a subprocess on a free loopback port."""

    def __init__(self, db: Path, port: int | None = None, extra: tuple[str, ...] = ()) -> None:
        self.db = db
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "GBAD_TOKEN": ""}
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-c",
                "from gbad.cli import main; main()",
                "serve",
                "--port",
                str(self.port),
                "--db",
                str(db),
                *extra,
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env=env,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                err = self.proc.stderr.read().decode() if self.proc.stderr else ""
                raise RuntimeError(f"gbad serve exited {self.proc.returncode}: {err}")
            try:
                if httpx.get(f"{self.url}/api/health", timeout=1).json() == {"status": "ok"}:
                    return
            except httpx.HTTPError:
                time.sleep(0.05)
        self.kill()
        raise RuntimeError("gbad serve did not start within 30 s")

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=10)

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=10)  # reap it: a zombie would still look alive

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()
        if self.proc.stderr:
            self.proc.stderr.close()


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[Callable[..., Server]]:
    servers: list[Server] = []

    def start(db: Path | None = None, port: int | None = None, *extra: str) -> Server:
        server = Server(db or tmp_path / "runs.duckdb", port, extra)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()
