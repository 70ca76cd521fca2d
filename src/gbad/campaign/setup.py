"""From reference data and a scenario to the arrays a campaign runs on.

Everything here is bookkeeping with sourced inputs: which allies are defended
areas, which fire units each holds, how many interceptors they start with, how
production refills them, where the raids go. The simulation itself is in
:mod:`gbad.campaign.model`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from gbad.campaign.ew import ew_systems, fielded_ew_layer
from gbad.campaign.geometry import (
    AssetGeometry,
    build_geometry,
    missing_for_geometry,
    wave_minutes_from_reports,
)
from gbad.campaign.presets import raid_means, raid_presets
from gbad.errors import GbadInputError
from gbad.scenario import Scenario
from gbad.scenario.sections import THREAT_CLASSES, TIERS

__all__ = [
    "ENGAGEMENT_TIME_S",
    "ENGAGEMENT_WINDOW_S",
    "RESERVED_FOR_MISSILES",
    "CampaignSetup",
    "build_setup",
    "delivery_schedule",
    "raid_per_night",
    "threat_exposure",
]

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]

#: Time one engagement holds a fire channel [s] (planning value: track, launch,
#: fly-out and kill assessment of a short/medium-range shot).
ENGAGEMENT_TIME_S = 60.0
#: How long a threat can wait for a free channel and still be engaged [s]
#: (planning value: a few kilometres of flight inside the engagement envelope).
ENGAGEMENT_WINDOW_S = 120.0
#: Cost-aware doctrine: tiers whose interceptors are kept for missiles and
#: aircraft (they do not engage one-way attack drones).
RESERVED_FOR_MISSILES: tuple[str, ...] = ("long",)
#: Threat classes that reserved tiers do not engage.
RESERVED_CLASSES: tuple[str, ...] = ("drone",)


@dataclass(frozen=True)
class CampaignSetup:
    """Arrays of one campaign: ``A`` areas (allies), ``S`` systems, ``C`` classes, ``T`` nights.

    Attributes
    ----------
    areas : tuple of str
        iso3 codes of the defended areas.
    systems : tuple of str
        System slugs.
    tiers : tuple of str
        Tier of each system.
    fire_units : (A, S) int array
        Fire units in service at the start.
    load : (S,) int array
        Interceptors per fire unit (``launchers_per_fu × missiles_per_launcher``).
    stock0 : (A, S) int array
        Interceptors at the start of night 0 (loads plus depot stock).
    deliveries : (T, A, S) int array
        Interceptors arriving from production before night ``t``'s raid.
    pk : (S, C) float array
        Single-shot kill probability (0: does not engage).
    shots : (C,) int array
        Maximum shots per threat.
    doctrine : str
        ``shoot-look-shoot`` or ``shoot-shoot``.
    channels, reload_time_s : (S,) arrays
        Fire channels per fire unit and reload time of a fire unit.
    exposure : (A, C) float array
        Share of each class's raid aimed at each area (columns sum to 1).
    means : (T, C) float array
        Mean threats per night.
    draw : str
        ``poisson`` or ``fixed``.
    interceptor_cost_musd : (S,) float array
    fire_unit_cost_musd : (S,) float array
    threat_cost_musd : (C,) float array
    leak_targets : (C,) float array
    raid_duration_s : float
    production_per_year : (A, S) float array
        Production rate behind ``deliveries`` in the first campaign year: each
        line's output open to the allies and left after the first loads of new
        fire units (the *spare* output, :func:`_production_rates`).
    ew_defeat : (C,) or (A, C) float array
        Probability that electronic warfare defeats a launched threat of each class
        (``(A, C)``: aimed at each area) before any fire unit engages it (0: no
        electronic-warfare layer; :mod:`gbad.campaign.ew`).
    share_members : (A,) bool array or None
        Coalition sharing interceptor stocks (:mod:`gbad.campaign.sharing`);
        ``None``: every ally fights with its own stocks (the default).
    transfer_delay_nights : int
        Nights a shipment between members takes.
    geometry : AssetGeometry or None
        Defended assets, raid shares and fire-unit positions of a spatial campaign
        (:mod:`gbad.campaign.geometry`, :mod:`gbad.campaign.spatial`); ``None``:
        pooled, each ally's whole force meets every threat aimed at it.
    waves : int
        Waves per night (0: arrivals uniform over ``raid_duration_s``).
    wave_s : (C,) float array
        Duration of a wave of each class [s] (used when ``waves > 0``).
    notes : tuple of str
        What the campaign could not do as the scenario asked, and why (e.g. a
        spatial campaign run pooled for want of engagement ranges).
    europe_production_per_year : (S,) float array or None
        The output of each system's missile line in the first campaign year open
        to the allies (:func:`gbad.industry.lines.line_shares`), before any first
        load, on the basis the industry schedule ran (its joint line expansion
        included; without an industry result, the announced output): the rate
        :func:`gbad.requirement.burn_vs_build` calls ``europe_production_per_year``.
        Systems on one missile line (``missile_line``) carry the line's rate
        (``None``: not known).
    missile_line : tuple of str
        The interceptor line each system draws on (``systems.missile_line``;
        the system's own name when it names none).
    """

    areas: tuple[str, ...]
    systems: tuple[str, ...]
    tiers: tuple[str, ...]
    fire_units: I64
    load: I64
    stock0: I64
    deliveries: I64
    pk: F64
    shots: I64
    doctrine: str
    channels: I64
    reload_time_s: F64
    exposure: F64
    means: F64
    draw: str
    interceptor_cost_musd: F64
    fire_unit_cost_musd: F64
    threat_cost_musd: F64
    leak_targets: F64
    raid_duration_s: float
    production_per_year: F64
    ew_defeat: F64 = field(default_factory=lambda: np.zeros(len(THREAT_CLASSES)))
    share_members: npt.NDArray[np.bool_] | None = None
    transfer_delay_nights: int = 0
    geometry: AssetGeometry | None = None
    waves: int = 0
    wave_s: F64 = field(default_factory=lambda: np.zeros(len(THREAT_CLASSES)))
    notes: tuple[str, ...] = ()
    europe_production_per_year: F64 | None = None
    missile_line: tuple[str, ...] = ()

    @property
    def nights(self) -> int:
        """Number of nights."""
        return int(self.means.shape[0])

    def with_stock(self, stock0: npt.ArrayLike) -> CampaignSetup:
        """The same campaign with another starting stock ``(A, S)``."""
        arr = np.asarray(stock0)
        if arr.shape != self.stock0.shape or np.any(arr < 0):
            raise ValueError("stock0 must be a non-negative (areas, systems) array")
        return replace(self, stock0=np.asarray(np.floor(arr), dtype=np.int64))

    def with_sharing(
        self, members: list[str] | tuple[str, ...], delay_nights: int
    ) -> CampaignSetup:
        """The same campaign with ``members`` sharing stocks (see :mod:`gbad.campaign.sharing`)."""
        if delay_nights < 0:
            raise ValueError("delay_nights must be >= 0")
        mask = np.array([a in set(members) for a in self.areas], dtype=bool)
        return replace(self, share_members=mask, transfer_delay_nights=int(delay_nights))

    def for_area(self, area: int) -> CampaignSetup:
        """One area's campaign on its own: its units, stocks and assets against its
        share of the raid (``means × exposure``; a Poisson draw of it has the law of
        its part of the whole raid, by thinning). No coalition: nothing is shared
        and no neighbour helps.
        """
        a = slice(area, area + 1)
        expo = self.exposure[area]
        geometry = None if self.geometry is None else self.geometry.for_area(area, expo)
        ew = self.ew_defeat[a] if self.ew_defeat.ndim == 2 else self.ew_defeat
        return replace(
            self,
            areas=(self.areas[area],),
            fire_units=self.fire_units[a],
            stock0=self.stock0[a],
            deliveries=self.deliveries[:, a],
            exposure=np.ones((1, expo.size)),
            means=self.means * expo[None, :],
            production_per_year=self.production_per_year[a],
            ew_defeat=ew,
            share_members=None,
            geometry=geometry,
        )

    def with_fire_units(self, extra: npt.ArrayLike, loads: float = 1.0) -> CampaignSetup:
        """Add ``extra`` fire units ``(A, S)``, each with ``loads`` magazine loads."""
        add = np.asarray(extra, dtype=np.int64)
        if add.shape != self.fire_units.shape or np.any(add < 0):
            raise ValueError("extra must be a non-negative (areas, systems) array")
        stock = self.stock0 + np.floor(add * self.load[None, :] * loads).astype(np.int64)
        return replace(self, fire_units=self.fire_units + add, stock0=stock)


def _num(x: Any) -> float:
    """A float from a table cell (``nan`` if missing or not numeric)."""
    try:
        value = float(x)
    except (TypeError, ValueError):
        return math.nan
    return value


def _table(ref: Any, name: str) -> pd.DataFrame | None:
    frame = getattr(ref, name, None)
    if isinstance(frame, pd.DataFrame) and not frame.empty:
        return frame
    return None


def _areas(ref: Any, scenario: Scenario) -> list[str]:
    countries = _table(ref, "countries")
    if scenario.countries:
        known = set(countries["iso3"]) if countries is not None else None
        for iso in scenario.countries:
            if known is not None and iso not in known:
                raise GbadInputError("countries", f"unknown iso3 {iso!r}")
        return list(dict.fromkeys(scenario.countries))
    if countries is None:
        raise GbadInputError("countries", "reference data has no countries table")
    if "european" in countries.columns:
        countries = countries[countries["european"].astype(bool)]
    return [str(x) for x in countries["iso3"]]


def threat_exposure(ref: Any, areas: list[str], asset_value: str = "national") -> F64:
    r"""Share of each threat class's raid aimed at each area, shape ``(A, C)``.

    .. math::
        w_{ac} \propto \sum_{i \in \text{assets}(a)} v_i
        \max\!\left(0,\ 1 - \frac{d_{ic}}{R_c}\right)

    with :math:`v_i` the asset value, :math:`d_{ic}` its great-circle distance
    to the nearest launch area of class :math:`c` and :math:`R_c` the class's
    mid range: near assets draw more of the raid, assets out of range none.
    A class with no launch area, or which reaches no asset, is spread by asset
    value alone; without an assets table, by population (then equally). With
    ``asset_value="national"`` (``threat.asset_value``) the values are first
    scaled to the allies' populations
    (:func:`gbad.campaign.geometry.national_values`).
    """
    from gbad.campaign.geometry import national_values
    from gbad.coverage.geodesy import pairwise_haversine_km

    n_a, n_c = len(areas), len(THREAT_CLASSES)
    assets = _table(ref, "assets")
    if assets is not None:
        assets = assets[assets["iso3"].isin(areas)]
    if assets is None or assets.empty:
        countries = _table(ref, "countries")
        base = np.ones(n_a)
        if countries is not None and "population_m" in countries.columns:
            pop = countries.set_index("iso3")["population_m"].astype(float)
            base = np.array([float(pop.get(a, 0.0)) for a in areas])
            base = np.where(np.isfinite(base), base, 0.0)
        if base.sum() <= 0:
            base = np.ones(n_a)
        return np.asarray(np.repeat((base / base.sum())[:, None], n_c, axis=1), dtype=np.float64)
    value = assets["value"].astype(float).fillna(0.0).to_numpy()
    if asset_value == "national":
        value = national_values(assets, _table(ref, "countries"))
    idx = np.array([areas.index(a) for a in assets["iso3"]])
    by_value = np.bincount(idx, weights=value, minlength=n_a)
    out = np.zeros((n_a, n_c))
    launch = _table(ref, "launch_areas")
    threats = _table(ref, "threats")
    for j, c in enumerate(THREAT_CLASSES):
        weights: F64 = np.zeros(n_a)
        if launch is not None and threats is not None:
            has = (
                launch["threat_classes"]
                .astype(str)
                .str.split(";")
                .map(lambda xs, c=c: c in [x.strip() for x in xs])
            )
            sites = launch[has.astype(bool)]
            row = threats[threats["threat_class"] == c]
            if not sites.empty and not row.empty:
                range_km = float(row.iloc[0].get("range_km_mid", math.nan))
                if math.isfinite(range_km) and range_km > 0:
                    d = pairwise_haversine_km(
                        assets["lat"].to_numpy(float),
                        assets["lon"].to_numpy(float),
                        sites["lat"].to_numpy(float),
                        sites["lon"].to_numpy(float),
                    ).min(axis=1)
                    reach = np.clip(1.0 - d / range_km, 0.0, None)
                    weights = np.asarray(
                        np.bincount(idx, weights=value * reach, minlength=n_a), dtype=float
                    )
        if weights.sum() <= 0:
            weights = np.asarray(by_value if by_value.sum() > 0 else np.ones(n_a), dtype=float)
        out[:, j] = weights / weights.sum()
    return out


def delivery_schedule(rate_per_night: F64, delay_nights: int) -> I64:
    """Whole interceptors arriving each night from a production rate.

    Parameters
    ----------
    rate_per_night : (T, A, S) float array
        Production per night [interceptors/night].
    delay_nights : int
        Nights between production and arrival at the fire units.

    Returns
    -------
    (T, A, S) int array
        ``floor(P(t - d + 1)) - floor(P(t - d))`` with ``P`` the cumulative
        production, so partial interceptors carry over and the total delivered
        by night ``t`` is the whole part of what was produced by ``t - d``.
    """
    cum = np.floor(np.cumsum(rate_per_night, axis=0) + 1e-9)
    whole = np.diff(cum, axis=0, prepend=0.0)
    out = np.zeros_like(whole)
    if delay_nights < whole.shape[0]:
        out[delay_nights:] = whole[: whole.shape[0] - delay_nights]
    return np.asarray(out, dtype=np.int64)


def _production_rates(  # noqa: PLR0917 - internal
    ref: Any,
    scenario: Scenario,
    industry: Any,
    areas: list[str],
    systems: list[str],
    fire_units: I64,
    years: list[int],
) -> dict[int, F64]:
    """Interceptors per year by ``(area, system)`` for each campaign year.

    The output of each line open to the allies and left after the first loads of
    new fire units (:attr:`IndustryResult.spare_interceptors`; without an
    industry result, the announced output scaled by the line's share,
    :func:`gbad.industry.lines.line_shares`), shared among the allies holding the
    system in proportion to their fire units. A campaign year the schedule does
    not cover uses its nearest year.
    """
    out: dict[int, F64] = {}
    spare = getattr(industry, "spare_interceptors", None) if industry is not None else None
    if not isinstance(spare, pd.DataFrame):
        spare = _announced_output(ref, scenario, systems, years)
    held = fire_units.astype(float)
    share = np.divide(
        held, held.sum(axis=0, keepdims=True), out=np.zeros_like(held), where=held > 0
    )
    present = sorted(int(v) for v in spare["year"].unique()) if len(spare) else []
    for y in years:
        rate = np.zeros((len(areas), len(systems)))
        if present:
            nearest = min(present, key=lambda v: (abs(v - y), v))
            rows = spare[spare["year"] == nearest]
            for system, n in zip(rows["system"], rows["interceptors"], strict=True):
                value = _num(n)
                if str(system) in systems and math.isfinite(value):
                    j = systems.index(str(system))
                    rate[:, j] += value * share[:, j]
        out[y] = rate
    return out


def _announced_output(
    ref: Any, scenario: Scenario, systems: list[str], years: list[int]
) -> pd.DataFrame:
    """``system, year, interceptors``: announced output open to the allies, per year."""
    from gbad.industry.lines import capacity_table, line_shares

    production = _table(ref, "production")
    if production is None:
        return pd.DataFrame(columns=["system", "year", "interceptors"])
    lined = sorted(set(production["system"].astype(str)) & set(systems))
    shares, _ = line_shares(ref, lined, scenario.industry.line_share)
    cap = capacity_table(
        production[production["system"].isin(lined)], years, level="mid", line_share=shares
    )
    return cap[["system", "year", "interceptors"]]


def _line_of(ref: Any, systems: list[str]) -> tuple[str, ...]:
    """The missile line each system draws on (its own name when it names none)."""
    from gbad.industry.lines import missile_lines

    named = missile_lines(ref)
    return tuple(named.get(s, s) for s in systems)


def _europe_output(
    ref: Any, scenario: Scenario, systems: list[str], year: int, industry: Any = None
) -> F64:
    """``(S,)`` the output of each system's missile line in ``year`` open to the allies
    (0 without a line): the gross rate, before the first loads of new fire units.

    The basis is the industry schedule's capacity (joint line expansion included
    when it applies, :attr:`IndustryResult.interceptor_capacity`), the same basis
    as the spare output that refills the stocks; without an industry result, the
    announced output. Systems on one line carry the line's whole rate.
    """
    cap = getattr(industry, "interceptor_capacity", None) if industry is not None else None
    if isinstance(cap, pd.DataFrame) and len(cap):
        present = sorted(int(v) for v in cap["year"].unique())
        nearest = min(present, key=lambda v: (abs(v - year), v))
        cap = cap[cap["year"] == nearest]
    else:
        lined = sorted(set(_lined_systems(ref)) | set(systems))
        cap = _announced_output(ref, scenario, lined, [year])
    line_of = _line_of(ref, systems)
    named = dict(zip(systems, line_of, strict=True))
    from gbad.industry.lines import missile_lines

    named_all = missile_lines(ref)
    per_line: dict[str, float] = {}
    for system, n in zip(cap["system"], cap["interceptors"], strict=True):
        value = _num(n)
        if math.isfinite(value):
            line = named.get(str(system), named_all.get(str(system), str(system)))
            per_line[line] = per_line.get(line, 0.0) + value
    return np.array([per_line.get(line, 0.0) for line in line_of], dtype=np.float64)


def _lined_systems(ref: Any) -> list[str]:
    production = _table(ref, "production")
    return [] if production is None else sorted(set(production["system"].astype(str)))


def _stockpile_extra(
    spec: Mapping[str, float], areas: list[str], systems: list[str], fire_units: I64
) -> F64:
    """Extra depot interceptors ``(A, S)`` from ``campaign.stockpile``.

    Keys are a system (spread over its holders in proportion to fire units) or
    ``ISO3/system`` (placed with that ally).
    """
    extra = np.zeros((len(areas), len(systems)))
    for key, amount in spec.items():
        iso, _, system = key.rpartition("/")
        if system not in systems:
            raise GbadInputError(f"campaign.stockpile.{key}", f"unknown system {system!r}")
        j = systems.index(system)
        if iso:
            if iso not in areas:
                raise GbadInputError(f"campaign.stockpile.{key}", f"unknown area {iso!r}")
            extra[areas.index(iso), j] += float(amount)
            continue
        held = fire_units[:, j].astype(float)
        if held.sum() <= 0:
            raise GbadInputError(f"campaign.stockpile.{key}", "no ally holds this system")
        extra[:, j] += float(amount) * held / held.sum()
    return extra


def raid_per_night(ref: Any, scenario: Scenario) -> dict[str, float]:
    """Mean threats per night by class of the scenario's raid (preset, then ``threat.raid``)."""
    threat = scenario.threat
    if threat.preset == "custom":
        if not threat.raid:
            raise GbadInputError("threat.raid", "the custom preset needs a raid mix")
        custom: dict[str, float] = {str(k): float(v) for k, v in threat.raid.items()}
        return {c: custom.get(c, 0.0) for c in THREAT_CLASSES}
    attacks = _table(ref, "attacks")
    if attacks is None:
        raise GbadInputError("threat.preset", "reference data has no attacks table")
    presets = raid_presets(attacks, year=min(scenario.base_year, 2025))
    values = dict(presets[threat.preset].threats_per_night)
    if threat.preset == "typical":
        # Missiles come in occasional salvos: their median night is 0. A campaign of
        # median nights would carry no missiles, so those classes use the mean night.
        average = presets["average"].threats_per_night
        values = {c: (v if v > 0 else average[c]) for c, v in values.items()}
    for c, v in threat.raid.items():
        values[c] = float(v)
    return values


def build_setup(
    ref: Any,
    scenario: Scenario,
    *,
    industry: Any = None,
    nights: int | None = None,
    force: pd.DataFrame | None = None,
    year: int | None = None,
    ew_defeat: Mapping[str, float] | None = None,
    fire_units: pd.DataFrame | None = None,
) -> CampaignSetup:
    """Arrays of the campaign a scenario describes.

    Parameters
    ----------
    ref : Reference
        Reference data (``countries, systems, envelopes, inventory, production,
        threats, attacks``; ``assets`` and ``launch_areas`` optional).
    scenario : Scenario
        ``threat`` (raid preset, growth, nights), ``campaign`` (stocks, resupply,
        targets) and ``engagement`` (doctrine, shots, Pk level).
    industry : IndustryResult, optional
        Its ``spare_interceptors`` (each line's output open to the allies, less the
        first loads of new fire units) refill the stocks; without it, the
        announced output open to the allies does (see :func:`_production_rates`).
    nights : int, optional
        Overrides ``scenario.threat.nights``.
    force : DataFrame, optional
        The order of battle that fights (:data:`gbad.force.FORCE_COLUMNS`: the
        ready fire units engage, the interceptors are the starting stock);
        default today's force, :func:`gbad.force.force_of_year` of the base year.
    year : int, optional
        Year of the campaign's first night (default ``force``'s year, else the
        base year); production refills from that year on.
    ew_defeat : mapping, optional
        ``{class: probability}`` that electronic warfare defeats a launched threat
        before the fire units engage (e.g. the calibrated rates of
        :func:`gbad.engage.campaign_rates.campaign_defeat_rates`); default none.
        With ``engagement.ew_layer: fielded`` it is not used: each ally's layer
        comes from its electronic-warfare systems
        (:func:`gbad.campaign.ew.fielded_ew_layer`).
    fire_units : DataFrame, optional
        Placed fire units (:data:`gbad.coverage.placement.FIRE_UNIT_COLUMNS`, e.g.
        the coverage stage's for the same year) where a spatial campaign
        (``campaign.geometry``) stands its units; default today's inventory placed
        by :func:`gbad.coverage.placement.place_baseline_units`. Units beyond those
        placed stand at their ally's assets in placement rank order.
    """
    placed = fire_units
    n_nights = int(nights if nights is not None else scenario.threat.nights)
    if n_nights < 1:
        raise GbadInputError(
            "nights" if nights is not None else "threat.nights", "must be at least 1"
        )
    camp = scenario.campaign
    eng = scenario.engagement
    areas = _areas(ref, scenario)
    systems_t = _table(ref, "systems")
    inventory = _table(ref, "inventory")
    if systems_t is None or inventory is None:
        raise GbadInputError("reference", "needs the systems and inventory tables")
    from gbad.force import force_of_year

    if force is None:
        start = int(year if year is not None else scenario.base_year)
        force, _ = force_of_year(ref, scenario, areas, start)
    else:
        years_in = {int(y) for y in force["year"]} if len(force) else set()
        start = int(
            year if year is not None else (min(years_in) if years_in else scenario.base_year)
        )
    force = force[force["iso3"].isin(areas)]
    sys_rows = systems_t.set_index("system")
    held = {str(s) for s in force["system"] if s in sys_rows.index}
    # Systems the allies field (even with no unit counted) are candidates for more.
    listed = inventory[inventory["iso3"].isin(areas)]["system"].astype(str)
    held |= {s for s in listed if s in sys_rows.index}
    if "in_production" in sys_rows.columns:
        # Systems still built are candidates for new fire units (mix sizing).
        held |= {str(s) for s in sys_rows.index[sys_rows["in_production"].astype(bool)]}
    # Electronic warfare fires no round: it is the EW layer (gbad.campaign.ew), not a unit.
    held -= ew_systems(ref)
    systems = sorted(held)
    if not systems:
        raise GbadInputError("countries", "no ally in the scenario holds a known system")
    tier_rank: dict[str, int] = {t: i for i, t in enumerate(TIERS)}
    systems.sort(key=lambda s: (tier_rank.get(str(sys_rows.loc[s, "tier"]), 99), s))
    n_a, n_s = len(areas), len(systems)
    ready = np.zeros((n_a, n_s))
    in_service = np.zeros((n_a, n_s))
    stock = np.zeros((n_a, n_s))
    for rec in force.to_dict("records"):
        if rec["system"] in systems:
            i, j = areas.index(str(rec["iso3"])), systems.index(str(rec["system"]))
            ready[i, j] += float(rec["fire_units_ready"])
            in_service[i, j] += float(rec["fire_units"])
            stock[i, j] += float(rec["interceptors"])
    units_ready = np.rint(ready).astype(np.int64)
    srows = sys_rows.loc[systems]
    from gbad.budget.costs import interceptors_per_fu

    load = np.maximum(interceptors_per_fu(systems_t).reindex(systems).fillna(0).to_numpy(), 1)
    load = load.astype(np.int64)
    extra = _stockpile_extra(camp.stockpile, areas, systems, np.rint(in_service).astype(np.int64))
    stock0 = np.floor(stock + camp.stockpile_multiplier * extra + 1e-9).astype(np.int64)

    years = sorted({start + int(t // 365.25) for t in range(n_nights)})
    rates = _production_rates(
        ref, scenario, industry, areas, systems, np.rint(in_service).astype(np.int64), years
    )
    rate_night = np.stack([rates[start + int(t // 365.25)] / 365.25 for t in range(n_nights)])
    deliveries = delivery_schedule(rate_night, camp.resupply_delay_days)

    pk = np.zeros((n_s, len(THREAT_CLASSES)))
    envelopes = _table(ref, "envelopes")
    if envelopes is not None:
        pcol = f"pk_{eng.pk_level}"
        for r in envelopes.itertuples(index=False):
            s, c = str(r.system), str(r.threat_class)
            if s in systems and c in THREAT_CLASSES:
                value = float(getattr(r, pcol, getattr(r, "pk_mid", 0.0)))
                pk[systems.index(s), THREAT_CLASSES.index(c)] = value if math.isfinite(value) else 0
    tiers = tuple(str(srows.loc[s, "tier"]) for s in systems)
    for j, t in enumerate(tiers):
        if t in RESERVED_FOR_MISSILES:
            for c in RESERVED_CLASSES:
                pk[j, THREAT_CLASSES.index(c)] = 0.0
    shot_map: dict[str, int] = {str(k): int(v) for k, v in eng.shots.items()}
    shots = np.array([int(shot_map.get(c, 1)) for c in THREAT_CLASSES], dtype=np.int64)

    raid = raid_per_night(ref, scenario)
    means = raid_means(
        raid,
        n_nights,
        growth_pct_per_month=scenario.threat.growth_pct_per_month,
        scale=scenario.threat.scale,
    )
    threats_t = _table(ref, "threats")
    tcost = np.zeros(len(THREAT_CLASSES))
    if threats_t is not None:
        tc = threats_t.set_index("threat_class")
        for j, c in enumerate(THREAT_CLASSES):
            if c in tc.index:
                v = _num(tc.loc[c, "unit_cost_musd_mid"])
                tcost[j] = v if math.isfinite(v) else 0.0

    def col(name: str, default: float) -> F64:
        if name not in srows.columns:
            return np.full(n_s, default)
        return np.asarray(
            pd.to_numeric(srows[name], errors="coerce").fillna(default).to_numpy(), dtype=float
        )

    targets: dict[str, float] = {str(k): float(v) for k, v in camp.leak_targets.items()}
    members: list[str] = []
    if camp.share_stocks or camp.defend_neighbours:
        from gbad.industry.pooling import coalition_of

        members = coalition_of(ref, scenario, areas)
    geometry = None
    if camp.geometry == "spatial" or scenario.threat.axes:
        if placed is None and camp.geometry == "spatial" and not missing_for_geometry(ref):
            placed = _baseline_units(ref, areas)
        geometry = build_geometry(ref, scenario, areas, systems, placed, members)
    exposure = threat_exposure(ref, areas, scenario.threat.asset_value)
    if geometry is not None and scenario.threat.axes:
        exposure = _exposure_of(geometry, n_a)
    if camp.geometry != "spatial":
        geometry = None
    notes: list[str] = []
    if camp.geometry == "spatial" and geometry is None:
        lacking = ", ".join(missing_for_geometry(ref)) or "assets of the allies"
        notes.append(f"pooled engagement: the reference data lack {lacking}")
    wave_s = np.zeros(len(THREAT_CLASSES))
    n_waves = int(camp.waves)
    if n_waves > 0:
        attacks = _table(ref, "attacks")
        if attacks is None or "time_start" not in attacks.columns:
            raided = means.sum(axis=0) > 0
            missing = [
                c for k, c in enumerate(THREAT_CLASSES) if raided[k] and c not in camp.wave_minutes
            ]
            if missing:
                notes.append("no waves: no timed attack reports for " + ", ".join(missing))
                n_waves = 0
        else:
            wave_s = wave_minutes_from_reports(attacks, camp.wave_level) * 60.0
        for c, minutes in camp.wave_minutes.items():
            wave_s[THREAT_CLASSES.index(c)] = float(minutes) * 60.0
    setup = CampaignSetup(
        areas=tuple(areas),
        systems=tuple(systems),
        tiers=tiers,
        fire_units=units_ready,
        load=load,
        stock0=stock0,
        deliveries=deliveries,
        pk=pk,
        shots=shots,
        doctrine=eng.doctrine,
        channels=np.maximum(np.rint(col("fire_channels", 1.0)), 1).astype(np.int64),
        reload_time_s=col("reload_time_min", 0.0) * 60.0,
        exposure=exposure,
        means=means,
        draw=scenario.threat.draw,
        interceptor_cost_musd=col("interceptor_cost_musd_mid", 0.0),
        fire_unit_cost_musd=col("fire_unit_cost_musd_mid", 0.0),
        threat_cost_musd=tcost,
        leak_targets=np.array([float(targets.get(c, 1.0)) for c in THREAT_CLASSES]),
        raid_duration_s=camp.raid_hours * 3600.0,
        production_per_year=rates[years[0]],
        ew_defeat=(
            fielded_ew_layer(ref, force, areas, level=eng.calibration_level, factor=eng.ew_factor)
            if eng.ew_layer == "fielded"
            else _ew_layer(ew_defeat)
        ),
        geometry=geometry,
        waves=n_waves,
        wave_s=wave_s,
        notes=tuple(notes),
        europe_production_per_year=_europe_output(ref, scenario, systems, years[0], industry),
        missile_line=_line_of(ref, systems),
    )
    if camp.share_stocks:
        setup = setup.with_sharing(members, camp.transfer_delay_days)
    return setup


def _baseline_units(ref: Any, areas: list[str]) -> pd.DataFrame | None:
    """Today's inventory placed by the baseline rule (where a spatial campaign's units stand)."""
    from gbad.coverage.placement import place_baseline_units

    assets = _table(ref, "assets")
    inventory = _table(ref, "inventory")
    if assets is None or inventory is None:
        return None
    key = (id(inventory), id(assets), tuple(areas))
    hit = _PLACED.get(key)
    if hit is not None and hit[0] is inventory and hit[1] is assets:
        return hit[2]
    placed = place_baseline_units(inventory, assets, _table(ref, "countries"), allies=areas)
    _PLACED.clear()  # one entry: the reference a run works on
    _PLACED[key] = (inventory, assets, placed)
    return placed


#: The last baseline placement, keyed by the tables' identity (a plan's milestone
#: campaigns and comparisons place the same inventory again and again).
_PLACED: dict[tuple[Any, ...], tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]] = {}


def _exposure_of(geometry: AssetGeometry, n_areas: int) -> F64:
    """Share of each class's raid aimed at each area: its assets' shares summed."""
    out = np.zeros((n_areas, len(THREAT_CLASSES)))
    np.add.at(out, geometry.asset_area, geometry.asset_share)
    return out


def _ew_layer(ew_defeat: Mapping[str, float] | None) -> F64:
    """``(C,)`` probabilities of the electronic-warfare layer, checked."""
    out = np.zeros(len(THREAT_CLASSES))
    for cls, p in dict(ew_defeat or {}).items():
        if cls not in THREAT_CLASSES:
            raise GbadInputError("engagement.calibration", f"unknown threat class {cls!r}")
        if not 0.0 <= float(p) <= 1.0:
            raise GbadInputError("engagement.calibration", f"{cls}: {p} is not a probability")
        out[THREAT_CLASSES.index(cls)] = float(p)
    return out
