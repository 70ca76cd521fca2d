r"""GDP and defence-spending paths to the horizon year.

GDP
    Nominal GDP grows with real growth :math:`g` and inflation :math:`\pi`:
    :math:`Y^{nom}_y = Y_{y_0} \left[(1+g)(1+\pi)\right]^{y-y_0}`. Budgets are compared
    with costs in constant base-year prices, so the stage uses the real path
    :math:`Y^{real}_y = Y_{y_0} (1+g)^{y-y_b} \left[(1+g)(1+\pi)\right]^{y_b-y_0}`,
    i.e. the reference-year GDP carried to the base year :math:`y_b` in nominal terms
    and then grown in real terms.

Defence share
    From the ally's base-year share :math:`s_0` to the pledge :math:`s_H` at the
    horizon year :math:`H` (The Hague Summit Declaration, 25 June 2025: 3.5% core plus
    1.5% related by 2035), :math:`s_y = s_0 + (s_H - s_0)\,f(t)` with
    :math:`t = (y - y_b)/(H - y_b)` clipped to [0, 1] and

    * linear: :math:`f(t) = t`;
    * front-loaded: :math:`f(t) = 1 - (1-t)^2` (most of the rise early);
    * back-loaded: :math:`f(t) = t^2` (most of the rise late).

    An ally already above the pledge keeps its share (no cut is modelled). A user path
    gives ``{year: share}`` points, interpolated linearly and held flat outside.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

import numpy as np
import numpy.typing as npt

__all__ = ["PathShape", "gdp_path", "shape_fraction", "share_path"]

PathShape = Literal["linear", "front-loaded", "back-loaded"]


def gdp_path(
    gdp_ref: float,
    ref_year: int,
    years: npt.ArrayLike,
    *,
    real_growth_pct: float,
    inflation_pct: float,
    base_year: int | None = None,
    real: bool = False,
) -> npt.NDArray[np.float64]:
    """GDP by year, nominal or in constant base-year prices.

    Parameters
    ----------
    gdp_ref : float
        GDP in ``ref_year`` (any currency unit; the result has the same unit).
    ref_year : int
        Year of ``gdp_ref``.
    years : array_like of int
        Years wanted.
    real_growth_pct, inflation_pct : float
        Annual real growth and inflation [%].
    base_year : int, optional
        Price base of the real path (default ``ref_year``).
    real : bool
        Constant base-year prices (True) or nominal (False).

    Returns
    -------
    ndarray
        GDP per year.
    """
    y = np.asarray(years, dtype=float)
    g = 1.0 + real_growth_pct / 100.0
    n = g * (1.0 + inflation_pct / 100.0)
    if not real:
        return np.asarray(gdp_ref * n ** (y - ref_year), dtype=float)
    b = ref_year if base_year is None else base_year
    return np.asarray(gdp_ref * n ** (b - ref_year) * g ** (y - b), dtype=float)


def shape_fraction(t: npt.ArrayLike, shape: PathShape) -> npt.NDArray[np.float64]:
    """Fraction of the way to the target at normalised time ``t`` in [0, 1]."""
    tt = np.clip(np.asarray(t, dtype=float), 0.0, 1.0)
    if shape == "linear":
        return tt
    if shape == "front-loaded":
        return np.asarray(1.0 - (1.0 - tt) ** 2, dtype=float)
    if shape == "back-loaded":
        return np.asarray(tt**2, dtype=float)
    raise ValueError(f"unknown path shape {shape!r}")


def share_path(
    start_pct: float,
    target_pct: float,
    base_year: int,
    horizon_year: int,
    years: npt.ArrayLike,
    *,
    shape: PathShape = "linear",
    user_points: Mapping[int, float] | None = None,
    allow_cut: bool = False,
) -> npt.NDArray[np.float64]:
    """Share of GDP [%] by year on the way from ``start_pct`` to ``target_pct``.

    Parameters
    ----------
    start_pct : float
        Share in ``base_year`` [% of GDP].
    target_pct : float
        Share reached in ``horizon_year`` and held afterwards [% of GDP].
    base_year, horizon_year : int
        Start and end of the path.
    years : array_like of int
        Years wanted.
    shape : {"linear", "front-loaded", "back-loaded"}
        Path shape (ignored with ``user_points``).
    user_points : mapping of int to float, optional
        A user path ``{year: pct}``; linear between points, flat outside.
    allow_cut : bool
        If False (default) an ally above the target keeps its share.

    Returns
    -------
    ndarray
        Share of GDP [%] per year.
    """
    y = np.asarray(years, dtype=float)
    if user_points:
        xs = np.asarray(sorted(user_points), dtype=float)
        fs = np.asarray([user_points[int(x)] for x in xs], dtype=float)
        return np.asarray(np.interp(y, xs, fs), dtype=float)
    end = target_pct if allow_cut else max(target_pct, start_pct)
    t = (y - base_year) / float(horizon_year - base_year)
    return np.asarray(start_pct + (end - start_pct) * shape_fraction(t, shape), dtype=float)
