"""How each row of the reference ``gbad_inventory.csv`` maps onto gbad's inventory table.

One entry per reference row, in file order (112 rows). Fields:
``(system slug, status, delivery_year, low, mid, high, note)``.
``low/mid/high`` of ``None`` means: take the count from the reference row (launchers
for the short and very-short tiers, fire units otherwise) and the ESTIMATE range
"(range a-b)" from its notes. ``delivery_year`` is the year the order is stated to be
complete, else the first stated delivery year, else ``None`` (not stated).
A slug of ``None`` drops the row (Iceland: no armed forces).
"""

from __future__ import annotations

from typing import Any

IS, OO, PL, DO, NA = "in service", "on order", "planned", "donated", "not active"

ROWS: list[tuple[Any, ...]] = [
    ("patriot", IS, None, None, None, None, ""),
    ("patriot", OO, 2029, None, None, None, ""),
    ("iris-t-slm", IS, None, None, None, None, ""),
    ("iris-t-slm", OO, 2028, None, None, None, ""),
    ("arrow-3", IS, None, None, None, None, ""),
    ("arrow-3", OO, 2030, None, None, None, ""),
    ("skyranger", OO, 2028, None, None, None, "first deliveries 2028"),
    ("stinger", IS, None, 30, 50, 50, "LeFlaSys Ozelot (Stinger on Wiesel)"),
    ("stinger", IS, None, 0, 0, 100, "launcher count unknown; counted as 0"),
    ("mantis", IS, None, 1, 2, 2, ""),
    ("patriot", IS, None, None, None, None, "Wisla phase 1"),
    ("patriot", OO, 2029, None, None, None, "Wisla phase 2"),
    ("camm", IS, None, None, None, None, "Mala Narew: 2 fire units of 3 iLaunchers"),
    (
        "camm-er",
        OO,
        2035,
        23,
        23,
        23,
        "Narew: 138 launchers; ~23 batteries (legaartis.pl 23 sets; reference notes recalled)",
    ),
    ("pilica-plus", OO, 2029, None, None, None, "22 batteries, 44 iLaunchers"),
    ("poprad", IS, None, None, None, None, ""),
    ("piorun", IS, None, None, None, None, "in service / delivering"),
    ("s-125", IS, None, None, None, None, "legacy"),
    ("kub", IS, None, None, None, None, "legacy"),
    ("osa", IS, None, None, None, None, "legacy"),
    ("samp-t", IS, None, None, None, None, "Mamba"),
    ("samp-t-ng", OO, 2035, None, None, None, "replaces Mamba: not additive; 12 by 2035"),
    ("crotale", IS, None, None, None, None, "being replaced"),
    ("vl-mica", OO, 2025, None, None, None, "delivering"),
    ("mistral", IS, None, None, None, None, ""),
    ("sky-sabre", IS, None, None, None, None, ""),
    (
        "sky-sabre",
        OO,
        2028,
        2,
        3,
        3,
        "6 launchers on order; fire units = 6 / 2 launchers per fire unit (gbad estimate)",
    ),
    ("starstreak", IS, None, None, None, None, "count dated 2013"),
    ("samp-t", IS, None, None, None, None, ""),
    (
        "samp-t-ng",
        OO,
        2025,
        None,
        None,
        None,
        "4 contracted, deliveries from 2025; partly replacement",
    ),
    ("skyguard-aspide", IS, None, None, None, None, "being replaced"),
    ("camm-er", OO, None, 0, 0, 0, "quantity not published"),
    ("stinger", IS, None, 0, 0, 0, "count unknown; counted as 0"),
    ("patriot", IS, None, None, None, None, ""),
    ("nasams", IS, None, None, None, None, ""),
    ("hawk", IS, None, None, None, None, "Hawk XXI"),
    ("skyguard-aspide", IS, None, None, None, None, "Skyguard/Aspide + Spada 2000"),
    ("mistral", IS, None, None, None, None, ""),
    ("patriot", IS, None, None, None, None, ""),
    ("patriot", OO, 2029, None, None, None, ""),
    ("nasams", IS, None, None, None, None, "in use until ~2027"),
    ("nasams", OO, 2028, 0, 0, 0, "CITADEL (NASAMS + NOMADS): quantity not published"),
    ("skyranger", OO, 2028, None, None, None, ""),
    ("stinger", IS, None, None, None, None, "Stinger Weapon Platform vehicles"),
    ("patriot", IS, None, None, None, None, ""),
    ("s-300", IS, None, None, None, None, "Crete"),
    ("hawk", IS, None, None, None, None, "to be replaced by Barak MX"),
    ("crotale", IS, None, None, None, None, ""),
    ("tor", IS, None, None, None, None, "to be replaced by Spyder"),
    ("osa", IS, None, None, None, None, "to be replaced by Spyder"),
    ("stinger", IS, None, 0, 0, 0, "count unknown; counted as 0"),
    (
        "spyder",
        PL,
        2028,
        0,
        0,
        0,
        "Achilles Shield (Spyder, Barak MX, David's Sling): quantities not published",
    ),
    ("s-400", NA, None, None, None, None, "not active, not NATO-integrated: excluded"),
    ("siper", IS, None, None, None, None, ""),
    ("hisar-o", IS, None, None, None, None, ""),
    ("hisar-a", IS, None, None, None, None, ""),
    ("korkut", IS, None, None, None, None, ""),
    ("stinger", IS, None, 0, 0, 0, "Stinger/Sungur: count unknown; counted as 0"),
    ("patriot", IS, None, None, None, None, ""),
    ("patriot", OO, None, None, None, None, "contract Feb 2025; delivery year not stated"),
    ("hawk", IS, None, None, None, None, "to be replaced by Spyder"),
    ("spyder", OO, None, 0, 0, 0, "EUR 1.9bn; quantity not published"),
    ("skynex", OO, 2026, None, None, None, "4 systems of 6 guns; delivering 2025-2026"),
    ("kub", IS, None, None, None, None, "legacy"),
    ("nasams", IS, None, None, None, None, "2 + 4 modules"),
    ("mistral", IS, None, None, None, None, ""),
    ("skyranger", OO, None, 0, 0, 0, "quantity not published"),
    ("spyder", OO, 2026, None, None, None, ""),
    ("kub", IS, None, None, None, None, "legacy, being replaced"),
    ("rbs-70", IS, None, None, None, None, ""),
    ("s-300", DO, None, None, None, None, "only battery donated to Ukraine 2022"),
    ("barak-mx", OO, 2025, None, None, None, "deliveries from end-2025; unit definition unclear"),
    ("kub", IS, None, 0, 0, 1, "mostly donated; 0-1 battery may remain"),
    ("iris-t-slm", OO, None, None, None, None, ""),
    ("mistral", IS, None, None, None, None, ""),
    ("mistral", IS, None, None, None, None, "Mistral 3 delivered 2023-2024"),
    ("strela-10", IS, None, None, None, None, "Strela-10 / Igla (legacy)"),
    ("vl-mica", PL, 2026, 0, 0, 1, "funds for 1 of 5 batteries"),
    ("s-300", IS, None, None, None, None, "legacy"),
    ("iris-t-slm", OO, 2027, None, None, None, "~39 months after the 2024 contract"),
    ("kub", IS, None, None, None, None, "2K12 Kub / 9K33 Osa (legacy) lumped"),
    ("nasams", OO, 2027, None, None, None, "first H2 2027"),
    ("skyranger", OO, None, None, None, None, ""),
    ("mistral", IS, None, None, None, None, ""),
    ("nasams", OO, None, None, None, None, "1 in the BE-NL buy"),
    ("nasams", OO, 2025, None, None, None, "leased; delivering"),
    ("iris-t-slm", OO, 2026, None, None, None, ""),
    ("vl-mica", OO, 2026, None, None, None, ""),
    (
        "samp-t-ng",
        PL,
        None,
        None,
        None,
        None,
        "8 medium- and long-range systems (SAMP/T + NASAMS/IRIS-T/VL MICA); mix not final",
    ),
    ("stinger", IS, None, 0, 0, 0, "count unknown; counted as 0"),
    ("iris-t-slm", OO, None, None, None, None, "delivering"),
    ("mistral", IS, None, None, None, None, "Mistral / Piorun lumped"),
    ("iris-t-slm", OO, None, None, None, None, "delivering"),
    ("stinger", IS, None, None, None, None, "Stinger + RBS-70 lumped"),
    ("nasams", IS, None, None, None, None, ""),
    ("nasams", OO, 2026, None, None, None, "from 2026"),
    ("rbs-70", IS, None, None, None, None, "RBS 70 NG + Stinger/Grom/Piorun lumped"),
    ("nasams", IS, None, None, None, None, "depleted by donations"),
    ("nasams", OO, 2027, None, None, None, ""),
    ("patriot", IS, None, None, None, None, "Lvs 103"),
    ("iris-t-slm", OO, 2028, None, None, None, "from 2028"),
    ("iris-t-sls", OO, 2028, None, None, None, "Lvs 98"),
    ("rbs-70", IS, None, None, None, None, ""),
    ("nasams", IS, None, None, None, None, "ITO 12"),
    ("davids-sling", OO, None, 1, 1.5, 2, "quantity not disclosed; ESTIMATE 1-2"),
    ("crotale", IS, None, None, None, None, "Crotale NG (ITO 90M) + ASRAD-R (ITO 05) lumped"),
    ("stinger", IS, None, None, None, None, "Stinger + RBS 70 lumped"),
    ("stinger", IS, None, None, None, None, "NSPA package"),
    ("legacy-manpads", IS, None, None, None, None, "no GBAD found"),
    ("legacy-manpads", IS, None, None, None, None, "no GBAD found"),
    ("legacy-manpads", IS, None, None, None, None, "Strela-2/10, Igla (legacy)"),
    (None, None, None, None, None, None, "Iceland has no armed forces"),
]

#: Corrections to mapped rows, from sources found after the reference was compiled
#: (entries in ``reference_sources.py``). Key: ``(iso3, system slug, status as mapped)``;
#: value: the columns to set. ``source_id`` replaces the row's sources.
CORRECTIONS: dict[tuple[str, str, str], dict[str, Any]] = {
    ("DEU", "patriot", IS): {
        "notes": "in service; 12 fire units in 2022 minus 5 donated to Ukraine (3 by 2024, 2 "
        "announced Aug 2025); in 2023 six were in industrial upgrade or training (wiwo.de "
        "2023-06), so fewer are available than held (see readiness)",
    },
    ("DEU", "patriot", OO): {
        "notes": "on order (by 2029); replacement of donated systems",
    },
    ("ITA", "samp-t", IS): {
        "fire_units_low": 3.0,
        "fire_units_mid": 3.0,
        "fire_units_high": 4.0,
        "confidence": "medium",
        "as_of": "2026-01",
        "notes": "in service; 5 first-generation batteries since 2012, 2 of them sent to "
        "Ukraine (milex.org 2026-01-24): 3 (range 3-4)",
        "source_id": "milex-org-2026-01-24;defensemirror-com",
    },
    ("ITA", "samp-t-ng", OO): {
        "fire_units_low": 4.0,
        "fire_units_mid": 4.0,
        "fire_units_high": 4.0,
        "delivery_year": 2028,
        "as_of": "2026-01",
        "notes": "on order: 4 contracted through OCCAR (defensemirror.com) of 10 planned (the "
        "other 6 are a planned row); first battery handed to the Army on 22 Jan 2026 "
        "(milex.org 2026-01-24), entry into service 2026 (Italian MoD 2025-09-12); all 4 by "
        "2028 (gbad estimate); partly replaces SAMP/T (see retirements)",
        "source_id": "defensemirror-com;milex-org-2026-01-24;difesa-it-2025-09-12;gbad-est",
    },
    ("SVK", "barak-mx", OO): {
        "delivery_year": 2028,
        "as_of": "2026-03",
        "confidence": "medium (delivery year estimate)",
        "notes": "on order: 6 systems, EUR 560m (Israel MOD via Defence24); first parts of the "
        "first battery planned end-2025, full capability early 2026 (aktuality.sk 2024-11); "
        "deliveries delayed by the Middle East war (SITA, 24hod.sk 2026-03-04): all 6 by 2028 "
        "is a gbad estimate; not in service at the base year",
        "source_id": "defence24-pl-2024-12-barak-mx;aktuality-sk-2024-11;24hod-sk-2026-03-04;"
        "gbad-est",
    },
    ("ROU", "hawk", IS): {
        "fire_units_low": 2.0,
        "fire_units_mid": 4.0,
        "fire_units_high": 8.0,
        "notes": "in service, to be replaced by Spyder (contract July 2025, informat.ro); eight "
        "Hawk systems and 78 vehicles bought from the Netherlands in 2004 (telegrafonline.ro), "
        "partly upgraded to Hawk XXI: ESTIMATE 4 batteries in service (range 2-8, high = the "
        "2004 purchase)",
        "source_id": "telegrafonline-ro-hawk;informat-ro-2025-07-10;gbad-est",
    },
    ("ESP", "hawk", IS): {
        "fire_units_low": 2.0,
        "fire_units_mid": 4.0,
        "fire_units_high": 5.0,
        "launchers": 26,
        "as_of": "2023",
        "notes": "Hawk XXI; in service in Seville and Cadiz: 36 triple launchers in six "
        "batteries, 10 ceded to Ukraine (defensa.com 2023): 26 launchers = ESTIMATE 4 "
        "batteries of 6 launchers (range 2-5); kept to 2030 at the latest (see retirements)",
        "source_id": "defensa-com-2023-patriot-sustituira-hawk;moncloa-com-2022-11;gbad-est",
    },
    ("DEU", "mantis", IS): {
        "status": DO,
        "fire_units_low": 2.0,
        "fire_units_mid": 2.0,
        "fire_units_high": 2.0,
        "as_of": "2023-10",
        "confidence": "high",
        "notes": "both Bundeswehr MANTIS systems handed to Slovakia on 24 Oct 2023 (esut.de "
        "2023-11); see the SVK row",
        "source_id": "esut-de-2023-11",
    },
}

#: Rows the reference lacks (appended after the mapped rows).
EXTRA_ROWS: list[dict[str, Any]] = [
    {
        "iso3": "ITA",
        "system": "samp-t-ng",
        "status": PL,
        "fire_units_low": 0.0,
        "fire_units_mid": 6.0,
        "fire_units_high": 6.0,
        "launchers": None,
        "delivery_year": None,
        "as_of": "2026-01",
        "confidence": "medium",
        "count_known": True,
        "reference_system": "SAMP/T NG",
        "notes": "planned: the 6 of 10 SAMP/T NG not covered by the 4-system contract; "
        "milex.org (2026-01-24) reads all 10 as ordered in 2023-24 (low 0 if they are not)",
        "source_id": "defensemirror-com;milex-org-2026-01-24",
    },
    {
        "iso3": "ESP",
        "system": "patriot",
        "status": OO,
        "fire_units_low": 4.0,
        "fire_units_mid": 4.0,
        "fire_units_high": 4.0,
        "launchers": 24,
        "delivery_year": 2030,
        "as_of": "2025-12",
        "confidence": "high (delivery year estimate)",
        "count_known": True,
        "reference_system": "Patriot (Configuration 3+)",
        "notes": "on order: 4 fire units, USD 1.7bn FMS contract confirmed by RTX on 23 Dec 2025 "
        "(aerotime.aero); 24 M903 launchers, 4 radars in the 2023 approval (The Defense Post "
        "2023-10-06); not before 2028 (El Pais via MENAFN): delivery year 2030 gbad estimate",
        "source_id": "aerotime-aero-2025-12-23;thedefensepost-com-2023-10-06;"
        "menafn-com-2024-el-pais-patriot;gbad-est",
    },
    {
        "iso3": "SVK",
        "system": "mantis",
        "status": IS,
        "fire_units_low": 2.0,
        "fire_units_mid": 2.0,
        "fire_units_high": 2.0,
        "launchers": None,
        "delivery_year": None,
        "as_of": "2023-10",
        "confidence": "high",
        "count_known": True,
        "reference_system": "MANTIS",
        "notes": "in service: two MANTIS systems (six 35 mm guns each) given by Germany on "
        "24 Oct 2023, protecting critical infrastructure in eastern Slovakia (esut.de 2023-11)",
        "source_id": "esut-de-2023-11",
    },
]
