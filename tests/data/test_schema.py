"""The schema table, the per-row basis and the source rules of the embedded data."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from gbad.data_quality import (
    check_table,
    flag_sources,
    load_schema,
    load_source_rules,
)
from gbad.reference import _CSV_TABLES, load_reference, load_table

#: Values of each table when they moved from Python modules in tools/ to the CSV files
#: (checked equal, column by column, to the tables of the commit before the move),
#: hashed with pandas.util.hash_pandas_object over every column but the text that
#: re-sourcing rewrites (``TEXT_COLUMNS``). A changed value changes the hash: a
#: deliberate correction updates it here, with the reason in the commit.
CONTENT_HASH = {
    "countries": 9470340446406616648,
    # Poprad's fire-unit cost added from its 2017 contract (was imputed at the short-tier
    # median, 83 MUSD); the counter-UAS effectors added (San, Merops, Sting, Frankenburg
    # Mark I, DragonFire, SKYctrl EW) with their envelopes; every other value as moved.
    # Barak MX composition published: three launchers of eight missiles (was imputed).
    # Launchers, missiles and costs of every system in service now in the data (were
    # imputed at load): legacy systems priced from public sales (Tor-M1 to Greece, the
    # Cypriot S-300, Brazil's Gepards) or valued against them (estimates that say so);
    # HİSAR-O/-A, SİPER, KORKUT from the Steel Dome package's average per vehicle. The
    # missile_line column: SAMP/T and SAMP/T NG on one Aster line, Sky Sabre on CAMM's.
    # IRIS-T SLS launch system priced from Sweden's Lvs 98 contracts (was imputed); VL
    # MICA's launcher and Spyder's and Barak MX's missiles estimated against CAMM (were
    # imputed at tier medians, which moved with the legacy prices above).
    # Fire channels and reload times of every system in a plan now in the data (were
    # imputed at tier medians): estimates with their range and reasoning in value_status
    # (SİPER, Spyder, Barak MX, HİSAR-O/-A, Hawk, Kub, S-125, IRIS-T SLS, VL MICA,
    # Crotale, Skyguard/Aspide, Osa, Tor, Strela-10); Poprad's operating cost stored (the
    # same 5% of its fire-unit cost the fill gave).
    "systems": 6858792310585122648,
    # Published envelopes replace gbad estimates: Poprad 5.5 km / 3.5 km (was Piorun's 6.5 /
    # 4.0), Gepard 5 km / 2.5 km (was 4.5 / 3.0), Skyranger up to 3 km (was 3.5-4.0), RBS 70
    # ceiling 4 km (Saab; was Mistral's 3 km), NASAMS ceiling 15 km (Lithuanian MoD; was 17.5).
    # Arrow 3's ballistic radius is its defended area, 450 km (estimate 300-850), not the
    # low end of its interceptor reach (1,000 km, which the 850 km radar range then capped).
    # MANTIS 3 km against every class (Behörden Spiegel: a 360-degree radius of three
    # kilometres; was 3.5-4.0 estimated).
    # Values recalled from memory replaced by published ones: Hawk's ceiling 18 km (tech.wp.pl;
    # was 17.5), Kub's floor 50 m (Kresy.pl; was 30 m), Aspide's range 20 km against
    # aircraft (RaiNews; was 15). Stinger 5 km against aircraft (AP via Handelsblatt; was
    # 4.8 estimated).
    "envelopes": 3936974012062787091,
    # Production lines added for SAMP/T NG, CAMM-ER, IRIS-T SLS, Pilica+, VL MICA and
    # Skyranger (published ramp-ups, or estimates that say so), and VL MICA's estimated
    # ramp-up from 2028; Mistral at MBDA's published 20 (2024) and 40 (2025) a month (was an
    # estimate of 300-500 a year).
    # Poprad's line added (77 vehicles delivered 2018-2021, 24 planned for 2020; its
    # missiles an estimated share of Mesko's Piorun output): it had none.
    # Lines added for Spyder, Barak MX, Sky Sabre (fire units; its missiles from the
    # CAMM line), HİSAR-O/-A, SİPER, KORKUT, RBS 70 and Starstreak: estimates from
    # contract deliveries, each saying why (they had none: uncapped).
    "production": 7248548973609932131,
    "threats": 7785813156811932927,
    # Slovenia's IRIS-T SLM fire unit in service since its delivery in January 2024 (was
    # on order); Sweden's IRIS-T SLS order dated to its contract of Nov 2025 (was 2023);
    # Lithuania's NASAMS on order: the two batteries the minister named, complete in 2028;
    # Romania's Spyder order: six systems by 2032 (was quantity unknown); Greece's Achilles
    # Shield after the end of the decade (was 2028); Denmark's SAMP/T NG 2-4 of its eight
    # long- and medium-range systems (was all 8); France's Crotale NG 12 -> 10 (2 to Ukraine).
    # Counter-UAS holdings and orders added (San, SKYctrl, Merops, Skyranger DNK/DEU,
    # Gepard ROU, DragonFire GBR); MANPADS of ITA, GRC, TUR, DNK estimated (were 0).
    # The Netherlands' Skyranger order complete in 2029 (deliveries late 2028 to end 2029,
    # Dec 2025 contract; was 2028).
    # Counts recalled from memory replaced: Czech RBS 70 16 -> 32 (16 older + 16 NG, e15.cz);
    # Polish Newa-SC 12 -> 10 fire units (51 launchers, 12 reported given to Ukraine:
    # Wprost, Gazeta.pl); German Ozelot 50 -> 30 (ESUT: "a few" left); Turkish S-400 two
    # batteries delivered (Turkish MoD; was 4, not active either way).
    "inventory": 10928448113671213549,
    "assets": 7520103507785731882,
    "launch_areas": 7355289886389374717,
    "attacks": 9914371465781849313,
    # readiness estimates of the counter-UAS effectors added (were imputed)
    "readiness": 7180315368041349196,
    # Greek Hawk, S-300, Osa and Tor retire after Achilles Shield arrives (after 2030, was
    # 2029-2030); Romanian Hawk as its six Spyder systems arrive (2028-2032).
    "retirements": 4477855440490129198,
    # Europe's share of the six new lines (estimates); Poprad's line (Poland only, estimate).
    # Europe's share of the nine lines added with them (estimates).
    "line_shares": 17678016702893858434,
}
TEXT_COLUMNS = ("basis", "source_id", "notes", "value_status", "gdp_value_status")
ROW_BASIS = ("inventory", "systems", "production", "envelopes", "countries")


def test_schema_covers_every_column_of_every_table() -> None:
    schema = load_schema()
    for name in _CSV_TABLES:
        frame = load_table(name)
        described = list(schema.loc[schema["table"] == name, "column"])
        assert described == list(frame.columns), name
    assert (schema["description"] != "").all()
    assert set(schema["type"]) <= {"str", "int", "float", "bool"}
    assert not schema.duplicated(["table", "column"]).any()


@pytest.mark.parametrize("name", _CSV_TABLES)
def test_every_table_passes_its_schema(name: str) -> None:
    ids = frozenset(load_table("sources")["source_id"])
    assert check_table(name, load_table(name), ids) == []


def test_the_checks_catch_each_kind_of_error() -> None:
    good = load_table("production")
    ids = frozenset(load_table("sources")["source_id"])
    cases = {
        "_low <= interceptors_per_year_mid": good.assign(
            interceptors_per_year_low=good["interceptors_per_year_high"] + 1
        ),
        "expected integers": good.assign(year=good["year"] + 0.5),
        "below 0": good.assign(fire_units_per_year_high=-1),
        "not allowed": good.assign(basis="guess"),
        "unknown ids": good.assign(source_id="no-such-source"),
        "columns not in the schema": good.assign(extra=1),
        "schema columns missing": good.drop(columns=["notes"]),
        "expected numbers": good.assign(year="2026"),
    }
    for needle, frame in cases.items():
        problems = check_table("production", frame, ids)
        assert any(needle in p for p in problems), (needle, problems)


@pytest.mark.parametrize("name", sorted(CONTENT_HASH))
def test_moving_the_values_into_the_data_files_changed_no_value(name: str) -> None:
    frame = load_table(name)
    keep = [c for c in frame.columns if c not in TEXT_COLUMNS]
    digest = int(pd.util.hash_pandas_object(frame[keep], index=False).sum()) % (1 << 64)
    assert digest == CONTENT_HASH[name]


@pytest.mark.parametrize("name", ROW_BASIS)
def test_every_estimate_says_why(name: str) -> None:
    frame = load_table(name)
    assert set(frame["basis"]) <= {"published", "derived", "estimate"}
    reasons = [c for c in ("notes", "value_status", "gdp_value_status") if c in frame.columns]
    est = frame[frame["basis"] != "published"]
    said = est[reasons].apply(lambda r: any(str(v).strip() for v in r), axis=1)
    assert said.all(), list(est.loc[~said].index)


def test_an_all_gbad_row_is_never_called_published() -> None:
    for name in ROW_BASIS:
        frame = load_table(name)
        gbad_only = frame["source_id"].map(
            lambda v: all(i.startswith("gbad") for i in v.split(";") if i)
        )
        assert (frame.loc[gbad_only, "basis"] != "published").all(), name


def test_no_row_cites_an_excluded_kind_of_source() -> None:
    flagged = flag_sources(load_table("sources"))
    excluded = set(flagged.loc[flagged["rule"] == "excluded", "source_id"])
    rules = load_source_rules()
    patterns = rules.loc[rules["rule"] == "excluded", "pattern"]
    curated = ("inventory", "systems", "production", "envelopes", "countries", "threats")
    for name in (*curated, "readiness", "retirements", "line_shares", "launch_areas"):
        frame = load_table(name)
        cited = {i for v in frame["source_id"] for i in v.split(";")}
        assert not cited & excluded, name
        prose = [c for c in ("notes", "value_status", "gdp_value_status") if c in frame.columns]
        text = " ".join(" ".join(frame[c].astype(str)) for c in prose)
        for pattern in patterns:
            assert not re.search(pattern, text, flags=re.I), (name, pattern)


def test_every_source_rule_is_a_pattern_of_a_known_kind() -> None:
    # The rules are the audit's policy (gbad.source_rules), kept out of the data.
    from gbad.source_rules import KINDS, RULES

    rules = load_source_rules()
    assert list(rules.columns) == ["pattern", "kind", "rule", "reason"]
    assert set(rules["kind"]) <= set(KINDS)
    assert set(rules["rule"]) == set(RULES)
    assert (rules["reason"] != "").all()
    for pattern in rules["pattern"]:
        re.compile(pattern)


def test_the_rules_flag_what_they_name() -> None:
    sources = pd.DataFrame(
        {
            "source_id": ["tass-com-2024", "x-blogspot-com", "nato-int", "pravda-volyn-ua"],
            "title": ["TASS report", "re-post", "NATO", "Volyn regional newspaper"],
            "publisher": ["tass.com", "x.blogspot.com", "NATO", "pravda.volyn.ua"],
            "url": ["", "", "https://www.nato.int", ""],
        }
    )
    flagged = flag_sources(sources).set_index("source_id")
    assert flagged.loc["tass-com-2024", "rule"] == "excluded"
    assert flagged.loc["x-blogspot-com", "kind"] == "re-posting blog"
    assert "nato-int" not in flagged.index
    assert "pravda-volyn-ua" not in flagged.index  # a Ukrainian paper, not the network


def test_every_system_in_service_has_launchers_missiles_and_costs() -> None:
    # From the data as stored, not from the load-time fill: a published, derived or
    # estimated (low/mid/high, with its reasoning) value for each of the four.
    ref = load_reference()
    held = set(ref.inventory.loc[ref.inventory["status"] == "in service", "system"])
    # electronic warfare fires no round (tests/data/test_effectors.py checks it)
    no_round = set(ref.effectors.loc[ref.effectors["effector"] == "ew", "system"])
    stored = load_table("systems").set_index("system").loc[sorted(held)]
    needed = [
        "launchers_per_fu",
        "missiles_per_launcher",
        *(f"fire_unit_cost_musd_{lvl}" for lvl in ("low", "mid", "high")),
        *(f"interceptor_cost_musd_{lvl}" for lvl in ("low", "mid", "high")),
    ]
    for system, row in stored.iterrows():
        fires = system not in no_round
        want = [c for c in needed if fires or not ("interceptor" in c or "missiles" in c)]
        missing = [c for c in want if pd.isna(row[c]) or not row[c] > 0]
        assert not missing, (system, missing)
        for stem in ("fire_unit_cost_musd", "interceptor_cost_musd"):
            if not fires and stem.startswith("interceptor"):
                continue
            assert row[f"{stem}_low"] <= row[f"{stem}_mid"] <= row[f"{stem}_high"], system
    filled = set(ref.imputed.loc[ref.imputed["column"].isin(needed), "key"])
    assert not filled & held, sorted(filled & held)


def test_no_system_in_a_plan_needs_the_load_time_fill() -> None:
    # Every system held, ordered or planned (all but the inactive) carries every column
    # the plan reads, fire channels and reload time included, in the data as stored: the
    # load-time fill (``imputed``) is left for inactive systems only.
    from gbad.imputation import SYSTEM_COLUMNS

    ref = load_reference()
    used = set(ref.inventory.loc[ref.inventory["status"] != "not active", "system"])
    stored = load_table("systems").set_index("system").loc[sorted(used)]
    # electronic warfare fires no round, so it has no interceptor price
    no_round = set(ref.effectors.loc[ref.effectors["effector"] == "ew", "system"])
    empty = [
        (s, c)
        for s, row in stored.iterrows()
        for c in SYSTEM_COLUMNS
        if pd.isna(row[c]) and not (s in no_round and c.startswith("interceptor"))
    ]
    assert not empty, empty
    filled = set(ref.imputed.loc[ref.imputed["table"] == "systems", "key"])
    assert not filled & used, sorted(filled & used)
    assert filled <= set(ref.inventory.loc[ref.inventory["status"] == "not active", "system"]) | (
        set(ref.systems["system"]) - set(ref.inventory["system"])
    )


def test_no_value_is_cited_as_recalled_from_memory() -> None:
    # A value is published (a source with its address), derived from published ones, or a
    # stated estimate; "recalled, not verified" is none of these.
    assert not (load_table("sources")["source_id"] == "gbad-recalled").any()
    for name in (*ROW_BASIS, "readiness", "retirements", "line_shares"):
        frame = load_table(name)
        text = frame[[c for c in frame.columns if c in TEXT_COLUMNS]].astype(str)
        said = text.apply(lambda col: col.str.contains("recalled", case=False)).any(axis=1)
        assert not said.any(), (name, list(frame.index[said]))


def test_the_audit_finds_no_gap_in_service() -> None:
    from gbad.data_quality import audit

    ref = load_reference()
    assert audit(ref, load_table("systems"))["gaps"] == []


def test_nothing_in_service_is_delivered_after_its_as_of_date() -> None:
    inv = load_table("inventory")
    rows = inv[(inv["status"] == "in service") & inv["delivery_year"].notna()]
    as_of_year = rows["as_of"].str[:4].replace("", "9999").astype(int)
    assert (rows["delivery_year"] <= as_of_year).all()
    on_order = inv[inv["status"] == "on order"]
    assert on_order["delivery_year"].notna().any()  # the column is used, not empty
