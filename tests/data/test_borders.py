"""Border polygons and the point-in-country helpers."""

from __future__ import annotations

import numpy as np
import pytest

from gbad.reference import country_of, load_borders, load_table, points_in_country


def test_borders_cover_every_ally_and_are_small() -> None:
    fc = load_borders()
    assert fc["type"] == "FeatureCollection"
    codes = {f["properties"]["iso3"] for f in fc["features"]}
    allies = set(load_table("countries").query("european")["iso3"])
    assert allies <= codes
    assert {"RUS", "BLR", "UKR"} <= codes
    for f in fc["features"]:
        assert f["geometry"]["type"] in ("Polygon", "MultiPolygon")
        assert set(f["properties"]) == {"iso3", "name"}


def test_capitals_lie_in_their_country() -> None:
    """Inland capitals fall inside their 1:50m polygon; coastal ones may sit a few
    hundred metres offshore at that resolution, so only inland ones are asserted."""
    c = load_table("countries").query("european")
    got = country_of(c["capital_lat"].to_numpy(), c["capital_lon"].to_numpy())
    coastal = {"DNK", "PRT", "SWE"}  # Copenhagen, Lisbon, Stockholm on the 1:50m coast
    for iso3, g in zip(c["iso3"], got, strict=True):
        if iso3 not in coastal:
            assert g == iso3


def test_points_in_country_square_with_hole() -> None:
    fc = {
        "features": [
            {
                "properties": {"iso3": "AAA"},
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [
                        [[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]],
                        [[4, 4], [6, 4], [6, 6], [4, 6], [4, 4]],
                    ],
                },
            }
        ]
    }
    lat = np.array([1.0, 5.0, 11.0, 9.9])
    lon = np.array([1.0, 5.0, 5.0, 9.9])
    assert points_in_country(lat, lon, "AAA", fc).tolist() == [True, False, False, True]
    assert country_of(lat, lon, fc).tolist() == ["AAA", "", "", "AAA"]


@pytest.mark.parametrize(
    ("lat", "lon", "iso3"),
    [(50.06, 19.94, "POL"), (48.14, 11.58, "DEU"), (45.46, 9.19, "ITA"), (52.0, 30.0, "BLR")],
)
def test_known_cities(lat: float, lon: float, iso3: str) -> None:
    assert country_of(lat, lon).tolist() == [iso3]
