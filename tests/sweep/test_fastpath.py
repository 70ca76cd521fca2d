"""The sweep runs the plan's own pipeline: its numbers are the plan's numbers."""

from __future__ import annotations

import math

import numpy as np
import pytest

from gbad._jsonable import dotted_get
from gbad.plan import SUMMARY_KEYS, run_plan
from gbad.reference import load_reference
from gbad.scenario import Scenario
from gbad.sweep.fastpath import FAST_CONFIG, FAST_OUTPUTS, FULL_OUTPUTS, fast_path

SCENARIO = Scenario(countries=["POL", "LTU", "DEU", "EST"], threat={"nights": 10})


@pytest.fixture(scope="module")
def ref():  # type: ignore[no-untyped-def]
    return load_reference()


@pytest.fixture(scope="module")
def outputs(ref) -> dict[str, float]:  # type: ignore[no-untyped-def]
    return fast_path(SCENARIO, ref, np.random.default_rng(1))


def _same(a: float, b: object) -> bool:
    if b is None:
        return math.isnan(a)
    return a == b


def test_outputs_are_summary_keys() -> None:
    # One name, one meaning: every headline output of a sweep is a plan summary key
    # (a dotted output is one entry of that key's mapping).
    assert {k.split(".")[0] for k in FULL_OUTPUTS} <= set(SUMMARY_KEYS)
    assert set(FAST_OUTPUTS) <= set(FULL_OUTPUTS)


def test_fast_path_equals_the_plan_with_the_same_seed_and_config(outputs, ref) -> None:  # type: ignore[no-untyped-def]
    # The sweep draws the plan seed from the sample's generator; the same seed and
    # configuration through run_plan give every shared output exactly.
    seed = int(np.random.default_rng(1).integers(0, 2**63 - 1))
    plan = run_plan(SCENARIO.model_copy(update={"seed": seed}), ref=ref, config=FAST_CONFIG)
    for key in FAST_OUTPUTS:
        assert _same(outputs[key], dotted_get(plan.summary, key)), key
    for row in plan.milestones:
        assert _same(outputs[f"missile_leak_share@{row['year']}"], row["missile_leak_share"])
    spend = float(plan.result("budget").paths.query("year == 2030")["gbad_budget_musd"].sum())
    assert outputs["gbad_budget_musd@2030"] == pytest.approx(spend, rel=1e-12)


def test_fast_path_and_full_plan_agree_where_the_config_does_not_matter(outputs, ref) -> None:  # type: ignore[no-untyped-def]
    # Costs, funding and delivery do not depend on siting, the campaign engine or the
    # comparisons switched off in the fast path: the default plan gives the same values.
    plan = run_plan(SCENARIO, ref=ref)
    for key in ("total_cost_musd", "funding_year", "last_funded_year", "delivery_year"):
        assert _same(outputs[key], plan.summary[key]), key
    # The joint-against-national cost and delivery: the fast path's comparison (cost
    # and delivery only, its own two schedules) is the full plan's (which reuses the
    # industry stage's): one name, one meaning.
    for key in FAST_OUTPUTS:
        if key.startswith("essi_"):
            assert _same(outputs[key], dotted_get(plan.summary, key)), key
    assert not math.isnan(outputs["essi_cost_difference_musd"])
    assert plan.summary["coverage_fraction"] is not None
    assert FAST_CONFIG.engine == "mean-field" and plan.meta["config"]["engine"] == "numba"


def test_fast_path_series(outputs: dict[str, float]) -> None:
    years = sorted(int(k.split("@")[1]) for k in outputs if k.startswith("gbad_budget_musd@"))
    assert years == list(range(2025, 2036))
    delivered = [outputs[f"fire_units_delivered@{y}"] for y in years]
    assert delivered == sorted(delivered)  # cumulative
    assert 0 <= outputs["leak_fraction"] <= 1
    assert 1 <= outputs["campaign_endurance_nights"] <= SCENARIO.threat.nights
