"""The fast path reads its numbers from the real stages."""

from __future__ import annotations

import math

import numpy as np
import pytest

from gbad.reference import load_reference
from gbad.scenario import Scenario
from gbad.sweep.fastpath import FAST_OUTPUTS, fast_path


@pytest.fixture(scope="module")
def outputs() -> dict[str, float]:
    return fast_path(Scenario(), load_reference(), np.random.default_rng(1))


def test_fast_path_gives_every_headline_output(outputs: dict[str, float]) -> None:
    assert set(FAST_OUTPUTS) <= set(outputs)
    assert outputs["total_cost_musd"] > 0
    assert 0 <= outputs["leak_fraction"] <= 1
    assert 1 <= outputs["campaign_endurance_nights"] <= Scenario().threat.nights
    for key in ("funding_year", "delivery_year", "production_only_year"):
        value = outputs[key]
        assert math.isnan(value) or 2025 <= value <= 2100, key
    years = sorted(int(k.split("@")[1]) for k in outputs if k.startswith("gbad_budget_musd@"))
    assert years == list(range(2025, 2036))
    delivered = [outputs[f"fire_units_delivered@{y}"] for y in years]
    assert delivered == sorted(delivered)  # cumulative


def test_fast_path_numbers_are_the_stages_numbers(outputs: dict[str, float]) -> None:
    from gbad.budget import compute_budget
    from gbad.targets import compute_targets

    sc, ref = Scenario(), load_reference()
    budget = compute_budget(ref, sc, compute_targets(ref, sc))
    assert outputs["total_cost_musd"] == budget.total_cost_musd
    funded = budget.countries["funded_year"].to_numpy(dtype=float)
    expected = float(funded.max()) if np.isfinite(funded).all() else math.nan
    assert outputs["funding_year"] == expected or (
        math.isnan(expected) and math.isnan(outputs["funding_year"])
    )
    spend_2030 = float(budget.paths.query("year == 2030")["gbad_budget_musd"].sum())
    assert outputs["gbad_budget_musd@2030"] == pytest.approx(spend_2030, rel=1e-12)


def test_full_path_reads_the_plan_summary(outputs: dict[str, float]) -> None:
    from gbad.sweep.fastpath import FULL_OUTPUTS, full_path

    full = full_path(Scenario(), load_reference(), np.random.default_rng(2))
    assert set(full) == set(FULL_OUTPUTS)
    # Costs do not depend on the seed, so both paths give the budget stage's number.
    assert full["total_cost_musd"] == pytest.approx(outputs["total_cost_musd"], rel=1e-9)
    assert 0 <= full["coverage_fraction"] <= 1
    assert full["collective_target"] > 0
