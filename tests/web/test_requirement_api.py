"""``GET /api/runs/{id}/force.csv``: the required force of a run, as ``gbad requirement
--out`` writes it, against a requirement the stage itself computed."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from typing import Any

import pandas as pd
import pytest

from gbad._jsonable import to_jsonable
from gbad.plan._calibration import calibration_for
from gbad.procurement import decide_procurement
from gbad.reference import load_reference
from gbad.requirement import compute_requirement
from gbad.requirement.force_table import COUNT_COLUMNS, check_counts, counts_of_force
from gbad.scenario import Scenario, parse_scenario
from gbad.targets import compute_targets
from tests.web.conftest import TestClient, fake_plan, wait_for

MakeClient = Callable[..., TestClient]

#: Three allies and three nights: a requirement in a few seconds, with new units.
SMALL: dict[str, Any] = {"countries": ["EST", "LVA", "LTU"], "threat": {"nights": 3}}


@pytest.fixture(scope="module")
def requirement() -> Any:
    """The stage's result (what ``gbad requirement`` computes) for :data:`SMALL`."""
    scenario = parse_scenario(SMALL)
    ref = load_reference(overrides=scenario.overrides)
    targets = compute_targets(ref, scenario)
    cal = calibration_for(scenario)
    result = compute_requirement(
        ref,
        scenario,
        decide_procurement(ref, scenario, targets),
        targets=targets,
        ew_defeat=None if cal is None else cal.ew_defeat,
        mc_replications=8,
    )
    return ref, scenario, result


class PlanWith:
    """An executor whose plan carries a given ``requirement`` key (or none)."""

    def __init__(self, requirement: Any, *, key: bool = True) -> None:
        self.requirement = requirement
        self.key = key

    def __call__(
        self, scenario: Scenario, progress: Callable[[str, float], None]
    ) -> tuple[dict[str, Any], dict[str, str]]:
        plan = fake_plan(scenario)
        if self.key:
            plan["requirement"] = self.requirement
        return plan, {}


def _finished(client: TestClient) -> int:
    run_id = int(client.post("/api/runs", json={"name": "req"}).json()["id"])
    assert wait_for(client, run_id)["status"] == "done"
    return run_id


def test_force_csv_is_the_commands_force(make_client: MakeClient, requirement: Any) -> None:
    ref, scenario, result = requirement
    assert (result.force["added"] > 0).any()  # new units: not just today's force echoed
    client = make_client(execute=PlanWith(to_jsonable(result.to_dict())))
    run_id = _finished(client)
    response = client.get(f"/api/runs/{run_id}/force.csv")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert f'filename="run{run_id}-force.csv"' in response.headers["content-disposition"]
    # Byte for byte the stage's force in service, per ally and system (force_table).
    expected = counts_of_force(result.force)[list(COUNT_COLUMNS)].to_csv(index=False)
    assert response.text == expected
    assert response.text.splitlines()[0] == "iso3,system,fire_units"
    # The same rows as the file `gbad requirement --out` writes (result.counts()),
    # and read back as `gbad campaign --force` reads it, the same force.
    served = pd.read_csv(io.StringIO(response.text))
    written = pd.read_csv(io.StringIO(result.counts().to_csv(index=False)))
    key = list(COUNT_COLUMNS)
    pd.testing.assert_frame_equal(
        served.sort_values(key).reset_index(drop=True),
        written.sort_values(key).reset_index(drop=True),
    )
    allies = list(scenario.countries)
    systems = [str(s) for s in ref.systems["system"]]
    pd.testing.assert_frame_equal(
        check_counts(served, allies, systems), check_counts(written, allies, systems)
    )
    # Existing plus added: every unit the plan.json requirement lists, nothing else.
    doc = client.get(f"/api/runs/{run_id}").json()["results"]["requirement"]
    listed = sum(s["fire_units"] for c in doc["countries"] for s in c["systems"])
    assert served["fire_units"].sum() == listed == result.force["fire_units"].sum()


def test_force_csv_sums_repeated_rows_and_skips_empty_ones(make_client: MakeClient) -> None:
    doc = {
        "countries": [
            {"iso3": "POL", "systems": [{"system": "patriot", "fire_units": 2}]},
            {
                "iso3": "EST",
                "systems": [
                    {"system": "mistral", "fire_units": 3},
                    {"system": "mistral", "fire_units": 1},
                    {"system": "nasams", "fire_units": 0},
                ],
            },
        ]
    }
    client = make_client(execute=PlanWith(doc))
    text = client.get(f"/api/runs/{_finished(client)}/force.csv").text
    assert text.splitlines() == ["iso3,system,fire_units", "EST,mistral,4", "POL,patriot,2"]


@pytest.mark.parametrize("key", [True, False], ids=["requirement-null", "no-requirement-key"])
def test_force_csv_404_without_requirement(make_client: MakeClient, key: bool) -> None:
    client = make_client(execute=PlanWith(None, key=key))
    run_id = _finished(client)
    response = client.get(f"/api/runs/{run_id}/force.csv")
    assert response.status_code == 404
    assert response.json() == {"detail": f"run {run_id} has no requirement"}
    # The rest of the run is served as before.
    assert client.get(f"/api/runs/{run_id}/plan.json").status_code == 200


def test_force_csv_404_for_missing_or_unfinished_run(make_client: MakeClient) -> None:
    from tests.web.conftest import FakeExecutor

    execute = FakeExecutor(hold=True)
    client = make_client(execute=execute)
    assert client.get("/api/runs/999/force.csv").status_code == 404
    run_id = int(client.post("/api/runs", json={"name": "held"}).json()["id"])
    response = client.get(f"/api/runs/{run_id}/force.csv")
    assert response.status_code == 404
    assert "has no results" in response.json()["detail"]
    execute.release.set()
    wait_for(client, run_id)


def test_force_csv_in_openapi(make_client: MakeClient) -> None:
    paths = make_client().get("/api/openapi.json").json()["paths"]
    assert "get" in paths["/api/runs/{run_id}/force.csv"]


def test_index_loads_the_view_from_this_server(make_client: MakeClient) -> None:
    client = make_client()
    page = client.get("/").text
    scripts = re.findall(r'<script src="([^"]+)"', page)
    assert "/static/requirement.js" in scripts
    assert 'id="panel-requirement"' in page and 'data-tab="requirement"' in page
    for src in (s for s in scripts if s.startswith("/static/")):  # plotly: its own links
        response = client.get(src)
        assert response.status_code == 200, src
        assert not re.search(r"(src|href)=\"https?://|url\(https?://", response.text), src
