"""Small reference tables in the ``gbad.reference`` schema, for stage tests.

Numbers are made up for arithmetic checks only (round values, easy to verify by hand).
"""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd


def make_ref() -> SimpleNamespace:
    countries = pd.DataFrame(
        {
            "iso3": ["DEU", "POL", "EST", "ESP", "CAN"],
            "name": ["Germany", "Poland", "Estonia", "Spain", "Canada"],
            "european": [True, True, True, True, False],
            "gdp_usd_bn_low": [4000.0, 800.0, 40.0, 1500.0, 2000.0],
            "gdp_usd_bn_mid": [4000.0, 800.0, 40.0, 1600.0, 2100.0],
            "gdp_usd_bn_high": [4200.0, 850.0, 42.0, 1700.0, 2200.0],
            "gdp_2023_usd_bn": [3900.0, 780.0, 38.0, 1550.0, 2000.0],
            "defence_pct_gdp_2024": [2.0, 4.0, 3.0, 1.3, 1.4],
            "defence_pct_gdp_2025": [2.5, 4.5, 3.5, 2.0, 1.5],
            "population_m": [80.0, 40.0, 1.0, 50.0, 40.0],
            "essi_member": [True, False, True, False, False],
            "essi_join_year": [2022, None, 2022, None, None],
            "capital": ["Berlin", "Warsaw", "Tallinn", "Madrid", "Ottawa"],
            "capital_lat": [52.52, 52.23, 59.44, 40.42, 45.42],
            "capital_lon": [13.40, 21.01, 24.75, -3.70, -75.70],
            "source_id": ["t"] * 5,
        }
    )
    systems = pd.DataFrame(
        {
            "system": ["patriot", "iris-t-slm", "skyranger", "stinger", "kub", "mantis"],
            "name": ["Patriot", "IRIS-T SLM", "Skyranger", "Stinger", "Kub", "MANTIS"],
            "tier": ["long", "medium", "short", "very-short", "medium", "c-uas"],
            "origin": ["USA", "DEU", "DEU", "USA", "RUS", "DEU"],
            "legacy": [False, False, False, False, True, False],
            "launchers_per_fu": [4, 3, 1, 1, 3, 1],
            "missiles_per_launcher": [4, 8, 0, 1, 3, 0],
            "interceptor_cost_musd_low": [3.0, 0.4, 0.0, 0.4, 0.1, 0.0],
            "interceptor_cost_musd_mid": [4.0, 0.5, 0.0, 0.5, 0.1, 0.0],
            "interceptor_cost_musd_high": [5.0, 0.6, 0.0, 0.6, 0.1, 0.0],
            "fire_unit_cost_musd_low": [900.0, 140.0, 20.0, 0.1, 10.0, 50.0],
            "fire_unit_cost_musd_mid": [1000.0, 150.0, 25.0, 0.2, 10.0, 60.0],
            "fire_unit_cost_musd_high": [1200.0, 160.0, 30.0, 0.3, 10.0, 70.0],
            "opex_musd_per_year": [20.0, 5.0, 1.0, 0.0, 1.0, 1.0],
            "in_production": [True, True, True, True, False, False],
            "source_id": ["t"] * 6,
        }
    )
    inventory = pd.DataFrame(
        {
            "iso3": ["DEU", "DEU", "POL", "POL", "POL", "EST", "ESP", "CAN", "DEU", "POL"],
            "system": [
                "patriot",
                "iris-t-slm",
                "patriot",
                "kub",
                "stinger",
                "stinger",
                "patriot",
                "stinger",
                "patriot",
                "patriot",
            ],
            "tier": [
                "long",
                "medium",
                "long",
                "medium",
                "very-short",
                "very-short",
                "long",
                "very-short",
                "long",
                "long",
            ],
            "status": [
                "in service",
                "in service",
                "in service",
                "in service",
                "in service",
                "in service",
                "in service",
                "in service",
                "on order",
                "on order",
            ],
            "fire_units_low": [6, 1, 2, 3, 90, 10, 2, 5, 8, 6],
            "fire_units_mid": [8, 2, 2, 4, 100, 20, 3, 5, 8, 6],
            "fire_units_high": [9, 3, 2, 5, 110, 30, 4, 5, 8, 6],
            "launchers": [None] * 10,
            "delivery_year": [None] * 8 + [2027, 2028],
            "as_of": ["2025"] * 10,
            "confidence": ["medium"] * 10,
            "source_id": ["t"] * 10,
        }
    )
    production = pd.DataFrame(
        {
            "system": ["patriot", "patriot", "iris-t-slm", "iris-t-slm", "stinger"],
            "year": [2025, 2028, 2025, 2027, 2025],
            "fire_units_per_year_low": [2, 4, 4, 8, 100],
            "fire_units_per_year_mid": [3, 6, 5, 10, 200],
            "fire_units_per_year_high": [4, 8, 6, 12, 300],
            "interceptors_per_year_low": [40, 80, 200, 400, 500],
            "interceptors_per_year_mid": [50, 100, 250, 500, 1000],
            "interceptors_per_year_high": [60, 120, 300, 600, 1500],
            "source_id": ["t"] * 5,
        }
    )
    threats = pd.DataFrame(
        {
            "threat_class": ["ballistic", "drone"],
            "range_km_low": [400.0, 1500.0],
            "range_km_mid": [500.0, 2000.0],
            "range_km_high": [600.0, 2500.0],
            "source_id": ["t", "t"],
        }
    )
    launch_areas = pd.DataFrame(
        {
            "area_id": ["kaliningrad", "belarus"],
            "name": ["Kaliningrad", "Belarus"],
            "lat": [54.71, 53.90],
            "lon": [20.51, 27.57],
            "threat_classes": ["ballistic;drone", "drone"],
            "source_id": ["t", "t"],
        }
    )
    assets = pd.DataFrame(
        {
            "asset_id": ["ber", "waw", "tll", "mad", "ott"],
            "name": ["Berlin", "Warsaw", "Tallinn", "Madrid", "Ottawa"],
            "iso3": ["DEU", "POL", "EST", "ESP", "CAN"],
            "kind": ["capital"] * 5,
            "lat": [52.52, 52.23, 59.44, 40.42, 45.42],
            "lon": [13.40, 21.01, 24.75, -3.70, -75.70],
            "population": [3.7, 1.8, 0.45, 3.3, 1.0],
            "value": [10.0, 5.0, 1.0, 8.0, 4.0],
            "source_id": ["t"] * 5,
        }
    )
    return SimpleNamespace(
        countries=countries,
        systems=systems,
        inventory=inventory,
        production=production,
        threats=threats,
        launch_areas=launch_areas,
        assets=assets,
        envelopes=pd.DataFrame(),
        attacks=pd.DataFrame(),
        sources=pd.DataFrame({"source_id": ["t"], "title": ["test"]}),
    )
