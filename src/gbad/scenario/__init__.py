"""Scenarios: one validated document in, every stage configured.

A scenario is YAML or JSON. Every field has a default, so ``{}`` is the default
scenario (European allies, 2025 baseline, fivefold, 2035). Unknown keys and
out-of-range values raise :class:`gbad.errors.GbadInputError` naming the key
path, e.g. ``target.factr``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import Field, ValidationError, ValidationInfo, field_validator, model_validator

from gbad.errors import GbadInputError
from gbad.scenario._base import Section
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
    "load_scenario",
    "parse_scenario",
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
    procurement: dict[str, str | dict[str, Annotated[float, Field(gt=0)]]] = Field(
        default_factory=dict,
        description=(
            "System bought for new units: {tier or iso3:tier: system} or "
            "{iso3:tier: {system: share}}; the rest follow the documented default rule."
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


def validation_error_to_input_error(exc: ValidationError, prefix: str = "") -> GbadInputError:
    """Turn a pydantic error into one :class:`GbadInputError` naming the key path."""
    errors = exc.errors()
    first = errors[0]
    loc = ".".join(str(p) for p in first.get("loc", ()) if p not in ("__root__", "[key]"))
    path = f"{prefix}.{loc}" if prefix and loc else (loc or prefix or "scenario")
    message = first.get("msg", "invalid value")
    if first.get("type") == "extra_forbidden":
        message = "unknown key"
    more = f" (and {len(errors) - 1} more problem(s))" if len(errors) > 1 else ""
    return GbadInputError(path, f"{message}{more}")


def parse_scenario(document: Any) -> Scenario:
    """Validate a scenario document (a mapping, or ``None`` for the default)."""
    if document is None:
        document = {}
    if not isinstance(document, dict):
        raise GbadInputError("scenario", "must be a mapping of keys to values")
    try:
        return Scenario.model_validate(document)
    except ValidationError as exc:
        raise validation_error_to_input_error(exc) from None


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
    try:
        if path.suffix.lower() == ".json":
            document = json.loads(text) if text.strip() else {}
        else:
            document = yaml.safe_load(text)
    except json.JSONDecodeError as exc:
        raise GbadInputError("path", f"malformed JSON at line {exc.lineno}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise GbadInputError("path", f"malformed YAML{where}") from None
    return parse_scenario(document)
