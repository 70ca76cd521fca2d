"""Shared interceptor stocks: never more leakers with fixed raids, stocks conserved, off by default.

The property test runs the mean-field engine with fixed raids: both campaigns are
deterministic, so they differ by sharing alone and the comparison needs no
sampling tolerance. The tolerance left, 1e-9 of the threats, covers floating-point
summation order only. With Poisson raids the bound on need is an expectation,
not a bound, and sharing may lose on some paths (docs/essi.md).
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from gbad.campaign.model import simulate_campaign
from gbad.campaign.setup import CampaignSetup, build_setup
from gbad.campaign.sharing import need_bound, transfers
from gbad.scenario import parse_scenario
from gbad.scenario.sections import THREAT_CLASSES


def synthetic(seed: int, n_a: int, n_s: int, n_t: int) -> CampaignSetup:
    """A small random campaign (fixed raids, random stocks, Pk, exposure and doctrine)."""
    rng = np.random.default_rng(seed)
    n_c = len(THREAT_CLASSES)
    expo = rng.random((n_a, n_c)) * (rng.random((n_a, n_c)) < 0.7) + 1e-12
    growth = np.linspace(1.0, rng.uniform(0.5, 2.5), n_t)[:, None]
    return CampaignSetup(
        areas=tuple(f"A{i}" for i in range(n_a)),
        systems=tuple(f"s{j}" for j in range(n_s)),
        tiers=tuple(str(rng.choice(["long", "medium", "short"])) for _ in range(n_s)),
        fire_units=rng.integers(0, 3, (n_a, n_s)).astype(np.int64),
        load=rng.integers(2, 9, n_s).astype(np.int64),
        stock0=rng.integers(0, 60, (n_a, n_s)).astype(np.int64),
        deliveries=(
            rng.integers(0, 3, (n_t, n_a, n_s)) * (rng.random((n_t, n_a, n_s)) < 0.3)
        ).astype(np.int64),
        pk=np.where(rng.random((n_s, n_c)) < 0.6, rng.uniform(0.3, 0.95, (n_s, n_c)), 0.0),
        shots=rng.integers(1, 3, n_c).astype(np.int64),
        doctrine=str(rng.choice(["shoot-look-shoot", "shoot-shoot"])),
        channels=rng.integers(1, 4, n_s).astype(np.int64),
        reload_time_s=rng.uniform(0, 600, n_s),
        exposure=expo / expo.sum(axis=0),
        means=rng.uniform(0, 15, (1, n_c)) * growth,
        draw="fixed",
        interceptor_cost_musd=rng.uniform(0.01, 4, n_s),
        fire_unit_cost_musd=np.ones(n_s),
        threat_cost_musd=np.ones(n_c),
        leak_targets=np.full(n_c, 0.05),
        raid_duration_s=3600.0 * rng.uniform(1, 8),
        production_per_year=np.zeros((n_a, n_s)),
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 2**32 - 1),
    n_a=st.integers(2, 4),
    n_s=st.integers(1, 3),
    n_t=st.integers(2, 9),
    delay=st.integers(0, 3),
)
# A receiver whose better unit ran dry left threats unengaged (a rounding residue
# in the mean-field engagement); found by this test.
@example(seed=2, n_a=4, n_s=2, n_t=2, delay=0)
def test_sharing_never_increases_leakers(
    seed: int, n_a: int, n_s: int, n_t: int, delay: int
) -> None:
    setup = synthetic(seed, n_a, n_s, n_t)
    own = simulate_campaign(setup, rng=1, replications=1, engine="mean-field")
    shared = simulate_campaign(
        setup.with_sharing(setup.areas, delay),
        rng=1,
        replications=1,
        engine="mean-field",
        keep_paths=True,
    )
    tol = 1e-9 * (1.0 + float(own.threats.sum()))  # summation order only (see module docstring)
    assert float(shared.leakers.sum()) <= float(own.leakers.sum()) + tol
    # Stocks are conserved per ally and system: what is given is received.
    p = shared.paths
    given_, received = p["shared_out"][0].sum(axis=0), p["shared_in"][0].sum(axis=0)
    assert given_.sum(axis=0).tolist() == received.sum(axis=0).tolist()
    end = (
        setup.stock0 + setup.deliveries.sum(axis=0) - p["spent"][0].sum(axis=0) + received - given_
    )
    np.testing.assert_allclose(p["stock_end"][0, -1], end, atol=1e-6)


def test_a_coalition_of_one_shares_nothing() -> None:
    setup = synthetic(3, 3, 2, 6)
    own = simulate_campaign(setup, rng=1, replications=1, engine="mean-field")
    alone = simulate_campaign(
        setup.with_sharing(("A0",), 0), rng=1, replications=1, engine="mean-field"
    )
    np.testing.assert_array_equal(own.leakers_rep, alone.leakers_rep)
    np.testing.assert_array_equal(own.stock_night, alone.stock_night)


def test_donors_give_only_beyond_their_bound_by_hand() -> None:
    # Two allies, one system, two nights left. A needs 3 a night and holds 10:
    # surplus 10 - 6 = 4. B needs 5 a night and holds 2: short 8. B receives 4.
    stock = np.array([[10.0], [2.0]])
    bound = np.array([[[3.0], [5.0]], [[3.0], [5.0]]])
    given_, received = transfers(stock, np.zeros_like(bound), bound, np.array([True, True]))
    assert given_.ravel().tolist() == [4, 0]
    assert received.ravel().tolist() == [0, 4]
    # A shipment arriving before night 2 counts for A: it may give it now.
    arrivals = np.zeros_like(bound)
    arrivals[0, 0, 0] = 2.0
    given_, _ = transfers(stock, arrivals, bound, np.array([True, True]))
    assert given_.ravel().tolist() == [6, 0]
    # Outside the coalition nothing moves.
    given_, received = transfers(stock, np.zeros_like(bound), bound, np.array([True, False]))
    assert given_.sum() == received.sum() == 0


def test_need_bound_counts_shots_at_engageable_threats() -> None:
    setup = synthetic(5, 2, 2, 3)
    bound = need_bound(setup)
    assert bound.shape == (3, 2, 2)
    assert (bound[:, setup.fire_units == 0] == 0).all()


def test_sharing_is_off_by_default_and_a_scenario_option(mini_ref: SimpleNamespace) -> None:
    raid = {"preset": "custom", "raid": {"drone": 40, "cruise": 4}, "nights": 5}
    sc = parse_scenario({"threat": raid})
    assert build_setup(mini_ref, sc).share_members is None
    on = parse_scenario(
        {
            "threat": raid,
            "industry": {"coalition": ["POL", "LTU"]},
            "campaign": {"share_stocks": True, "transfer_delay_days": 3},
        }
    )
    setup = build_setup(mini_ref, on)
    assert setup.share_members is not None
    assert dict(zip(setup.areas, setup.share_members.tolist(), strict=True)) == {
        "POL": True,
        "LTU": True,
        "DEU": False,
    }
    assert setup.transfer_delay_nights == 3
