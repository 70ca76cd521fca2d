r"""Figures of merit: what share of people, value and territory is defended.

For a threat class :math:`c` and a set of fire units :math:`F` (all, or one
tier), asset :math:`i` is *covered* when at least one unit :math:`f \in F` stands
within its effective radius :math:`r_{fc}` (:mod:`gbad.coverage.envelope`):
:math:`n_{ic} = |\{f : d(i, f) \le r_{fc}\}| \ge 1`, and *doubly covered*
(mutual support; Hogan & ReVelle 1986's backup coverage) when
:math:`n_{ic} \ge 2`. Per scope :math:`S` (one ally, or Europe):

.. math::
   \mathrm{pop}_{Sc} = \frac{\sum_{i\in S} p_i [n_{ic}\ge 1]}{\sum_{i\in S} p_i},\quad
   \mathrm{val}_{Sc} = \frac{\sum_{i\in S} v_i [n_{ic}\ge 1]}{\sum_{i\in S} v_i},\quad
   \mathrm{val2}_{Sc} = \frac{\sum_{i\in S} v_i [n_{ic}\ge 2]}{\sum_{i\in S} v_i}

with population :math:`p_i` and value :math:`v_i` from the ``assets`` table, and
the area share is the same count over grid cells of equal area. High-value assets
are capitals, nuclear power plants and assets with ``value >= 1`` (cities of a
million people on the ``assets`` value scale); those left uncovered against a
class are listed as *undefended*.

References
----------
.. [1] Hogan, K., & ReVelle, C. (1986). Concepts and applications of backup
   coverage. Management Science 32(11): 1434-1444. doi:10.1287/mnsc.32.11.1434
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse

from gbad.coverage.envelope import radius_lookup
from gbad.coverage.geodesy import within_radius

__all__ = [
    "HIGH_VALUE_KINDS",
    "LosFilter",
    "count_cover",
    "figures_of_merit",
    "high_value_mask",
    "undefended_assets",
]

#: Asset kinds that are always high-value.
HIGH_VALUE_KINDS = ("capital", "nuclear")
TIERS = ("long", "medium", "short", "very-short", "c-uas")

#: ``(matrix, lat, lon, threat_class, fire_units) -> matrix``: drops pairs without line of sight.
LosFilter = Callable[
    [sparse.csr_array, np.ndarray, np.ndarray, str, pd.DataFrame], sparse.csr_array
]


def count_cover(
    lat: np.ndarray,
    lon: np.ndarray,
    fire_units: pd.DataFrame,
    radii: pd.DataFrame,
    threat_classes: Sequence[str],
    *,
    los: LosFilter | None = None,
    owner: np.ndarray | None = None,
    coalition: Sequence[str] = (),
) -> dict[str, pd.DataFrame]:
    """Number of fire units covering each point, per threat class and tier.

    With ``owner`` (the ally of each point) only that ally's fire units count, or
    any member's when point and unit both belong to ``coalition`` (members who
    defend each other): the campaign's rule of who engages a threat at an asset
    (:mod:`gbad.campaign.spatial`). Without it, every unit in reach counts.

    Returns
    -------
    dict of str to pandas.DataFrame
        For each class a frame with one row per point and columns ``all`` and one
        per tier (counts of covering units).
    """
    out: dict[str, pd.DataFrame] = {}
    tiers = fire_units["tier"].astype(str).to_numpy()
    onehot = np.column_stack([tiers == t for t in TIERS]).astype(np.int64)
    for cls in threat_classes:
        r = radius_lookup(radii, fire_units["system"], cls)
        m = within_radius(lat, lon, fire_units["lat"], fire_units["lon"], r)
        if los is not None and m.nnz:
            m = los(m, np.asarray(lat, float), np.asarray(lon, float), cls, fire_units)
        if owner is not None and len(fire_units):
            m = _own_units_only(m, np.asarray(owner), fire_units, coalition)
        mi = sparse.csr_array(m, dtype=np.int64)
        by_tier = np.asarray(mi @ onehot) if len(fire_units) else np.zeros((len(lat), len(TIERS)))
        frame = pd.DataFrame(by_tier.astype(np.int64), columns=list(TIERS))
        frame.insert(0, "all", frame.sum(axis=1))
        out[cls] = frame
    return out


def _own_units_only(
    m: Any, owner: np.ndarray, fire_units: pd.DataFrame, coalition: Sequence[str]
) -> Any:
    """Keep the (point, unit) pairs where the unit belongs to the point's ally, or
    both to the coalition."""
    coo = sparse.coo_array(m)
    rows, cols = coo.row, coo.col
    unit_iso = fire_units["iso3"].astype(str).to_numpy()
    p_iso, u_iso = owner.astype(str)[rows], unit_iso[cols]
    keep = p_iso == u_iso
    if coalition:
        members = np.array(sorted(set(coalition)), dtype=str)
        keep |= np.isin(p_iso, members) & np.isin(u_iso, members)
    return sparse.coo_array(
        (np.asarray(coo.data)[keep], (rows[keep], cols[keep])), shape=coo.shape
    ).tocsr()


def high_value_mask(assets: pd.DataFrame, value_threshold: float = 1.0) -> np.ndarray:
    """Capitals, nuclear plants and assets with ``value >= value_threshold``."""
    kind = assets["kind"].astype(str).isin(HIGH_VALUE_KINDS).to_numpy()
    val = pd.to_numeric(assets["value"], errors="coerce").fillna(0.0).to_numpy() >= value_threshold
    return np.asarray(kind | val)


def _share(weight: np.ndarray, hit: np.ndarray) -> float:
    tot = float(weight.sum())
    return float(weight[hit].sum() / tot) if tot > 0 else float("nan")


def figures_of_merit(
    assets: pd.DataFrame,
    asset_counts: dict[str, pd.DataFrame],
    grid: pd.DataFrame | None = None,
    grid_counts: dict[str, pd.DataFrame] | None = None,
    *,
    europe_label: str = "EUR",
) -> pd.DataFrame:
    """Coverage shares per scope (each ally and Europe), threat class and tier.

    Returns
    -------
    pandas.DataFrame
        ``scope, threat_class, tier, population_fraction, value_fraction,
        value_double_fraction, high_value_fraction, assets_covered, assets,
        area_fraction`` (``tier == "all"`` for all fire units together).
    """
    rows: list[dict[str, object]] = []
    iso = assets["iso3"].astype(str).to_numpy()
    pop = pd.to_numeric(assets["population"], errors="coerce").fillna(0.0).to_numpy()
    val = pd.to_numeric(assets["value"], errors="coerce").fillna(0.0).to_numpy()
    hv = high_value_mask(assets)
    giso = grid["iso3"].astype(str).to_numpy() if grid is not None else np.zeros(0, str)
    garea = grid["area_km2"].to_numpy(float) if grid is not None else np.zeros(0)
    scopes = [europe_label, *sorted({str(x) for x in iso} | {str(x) for x in giso})]
    for cls, counts in asset_counts.items():
        gcounts = grid_counts.get(cls) if grid_counts is not None else None
        for tier in ("all", *TIERS):
            n = counts[tier].to_numpy()
            gn = gcounts[tier].to_numpy() if gcounts is not None else None
            for scope in scopes:
                sel = np.ones(iso.size, bool) if scope == europe_label else iso == scope
                gsel = np.ones(giso.size, bool) if scope == europe_label else giso == scope
                rows.append(
                    {
                        "scope": scope,
                        "threat_class": cls,
                        "tier": tier,
                        "population_fraction": _share(pop[sel], n[sel] >= 1),
                        "value_fraction": _share(val[sel], n[sel] >= 1),
                        "value_double_fraction": _share(val[sel], n[sel] >= 2),
                        "high_value_fraction": _share(
                            hv[sel].astype(float), (n[sel] >= 1) & hv[sel]
                        ),
                        "assets_covered": int((n[sel] >= 1).sum()),
                        "assets": int(sel.sum()),
                        "area_fraction": _share(garea[gsel], gn[gsel] >= 1)
                        if gn is not None
                        else float("nan"),
                    }
                )
    return pd.DataFrame(rows)


def undefended_assets(
    assets: pd.DataFrame, asset_counts: dict[str, pd.DataFrame], value_threshold: float = 1.0
) -> pd.DataFrame:
    """High-value assets no fire unit covers, one row per asset and threat class."""
    hv = high_value_mask(assets, value_threshold)
    parts = []
    for cls, counts in asset_counts.items():
        miss = hv & (counts["all"].to_numpy() == 0)
        sub = assets.loc[miss, ["asset_id", "name", "iso3", "kind", "population", "value"]].copy()
        sub["threat_class"] = cls
        parts.append(sub)
    if not parts:
        return pd.DataFrame(
            columns=["asset_id", "name", "iso3", "kind", "population", "value", "threat_class"]
        )
    out = pd.concat(parts, ignore_index=True)
    return out.sort_values(["threat_class", "value"], ascending=[True, False]).reset_index(
        drop=True
    )
