"""Screenshots of the browser app's main views for docs/web.md.

Starts ``gbad serve`` on a free loopback port over a temporary run store, runs
two small plans (five allies on the eastern flank, 5- and 6-fold, two milestone
years), and photographs the views with Debian's chromium through Playwright::

    .venv/bin/python tools/screenshots.py            # writes docs/img/web-*.png
    .venv/bin/python tools/screenshots.py --out DIR  # somewhere else

Needs chromium at /usr/bin/chromium (``make browser``) and about two minutes.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")

SCENARIO: dict[str, Any] = {
    "countries": ["EST", "LVA", "LTU", "POL", "FIN"],
    "threat": {"nights": 5},
    "campaign": {"replications": 1},
    "milestones": [2025, 2030, 2035],
}

#: (file name, what it shows)
VIEWS = (
    ("web-editor.png", "the scenario editor with the country picker"),
    ("web-run.png", "a finished run: the answer, headline cards, trajectory"),
    ("web-ally.png", "targets by ally and one ally in detail"),
    ("web-requirement.png", "is fivefold enough? the requirement against the x-fold target"),
    ("web-map.png", "the map of fire units by milestone year"),
    ("web-compare.png", "two runs compared, headline first"),
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve(db: Path, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "GBAD_TOKEN": ""}
    cmd = [sys.executable, "-c", "from gbad.cli import main; main()", "serve"]
    cmd += ["--port", str(port), "--db", str(db)]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/api/health", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("gbad serve did not start within 60 s")


def _run(client: httpx.Client, body: dict[str, Any]) -> int:
    run_id = int(client.post("/api/runs", json=body).json()["id"])
    while True:
        run = client.get(f"/api/runs/{run_id}", params={"results": False}).json()
        if run["status"] not in ("queued", "running"):
            if run["status"] != "done":
                raise SystemExit(f"run {run_id} ended {run['status']}: {run['error']}")
            return run_id
        time.sleep(0.5)


def shoot(out: Path) -> list[Path]:
    """Write the screenshots of :data:`VIEWS` into ``out``; return their paths."""
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    written: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp:
        proc = _serve(Path(tmp) / "runs.duckdb", port)
        try:
            with httpx.Client(base_url=url, timeout=30) as client:
                a = _run(client, {**SCENARIO, "name": "eastern flank, 5-fold"})
                b = _run(
                    client,
                    {**SCENARIO, "name": "eastern flank, 6-fold", "target": {"factor": 6}},
                )
            with sync_playwright() as p:
                browser = p.chromium.launch(
                    executable_path=str(CHROMIUM), args=["--headless", "--no-sandbox"]
                )
                page = browser.new_page(viewport={"width": 1440, "height": 1000})
                page.goto(f"{url}/#run={b}")
                page.wait_for_selector("#run-status.st-done")
                page.wait_for_selector("#chart-trajectory .main-svg")
                page.click("#load-scenario")
                page.wait_for_selector("#scenario-origin:has-text('From run')")
                page.wait_for_timeout(800)

                def save(name: str, **kwargs: Any) -> None:
                    path = out / name
                    page.screenshot(path=str(path), **kwargs)
                    written.append(path)

                save("web-editor.png", clip={"x": 0, "y": 0, "width": 560, "height": 1000})
                save("web-run.png")
                page.locator("#chart-targets").scroll_into_view_if_needed()
                page.select_option("#ally-select", "POL")
                page.wait_for_timeout(500)
                page.evaluate("document.querySelector('#targets-title').scrollIntoView()")
                save("web-ally.png")
                page.evaluate("window.scrollTo(0, 0)")
                page.click("#tab-requirement")
                page.wait_for_selector("#chart-req-tiers .main-svg")
                page.wait_for_timeout(800)
                save("web-requirement.png")
                page.click("#tab-map")
                page.wait_for_selector("#map .main-svg")
                page.wait_for_timeout(800)
                save("web-map.png")
                page.goto(f"{url}/#compare={a},{b}")
                page.wait_for_selector("#chart-compare .main-svg")
                page.wait_for_timeout(800)
                save("web-compare.png")
                browser.close()
        finally:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "img")
    args = parser.parse_args()
    if not CHROMIUM.exists():
        raise SystemExit(f"needs chromium at {CHROMIUM} (make browser)")
    for path in shoot(args.out):
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)


if __name__ == "__main__":
    main()
