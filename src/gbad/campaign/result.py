"""What a campaign returns: :class:`CampaignResult` and its summaries.

Split from :mod:`gbad.campaign.model` (the night-by-night simulation) so each
module keeps to one concept: this one holds the result, its per-night tables,
stock-out nights and the campaign endurance headline.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from gbad.scenario.sections import MISSILE_CLASSES, OUTER_TIERS

__all__ = [
    "ENDURANCE_DEFINITION",
    "ENDURANCE_DRY_SHARE",
    "ENDURANCE_TIERS",
    "MISSILE_CLASSES",
    "STOCKOUT_DEFINITION",
    "CampaignResult",
]

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]

#: Tiers whose fire units the campaign endurance is measured on (the missile defence).
ENDURANCE_TIERS: tuple[str, ...] = OUTER_TIERS

#: Share of those fire units out of interceptors that ends the campaign endurance.
ENDURANCE_DRY_SHARE = 0.1


ENDURANCE_DEFINITION = (
    "nights until a tenth of the allies' long- and medium-range fire units have run out "
    "of interceptors (median over replications; a fire unit counts from the first night "
    "its ally's stock of its interceptor type is empty)"
)

#: What "the night a stock runs out" means, wherever a campaign reports one.
STOCKOUT_DEFINITION = (
    "the 1-based index of the night at whose end an ally's stock of an interceptor type "
    "is below one interceptor (night 1 is the first night; nothing is left for the next "
    "night), lower median over replications; none unless it runs out in more than half "
    "of them"
)


@dataclass
class CampaignResult:
    """Outcome of a campaign, averaged over replications (units in names).

    Arrays are indexed by night ``T``, area ``A`` (``areas``), system ``S``
    (``systems``) and class ``C`` (``classes``); ``_rep`` arrays keep one row
    per replication. Stocks are collective (summed over allies) unless ``_area``.
    """

    nights: int
    replications: int
    engine: str
    seed_entropy: int | None
    areas: tuple[str, ...]
    systems: tuple[str, ...]
    tiers: tuple[str, ...]
    classes: tuple[str, ...]
    threats_night: F64
    leakers_night: F64
    spent_night: F64
    produced_night: F64
    stock_night: F64
    stock_start: F64
    leakers_area: F64
    threats_area: F64
    spent_area: F64
    stock_end_area: F64
    threats_rep: F64
    leakers_rep: F64
    spent_rep: F64
    stockout_night_rep: I64
    interceptor_cost_musd: F64
    threat_cost_musd: F64
    leak_targets: F64
    production_per_year: F64
    ew_defeated_night: F64 | None = None
    paths: dict[str, Any] = field(default_factory=dict, repr=False)
    #: ``spatial`` (fire units engage threats at assets they cover) or ``pooled``.
    geometry: str = "pooled"
    #: Asset kinds of ``leakers_area_kind``.
    asset_kinds: tuple[str, ...] = ()
    #: Leakers by area, asset kind and class ``(A, K, C)`` (spatial campaigns).
    leakers_area_kind: F64 | None = None
    #: What the campaign could not do as its scenario asked, and why.
    notes: tuple[str, ...] = ()
    #: ``(S,)`` Europe's share of each line's output per year, before first loads
    #: (:attr:`CampaignSetup.europe_production_per_year`; ``None``: not known).
    europe_production_per_year: F64 | None = None
    #: The interceptor line each system draws on (:attr:`CampaignSetup.missile_line`).
    missile_line: tuple[str, ...] = ()

    def leakers_by_asset_kind(self) -> list[dict[str, Any]]:
        """Leakers per ally and asset kind (mean over replications; spatial only)."""
        if self.leakers_area_kind is None:
            return []
        rows = []
        for i, a in enumerate(self.areas):
            for k, kind in enumerate(self.asset_kinds):
                v = self.leakers_area_kind[i, k]
                if v.sum() > 1e-12:
                    rows.append(
                        {
                            "iso3": a,
                            "asset_kind": kind,
                            "leakers": dict(zip(self.classes, v.tolist(), strict=True)),
                        }
                    )
        return rows

    @property
    def produced(self) -> F64:
        """Interceptors delivered during the campaign, per system."""
        return np.asarray(self.produced_night.sum(axis=0), dtype=np.float64)

    @property
    def spent(self) -> F64:
        """Interceptors fired during the campaign, per system (mean)."""
        return np.asarray(self.spent_night.sum(axis=0), dtype=np.float64)

    @property
    def stock_end(self) -> F64:
        """Interceptors left after the last night, per system (mean)."""
        return np.asarray(self.stock_night[-1], dtype=np.float64)

    @property
    def threats(self) -> F64:
        """Threats launched per class (mean over replications)."""
        return np.asarray(self.threats_rep.mean(axis=0), dtype=np.float64)

    @property
    def ew_defeated(self) -> F64:
        """Threats defeated by electronic warfare per class (mean over replications)."""
        if self.ew_defeated_night is None:
            return np.zeros(len(self.classes))
        return np.asarray(self.ew_defeated_night.sum(axis=0), dtype=np.float64)

    @property
    def leakers(self) -> F64:
        """Leakers per class (mean over replications)."""
        return np.asarray(self.leakers_rep.mean(axis=0), dtype=np.float64)

    @property
    def leak_fraction(self) -> F64:
        """Share of each class that leaked: all leakers over all threats.

        Pooled over replications (the ratio of the means, as ``missile_leak_share``
        and the summary's ``leak_fraction``), 0 for a class never launched.
        """
        threats = self.threats_rep.sum(axis=0)
        leaked = self.leakers_rep.sum(axis=0)
        with np.errstate(invalid="ignore", divide="ignore"):
            frac = np.where(threats > 0, leaked / threats, 0.0)
        return np.asarray(frac, dtype=np.float64)

    @property
    def leak_fraction_se(self) -> F64:
        r"""Standard error of :attr:`leak_fraction` over replications (0 for one).

        The delta method for a ratio of means :math:`R = \bar y / \bar x`
        (Cochran, *Sampling Techniques*, 3rd ed., 1977, ch. 6, ratio estimators):
        :math:`\mathrm{se}(R) = \sqrt{\sum_r (y_r - R x_r)^2 / (n - 1) / n} / \bar x`,
        with :math:`y_r` the leakers and :math:`x_r` the threats of replication
        :math:`r`.
        """
        n = self.replications
        if n < 2:
            return np.zeros(len(self.classes))
        x, y = self.threats_rep, self.leakers_rep
        resid = y - self.leak_fraction[None, :] * x
        mean_x = x.mean(axis=0)
        var = (resid**2).sum(axis=0) / (n - 1) / n
        with np.errstate(invalid="ignore", divide="ignore"):
            se = np.where(mean_x > 0, np.sqrt(var) / mean_x, 0.0)
        return np.asarray(se, dtype=np.float64)

    @property
    def meets_targets(self) -> dict[str, bool | None]:
        """Whether each class's leak fraction is at most its target; ``None`` for a
        class never launched (nothing to meet, as the summary's ``null``)."""
        launched = self.threats_rep.sum(axis=0) > 0
        return {
            c: (bool(f <= t + 1e-12) if on else None)
            for c, f, t, on in zip(
                self.classes, self.leak_fraction, self.leak_targets, launched, strict=True
            )
        }

    @property
    def interceptors_spent_musd(self) -> float:
        """Cost of the interceptors fired [MUSD] (mean)."""
        return float(self.spent @ self.interceptor_cost_musd)

    @property
    def threats_destroyed_value_musd(self) -> float:
        """Cost of the threats the fire units destroyed [MUSD] (mean; electronic warfare's
        kills excluded: they cost no interceptor)."""
        return float((self.threats - self.leakers - self.ew_defeated) @ self.threat_cost_musd)

    @property
    def cost_exchange_ratio(self) -> float:
        """Defender's interceptor spend per dollar of threats destroyed."""
        value = self.threats_destroyed_value_musd
        return self.interceptors_spent_musd / value if value > 0 else math.nan

    def days_to_stockout(self) -> list[dict[str, Any]]:
        """Per ally and system holding fire units: the night its stock runs out.

        One definition, used by every stock-out figure of a campaign
        (:data:`STOCKOUT_DEFINITION`): the *stock-out night* is the 1-based index
        of the night at whose end the ally's stock of the interceptor type is
        below one interceptor (night 1 is the first night; a stock out on night
        ``n`` has nothing left for night ``n + 1``). ``night`` is the lower median
        over replications of that night, ``None`` unless the stock runs out in
        more than half of them (``runs_out`` is ``night is not None``: it runs out
        in most replications); ``days`` holds the same night index under its
        older name (kept for the contract); ``share`` is the
        share of replications in which it runs out. ``tier`` and ``fire_units``
        (the ally's fire units of the system) say what ran out.
        """
        out = []
        held = self.paths.get("fire_units")
        n_a, n_s = self.stockout_night_rep.shape[1:]
        for a in range(n_a):
            for j in range(n_s):
                if held is not None and held[a, j] <= 0:
                    continue
                nights = self.stockout_night_rep[:, a, j]
                days = _median_or_none(nights)
                out.append(
                    {
                        "iso3": self.areas[a],
                        "system": self.systems[j],
                        "tier": self.tiers[j],
                        "fire_units": None if held is None else float(held[a, j]),
                        "night": days,
                        "days": days,
                        "runs_out": days is not None,
                        "share": float(np.mean(nights > 0)),
                    }
                )
        return out

    def endurance(
        self,
        tiers: tuple[str, ...] = ENDURANCE_TIERS,
        dry_share: float = ENDURANCE_DRY_SHARE,
        area: int | None = None,
    ) -> dict[str, Any]:
        """Nights the missile defence lasts before its stocks fail.

        Per replication, the endurance is the first night at whose end at least
        ``dry_share`` of the fire units of ``tiers`` (all allies together) belong
        to an ally and interceptor type whose stock has run out; the headline is
        the lower median over replications. A single small national stock running
        dry (a few fire units) does not end it; losing a tenth of the long- and
        medium-range fire units does. With ``area``, the same for that ally's own
        fire units alone.

        Returns
        -------
        dict
            ``nights`` (the median; the campaign length if fewer than half the
            replications reach the share), ``reached`` (whether most do),
            ``censored`` (``nights`` is the campaign length because the defence
            lasted the whole campaign: the endurance is at least ``nights``, not
            ``nights``; ``False`` without such fire units),
            ``by_replication`` (``None`` where not reached), ``dry_share_end``
            (mean share of those fire units dry after the last night), ``tiers``,
            ``dry_share``, ``fire_units`` (how many such fire units there are)
            and ``definition``. ``nights`` is ``None`` without such fire units.
        """
        held = self.paths.get("fire_units")
        in_tiers = np.isin(np.asarray(self.tiers), tiers)
        out: dict[str, Any] = {
            "nights": None,
            "reached": False,
            "censored": False,
            "by_replication": [],
            "dry_share_end": None,
            "tiers": list(tiers),
            "dry_share": dry_share,
            "fire_units": 0.0,
            "definition": ENDURANCE_DEFINITION,
        }
        if held is None:
            return out
        weights = np.where(in_tiers[None, :], np.asarray(held, dtype=float), 0.0)
        if area is not None:
            weights[np.arange(weights.shape[0]) != area] = 0.0
        total = float(weights.sum())
        out["fire_units"] = total
        if total <= 0:
            return out
        first = self.stockout_night_rep  # (R, A, S), -1: never
        nights = np.arange(1, self.nights + 1)
        dry = (first[:, None] > 0) & (first[:, None] <= nights[None, :, None, None])
        share = (dry * weights[None, None]).sum(axis=(2, 3)) / total  # (R, T)
        hit = share >= dry_share - 1e-12
        rep = np.where(hit.any(axis=1), hit.argmax(axis=1) + 1, -1).astype(np.int64)
        median = _median_or_none(rep)
        out["nights"] = float(self.nights) if median is None else median
        out["reached"] = median is not None
        out["censored"] = median is None
        out["by_replication"] = [int(n) if n > 0 else None for n in rep]
        out["dry_share_end"] = float(share[:, -1].mean())
        return out

    def missile_leak_share(self) -> float | None:
        """Missile leak share over the campaign: mean leakers of :data:`MISSILE_CLASSES`
        over their mean threats (``None`` without missiles).

        The one formula behind ``milestones[].missile_leak_share`` and the ESSI
        war's, so the same campaign gives the same number bit for bit.
        """
        idx = [self.classes.index(c) for c in MISSILE_CLASSES if c in self.classes]
        threats = float(sum(float(self.threats[k]) for k in idx))
        leaked = float(sum(float(self.leakers[k]) for k in idx))
        return leaked / threats if threats > 0 else None

    def paths_missile_leak_share(self) -> dict[str, float | None]:
        """Missile leak share over the campaign and its standard error over replications.

        ``mean`` is the leakers of :data:`MISSILE_CLASSES` over their threats,
        pooled over replications (the ratio of the means); ``se`` the standard
        error of the per-replication share (``None`` with one replication or no
        missiles).
        """
        idx = [self.classes.index(c) for c in MISSILE_CLASSES if c in self.classes]
        threats = self.threats_rep[:, idx].sum(axis=1)
        leaked = self.leakers_rep[:, idx].sum(axis=1)
        if threats.sum() <= 0:
            return {"mean": None, "se": None}
        mean = float(leaked.sum() / threats.sum())
        ok = threats > 0
        if ok.sum() < 2:
            return {"mean": mean, "se": None}
        share = leaked[ok] / threats[ok]
        return {"mean": mean, "se": float(share.std(ddof=1) / np.sqrt(share.size))}

    def missile_leak_nights(self) -> dict[str, Any]:
        """Nights on which the missile leak share stays within the leak target.

        The nightly missile leak share is the leakers of :data:`MISSILE_CLASSES`
        over their threats that night (means over replications); its target is
        the class leak targets weighted by that night's threats.

        Returns
        -------
        dict
            ``first_over_target`` (first night above the target, ``None`` if
            none), ``nights_within_target`` (nights at or below it, of nights
            with missile threats), ``nights_with_missiles`` and ``share_by_night``.
        """
        idx = [self.classes.index(c) for c in MISSILE_CLASSES if c in self.classes]
        threats = self.threats_night[:, idx]
        leaked = self.leakers_night[:, idx].sum(axis=1)
        launched = threats.sum(axis=1)
        target = threats @ self.leak_targets[idx]
        with np.errstate(invalid="ignore", divide="ignore"):
            share = np.where(launched > 0, leaked / launched, np.nan)
        over = (launched > 0) & (leaked > target + 1e-12)
        within = (launched > 0) & ~over
        return {
            "first_over_target": int(over.argmax()) + 1 if over.any() else None,
            "nights_within_target": int(within.sum()),
            "nights_with_missiles": int((launched > 0).sum()),
            "share_by_night": [_finite_or_none(float(x)) for x in share],
        }

    def by_system(self) -> list[dict[str, Any]]:
        """Per system, summed over allies: the contract's stock columns and more.

        ``days_to_first_stockout`` is the earliest ``days`` of the system's
        :meth:`days_to_stockout` rows (:data:`STOCKOUT_DEFINITION`). Two production
        rates, two names: ``europe_production_per_year`` is each line's output
        times the share open to the allies, before any first load (the rate of
        :func:`gbad.requirement.burn_vs_build` of that name), and
        ``replacement_years`` is what was spent over it; ``spare_production_per_year``
        is what is left of that after the first loads of new fire units (the
        rate that refills the stocks during the campaign), and
        ``replacement_years_of_spare`` is what was spent over it.

        Both rates are those of the system's missile line (``missile_line``), on
        one basis (the industry schedule's, joint line expansion included when
        it applies): systems firing the same interceptor show the same line
        rates, and ``line_spent`` (what all of the line's systems spent) is what
        the two ``replacement_years`` divide. ``spare_production_per_year`` never
        exceeds ``europe_production_per_year``.
        """
        from gbad.engage.closed_forms import nights_of_supply, replacement_years

        first = np.where(self.stockout_night_rep > 0, self.stockout_night_rep, np.iinfo(int).max)
        first_any = first.min(axis=1)
        earliest: dict[str, float] = {}
        for r in self.days_to_stockout():
            d = r["days"]
            if d is not None and d < earliest.get(r["system"], math.inf):
                earliest[r["system"]] = d
        rows = []
        line_of = self.missile_line or self.systems
        own_spare = self.production_per_year.sum(axis=0)
        spare_line: dict[str, float] = {}
        spent_line: dict[str, float] = {}
        for j, line in enumerate(line_of):
            spare_line[line] = spare_line.get(line, 0.0) + float(own_spare[j])
            spent_line[line] = spent_line.get(line, 0.0) + float(self.spent[j])
        gross = self.europe_production_per_year
        europe: list[float | None] = (
            [None] * len(self.systems) if gross is None else [float(v) for v in gross]
        )
        for j, s in enumerate(self.systems):
            spent = float(self.spent[j])
            line = line_of[j]
            line_spent = spent_line[line]
            rate = europe[j]
            spare = spare_line[line]
            f = first_any[:, j]
            f = np.where(f == np.iinfo(int).max, -1, f)
            # Use per night while no stock of this system has run out anywhere
            # (afterwards spending is capped by the stock, not set by the raids).
            free = max(1, int(f[f > 0].min()) - 1) if np.any(f > 0) else self.nights
            nightly = float(self.spent_night[:free, j].mean())
            rows.append(
                {
                    "system": s,
                    "tier": self.tiers[j],
                    "stock_start": float(self.stock_start[j]),
                    "produced": float(self.produced[j]),
                    "spent": spent,
                    "stock_end": float(self.stock_end[j]),
                    "spent_cost_musd": spent * float(self.interceptor_cost_musd[j]),
                    # The earliest ally's stock-out night (``stockouts`` rows).
                    "days_to_first_stockout": earliest.get(s),
                    "nights_of_supply": _finite_or_none(
                        nights_of_supply(float(self.stock_start[j]), nightly)
                    ),
                    "missile_line": line,
                    "line_spent": line_spent,
                    "europe_production_per_year": rate,
                    "replacement_years": None
                    if rate is None
                    else _finite_or_none(replacement_years(line_spent, rate)),
                    "spare_production_per_year": spare,
                    "replacement_years_of_spare": _finite_or_none(
                        replacement_years(line_spent, spare)
                    ),
                }
            )
        return rows

    def per_night(self) -> list[dict[str, Any]]:
        """One record per night: threats, leakers, spent, stock (collective means)."""
        return [
            {
                "night": t + 1,
                "threats": dict(zip(self.classes, self.threats_night[t].tolist(), strict=True)),
                "leakers": dict(zip(self.classes, self.leakers_night[t].tolist(), strict=True)),
                "spent": dict(zip(self.systems, self.spent_night[t].tolist(), strict=True)),
                "stock": dict(zip(self.systems, self.stock_night[t].tolist(), strict=True)),
            }
            for t in range(self.nights)
        ]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready summary (the ``gbad campaign --json`` object)."""
        cls = self.classes
        endurance = self.endurance()
        return {
            "nights": self.nights,
            "replications": self.replications,
            "engine": self.engine,
            "seed_entropy": self.seed_entropy,
            "threats": dict(zip(cls, self.threats.tolist(), strict=True)),
            "leakers": dict(zip(cls, self.leakers.tolist(), strict=True)),
            "ew_defeated": dict(zip(cls, self.ew_defeated.tolist(), strict=True)),
            "leak_fraction": dict(zip(cls, self.leak_fraction.tolist(), strict=True)),
            "leak_fraction_se": dict(zip(cls, self.leak_fraction_se.tolist(), strict=True)),
            "leak_targets": dict(zip(cls, self.leak_targets.tolist(), strict=True)),
            "meets_targets": self.meets_targets,
            "by_system": self.by_system(),
            "by_area": [
                {
                    "iso3": a,
                    "threats": dict(zip(cls, self.threats_area[i].tolist(), strict=True)),
                    "leakers": dict(zip(cls, self.leakers_area[i].tolist(), strict=True)),
                    "spent": {
                        s: float(self.spent_area[i, j])
                        for j, s in enumerate(self.systems)
                        if self.spent_area[i, j] > 0
                    },
                }
                for i, a in enumerate(self.areas)
                if self.threats_area[i].sum() > 0
            ],
            "geometry": self.geometry,
            "notes": list(self.notes),
            "leakers_by_asset_kind": self.leakers_by_asset_kind(),
            "stockouts": [r for r in self.days_to_stockout() if r["share"] > 0],
            "stockout_definition": STOCKOUT_DEFINITION,
            "endurance_nights": endurance["nights"],
            "endurance": endurance,
            "missile_leak": self.missile_leak_nights(),
            "missile_leak_share": self.missile_leak_share(),
            "missile_leak_share_se": self.paths_missile_leak_share()["se"],
            "cost": {
                "interceptors_spent_musd": self.interceptors_spent_musd,
                "threats_destroyed_value_musd": self.threats_destroyed_value_musd,
                "cost_exchange_ratio": _finite_or_none(self.cost_exchange_ratio),
            },
            "per_night": self.per_night(),
        }


def _median_or_none(nights: I64) -> float | None:
    """Median of the stock-out nights (``-1``: never) if most replications run out.

    Most: strictly more than half (4 of 8 is not most: ``None``).
    """
    hit = nights > 0
    if hit.sum() * 2 <= hit.size:
        return None
    # Lower median with "never" ranked last: a night that did occur.
    ranked = np.sort(np.where(hit, nights, np.iinfo(np.int64).max))
    return float(ranked[(ranked.size - 1) // 2])


def _finite_or_none(x: float) -> float | None:
    return x if math.isfinite(x) else None
