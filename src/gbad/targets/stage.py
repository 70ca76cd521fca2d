"""The targets stage: collective x-fold target to national targets per tier.

``compute_targets(ref, scenario)`` is pure (no I/O). The baseline is the in-service
fire units (``inventory.fire_units_mid``, status ``in service``) of the allies in the
plan, optionally without legacy systems (``systems.legacy``). For each tier the
collective target is ``round(F_t × B_t)``; when several tiers are apportioned together
the overall collective target is ``round(Σ_t F_t B_t)`` and it is split among tiers by
Hamilton on ``F_t B_t`` (so each tier is within one unit of ``F_t B_t``; with an
integer factor the two coincide). Rounding is Python's ``round`` (half to even).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from gbad.errors import GbadInputError
from gbad.scenario.sections import TIERS
from gbad.targets.apportion import METHODS, ApportionmentInfeasibleError, apportion, hamilton
from gbad.targets.keys import (
    KEYS,
    assets_or_capitals,
    blend_shares,
    exposure_table,
    key_shares,
)

__all__ = [
    "TargetsResult",
    "baseline_table",
    "compute_targets",
    "plan_countries",
]


@dataclass(frozen=True)
class TargetsResult:
    """National targets per ally and tier.

    Attributes
    ----------
    table : DataFrame
        ``iso3, tier, baseline, target, quota, share`` (fire units; quota is the
        constrained quota the integer target was rounded from).
    tiers : DataFrame
        ``tier, factor, collective_baseline, collective_target``.
    shares : Series
        Key shares by iso3 (sum to one).
    exposure : DataFrame
        The exposure table (population/value in reach per class), by iso3.
    key, method, basis : str
        What was used.
    """

    table: pd.DataFrame
    tiers: pd.DataFrame
    shares: pd.Series
    exposure: pd.DataFrame
    key: str
    method: str
    basis: str
    include_legacy: bool
    warnings: list[str] = field(default_factory=list)

    @property
    def collective_target(self) -> int:
        """Sum of the tier targets [fire units]."""
        return int(self.tiers["collective_target"].sum())

    @property
    def collective_baseline(self) -> int:
        """Sum of the tier baselines [fire units]."""
        return int(self.tiers["collective_baseline"].sum())

    def by_country(self) -> pd.DataFrame:
        """Targets summed over the tiers: ``iso3, baseline, target, quota, share``."""
        g = self.table.groupby("iso3", sort=False)[["baseline", "target", "quota"]].sum()
        g["share"] = self.shares.reindex(g.index)
        return g.reset_index()

    def to_dict(self) -> dict[str, Any]:
        """JSON-able summary (the ``gbad apportion --json`` object)."""
        tiers: dict[str, Any] = {}
        for row in self.tiers.to_dict("records"):
            part = self.table[self.table["tier"] == row["tier"]]
            tiers[str(row["tier"])] = {
                "factor": float(row["factor"]),
                "collective_baseline": int(row["collective_baseline"]),
                "collective_target": int(row["collective_target"]),
                "countries": _rows(part),
            }
        factors = sorted({float(f) for f in self.tiers["factor"]})
        return {
            "collective_target": self.collective_target,
            "collective_baseline": self.collective_baseline,
            "factor": factors[0] if len(factors) == 1 else None,
            "key": self.key,
            "method": self.method,
            "basis": self.basis,
            "include_legacy": self.include_legacy,
            "countries": _rows(self.by_country()),
            "tiers": tiers,
            "warnings": list(self.warnings),
        }


def _rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [
        {
            "iso3": str(r["iso3"]),
            "baseline": int(r["baseline"]),
            "target": int(r["target"]),
            "quota": round(float(r["quota"]), 6),
            "share": round(float(r["share"]), 8),
        }
        for r in frame.to_dict("records")
    ]


def plan_countries(ref: Any, scenario: Any) -> list[str]:
    """Allies in the plan: ``scenario.countries`` or the European allies, sorted."""
    countries = ref.countries
    if scenario.countries:
        known = set(countries["iso3"])
        bad = [c for c in scenario.countries if c not in known]
        if bad:
            raise GbadInputError("countries", f"unknown iso3 code(s): {', '.join(bad)}")
        return sorted(dict.fromkeys(scenario.countries))
    return sorted(countries.loc[countries["european"].astype(bool), "iso3"].astype(str))


def baseline_table(
    inventory: pd.DataFrame,
    systems: pd.DataFrame,
    iso3: Sequence[str],
    *,
    include_legacy: bool = True,
    level: str = "mid",
) -> pd.DataFrame:
    """In-service fire units per ally and tier (``iso3 x tier`` of ints, zero-filled)."""
    inv = inventory[inventory["status"].astype(str).str.strip().str.lower() == "in service"]
    if not include_legacy:
        legacy = set(systems.loc[systems["legacy"].astype(bool), "system"])
        inv = inv[~inv["system"].isin(legacy)]
    col = f"fire_units_{level}"
    counts = inv.groupby(["iso3", "tier"])[col].sum(min_count=1).fillna(0.0)
    frame = counts.unstack("tier").reindex(index=list(iso3), columns=list(TIERS)).fillna(0.0)
    frame.index.name = "iso3"
    return frame.round().astype("int64")


def _bound(mapping: dict[str, int], iso: str, tier: str) -> int | None:
    if f"{iso}:{tier}" in mapping:
        return int(mapping[f"{iso}:{tier}"])
    if iso in mapping:
        return int(mapping[iso])
    return None


def _shares(ref: Any, scenario: Any, iso3: list[str], key: str) -> tuple[pd.Series, pd.DataFrame]:
    assets = assets_or_capitals(getattr(ref, "assets", None), ref.countries)
    exp = exposure_table(assets, ref.launch_areas, ref.threats, iso3)
    blend = scenario.target.blend
    if blend:
        parts = [
            (key_shares(k, ref.countries, iso3, exposure=exp["exposure"]), w)
            for k, w in blend.items()
        ]
        try:
            return blend_shares(parts), exp
        except ValueError as exc:
            raise GbadInputError("target.blend", str(exc)) from None
    return key_shares(key, ref.countries, iso3, exposure=exp["exposure"]), exp  # type: ignore[arg-type]


def compute_targets(
    ref: Any,
    scenario: Any,
    *,
    factor: float | None = None,
    key: str | None = None,
    method: str | None = None,
    tier: str | None = None,
) -> TargetsResult:
    """National targets per tier for ``scenario`` on reference data ``ref``.

    Parameters
    ----------
    ref : Reference
        Reference tables (``countries, inventory, systems, assets, launch_areas, threats``).
    scenario : Scenario
        Its ``target`` section sets factor, key/blend, method, basis, bounds, legacy.
    factor, key, method : optional
        Overrides (the CLI flags); ``factor`` replaces every per-tier factor.
    tier : str, optional
        Apportion one tier only (default: every tier).

    Returns
    -------
    TargetsResult

    Raises
    ------
    GbadInputError
        Bad factor/key/method/tier, or bounds that make the target infeasible.
    """
    ts = scenario.target
    key = key or ts.key
    method = method or ts.method
    if key not in KEYS:
        raise GbadInputError("target.key", f"unknown key {key!r} (use {', '.join(KEYS)})")
    if method not in METHODS:
        raise GbadInputError("target.method", f"unknown method {method!r}")
    if factor is not None and not factor > 0:
        raise GbadInputError("target.factor", "must be greater than 0")
    if tier is not None and tier not in TIERS:
        raise GbadInputError("tier", f"unknown tier {tier!r} (use {', '.join(TIERS)})")
    tiers = [tier] if tier else list(TIERS)
    iso3 = plan_countries(ref, scenario)
    base = baseline_table(ref.inventory, ref.systems, iso3, include_legacy=ts.include_legacy)
    shares, exp = _shares(ref, scenario, iso3, key)
    basis = ts.basis

    factors = {
        t: float(factor if factor is not None else ts.tiers.get(t, ts.factor)) for t in tiers
    }
    b_tier = {t: int(base[t].sum()) for t in tiers}
    if len(tiers) == 1:
        totals = {tiers[0]: round(factors[tiers[0]] * b_tier[tiers[0]])}
    else:
        grand = round(sum(factors[t] * b_tier[t] for t in tiers))
        try:
            split = hamilton(
                [factors[t] * b_tier[t] for t in tiers], grand, lower=[b_tier[t] for t in tiers]
            )
        except ApportionmentInfeasibleError:
            raise GbadInputError(
                "target.factor", "a factor below 1 would put allies below their baseline"
            ) from None
        totals = {t: int(s) for t, s in zip(tiers, split.seats, strict=True)}

    rows = []
    for t in tiers:
        b = base[t].to_numpy()
        if int(b.sum()) > totals[t]:
            raise GbadInputError(
                "target.factor",
                f"tier {t}: target {totals[t]} is below the baseline {int(b.sum())}",
            )
        lo = [max(int(b[k]), _bound(ts.minimum, iso, t) or 0) for k, iso in enumerate(iso3)]
        hi = [
            hb if (hb := _bound(ts.maximum, iso, t)) is not None else max(totals[t], lo[k])
            for k, iso in enumerate(iso3)
        ]
        for k, iso in enumerate(iso3):
            if hi[k] < lo[k]:
                raise GbadInputError(
                    "target.maximum", f"{iso} maximum {hi[k]} is below its baseline/minimum {lo[k]}"
                )
        house, lower, upper = totals[t], lo, hi
        if basis == "increment":
            house = totals[t] - int(b.sum())
            lower = [lo[k] - int(b[k]) for k in range(len(iso3))]
            upper = [hi[k] - int(b[k]) for k in range(len(iso3))]
        try:
            res = apportion(shares.to_numpy(), max(house, 0), method, lower, upper)  # type: ignore[arg-type]
        except ApportionmentInfeasibleError as exc:
            if sum(int(v) for v in b) > totals[t]:
                raise GbadInputError(
                    "target.factor",
                    f"tier {t}: target {totals[t]} is below the baseline {int(b.sum())}",
                ) from None
            fld = "target.minimum" if exc.side == "lower" else "target.maximum"
            bounds = ts.minimum if exc.side == "lower" else ts.maximum
            keys = [k for k in bounds if str(k).partition(":")[2] in ("", t)]
            raise GbadInputError(f"{fld}.{keys[0]}" if keys else fld, f"tier {t}: {exc}") from None
        add = b if basis == "increment" else np.zeros_like(b)
        for k, iso in enumerate(iso3):
            rows.append(
                {
                    "iso3": iso,
                    "tier": t,
                    "baseline": int(b[k]),
                    "target": int(res.seats[k] + add[k]),
                    "quota": float(res.quotas[k] + add[k]),
                    "share": float(shares.iloc[k]),
                }
            )
    table = pd.DataFrame(rows, columns=["iso3", "tier", "baseline", "target", "quota", "share"])
    tier_frame = pd.DataFrame(
        {
            "tier": tiers,
            "factor": [factors[t] for t in tiers],
            "collective_baseline": [b_tier[t] for t in tiers],
            "collective_target": [totals[t] for t in tiers],
        }
    )
    warnings = [f"tier {t}: baseline is zero, target is zero" for t in tiers if b_tier[t] == 0]
    return TargetsResult(
        table=table,
        tiers=tier_frame,
        shares=shares,
        exposure=exp,
        key="blend" if ts.blend else key,
        method=method,
        basis=basis,
        include_legacy=ts.include_legacy,
        warnings=warnings,
    )
