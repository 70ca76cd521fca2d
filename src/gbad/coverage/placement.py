"""Where today's fire units stand: a documented, reproducible placement rule.

The inventory lists fire units per ally and system but not where they are. gbad
places them by one transparent rule (not a claim about real deployments):

1. An ally's defended assets are ranked: its capital first, then by ``value``
   (descending), then by ``asset_id``.
2. Its in-service fire units (``status == "in service"``, ``fire_units_<level>``
   rounded to whole units) are taken tier by tier (long, medium, short,
   very-short, c-uas) and, within a tier, by system name.
3. Within each tier the k-th unit (k = 0, 1, ...) stands at the (k mod n)-th
   ranked asset, so the capital gets the first unit of every tier, the next
   assets the next ones, and when units outnumber assets the round starts again
   (a second unit at the capital: mutual support).
4. An ally without assets gets its units at its capital coordinates
   (``countries.capital_lat/_lon``).

The rule needs no randomness and gives the same table for the same data.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

import numpy as np
import pandas as pd

__all__ = ["FIRE_UNIT_COLUMNS", "place_baseline_units", "rank_assets"]

#: Columns of every fire-unit table passed between siting and coverage.
FIRE_UNIT_COLUMNS = [
    "fu_id",
    "iso3",
    "system",
    "tier",
    "lat",
    "lon",
    "site_id",
    "origin",
]

_TIER_ORDER = {"long": 0, "medium": 1, "short": 2, "very-short": 3, "c-uas": 4}


def rank_assets(assets: pd.DataFrame, iso3: str) -> pd.DataFrame:
    """The ally's assets, capital first, then value descending, then ``asset_id``."""
    a = assets[assets["iso3"] == iso3].copy()
    a["_cap"] = (a["kind"] != "capital").astype(int)
    a["_val"] = -pd.to_numeric(a["value"], errors="coerce").fillna(0.0)
    a = a.sort_values(["_cap", "_val", "asset_id"], kind="mergesort")
    return a.drop(columns=["_cap", "_val"]).reset_index(drop=True)


def place_baseline_units(
    inventory: pd.DataFrame,
    assets: pd.DataFrame,
    countries: pd.DataFrame | None = None,
    *,
    allies: Iterable[str] | None = None,
    level: Literal["low", "mid", "high"] = "mid",
    statuses: tuple[str, ...] = ("in service",),
) -> pd.DataFrame:
    """Place the in-service inventory at the allies' assets (rule in the module docstring).

    Returns
    -------
    pandas.DataFrame
        :data:`FIRE_UNIT_COLUMNS`; ``origin`` is ``"baseline"``, ``site_id`` the
        asset the unit stands at (or ``"capital:<iso3>"``).
    """
    inv = inventory[inventory["status"].isin(statuses)].copy()
    if allies is not None:
        inv = inv[inv["iso3"].isin(list(allies))]
    inv["n"] = np.rint(pd.to_numeric(inv[f"fire_units_{level}"], errors="coerce").fillna(0.0))
    inv = inv[inv["n"] > 0]
    inv["_t"] = inv["tier"].map(_TIER_ORDER).fillna(9)
    rows: list[dict[str, object]] = []
    for iso3, part in inv.groupby("iso3", sort=True):
        ranked = rank_assets(assets, str(iso3))
        if ranked.empty:
            if countries is None:
                continue
            cap = countries[countries["iso3"] == iso3]
            if cap.empty:
                continue
            sites = [
                (
                    f"capital:{iso3}",
                    float(cap["capital_lat"].iloc[0]),
                    float(cap["capital_lon"].iloc[0]),
                )
            ]
        else:
            sites = list(
                zip(
                    ranked["asset_id"].astype(str),
                    ranked["lat"].astype(float),
                    ranked["lon"].astype(float),
                    strict=True,
                )
            )
        ordered = part.sort_values(["_t", "system"], kind="mergesort")
        for tier, tpart in ordered.groupby("_t", sort=True):
            k = 0
            for rec in tpart.to_dict("records"):
                for _ in range(int(rec["n"])):
                    site, lat, lon = sites[k % len(sites)]
                    rows.append(
                        {
                            "fu_id": f"{iso3}-{rec['tier']}-{k + 1:04d}",
                            "iso3": str(iso3),
                            "system": str(rec["system"]),
                            "tier": str(rec["tier"]),
                            "lat": lat,
                            "lon": lon,
                            "site_id": site,
                            "origin": "baseline",
                        }
                    )
                    k += 1
            del tier
    return pd.DataFrame(rows, columns=FIRE_UNIT_COLUMNS)
