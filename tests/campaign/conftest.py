"""A small reference dataset for campaign tests (three allies, four systems).

The values are round planning numbers chosen for the tests, not sourced data.
"""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import pytest

from gbad.scenario import parse_scenario


def mini_reference() -> SimpleNamespace:
    """Three allies, four systems, every table the campaign reads."""
    countries = pd.DataFrame(
        {
            "iso3": ["POL", "LTU", "DEU"],
            "name": ["Poland", "Lithuania", "Germany"],
            "european": [True, True, True],
            "population_m": [36.6, 2.9, 83.3],
        }
    )
    systems = pd.DataFrame(
        {
            "system": ["patriot", "iris-t-slm", "skynex", "stinger"],
            "tier": ["long", "medium", "c-uas", "very-short"],
            "fire_channels": [9, 8, 1, 1],
            "launchers_per_fu": [4, 3, 1, 1],
            "missiles_per_launcher": [4, 8, 10, 1],
            "reload_time_min": [30.0, 20.0, 5.0, 1.0],
            "interceptor_cost_musd_mid": [4.0, 0.43, 0.02, 0.45],
            "fire_unit_cost_musd_mid": [1100.0, 150.0, 150.0, 0.1],
        }
    )
    envelopes = pd.DataFrame(
        [
            ("patriot", "ballistic", 0.7),
            ("patriot", "cruise", 0.85),
            ("patriot", "glide", 0.5),
            ("patriot", "aircraft", 0.85),
            ("patriot", "drone", 0.9),
            ("iris-t-slm", "cruise", 0.85),
            ("iris-t-slm", "drone", 0.9),
            ("iris-t-slm", "aircraft", 0.85),
            ("skynex", "drone", 0.7),
            ("skynex", "cruise", 0.3),
            ("stinger", "drone", 0.6),
        ],
        columns=["system", "threat_class", "pk_mid"],
    )
    inventory = pd.DataFrame(
        [
            ("POL", "patriot", "long", "in service", 2, 2023),
            ("POL", "iris-t-slm", "medium", "in service", 2, 2024),
            ("POL", "skynex", "c-uas", "in service", 3, 2024),
            ("LTU", "iris-t-slm", "medium", "in service", 1, 2024),
            ("LTU", "stinger", "very-short", "in service", 10, 2020),
            ("DEU", "patriot", "long", "in service", 9, 2000),
            ("DEU", "iris-t-slm", "medium", "in service", 4, 2024),
            ("DEU", "skynex", "c-uas", "on order", 4, 2030),
        ],
        columns=["iso3", "system", "tier", "status", "fire_units_mid", "delivery_year"],
    )
    production = pd.DataFrame(
        {
            "system": ["patriot", "iris-t-slm", "skynex"],
            "year": [2025, 2025, 2025],
            "interceptors_per_year_mid": [600.0, 800.0, 5000.0],
        }
    )
    threats = pd.DataFrame(
        {
            "threat_class": ["ballistic", "cruise", "drone", "aircraft", "glide"],
            "range_km_mid": [500.0, 2500.0, 2000.0, 1500.0, 2000.0],
            "unit_cost_musd_mid": [3.0, 1.5, 0.05, 50.0, 10.0],
        }
    )
    assets = pd.DataFrame(
        {
            "asset_id": ["waw", "vno", "ber"],
            "iso3": ["POL", "LTU", "DEU"],
            "lat": [52.23, 54.69, 52.52],
            "lon": [21.01, 25.28, 13.40],
            "value": [1.0, 1.0, 1.0],
        }
    )
    launch_areas = pd.DataFrame(
        {
            "area_id": ["kal", "bel"],
            "lat": [54.71, 53.9],
            "lon": [20.51, 27.56],
            "threat_classes": ["ballistic;cruise", "drone;cruise;ballistic;glide"],
        }
    )
    return SimpleNamespace(
        countries=countries,
        systems=systems,
        envelopes=envelopes,
        inventory=inventory,
        production=production,
        threats=threats,
        assets=assets,
        launch_areas=launch_areas,
        attacks=None,
    )


@pytest.fixture
def mini_ref() -> SimpleNamespace:
    return mini_reference()


def mini_scenario(**campaign: object):
    """A custom raid of 40 drones, 4 cruise and 2 ballistic missiles per night."""
    return parse_scenario(
        {
            "base_year": 2025,
            "threat": {
                "preset": "custom",
                "raid": {"drone": 40, "cruise": 4, "ballistic": 2},
                "nights": 10,
            },
            "campaign": {"replications": 2, "resupply_delay_days": 3, **campaign},
        }
    )
