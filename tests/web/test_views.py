"""Server-side views of the browser UI: allies, compact compare, map, downloads,
queue position and the progress of the report step."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from gbad.reference import load_reference
from gbad.web import views
from gbad.web.worker import PIPELINE_SHARE, _ReportTicker
from tests.web.conftest import FakeExecutor, TestClient, wait_for

MakeClient = Callable[..., TestClient]


def test_allies_grouped_by_front_line_and_essi(make_client: MakeClient) -> None:
    body = make_client().get("/api/allies").json()
    groups = body["groups"]
    front = set(groups["Front line (borders Russia, Belarus or Ukraine)"])
    # Neighbours of Russia, Belarus or Ukraine on any map of Europe ...
    assert {"EST", "LVA", "LTU", "FIN", "NOR", "POL", "SVK", "HUN", "ROU"} <= front
    # ... and not Iceland or Sweden, which the clipped outline of Russia would touch.
    assert not front & {"ISL", "SWE", "DEU", "FRA", "GBR"}
    countries = load_reference().countries
    members = set(countries.loc[countries["essi_member"].astype(bool), "iso3"])
    european = set(countries.loc[countries["european"].astype(bool), "iso3"])
    assert set(groups["ESSI members"]) == members & european
    assert set(groups["All European allies"]) == european and len(european) == 30
    assert {r["iso3"] for r in body["allies"]} == set(countries["iso3"])


@dataclass
class _Run:
    id: int
    name: str
    status: str
    scenario: dict[str, Any]
    results: dict[str, Any] | None


def _plan(target: int, funding_year: int, capex: float) -> dict[str, Any]:
    return {
        "summary": {
            "long_medium_target": target,
            "funding_year": funding_year,
            "coverage_fraction": 0.5,
            "national_targets": [
                {"iso3": "EST", "name": "Estonia", "tiers": {"medium": {"target": target}}}
            ],
            "trajectory": [{"year": 2025, "long_medium_fire_units": 2}],
        },
        "budget": {"countries": [{"iso3": "EST", "capex_musd": capex, "funded_year": 2030}]},
        "coverage": {f"x{i}": float(i + target) for i in range(5)},
    }


def test_compact_compare_years_in_years_and_rows_cut() -> None:
    a = _Run(1, "a", "done", {"name": "a"}, _plan(10, 2035, 100.0))
    b = _Run(2, "b", "done", {"name": "b"}, _plan(12, 2038, 150.0))
    out = views.compact_compare(a, b, limit=2)
    head = {h["key"]: h for h in out["headline"]}
    assert out["headline"][0]["key"] == "long_medium_target"
    assert head["long_medium_target"]["delta"] == 2
    assert head["long_medium_target"]["rel"] == 0.2
    # A year moves by years: 2035 → 2038 is +3, with no relative change.
    assert head["funding_year"]["delta"] == 3 and head["funding_year"]["rel"] is None
    assert head["funding_year"]["kind"] == "year"
    assert head["coverage_fraction"]["delta"] == 0
    (est,) = out["allies"]
    changes = {c["key"]: c for c in est["changes"]}
    assert changes["target.medium"]["delta"] == 2
    assert changes["budget.capex_musd"]["delta"] == 50.0
    assert "budget.funded_year" not in changes  # unchanged
    # Five coverage leaves, two summary numbers and the ally's cost moved; two are shown.
    assert out["other"]["total"] == 8 and out["other"]["shown"] == 2
    assert out["other"]["truncated"] is True
    assert out["scenario"] == [{"path": "name", "a": "a", "b": "b"}]
    same = views.compact_compare(a, a)
    assert same["identical"] is True and same["other"]["truncated"] is False


def test_compare_endpoint_and_downloads(make_client: MakeClient) -> None:
    client = make_client()
    ids = []
    for factor in (5, 6):
        ids.append(client.post("/api/runs", json={"target": {"factor": factor}}).json()["id"])
    for run_id in ids:
        assert wait_for(client, run_id)["status"] == "done"
    full = client.get(f"/api/runs/{ids[0]}/diff/{ids[1]}")
    compact = client.get("/api/compare", params={"a": ids[0], "b": ids[1]})
    assert compact.status_code == 200
    head = {h["key"]: h for h in compact.json()["headline"]}
    assert head["long_medium_target"]["a"] == 90 and head["long_medium_target"]["b"] == 108
    assert len(compact.content) < len(full.content) + 2000
    assert client.get("/api/compare", params={"a": ids[0], "b": 999}).status_code == 404
    assert client.get("/api/compare", params={"a": ids[0]}).status_code == 422
    plan = client.get(f"/api/runs/{ids[0]}/plan.json")
    assert "attachment" in plan.headers["content-disposition"]
    assert json.loads(plan.text)["summary"]["long_medium_target"] == 90
    report = client.get(f"/api/runs/{ids[0]}/report", params={"download": 1})
    assert 'filename="run' in report.headers["content-disposition"]
    inline = client.get(f"/api/runs/{ids[0]}/report")
    assert "content-disposition" not in inline.headers


def test_queue_position(make_client: MakeClient) -> None:
    execute = FakeExecutor(hold=True)
    client = make_client(execute=execute, threads=1)
    ids = [client.post("/api/runs", json={}).json()["id"] for _ in range(3)]
    assert wait_for(client, ids[0], ("running",))["status"] == "running"
    runs = [client.get(f"/api/runs/{i}", params={"results": False}).json() for i in ids]
    assert [r["queue_position"] for r in runs] == [None, 1, 2]
    assert runs[0]["queue_length"] == 2
    execute.release.set()
    assert wait_for(client, ids[2])["queue_position"] is None


def test_report_ticker_moves_and_never_reaches_the_end() -> None:
    seen: list[tuple[str, float]] = []
    lock = threading.Lock()

    def progress(message: str, fraction: float) -> None:
        with lock:
            seen.append((message, fraction))

    with _ReportTicker(progress, expected_s=0.5):
        threading.Event().wait(1.2)
    fractions = [f for _, f in seen]
    assert len(seen) >= 2 and all(m.startswith("writing the report") for m, _ in seen)
    assert fractions == sorted(fractions) and fractions[-1] > fractions[0]
    assert fractions[0] >= PIPELINE_SHARE and fractions[-1] < 0.99


def test_map_layers_units_stand_from_their_delivery() -> None:
    ref = load_reference()
    inv = ref.inventory
    row = inv[(inv["iso3"] == "EST") & (inv["status"] == "in service")].iloc[0]
    system = str(row["system"])
    plan = {
        "scenario": {"countries": ["EST"]},
        "summary": {"milestone_years": [2025, 2030]},
        "force": [
            {"year": 2025, "iso3": "EST", "system": system, "fire_units": 50, "delivered": 0},
            {"year": 2030, "iso3": "EST", "system": system, "fire_units": 52, "delivered": 1},
        ],
        "siting": {
            "new_units": [
                {"iso3": "EST", "system": system, "tier": "x", "lat": 59.0, "lon": 25.0,
                 "site_id": "s1", "sequence": 1},
                {"iso3": "EST", "system": system, "tier": "x", "lat": 58.0, "lon": 26.0,
                 "site_id": "s2", "sequence": 2},
            ]
        },
    }  # fmt: skip
    plan["coverage"] = {
        "radii": [
            {"system": system, "threat_class": "cruise", "effective_radius_km": 40.0},
            {"system": system, "threat_class": "ballistic", "effective_radius_km": 0.0},
        ]
    }
    plan["milestones"] = [{"year": 2030, "coverage_by_class": {"cruise": 0.5}}]
    out = views.map_layers(plan)
    # A class the system cannot engage (radius 0) has no circle.
    assert out["radii"] == {system: {"cruise": 40.0}}
    assert out["coverage_by_class"] == {"2030": {"cruise": 0.5}}
    new = [u for u in out["units"] if u["origin"] == "new"]
    assert [u["years"] for u in new] == [[2030], []]
    today = [u for u in out["units"] if u["origin"] == "today" and u["system"] == system]
    assert today and all(u["years"] == [2025, 2030] for u in today)
    assert out["years"] == [2025, 2030]
    assert out["assets"] and {a["iso3"] for a in out["assets"]} == {"EST"}


def test_borders_outline_is_lines(make_client: MakeClient) -> None:
    body = make_client().get("/api/map/borders").json()
    assert len(body["lon"]) == len(body["lat"]) > 1000
    assert None in body["lon"]
