r"""Apportionment keys: GDP, population, equal, and exposure computed from geography.

Every key is returned as shares that sum to one over the allies in the plan.

Exposure
    For each threat class :math:`c` with a range :math:`R_c` (``threats.range_km_*``),
    an asset :math:`a` is *within reach* when its great-circle distance to the nearest
    launch area that fields class :math:`c` (``launch_areas.threat_classes``) is at
    most :math:`R_c`. With :math:`P_i^c` and :math:`V_i^c` the population and value of
    ally :math:`i`'s assets within reach of class :math:`c`, the exposure key is

    .. math::

        e_i = \sum_c \omega_c \; \tfrac12\left(\frac{P_i^c}{\sum_j P_j^c}
              + \frac{V_i^c}{\sum_j V_j^c}\right),

    with class weights :math:`\omega_c` (equal by default, renormalised over the
    classes that reach anything). Classes reaching no asset drop out, as does a
    population or value term whose denominator is zero. Distances use the haversine
    formula on a sphere of mean radius 6371.0088 km (IUGG). When the reference data
    have no defended-asset table, each ally's capital stands for the whole country
    (:func:`assets_or_capitals`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Literal

import numpy as np
import pandas as pd

from gbad._geo import EARTH_RADIUS_KM, haversine_km

__all__ = [
    "EARTH_RADIUS_KM",
    "KEYS",
    "Key",
    "assets_or_capitals",
    "blend_shares",
    "exposure_table",
    "haversine_km",
    "key_shares",
]

Key = Literal["gdp", "population", "exposure", "equal"]
#: Supported keys.
KEYS: tuple[Key, ...] = ("gdp", "population", "exposure", "equal")


def assets_or_capitals(assets: pd.DataFrame | None, countries: pd.DataFrame) -> pd.DataFrame:
    """The defended-asset table, or one asset per ally at its capital if it is empty.

    The fallback puts the ally's whole population (``population_m``) and GDP
    (``gdp_usd_bn_mid``, as value) at its capital (``capital_lat``, ``capital_lon``),
    so exposure becomes "is the capital within reach" weighted by size.
    """
    cols = {"iso3", "lat", "lon", "population", "value"}
    if assets is not None and len(assets) and cols <= set(assets.columns):
        return assets
    return pd.DataFrame(
        {
            "iso3": countries["iso3"],
            "lat": countries["capital_lat"].astype(float),
            "lon": countries["capital_lon"].astype(float),
            "population": countries["population_m"].astype(float),
            "value": countries["gdp_usd_bn_mid"].astype(float),
        }
    )


def _classes_of(cell: object) -> list[str]:
    if not isinstance(cell, str):
        return []
    return [c.strip() for c in cell.split(";") if c.strip()]


def exposure_table(
    assets: pd.DataFrame,
    launch_areas: pd.DataFrame,
    threats: pd.DataFrame,
    iso3: Sequence[str],
    *,
    level: Literal["low", "mid", "high"] = "mid",
    class_weights: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """Population and value within reach of each threat class, and the exposure key.

    Parameters
    ----------
    assets : DataFrame
        ``iso3, lat, lon, population, value``.
    launch_areas : DataFrame
        ``area_id, lat, lon, threat_classes`` (``;``-separated classes).
    threats : DataFrame
        ``threat_class, range_km_low/_mid/_high``.
    iso3 : sequence of str
        Allies in the plan (rows of the result, in this order).
    level : {"low", "mid", "high"}
        Which threat range to use.
    class_weights : mapping, optional
        Weight per threat class (default equal).

    Returns
    -------
    DataFrame
        Indexed by iso3 with ``population_in_reach_<class>``, ``value_in_reach_<class>``
        and ``exposure`` (shares summing to one, or all zero if nothing is in reach).
    """
    out = pd.DataFrame(index=pd.Index(list(iso3), name="iso3"))
    a = assets[assets["iso3"].isin(list(iso3))].reset_index(drop=True)
    score = pd.Series(0.0, index=out.index)
    weight_used = 0.0
    rng_col = f"range_km_{level}"
    for _, threat in threats.iterrows():
        cls = str(threat["threat_class"])
        areas = launch_areas[
            launch_areas["threat_classes"].map(lambda c, k=cls: k in _classes_of(c))
        ]
        pop = pd.Series(0.0, index=out.index)
        val = pd.Series(0.0, index=out.index)
        if len(areas) and len(a) and np.isfinite(float(threat[rng_col])):
            d = haversine_km(
                a["lat"].to_numpy()[:, None],
                a["lon"].to_numpy()[:, None],
                areas["lat"].to_numpy()[None, :],
                areas["lon"].to_numpy()[None, :],
            ).min(axis=1)
            reach = a[d <= float(threat[rng_col])]
            pop = reach.groupby("iso3")["population"].sum().reindex(out.index, fill_value=0.0)
            val = reach.groupby("iso3")["value"].sum().reindex(out.index, fill_value=0.0)
        out[f"population_in_reach_{cls}"] = pop.astype(float)
        out[f"value_in_reach_{cls}"] = val.astype(float)
        terms = [s / s.sum() for s in (pop, val) if s.sum() > 0]
        if not terms:
            continue
        w = 1.0 if class_weights is None else float(class_weights.get(cls, 0.0))
        score += w * sum(terms) / len(terms)
        weight_used += w
    total = float(score.sum())
    out["exposure"] = score / total if total > 0 and weight_used > 0 else 0.0
    return out


def key_shares(
    key: Key,
    countries: pd.DataFrame,
    iso3: Sequence[str],
    *,
    exposure: pd.Series | None = None,
) -> pd.Series:
    """Shares of one key over ``iso3`` (a Series indexed by iso3, summing to one).

    ``gdp`` uses ``gdp_usd_bn_mid``, ``population`` uses ``population_m``;
    ``exposure`` needs the ``exposure`` column of :func:`exposure_table`.
    """
    idx = pd.Index(list(iso3), name="iso3")
    if key == "equal":
        raw = pd.Series(1.0, index=idx)
    elif key in ("gdp", "population"):
        col = "gdp_usd_bn_mid" if key == "gdp" else "population_m"
        raw = countries.set_index("iso3")[col].reindex(idx).astype(float).fillna(0.0)
    elif key == "exposure":
        if exposure is None:
            raise ValueError("the exposure key needs the exposure table")
        raw = exposure.reindex(idx).astype(float).fillna(0.0)
    else:
        raise ValueError(f"unknown key {key!r}")
    total = float(raw.sum())
    if total <= 0:
        return pd.Series(1.0 / len(idx), index=idx) if len(idx) else raw
    return raw / total


def blend_shares(parts: Iterable[tuple[pd.Series, float]]) -> pd.Series:
    """Weighted blend of share Series (weights normalised to sum to one)."""
    items = [(s, float(w)) for s, w in parts if w > 0]
    if not items:
        raise ValueError("a blend needs at least one positive weight")
    total_w = sum(w for _, w in items)
    out = sum(s * (w / total_w) for s, w in items)
    assert isinstance(out, pd.Series)
    return out / float(out.sum())
