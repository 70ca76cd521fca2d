"""Per-ally endurance of the ESSI war comparison, against the campaign's own endurance."""

from __future__ import annotations

import dataclasses

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gbad.campaign.model import simulate_campaign
from gbad.industry.essi_war import ally_endurance, ally_endurance_censored
from tests.campaign.test_sharing import synthetic


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1), n_s=st.integers(1, 3), n_t=st.integers(2, 9))
def test_one_ally_endurance_is_the_campaigns(seed: int, n_s: int, n_t: int) -> None:
    # Authority: CampaignResult.endurance over all allies; with one ally the per-ally
    # endurance must be the same number (Poisson raids, 5 replications: the median too).
    setup = dataclasses.replace(synthetic(seed, 1, n_s, n_t), draw="poisson")
    r = simulate_campaign(setup, rng=seed, replications=5, engine="numpy")
    want = r.endurance()["nights"]
    assert ally_endurance(r) == {"A0": want}


def test_an_ally_dry_early_ends_only_its_own_endurance() -> None:
    # Two allies; the first holds no stock at all: its own endurance is night 1, the
    # other's is not shortened by it.
    base = synthetic(7, 2, 1, 6)
    stock0 = base.stock0.copy()
    stock0[0, :] = 0
    fu = base.fire_units.copy()
    fu[:, :] = 2
    setup = dataclasses.replace(
        base,
        stock0=stock0,
        fire_units=fu,
        tiers=("long",),
        deliveries=base.deliveries * 0,
    )
    r = simulate_campaign(setup, rng=0, replications=1, engine="mean-field")
    got = ally_endurance(r)
    assert got["A0"] == 1.0
    assert got["A1"] is not None and got["A1"] >= got["A0"]


def test_ally_endurance_reached_in_exactly_half_the_paths_is_censored_like_the_campaigns() -> None:
    # Two of four replications lose every fire unit on night 2: not "most" (strictly
    # more than half), so the campaign's endurance is censored at the campaign length,
    # and the per-ally one (one ally) must say the same, not night 2.
    from tests.campaign.test_stockouts import _result_with

    first = np.array([[[2, 2]], [[2, 2]], [[-1, -1]], [[-1, -1]]])  # (R, A, S)
    r = _result_with(first)
    r = dataclasses.replace(r, tiers=("long", "medium"))
    want = r.endurance()
    assert want["censored"] and want["nights"] == r.nights
    assert ally_endurance_censored(r) == {r.areas[0]: (float(r.nights), True)}
