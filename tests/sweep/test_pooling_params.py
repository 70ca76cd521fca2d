"""The sweep samples the joint-buying (pooling) assumptions itself."""

from __future__ import annotations

import math

import numpy as np
import pytest

from gbad._jsonable import dotted_get
from gbad.industry.essi import pooling_assumptions
from gbad.plan import PlanConfig, run_plan
from gbad.reference import load_reference, load_table
from gbad.scenario import parse_scenario
from gbad.sweep.fastpath import FAST_CONFIG, fast_path
from gbad.sweep.params import apply_sample, discover_params, pooling_params
from gbad.sweep.refcache import sampled_reference
from tests.plan.fixtures import SMALL


def test_every_ranged_pooling_row_is_a_parameter() -> None:
    table = load_table("pooling")
    params = {p.name: p for p in pooling_params(load_reference())}
    for r in table.to_dict("records"):
        lo, mid, hi = float(r["low"]), float(r["mid"]), float(r["high"])
        name = f"pooling.{r['effect']}"
        if lo == hi:
            assert name not in params
            continue
        p = params[name]
        # A range given as effect levels (the lag: slow = low effect) is sampled
        # between its smaller and larger value, the mid as the mode.
        assert (p.low, p.mode, p.high) == (min(lo, hi), mid, max(lo, hi))
        assert p.column == "mid" and p.row_key == r["effect"]
    assert params["pooling.pooled_slot_priority"].integer
    names = [p.name for p in discover_params(parse_scenario({}), load_reference())]
    assert set(params) <= set(names)


def test_a_sampled_pooling_value_reaches_the_comparison() -> None:
    sc = parse_scenario(SMALL)
    params = [p for p in pooling_params(load_reference()) if p.row_key == "framework_discount_pct"]
    sample = apply_sample(sc, params, [7.25])
    ref = sampled_reference(sc.overrides, params, [7.25], sample.overrides)
    assert pooling_assumptions(ref, sample).framework_discount_pct == 7.25
    # ... and equals the reference loaded with the sample's overrides.
    assert load_reference(sample.overrides).pooling.equals(ref.pooling)


@pytest.fixture(scope="module")
def mid_outputs() -> tuple[dict[str, float], dict[str, object]]:
    """The fast path with every pooling assumption sampled at its mid value, and the
    default plan of the same scenario."""
    sc = parse_scenario(SMALL)
    base = load_reference(sc.overrides)
    params = pooling_params(base)
    modes = [p.mode for p in params]
    sample = apply_sample(sc, params, modes)
    ref = sampled_reference(sc.overrides, params, modes, sample.overrides)
    out = fast_path(sample, ref, np.random.default_rng(3))
    plan = run_plan(sc, config=PlanConfig(siting=False, engine="mean-field"))
    return out, plan.summary


def test_sweep_essi_numbers_at_mid_are_the_plans(mid_outputs) -> None:  # type: ignore[no-untyped-def]
    # One name, one meaning: the sweep's ESSI outputs at the mid values are the
    # plan's summary values (the plan reuses its industry schedules and also runs the
    # comparison's campaign; neither changes cost or delivery).
    out, summary = mid_outputs
    for key in ("essi_cost_difference_musd", "essi_delivery_years.national"):
        want = dotted_get(summary, key)
        assert want is not None, key
        assert out[key] == want, key
    joint = dotted_get(summary, "essi_delivery_years.joint")
    assert (math.isnan(out["essi_delivery_years.joint"]) and joint is None) or (
        out["essi_delivery_years.joint"] == joint
    )
    assert FAST_CONFIG.essi_mode == "cost"
