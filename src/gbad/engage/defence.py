"""Build fire units and cost tables for the engagement engine from the reference data.

Reads the ``systems``, ``envelopes`` and ``threats`` tables of a
:class:`gbad.reference.Reference` (or any object with those DataFrames).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, Literal

from gbad.engage.model import FireUnit
from gbad.errors import GbadInputError

__all__ = ["fire_unit_from_reference", "interceptor_costs_musd", "threat_costs_musd"]

Level = Literal["low", "mid", "high"]


def _num(value: Any, default: float) -> float:
    try:
        out = float(value)
    except (TypeError, ValueError):
        return default
    return out if math.isfinite(out) else default


def fire_unit_from_reference(
    ref: Any,
    system: str,
    *,
    count: int = 1,
    magazine: int | None = None,
    pk_level: Level = "mid",
    pk_override: Mapping[str, float] | None = None,
    engagement_time_s: float = 30.0,
    engagement_window_s: float = 0.0,
) -> FireUnit:
    """A :class:`FireUnit` of ``system`` with its reference channels, load and Pk.

    Parameters
    ----------
    ref : Reference
        Reference data (``ref.systems``, ``ref.envelopes``).
    system : str
        System slug (``patriot``, ``iris-t-slm``...).
    count : int
        Number of identical units (pooled).
    magazine : int, optional
        Interceptors per unit for the raid; default one load
        (``launchers_per_fu * missiles_per_launcher``).
    pk_level : {"low", "mid", "high"}
        Which single-shot Pk column of the envelopes to use.
    pk_override : mapping, optional
        Pk per threat class replacing the reference values.
    engagement_time_s, engagement_window_s : float
        Channel holding time and waiting window [s] (not in the reference tables).

    Notes
    -----
    Channels are ``fire_channels`` (1 when unknown); ready rounds are one load, with
    reloads of ``reload_time_min`` minutes; a unit with an unknown load has its whole
    magazine ready.
    """
    rows = ref.systems[ref.systems["system"] == system]
    if rows.empty:
        raise GbadInputError("system", f"unknown system {system!r}")
    row = rows.iloc[0]
    load = int(_num(row.get("launchers_per_fu"), 0.0) * _num(row.get("missiles_per_launcher"), 0.0))
    if magazine is None:
        if load <= 0:
            raise GbadInputError("magazine", f"{system} has no known load; give a magazine")
        magazine = load
    env = ref.envelopes[ref.envelopes["system"] == system]
    pk = {
        str(c): _num(p, 0.0)
        for c, p in zip(env["threat_class"], env[f"pk_{pk_level}"], strict=True)
        if _num(p, 0.0) > 0
    }
    if pk_override is not None:
        pk = {str(c): float(p) for c, p in pk_override.items()}
    return FireUnit(
        system=system,
        tier=str(row["tier"]),
        pk=pk,
        magazine=int(magazine),
        channels=max(1, int(_num(row.get("fire_channels"), 1.0))),
        engagement_time_s=engagement_time_s,
        reload_time_s=60.0 * _num(row.get("reload_time_min"), 0.0),
        count=count,
        ready_rounds=load if 0 < load < magazine else 0,
        engagement_window_s=engagement_window_s,
    )


def interceptor_costs_musd(ref: Any, level: Level = "mid") -> dict[str, float]:
    """Interceptor unit cost per system [MUSD] (systems without a cost are left out)."""
    col = f"interceptor_cost_musd_{level}"
    return {
        str(s): _num(v, math.nan)
        for s, v in zip(ref.systems["system"], ref.systems[col], strict=True)
        if math.isfinite(_num(v, math.nan))
    }


def threat_costs_musd(ref: Any, level: Level = "mid") -> dict[str, float]:
    """Unit cost per threat class [MUSD], for ``Raid.threat_cost_musd``."""
    col = f"unit_cost_musd_{level}"
    return {
        str(c): _num(v, math.nan)
        for c, v in zip(ref.threats["threat_class"], ref.threats[col], strict=True)
        if math.isfinite(_num(v, math.nan))
    }
