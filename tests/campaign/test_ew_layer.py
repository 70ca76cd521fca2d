"""The electronic-warfare layer: threats defeated before any fire unit engages them."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from gbad.campaign import build_setup, simulate_campaign
from tests.campaign.conftest import mini_scenario


def test_no_layer_draws_nothing_and_changes_nothing(mini_ref: SimpleNamespace) -> None:
    sc = mini_scenario()
    plain = simulate_campaign(build_setup(mini_ref, sc), rng=3, replications=2)
    zero = simulate_campaign(
        build_setup(mini_ref, sc, ew_defeat={"drone": 0.0}), rng=3, replications=2
    )
    assert np.array_equal(plain.leakers_rep, zero.leakers_rep)
    assert np.array_equal(plain.spent_rep, zero.spent_rep)
    assert zero.ew_defeated.sum() == 0


@pytest.mark.parametrize("engine", ["numba", "mean-field"])
def test_ew_defeats_its_share_and_books_balance(mini_ref: SimpleNamespace, engine: str) -> None:
    sc = mini_scenario(replications=8)
    p = 0.4
    setup = build_setup(mini_ref, sc, ew_defeat={"drone": p})
    res = simulate_campaign(setup, rng=5, replications=8, engine=engine)
    k = res.classes.index("drone")
    launched, ew = float(res.threats[k]), float(res.ew_defeated[k])
    if engine == "mean-field":
        assert ew == pytest.approx(p * launched, abs=setup.nights * len(setup.areas))
    else:
        # Binomial thinning: ew ~ Bin(launched, p); the mean over 8 replications of
        # ~400 drones each has sd sqrt(p(1-p)*400/8) ~ 3.5; 5 sd.
        assert abs(ew - p * launched) < 5 * np.sqrt(p * (1 - p) * launched / 8)
    # every launched threat leaks, is destroyed by a fire unit or by electronic warfare
    destroyed = res.threats - res.leakers - res.ew_defeated
    assert (destroyed >= -1e-9).all()
    assert res.ew_defeated[res.classes.index("ballistic")] == 0


def test_ew_never_raises_leakers(mini_ref: SimpleNamespace) -> None:
    sc = mini_scenario(replications=1)
    sc.threat.draw = "fixed"
    base = simulate_campaign(build_setup(mini_ref, sc), rng=1, replications=1, engine="mean-field")
    with_ew = simulate_campaign(
        build_setup(mini_ref, sc, ew_defeat={"drone": 0.5, "cruise": 0.2}),
        rng=1,
        replications=1,
        engine="mean-field",
    )
    assert with_ew.leakers.sum() <= base.leakers.sum()
    assert np.array_equal(with_ew.threats, base.threats)


def test_bad_rates_name_the_field(mini_ref: SimpleNamespace) -> None:
    from gbad.errors import GbadInputError

    with pytest.raises(GbadInputError, match="not a probability"):
        build_setup(mini_ref, mini_scenario(), ew_defeat={"drone": 1.5})
    with pytest.raises(GbadInputError, match="unknown threat class"):
        build_setup(mini_ref, mini_scenario(), ew_defeat={"rocket": 0.1})
