"""The covering model of the spatial requirement against exhaustive enumeration."""

from __future__ import annotations

import itertools
from dataclasses import replace
from types import SimpleNamespace

import numpy as np
import pytest

from gbad.campaign.geometry import AssetGeometry
from gbad.requirement.covering import covering_additions
from gbad.scenario.sections import THREAT_CLASSES

CRUISE = THREAT_CLASSES.index("cruise")
#: Systems: (radius against cruise missiles [km], single-shot Pk, price [MUSD]).
SYSTEMS = [(30.0, 0.9, 10.0), (150.0, 0.8, 25.0), (30.0, 0.5, 3.0)]


def _setup(shares: list[float], missiles: float) -> SimpleNamespace:
    """One ally, assets 1 degree of longitude apart on the equator (about 111 km)."""
    m, n_c = len(shares), len(THREAT_CLASSES)
    share = np.zeros((m, n_c))
    share[:, CRUISE] = shares
    radius = np.zeros((len(SYSTEMS), n_c))
    pk = np.zeros((len(SYSTEMS), n_c))
    for j, (r, p, _) in enumerate(SYSTEMS):
        radius[j, CRUISE], pk[j, CRUISE] = r, p
    geo = AssetGeometry(
        asset_area=np.zeros(m, dtype=np.int64),
        asset_kind=np.zeros(m, dtype=np.int64),
        kinds=("city",),
        asset_share=share,
        lat=np.zeros(m),
        lon=np.arange(m, dtype=float),
        radius_km=radius,
        sites={},
        rank={0: np.arange(m, dtype=np.int64)},
    )
    means = np.zeros((1, n_c))
    means[0, CRUISE] = missiles
    exposure = np.zeros((1, n_c))
    exposure[0, CRUISE] = 1.0
    return SimpleNamespace(
        geometry=geo,
        pk=pk,
        shots=np.ones(n_c, dtype=np.int64),
        doctrine="shoot-look-shoot",
        ew_defeat=np.zeros(n_c),
        exposure=exposure,
        means=means,
        fire_units=np.zeros((1, len(SYSTEMS)), dtype=np.int64),
        areas=("AAA",),
        systems=tuple(f"s{j}" for j in range(len(SYSTEMS))),
    )


def _leakers(setup: SimpleNamespace, chosen: list[tuple[int, int]]) -> float:
    """Expected leakers with one engagement per missile by its best covering system."""
    geo = setup.geometry
    total = 0.0
    for i in range(geo.lat.size):
        d = setup.means[0, CRUISE] * geo.asset_share[i, CRUISE]
        best = 0.0
        for j, k in chosen:
            km = 111.19 * abs(float(geo.lon[i] - geo.lon[k]))
            if km <= SYSTEMS[j][0]:
                best = max(best, SYSTEMS[j][1])
        total += d * (1.0 - best)
    return total


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("allowed", [0.12, 0.2, 0.35])
def test_covering_model_equals_enumeration(seed: int, allowed: float) -> None:
    rng = np.random.default_rng(seed)
    shares = rng.dirichlet(np.ones(4)).tolist()
    setup = _setup(shares, missiles=20.0)
    budget = allowed * 20.0
    places = [(j, k) for j in range(len(SYSTEMS)) for k in range(len(shares))]
    best = np.inf
    for mask in itertools.product([0, 1], repeat=len(places)):
        chosen = [p for p, on in zip(places, mask, strict=True) if on]
        if _leakers(setup, chosen) <= budget + 1e-9:
            best = min(best, sum(SYSTEMS[j][2] for j, _ in chosen))
    res = covering_additions(
        setup,
        [list(range(len(SYSTEMS)))],
        {j: s[2] for j, s in enumerate(SYSTEMS)},
        np.ones(len(SYSTEMS)),
        budget,
    )
    chosen = [(j, k) for (_, j), ks in res.sites.items() for k in ks]
    cost = sum(SYSTEMS[j][2] for j, _ in chosen)
    # HiGHS stops at a relative gap of 1 % (MIP_GAP): the cost is the optimum within it.
    assert cost <= best * 1.01 + 1e-9
    assert cost >= best - 1e-9
    # The model's leakers are the enumeration's for the same sites, within the budget.
    assert res.leakers == pytest.approx(_leakers(setup, chosen), abs=1e-6)
    assert res.leakers <= budget + 1e-6


def test_existing_units_are_used_before_buying() -> None:
    setup = _setup([0.5, 0.5, 0.0, 0.0], missiles=10.0)
    # One unit of the 150 km system between assets 0 and 1 covers both (and 2).
    setup.geometry = replace(setup.geometry, sites={(0, 1): (np.zeros(1), np.array([0.5]))})
    setup.fire_units = np.array([[0, 1, 0]], dtype=np.int64)
    res = covering_additions(
        setup, [[0, 1, 2]], {j: s[2] for j, s in enumerate(SYSTEMS)}, np.ones(3), budget=2.5
    )
    # The existing unit leaves 10 × 0.2 = 2 leakers: nothing to buy.
    assert res.sites == {}
    assert res.leakers == pytest.approx(2.0)


def test_solves_after_another_highs_model_in_the_process() -> None:
    # The plan solves other HiGHS models first; the covering model must not change
    # options HiGHS fixes at its first solve (threads), or HiGHS refuses to run.
    from gbad._highs import new_highs

    other = new_highs()
    other.addVariable(lb=0.0, ub=1.0, obj=1.0)
    other.run()
    setup = _setup([0.25, 0.25, 0.25, 0.25], missiles=20.0)
    res = covering_additions(
        setup, [[0, 1, 2]], {j: s[2] for j, s in enumerate(SYSTEMS)}, np.ones(3), budget=4.0
    )
    assert res.status == "Optimal"
    assert res.sites
