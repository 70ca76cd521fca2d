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
    # 112 reference rows less Iceland's "no armed forces" row, plus 3 added rows
    # (Italy's planned SAMP/T NG, Spain's Patriot order of Dec 2025, Slovakia's MANTIS),
    # plus 10 counter-UAS rows (San and its EW sets, SKYctrl, Merops x3, Skyranger DNK
    # and DEU, Gepard ROU, DragonFire GBR)
    assert len(inv) == 111 + 3 + 10


def test_inventory_in_service_totals_match_the_reference_notes() -> None:
    """inventory_notes.md, 'European totals': long 44, medium 66, short 361, v-short ~2,065.

    The notes' totals count the mid (point) values of rows with status "in service".
    Eight rows were corrected from later sources (their notes name the source;
    see docs/data.md): Italy's SAMP/T 4 -> 3 (2 of 5 batteries sent to Ukraine), Spain's
    Hawk 2 -> 4, Romania's Hawk 2 -> 4, Slovenia's IRIS-T SLM on order -> 1 in service
    (delivered January 2024) and France's Crotale NG 12 -> 10 (2 of 12 batteries sent to
    Ukraine in November 2022), and three recalled counts replaced by published ones:
    Poland's Newa-SC 12 -> 10 (51 launchers, 12 reported sent to Ukraine: Wprost), the
    Czech RBS 70 16 -> 32 (16 older and 16 NG: E15) and Germany's Ozelot 50 -> 30 (ESUT:
    "a few" left); the totals are the notes' totals plus those
    differences, exactly (tolerance zero: the "~" on 2,065 is the notes' caveat on
    estimated counts, not an arithmetic slack). Rows added after the notes: Romania's
    Gepard (short, 36), the MANPADS of Italy, Greece, Türkiye and Denmark (very-short,
    100 + 100 + 200 + 10, unknown and counted 0 in the notes) and the Merops launchers
    of Poland and Romania (c-uas, 2 + 2).
    """
    inv = load_table("inventory")
    totals = inv[inv["status"] == "in service"].groupby("tier")["fire_units_mid"].sum()
    assert totals["long"] == 44 - 1
    assert totals["medium"] == 66 + 2 + 2 + 1 - 2
    assert totals["short"] == 361 - 2 + 36
    assert totals["very-short"] == 2065 + 16 - 20 + 100 + 100 + 200 + 10
    assert totals["c-uas"] == 2 + 2 + 2  # MANTIS (Germany's two, now Slovakia's); Merops


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
        # the schema's ranges and allowed values (src/gbad/data/schema.csv)
        (
            {"envelopes": {"patriot/ballistic": {"pk_mid": 1.5}}},
            "overrides.envelopes.patriot/ballistic.pk_mid",
        ),
        (
            {"systems": {"patriot": {"fire_unit_cost_musd_mid": -1.0}}},
            "overrides.systems.patriot.fire_unit_cost_musd_mid",
        ),
        ({"systems": {"patriot": {"tier": "huge"}}}, "overrides.systems.patriot.tier"),
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


# ------------------------------------------------ readiness, retirements, line shares


def test_readiness_has_one_row_per_system_in_zero_one() -> None:
    r = load_table("readiness")
    systems = set(load_table("systems")["system"])
    assert r["system"].is_unique
    assert set(r["system"]) == systems
    for col in ("readiness_low", "readiness_mid", "readiness_high"):
        assert r[col].between(0.0, 1.0).all(), col
    # S-400 is not active: nothing of it is available to fight
    assert r.set_index("system").loc["s-400", "readiness_high"] == 0.0


def test_every_legacy_system_held_in_service_has_a_retirement_row() -> None:
    ret = load_table("retirements")
    s = load_table("systems").set_index("system")
    inv = load_table("inventory")
    held = inv[(inv["status"] == "in service") & inv["system"].map(s["legacy"])]
    rows = set(zip(ret["iso3"], ret["system"], strict=True))
    assert held.shape[0] > 10
    for iso3, system in zip(held["iso3"], held["system"], strict=True):
        assert (iso3, system) in rows or ("*", system) in rows, (iso3, system)
    # every legacy system has a default row for holders without their own
    for system in s.index[s["legacy"]]:
        assert ("*", system) in rows, system
    assert set(ret["system"]) <= set(s.index)
    assert set(ret["iso3"]) - {"*"} <= set(load_table("countries")["iso3"])
    assert ret["retire_year_low"].between(2025, 2045).all()


def test_line_shares_cover_production_and_sum_to_one() -> None:
    ls = load_table("line_shares")
    assert set(ls["system"]) == set(load_table("production")["system"])
    shares = ["europe_share_mid", "usa_share_mid", "ukraine_share_mid", "others_share_mid"]
    for col in [*shares, "europe_share_low", "europe_share_high"]:
        assert ls[col].between(0.0, 1.0).all(), col
    # exact decimal shares: the tolerance is float rounding of four two-digit terms
    assert np.allclose(ls[shares].sum(axis=1), 1.0, atol=1e-9)
    # PAC-3 MSE: the US Army is the main customer
    pac3 = ls.set_index("system").loc["patriot"]
    assert pac3["usa_share_mid"] > pac3["europe_share_mid"]


def test_new_tables_are_overridable_and_keyed() -> None:
    ref = load_reference(
        {
            "readiness": {"patriot": {"readiness_mid": 0.5}},
            "retirements": {"GRC/hawk": {"retire_year_mid": 2031}},
            "line_shares": {"patriot": {"europe_share_mid": 0.3}},
        }
    )
    assert ref.readiness.set_index("system").loc["patriot", "readiness_mid"] == 0.5
    ret = ref.retirements.set_index(["iso3", "system"])
    assert ret.loc[("GRC", "hawk"), "retire_year_mid"] == 2031
    assert ref.line_shares.set_index("system").loc["patriot", "europe_share_mid"] == 0.3
    with pytest.raises(GbadInputError) as info:
        load_reference({"retirements": {"XXX/hawk": {"retire_year_mid": 2030}}})
    assert info.value.field == "overrides.retirements.XXX/hawk"


def test_orders_named_in_corrections_are_not_in_service_at_the_base_year() -> None:
    inv = load_table("inventory")
    by_key = inv.set_index(["iso3", "system", "status"])
    # Italy's SAMP/T NG: 4 contracted (first handed over Jan 2026), 6 more planned
    assert by_key.loc[("ITA", "samp-t-ng", "on order"), "fire_units_mid"] == 4
    assert by_key.loc[("ITA", "samp-t-ng", "on order"), "delivery_year"] > 2025
    assert by_key.loc[("ITA", "samp-t-ng", "planned"), "fire_units_mid"] == 6
    # Slovakia's Barak MX: delayed; Spain's 4 Patriot fire units ordered Dec 2025
    assert by_key.loc[("SVK", "barak-mx", "on order"), "delivery_year"] > 2026
    assert by_key.loc[("ESP", "patriot", "on order"), "fire_units_mid"] == 4
    for key in (("ITA", "samp-t-ng"), ("SVK", "barak-mx")):
        assert (*key, "in service") not in by_key.index


def test_no_excluded_kind_of_source_is_cited() -> None:
    """DESIGN.md: never adversary state media, the Pravda network, game files, quizzes."""
    src = load_table("sources")
    text = (src["source_id"] + " " + src["title"] + " " + src["publisher"]).str.lower()
    for needle in ("tass", "sputnik", "news-pravda", "dcs world", "topwar", "quiz"):
        assert not text.str.contains(needle, regex=False).any(), needle


def test_nothing_in_service_is_delivered_after_its_as_of_date() -> None:
    inv = load_table("inventory")
    ins = inv[inv["status"] == "in service"]
    as_of_year = ins["as_of"].astype(str).str[:4].astype(int)
    year = pd.to_numeric(ins["delivery_year"], errors="coerce")
    assert not (year > as_of_year).any()
    # an order delivered by its as_of year would be in service: orders stay ahead
    orders = inv[inv["status"] == "on order"]
    oyear = pd.to_numeric(orders["delivery_year"], errors="coerce")
    late = orders[oyear.notna() & (oyear < orders["as_of"].astype(str).str[:4].astype(int))]
    assert late.empty, late[["iso3", "system"]].to_dict("records")


def test_loaded_reference_is_complete_and_lists_every_fill() -> None:
    ref = load_reference()
    raw = load_table("systems")
    from gbad.imputation import SYSTEM_COLUMNS

    # electronic warfare fires no round: its interceptor cost stays empty, unlisted
    no_round = (raw["missiles_per_launcher"] == 0).to_numpy()
    priced = [c for c in SYSTEM_COLUMNS if c.startswith("interceptor_cost")]
    assert no_round.any() and raw.loc[no_round, priced].isna().all().all()
    gaps = int(raw[list(SYSTEM_COLUMNS)].isna().sum().sum()) - int(no_round.sum()) * len(priced)
    assert gaps > 0  # the embedded data do have gaps; each must be listed
    assert not ref.systems.loc[~no_round, list(SYSTEM_COLUMNS)].isna().any().any()
    unpriced = [c for c in SYSTEM_COLUMNS if c not in priced]
    assert not ref.systems.loc[no_round, unpriced].isna().any().any()
    filled = ref.imputed[ref.imputed["table"] == "systems"]
    assert len(filled) == gaps
    assert not filled.duplicated(["key", "column"]).any()
    assert set(ref.readiness["system"]) >= set(ref.systems["system"])
    assert list(ref.imputed.columns) == ["table", "key", "column", "value", "reason"]
    assert (ref.imputed["reason"].str.len() > 0).all()


def test_an_override_replaces_a_filled_cell_and_its_imputed_row() -> None:
    base = load_reference()
    hit = (base.imputed["key"] == "s-400") & (base.imputed["column"] == "launchers_per_fu")
    assert hit.sum() == 1  # Turkey's inactive S-400 has no parameters: filled
    ref = load_reference({"systems": {"s-400": {"launchers_per_fu": 6}}})
    assert ref.systems.set_index("system").loc["s-400", "launchers_per_fu"] == 6
    gone = (ref.imputed["key"] == "s-400") & (ref.imputed["column"] == "launchers_per_fu")
    assert not gone.any()
    assert len(ref.imputed) == len(base.imputed) - 1
    # a value an override blanks is filled again, and listed
    ref = load_reference({"systems": {"patriot": {"reload_time_min": None}}})
    assert ref.systems.set_index("system").loc["patriot", "reload_time_min"] > 0
    again = ref.imputed[(ref.imputed["key"] == "patriot")]
    assert list(again["column"]) == ["reload_time_min"]
