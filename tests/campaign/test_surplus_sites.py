"""Where fire units beyond the placed ones stand (AssetGeometry.surplus_sites)."""

from __future__ import annotations

import numpy as np

from gbad.campaign.geometry import AssetGeometry
from gbad.coverage.geodesy import pairwise_haversine_km
from gbad.scenario.sections import THREAT_CLASSES

CRUISE = THREAT_CLASSES.index("cruise")


def _geometry(shares: list[float], placed: int | None) -> AssetGeometry:
    """One ally, assets 1 degree of longitude apart on the equator (about 111 km),
    one system covering 30 km against cruise missiles, optionally one unit placed
    at asset ``placed``."""
    m = len(shares)
    share = np.zeros((m, len(THREAT_CLASSES)))
    share[:, CRUISE] = shares
    radius = np.zeros((1, len(THREAT_CLASSES)))
    radius[0, CRUISE] = 30.0
    lon = np.arange(m, dtype=float)
    sites = {}
    if placed is not None:
        sites[(0, 0)] = (np.array([0.0]), np.array([float(placed)]))
    return AssetGeometry(
        asset_area=np.zeros(m, dtype=np.int64),
        asset_kind=np.zeros(m, dtype=np.int64),
        kinds=("city",),
        asset_share=share,
        lat=np.zeros(m),
        lon=lon,
        radius_km=radius,
        sites=sites,
        rank={0: np.arange(m, dtype=np.int64)},
    )


def test_surplus_units_cover_uncovered_assets_by_raid_share_then_stack() -> None:
    assert pairwise_haversine_km(np.zeros(1), np.zeros(1), np.zeros(1), np.ones(1))[0, 0] > 60
    geo = _geometry([0.5, 0.1, 0.3, 0.0, 0.1], placed=0)
    # Asset 0 is covered by the placed unit: the next ones cover 2, then 1 and 4
    # (equal shares: placement rank decides), then stack where share / (1 + units)
    # is largest: 0.5/2, 0.5/3 (above 0.3/2), then 0.3/2 (above 0.5/4).
    np.testing.assert_array_equal(geo.surplus_sites(0, 0, 6), [2, 1, 4, 0, 0, 2])
    # Each choice keeps the earlier ones (a unit more never moves the others).
    np.testing.assert_array_equal(geo.surplus_sites(0, 0, 2), [2, 1])


def test_units_never_stack_while_a_raided_asset_is_uncovered() -> None:
    # Before the rule, added units cycled through the placed sites: here all on 0.
    geo = _geometry([0.9, 0.05, 0.05], placed=0)
    ready = np.array([[3]], dtype=np.int64)
    _, _, counts, _, lon = geo.unit_groups(ready)
    assert sorted(lon.tolist()) == [0.0, 1.0, 2.0]
    assert counts.tolist() == [1, 1, 1]


def test_the_choice_is_the_same_in_the_allys_own_campaign() -> None:
    geo = _geometry([0.4, 0.1, 0.3, 0.2], placed=None)
    own = geo.for_area(0, np.full(len(THREAT_CLASSES), 0.25))
    np.testing.assert_array_equal(own.surplus_sites(0, 0, 6), geo.surplus_sites(0, 0, 6))


def test_no_raid_the_system_engages_means_rank_order() -> None:
    geo = _geometry([0.0, 0.0, 0.0], placed=None)
    np.testing.assert_array_equal(geo.surplus_sites(0, 0, 4), [0, 1, 2, 0])
