"""A tiny reference for sweep tests, in the schema of ``gbad.reference``."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import pandas as pd

from gbad.sweep.params import KEY_COLUMNS, row_key


@dataclass(frozen=True)
class TinyReference:
    """Frames with the reference schema's columns (a few rows each)."""

    countries: pd.DataFrame
    systems: pd.DataFrame
    envelopes: pd.DataFrame
    production: pd.DataFrame
    threats: pd.DataFrame
    inventory: pd.DataFrame


def tiny_reference() -> TinyReference:
    countries = pd.DataFrame(
        {
            "iso3": ["DEU", "POL", "USA"],
            "european": [True, True, False],
            "gdp_usd_bn_low": [4400.0, 800.0, 28000.0],
            "gdp_usd_bn_mid": [4600.0, 860.0, 29000.0],
            "gdp_usd_bn_high": [4700.0, 900.0, 30000.0],
            "defence_pct_gdp_2025": [2.4, 4.5, 3.2],
        }
    )
    systems = pd.DataFrame(
        {
            "system": ["patriot", "iris-t-slm", "stinger"],
            "tier": ["long", "medium", "very-short"],
            "legacy": [False, False, False],
            "in_production": [True, True, True],
            "launchers_per_fu": [6, 4, 1],
            "missiles_per_launcher": [4, 8, 1],
            "interceptor_cost_musd_low": [3.7, 0.4, 0.4],
            "interceptor_cost_musd_mid": [4.0, 0.45, 0.48],
            "interceptor_cost_musd_high": [5.0, 0.5, 0.5],
            "fire_unit_cost_musd_low": [1000.0, 140.0, 0.1],
            "fire_unit_cost_musd_mid": [1100.0, 160.0, 0.12],
            "fire_unit_cost_musd_high": [1300.0, 180.0, 0.12],
        }
    )
    envelopes = pd.DataFrame(
        {
            "system": ["patriot", "patriot", "iris-t-slm"],
            "threat_class": ["ballistic", "cruise", "cruise"],
            "pk_low": [0.6, 0.8, 0.7],
            "pk_mid": [0.75, 0.9, 0.85],
            "pk_high": [0.9, 0.95, 0.95],
        }
    )
    production = pd.DataFrame(
        {
            "system": ["patriot", "patriot", "iris-t-slm", "stinger"],
            "year": [2025, 2027, 2025, 2025],
            "fire_units_per_year_low": [2.0, 3.0, 4.0, 200.0],
            "fire_units_per_year_mid": [3.0, 5.0, 6.0, 300.0],
            "fire_units_per_year_high": [4.0, 8.0, 10.0, 400.0],
        }
    )
    threats = pd.DataFrame(
        {
            "threat_class": ["drone", "cruise"],
            "unit_cost_musd_low": [0.02, 1.0],
            "unit_cost_musd_mid": [0.035, 1.5],
            "unit_cost_musd_high": [0.08, 2.0],
        }
    )
    inventory = pd.DataFrame(
        {
            "iso3": ["DEU", "DEU", "POL", "POL"],
            "system": ["patriot", "iris-t-slm", "patriot", "stinger"],
            "tier": ["long", "medium", "long", "very-short"],
            "status": ["in service"] * 4,
            "fire_units_low": [6.0, 3.0, 2.0, 100.0],
            "fire_units_mid": [7.0, 4.0, 2.0, 120.0],
            "fire_units_high": [8.0, 5.0, 2.0, 150.0],
        }
    )
    return TinyReference(countries, systems, envelopes, production, threats, inventory)


def with_overrides(ref: TinyReference, overrides: dict[str, dict[str, dict[str, Any]]]) -> Any:
    """Apply ``{table: {row_key: {column: value}}}`` to a copy of ``ref``."""
    changes = {}
    for table, rows in overrides.items():
        frame = getattr(ref, table).copy()
        keys = [row_key(table, r) for r in frame[list(KEY_COLUMNS[table])].to_dict("records")]
        for key, cols in rows.items():
            for col, value in cols.items():
                frame.loc[[k == key for k in keys], col] = value
        changes[table] = frame
    return replace(ref, **changes)


def tiny_reference_for(scenario: Any) -> Any:
    """Reference factory for sweeps in tests (picklable, module level)."""
    return with_overrides(tiny_reference(), scenario.overrides)


def toy_model(scenario: Any, ref: Any, rng: Any) -> dict[str, float]:
    """A cheap model with a random part, to check seeding across executors."""
    cost = float((ref.systems["fire_unit_cost_musd_mid"] * [2.0, 3.0, 0.0]).sum())
    pk = float(ref.envelopes["pk_mid"].mean())
    return {
        "cost_musd": cost * scenario.budget.gbad_share_of_core_pct / 6.0,
        "leakers": 100.0 * (1.0 - pk) * scenario.threat.scale,
        "noise": float(rng.random()),
        "cost_musd@2030": cost,
        "cost_musd@2031": 1.1 * cost,
    }


def reference_toy_model(scenario: Any, ref: Any, rng: Any) -> dict[str, float]:
    """A cheap model on the real reference tables (for CLI tests)."""
    systems = ref.systems.set_index("system")
    cost = float(systems.loc[["patriot", "iris-t-slm"], "fire_unit_cost_musd_mid"].sum())
    return {
        "cost_musd": cost * scenario.budget.gbad_share_of_core_pct / 6.0,
        "noise": float(rng.random()),
        "cost_musd@2030": cost,
    }
