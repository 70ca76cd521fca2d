r"""What a fire unit costs (which system is bought is :mod:`gbad.procurement`'s choice).

Unit cost (constant prices, million USD)
    A new fire unit costs its acquisition plus an initial interceptor load of
    ``launchers_per_fu × missiles_per_launcher`` interceptors:

    .. math::

        c^{cap} = c^{FU} + n^{int}\, c^{int}, \qquad c^{op} = \text{opex per year}.
"""

from __future__ import annotations

from typing import Literal

import pandas as pd

__all__ = ["interceptors_per_fu", "system_costs"]

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
