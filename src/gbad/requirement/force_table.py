"""A force given as fire-unit counts (``iso3, system, fire_units``) as an order of battle.

``force.csv`` (written by ``gbad requirement --out``, read by ``gbad campaign
--force``) lists fire units in service per ally and system. Two optional columns,
``lat, lon``, say where units stand on the spatial campaign: a row with them holds
``fire_units`` units standing at that position, rows of one ally and system in the
order the campaign stands them (:func:`sites_of_counts`); a row without them
holds units in service that stand nowhere in particular (not ready, or placed by
the campaign's rule). Counts are summed per ally and system either way, so a file
with the three columns alone is read as before. Here it becomes the
:data:`gbad.force.FORCE_COLUMNS` rows the campaign fights with, by the force
stage's own rules: the ready fire units are the in-service ones times the
system's readiness, and every fire unit holds its load plus the scenario's depot
loads (:func:`gbad.force.stock_per_fu`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from gbad.errors import GbadInputError
from gbad.force import FORCE_COLUMNS, stock_per_fu

__all__ = [
    "COUNT_COLUMNS",
    "SITE_COLUMNS",
    "check_counts",
    "counts_of_force",
    "force_from_counts",
    "sites_of_counts",
]

#: Columns of ``force.csv``.
COUNT_COLUMNS: tuple[str, ...] = ("iso3", "system", "fire_units")
#: Optional columns of ``force.csv``: where the row's units stand [degrees].
SITE_COLUMNS: tuple[str, ...] = ("lat", "lon")


def sites_of_counts(counts: pd.DataFrame, *, name: str = "force") -> pd.DataFrame | None:
    """Where the units of a ``force.csv`` stand: ``iso3, system, lat, lon``, one row a unit.

    Rows with both ``lat`` and ``lon`` give ``fire_units`` units at that position,
    in file order within each ally and system; rows with both empty give none.
    ``None`` when the file has no ``lat, lon`` columns or no row with a position.

    Raises
    ------
    GbadInputError
        Naming the column and 1-based data row of a position that is not a
        number in range (latitude -90..90, longitude -180..180) or given half.
    """
    if not all(c in counts.columns for c in SITE_COLUMNS):
        return None
    rows = []
    for k, rec in enumerate(counts.to_dict("records"), start=1):
        raw = {c: str(rec[c]).strip() for c in SITE_COLUMNS}
        empty = {c: raw[c] in {"", "nan", "None"} for c in SITE_COLUMNS}
        if all(empty.values()):
            continue
        pos = {}
        for c, bound in zip(SITE_COLUMNS, (90.0, 180.0), strict=True):
            try:
                value = math.nan if empty[c] else float(raw[c])
            except ValueError:
                value = math.nan
            if not math.isfinite(value) or abs(value) > bound:
                raise GbadInputError(
                    f"{name}: {c}", f"row {k}: {raw[c]!r} is not a position in -{bound}..{bound}"
                )
            pos[c] = value
        n = int(float(rec["fire_units"]))
        iso, system = str(rec["iso3"]).strip(), str(rec["system"]).strip()
        rows.extend([(iso, system, pos["lat"], pos["lon"])] * n)
    if not rows:
        return None
    return pd.DataFrame(rows, columns=["iso3", "system", "lat", "lon"])


def check_counts(
    counts: pd.DataFrame, allies: Sequence[str], systems: Sequence[str], *, name: str = "force"
) -> pd.DataFrame:
    """``counts`` checked and summed per ally and system (``iso3, system, fire_units``).

    Raises
    ------
    GbadInputError
        Naming the column (``force: fire_units``) and the 1-based data row of a
        missing column, an unknown ally or system, or a count that is not a
        non-negative whole number.
    """
    missing = [c for c in COUNT_COLUMNS if c not in counts.columns]
    if missing:
        raise GbadInputError(f"{name}: {missing[0]}", "missing column")
    known_a, known_s = set(allies), set(systems)
    rows = []
    for k, rec in enumerate(counts[list(COUNT_COLUMNS)].to_dict("records"), start=1):
        iso, system, raw = str(rec["iso3"]).strip(), str(rec["system"]).strip(), rec["fire_units"]
        if iso not in known_a:
            raise GbadInputError(f"{name}: iso3", f"row {k}: unknown or excluded ally {iso!r}")
        if system not in known_s:
            raise GbadInputError(f"{name}: system", f"row {k}: unknown system {system!r}")
        try:
            value = float(raw)
        except (TypeError, ValueError):
            value = math.nan
        if not math.isfinite(value) or value < 0 or value != int(value):
            raise GbadInputError(
                f"{name}: fire_units", f"row {k}: {raw!r} is not a non-negative whole number"
            )
        rows.append((iso, system, int(value)))
    frame = pd.DataFrame(rows, columns=list(COUNT_COLUMNS))
    out: pd.DataFrame = frame.groupby(["iso3", "system"], as_index=False, sort=True)[
        ["fire_units"]
    ].sum()
    return out


def counts_of_force(force: pd.DataFrame) -> pd.DataFrame:
    """``iso3, system, fire_units`` (in service) of an order of battle."""
    frame = force.groupby(["iso3", "system"], as_index=False, sort=True)["fire_units"].sum()
    frame["fire_units"] = frame["fire_units"].astype(np.int64)
    return frame[frame["fire_units"] > 0].reset_index(drop=True)


def force_from_counts(ref: Any, scenario: Any, counts: pd.DataFrame, year: int) -> pd.DataFrame:
    """The order of battle (:data:`gbad.force.FORCE_COLUMNS`) of fire-unit counts.

    Parameters
    ----------
    ref : Reference
        ``systems`` (tier, load) and ``readiness``.
    scenario : Scenario
        ``force.readiness_level`` and ``campaign`` (depot loads).
    counts : DataFrame
        ``iso3, system, fire_units`` in service (checked by :func:`check_counts`).
    year : int
        Year of the force.

    Returns
    -------
    DataFrame
        ``fire_units_ready = fire_units × readiness`` and ``interceptors =
        floor(fire_units × L (1 + ℓ m))``; ``delivered`` and ``retired`` are 0
        (a count carries no history).
    """
    from gbad.budget.costs import interceptors_per_fu
    from gbad.force.stage import _readiness

    frame = counts[counts["fire_units"] > 0]
    systems = sorted({str(s) for s in frame["system"]})
    ready, _ = _readiness(ref, systems, str(scenario.force.readiness_level))
    tiers = ref.systems.set_index("system")["tier"].astype(str)
    load = interceptors_per_fu(ref.systems)
    camp = scenario.campaign
    rows = []
    for rec in frame.to_dict("records"):
        s, n = str(rec["system"]), int(rec["fire_units"])
        per_fu = stock_per_fu(
            float(load.get(s, 0.0)), camp.stockpile_loads, camp.stockpile_multiplier
        )
        rows.append(
            {
                "year": int(year),
                "iso3": str(rec["iso3"]),
                "tier": str(tiers.get(s, "")),
                "system": s,
                "fire_units": n,
                "fire_units_ready": n * ready[s],
                "readiness": ready[s],
                "interceptors": math.floor(n * per_fu + 1e-9),
                "delivered": 0,
                "retired": 0,
            }
        )
    return pd.DataFrame(rows, columns=FORCE_COLUMNS)
