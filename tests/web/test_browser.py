"""The browser UI driven in Debian's chromium through Playwright.

A real ``gbad serve`` on a free loopback port and the real pipeline; the
scenarios are cut to three allies and a few nights so each run takes seconds.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.web.conftest import Server

CHROMIUM = Path("/usr/bin/chromium")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium (make browser)"
    ),
]

SMALL: dict[str, Any] = {
    "countries": ["EST", "LVA", "LTU"],
    "threat": {"nights": 3},
    "campaign": {"replications": 1},
}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    srv = Server(tmp_path_factory.mktemp("browser") / "runs.duckdb")
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any, server: Server) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    pg = context.new_page()
    pg.set_default_timeout(30_000)
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    # Anything the page asks of another host is a failure of the offline promise.
    outside: list[str] = []
    pg.on(
        "request",
        lambda r: (
            None
            if r.url.startswith((server.url, "data:", "blob:", "about:"))
            else outside.append(r.url)
        ),
    )
    pg.goto(server.url + "/")
    pg.wait_for_selector("#validity:has-text('default scenario')")
    yield pg
    context.close()
    assert errors == [], errors
    assert outside == [], outside


def set_scenario(page: Any, changes: dict[str, Any]) -> None:
    """Edit the whole-scenario JSON box (as a user pasting a scenario would)."""
    page.evaluate("document.querySelector('details.advanced').open = true")
    doc = json.loads(page.input_value("#scenario-json"))
    for key, value in changes.items():
        if isinstance(value, dict):
            doc[key] = {**doc.get(key, {}), **value}
        else:
            doc[key] = value
    page.evaluate("document.querySelector('#validity').className = 'validity'")
    page.fill("#scenario-json", json.dumps(doc))
    page.wait_for_selector("#validity.ok")


def start_run_and_wait(page: Any, name: str) -> None:
    page.click("#start")
    page.wait_for_selector(f"#run-title:has-text('{name}')")
    page.wait_for_selector("#run-status.st-done, #run-status.st-failed", timeout=60_000)
    assert page.text_content("#run-status") == "done", page.text_content("#run-error")


def test_bad_factor_shows_message_beside_field(page: Any) -> None:
    page.fill("#f-factor", "-1")
    box = page.locator('[data-error-for="target.factor"]')
    box.wait_for(state="visible")
    assert "greater than 0" in box.text_content()
    assert "invalid" in page.get_attribute("#f-factor >> xpath=..", "class")
    assert "target.factor" in page.text_content("#validity")
    page.fill("#f-nights", "1000")  # within the model, over this server's run limit
    nights = page.locator('[data-error-for="threat.nights"]')
    nights.wait_for(state="visible")
    assert "at most 365" in nights.text_content()
    # Starting the run is refused with the same messages; nothing is queued.
    page.click("#start")
    page.wait_for_selector("#validity.bad")
    assert page.locator("#runs-table tbody tr").count() == 0
    page.fill("#f-factor", "4")
    page.fill("#f-nights", "20")
    page.wait_for_selector("#validity.ok")
    assert box.text_content() == "" and nights.text_content() == ""


def test_run_shows_progress_then_results(page: Any, server: Server, tmp_path: Path) -> None:
    set_scenario(page, {**SMALL, "name": "baltic five"})
    # Record every status the page shows while the run goes.
    page.evaluate(
        """() => { window.seen = [];
        const pill = document.querySelector('#run-status');
        new MutationObserver(() => window.seen.push(pill.textContent))
          .observe(pill, {childList: true, characterData: true, subtree: true}); }"""
    )
    start_run_and_wait(page, "baltic five")
    seen = page.evaluate("window.seen")
    assert seen[-1] == "done" and any(s in ("queued", "running") for s in seen[:-1]), seen
    assert page.get_attribute("#progress-bar", "aria-valuenow") == "100"
    with server.client() as client:
        run_id = client.get("/api/runs").json()["runs"][0]["id"]
        summary = client.get(f"/api/runs/{run_id}").json()["results"]["summary"]
    kpi = page.text_content('.kpi[data-key="long_medium_target"] .kpi-value')
    assert kpi == f"{summary['long_medium_target']:,}"
    assert page.locator("#kpis .kpi").first.get_attribute("data-key") == "long_medium_target"
    label = page.text_content('.kpi[data-key="missile_leak_share"] .kpi-label')
    assert label == f"Missile leak share, {summary['coverage_year']} force"
    years = page.eval_on_selector_all(
        "#trajectory tbody tr", "rows => rows.map(r => r.dataset.year)"
    )
    assert years == [str(row["year"]) for row in summary["trajectory"]]
    page.wait_for_selector("#chart-targets .main-svg")
    assert page.locator("#chart-targets .xtick").count() == 3  # one bar group per ally
    report = page.frame_locator("#report-frame")
    report.locator("h1").wait_for()
    assert "baltic five" in report.locator("h1").text_content()
    page.screenshot(path=str(tmp_path / "run.png"), full_page=True)


def test_compare_two_runs(page: Any, server: Server) -> None:
    # Reuse a finished run of this server if there is one (runs cost seconds each).
    with server.client() as client:
        done = [r for r in client.get("/api/runs").json()["runs"] if r["status"] == "done"]
    if not done:
        set_scenario(page, {**SMALL, "name": "baltic five"})
        start_run_and_wait(page, "baltic five")
    set_scenario(page, {**SMALL, "name": "baltic six", "target": {"factor": 6}})
    start_run_and_wait(page, "baltic six")
    page.click("#tab-history")
    rows = page.locator("#runs-table tbody tr")
    rows.first.wait_for()
    names = [rows.nth(i).locator("td").nth(2).text_content() for i in range(rows.count())]
    assert names[:2] == ["baltic six", "baltic five"]
    rows.nth(0).locator("input[type=checkbox]").check()
    rows.nth(1).locator("input[type=checkbox]").check()
    page.click("#compare-btn")
    page.wait_for_selector("#compare-view:not([hidden])")
    scenario_rows = page.locator("#compare-scenario tbody tr")
    changes = {
        scenario_rows.nth(i).locator("td").nth(0).text_content(): [
            scenario_rows.nth(i).locator("td").nth(j).text_content() for j in (1, 2)
        ]
        for i in range(scenario_rows.count())
    }
    assert changes["target.factor"] == ["5", "6"]
    assert changes["name"] == ["baltic five", "baltic six"]
    # Headline numbers come first; six times the baseline is more than five times.
    first = page.locator("#compare-results tbody tr").first
    assert first.locator("td").nth(0).text_content().startswith("summary.")
    target_row = page.locator("#compare-results tbody tr", has_text="summary.long_medium_target")
    assert target_row.locator("td").nth(3).text_content().startswith("+")
    page.wait_for_selector("#chart-compare .main-svg")
    assert re.search(r"#compare=\d+,\d+$", page.url)  # a shareable link to this comparison
    # Delete the newer run from the history (after confirming).
    page.click("#tab-history")
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("#runs-table tbody tr", has_text="baltic six").get_by_role(
        "button", name="Delete"
    ).click()
    page.locator("#runs-table tbody tr", has_text="baltic six").wait_for(state="detached")
    with server.client() as client:
        assert "baltic six" not in [r["name"] for r in client.get("/api/runs").json()["runs"]]
