"""Tests of the embedded reference dataset and its loader (gbad.reference)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from gbad import DATA_VERSION
from gbad.errors import GbadInputError
from gbad.reference import (
    KEY_COLUMNS,
    TABLES,
    list_tables,
    load_reference,
    load_table,
)
from gbad.scenario.sections import THREAT_CLASSES, TIERS

RAW = Path(__file__).resolve().parent / "reference" / "raw"  # see its README
CSV_TABLES = [t.name for t in list_tables() if t.name != "borders"]


@pytest.mark.parametrize("name", CSV_TABLES)
def test_every_row_resolves_its_sources(name: str) -> None:
    sources = set(load_table("sources")["source_id"])
    table = load_table(name)
    assert "source_id" in table.columns
    ids = table["source_id"].astype(str)
    assert (ids.str.len() > 0).all(), f"{name}: empty source_id"
    used = {i for v in ids for i in v.split(";")}
    assert used <= sources, f"{name}: unknown source ids {sorted(used - sources)}"


def test_sources_table_is_unique_and_complete() -> None:
    src = load_table("sources")
    assert list(src.columns) == ["source_id", "title", "publisher", "year", "url", "licence"]
    assert src["source_id"].is_unique
    assert (src["title"].str.len() > 0).all()
    assert (src["licence"].str.len() > 0).all()


@pytest.mark.parametrize("name", CSV_TABLES)
def test_low_mid_high_are_ordered(name: str) -> None:
    table = load_table(name)
    for col in table.columns:
        if not col.endswith("_low"):
            continue
        stem = col[: -len("_low")]
        lo, mid, hi = (table[f"{stem}_{s}"].astype(float) for s in ("low", "mid", "high"))
        known = lo.notna() & mid.notna() & hi.notna()
        # all three present or all three absent
        assert (known | (lo.isna() & mid.isna() & hi.isna())).all(), f"{name}.{stem}"
        assert (lo[known] <= mid[known]).all(), f"{name}.{stem}: low > mid"
        assert (mid[known] <= hi[known]).all(), f"{name}.{stem}: mid > high"


def test_countries_cover_the_allies() -> None:
    c = load_table("countries")
    assert c["iso3"].is_unique
    assert int(c["european"].sum()) == 30
    assert set(c.loc[~c["european"], "iso3"]) == {"CAN", "USA"}
    for iso3 in ("ISL", "FIN", "SWE", "TUR", "ALB", "GBR"):
        assert iso3 in set(c["iso3"])
    assert c["european"].dtype == bool and c["essi_member"].dtype == bool


def test_country_figures_equal_the_reference_exactly() -> None:
    raw = pd.read_csv(RAW / "countries.csv")
    c = load_table("countries").set_index("iso3")
    for r in raw.itertuples():
        assert c.loc[r.iso3, "gdp_usd_bn_mid"] == r.gdp_2024_usd_bn
        assert c.loc[r.iso3, "gdp_usd_bn_low"] == r.gdp_2024_low
        assert c.loc[r.iso3, "gdp_usd_bn_high"] == r.gdp_2024_high
        assert c.loc[r.iso3, "gdp_2023_usd_bn"] == r.gdp_2023_usd_bn
        assert c.loc[r.iso3, "population_m"] == r.population_m_2024
    # Totals of the 30 European allies, to the reference's own rounding.
    eu = c[c["european"]]
    assert eu["population_m"].sum() == pytest.approx(raw[raw.iso3 != "CAN"].population_m_2024.sum())


def test_usa_row_uses_world_bank_and_nato_figures() -> None:
    usa = load_table("countries").set_index("iso3").loc["USA"]
    assert usa["population_m"] == pytest.approx(340.111)  # WB 2024: 340,110,988
    assert usa["gdp_2023_usd_bn"] == pytest.approx(27360.9)  # WB 2023
    assert usa["defence_pct_gdp_2024"] == pytest.approx(3.21)


def test_systems_and_tiers() -> None:
    s = load_table("systems")
    assert s["system"].is_unique
    assert len(s) >= 12
    assert set(s["tier"]) <= set(TIERS)
    for slug in (
        "patriot",
        "samp-t",
        "iris-t-slm",
        "nasams",
        "camm",
        "camm-er",
        "arrow-3",
        "davids-sling",
        "skynex",
        "gepard",
        "skyranger",
        "stinger",
        "mistral",
        "piorun",
        "s-300",
        "kub",
        "s-125",
        "hawk",
        "osa",
    ):
        assert slug in set(s["system"]), slug
    assert s.loc[s["system"] == "kub", "legacy"].item()


def test_inventory_systems_exist_and_tiers_agree() -> None:
    s = load_table("systems").set_index("system")
    inv = load_table("inventory")
    assert set(inv["system"]) <= set(s.index)
    assert (inv["tier"] == s.loc[inv["system"], "tier"].to_numpy()).all()
    assert set(inv["status"]) <= {"in service", "on order", "planned", "donated", "not active"}
    # 112 reference rows less Iceland's "no armed forces" row
    assert len(inv) == 111


def test_inventory_in_service_totals_match_the_reference_notes() -> None:
    """inventory_notes.md, 'European totals': long 44, medium 66, short 361, v-short ~2,065.

    The notes' totals count the mid (point) values of rows with status "in service";
    the table reproduces them exactly, so the tolerance is zero (the "~" on 2,065 is
    the notes' caveat on estimated counts, not an arithmetic slack).
    """
    inv = load_table("inventory")
    totals = inv[inv["status"] == "in service"].groupby("tier")["fire_units_mid"].sum()
    assert totals["long"] == 44
    assert totals["medium"] == 66
    assert totals["short"] == 361
    assert totals["very-short"] == 2065


def test_envelopes_reference_known_systems_and_classes() -> None:
    env = load_table("envelopes")
    assert set(env["system"]) <= set(load_table("systems")["system"])
    assert set(env["threat_class"]) <= set(THREAT_CLASSES)
    assert not env.duplicated(["system", "threat_class"]).any()
    assert ((env["pk_low"] >= 0) & (env["pk_high"] <= 1)).all()
    assert (env["min_altitude_km"] <= env["max_altitude_km"]).all()
    # every system held in service (except the inactive S-400) has an envelope
    inv = load_table("inventory")
    held = set(inv.loc[inv["status"] != "not active", "system"])
    assert held <= set(env["system"])


def test_threats_are_the_five_classes() -> None:
    t = load_table("threats")
    assert sorted(t["threat_class"]) == sorted(THREAT_CLASSES)
    assert (t["speed_mps_low"] > 0).all()


def test_launch_areas() -> None:
    la = load_table("launch_areas")
    assert {"kaliningrad", "belarus", "crimea", "kola", "bryansk"} <= set(la["area_id"])
    for classes in la["threat_classes"]:
        assert classes and set(classes.split(";")) <= set(THREAT_CLASSES)
    assert la["lat"].between(40, 72).all() and la["lon"].between(18, 50).all()


def test_attacks_are_attributed() -> None:
    a = load_table("attacks")
    assert len(a) == 2616
    assert set(a["source_id"]) == {"ivaniuk-attacks"}
    src = load_table("sources").set_index("source_id").loc["ivaniuk-attacks"]
    assert src["licence"] == "ODC-BY-1.0" and "Ivaniuk" in src["title"]


def test_list_tables_counts_rows() -> None:
    infos = {t.name: t for t in list_tables()}
    assert set(infos) <= set(TABLES)
    assert infos["countries"].rows == 32
    assert infos["threats"].rows == 5


def test_load_table_returns_copies() -> None:
    a = load_table("countries")
    a.loc[0, "population_m"] = -1.0
    assert load_table("countries").loc[0, "population_m"] != -1.0


def test_unknown_table_names_the_table() -> None:
    with pytest.raises(GbadInputError, match="nope"):
        load_table("nope")


def test_load_reference_defaults() -> None:
    ref = load_reference()
    assert ref.version == DATA_VERSION
    assert ref.overrides == {}
    assert len(ref.countries) == 32
    with pytest.raises(AttributeError):
        ref.version = "x"  # type: ignore[misc]


def test_overrides_apply_to_one_row_only() -> None:
    ref = load_reference(
        {
            "countries": {"POL": {"population_m": 37.0, "essi_member": True}},
            "envelopes": {"patriot/ballistic": {"pk_mid": 0.5}},
            "production": {"patriot/2025": {"interceptors_per_year_mid": 700}},
            "inventory": {"DEU/patriot/in service": {"fire_units_mid": 9}},
        }
    )
    c = ref.countries.set_index("iso3")
    assert c.loc["POL", "population_m"] == 37.0
    assert bool(c.loc["POL", "essi_member"]) is True
    assert (
        c.loc["DEU", "population_m"]
        == load_table("countries").set_index("iso3").loc["DEU", "population_m"]
    )
    env = ref.envelopes.set_index(["system", "threat_class"])
    assert env.loc[("patriot", "ballistic"), "pk_mid"] == 0.5
    inv = ref.inventory
    sel = (inv.iso3 == "DEU") & (inv.system == "patriot") & (inv.status == "in service")
    assert (inv.loc[sel, "fire_units_mid"] == 9).all()
    assert ref.overrides["countries"]["POL"]["population_m"] == 37.0
    # the cache is untouched
    assert load_reference().countries.set_index("iso3").loc["POL", "population_m"] != 37.0


@pytest.mark.parametrize(
    ("overrides", "path"),
    [
        ({"nope": {}}, "overrides.nope"),
        ({"countries": {"XXX": {"population_m": 1.0}}}, "overrides.countries.XXX"),
        ({"countries": {"POL": {"nope": 1.0}}}, "overrides.countries.POL.nope"),
        ({"countries": {"POL": {"population_m": "many"}}}, "overrides.countries.POL.population_m"),
        ({"systems": {"patriot": {"legacy": 1}}}, "overrides.systems.patriot.legacy"),
        ({"systems": {"patriot": {"name": 3}}}, "overrides.systems.patriot.name"),
        ({"countries": {"POL": {"iso3": "PL"}}}, "overrides.countries.POL.iso3"),
        ({"countries": {"POL": 3}}, "overrides.countries.POL"),
        ({"countries": [1]}, "overrides.countries"),
        ({"envelopes": {"patriot": {"pk_mid": 0.5}}}, "overrides.envelopes.patriot"),
    ],
)
def test_bad_overrides_name_the_path(overrides: dict, path: str) -> None:
    with pytest.raises(GbadInputError) as info:
        load_reference(overrides)
    assert info.value.field == path


def test_key_columns_are_unique_where_documented() -> None:
    for table, cols in KEY_COLUMNS.items():
        if table in ("inventory",) or table not in CSV_TABLES:
            continue  # inventory keys may match several rows (all change together)
        frame = load_table(table)
        assert not frame.duplicated(list(cols)).any(), table


def test_numeric_columns_have_numeric_dtypes() -> None:
    s = load_table("systems")
    for col in ("radar_range_km", "interceptor_cost_musd_mid", "fire_unit_cost_musd_mid"):
        assert np.issubdtype(s[col].dtype, np.floating)
