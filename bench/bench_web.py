"""Web throughput: 20 runs posted at once vs one after another.

Run: ``.venv/bin/python bench/bench_web.py [--runs 20] [--workers N]``

The web app (worker processes, one slot per core by default) gets the same small
scenario (3 allies, 2 nights, 1 replication: the whole pipeline and its report in
a few seconds) ``--runs`` times: first one after another (each posted when the
previous is done, as with a single worker), then all posted at once. Prints the
wall time of each, the throughput ratio (runs per second at once / one after
another) and the scheduling overhead of a worker process.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

from gbad.web import create_app

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

SCENARIO: dict[str, Any] = {
    "name": "bench",
    "countries": ["EST", "LVA", "LTU"],
    "threat": {"nights": 2},
    "campaign": {"replications": 1},
}


def wait(client: TestClient, ids: list[int]) -> list[str]:
    """Poll until every run ends (one list request every 0.25 s); return their statuses.

    One request per poll, whatever the number of runs, so the benchmark's own
    polling does not compete with the worker processes for the cores.
    """
    wanted = set(ids)
    while True:
        runs = client.get("/api/runs", params={"limit": 10_000}).json()["runs"]
        status = {r["id"]: r["status"] for r in runs if r["id"] in wanted}
        if all(s not in ("queued", "running") for s in status.values()):
            return [status[i] for i in ids]
        time.sleep(0.25)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--workers", type=int, default=None, help="Default: one per core.")
    args = parser.parse_args()
    db = Path(tempfile.mkdtemp(prefix="gbad-bench-web-")) / "runs.duckdb"
    app = create_app(db, threads=args.workers, max_queue=max(8, args.runs))
    with TestClient(app) as client:
        slots = client.get("/api/limits").json()["workers"]
        print(f"bench_web: {args.runs} runs, {slots} worker slots, {os.cpu_count()} cores")
        warm = client.post("/api/runs", json=SCENARIO).json()["id"]  # starts the fork server
        assert wait(client, [warm]) == ["done"]

        start = time.perf_counter()
        statuses = []
        for _ in range(args.runs):
            run_id = client.post("/api/runs", json=SCENARIO).json()["id"]
            statuses += wait(client, [run_id])
        serial = time.perf_counter() - start
        assert statuses == ["done"] * args.runs, statuses

        start = time.perf_counter()
        ids = [client.post("/api/runs", json=SCENARIO).json()["id"] for _ in range(args.runs)]
        statuses = wait(client, ids)
        together = time.perf_counter() - start
        assert statuses == ["done"] * args.runs, statuses
        inner = [
            client.get(f"/api/runs/{i}", params={"results": False}).json()["timings"] for i in ids
        ]
    per_run = sum(t.get("total_s", 0.0) for t in inner) / len(inner)
    print(f"one after another: {serial:.1f} s ({serial / args.runs:.2f} s/run)")
    print(f"posted at once:    {together:.1f} s ({together / args.runs:.2f} s/run)")
    print(f"throughput ratio:  {serial / together:.2f} (target >= 1.4 on 2 cores)")
    print(f"mean run time inside its slot (at once): {per_run:.2f} s")


if __name__ == "__main__":
    main()
