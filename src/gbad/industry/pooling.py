r"""What joint buying changes, stated as separate ranged assumptions, and line learning.

Learning follows a production line's *cumulative output*, whoever signs the
contract (Wright 1936 [1]_): unit :math:`n` of a line costs :math:`c_1 n^{b}`,
:math:`b = \log_2 r`. Bundling orders does not move a line down its curve by
itself, so the learning factor is the same function of the line's cumulative
output (all buyers: the allies, the United States, Ukraine and others) for joint
and for national buying; the two differ only where deliveries move in time.

What pooling does change is stated as separate assumptions, each with a low, mid
and high value in the ``pooling`` reference table (sources there; most are gbad
estimates and say so):

* ``common_config_pct``: integration, training, spares and support of one common
  configuration instead of national variants [% of the fire-unit price];
* ``framework_discount_pct``: negotiated discount of a multi-year framework
  contract [% of the price];
* ``national_fixed_cost_musd``: fixed cost of a national programme for a system
  new to an ally, paid once by the pool instead of once per member [MUSD];
* ``line_expansion_pct`` and ``line_expansion_lag_years``: extra line capacity
  that firm pooled multi-year demand triggers, and how fast;
* ``pooled_slot_priority``: the pool's orders booked ahead of national orders on
  a scarce line (1) or queued alike (0).

With every effect at zero (:meth:`PoolingAssumptions.zero`) joint buying is
national buying.

References
----------
.. [1] Wright, T. P. (1936). Factors affecting the cost of airplanes. *Journal of the
   Aeronautical Sciences* 3(4), 122–128. doi:10.2514/8.155
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from gbad.errors import GbadInputError

__all__ = [
    "POOLING_EFFECTS",
    "PoolingAssumptions",
    "booking",
    "coalition_of",
    "expand_capacity",
    "expanded_lines",
    "joint_prices",
    "learning_batch_factor",
    "line_anchors",
    "line_learning_factors",
]

#: The pooling effects (columns of :class:`PoolingAssumptions` that pooling moves).
POOLING_EFFECTS: tuple[str, ...] = (
    "common_config_pct",
    "framework_discount_pct",
    "national_fixed_cost_musd",
    "line_expansion_pct",
    "pooled_slot_priority",
)

Level = Literal["zero", "low", "mid", "high"]


@dataclass(frozen=True)
class PoolingAssumptions:
    """One value of each pooling assumption (see the module docstring for units)."""

    common_config_pct: float = 0.0
    framework_discount_pct: float = 0.0
    national_fixed_cost_musd: float = 0.0
    line_expansion_pct: float = 0.0
    line_expansion_lag_years: float = 3.0
    pooled_slot_priority: float = 0.0
    learning_prior_years: float = 10.0
    level: str = "zero"

    @classmethod
    def from_table(cls, table: pd.DataFrame | None, level: Level = "mid") -> PoolingAssumptions:
        """The ``level`` column of the ``pooling`` table (``zero``: every effect off).

        ``zero`` keeps the learning anchor and the expansion lag at their mid values
        (they are not effects of pooling) and sets every effect to zero.
        """
        if table is None or table.empty:
            raise GbadInputError("reference.pooling", "the pooling table is missing")
        col = "mid" if level == "zero" else level
        values: dict[str, Any] = {}
        for f in dataclasses.fields(cls):
            if f.name == "level":
                continue
            rows = table[table["effect"].astype(str) == f.name]
            if rows.empty:
                raise GbadInputError(f"reference.pooling.{f.name}", "row missing")
            v = float(pd.to_numeric(rows.iloc[0][col], errors="coerce"))
            if not math.isfinite(v) or v < 0:
                raise GbadInputError(f"reference.pooling.{f.name}.{col}", "must be a number >= 0")
            values[f.name] = v
        if values["common_config_pct"] >= 100 or values["framework_discount_pct"] >= 100:
            raise GbadInputError("reference.pooling", "price effects must be below 100 %")
        out = cls(**values, level=level)
        return out.zero() if level == "zero" else out

    def zero(self) -> PoolingAssumptions:
        """The same anchors with every pooling effect at zero (national = joint)."""
        changes: dict[str, Any] = dict.fromkeys(POOLING_EFFECTS, 0.0)
        return dataclasses.replace(self, **changes, level="zero")

    def only(self, effect: str) -> PoolingAssumptions:
        """Only ``effect`` on (the others at zero): its contribution on its own."""
        if effect not in POOLING_EFFECTS:
            raise ValueError(f"unknown pooling effect {effect!r}")
        return dataclasses.replace(self.zero(), **{effect: getattr(self, effect)})

    def with_values(self, values: Mapping[str, float]) -> PoolingAssumptions:
        """A copy with some values replaced (unknown names are refused)."""
        names = {f.name for f in dataclasses.fields(self)} - {"level"}
        for k in values:
            if k not in names:
                raise GbadInputError(f"industry.pooling.{k}", "unknown pooling assumption")
        changes: dict[str, Any] = {k: float(v) for k, v in values.items()}
        return dataclasses.replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        """Plain values for ``plan.json``."""
        return dataclasses.asdict(self)


def learning_batch_factor(
    cum_before: float, units: float, prior_units: float, progress_ratio: float
) -> float:
    r"""Mean price factor of ``units`` made after ``cum_before`` on a learning curve.

    The unit cost relative to the line's unit at the anchor ``prior_units`` is
    :math:`((q_0 + x)/q_0)^{b}` with :math:`b = \log_2 r`; the batch from
    :math:`x = c` to :math:`c + n` has the mean (continuous approximation of
    Wright's curve [1]_)

    .. math::

        \bar m = \frac{q_0}{n (1+b)}
        \left[\left(\frac{q_0+c+n}{q_0}\right)^{1+b}
        - \left(\frac{q_0+c}{q_0}\right)^{1+b}\right].

    Parameters
    ----------
    cum_before : float
        Units the line made since the anchor, before this batch.
    units : float
        Units in the batch (``0`` gives the marginal factor at ``cum_before``).
    prior_units : float
        The anchor :math:`q_0 > 0`: output before the base year (price data refer
        to the unit made then).
    progress_ratio : float
        :math:`r` in (0, 1]; 1: no learning.

    Returns
    -------
    float
        Factor in (0, 1] on the base-year unit price.
    """
    if not 0 < progress_ratio <= 1:
        raise ValueError("progress_ratio must be in (0, 1]")
    if prior_units <= 0:
        raise ValueError("prior_units must be positive")
    b = math.log2(progress_ratio)
    lo = (prior_units + max(cum_before, 0.0)) / prior_units
    if units <= 0:
        return float(lo**b)
    hi = lo + units / prior_units
    return float(prior_units / (units * (1 + b)) * (hi ** (1 + b) - lo ** (1 + b)))


def line_learning_factors(
    lines: pd.DataFrame,
    shares: Mapping[str, float],
    *,
    prior_years: float,
    progress_ratio: float,
    prior_units: Mapping[str, float] | None = None,
) -> dict[tuple[str, int], float]:
    """Mean learning factor of each line's output in each year, all buyers together.

    The whole line's yearly output is what the allies received (``fu_delivered``)
    plus the other buyers' part of the line (its capacity times
    ``(1 - share) / share``, taken as used in full); a line without a modelled
    capacity counts the allies' deliveries alone. The anchor is ``prior_years``
    of the first year's whole-line output (at least one unit).

    Parameters
    ----------
    lines : DataFrame
        ``system, year, fu_capacity, fu_delivered`` (:attr:`Schedule.lines`).
    shares : mapping
        Share of each line open to the allies (:func:`gbad.industry.lines.line_shares`).
    prior_years, progress_ratio : float
        Learning anchor and progress ratio.
    prior_units : mapping, optional
        Anchor per line (units made before the base year); overrides
        ``prior_years``, so that two schedules compared share one anchor.

    Returns
    -------
    dict
        ``{(system, year): factor}``.
    """
    out: dict[tuple[str, int], float] = {}
    for system, grp in lines.groupby("system", sort=True):
        g = grp.sort_values("year")
        share = float(shares.get(str(system), 1.0))
        cap = g["fu_capacity"].astype(float).to_numpy()
        finite = np.isfinite(cap)
        others = np.zeros_like(cap)
        others[finite] = cap[finite] * (1.0 - share) / max(share, 1e-9)
        made = g["fu_delivered"].astype(float).to_numpy() + others
        rate0 = float(made[made > 0][0]) if np.any(made > 0) else 1.0
        prior = max(prior_years * rate0, 1.0)
        if prior_units is not None and str(system) in prior_units:
            prior = max(float(prior_units[str(system)]), 1.0)
        cum = 0.0
        for y, n in zip(g["year"].astype(int), made, strict=True):
            out[(str(system), int(y))] = learning_batch_factor(cum, n, prior, progress_ratio)
            cum += n
    return out


def line_anchors(
    lines: pd.DataFrame, shares: Mapping[str, float], prior_years: float
) -> dict[str, float]:
    """Units each line made before the base year: ``prior_years`` of its first year's
    whole-line output (capacity where modelled, else the allies' deliveries)."""
    out: dict[str, float] = {}
    for system, grp in lines.groupby("system", sort=True):
        g = grp.sort_values("year")
        share = float(shares.get(str(system), 1.0))
        cap = g["fu_capacity"].astype(float).to_numpy()
        if np.isfinite(cap[0]) and cap[0] > 0:
            rate0 = float(cap[0]) / max(share, 1e-9)
        else:
            made = g["fu_delivered"].astype(float).to_numpy()
            rate0 = float(made.mean()) if made.sum() > 0 else 1.0
        out[str(system)] = max(prior_years * rate0, 1.0)
    return out


def coalition_of(ref: Any, scenario: Any, allies: list[str]) -> list[str]:
    """The coalition among ``allies``: ``industry.coalition``, else the ESSI members
    of the ``countries`` table that had joined by the base year (``essi_join_year``)."""
    given = scenario.industry.coalition
    if given is not None:
        members = set(given)
    else:
        c = ref.countries
        if "essi_member" not in c.columns:
            return []
        mask = c["essi_member"].astype(bool)
        if "essi_join_year" in c.columns:
            year = pd.to_numeric(c["essi_join_year"], errors="coerce")
            mask &= year.isna() | (year <= int(scenario.base_year))
        members = set(c.loc[mask, "iso3"].astype(str))
    return [a for a in allies if a in members]


def joint_prices(
    price_musd: Mapping[tuple[str, str], float],
    all_units: Mapping[tuple[str, str], int],
    new_units: Mapping[tuple[str, str], int],
    pool: set[str],
    a: PoolingAssumptions,
) -> dict[tuple[str, str], float]:
    """Price per fire unit of each (ally, system) bought in the pool [MUSD].

    Members' new orders carry ``(1 - common_config)(1 - framework_discount)``;
    contracts already signed keep their price, so a mixed (ally, system) pays the
    unit-weighted mean. Allies outside the pool pay ``price_musd``.
    """
    f = 1.0 - (1.0 - a.common_config_pct / 100.0) * (1.0 - a.framework_discount_pct / 100.0)
    out = dict(price_musd)
    for k, p in price_musd.items():
        if k[0] in pool and all_units.get(k, 0) > 0:
            out[k] = p * (1.0 - f * new_units.get(k, 0) / all_units[k])
    return out


def expanded_lines(
    capacity: pd.DataFrame,
    new_units: Mapping[tuple[str, str], int],
    pool: set[str],
    first_year: int,
) -> list[str]:
    """Lines the pool's firm multi-year demand expands: its new orders of the line
    exceed one year of the line's open fire-unit output in ``first_year``."""
    rows = capacity[capacity["year"] == first_year].set_index("system")["fire_units"]
    out = []
    for s in sorted(rows.index):
        pooled = sum(n for (a3, t), n in new_units.items() if t == s and a3 in pool)
        rate = float(rows[s])
        if pooled > 0 and math.isfinite(rate) and pooled > rate:
            out.append(str(s))
    return out


def expand_capacity(
    capacity: pd.DataFrame, lines: list[str], a: PoolingAssumptions, order_year: int
) -> pd.DataFrame:
    """``capacity`` with ``lines`` grown by ``line_expansion_pct`` from
    ``order_year + line_expansion_lag_years`` on (fire units and interceptors)."""
    if a.line_expansion_pct <= 0 or not lines:
        return capacity
    start = order_year + round(a.line_expansion_lag_years)
    hit = capacity["system"].isin(lines) & (capacity["year"] >= start)
    out = capacity.copy()
    out.loc[hit, ["fire_units", "interceptors"]] *= 1.0 + a.line_expansion_pct / 100.0
    return out


def booking(
    pool: set[str], allies: set[str], a: PoolingAssumptions
) -> tuple[dict[str, str] | None, dict[str, int] | None]:
    """``groups`` and ``priority`` of :func:`gbad.industry.schedule.simulate`: with
    ``pooled_slot_priority`` the pool is one claimant booked ahead of the others."""
    if not pool or a.pooled_slot_priority < 0.5:
        return None, None
    return dict.fromkeys(pool, "pool"), {"pool": 0, **dict.fromkeys(allies - pool, 1)}
