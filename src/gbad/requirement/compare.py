"""The requirement's force set against the x-fold target, its drivers and its limits.

Helpers of :func:`gbad.requirement.compute_requirement`: the required fire units
against the x-fold target per tier and per ally and tier, and the target's cost
(:func:`versus_target`); the missile class each tier's new units stop most of
(:func:`drivers_of`); the missile classes aimed at an ally that none of its
systems engages (:func:`uncoverable_classes`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from gbad.campaign import CampaignSetup
from gbad.scenario.sections import MISSILE_CLASSES, THREAT_CLASSES, TIERS

__all__ = ["drivers_of", "uncoverable_classes", "versus_target"]

F64 = npt.NDArray[np.float64]


def uncoverable_classes(
    base: CampaignSetup, candidates: list[list[int]], in_service: F64
) -> list[dict[str, Any]]:
    """Missile classes aimed at an ally that none of its systems, fielded or to buy, engages.

    A unit may stand at any of its ally's assets (:meth:`AssetGeometry.surplus_sites`),
    so a class is out of reach exactly when no such system engages it (on the
    spatial campaign: no effective radius against it; else no kill probability).
    """
    out: list[dict[str, Any]] = []
    geo = base.geometry
    expected = base.means.sum(axis=0)[None, :] * base.exposure  # (A, C)
    for a, iso in enumerate(base.areas):
        mine = sorted(set(candidates[a]) | set(np.flatnonzero(in_service[a] > 0).tolist()))
        for c in MISSILE_CLASSES:
            k = THREAT_CLASSES.index(c)
            if expected[a, k] <= 0:
                continue
            reach = base.pk[mine, k] > 0
            if geo is not None:
                reach &= geo.radius_km[mine, k] > 0
            if reach.any():
                continue
            assets = 0
            if geo is not None:
                assets = int(((geo.asset_area == a) & (geo.asset_share[:, k] > 0)).sum())
            out.append(
                {
                    "iso3": iso,
                    "threat_class": c,
                    "expected_missiles": float(expected[a, k]),
                    "assets": assets,
                }
            )
    return out


def versus_target(
    force: pd.DataFrame,
    targets: Any,
    choices: pd.DataFrame,
    price: Mapping[str, float],
    areas: tuple[str, ...],
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], float | None]:
    """Required against x-fold target per tier and per ally and tier, and the target's cost.

    The target's cost prices, per ally and tier, the units the target asks beyond
    the existing force at the procurement's systems (share-weighted), as the
    requirement's units are priced.

    Each per-tier row carries ``required`` (in service: existing kept plus added),
    ``target``, ``added`` (fire units the requirement added in the tier),
    ``sized`` (``added > 0``: the search bought units of the tier against the
    missile leak share; a tier with none added is the plan's force kept, not
    sized against missiles, so its ``required`` is no answer to its ``target``),
    ``cost_musd`` (the added units at ``price``; the rows sum to the
    requirement's cost) and ``target_cost_musd`` (the target's units of the tier
    beyond the existing force, priced as the returned total, which the rows sum
    to; ``None`` without targets).
    """
    req = force.groupby(["iso3", "tier"])[["fire_units", "existing", "added"]].sum()
    tgt: pd.Series | None = None
    if targets is not None:
        tgt = targets.table.groupby(["iso3", "tier"])["target"].sum()
    versus = []
    for tier in TIERS:
        required = (
            int(req.xs(tier, level="tier")["fire_units"].sum())
            if tier in req.index.get_level_values("tier")
            else 0
        )
        target = None
        if tgt is not None:
            target = int(tgt[tgt.index.get_level_values("tier") == tier].sum())
        mine = force[force["tier"] == tier]
        added = int(mine["added"].sum())
        spent = float(
            sum(
                price.get(str(s), 0.0) * int(n)
                for s, n in zip(mine["system"], mine["added"], strict=True)
            )
        )
        versus.append(
            {
                "tier": tier,
                "required": required,
                "target": target,
                "added": added,
                "sized": added > 0,
                "cost_musd": spent,
                "target_cost_musd": 0.0 if tgt is not None else None,
            }
        )
    tier_cost: dict[str, float] = dict.fromkeys(TIERS, 0.0)
    by_ally = []
    cost = 0.0 if tgt is not None else None
    for iso in areas:
        for tier in TIERS:
            key = (iso, tier)
            required = int(req["fire_units"].get(key, 0))
            old = int(req["existing"].get(key, 0))
            target = int(tgt.get(key, 0)) if tgt is not None else None
            if required == 0 and not target:
                continue
            by_ally.append(
                {"iso3": iso, "tier": tier, "required": required, "target": target, "existing": old}
            )
            if target is not None and cost is not None and target > old:
                mine = choices[(choices["iso3"] == iso) & (choices["tier"] == tier)]
                shares = mine["share"].astype(float)
                unit = [price.get(str(s), 0.0) for s in mine["system"]]
                if shares.sum() > 0:
                    part = (target - old) * float(np.dot(shares, unit) / shares.sum())
                    cost += part
                    tier_cost[tier] += part
    if cost is not None:
        for row in versus:
            row["target_cost_musd"] = tier_cost[str(row["tier"])]
    return versus, by_ally, cost


def drivers_of(
    added: Mapping[tuple[int, int], int],
    tiers: tuple[str, ...],
    n_areas: int,
    class_leakers: Any,
) -> list[dict[str, Any]]:
    """Per tier with new units: the missile class whose leakers they prevent most."""
    out = []
    for tier in TIERS:
        prevented = np.zeros(len(THREAT_CLASSES))
        any_unit = False
        for a in range(n_areas):
            mine = {j: n for (aa, j), n in added.items() if aa == a}
            without = {j: n for j, n in mine.items() if tiers[j] != tier}
            if without == mine:
                continue
            any_unit = True
            prevented += class_leakers(a, without) - class_leakers(a, mine)
        if not any_unit:
            continue
        missile = {c: float(prevented[THREAT_CLASSES.index(c)]) for c in MISSILE_CLASSES}
        top = max(missile, key=lambda c: missile[c])
        out.append(
            {
                "tier": tier,
                "threat_class": top if missile[top] > 0 else None,
                "leakers_prevented": missile,
                "drone_leakers_prevented": float(prevented[THREAT_CLASSES.index("drone")]),
            }
        )
    return out
