"""The requirement's result: the force found, its checks and its comparison with the target.

:class:`RequirementResult` holds what :func:`gbad.requirement.compute_requirement`
finds (:mod:`gbad.requirement.stage` describes the method) and writes it as
``plan.json``'s ``requirement`` and ``gbad requirement --json`` (:meth:`to_dict`)
and as ``force.csv`` (:meth:`counts`, :meth:`force_csv`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

__all__ = ["RequirementResult"]


@dataclass
class RequirementResult:
    """The least-cost force holding the missile leak share (module docstring).

    Attributes
    ----------
    year : int
    leak_target : float
    missile_leak_share, missile_leak_share_se : float
        Monte Carlo check of the accepted force (fresh seeds).
    existing_missile_leak_share : float
        The same check of the existing force alone (the year's force without
        new units).
    met : bool
        Whether the Monte Carlo share is within its error of the target (at most
        the target plus :data:`ACCEPT_SE` standard errors).
    force : DataFrame
        ``iso3, tier, system, fire_units, existing, added`` (in service).
    unit_cost_musd : dict
        Price of one new fire unit with its first interceptor load, per system:
        the budget's unit cost (:func:`gbad.budget.costs.system_costs`
        ``capex_musd``, at ``budget.cost_level``), the same number as
        ``budget.lines`` ``capex_musd / units``.
    unit_price_with_reloads_musd : dict
        Price of one new fire unit with its load and the scenario's depot loads
        (``campaign.stockpile_loads``), per system: what the search pays for a
        unit and the basis of ``total_cost_musd`` and ``target_cost_musd``.
    versus_target : list of dict
        ``tier, required, target`` (fire units in service, all allies), and
        ``added, sized, cost_musd, target_cost_musd`` per tier
        (:func:`gbad.requirement.compare.versus_target`).
    by_ally_tier : list of dict
        ``iso3, tier, required, target, existing``.
    drivers : list of dict
        ``tier, threat_class, leakers_prevented``: the missile class each tier's
        new units stop most of (mean-field, units of that tier removed), and
        ``drone_leakers_prevented``; ``within_monte_carlo_error``: the missile
        leakers the tier prevents are fewer than one standard error of the
        checked share times ``missiles_launched`` (its effect on the share is
        within Monte Carlo error).
    missiles_launched : float
        Expected ballistic, cruise and glide missiles launched at the allies over
        the campaign (the denominator of the missile leak share).
    rounds : list of dict
        Each Monte Carlo check: ``missile_leak_share``, ``se``, ``added_units``.
    """

    year: int
    leak_target: float
    missile_leak_share: float
    missile_leak_share_se: float | None
    existing_missile_leak_share: float
    existing_missile_leak_share_se: float | None
    met: bool
    force: pd.DataFrame
    unit_cost_musd: dict[str, float]
    versus_target: list[dict[str, Any]]
    by_ally_tier: list[dict[str, Any]]
    target_cost_musd: float | None
    drivers: list[dict[str, Any]]
    rounds: list[dict[str, Any]]
    evaluations: int
    seconds: float
    method: str = (
        "lazy greedy on leak reduction per USD, mean-field engine rescaled per ally to "
        "the Monte Carlo engine, pruned and exchanged; Monte Carlo check and repair"
    )
    #: Per ally and missile class aimed at it that no system it fields or may buy
    #: engages: ``iso3, threat_class, expected_missiles, assets`` (they leak
    #: whatever is bought; the target must leave room for them).
    uncoverable: list[dict[str, Any]] = field(default_factory=list)
    #: Expected missiles launched over the campaign (class docstring).
    missiles_launched: float | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    #: Campaign geometry the search and its checks fight (module docstring).
    geometry: str = "pooled"
    #: Spatial campaign: where the accepted force's ready units stand,
    #: ``iso3, system, fire_units, lat, lon`` (units at one position counted
    #: together, in standing order); ``None`` on the pooled campaign.
    sites: pd.DataFrame | None = None
    #: Price of a new fire unit with its load and depot loads (class docstring).
    unit_price_with_reloads_musd: dict[str, float] = field(default_factory=dict)

    def _price(self, system: str) -> float:
        return self.unit_price_with_reloads_musd.get(system, self.unit_cost_musd[system])

    @property
    def total_cost_musd(self) -> float:
        """Price of the added fire units with their load and depot loads [MUSD]."""
        added = self.force[self.force["added"] > 0]
        return float(
            sum(self._price(s) * n for s, n in zip(added["system"], added["added"], strict=True))
        )

    def counts(self) -> pd.DataFrame:
        """``force.csv``: ``iso3, system, fire_units`` (existing plus added)."""
        frame = self.force[self.force["fire_units"] > 0]
        return frame[["iso3", "system", "fire_units"]].reset_index(drop=True)

    def force_csv(self) -> pd.DataFrame:
        """``force.csv``: :meth:`counts`, and on the spatial campaign where units stand.

        With :attr:`sites`, each ally and system's standing units come first, one
        row per position (``lat, lon``, consecutive units at one position counted
        together, in the order the campaign stands them), then one row without a
        position for its units in service that do not stand (not ready)
        (:func:`gbad.requirement.force_table.sites_of_counts` reads it back).
        """
        counts = self.counts()
        if self.sites is None or self.sites.empty:
            return counts
        rows: list[tuple[str, str, int, float | None, float | None]] = []
        placed = dict(list(self.sites.groupby(["iso3", "system"], sort=False)))
        for rec in counts.to_dict("records"):
            iso, system, n = str(rec["iso3"]), str(rec["system"]), int(rec["fire_units"])
            grp = placed.get((iso, system))
            standing = 0
            if grp is not None:
                for la, lo, k in zip(grp["lat"], grp["lon"], grp["fire_units"], strict=True):
                    rows.append((iso, system, int(k), float(la), float(lo)))
                    standing += int(k)
            if n > standing:
                rows.append((iso, system, n - standing, None, None))
        return pd.DataFrame(rows, columns=["iso3", "system", "fire_units", "lat", "lon"])

    def to_dict(self) -> dict[str, Any]:
        """The ``gbad requirement --json`` object (and ``plan.json["requirement"]``)."""
        countries = []
        for iso, rows in self.force.groupby("iso3", sort=True):
            added = rows[rows["added"] > 0]
            cost = sum(
                self._price(s) * n for s, n in zip(added["system"], added["added"], strict=True)
            )
            countries.append(
                {
                    "iso3": str(iso),
                    "cost_musd": float(cost),
                    "systems": [
                        {
                            "tier": str(r["tier"]),
                            "system": str(r["system"]),
                            "fire_units": int(r["fire_units"]),
                            "existing": int(r["existing"]),
                            "added": int(r["added"]),
                        }
                        for r in rows.to_dict("records")
                        if r["fire_units"] > 0
                    ],
                }
            )
        total = self.total_cost_musd
        return {
            "year": self.year,
            "leak_target": self.leak_target,
            "missile_leak_share": self.missile_leak_share,
            "missile_leak_share_se": self.missile_leak_share_se,
            "existing_missile_leak_share": self.existing_missile_leak_share,
            "existing_missile_leak_share_se": self.existing_missile_leak_share_se,
            "met": self.met,
            "total_cost_musd": total,
            "target_cost_musd": self.target_cost_musd,
            "cost_difference_musd": None
            if self.target_cost_musd is None
            else total - self.target_cost_musd,
            "countries": countries,
            "versus_target": self.versus_target,
            "by_ally_tier": self.by_ally_tier,
            "drivers": self.drivers,
            "unit_cost_musd": self.unit_cost_musd,
            "unit_price_with_reloads_musd": self.unit_price_with_reloads_musd,
            "rounds": self.rounds,
            "uncoverable": self.uncoverable,
            "missiles_launched": self.missiles_launched,
            "method": self.method,
            "geometry": self.geometry,
            "evaluations": self.evaluations,
        }
