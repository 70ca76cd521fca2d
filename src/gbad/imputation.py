"""Fill the gaps of the systems and readiness tables, and say how each gap was filled.

The reference data leave a number empty where no public figure exists and no
estimate was made (legacy lumped rows, systems with no sourced parameters). The
stages need a number for every system, so gaps are filled here, at load time, by
a stated rule, and every filled cell is listed in one ``imputed`` frame
(``table, key, column, value, reason``) that a plan reports. Nothing is filled
silently.

Rules (in order; the first that applies fills the cell). A system that fires no
round (``missiles_per_launcher`` 0: electronic warfare) keeps an empty interceptor
cost: there is nothing to price.

1. ``opex_musd_per_year``: 5% of the fire unit's mid cost a year, the rule the
   sourced rows follow (``docs/data.md``).
2. A low/mid/high triple with some members present: the missing members are set
   from the present ones by the tier's median ratio to mid (or the midpoint of
   low and high for a missing mid), kept in order.
3. The median of the systems of the same tier that have a value ("tier median");
   for a very-short system's fire-unit cost only very-short systems count, since
   its fire unit is one launcher (command launch unit or firing post), never a
   missile.
4. The median over all systems that have a value.
5. A documented last-resort default (:data:`LAST_RESORT`), only when no system in
   the table has the value at all.

>>> import pandas as pd
>>> s = pd.DataFrame({"system": ["a", "b", "c"], "tier": ["short"] * 3,
...                   "reload_time_min": [10.0, 30.0, None]})
>>> filled, imputed = impute_systems(s)
>>> float(filled.loc[2, "reload_time_min"])
20.0
>>> imputed.set_index(["key", "column"]).loc[("c", "reload_time_min"), "reason"]
'median of the 2 short-tier systems with data (a, b)'
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

__all__ = [
    "IMPUTED_COLUMNS",
    "LAST_RESORT",
    "SYSTEM_COLUMNS",
    "impute_readiness",
    "impute_systems",
]

#: Columns of the ``imputed`` frame: one row per filled cell.
IMPUTED_COLUMNS = ["table", "key", "column", "value", "reason"]

TRIPLES = ("interceptor_cost_musd", "fire_unit_cost_musd")

#: Columns of ``systems`` that are filled for every system.
SYSTEM_COLUMNS: tuple[str, ...] = (
    "launchers_per_fu",
    "missiles_per_launcher",
    "fire_channels",
    "reload_time_min",
    *(f"{stem}_{lvl}" for stem in TRIPLES for lvl in ("low", "mid", "high")),
    "opex_musd_per_year",
)

#: Share of the mid fire-unit cost spent a year on operation and support.
OPEX_SHARE_PER_YEAR = 0.05

#: Used only when no system in the table has a value for the column (gbad estimates:
#: one launcher of one missile, one channel, one hour to reload; a very-short fire
#: unit is one MANPADS launcher, 0.1-0.5 MUSD; other costs: none known, so the
#: medians of the embedded data's medium tier, rounded).
LAST_RESORT: dict[str, float] = {
    "launchers_per_fu": 1.0,
    "missiles_per_launcher": 1.0,
    "fire_channels": 1.0,
    "reload_time_min": 60.0,
    "interceptor_cost_musd_low": 0.5,
    "interceptor_cost_musd_mid": 1.0,
    "interceptor_cost_musd_high": 1.5,
    "fire_unit_cost_musd_low": 100.0,
    "fire_unit_cost_musd_mid": 175.0,
    "fire_unit_cost_musd_high": 250.0,
    "opex_musd_per_year": 8.75,
    "readiness_low": 0.5,
    "readiness_mid": 0.7,
    "readiness_high": 0.85,
}
#: Last resort for a very-short fire unit (one launcher / firing post) [MUSD].
MANPADS_LAUNCHER_MUSD = {"low": 0.1, "mid": 0.25, "high": 0.5}

_LEVELS = ("low", "mid", "high")


def _num(frame: pd.DataFrame, col: str) -> pd.Series:
    if col not in frame.columns:
        return pd.Series(np.nan, index=frame.index, dtype=float)
    return pd.to_numeric(frame[col], errors="coerce").astype(float)


def _names(frame: pd.DataFrame, mask: pd.Series, key: str) -> str:
    names = [str(v) for v in frame.loc[mask, key]]
    return ", ".join(names[:6]) + (", ..." if len(names) > 6 else "")


def _median_fill(frame: pd.DataFrame, values: pd.Series, row: int) -> tuple[float, str]:
    """Median of the same-tier systems with a value; else of all systems; else NaN."""
    have = values.notna()
    tier = str(frame.loc[row, "tier"])
    same = have & (frame["tier"] == tier)
    if same.any():
        n = int(same.sum())
        return (
            float(values[same].median()),
            f"median of the {n} {tier}-tier systems with data ({_names(frame, same, 'system')})",
        )
    if have.any():
        n = int(have.sum())
        return (
            float(values[have].median()),
            f"no {tier}-tier system has a value: median of all {n} with data",
        )
    return math.nan, ""


def _record(
    rows: list[dict[str, object]], table: str, key: str, *, column: str, value: float, reason: str
) -> None:
    rows.append({"table": table, "key": key, "column": column, "value": value, "reason": reason})


def _fill_triple(
    frame: pd.DataFrame, stem: str, rows: list[dict[str, object]], table: str, key: str
) -> None:
    """Fill the missing members of ``stem_low/_mid/_high`` row by row, in order."""
    cols = [f"{stem}_{lvl}" for lvl in _LEVELS]
    orig = {lvl: _num(frame, c).copy() for lvl, c in zip(_LEVELS, cols, strict=True)}
    complete = orig["low"].notna() & orig["mid"].notna() & orig["high"].notna()
    tier = frame["tier"].astype(str)
    # A system that fires no round (electronic warfare: no missile per launcher) has no
    # interceptor to price; its interceptor cost stays empty.
    no_round = (_num(frame, "missiles_per_launcher") == 0) & (stem == "interceptor_cost_musd")
    for c in cols:
        if c not in frame.columns:
            frame[c] = np.nan
        frame[c] = _num(frame, c)
    for i in frame.index:
        have = {lvl: orig[lvl][i] for lvl in _LEVELS if not math.isnan(orig[lvl][i])}
        if len(have) == 3 or no_round[i]:
            continue
        system = str(frame.loc[i, key])
        very_short_fu = stem == "fire_unit_cost_musd" and tier[i] == "very-short"
        out: dict[str, tuple[float, str]] = {}
        if "mid" in have and len(have) < 3:
            pool = complete & (tier == tier[i])
            pool = pool if pool.any() or very_short_fu else complete
            for lvl in ("low", "high"):
                if lvl in have:
                    continue
                if pool.any():
                    ratio = float((orig[lvl][pool] / orig["mid"][pool]).median())
                    why = f"mid x median {lvl}/mid ratio of {int(pool.sum())} systems ({ratio:.3g})"
                else:
                    ratio, why = 1.0, f"no system with a full range: {lvl} = mid"
                out[lvl] = (have["mid"] * ratio, why)
        elif "low" in have and "high" in have:
            out["mid"] = ((have["low"] + have["high"]) / 2, "midpoint of low and high")
        else:
            for lvl in _LEVELS:
                if lvl in have:
                    continue
                pool = complete & (tier == tier[i])
                if pool.any():
                    n = int(pool.sum())
                    what = "very-short launchers" if very_short_fu else f"{tier[i]}-tier systems"
                    out[lvl] = (
                        float(orig[lvl][pool].median()),
                        f"median of the {n} {what} with data ({_names(frame, pool, key)})",
                    )
                elif very_short_fu:
                    out[lvl] = (
                        MANPADS_LAUNCHER_MUSD[lvl],
                        "no very-short launcher cost in the table: gbad estimate of one "
                        "MANPADS launcher (command launch unit or firing post) 0.1-0.5 MUSD",
                    )
                elif complete.any():
                    n = int(complete.sum())
                    out[lvl] = (
                        float(orig[lvl][complete].median()),
                        f"no {tier[i]}-tier system has a value: median of all {n} with data",
                    )
                else:
                    out[lvl] = (
                        LAST_RESORT[f"{stem}_{lvl}"],
                        "no system in the table has a value: last-resort gbad default",
                    )
        vals = {**have, **{k: v for k, (v, _) in out.items()}}
        # keep low <= mid <= high: a filled member never crosses a present one
        if "low" in out:
            vals["low"] = min(vals["low"], vals["mid"], vals["high"])
        if "high" in out:
            vals["high"] = max(vals["high"], vals["mid"], vals["low"])
        if "mid" in out:
            vals["mid"] = min(max(vals["mid"], vals["low"]), vals["high"])
        for lvl, (_, why) in out.items():
            col = f"{stem}_{lvl}"
            frame.loc[i, col] = vals[lvl]
            _record(rows, table, system, column=col, value=float(vals[lvl]), reason=why)


def impute_systems(systems: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Fill every gap in the listed columns of ``systems``; list each filled cell.

    Parameters
    ----------
    systems : pandas.DataFrame
        The systems table (``system``, ``tier`` and the columns of
        :data:`SYSTEM_COLUMNS`; absent columns are added and filled).

    Returns
    -------
    (pandas.DataFrame, pandas.DataFrame)
        A filled copy of ``systems`` and the ``imputed`` frame
        (:data:`IMPUTED_COLUMNS`), one row per filled cell, ``table="systems"``,
        ``key`` the system slug. Present values are never changed.
    """
    frame = systems.copy()
    rows: list[dict[str, object]] = []
    if frame.empty or "system" not in frame.columns or "tier" not in frame.columns:
        return frame, pd.DataFrame(rows, columns=IMPUTED_COLUMNS)
    frame = frame.reset_index(drop=True)
    for col in ("launchers_per_fu", "missiles_per_launcher", "fire_channels", "reload_time_min"):
        values = _num(frame, col).copy()
        frame[col] = values.copy()
        for i in frame.index[values.isna()]:
            value, why = _median_fill(frame, values, i)
            if math.isnan(value):
                value, why = LAST_RESORT[col], "no system in the table has a value: last-resort"
            frame.loc[i, col] = value
            _record(
                rows, "systems", str(frame.loc[i, "system"]), column=col, value=value, reason=why
            )
    for stem in TRIPLES:
        _fill_triple(frame, stem, rows, "systems", "system")
    opex = _num(frame, "opex_musd_per_year").copy()
    frame["opex_musd_per_year"] = opex.copy()
    for i in frame.index[opex.isna()]:
        value = round(OPEX_SHARE_PER_YEAR * float(frame.loc[i, "fire_unit_cost_musd_mid"]), 6)
        frame.loc[i, "opex_musd_per_year"] = value
        _record(
            rows,
            "systems",
            str(frame.loc[i, "system"]),
            column="opex_musd_per_year",
            value=value,
            reason="5% of the mid fire-unit cost a year (the rule of the estimated rows)",
        )
    return frame, pd.DataFrame(rows, columns=IMPUTED_COLUMNS)


def impute_readiness(
    readiness: pd.DataFrame, systems: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Add a readiness row for every system that has none; list each filled cell.

    A system missing from ``readiness`` gets the median ``readiness_low/_mid/_high``
    of the systems of its tier with the same ``legacy`` flag; else of its tier;
    else of all rows; else :data:`LAST_RESORT`. Rows present are kept as they are.

    Returns
    -------
    (pandas.DataFrame, pandas.DataFrame)
        ``readiness`` with one row per system of ``systems`` (added rows have
        ``value_status="imputed"`` and ``source_id="gbad-est-readiness"``) and the
        ``imputed`` frame (``table="readiness"``), three rows per added system.
    """
    cols = ["readiness_low", "readiness_mid", "readiness_high"]
    base = readiness.copy()
    rows: list[dict[str, object]] = []
    if systems.empty or "system" not in systems.columns:
        return base, pd.DataFrame(rows, columns=IMPUTED_COLUMNS)
    if base.empty:
        base = pd.DataFrame(columns=["system", *cols, "value_status", "notes", "source_id"])
    info = systems.set_index("system")
    legacy = info["legacy"].astype(bool) if "legacy" in info.columns else None
    known = base[base["system"].isin(info.index)].copy()
    known["tier"] = info.loc[known["system"], "tier"].to_numpy()
    known["legacy"] = legacy.loc[known["system"]].to_numpy() if legacy is not None else False
    added = []
    for system in info.index:
        if system in set(base["system"]):
            continue
        tier = info.loc[system, "tier"]
        is_legacy = bool(legacy.loc[system]) if legacy is not None else False
        pools = [
            (
                (known["tier"] == tier) & (known["legacy"] == is_legacy),
                f"{tier}-tier {'legacy' if is_legacy else 'non-legacy'} systems",
            ),
            (known["tier"] == tier, f"{tier}-tier systems"),
            (pd.Series(True, index=known.index), "systems"),
        ]
        new: dict[str, object] = {"system": system}
        for mask, label in pools:
            if bool(mask.any()):
                n = int(mask.sum())
                sample = ", ".join(map(str, known.loc[mask, "system"].iloc[:6]))
                why = f"no readiness row: median of the {n} {label} with one ({sample})"
                for c in cols:
                    new[c] = float(pd.to_numeric(known.loc[mask, c]).median())
                break
        else:
            why = "no readiness row and none to compare: last-resort gbad default"
            new.update({c: LAST_RESORT[c] for c in cols})
        new.update(value_status="imputed", notes=why, source_id="gbad-est-readiness")
        added.append(new)
        for c in cols:
            _record(rows, "readiness", str(system), column=c, value=float(new[c]), reason=why)  # type: ignore[arg-type]
    if added:
        base = pd.concat([base, pd.DataFrame(added)], ignore_index=True)
    return base, pd.DataFrame(rows, columns=IMPUTED_COLUMNS)
