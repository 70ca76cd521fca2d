"""The pipeline runner: stage order, plan.json keys, seeds, typed direct calls."""

from __future__ import annotations

import inspect
import json
from typing import Any

import numpy as np
import pytest

from gbad._jsonable import to_jsonable
from gbad.errors import GbadInputError
from gbad.plan import PLAN_KEYS, STAGES, SUMMARY_KEYS, PlanConfig, run_plan, stage_seeds
from gbad.scenario import Scenario, parse_scenario
from tests.plan.fixtures import SMALL

META = {"gbad_version", "data_version", "overrides", "seed", "timings_s", "created_at"}


def test_real_plan_has_every_key_and_is_strict_json(small_plan: Any) -> None:
    data = small_plan.to_dict()
    assert set(data) == set(STAGES) | set(PLAN_KEYS)
    assert set(data["meta"]) >= META
    assert list(data["summary"]) == list(SUMMARY_KEYS)
    for stage in STAGES:
        if stage in ("procurement", "force"):
            assert isinstance(data[stage], list)  # the contract's rows
        else:
            assert data[stage]["status"] == "ok", stage
    # Strict JSON: no NaN/Infinity, and it round-trips unchanged.
    text = json.dumps(data, allow_nan=False)
    assert json.loads(text) == data
    assert data["scenario"]["countries"] == ["EST", "LVA"]
    assert data["meta"]["countries"] == ["EST", "LVA"]
    assert data["summary"]["countries"] == 2
    # The sources are the reference rows behind the plan, each with its licence.
    ids = [s["source_id"] for s in data["sources"]]
    assert ids == sorted(set(ids))
    assert all({"title", "url", "licence"} <= set(s) for s in data["sources"])


def test_summary_values_come_from_one_place_each(small_plan: Any) -> None:
    data = small_plan.to_dict()
    s = data["summary"]
    tiers = data["targets"]["tiers"]
    assert s["long_medium_target"] == sum(tiers[t]["collective_target"] for t in ("long", "medium"))
    assert "collective_target" not in s  # never summed over tiers
    assert [r["iso3"] for r in s["national_targets"]] == ["EST", "LVA"]
    assert s["total_cost_musd"] == data["budget"]["total_cost_musd"]
    assert s["coverage_fraction"] == data["coverage"]["coverage_fraction"]
    assert s["coverage_year"] == data["coverage"]["year"] == data["campaign"]["year"]
    assert s["missile_leak_share"] == data["campaign"]["missile_leak_share"]
    assert s["missile_leak_share"] == data["milestones"][-1]["missile_leak_share"]
    assert s["campaign_nights"] == 5
    endurance = data["campaign"]["endurance"]
    assert s["campaign_endurance_nights"] == endurance["nights"]
    assert s["campaign_endurance_reached"] == endurance["reached"]
    assert s["imputed_values"] == len(data["imputed"])
    assert s["trajectory"] == [{k: m[k] for k in s["trajectory"][0]} for m in data["milestones"]]


def test_progress_runs_in_order_to_one(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[tuple[str, float]] = []
    run_plan(
        parse_scenario({**SMALL, "milestones": [2025, 2035]}),
        progress=lambda m, f: seen.append((m, f)),
        config=PlanConfig(siting=False, least_cost=False, what_if=False),
    )
    fractions = [f for _, f in seen]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    names = [m for m, _ in seen]
    assert names.index("National targets") < names.index("Procurement") < names.index("Budgets")
    assert "Campaign and stockpiles 2025" in names and "Campaign and stockpiles 2035" in names


def test_stage_seeds_are_spawned_per_stage() -> None:
    seeds = stage_seeds(42)
    assert list(seeds) == list(STAGES)
    expected = np.random.SeedSequence(42).spawn(len(STAGES))
    for (_, got), want in zip(seeds.items(), expected, strict=True):
        assert got.generate_state(4).tolist() == want.generate_state(4).tolist()


def test_same_seed_same_plan_other_seed_other_draws() -> None:
    cfg = PlanConfig(siting=False, least_cost=False, what_if=False, replications=2)
    sc = parse_scenario({**SMALL, "milestones": [2025]})
    a = run_plan(sc, config=cfg).to_dict()
    b = run_plan(sc, config=cfg).to_dict()
    c = run_plan(sc.model_copy(update={"seed": 8}), config=cfg).to_dict()
    for d in (a, b, c):
        d.pop("meta")
    assert a == b
    assert a["campaign"]["threats"] != c["campaign"]["threats"]


def test_bad_scenario_mapping_names_the_key() -> None:
    with pytest.raises(GbadInputError) as exc:
        run_plan({"target": {"factr": 2}})
    assert exc.value.field == "target.factr"


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


def test_a_stage_error_propagates(monkeypatch: pytest.MonkeyPatch) -> None:
    from gbad.plan import _runner

    def refuses(*args: object, **kwargs: object) -> None:
        raise GbadInputError("target.maximum", "below baseline")

    monkeypatch.setattr(_runner, "compute_targets", refuses)
    with pytest.raises(GbadInputError) as exc:
        run_plan()
    assert exc.value.field == "target.maximum"


def test_a_renamed_stage_argument_breaks_the_plan_not_silently(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The plan calls each stage directly with its keyword arguments; a stage whose
    # ``industry=`` argument were renamed raises instead of losing production refill.
    from gbad.plan import _runner

    real = _runner.run_campaign

    def renamed(ref: Any, scenario: Any, *, production: Any = None, **kw: Any) -> Any:
        return real(ref, scenario, industry=production, **kw)

    monkeypatch.setattr(_runner, "run_campaign", renamed)
    with pytest.raises(TypeError, match="industry"):
        run_plan(parse_scenario(SMALL), config=PlanConfig(siting=False))
    # and the plan module holds no lookup by name nor keyword filtering
    source = inspect.getsource(_runner)
    assert "importlib" not in source and "signature(" not in source


def test_refill_reaches_the_campaign() -> None:
    # With no resupply delay, the line output left after first loads arrives during
    # the campaign; with a delay as long as the campaign, none does.
    cfg = PlanConfig(siting=False, least_cost=False, what_if=False, engine="mean-field")
    doc = {**SMALL, "countries": ["POL", "DEU"], "milestones": [2030], "threat": {"nights": 20}}
    fast = run_plan(parse_scenario({**doc, "campaign": {"resupply_delay_days": 0}}), config=cfg)
    late = run_plan(parse_scenario({**doc, "campaign": {"resupply_delay_days": 20}}), config=cfg)
    assert fast.summary["campaign_interceptors_produced"] > 0
    assert late.summary["campaign_interceptors_produced"] == 0


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
    again = run_plan(parse_scenario(SMALL))
    assert _without_timings(again.to_dict()) == _without_timings(small_plan.to_dict())
    assert again.summary == small_plan.summary


def test_overrides_are_recorded_in_meta() -> None:
    override = {"systems": {"patriot": {"fire_unit_cost_musd_mid": 1500}}}
    cfg = PlanConfig(siting=False, least_cost=False, what_if=False, engine="mean-field")
    plan = run_plan(Scenario(countries=["EST"], overrides=override), config=cfg)
    assert plan.to_dict()["meta"]["overrides"] == override


def test_bad_override_names_the_key_path() -> None:
    with pytest.raises(GbadInputError) as exc:
        run_plan(Scenario(overrides={"systems": {"nope": {"x": 1}}}))
    assert exc.value.field.startswith("overrides.systems.nope")


def test_config_is_checked() -> None:
    with pytest.raises(ValueError, match="engine"):
        PlanConfig(engine="fast")
    with pytest.raises(ValueError, match="replications"):
        PlanConfig(replications=0)
    with pytest.raises(ValueError, match="essi"):
        PlanConfig(essi="some")
    assert PlanConfig().essi_mode == "full"
    assert PlanConfig(what_if=False).essi_mode == "off"
    assert PlanConfig(what_if=False, essi="cost").essi_mode == "cost"


def test_calibration_forms_the_ew_layer_and_is_stated(small_plan: Any) -> None:
    data = small_plan.to_dict()
    cal = data["calibration"]
    assert cal["source"] == "default" and "electronic warfare" in cal["assumption"]
    assert 0 < cal["ew_defeat"]["drone"] < 1
    assert cal["ew_defeat"]["drone"] == cal["rates"]["drone"]["ew"][1]
    assert set(cal["reported_leak"]) >= {"drone", "cruise"}
    last = data["milestones"][-1]
    assert cal["plan_leak"]["drone"][str(last["year"])] == pytest.approx(
        last["leakers"]["drone"] / last["threats"]["drone"]
    )
    assert data["campaign"]["ew_defeated"]["drone"] > 0


def test_no_calibration_no_ew_layer() -> None:
    cfg = PlanConfig(siting=False, least_cost=False, what_if=False, engine="mean-field")
    doc = {**SMALL, "milestones": [2025], "threat": {"nights": 5, "draw": "fixed"}}
    off = run_plan(parse_scenario({**doc, "engagement": {"calibration": None}}), config=cfg)
    on = run_plan(parse_scenario(doc), config=cfg)
    assert off.to_dict()["calibration"] is None
    assert sum(off.to_dict()["campaign"]["ew_defeated"].values()) == 0
    assert on.summary["campaign_leakers"] <= off.summary["campaign_leakers"]


def test_a_calibration_file_that_is_not_a_model_names_the_field(tmp_path: Any) -> None:
    bad = tmp_path / "model.json"
    bad.write_text("{}")
    with pytest.raises(GbadInputError) as exc:
        run_plan(parse_scenario({**SMALL, "engagement": {"calibration": str(bad)}}))
    assert exc.value.field == "engagement.calibration"


def test_ew_factor_knob_matches_the_calibration_spread() -> None:
    # The sweep's default knob on engagement.ew_factor is the drone rate's 10th and
    # 90th percentiles over its mid in the embedded model (rounded to 0.01).
    from gbad.engage.campaign_rates import campaign_defeat_rates
    from gbad.sweep.params import DEFAULT_KNOBS

    low, mid, high = campaign_defeat_rates()["drone"].ew
    knob = DEFAULT_KNOBS["engagement.ew_factor"]
    assert knob[0] == pytest.approx(low / mid, abs=0.01)
    assert knob[2] == pytest.approx(high / mid, abs=0.01)
    from gbad.plan._calibration import calibration_for

    doubled = calibration_for(Scenario(engagement={"ew_factor": 2.0}))
    base = calibration_for(Scenario())
    assert doubled is not None and base is not None
    assert doubled.ew_defeat["drone"] == pytest.approx(min(1.0, 2 * base.ew_defeat["drone"]))
