"""The web app refuses bad or oversized runs up front and bounds the work it accepts."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.scenario.bad_cases import BAD_SCENARIOS
from tests.scenario.test_properties import documents
from tests.web.conftest import FakeExecutor, TestClient, wait_for
from tests.web.workers import hog, sleepy

MakeClient = Callable[..., TestClient]


def wait_long(
    client: TestClient, run_id: int, statuses: tuple[str, ...] = ("done", "failed", "cancelled")
) -> dict[str, Any]:
    """Poll a run until its status is one of ``statuses`` (60 s: worker processes start
    with the pipeline imported, which takes seconds on a loaded machine)."""
    deadline = time.monotonic() + 60
    while True:
        run: dict[str, Any] = client.get(f"/api/runs/{run_id}").json()
        if run["status"] in statuses or time.monotonic() > deadline:
            return run
        time.sleep(0.05)


@pytest.mark.parametrize(("body", "field"), BAD_SCENARIOS)
def test_every_bad_scenario_is_422_at_post_and_validate(
    make_client: MakeClient, body: dict[str, Any], field: str
) -> None:
    client = make_client()
    content = json.dumps(body).encode()  # NaN and Infinity literals, as JavaScript may send
    for url in ("/api/scenario/validate", "/api/runs"):
        response = client.post(url, content=content, headers={"content-type": "application/json"})
        assert response.status_code == 422, (url, response.text)
        assert response.json()["field"] == field
    assert client.get("/api/runs").json() == {"runs": []}


def test_nan_is_named_and_yaml_exponent_read(make_client: MakeClient) -> None:
    client = make_client()
    nan = client.post(
        "/api/scenario/validate",
        content=b'{"target": {"factor": NaN}}',
        headers={"content-type": "application/json"},
    )
    assert nan.status_code == 422 and "NaN" in nan.json()["detail"][0]["msg"]
    yaml_body = b"overrides: {systems: {patriot: {fire_unit_cost_musd_mid: 1e308}}}\n"
    big = client.post(
        "/api/scenario/validate", content=yaml_body, headers={"content-type": "application/yaml"}
    )
    assert big.status_code == 422
    assert "must be at most" in big.json()["detail"][0]["msg"]


@pytest.mark.parametrize("media", ["application/json", "application/yaml"])
def test_deep_nesting_is_4xx(make_client: MakeClient, media: str) -> None:
    client = make_client()
    body = b'{"name": ' + b"[" * 1000 + b"]" * 1000 + b"}"
    response = client.post("/api/runs", content=body, headers={"content-type": media})
    assert response.status_code == 422
    assert response.json()["field"] == "body" and "nested" in response.text


def test_full_queue_is_429_with_retry_after(make_client: MakeClient) -> None:
    execute = FakeExecutor(hold=True)
    client = make_client(execute=execute, threads=1, max_queue=2)
    ids = [client.post("/api/runs", json={"name": f"r{i}"}).json()["id"] for i in range(3)]
    assert wait_for(client, ids[0], ("running",))["status"] == "running"
    refused = client.post("/api/runs", json={"name": "one too many"})
    assert refused.status_code == 429
    assert int(refused.headers["retry-after"]) >= 1
    assert len(client.get("/api/runs").json()["runs"]) == 3
    execute.release.set()
    assert [wait_for(client, i)["status"] for i in ids] == ["done"] * 3


def test_cancel_queued_and_running_runs(make_client: MakeClient) -> None:
    execute = FakeExecutor(hold=True)
    client = make_client(execute=execute, threads=1)
    running = client.post("/api/runs", json={"name": "running"}).json()["id"]
    queued = client.post("/api/runs", json={"name": "queued"}).json()["id"]
    assert wait_for(client, running, ("running",))["status"] == "running"
    for run_id in (queued, running):
        response = client.post(f"/api/runs/{run_id}/cancel")
        assert response.json() == {"id": run_id, "status": "cancelled"}
    execute.release.set()
    time.sleep(0.2)
    assert [client.get(f"/api/runs/{i}").json()["status"] for i in (running, queued)] == [
        "cancelled",
        "cancelled",
    ]
    assert client.post(f"/api/runs/{queued}/cancel").status_code == 409
    assert client.post("/api/runs/999/cancel").status_code == 404
    assert execute.calls == 1  # the queued run never started
    statuses = client.get("/api/runs", params={"status": "cancelled"}).json()["runs"]
    assert {r["id"] for r in statuses} == {running, queued}


def test_worker_processes_run_in_parallel_and_cancel(make_client: MakeClient) -> None:
    client = make_client(execute=sleepy, processes=True, threads=2)
    first, second = (
        client.post("/api/runs", json={"name": n, "threat": {"nights": 30}}).json()["id"]
        for n in ("a", "b")
    )
    assert wait_long(client, first, ("running",))["status"] == "running"
    assert wait_long(client, second, ("running",))["status"] == "running"
    assert client.post(f"/api/runs/{second}/cancel").status_code == 200
    run = wait_long(client, first)
    assert run["status"] == "done" and run["results"]["summary"]["campaign_nights"] == 30
    assert client.get(f"/api/runs/{second}").json()["status"] == "cancelled"


def test_wall_time_cap_fails_the_run(make_client: MakeClient) -> None:
    client = make_client(execute=sleepy, processes=True, wall_time_s=0.5)
    run_id = client.post("/api/runs", json={"threat": {"nights": 100}}).json()["id"]
    run = wait_long(client, run_id)
    assert run["status"] == "failed"
    assert "wall-time cap of 0.5 s" in run["error"]


def test_memory_cap_fails_the_run(make_client: MakeClient) -> None:
    client = make_client(execute=hog, processes=True, memory_mb=300)
    run_id = client.post("/api/runs", json={"threat": {"nights": 60}}).json()["id"]
    run = wait_long(client, run_id)
    assert run["status"] == "failed"
    assert "memory cap of 300 MiB" in run["error"]


def test_limits_are_served(make_client: MakeClient) -> None:
    limits = make_client(threads=3, max_queue=5).get("/api/limits").json()
    assert (limits["workers"], limits["max_queue"]) == (3, 5)
    assert limits["work"]["max_threats_per_night"] > 0


JSON = st.recursive(
    st.none() | st.booleans() | st.floats() | st.integers() | st.text(max_size=5),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.sampled_from(["target", "factor", "threat", "nights", "x"]), children)
    ),
    max_leaves=10,
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.one_of(documents(), JSON))
def test_bodies_get_200_or_422_naming_a_field(make_client: MakeClient, body: Any) -> None:
    client = _shared_client(make_client)
    content = json.dumps(body).encode()
    response = client.post(
        "/api/scenario/validate", content=content, headers={"content-type": "application/json"}
    )
    assert response.status_code in (200, 422), response.text
    if response.status_code == 422:
        field = response.json()["field"]
        top = field.split(".")[0]
        assert top == "body" or (isinstance(body, dict) and top in body), (field, body)


_CLIENTS: dict[int, TestClient] = {}


def _shared_client(make_client: MakeClient) -> TestClient:
    """One app for all examples of a property (hypothesis reuses the fixture)."""
    key = id(make_client)
    if key not in _CLIENTS:
        _CLIENTS.clear()
        _CLIENTS[key] = make_client()
    return _CLIENTS[key]
