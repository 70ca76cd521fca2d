"""Raid presets from the Ukrainian Air Force nightly reports.

The reports (Ivaniuk, "Massive Missile Attacks on Ukraine", ODC-BY 1.0, digitising
the daily posts of the Ukrainian Air Force Command) give, per night and weapon
model, the number launched and destroyed. This module maps the weapon models to
gbad's threat classes, builds one row per calendar night, and derives presets:

- ``typical``: the median night of the chosen year, per class;
- ``average``: the mean night;
- ``peak``: the 95th-percentile night;
- ``record``: the largest night per class (not necessarily the same night).

and a growth rate per class, fitted log-linearly to the monthly means. Manned
aircraft never appear in the reports as raid members, so ``aircraft`` is 0.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import pandas as pd

from gbad.errors import GbadInputError
from gbad.scenario.sections import THREAT_CLASSES

__all__ = [
    "EXCLUDED_MODELS",
    "PRESET_NAMES",
    "RaidPreset",
    "classify_attacks",
    "draw_raid_sizes",
    "growth_pct_per_month",
    "nightly_counts",
    "raid_means",
    "raid_presets",
    "threat_class_of",
]

#: Preset names in order of size.
PRESET_NAMES: tuple[str, ...] = ("typical", "average", "peak", "record")
#: Average days per month, to turn a monthly growth rate into a nightly one.
DAYS_PER_MONTH = 365.25 / 12.0

#: Models left out of the raid presets: reconnaissance UAVs and front-line
#: loitering munitions (tactical, not part of the long-range nightly raids), and
#: guided glide bombs (released from aircraft over the front; no GBAD class).
EXCLUDED_MODELS: tuple[str, ...] = (
    "Orlan-10",
    "ZALA",
    "Supercam",
    "Merlin-VR",
    "Reconnaissance UAV",
    "Orlan-10 and ZALA and Supercam",
    "Lancet",
    "Kub",
    "Молнія",
    "GBU",
    "Aerial Bomb",
)

_REQUIRED = ("date", "model", "weapon_class", "launched")


def threat_class_of(model: str, weapon_class: str) -> str | None:
    """Map one report row to a gbad threat class (``None``: not a raid threat).

    Rules: ``uav`` → ``drone``; ``cruise`` → ``cruise``; the Kh-47 Kinzhal
    (aeroballistic) → ``glide``; other ``ballistic`` rows and S-300/S-400 fired
    in surface-to-surface mode → ``ballistic``; rows mixing several missile
    models (``mixed_missile``) → ``cruise``, the class of their first-named
    model in every such row of the reports; guided bombs and the models in
    :data:`EXCLUDED_MODELS` → ``None``.
    """
    if model in EXCLUDED_MODELS:
        return None
    wc = str(weapon_class).strip().lower()
    if "kinzhal" in str(model).lower():
        return "glide"
    if wc == "uav":
        return "drone"
    if wc in ("cruise", "mixed_missile"):
        return "cruise"
    if wc in ("ballistic", "surface-to-air_missile"):
        return "ballistic"
    return None


def classify_attacks(attacks: pd.DataFrame) -> pd.DataFrame:
    """Report rows with a gbad threat class.

    Parameters
    ----------
    attacks : pandas.DataFrame
        The reports with at least ``date, model, weapon_class, launched``
        (``destroyed`` optional).

    Returns
    -------
    pandas.DataFrame
        Columns ``date`` (datetime64), ``threat_class``, ``launched``,
        ``destroyed``; rows that map to no class are dropped.
    """
    missing = [c for c in _REQUIRED if c not in attacks.columns]
    if missing:
        raise GbadInputError("attacks", f"lacks column(s) {', '.join(missing)}")
    classes = [
        threat_class_of(str(m), str(w))
        for m, w in zip(attacks["model"], attacks["weapon_class"], strict=True)
    ]
    destroyed = (
        pd.to_numeric(attacks["destroyed"], errors="coerce")
        if "destroyed" in attacks.columns
        else pd.Series(np.nan, index=attacks.index)
    )
    out = pd.DataFrame(
        {
            "date": pd.to_datetime(attacks["date"], errors="coerce"),
            "threat_class": classes,
            "launched": pd.to_numeric(attacks["launched"], errors="coerce"),
            "destroyed": destroyed,
        }
    )
    out = out[out["threat_class"].notna() & out["date"].notna() & out["launched"].notna()]
    return out.reset_index(drop=True)


def nightly_counts(
    attacks: pd.DataFrame, *, start: str | None = None, end: str | None = None
) -> pd.DataFrame:
    """Threats launched per calendar night and class, nights without reports as 0.

    Parameters
    ----------
    attacks : pandas.DataFrame
        The reports (see :func:`classify_attacks`).
    start, end : str, optional
        First and last night (ISO dates, inclusive); default: the span of the data.

    Returns
    -------
    pandas.DataFrame
        Index ``date`` (every calendar day in the window), one column per
        threat class in :data:`~gbad.scenario.THREAT_CLASSES` order.
    """
    rows = classify_attacks(attacks)
    if rows.empty:
        raise GbadInputError("attacks", "no rows map to a threat class")
    first = pd.Timestamp(start) if start else rows["date"].min()
    last = pd.Timestamp(end) if end else rows["date"].max()
    if last < first:
        raise GbadInputError("attacks", f"window {first.date()}..{last.date()} is empty")
    days = pd.date_range(first, last, freq="D", name="date")
    rows = rows.assign(launched=rows["launched"].astype(float))
    table = rows.groupby(["date", "threat_class"])["launched"].sum().unstack("threat_class")
    table = table.reindex(index=days, columns=list(THREAT_CLASSES), fill_value=0.0)
    return table.fillna(0.0).astype(float)


def growth_pct_per_month(nightly: pd.DataFrame, *, months: int = 12) -> dict[str, float]:
    """Monthly growth of the mean nightly raid per class, fitted log-linearly.

    Ordinary least squares of ``ln(mean nightly launched in month m)`` on ``m``
    over the last ``months`` full or partial months; growth = ``exp(slope) − 1``
    in percent. Classes with a zero month in the window get 0 (no log fit).
    """
    index = pd.DatetimeIndex(nightly.index)
    monthly = nightly.groupby(index.to_period("M")).mean().tail(months)
    out: dict[str, float] = {}
    x = np.arange(len(monthly), dtype=float)
    for c in THREAT_CLASSES:
        y = monthly[c].to_numpy(dtype=float)
        if len(y) < 2 or np.any(y <= 0):
            out[c] = 0.0
            continue
        slope = float(np.polyfit(x, np.log(y), 1)[0])
        out[c] = 100.0 * math.expm1(slope)
    return out


@dataclass(frozen=True)
class RaidPreset:
    """Threats per night by class for one named preset.

    Attributes
    ----------
    name : str
        ``typical``, ``average``, ``peak``, ``record`` or ``custom``.
    threats_per_night : dict
        Mean threats per night by threat class.
    growth_pct_per_month : dict
        Fitted monthly growth by class [%/month] (information; the scenario's
        ``threat.growth_pct_per_month`` is what the campaign applies).
    window : str
        The nights the preset was computed from.
    source_id : str
        Source of the reports.
    """

    name: str
    threats_per_night: dict[str, float]
    growth_pct_per_month: dict[str, float] = field(default_factory=dict)
    window: str = ""
    source_id: str = ""


def raid_presets(
    attacks: pd.DataFrame,
    *,
    year: int = 2025,
    peak_quantile: float = 0.95,
    source_id: str = "",
) -> dict[str, RaidPreset]:
    """The four raid presets of one year of nightly reports.

    Parameters
    ----------
    attacks : pandas.DataFrame
        The reports (see :func:`classify_attacks`).
    year : int
        Calendar year the nights are taken from (all its reported days; days
        without a report count as nights with no attack).
    peak_quantile : float
        Quantile used for the ``peak`` preset.
    source_id : str
        Recorded on every preset.

    Returns
    -------
    dict
        ``{"typical", "average", "peak", "record"}`` → :class:`RaidPreset`.
    """
    if not 0.0 < peak_quantile < 1.0:
        raise GbadInputError("peak_quantile", "must be in (0, 1)")
    rows = classify_attacks(attacks)
    in_year = rows[rows["date"].dt.year == year]
    if in_year.empty:
        raise GbadInputError("year", f"no reported nights in {year}")
    start = f"{year}-01-01"
    end = str(min(in_year["date"].max(), pd.Timestamp(f"{year}-12-31")).date())
    nightly = nightly_counts(attacks, start=start, end=end)
    growth = growth_pct_per_month(nightly_counts(attacks, end=end))
    window = f"{start}..{end} ({len(nightly)} nights)"
    stats = {
        "typical": nightly.median(),
        "average": nightly.mean(),
        "peak": nightly.quantile(peak_quantile),
        "record": nightly.max(),
    }
    out: dict[str, RaidPreset] = {}
    for name in PRESET_NAMES:
        values: dict[str, float] = {c: float(stats[name][c]) for c in THREAT_CLASSES}
        values["aircraft"] = 0.0
        out[name] = RaidPreset(name, values, dict(growth), window, source_id)
    return out


def raid_means(
    threats_per_night: Mapping[str, float],
    nights: int,
    *,
    growth_pct_per_month: float = 0.0,
    scale: float = 1.0,
) -> npt.NDArray[np.float64]:
    """Mean threats per night, shape ``(nights, len(THREAT_CLASSES))``.

    Night ``t`` (0-based) has ``scale · base_c · (1 + g/100)^(t / 30.4375)``.
    """
    base = np.array([float(threats_per_night.get(c, 0.0)) for c in THREAT_CLASSES])
    t = np.arange(nights, dtype=float)
    factor = (1.0 + growth_pct_per_month / 100.0) ** (t / DAYS_PER_MONTH)
    return np.asarray(scale * factor[:, None] * base[None, :], dtype=np.float64)


def draw_raid_sizes(
    means: npt.NDArray[np.float64], draw: str, rngs: list[np.random.Generator]
) -> npt.NDArray[np.int64]:
    """Integer raid sizes per night and class.

    ``fixed`` rounds the means; ``poisson`` draws each night from a Poisson
    law with that mean, using night ``t``'s own generator ``rngs[t]``.
    """
    if draw == "fixed":
        return np.rint(means).astype(np.int64)
    if draw != "poisson":
        raise GbadInputError("threat.draw", f"unknown draw {draw!r}")
    out = np.empty(means.shape, dtype=np.int64)
    for t in range(means.shape[0]):
        out[t] = rngs[t].poisson(means[t])
    return out
