"""The force by year: in service less retirements plus deliveries, readiness, stocks."""

from __future__ import annotations

from dataclasses import replace
from types import SimpleNamespace
from typing import Any

import pandas as pd
import pytest

from gbad.force import build_force, force_of_year, in_service_at, milestone_years, stock_per_fu
from gbad.reference import load_reference
from gbad.scenario import parse_scenario

REF = load_reference()


def test_default_milestones() -> None:
    assert milestone_years(2025, 2035, None) == [2025, 2028, 2032, 2035]
    assert milestone_years(2025, 2026, None) == [2025, 2026]
    assert milestone_years(2025, 2035, [2035, 2030]) == [2030, 2035]


def test_ordered_units_are_not_in_service_in_the_base_year() -> None:
    sc = parse_scenario({"countries": ["ITA", "SVK", "DEU"]})
    rows, _ = force_of_year(REF, sc, ["ITA", "SVK", "DEU"], 2025)
    inv = REF.inventory
    in_service = inv[inv["iso3"].isin(["ITA", "SVK", "DEU"]) & (inv["status"] == "in service")]
    assert int(rows["fire_units"].sum()) == int(in_service["fire_units_mid"].round().sum())
    held = set(zip(rows["iso3"], rows["system"], strict=True))
    ordered = inv[inv["iso3"].isin(["ITA", "SVK"]) & (inv["status"] == "on order")]
    for iso, system in zip(ordered["iso3"], ordered["system"], strict=True):
        if not ((in_service["iso3"] == iso) & (in_service["system"] == system)).any():
            assert (iso, system) not in held


def _with_retirement(year: int) -> Any:
    table = pd.DataFrame(
        {
            "iso3": ["*"],
            "system": ["patriot"],
            "retire_year_low": [year],
            "retire_year_mid": [year],
            "retire_year_high": [year],
        }
    )
    return (
        replace(REF, retirements=table)
        if hasattr(REF, "retirements")
        else SimpleNamespace(
            **{k: getattr(REF, k) for k in REF.__dataclass_fields__}, retirements=table
        )
    )


def test_units_leave_service_in_their_retirement_year() -> None:
    ref = _with_retirement(2030)
    before = in_service_at(ref, ["POL", "DEU"], 2029)
    after = in_service_at(ref, ["POL", "DEU"], 2030)
    assert "patriot" in set(before["system"]) and "patriot" not in set(after["system"])
    sc = parse_scenario({"countries": ["POL", "DEU"]})
    rows, _ = force_of_year(ref, sc, ["POL", "DEU"], 2030)
    pat = rows[rows["system"] == "patriot"]
    assert (pat["fire_units"] == 0).all() and (pat["retired"] > 0).all()


def test_readiness_scales_the_ready_units_and_stocks_follow_the_loads() -> None:
    sc = parse_scenario(
        {"countries": ["POL"], "campaign": {"stockpile_loads": 2, "stockpile_multiplier": 0.5}}
    )
    table = pd.DataFrame(
        {
            "system": ["patriot"],
            "readiness_low": [0.4],
            "readiness_mid": [0.5],
            "readiness_high": [0.6],
        }
    )
    ref = (
        replace(REF, readiness=table)
        if hasattr(REF, "readiness")
        else SimpleNamespace(
            **{k: getattr(REF, k) for k in REF.__dataclass_fields__}, readiness=table
        )
    )
    rows, imputed = force_of_year(ref, sc, ["POL"], 2025)
    pat = rows[rows["system"] == "patriot"].iloc[0]
    assert pat["fire_units_ready"] == pytest.approx(0.5 * pat["fire_units"])
    s = REF.systems.set_index("system").loc["patriot"]
    load = round(float(s["launchers_per_fu"]) * float(s["missiles_per_launcher"]))
    assert pat["interceptors"] == int(pat["fire_units"] * stock_per_fu(load, 2, 0.5))
    assert all(r["table"] == "readiness" for r in imputed)  # what the table lacks is listed
    assert "patriot" not in {r["key"] for r in imputed}


def test_deliveries_add_up_year_by_year() -> None:
    sc = parse_scenario({"countries": ["POL", "EST"]})
    deliveries = pd.DataFrame(
        {
            "year": [2026, 2027, 2029],
            "iso3": ["EST", "EST", "POL"],
            "system": ["iris-t-slm", "iris-t-slm", "patriot"],
            "tier": ["medium", "medium", "long"],
            "complete": [1, 2, 3],
        }
    )
    procurement = SimpleNamespace(needs=pd.DataFrame({"iso3": ["POL", "EST"]}))
    force = build_force(
        REF, sc, procurement, SimpleNamespace(deliveries=deliveries), [2025, 2027, 2030]
    )
    est = force.table[(force.table["iso3"] == "EST") & (force.table["system"] == "iris-t-slm")]
    assert est.set_index("year")["fire_units"].to_dict() == {2027: 3, 2030: 3}
    # A new fire unit holds the first load it was bought with (no depot reload).
    s = REF.systems.set_index("system").loc["iris-t-slm"]
    load = round(float(s["launchers_per_fu"]) * float(s["missiles_per_launcher"]))
    assert (est["interceptors"] == 3 * load).all()
    base = force.long_medium_fire_units(2025)
    rows = force.of_year(2030)
    retired = int(rows.loc[rows["tier"].isin(["long", "medium"]), "retired"].sum())
    assert retired > 0  # Poland's Soviet-era systems are gone by 2030
    assert force.long_medium_fire_units(2030) == base - retired + 6
    with pytest.raises(KeyError):
        force.of_year(2026)
