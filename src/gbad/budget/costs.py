r"""Which system each ally buys per tier, and what a fire unit costs.

System choice
    For each ally and tier the new fire units are of the ally's *preferred system*:
    the in-production system with a production line (``production`` rows) that the
    ally already holds most of (in service plus on order); otherwise the tier's
    *default system*, the in-production system with a line that European allies hold
    most of; otherwise any system of the tier (flagged: no line modelled). The
    scenario can name the system per tier or per ally and tier (``industry.buy``).

Unit cost (constant prices, million USD)
    A new fire unit costs its acquisition plus an initial interceptor load of
    ``launchers_per_fu × missiles_per_launcher`` interceptors:

    .. math::

        c^{cap} = c^{FU} + n^{int}\, c^{int}, \qquad c^{op} = \text{opex per year}.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal

import pandas as pd

from gbad.errors import GbadInputError
from gbad.scenario.sections import TIERS

__all__ = ["choose_systems", "interceptors_per_fu", "system_costs"]

Level = Literal["low", "mid", "high"]


def interceptors_per_fu(systems: pd.DataFrame) -> pd.Series:
    """Initial interceptor load per fire unit (``launchers × missiles``), by system."""
    s = systems.set_index("system")
    n = s["launchers_per_fu"].astype(float).fillna(0.0) * s["missiles_per_launcher"].astype(
        float
    ).fillna(0.0)
    return n.round().astype("int64")


def system_costs(systems: pd.DataFrame, level: Level = "mid") -> pd.DataFrame:
    """Per-system unit costs [MUSD]: ``fu_cost, interceptor_cost, load, capex, opex``."""
    s = systems.set_index("system")
    out = pd.DataFrame(index=s.index)
    out["tier"] = s["tier"]
    out["fu_cost_musd"] = s[f"fire_unit_cost_musd_{level}"].astype(float).fillna(0.0)
    out["interceptor_cost_musd"] = s[f"interceptor_cost_musd_{level}"].astype(float).fillna(0.0)
    out["interceptors_per_fu"] = interceptors_per_fu(systems)
    out["capex_musd"] = (
        out["fu_cost_musd"] + out["interceptors_per_fu"] * out["interceptor_cost_musd"]
    )
    out["opex_musd_per_year"] = s["opex_musd_per_year"].astype(float).fillna(0.0)
    return out


def choose_systems(
    inventory: pd.DataFrame,
    systems: pd.DataFrame,
    production: pd.DataFrame,
    iso3: Sequence[str],
    buy: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Preferred system per ally and tier.

    ``buy`` overrides the choice: ``{"short": "skyranger"}`` for every ally, or
    ``{"POL:short": "pilica-plus"}`` for one (the ally-specific key wins).

    Raises
    ------
    GbadInputError
        ``industry.buy.<key>`` for an unknown tier or system, or a system of another tier.

    Returns
    -------
    DataFrame
        ``iso3, tier, system, has_line`` (one row per ally and tier; ``system`` is
        ``None`` when the systems table has nothing in that tier).
    """
    with_line = set(production["system"]) if len(production) else set()
    s = systems.set_index("system")
    in_prod = s["in_production"].astype(bool) if "in_production" in s else pd.Series(True, s.index)
    eligible = {x for x in s.index if in_prod.get(x, False) and x in with_line}
    held = inventory[
        inventory["status"].astype(str).str.lower().isin(["in service", "on order", "delivering"])
    ].copy()
    held["n"] = held["fire_units_mid"].astype(float).fillna(0.0)
    by_ally = held.groupby(["iso3", "system"])["n"].sum()
    by_sys = held[held["iso3"].isin(list(iso3))].groupby("system")["n"].sum()
    buy = dict(buy or {})
    for k, v in buy.items():
        tier_part = k.split(":", 1)[-1]
        if tier_part not in TIERS:
            raise GbadInputError(f"industry.buy.{k}", f"unknown tier {tier_part!r}")
        if v not in s.index:
            raise GbadInputError(f"industry.buy.{k}", f"unknown system {v!r}")
        if s.at[v, "tier"] != tier_part:
            raise GbadInputError(f"industry.buy.{k}", f"{v} is a {s.loc[v, 'tier']!s} system")
    rows = []
    for tier in TIERS:
        tier_sys = [x for x in s.index if s.at[x, "tier"] == tier]
        cands = [x for x in tier_sys if x in eligible]
        if cands:
            default = max(
                cands, key=lambda x: (by_sys.get(x, 0.0), x in eligible, -tier_sys.index(x))
            )
        elif tier_sys:
            default = max(tier_sys, key=lambda x: (by_sys.get(x, 0.0), -tier_sys.index(x)))
        else:
            default = None
        for iso in iso3:
            own = [(by_ally.get((iso, x), 0.0), x) for x in cands]
            own = [o for o in own if o[0] > 0]
            choice = max(own, key=lambda o: o[0])[1] if own else default
            choice = buy.get(f"{iso}:{tier}", buy.get(tier, choice))
            rows.append(
                {
                    "iso3": iso,
                    "tier": tier,
                    "system": choice,
                    "has_line": bool(choice in eligible) if choice else False,
                }
            )
    out = pd.DataFrame(rows, columns=["iso3", "tier", "system", "has_line"])
    out["has_line"] = out["has_line"].astype(bool)
    return out
