"""Scenarios: one validated document in, every stage configured.

A scenario is YAML or JSON. Every field has a default, so ``{}`` is the default
scenario (European allies, 2025 baseline, fivefold, 2035). Unknown keys and
out-of-range values raise :class:`gbad.errors.GbadInputError` naming the key
path, e.g. ``target.factr``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, ValidationError, ValidationInfo, field_validator, model_validator

from gbad.errors import GbadInputError
from gbad.scenario._base import Section
from gbad.scenario._yaml import check_depth, loads_json, loads_yaml
from gbad.scenario.sections import (
    THREAT_CLASSES,
    TIERS,
    BudgetSection,
    CampaignSection,
    CoverageSection,
    EngagementSection,
    ForceSection,
    IndustrySection,
    SitingSection,
    SweepSection,
    TargetSection,
    ThreatClass,
    ThreatSection,
    Tier,
)

__all__ = [
    "THREAT_CLASSES",
    "TIERS",
    "Scenario",
    "ThreatClass",
    "Tier",
    "error_message",
    "load_scenario",
    "parse_scenario",
    "validate_against_reference",
    "validate_scenario_full",
    "validation_error_to_input_error",
]


class Scenario(Section):
    """A whole gbad scenario.

    ``overrides`` replaces reference values: ``{table: {row_key: {column: value}}}``,
    e.g. ``{"systems": {"iris-t-slm": {"fire_unit_cost_musd_mid": 160}}}``.
    """

    name: str = Field("default", min_length=1, max_length=200)
    base_year: int = Field(2025, ge=2020, le=2030)
    horizon_year: int = Field(2035, ge=2026, le=2060)
    seed: int = Field(20250625, ge=0, le=2**63 - 1, description="Seed of every random draw.")
    countries: list[str] | None = Field(
        None, description="iso3 codes in the plan (default: the 30 European allies)."
    )
    procurement: dict[
        str, Annotated[dict[str, Annotated[float, Field(gt=0)]], Field(min_length=1)]
    ] = Field(
        default_factory=dict,
        description=(
            "System bought for new units: {tier or iso3:tier: system} or "
            "{iso3:tier: {system: share}} (a system alone is a share of 1); the rest follow "
            "the documented default rule."
        ),
    )
    target: TargetSection = Field(default_factory=TargetSection)
    budget: BudgetSection = Field(default_factory=BudgetSection)
    industry: IndustrySection = Field(default_factory=IndustrySection)
    threat: ThreatSection = Field(default_factory=ThreatSection)
    force: ForceSection = Field(default_factory=ForceSection)
    milestones: list[int] | None = Field(
        None,
        description=(
            "Years whose force is sited, covered and fought (default: the base year, two "
            "years between and the horizon)."
        ),
    )
    campaign: CampaignSection = Field(default_factory=CampaignSection)
    siting: SitingSection = Field(default_factory=SitingSection)
    coverage: CoverageSection = Field(default_factory=CoverageSection)
    engagement: EngagementSection = Field(default_factory=EngagementSection)
    sweep: SweepSection = Field(default_factory=SweepSection)
    overrides: dict[str, dict[str, dict[str, Any]]] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _years_in_order(self) -> Scenario:
        if self.horizon_year <= self.base_year:
            raise ValueError("horizon_year must be after base_year")
        return self

    @field_validator("procurement", mode="before")
    @classmethod
    def _one_system_is_a_share_of_one(cls, value: Any) -> Any:
        if isinstance(value, dict):
            return {k: ({v: 1.0} if isinstance(v, str) else v) for k, v in value.items()}
        return value

    @field_validator("milestones")
    @classmethod
    def _milestones_in_span(cls, years: list[int] | None, info: ValidationInfo) -> list[int] | None:
        if years is None:
            return None
        if not years:
            raise ValueError("give at least one year")
        if len(set(years)) != len(years):
            raise ValueError("a year is repeated")
        base = info.data.get("base_year", 2025)
        budget = info.data.get("budget")
        last = max(info.data.get("horizon_year", base), getattr(budget, "extend_to_year", 0))
        for year in years:
            if not base <= year <= last:
                raise ValueError(
                    f"{year} is outside {base}-{last} (base year to the last year modelled)"
                )
        return sorted(years)


def error_message(error: Mapping[str, Any]) -> str:
    """The message of one pydantic error item, naming NaN and infinities as such."""
    kind = error.get("type")
    if kind == "extra_forbidden":
        return "unknown key"
    if kind == "finite_number":
        value = error.get("input")
        if isinstance(value, float) and math.isnan(value):
            return "is NaN; expected a finite number"
        return "is infinite; expected a finite number"
    return str(error.get("msg", "invalid value"))


def validation_error_to_input_error(exc: ValidationError, prefix: str = "") -> GbadInputError:
    """Turn a pydantic error into one :class:`GbadInputError` naming the key path."""
    errors = exc.errors()
    first = errors[0]
    loc = ".".join(str(p) for p in first.get("loc", ()) if p not in ("__root__", "[key]"))
    path = f"{prefix}.{loc}" if prefix and loc else (loc or prefix or "scenario")
    message = error_message(first)
    more = f" (and {len(errors) - 1} more problem(s))" if len(errors) > 1 else ""
    return GbadInputError(path, f"{message}{more}")


def parse_scenario(document: Any) -> Scenario:
    """Validate a scenario document (a mapping, or ``None`` for the default).

    Types are strict (``true`` or ``"3"`` is not a number), numbers finite, and
    :func:`gbad.scenario.checks.check_scenario` refuses what the document says
    wrongly by itself. References to the data (allies, systems, overrides) are
    checked by :func:`validate_against_reference`.
    """
    if document is None:
        document = {}
    if not isinstance(document, dict):
        raise GbadInputError("scenario", "must be a mapping of keys to values")
    check_depth(document)
    try:
        scenario = Scenario.model_validate(document)
    except ValidationError as exc:
        raise validation_error_to_input_error(exc) from None
    except RecursionError:
        raise GbadInputError("scenario", "nested too deeply") from None
    check_scenario(scenario)
    return scenario


def load_scenario(path: Path | str) -> Scenario:
    """Read and validate a scenario from a YAML or JSON file.

    Raises
    ------
    GbadInputError
        If the file is unreadable, malformed, or fails validation (naming the key path).
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise GbadInputError("path", f"file not found: {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise GbadInputError("path", f"cannot read {path}: {exc}") from None
    if path.suffix.lower() == ".json":
        document = loads_json(text, "path") if text.strip() else {}
    else:
        document = loads_yaml(text, "path")
    return parse_scenario(document)


from gbad.scenario.checks import (  # noqa: E402 - needs Scenario defined first
    check_scenario,
    validate_against_reference,
    validate_scenario_full,
)
