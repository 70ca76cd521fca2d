"""The cost-exchange ratio prices every round the campaign fires, on the embedded data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from gbad.campaign import build_setup, simulate_campaign
from gbad.campaign.ew import ew_systems
from gbad.reference import Reference, load_reference, load_table
from gbad.scenario import parse_scenario


@pytest.fixture(scope="module")
def ref() -> Reference:
    return load_reference()


@pytest.mark.parametrize("year", [2025, 2035])
def test_every_system_the_campaign_uses_has_a_price_and_fills_are_listed(
    ref: Reference, year: int
) -> None:
    setup = build_setup(ref, parse_scenario({}), nights=2, year=year)
    # electronic warfare is the layer, never a priced "interceptor"
    assert not set(setup.systems) & ew_systems(ref)
    cost = pd.Series(setup.interceptor_cost_musd, index=list(setup.systems))
    assert (cost > 0).all(), list(cost[cost <= 0].index)
    assert np.isfinite(cost).all()
    # the price is the systems table's (a gun burst, an interceptor drone, a laser
    # shot, a missile); where the stored table has none, the imputation lists the fill
    filled = ref.systems.set_index("system").loc[list(setup.systems), "interceptor_cost_musd_mid"]
    assert cost.to_numpy() == pytest.approx(filled.to_numpy())
    stored = load_table("systems").set_index("system")["interceptor_cost_musd_mid"]
    listed = set(
        ref.imputed.loc[ref.imputed["column"] == "interceptor_cost_musd_mid", "key"].astype(str)
    )
    missing = {s for s in setup.systems if pd.isna(stored.get(s, np.nan))}
    assert missing <= listed


def test_cost_exchange_ratio_counts_every_round_fired_at_its_price(ref: Reference) -> None:
    sc = parse_scenario({"threat": {"nights": 3}, "campaign": {"replications": 1}})
    setup = build_setup(ref, sc, nights=3)
    res = simulate_campaign(setup, rng=4, replications=1, engine="mean-field")
    spent = np.asarray(res.spent, dtype=float)
    assert spent.sum() > 0
    # every system that fired has a positive price: no round is counted free
    fired = spent > 0
    assert (np.asarray(res.interceptor_cost_musd)[fired] > 0).all()
    # the ratio's numerator is exactly the rounds fired times their prices
    assert res.interceptors_spent_musd == pytest.approx(float(spent @ setup.interceptor_cost_musd))
    value = float(
        (res.threats - res.leakers - res.ew_defeated) @ np.asarray(setup.threat_cost_musd)
    )
    assert res.cost_exchange_ratio == pytest.approx(res.interceptors_spent_musd / value)
    # cheap effectors fire and are priced at their rounds, not at a missile's
    by_system = dict(zip(setup.systems, spent, strict=True))
    effector = ref.effectors.set_index("system")["effector"]
    cheap = [s for s, n in by_system.items() if n > 0 and effector.get(s) != "missile"]
    assert cheap, "no gun, interceptor drone or laser fired"
