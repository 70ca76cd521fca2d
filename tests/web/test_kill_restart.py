"""Kill ``gbad serve`` during a run; after a restart nothing stored is lost.

A real server process on a free loopback port, the real pipeline, SIGKILL (no
clean-up of any kind), then a second server on the same store file.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

import httpx

from tests.web.conftest import Server

#: A plan of three allies over three nights: seconds, not minutes.
SMALL: dict[str, Any] = {
    "countries": ["EST", "LVA", "LTU"],
    "threat": {"nights": 3},
    "campaign": {"replications": 1},
}


def wait(
    client: httpx.Client,
    run_id: int,
    until: Callable[[dict[str, Any]], bool],
    timeout_s: float = 120,  # a hang guard, not a timing test: loaded 2-core machines are slow
) -> dict[str, Any]:
    deadline = time.monotonic() + timeout_s
    while True:
        run: dict[str, Any] = client.get(f"/api/runs/{run_id}", params={"results": False}).json()
        if until(run):
            return run
        assert time.monotonic() < deadline, f"run {run_id} stuck at {run['status']}"
        time.sleep(0.05)


def finished(run: dict[str, Any]) -> bool:
    return run["status"] in ("done", "failed")


def test_killed_server_keeps_finished_runs_and_fails_the_interrupted(
    serve: Callable[..., Server],
) -> None:
    server = serve(None, None, "--threads", "1")  # one slot: the last run waits in the queue
    with server.client() as client:
        done_ids = [
            client.post(
                "/api/runs", json={**SMALL, "name": f"small {f}", "target": {"factor": f}}
            ).json()["id"]
            for f in (3, 5)
        ]
        for run_id in done_ids:
            assert wait(client, run_id, finished)["status"] == "done"
        before = {i: client.get(f"/api/runs/{i}").json() for i in done_ids}
        reports = {i: client.get(f"/api/runs/{i}/report").text for i in done_ids}
        # The default plan (all allies, 30 nights) takes seconds: kill it mid-way.
        long_id = client.post("/api/runs", json={"name": "long"}).json()["id"]
        queued_id = client.post("/api/runs", json={**SMALL, "name": "behind"}).json()["id"]
        running = wait(client, long_id, lambda r: r["status"] == "running" and r["progress"] > 0)
        assert client.get(f"/api/runs/{queued_id}").json()["status"] == "queued"
    # Meanwhile the command line cannot open the store, and says where the server is.
    cli = [sys.executable, "-c", "from gbad.cli import main; main()"]
    listing = subprocess.run(
        [*cli, "runs", "list", "--db", str(server.db)], capture_output=True, text=True, check=False
    )
    assert listing.returncode == 2
    assert f"held by gbad serve at {server.url}/" in listing.stderr
    server.kill()
    assert running["status"] == "running"

    restarted = serve(db=server.db)
    with restarted.client() as client:
        after = {i: client.get(f"/api/runs/{i}").json() for i in done_ids}
        for run_id in done_ids:
            assert after[run_id] == before[run_id]
            assert client.get(f"/api/runs/{run_id}/report").text == reports[run_id]
        for run_id in (long_id, queued_id):
            run = client.get(f"/api/runs/{run_id}").json()
            assert (run["status"], run["error"], run["results"]) == ("failed", "interrupted", None)
        listed = {r["id"]: r["status"] for r in client.get("/api/runs").json()["runs"]}
        assert listed == {
            done_ids[0]: "done",
            done_ids[1]: "done",
            long_id: "failed",
            queued_id: "failed",
        }
        # The store still takes new runs (queued behind nothing: it starts at once).
        again = client.post("/api/runs", json={**SMALL, "name": "after restart"})
        assert again.status_code == 202
        assert client.get(f"/api/runs/{again.json()['id']}").json()["status"] in (
            "queued",
            "running",
            "done",
        )
