"""Scenario sections, one class per pipeline stage.

Every field has a default, so an empty document is the default scenario. Each
stage's owner extends its own section here; keep field names unit-suffixed.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, Strict, field_validator

from gbad.scenario._base import Section

__all__ = [
    "MISSILE_CLASSES",
    "OUTER_TIERS",
    "THREAT_CLASSES",
    "TIERS",
    "AxisSpec",
    "BudgetSection",
    "CampaignSection",
    "CoverageSection",
    "EngagementSection",
    "ForceSection",
    "IndustrySection",
    "SitingSection",
    "SweepSection",
    "TargetSection",
    "ThreatClass",
    "ThreatSection",
    "Tier",
]

Tier = Literal["long", "medium", "short", "very-short", "c-uas"]
ThreatClass = Literal["ballistic", "cruise", "drone", "aircraft", "glide"]
#: Tiers in the order outer to inner layer.
TIERS: tuple[Tier, ...] = ("long", "medium", "short", "very-short", "c-uas")
THREAT_CLASSES: tuple[ThreatClass, ...] = ("ballistic", "cruise", "drone", "aircraft", "glide")
#: The missile-defence tiers: the headline fire units (not MANPADS launchers).
OUTER_TIERS: tuple[Tier, ...] = ("long", "medium")
#: Threat classes counted as missiles (missile coverage, missile leak share).
MISSILE_CLASSES: tuple[ThreatClass, ...] = ("ballistic", "cruise", "glide")


class TargetSection(Section):
    """How the collective x-fold target is set and shared among allies."""

    factor: float = Field(5.0, gt=0, le=100, description="Collective multiple of the baseline.")
    key: Literal["gdp", "population", "exposure", "equal"] = Field(
        "gdp", description="Apportionment key."
    )
    blend: dict[Literal["gdp", "population", "exposure", "equal"], float] | None = Field(
        None, description="Weighted blend of keys (weights are normalised); overrides `key`."
    )
    method: Literal["hamilton", "webster", "dhondt"] = Field(
        "hamilton", description="Integer apportionment method."
    )
    tiers: dict[Tier, float] = Field(
        default_factory=dict, description="Per-tier factor overrides, e.g. {long: 4}."
    )
    include_legacy: bool = Field(
        True, description="Count legacy Soviet-era and Hawk units in the baseline."
    )
    minimum: dict[str, int] = Field(
        default_factory=dict, description="Per-ally minimum: iso3 (every tier) or iso3:tier."
    )
    maximum: dict[str, int] = Field(default_factory=dict, description="Per-ally maximum (iso3).")
    basis: Literal["total", "increment"] = Field(
        "total",
        description="Apportion the whole target (baseline as floor) or only the increment.",
    )


class BudgetSection(Section):
    """GDP and defence-spending paths to the horizon year."""

    real_growth_pct: float = Field(1.5, ge=-10, le=15, description="Real GDP growth [%/yr].")
    inflation_pct: float = Field(2.0, ge=-5, le=30, description="Inflation [%/yr].")
    core_target_pct_gdp: float = Field(3.5, ge=0, le=20, description="Core defence by horizon.")
    related_target_pct_gdp: float = Field(1.5, ge=0, le=20, description="Related spending.")
    path: Literal["linear", "front-loaded", "back-loaded"] = Field(
        "linear", description="Shape of the path from today's share to the target."
    )
    gbad_share_of_core_pct: float = Field(
        6.0, ge=0, le=100, description="Share of core defence spending that goes to GBAD [%]."
    )
    user_path: dict[str, dict[Annotated[int, Strict(False)], float]] = Field(
        default_factory=dict,
        description="Core defence share paths {iso3 or '*': {year: pct of GDP}}; overrides `path`.",
    )
    cost_level: Literal["low", "mid", "high"] = Field(
        "mid", description="Which system cost estimate to use."
    )
    extend_to_year: int = Field(
        2050, ge=2026, le=2100, description="Last year simulated (shares held after horizon)."
    )


class IndustrySection(Section):
    """Production lines and how orders compete for them."""

    allocation: Literal["first-come", "pro-rata", "exposure"] = Field(
        "pro-rata", description="Rule sharing scarce production among allies."
    )
    joint_procurement: bool = Field(True, description="ESSI members pool their orders.")
    coalition: list[str] | None = Field(
        None, description="iso3 codes pooling orders (default: ESSI members)."
    )
    capacity_multiplier: float = Field(1.0, gt=0, le=20, description="Scale all lines.")
    capacity_level: Literal["low", "mid", "high"] = Field(
        "mid", description="Which production-rate estimate to use."
    )
    line_share: float | dict[str, Annotated[float, Field(gt=0, le=1)]] | None = Field(
        None,
        description=(
            "Share of a line's output open to the allies in the plan: one share for every "
            "line, or {system: share}; lines not named use the `line_shares` table "
            "(Europe's share, the rest going to the USA, Ukraine and others)."
        ),
    )
    progress_ratio: float = Field(
        0.95,
        gt=0.5,
        le=1.0,
        description=(
            "Learning-curve progress ratio of each line's cumulative output, all buyers "
            "(Wright 1936); 1: none."
        ),
    )
    max_discount_pct: float = Field(
        20.0,
        ge=0,
        le=90,
        description="Not used: cap of the former volume discount of pooled orders [%].",
    )
    lead_time_years: int = Field(
        1, ge=0, le=10, description="Years from the base year to the first delivery."
    )
    buy: dict[str, str] = Field(
        default_factory=dict,
        description="System bought for new units: {tier or iso3:tier: system slug}.",
    )
    pooling_level: Literal["zero", "low", "mid", "high"] = Field(
        "mid",
        description=(
            "Which value of the `pooling` table's joint-buying effects the ESSI comparison "
            "uses (zero: every effect off, joint buying is national buying)."
        ),
    )
    pooling: dict[str, Annotated[float, Field(ge=0)]] = Field(
        default_factory=dict,
        description="Pooling assumptions set directly, {effect: value} (see the `pooling` table).",
    )

    @field_validator("line_share")
    @classmethod
    def _share_in_range(
        cls, value: float | dict[str, float] | None
    ) -> float | dict[str, float] | None:
        if isinstance(value, float) and not 0.0 < value <= 1.0:
            raise ValueError("must be a share in (0, 1]")
        return value


class ForceSection(Section):
    """How the order of battle of each year is counted."""

    readiness_level: Literal["low", "mid", "high"] = Field(
        "mid", description="Which readiness estimate scales the fire units that can fight."
    )
    retirement_level: Literal["low", "mid", "high"] = Field(
        "mid", description="Which retirement-year estimate retires legacy systems."
    )


class AxisSpec(Section):
    """One axis of attack: a launch area, the classes it fires and its targets."""

    launch_area: str = Field(min_length=1, description="area_id in launch_areas.csv.")
    classes: dict[ThreatClass, Annotated[float, Field(ge=0)]] = Field(
        default_factory=dict,
        description=(
            "Weight of this axis in each class's raid (relative to the other axes "
            "firing the class); empty: weight 1 for every class the area fires."
        ),
    )
    toward: list[str] = Field(
        default_factory=list,
        description="iso3 codes of the allies this axis aims at; empty: every ally in reach.",
    )


class ThreatSection(Section):
    """The raid mix and the campaign length."""

    nights: int = Field(30, ge=1, le=3650, description="Campaign length [nights].")
    preset: Literal["typical", "average", "peak", "record", "custom"] = Field(
        "typical",
        description=(
            "Raid preset built from the Ukrainian nightly reports of 2025: median night "
            "(typical), mean night (average), 95th-percentile night (peak), record night."
        ),
    )
    raid: dict[ThreatClass, Annotated[float, Field(ge=0)]] = Field(
        default_factory=dict, description="Mean threats per night by class (custom preset)."
    )
    growth_pct_per_month: float = Field(0.0, ge=-100, le=500, description="Raid growth.")
    scale: float = Field(1.0, ge=0, le=1000, description="Multiplies every preset raid size.")
    draw: Literal["poisson", "fixed"] = Field(
        "poisson", description="Nightly raid sizes: Poisson around the preset, or fixed."
    )
    asset_value: Literal["national", "cities"] = Field(
        "national",
        description=(
            "What an ally's assets weigh in the raid's spread: national: their values "
            "(city populations) scaled so each ally's sum is its population "
            "(countries.population_m); cities: the city populations as given, whose "
            "city limits differ from country to country."
        ),
    )
    axes: list[AxisSpec] = Field(
        default_factory=list,
        description=(
            "Axes of attack: from which launch area (launch_areas.area_id) which classes "
            "fly, with what weight, toward which allies; empty: every launch area of a "
            "class, assets weighted by value and reach from the nearest one."
        ),
    )


def _default_leak_targets() -> dict[ThreatClass, float]:
    return {"ballistic": 0.05, "cruise": 0.05, "glide": 0.05, "aircraft": 0.05, "drone": 0.10}


class CampaignSection(Section):
    """Interceptor stocks, resupply and leak targets of the campaign model."""

    stockpile_loads: float = Field(
        1.0, ge=0, le=1000, description="Depot reloads per fire unit [full magazine loads]."
    )
    stockpile: dict[str, Annotated[float, Field(ge=0)]] = Field(
        default_factory=dict,
        description="Extra depot interceptors by system, collective (spread by fire units).",
    )
    stockpile_multiplier: float = Field(
        1.0, ge=0, le=1000, description="Scales every depot stock (loads and extras)."
    )
    resupply_delay_days: int = Field(
        30, ge=0, le=3650, description="Days from a production delivery to the front [d]."
    )
    leak_targets: dict[ThreatClass, Annotated[float, Field(ge=0, le=1)]] = Field(
        default_factory=_default_leak_targets,
        description="Highest acceptable share of each class leaking over the campaign.",
    )
    replications: int = Field(
        8, ge=1, le=10_000, description="Monte Carlo replications of the whole campaign."
    )
    raid_hours: float = Field(
        6.0, gt=0, le=24, description="Duration of a night's raid, sets arrival rates [h]."
    )
    share_stocks: bool = Field(
        False,
        description="Coalition members (industry.coalition) share interceptor stocks in war.",
    )
    transfer_delay_days: int = Field(
        2, ge=0, le=365, description="Days a shipment of interceptors between members takes [d]."
    )
    geometry: Literal["spatial", "pooled"] = Field(
        "spatial",
        description=(
            "spatial: a fire unit engages a threat only when the threat's target asset "
            "(or, with engage_on_path, its flight path) lies inside its envelope for the "
            "class (needs placed fire units, as in the plan); pooled: each ally's whole "
            "force meets every threat aimed at it."
        ),
    )
    engage_on_path: bool = Field(
        True,
        description=(
            "spatial: a fire unit also engages drones, cruise missiles and aircraft whose "
            "flight path (great-circle segment from launch area to target asset) passes "
            "inside its envelope for the class; ballistic and glide threats are engaged "
            "at the target asset only. false: at the target asset only, for every class."
        ),
    )
    defend_neighbours: bool = Field(
        False,
        description=(
            "Coalition members' (industry.coalition) fire units also engage threats at "
            "another member's assets inside their envelope, from stock they can spare."
        ),
    )
    waves: int = Field(
        1,
        ge=0,
        le=48,
        description=(
            "Waves per night, their starts spread evenly over raid_hours; 0: arrivals "
            "uniform over raid_hours (no waves)."
        ),
    )
    wave_level: Literal["low", "mid", "high"] = Field(
        "mid",
        description=(
            "Wave duration per class: 25th, 50th or 75th percentile of the attack "
            "windows of the 2025 Ukrainian nightly reports (attacks.csv)."
        ),
    )
    wave_minutes: dict[ThreatClass, Annotated[float, Field(gt=0, le=1440)]] = Field(
        default_factory=dict,
        description="Wave duration per class, overriding the reports' value [min].",
    )


class SitingSection(Section):
    """Where new fire units may stand."""

    grid_km: float = Field(50.0, gt=1, le=500, description="Candidate grid spacing [km].")
    backup: bool = Field(False, description="Maximise double coverage (mutual support).")
    max_candidates: int = Field(5000, ge=1, le=200000, description="Cap on candidate sites.")


class CoverageSection(Section):
    """Coverage grid and radar assumptions."""

    cell_km: float = Field(20.0, ge=5, le=200, description="Coverage grid cell size [km].")
    k_factor: float = Field(4.0 / 3.0, gt=0, le=10, description="Effective earth radius factor.")
    sensor_height_m: float = Field(10.0, ge=0, le=10000, description="Radar mast height [m].")


def _default_shots() -> dict[ThreatClass, int]:
    return {"ballistic": 2, "glide": 2, "cruise": 2, "aircraft": 2, "drone": 1}


class EngagementSection(Section):
    """Firing doctrine and Monte Carlo settings."""

    doctrine: Literal["shoot-shoot", "shoot-look-shoot"] = "shoot-look-shoot"
    shots: dict[ThreatClass, int] = Field(
        default_factory=_default_shots,
        description="Maximum shots per threat by class.",
    )
    trials: int = Field(2000, ge=1, le=10_000_000, description="Monte Carlo trials.")
    pk_level: Literal["low", "mid", "high"] = Field("mid", description="Which Pk to use.")
    calibration: str | None = Field(
        "default",
        min_length=1,
        description=(
            "Defeat model fitted to Ukraine's nightly reports whose electronic-warfare "
            "defeat rates form the campaign's electronic-warfare layer: 'default' (the "
            "embedded model), a model file from `gbad calibrate`, or null for none."
        ),
    )
    calibration_level: Literal["low", "mid", "high"] = Field(
        "mid", description="Which calibrated electronic-warfare rate to use."
    )
    ew_factor: float = Field(
        1.0,
        ge=0,
        le=10,
        description=(
            "Multiplies the calibrated electronic-warfare defeat rates (capped at 1); "
            "sweeps sample it from the calibration's night-to-night spread."
        ),
    )
    ew_layer: Literal["calibrated", "fielded"] = Field(
        "calibrated",
        description=(
            "Where the campaign's electronic-warfare layer comes from: 'calibrated' gives "
            "every ally Ukraine's calibrated rate (needs a calibration); 'fielded' gives "
            "each ally the layer of the electronic-warfare systems it fields in the "
            "campaign year (effectors table; none fielded, no layer)."
        ),
    )


class SweepSection(Section):
    """Uncertainty sweep settings."""

    samples: int = Field(100, ge=1, le=1_000_000)
    sampler: Literal["random", "lhs", "sobol"] = "lhs"
    distribution: Literal["triangular", "pert"] = "pert"
    method: Literal["rbd-fast", "delta", "sobol"] = Field(
        "rbd-fast", description="Variance-based sensitivity index (sobol: Saltelli design)."
    )
    include: list[str] = Field(
        default_factory=lambda: ["*"], description="Globs of parameter names to sample."
    )
    exclude: list[str] = Field(
        default_factory=list, description="Globs of parameter names to hold at their mid value."
    )
    knobs: dict[str, tuple[float, float, float]] | None = Field(
        None,
        description=(
            "Scenario key path -> (low, mode, high) factors on its value; default "
            "threat.scale (0.5, 1, 2) and budget.gbad_share_of_core_pct (0.5, 1, 1.5)."
        ),
    )

    @field_validator("knobs", mode="before")
    @classmethod
    def _lists_as_triples(cls, value: object) -> object:
        """JSON has no tuples: a list of three factors is a triple."""
        if isinstance(value, dict):
            return {k: tuple(v) if isinstance(v, list) else v for k, v in value.items()}
        return value
