"""The JSON API of ``gbad serve`` (DESIGN.md) over a temporary store."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from gbad.scenario import Scenario
from gbad.store import RunStore
from gbad.web import create_app
from tests.web.conftest import FakeExecutor, TestClient, wait_for

MakeClient = Callable[..., TestClient]


def test_health(make_client: MakeClient) -> None:
    assert make_client().get("/api/health").json() == {"status": "ok"}


def test_run_lifecycle(make_client: MakeClient) -> None:
    execute = FakeExecutor(hold=True)
    client = make_client(execute=execute)
    response = client.post("/api/runs", json={"name": "five", "target": {"factor": 5}})
    assert response.status_code == 202
    run_id = response.json()["id"]
    running = wait_for(client, run_id, ("running",))
    assert running["status"] == "running"
    assert running["results"] is None
    deadline_progress = wait_progress(client, run_id, 0.25)
    assert deadline_progress["stage"] == "National targets"
    execute.release.set()
    run = wait_for(client, run_id)
    assert run["status"] == "done", run["error"]
    assert run["progress"] == 1.0
    assert run["results"]["summary"]["long_medium_target"] == 90
    assert run["scenario"]["target"]["factor"] == 5
    assert run["tables"] == ["summary.trajectory", "targets.countries"]
    assert run["timings"]["targets"] == 0.01 and run["timings"]["total_s"] >= 0
    table = client.get(f"/api/runs/{run_id}/tables/targets.countries")
    assert table.headers["content-type"].startswith("text/csv")
    assert table.text.splitlines() == ["iso3,baseline,target", "DEU,10,50", "POL,8,40"]
    rows = client.get(f"/api/runs/{run_id}/tables/targets.countries", params={"format": "json"})
    assert rows.json()["rows"][1] == {"iso3": "POL", "baseline": 8, "target": 40}
    assert client.get(f"/api/runs/{run_id}/tables/nope").status_code == 404
    report = client.get(run["report_url"])
    assert report.status_code == 200 and "Report five" in report.text
    report_csp = report.headers["content-security-policy"]
    assert "default-src 'none'" in report_csp
    assert "sandbox" in report_csp and "allow-same-origin" not in report_csp


def wait_progress(client: TestClient, run_id: int, fraction: float) -> dict[str, Any]:
    for _ in range(500):
        run: dict[str, Any] = client.get(f"/api/runs/{run_id}", params={"results": False}).json()
        if run["progress"] >= fraction:
            return run
    raise AssertionError("no progress")


def test_failed_run_records_error(make_client: MakeClient) -> None:
    client = make_client()
    run_id = client.post("/api/runs", json={"name": "explode"}).json()["id"]
    run = wait_for(client, run_id)
    assert run["status"] == "failed"
    assert run["error"] == "internal error: RuntimeError: stage exploded"
    assert client.get(f"/api/runs/{run_id}/report").status_code == 404  # no report made
    assert run["report_url"] is None


def test_plan_with_a_failed_stage_is_a_failed_run_with_its_results(make_client: MakeClient) -> None:
    client = make_client()
    run = wait_for(client, client.post("/api/runs", json={"name": "partial"}).json()["id"])
    assert run["status"] == "failed"
    assert run["error"] == "stage campaign failed: ValueError: no raids"
    assert run["results"]["targets"]["status"] == "ok"  # what did run is kept


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"target": {"factor": -1}}, "target.factor"),
        ({"target": {"factr": 3}}, "target.factr"),
        ({"target": {"key": "wealth"}}, "target.key"),
        ({"threat": {"nights": 5000}}, "threat.nights"),
        ({"threat": {"nights": 366}}, "threat.nights"),  # within the model, over the server limit
        ({"engagement": {"trials": 10_000_000}}, "engagement.trials"),
        ({"countries": ["EST", "XXX"]}, "countries.1"),
        ({"threat": {"preset": "custom", "raid": {"drone": -5}}}, "threat.raid.drone"),
        (
            {"overrides": {"systems": {"no-such-system": {"radar_range_km": 1}}}},
            "overrides.systems.no-such-system",
        ),
        ([1, 2], "body"),
    ],
)
def test_bad_scenario_is_422_naming_the_field(
    make_client: MakeClient, body: Any, field: str
) -> None:
    client = make_client()
    for url in ("/api/runs", "/api/scenario/validate"):
        response = client.post(url, json=body)
        assert response.status_code == 422
        payload = response.json()
        assert payload["field"] == field
        assert [str(p) for p in payload["detail"][0]["loc"]] == field.split(".")
        assert payload["detail"][0]["msg"]
    assert client.get("/api/runs").json() == {"runs": []}


def test_malformed_bodies(make_client: MakeClient) -> None:
    client = make_client()
    bad_json = client.post("/api/runs", content=b"{", headers={"content-type": "application/json"})
    assert bad_json.status_code == 422 and bad_json.json()["field"] == "body"
    text = client.post("/api/runs", content=b"name: x", headers={"content-type": "text/plain"})
    assert text.status_code == 422 and "media type" in text.json()["detail"][0]["msg"]


def test_yaml_is_loaded_safely(make_client: MakeClient) -> None:
    client = make_client()
    headers = {"content-type": "application/yaml"}
    ok = client.post("/api/runs", content=b"name: y\ntarget: {factor: 3}\n", headers=headers)
    assert ok.status_code == 202
    assert wait_for(client, ok.json()["id"])["scenario"]["target"]["factor"] == 3
    evil = b"name: !!python/object/apply:os.system ['echo pwned']\n"
    refused = client.post("/api/runs", content=evil, headers=headers)
    assert refused.status_code == 422 and refused.json()["field"] == "body"


def test_body_size_is_bounded(make_client: MakeClient) -> None:
    client = make_client(max_body_bytes=10_000)
    big = b'{"name": "' + b"x" * 20_000 + b'"}'
    response = client.post("/api/runs", content=big, headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert client.get("/api/runs").json() == {"runs": []}


def test_list_and_diff(make_client: MakeClient) -> None:
    client = make_client()
    a = client.post("/api/runs", json={"name": "a", "target": {"factor": 5}}).json()["id"]
    b = client.post("/api/runs", json={"name": "b", "target": {"factor": 6}}).json()["id"]
    wait_for(client, a)
    wait_for(client, b)
    runs = client.get("/api/runs").json()["runs"]
    assert [(r["id"], r["name"], r["status"], r["factor"]) for r in runs] == [
        (b, "b", "done", 6.0),
        (a, "a", "done", 5.0),
    ]
    assert "scenario" not in runs[0] and "results" not in runs[0]
    diff = client.get(f"/api/runs/{a}/diff/{b}").json()
    changed = {d["path"]: d for d in diff["results"]}
    assert changed["summary.long_medium_target"]["a"] == 90
    assert changed["summary.long_medium_target"]["b"] == 108
    assert changed["targets.countries[DEU].target"]["delta"] == 10
    assert [d["path"] for d in diff["scenario"]] == ["name", "target.factor"]
    assert client.get(f"/api/runs/{a}/diff/999").status_code == 404


def test_scenario_schema_and_default(make_client: MakeClient) -> None:
    client = make_client()
    default = client.get("/api/scenario/default").json()
    assert Scenario.model_validate(default) == Scenario()
    schema = client.get("/api/scenario/schema").json()
    assert "target" in schema["properties"]
    limits = client.get("/api/limits").json()
    assert limits["runs"]["threat.nights"]["max"] == 365


def test_unknown_run_is_404(make_client: MakeClient) -> None:
    client = make_client()
    assert client.get("/api/runs/12345").status_code == 404
    bad = client.get("/api/runs/abc")
    assert bad.status_code == 422 and bad.json()["field"] == "run_id"


def test_token_guards_state_changes(make_client: MakeClient) -> None:
    token = "s3cret-token-0123456789"
    client = make_client(token=token)
    assert client.post("/api/runs", json={}).status_code == 401
    wrong = client.post("/api/runs", json={}, headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401
    ok = client.post("/api/runs", json={}, headers={"Authorization": f"Bearer {token}"})
    assert ok.status_code == 202
    run_id = ok.json()["id"]
    wait_for(client, run_id)
    assert client.get(f"/api/runs/{run_id}").status_code == 200  # reading needs no token
    assert client.delete(f"/api/runs/{run_id}").status_code == 401
    assert client.delete(f"/api/runs/{run_id}", headers={"X-GBAD-Token": token}).status_code == 200
    assert client.get(f"/api/runs/{run_id}").status_code == 404


def test_cross_origin_posts_are_refused(make_client: MakeClient) -> None:
    client = make_client()
    evil = client.post("/api/runs", json={}, headers={"Origin": "http://evil.example"})
    assert evil.status_code == 403
    same = client.post("/api/runs", json={}, headers={"Origin": "http://testserver"})
    assert same.status_code == 202


def test_host_header_checked_on_loopback(make_client: MakeClient) -> None:
    client = make_client(allowed_hosts=["127.0.0.1", "localhost"])
    assert client.get("/api/health").status_code == 400  # Host: testserver (DNS rebinding)
    assert client.get("/api/health", headers={"host": "127.0.0.1:8000"}).status_code == 200


def test_ui_and_vendored_plotly(make_client: MakeClient) -> None:
    client = make_client()
    page = client.get("/")
    assert page.status_code == 200 and "<html" in page.text.lower()
    csp = page.headers["content-security-policy"]
    assert "default-src 'self'" in csp
    assert "http" not in csp.replace("'self'", "")  # no other host allowed
    plotly = client.get("/vendor/plotly.min.js")
    assert plotly.status_code == 200 and len(plotly.content) > 1_000_000
    for asset in ("app.js", "app.css"):
        assert client.get(f"/static/{asset}").status_code == 200
    # Nothing the server hands out points the browser at another host.
    for path in ("/", "/static/app.js", "/static/app.css"):
        assert not re.search(r"(src|href)=\"https?://|url\(https?://", client.get(path).text)
    assert client.get("/api/docs").status_code == 404  # Swagger UI would load from a CDN
    assert client.get("/api/openapi.json").json()["info"]["title"] == "gbad"


def test_queue_runs_one_at_a_time(make_client: MakeClient) -> None:
    execute = FakeExecutor(hold=True)
    client = make_client(execute=execute, threads=1)
    first = client.post("/api/runs", json={"name": "first"}).json()["id"]
    second = client.post("/api/runs", json={"name": "second"}).json()["id"]
    assert wait_for(client, first, ("running",))["status"] == "running"
    assert client.get(f"/api/runs/{second}").json()["status"] == "queued"
    assert client.delete(f"/api/runs/{first}").status_code == 409
    assert client.get(f"/api/runs/{first}/report").status_code == 409
    execute.release.set()
    assert wait_for(client, second)["status"] == "done"
    assert execute.calls == 2


def test_stopping_the_server_fails_unfinished_runs(tmp_path: Path) -> None:
    execute = FakeExecutor(hold=True)
    app = create_app(tmp_path / "runs.duckdb", execute=execute, threads=1)
    with TestClient(app) as client:
        running = client.post("/api/runs", json={"name": "running"}).json()["id"]
        waiting = client.post("/api/runs", json={"name": "waiting"}).json()["id"]
        assert wait_for(client, running, ("running",))["status"] == "running"
    execute.release.set()  # the thread finishes after the stop: its results are refused
    with RunStore(tmp_path / "runs.duckdb") as store:
        assert store.get_run(running).error == "server stopped during the run"
        assert store.get_run(waiting).error == "server stopped"
        assert {store.get_run(i).status for i in (running, waiting)} == {"failed"}


def test_app_reads_only_summary_keys_the_plan_has() -> None:
    """Every headline card of app.js names a key of the plan's summary (none removed)."""
    from gbad.plan import SUMMARY_KEYS, TRAJECTORY_KEYS

    js = (Path(__file__).parents[2] / "src/gbad/web/static/app.js").read_text(encoding="utf-8")
    kpis = js.split("const KPIS = [", 1)[1].split("];", 1)[0]
    keys = re.findall(r'^\s*\["([a-z_]+)"', kpis, re.M)
    assert keys and set(keys) <= set(SUMMARY_KEYS), set(keys) - set(SUMMARY_KEYS)
    assert keys[0] == "long_medium_target"
    trajectory = js.split("const TRAJECTORY = [", 1)[1].split("];", 1)[0]
    assert set(re.findall(r'^\s*\["([a-z_]+)"', trajectory, re.M)) <= set(TRAJECTORY_KEYS)
    for removed in ("collective_target", "collective_baseline", "coverage_of"):
        assert not re.search(rf"\b{removed}\b(?!_by_tier)", js), removed
