"""MCLP over user point lists: the ``gbad site`` contract as a function.

Demand ``id,lat,lon,weight`` and candidates ``id,lat,lon`` come in as data
frames; a demand point is covered when its great-circle distance (R = 6371.0088 km)
to a selected candidate is at most the radius. Checks name the file and column
at fault (``--demand: lat``) so the CLI can report them as they are.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from gbad.coverage.geodesy import within_radius
from gbad.errors import GbadInputError
from gbad.siting.models import SitingSolution, mclp

__all__ = ["check_points", "site_points"]


def check_points(frame: pd.DataFrame, flag: str, *, weighted: bool) -> pd.DataFrame:
    """Validate and normalise a demand or candidate table.

    Parameters
    ----------
    frame : pandas.DataFrame
        Raw table (any dtypes; strings are parsed).
    flag : str
        Name used in error messages (``--demand``).
    weighted : bool
        Whether a ``weight`` column is required (demand) or not (candidates).

    Returns
    -------
    pandas.DataFrame
        Columns ``id`` (str), ``lat``, ``lon`` (float) and, if weighted, ``weight``.

    Raises
    ------
    GbadInputError
        Missing column, empty table, missing or non-numeric value, latitude outside
        [-90, 90], longitude outside [-180, 180], negative or non-finite weight,
        duplicate id.
    """
    cols = ["id", "lat", "lon"] + (["weight"] if weighted else [])
    missing = [c for c in cols if c not in frame.columns]
    if missing:
        raise GbadInputError(flag, f"missing column(s) {', '.join(missing)}")
    if len(frame) == 0:
        raise GbadInputError(flag, "no rows")
    out = pd.DataFrame({"id": frame["id"].astype(str).str.strip()})
    if (out["id"] == "").any() or frame["id"].isna().any():
        row = int(np.flatnonzero((out["id"] == "").to_numpy() | frame["id"].isna().to_numpy())[0])
        raise GbadInputError(f"{flag}: id", f"empty id on data row {row + 1}")
    for col in cols[1:]:
        raw = frame[col]
        num = pd.to_numeric(raw, errors="coerce")
        bad = num.isna() | ~np.isfinite(num.astype(float))
        if bad.any():
            row = int(np.flatnonzero(bad.to_numpy())[0])
            raise GbadInputError(
                f"{flag}: {col}",
                f"non-numeric or missing value {raw.iloc[row]!r} on data row {row + 1}",
            )
        out[col] = num.astype(float).to_numpy()
    for col, lim in (("lat", 90.0), ("lon", 180.0)):
        bad = out[col].abs() > lim
        if bad.any():
            row = int(np.flatnonzero(bad.to_numpy())[0])
            raise GbadInputError(
                f"{flag}: {col}",
                f"{out[col].iloc[row]} outside [-{lim:g}, {lim:g}] on data row {row + 1}",
            )
    if weighted:
        neg = out["weight"] < 0
        if neg.any():
            row = int(np.flatnonzero(neg.to_numpy())[0])
            raise GbadInputError(
                f"{flag}: weight",
                f"negative weight {out['weight'].iloc[row]} on data row {row + 1}",
            )
    dup = out["id"].duplicated()
    if dup.any():
        raise GbadInputError(f"{flag}: id", f"duplicate id {out['id'][dup].iloc[0]!r}")
    return out


def site_points(
    demand: pd.DataFrame,
    candidates: pd.DataFrame,
    radius_km: float,
    units: int,
    existing: Sequence[str] = (),
    *,
    time_limit_s: float | None = None,
    reduce: bool = True,
) -> tuple[dict[str, Any], SitingSolution]:
    """Solve the brownfield MCLP on point lists and return the contract's JSON object.

    Parameters
    ----------
    demand, candidates : pandas.DataFrame
        Tables as described above (validated here).
    radius_km : float
        Coverage radius [km], positive.
    units : int
        Sites to pick in total, existing included.
    existing : sequence of str
        Candidate ids already built.
    time_limit_s : float, optional
        Solver time limit [s]; without it the solve runs to proven optimality.
    reduce : bool
        Apply instance reduction.

    Returns
    -------
    summary : dict
        ``covered_weight, coverage_fraction, selected, optimal, solve_seconds,
        existing, new, mip_gap, status, total_weight, n_covered, n_demand,
        n_candidates, radius_km, units, reduction``.
    solution : SitingSolution
        The solver result with candidate indices.
    """
    d = check_points(demand, "demand", weighted=True)
    c = check_points(candidates, "candidates", weighted=False)
    if not np.isfinite(radius_km) or radius_km <= 0:
        raise GbadInputError("radius_km", "must be a positive number")
    if units < 1:
        raise GbadInputError("units", "must be at least 1")
    if units > len(c):
        raise GbadInputError("units", f"{units} units but only {len(c)} candidate sites")
    index = {cid: k for k, cid in enumerate(c["id"])}
    ex_ids = [e.strip() for e in existing if e.strip()]
    unknown = [e for e in ex_ids if e not in index]
    if unknown:
        raise GbadInputError("existing", f"unknown candidate id(s) {', '.join(unknown)}")
    if len(set(ex_ids)) != len(ex_ids):
        raise GbadInputError("existing", "an id is listed twice")
    if len(ex_ids) > units:
        raise GbadInputError("existing", f"{len(ex_ids)} existing sites exceed units ({units})")
    a = within_radius(d["lat"], d["lon"], c["lat"], c["lon"], radius_km)
    sol = mclp(
        a,
        d["weight"].to_numpy(),
        units,
        [index[e] for e in ex_ids],
        reduce=reduce,
        time_limit_s=time_limit_s,
    )
    ids = c["id"].to_numpy()
    summary: dict[str, Any] = {
        "covered_weight": sol.covered_weight,
        "coverage_fraction": sol.coverage_fraction,
        "selected": [str(ids[k]) for k in sol.selected],
        "optimal": sol.optimal,
        "solve_seconds": sol.solve_seconds,
        "existing": [str(ids[k]) for k in sol.existing],
        "new": [str(ids[k]) for k in sol.new],
        "mip_gap": sol.mip_gap,
        "status": sol.status,
        "total_weight": sol.total_weight,
        "n_covered": sol.n_covered,
        "n_demand": len(d),
        "n_candidates": len(c),
        "radius_km": float(radius_km),
        "units": int(units),
        "reduction": sol.reduction,
    }
    return summary, sol
