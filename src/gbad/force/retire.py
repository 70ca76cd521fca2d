"""Today's in-service fire units and the years they leave service.

A fire unit of system :math:`s` held by ally :math:`i` is in service in year
:math:`y` when it is in service in the base year (inventory status
``in service``) and :math:`y < Y^{ret}_{is}`, the retirement year of the
``retirements`` table (the ally's own row, else the row for every holder,
``iso3 = "*"``; no row: it stays). Ordered units are never in service in the
base year; they arrive with the industry schedule.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

__all__ = ["in_service_at", "retire_years"]

_COLUMNS = ["iso3", "tier", "system", "fire_units", "retire_year"]


def retire_years(ref: Any, level: str = "mid") -> dict[tuple[str, str], int]:
    """Retirement year by ``(iso3, system)``; ``("*", system)`` for every holder."""
    table = getattr(ref, "retirements", None)
    if not isinstance(table, pd.DataFrame) or table.empty:
        return {}
    col = f"retire_year_{level}"
    years = pd.to_numeric(table[col], errors="coerce")
    return {
        (str(i), str(s)): int(y)
        for i, s, y in zip(table["iso3"], table["system"], years, strict=True)
        if pd.notna(y)
    }


def in_service_at(
    ref: Any, allies: Sequence[str], year: int, *, level: str = "mid"
) -> pd.DataFrame:
    """Today's in-service fire units still in service in ``year``.

    Returns
    -------
    DataFrame
        ``iso3, tier, system, fire_units, retire_year`` (``fire_units`` the mid
        count; ``retire_year`` missing when the units do not retire).
    """
    inv = ref.inventory
    status = inv["status"].astype(str).str.strip().str.lower()
    rows = inv[(status == "in service") & inv["iso3"].isin(list(allies))]
    systems = ref.systems.set_index("system")
    rows = rows[rows["system"].astype(str).isin(set(systems.index.astype(str)))]
    units = pd.to_numeric(rows["fire_units_mid"], errors="coerce").fillna(0.0)
    tier = systems["tier"] if "tier" in systems else rows.set_index("system")["tier"]
    frame = pd.DataFrame(
        {
            "iso3": rows["iso3"].astype(str),
            "tier": rows["system"].map(tier).fillna("").astype(str),
            "system": rows["system"].astype(str),
            "fire_units": units.astype(float),
        }
    )
    frame = pd.DataFrame(
        frame.groupby(["iso3", "tier", "system"], as_index=False, sort=True)["fire_units"].sum()
    )
    ret = retire_years(ref, level)
    frame["retire_year"] = [
        ret.get((i, s), ret.get(("*", s)))
        for i, s in zip(frame["iso3"], frame["system"], strict=True)
    ]
    frame["retire_year"] = frame["retire_year"].astype("Int64")
    alive = frame["retire_year"].isna() | (frame["retire_year"] > int(year))
    out = frame[alive.to_numpy(dtype=bool)].reset_index(drop=True)
    return out[_COLUMNS]
