"""Tests of gbad.imputation: every gap filled once, by a stated rule, never silently."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gbad.imputation import (
    IMPUTED_COLUMNS,
    MANPADS_LAUNCHER_MUSD,
    SYSTEM_COLUMNS,
    impute_readiness,
    impute_systems,
)
from gbad.reference import load_table

SYSTEMS = load_table("systems")
CELLS = [(i, c) for i in range(len(SYSTEMS)) for c in SYSTEM_COLUMNS]


def test_tier_median_by_hand() -> None:
    s = pd.DataFrame(
        {
            "system": ["a", "b", "c", "d", "e"],
            "tier": ["medium", "medium", "medium", "medium", "long"],
            "launchers_per_fu": [3.0, 6.0, 4.0, np.nan, 8.0],
        }
    )
    filled, imputed = impute_systems(s)
    assert filled.loc[3, "launchers_per_fu"] == 4.0  # median of 3, 6, 4 (not 8: long)
    row = imputed[(imputed["key"] == "d") & (imputed["column"] == "launchers_per_fu")]
    assert len(row) == 1
    assert row["reason"].item() == "median of the 3 medium-tier systems with data (a, b, c)"


def test_very_short_fire_unit_is_a_launcher_not_a_missile() -> None:
    s = pd.DataFrame(
        {
            "system": ["m1", "m2", "big"],
            "tier": ["very-short", "very-short", "medium"],
            "interceptor_cost_musd_low": [0.3, 0.4, 1.0],
            "interceptor_cost_musd_mid": [0.4, 0.5, 1.2],
            "interceptor_cost_musd_high": [0.5, 0.6, 1.5],
            "fire_unit_cost_musd_low": [np.nan, np.nan, 100.0],
            "fire_unit_cost_musd_mid": [np.nan, np.nan, 150.0],
            "fire_unit_cost_musd_high": [np.nan, np.nan, 200.0],
        }
    )
    filled, imputed = impute_systems(s)
    for lvl in ("low", "mid", "high"):
        # neither the medium system's battery cost nor a missile price
        assert filled.loc[0, f"fire_unit_cost_musd_{lvl}"] == MANPADS_LAUNCHER_MUSD[lvl]
    reasons = imputed.loc[imputed["column"] == "fire_unit_cost_musd_mid", "reason"]
    assert reasons.str.contains("MANPADS launcher").all()


def test_opex_is_five_percent_of_the_fire_unit_cost() -> None:
    s = pd.DataFrame(
        {
            "system": ["a"],
            "tier": ["medium"],
            "fire_unit_cost_musd_low": [80.0],
            "fire_unit_cost_musd_mid": [100.0],
            "fire_unit_cost_musd_high": [120.0],
        }
    )
    filled, _ = impute_systems(s)
    assert filled.loc[0, "opex_musd_per_year"] == pytest.approx(5.0)


def test_partial_triple_keeps_the_present_value_and_the_order() -> None:
    s = SYSTEMS.copy()
    i = int(np.flatnonzero(s["system"] == "barak-mx")[0])
    filled, _ = impute_systems(s)
    assert filled.loc[i, "fire_unit_cost_musd_mid"] == s.loc[i, "fire_unit_cost_musd_mid"]
    lo, mid, hi = (filled.loc[i, f"fire_unit_cost_musd_{v}"] for v in ("low", "mid", "high"))
    assert lo <= mid <= hi


def test_present_values_never_change() -> None:
    filled, _ = impute_systems(SYSTEMS)
    for col in SYSTEM_COLUMNS:
        have = SYSTEMS[col].notna()
        assert (filled.loc[have, col] == SYSTEMS.loc[have, col]).all(), col


@settings(max_examples=60, deadline=None)
@given(st.sets(st.sampled_from(CELLS), max_size=120))
def test_every_gap_is_filled_exactly_once(blank: set[tuple[int, str]]) -> None:
    s = SYSTEMS.copy()
    for i, col in blank:
        s.loc[i, col] = np.nan
    filled, imputed = impute_systems(s)
    # a system that fires no round (electronic warfare) has no interceptor cost to fill
    no_round = (filled["missiles_per_launcher"] == 0).to_numpy()
    priced = [c for c in SYSTEM_COLUMNS if c.startswith("interceptor_cost")]
    gaps = {
        (str(s.loc[i, "system"]), c)
        for i in range(len(s))
        for c in SYSTEM_COLUMNS
        if pd.isna(s.loc[i, c]) and not (no_round[i] and c in priced)
    }
    assert list(imputed.columns) == IMPUTED_COLUMNS
    assert not filled.loc[~no_round, list(SYSTEM_COLUMNS)].isna().any().any()
    unpriced = [c for c in SYSTEM_COLUMNS if c not in priced]
    assert not filled.loc[no_round, unpriced].isna().any().any()
    listed = list(zip(imputed["key"], imputed["column"], strict=True))
    assert len(listed) == len(set(listed))  # once each
    assert set(listed) == gaps  # every gap, and only gaps
    for stem in ("interceptor_cost_musd", "fire_unit_cost_musd"):
        lo, mid, hi = (filled.loc[~no_round, f"{stem}_{v}"] for v in ("low", "mid", "high"))
        assert ((lo <= mid) & (mid <= hi)).all(), stem
    values = filled.set_index("system")
    for key, col, value in zip(imputed["key"], imputed["column"], imputed["value"], strict=True):
        assert values.loc[key, col] == value


def test_readiness_fills_missing_systems_with_a_reason() -> None:
    readiness = load_table("readiness")
    dropped = readiness[~readiness["system"].isin(["hawk", "vl-mica"])]
    filled, imputed = impute_readiness(dropped, SYSTEMS)
    assert set(filled["system"]) == set(SYSTEMS["system"])
    assert set(imputed["key"]) == {"hawk", "vl-mica"}
    assert len(imputed) == 6
    hawk = imputed[imputed["key"] == "hawk"]
    assert hawk["reason"].str.contains("medium-tier legacy").all()
    f = filled.set_index("system")
    for system in ("hawk", "vl-mica"):
        assert 0 <= f.loc[system, "readiness_low"] <= f.loc[system, "readiness_mid"]
        assert f.loc[system, "readiness_mid"] <= f.loc[system, "readiness_high"] <= 1
    # nothing to fill: nothing listed
    _, none = impute_readiness(readiness, SYSTEMS)
    assert none.empty
