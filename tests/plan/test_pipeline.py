"""The pipeline runner: stage order, plan.json keys, seeds, unavailable stages."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pytest

from gbad._jsonable import to_jsonable
from gbad.errors import GbadInputError
from gbad.plan import STAGES, SUMMARY_KEYS, run_plan, stage_seeds
from gbad.plan._stages import StageUnavailable, call_with_accepted, load_function
from gbad.scenario import Scenario

REQUIRED = {"scenario", "targets", "budget", "industry", "siting", "coverage", "campaign"}
META = {"gbad_version", "data_version", "overrides", "seed", "timings_s", "created_at"}


def test_real_plan_has_every_key_and_is_strict_json(small_plan: Any) -> None:
    plan = small_plan
    data = plan.to_dict()
    assert REQUIRED | {"meta", "summary", "sources"} <= set(data)
    assert set(data["meta"]) >= META
    assert set(SUMMARY_KEYS) <= set(data["summary"])
    for stage in STAGES:
        assert data[stage]["status"] in ("ok", "not available")
        assert data[stage]["status"] != "failed", data[stage]
        if data[stage]["status"] != "ok":
            assert data[stage]["reason"]
    # Strict JSON: no NaN/Infinity, and it round-trips unchanged.
    text = json.dumps(data, allow_nan=False)
    assert json.loads(text) == data
    assert data["scenario"]["countries"] == ["EST"]
    assert data["meta"]["countries"] == ["EST"]
    assert data["summary"]["countries"] == 1
    # The sources are the reference rows behind the plan, each with its licence.
    ids = [s["source_id"] for s in data["sources"]]
    assert ids == sorted(set(ids))
    assert all({"title", "url", "licence"} <= set(s) for s in data["sources"])


def test_real_plan_summary_comes_from_the_stages(small_plan: Any) -> None:
    data = small_plan.to_dict()
    s = data["summary"]
    if data["targets"]["status"] == "ok":
        assert s["collective_target"] == data["targets"]["collective_target"]
        assert [r["iso3"] for r in s["national_targets"]] == ["EST"]
    if data["budget"]["status"] == "ok":
        assert s["total_cost_musd"] == data["budget"]["total_cost_musd"]
    if data["coverage"]["status"] == "ok":
        assert s["coverage_fraction"] == data["coverage"]["coverage_fraction"]
    if data["campaign"]["status"] == "ok":
        assert s["campaign_nights"] == 5
        endurance = data["campaign"]["endurance"]
        assert s["campaign_endurance_nights"] == endurance["nights"]
        assert s["campaign_endurance_reached"] == endurance["reached"]
        if endurance["fire_units"] > 0:
            assert 1 <= s["campaign_endurance_nights"] <= 5
        else:  # no long- or medium-range fire units to follow
            assert s["campaign_endurance_nights"] is None
        first = s["campaign_first_stockout_nights"]
        assert first is None or 1 <= first <= 5


def test_stages_run_in_order_with_progress(fake_stages: None) -> None:
    seen: list[tuple[str, float]] = []
    run_plan(progress=lambda m, f: seen.append((m, f)))
    fractions = [f for _, f in seen]
    assert fractions == sorted(fractions)
    assert fractions[0] == 0.0
    assert seen[-1] == ("done", 1.0)
    assert len(seen) == len(STAGES) + 2  # reference, each stage, done


def test_fake_stages_flow_into_plan_and_summary(fake_stages: None) -> None:
    plan = run_plan(Scenario(threat={"nights": 40}))
    data = plan.to_dict()
    assert data["targets"]["status"] == "ok"
    assert data["targets"]["countries"][0] == {"iso3": "POL", "baseline": 10, "target": 60}
    assert data["budget"]["by_year"] == [0, 1, 2]
    assert data["siting"] == {"status": "not available", "reason": "not part of this test"}
    assert data["coverage"]["status"] == "not available"
    s = data["summary"]
    assert (s["collective_baseline"], s["collective_target"]) == (31, 155)
    assert (s["total_cost_musd"], s["funding_year"]) == (123456.5, 2031)
    assert (s["delivery_year"], s["binding_line"]) == (2034, "patriot")
    assert (s["campaign_nights"], s["campaign_endurance_nights"]) == (40, 12)
    assert s["coverage_fraction"] is None
    assert [r["iso3"] for r in s["national_targets"]] == ["POL", "DEU", "EST"]
    assert plan.result("targets").collective_target == 155
    assert data["meta"]["stages_available"] == ["targets", "budget", "industry", "campaign"]
    assert set(data["meta"]["timings_s"]) == {"reference", *STAGES}


def test_same_seed_same_plan_other_seed_other_draws(fake_stages: None) -> None:
    a = run_plan(Scenario(seed=7)).to_dict()
    b = run_plan(Scenario(seed=7)).to_dict()
    c = run_plan(Scenario(seed=8)).to_dict()
    for d in (a, b, c):
        d.pop("meta")
    assert a == b
    assert a["campaign"]["draws"] != c["campaign"]["draws"]


def test_stage_seeds_are_spawned_per_stage() -> None:
    seeds = stage_seeds(42)
    assert list(seeds) == list(STAGES)
    expected = np.random.SeedSequence(42).spawn(len(STAGES))
    for (_, got), want in zip(seeds.items(), expected, strict=True):
        assert got.generate_state(4).tolist() == want.generate_state(4).tolist()
    draws = {n: np.random.default_rng(s).random() for n, s in seeds.items()}
    assert len(set(draws.values())) == len(STAGES)


def test_bad_scenario_mapping_names_the_key() -> None:
    with pytest.raises(GbadInputError) as exc:
        run_plan({"target": {"factr": 2}})
    assert exc.value.field == "target.factr"


def test_missing_module_is_unavailable_but_inner_import_errors_propagate() -> None:
    with pytest.raises(StageUnavailable):
        load_function("gbad.no_such_stage", ("f",))
    with pytest.raises(StageUnavailable):
        load_function("gbad.errors", ("no_such_function",))
    assert load_function("gbad.errors", ("nope", "GbadInputError")).__name__ == "GbadInputError"


def test_call_with_accepted_drops_unknown_keywords() -> None:
    def f(a: int, *, rng: int = 0) -> tuple[int, int]:
        return a, rng

    assert call_with_accepted(f, 1, rng=5, industry=None) == (1, 5)


def test_to_jsonable_handles_numpy_pandas_and_non_finite() -> None:
    import pandas as pd

    value = {
        "a": np.int64(3),
        "b": np.array([1.5, np.nan]),
        "c": pd.DataFrame({"x": [1, 2]}),
        "d": float("inf"),
        "e": pd.NA,
        "f": (np.bool_(True),),
    }
    assert to_jsonable(value) == {
        "a": 3,
        "b": [1.5, None],
        "c": [{"x": 1}, {"x": 2}],
        "d": None,
        "e": None,
        "f": [True],
    }


def test_failing_stage_is_recorded_and_dependants_unavailable(
    fake_stages: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gbad.plan import _runner

    def broken(ctx: object) -> None:
        raise KeyError("iso3")

    monkeypatch.setitem(_runner.ADAPTERS, "targets", broken)
    plan = run_plan()
    data = plan.to_dict()
    assert data["targets"] == {"status": "failed", "error": "KeyError: 'iso3'"}
    assert data["budget"] == {"status": "not available", "reason": "needs targets"}
    assert plan.failed == ["targets"]
    assert data["meta"]["stages_failed"] == ["targets"]
    assert "KeyError" in (plan.stages["targets"].traceback or "")
    with pytest.raises(KeyError):
        run_plan(strict=True)


def test_input_errors_from_a_stage_propagate(
    fake_stages: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gbad.plan import _runner

    def refuses(ctx: object) -> None:
        raise GbadInputError("target.maximum", "below baseline")

    monkeypatch.setitem(_runner.ADAPTERS, "targets", refuses)
    with pytest.raises(GbadInputError) as exc:
        run_plan()
    assert exc.value.field == "target.maximum"


def _without_timings(node: Any) -> Any:
    """A plan dict without what legitimately changes between runs (times, creation date)."""
    if isinstance(node, dict):
        return {
            k: _without_timings(v)
            for k, v in node.items()
            if k not in ("meta", "solve_seconds", "seconds")
        }
    if isinstance(node, list):
        return [_without_timings(v) for v in node]
    return node


def test_real_plan_is_reproducible(small_plan: Any) -> None:
    from gbad.scenario import parse_scenario
    from tests.plan.fixtures import SMALL

    again = run_plan(parse_scenario(SMALL))
    assert _without_timings(again.to_dict()) == _without_timings(small_plan.to_dict())
    assert again.summary == small_plan.summary


def test_overrides_are_recorded_in_meta_and_report(fake_stages: None) -> None:
    from gbad.report import render_report

    override = {"systems": {"patriot": {"fire_unit_cost_musd_mid": 1500}}}
    plan = run_plan(Scenario(overrides=override))
    assert plan.to_dict()["meta"]["overrides"] == override
    html = render_report(plan)
    assert "<code>systems.patriot.fire_unit_cost_musd_mid</code></td><td>1,500</td>" in html


def test_bad_override_names_the_key_path(fake_stages: None) -> None:
    with pytest.raises(GbadInputError) as exc:
        run_plan(Scenario(overrides={"systems": {"nope": {"x": 1}}}))
    assert exc.value.field.startswith("overrides.systems.nope")
