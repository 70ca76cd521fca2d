"""Checks a scenario must pass before any stage runs.

Two layers, both raising :class:`gbad.errors.GbadInputError` naming the key path:

- :func:`check_scenario`: what the document says by itself — lists neither empty
  nor duplicated, numbers in their meaning's range, fields consistent with each
  other (a custom preset needs a raid, a factor below 1 cannot hold every ally
  harmless). :func:`gbad.scenario.parse_scenario` calls it, so every reader of a
  scenario (CLI, web API, sweep samples) gets the same refusals.
- :func:`validate_against_reference`: what the reference data must serve — allies,
  systems, coalition members and bound keys that exist, overrides within the range
  of their column's meaning (a cost above zero, a Pk in [0, 1]), allies whose
  data the pipeline can plan with, and work within the bounds of
  :mod:`gbad.scenario.limits`. The CLI and the web API call it after parsing.

:func:`validate_scenario_full` does both and returns the reference data loaded
with the scenario's overrides.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from gbad.errors import GbadInputError
from gbad.scenario.sections import TIERS

if TYPE_CHECKING:
    from gbad.reference import Reference
    from gbad.scenario import Scenario

__all__ = [
    "COLUMN_RANGES",
    "check_scenario",
    "column_range",
    "validate_against_reference",
    "validate_scenario_full",
]

_ISO3 = re.compile(r"^[A-Z]{3}$")
#: Largest per-threat shot count a doctrine may name (no published doctrine fires more than 4).
MAX_SHOTS = 16

#: Column-name pattern -> (lowest, highest, lowest is exclusive). First match wins;
#: the range is the column's meaning (a probability, a price, a share of GDP), so an
#: override outside it is refused before it reaches a solver.
COLUMN_RANGES: tuple[tuple[str, float, float, bool], ...] = (
    (r"^pk_", 0.0, 1.0, False),
    (r"cost_musd|opex_musd", 0.0, 1e5, True),
    (r"_pct", 0.0, 100.0, False),
    (r"(^|_)lat$", -90.0, 90.0, False),
    (r"(^|_)lon$", -180.0, 180.0, False),
    (r"(^|_)year$", 1900.0, 2100.0, False),
    (r"^gdp_", 0.0, 1e6, True),
    (r"^population_m$", 0.0, 2000.0, False),
    (r"speed_mps", 0.0, 1e5, True),
    (r"rcs_m2", 0.0, 1e4, True),
    (r"altitude_m_", 0.0, 1e6, False),
    (r"_km($|_)", 0.0, 40_000.0, False),
    (r"^fire_channels$|^launchers_per_fu$|^missiles_per_launcher$", 0.0, 1e4, False),
    (r"^fire_units|^launchers$|per_year", 0.0, 1e6, False),
    (r"_min$|_s$", 0.0, 1e6, False),
    (r"", -1e12, 1e12, False),
)


def column_range(column: str) -> tuple[float, float, bool]:
    """``(low, high, low_exclusive)`` allowed for an override of ``column``."""
    for pattern, low, high, exclusive in COLUMN_RANGES:
        if re.search(pattern, column):
            return low, high, exclusive
    return -1e12, 1e12, False  # pragma: no cover - the last pattern matches everything


def _number(path: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise GbadInputError(path, f"expected a number, got {value!r}")
    x = float(value)
    if math.isnan(x):
        raise GbadInputError(path, "is NaN; expected a finite number")
    if math.isinf(x):
        raise GbadInputError(path, "is infinite; expected a finite number")
    return x


def _in_range(path: str, value: Any, low: float, high: float, *, low_open: bool = False) -> float:
    x = _number(path, value)
    if x < low or (low_open and x == low):
        bound = f"above {low:g}" if low_open else f"at least {low:g}"
        raise GbadInputError(path, f"must be {bound}, got {x:g}")
    if x > high:
        raise GbadInputError(path, f"must be at most {high:g}, got {x:g}")
    return x


def _codes(path: str, codes: list[str] | None, *, what: str) -> None:
    """A list of iso3 codes: not empty, well formed, no duplicates."""
    if codes is None:
        return
    if not codes:
        raise GbadInputError(path, f"empty list; omit the key for the default {what}")
    seen: set[str] = set()
    for i, code in enumerate(codes):
        if not _ISO3.match(code):
            raise GbadInputError(f"{path}.{i}", f"expected an ISO 3166 alpha-3 code, got {code!r}")
        if code in seen:
            raise GbadInputError(f"{path}.{i}", f"{code} is listed twice")
        seen.add(code)


def _bound_keys(path: str, bounds: Mapping[str, int]) -> None:
    for key, value in bounds.items():
        iso, sep, tier = str(key).partition(":")
        if not _ISO3.match(iso):
            raise GbadInputError(f"{path}.{key}", "expected ISO3 or ISO3:tier")
        if sep and tier not in TIERS:
            raise GbadInputError(f"{path}.{key}", f"unknown tier {tier!r}")
        _in_range(f"{path}.{key}", value, 0, 1_000_000)


def check_scenario(scenario: Scenario) -> None:
    """Refuse what a scenario says wrongly by itself (no reference data needed).

    Raises
    ------
    GbadInputError
        Naming the first key path at fault.
    """
    _codes("countries", scenario.countries, what="allies")
    t = scenario.target
    _in_range("target.factor", t.factor, 1.0, 100.0)  # hold-harmless: no ally below baseline
    for tier, factor in t.tiers.items():
        _in_range(f"target.tiers.{tier}", factor, 1.0, 100.0)
    if t.blend is not None:
        if not t.blend:
            raise GbadInputError("target.blend", "empty blend; omit it to use target.key")
        for blend_key, weight in t.blend.items():
            _in_range(f"target.blend.{blend_key}", weight, 0.0, 1e6)
        if sum(t.blend.values()) <= 0:
            raise GbadInputError("target.blend", "weights sum to zero")
    _bound_keys("target.minimum", t.minimum)
    _bound_keys("target.maximum", t.maximum)
    for key, low in t.minimum.items():
        high = t.maximum.get(key)
        if high is not None and high < low:
            raise GbadInputError(f"target.maximum.{key}", f"{high} is below the minimum {low}")

    b = scenario.budget
    for who, path in b.user_path.items():
        where = f"budget.user_path.{who}"
        if who != "*" and not _ISO3.match(str(who)):
            raise GbadInputError(where, "expected an iso3 code or '*'")
        if not path:
            raise GbadInputError(where, "empty path; give {year: pct of GDP}")
        for year, pct in path.items():
            _in_range(f"{where}.{year}", year, 1990, 2100)
            _in_range(f"{where}.{year}", pct, 0.0, 100.0)

    ind = scenario.industry
    _codes("industry.coalition", ind.coalition, what="coalition (ESSI members)")
    for buy_key, system in ind.buy.items():
        iso, sep, buy_tier = str(buy_key).rpartition(":")
        buy_tier = buy_tier if sep else str(buy_key)
        if buy_tier not in TIERS or (sep and not _ISO3.match(iso)):
            raise GbadInputError(f"industry.buy.{buy_key}", "expected a tier or ISO3:tier")
        if not system:
            raise GbadInputError(f"industry.buy.{buy_key}", "empty system name")

    th = scenario.threat
    if th.preset == "custom" and sum(th.raid.values()) <= 0:
        raise GbadInputError(
            "threat.raid", "the custom preset needs a raid mix (threats per night)"
        )

    for i, axis in enumerate(th.axes):
        if axis.toward:
            _codes(f"threat.axes.{i}.toward", axis.toward, what="allies in reach")
        if axis.classes and sum(axis.classes.values()) <= 0:
            raise GbadInputError(f"threat.axes.{i}.classes", "every weight is 0; omit the axis")

    for klass, shots in scenario.engagement.shots.items():
        _in_range(f"engagement.shots.{klass}", shots, 1, MAX_SHOTS)

    sw = scenario.sweep
    for key, factors in (sw.knobs or {}).items():
        lo, mode, hi = (
            _in_range(f"sweep.knobs.{key}", f, 0.0, 1e6, low_open=False) for f in factors
        )
        if not lo <= mode <= hi:
            raise GbadInputError(f"sweep.knobs.{key}", "factors must satisfy low <= mode <= high")

    for table, rows in scenario.overrides.items():
        if not rows:
            raise GbadInputError(f"overrides.{table}", "empty; give {row key: {column: value}}")
        for row, columns in rows.items():
            if not columns:
                raise GbadInputError(f"overrides.{table}.{row}", "empty; give {column: value}")


def _check_axes(scenario: Scenario, ref: Reference, plan: set[str]) -> None:
    """Axes of attack name launch areas of the data, classes they fire, plan allies."""
    launch = getattr(ref, "launch_areas", None)
    if not scenario.threat.axes:
        return
    fired: dict[str, set[str]] = {}
    if launch is not None:
        for area, classes in zip(launch["area_id"], launch["threat_classes"], strict=True):
            fired[str(area)] = {c.strip() for c in str(classes).split(";")}
    for i, axis in enumerate(scenario.threat.axes):
        if axis.launch_area not in fired:
            raise GbadInputError(
                f"threat.axes.{i}.launch_area", f"unknown launch area {axis.launch_area!r}"
            )
        for klass in axis.classes:
            if klass not in fired[axis.launch_area]:
                raise GbadInputError(
                    f"threat.axes.{i}.classes.{klass}",
                    f"{axis.launch_area} launches no {klass} (launch_areas.csv)",
                )
        for j, iso in enumerate(axis.toward):
            if iso not in plan:
                raise GbadInputError(
                    f"threat.axes.{i}.toward.{j}", f"{iso} is not one of the plan's allies"
                )


def _known_iso3(ref: Reference) -> set[str]:
    return {str(c) for c in ref.countries["iso3"]}


def _plan_countries(scenario: Scenario, ref: Reference) -> list[str]:
    if scenario.countries is not None:
        return list(scenario.countries)
    frame = ref.countries
    if "european" in frame:
        frame = frame[frame["european"].astype(bool)]
    return [str(c) for c in frame["iso3"]]


def _check_codes_known(path: str, codes: list[str] | None, known: set[str]) -> None:
    for i, code in enumerate(codes or []):
        if code not in known:
            raise GbadInputError(f"{path}.{i}", f"unknown iso3 code {code}")


def _check_bounds_in_plan(path: str, bounds: Mapping[str, int], plan: set[str]) -> None:
    for key in bounds:
        iso = str(key).partition(":")[0]
        if iso not in plan:
            raise GbadInputError(f"{path}.{key}", f"{iso} is not one of the plan's allies")


def _check_overrides(scenario: Scenario, ref: Reference) -> None:
    for table, rows in scenario.overrides.items():
        for row, columns in rows.items():
            for column, value in columns.items():
                path = f"overrides.{table}.{row}.{column}"
                if isinstance(value, (bool, str)) or value is None:
                    continue  # types are checked against the column by load_reference
                low, high, exclusive = column_range(str(column))
                _in_range(path, value, low, high, low_open=exclusive)
    _ = ref


def _check_plannable(scenario: Scenario, ref: Reference, allies: list[str]) -> None:
    """Refuse a set of allies the pipeline has nothing to plan with."""
    inv = ref.inventory
    if "status" not in inv or "fire_units_mid" not in inv:
        return
    held = inv[(inv["status"] == "in service") & inv["iso3"].isin(allies)]
    if float(held["fire_units_mid"].fillna(0).sum()) <= 0:
        listed = ", ".join(allies[:5]) + (" ..." if len(allies) > 5 else "")
        raise GbadInputError(
            "countries",
            f"no fire units in service among {listed}: a multiple of zero is zero; "
            "add an ally with ground-based air defence",
        )
    frame = ref.countries.set_index("iso3")
    for i, iso in enumerate(scenario.countries or []):
        gdp = frame.at[iso, "gdp_usd_bn_mid"] if "gdp_usd_bn_mid" in frame else 1.0
        if not (isinstance(gdp, int | float) and math.isfinite(float(gdp)) and gdp > 0):
            raise GbadInputError(f"countries.{i}", f"{iso} has no GDP estimate to plan with")


def validate_against_reference(scenario: Scenario, ref: Reference) -> None:
    """Refuse references the data cannot serve (``ref`` loaded with the overrides).

    Raises
    ------
    GbadInputError
        Naming the key path: ``countries.1`` (unknown ally), ``industry.coalition.0``,
        ``target.minimum.XXX``, ``budget.user_path.XXX``, ``industry.buy.short``,
        ``campaign.stockpile.nope``, ``overrides.systems.patriot.pk_mid``...
    """
    known = _known_iso3(ref)
    _check_codes_known("countries", scenario.countries, known)
    allies = _plan_countries(scenario, ref)
    plan = set(allies)
    _check_codes_known("industry.coalition", scenario.industry.coalition, known)
    _check_bounds_in_plan("target.minimum", scenario.target.minimum, plan)
    _check_bounds_in_plan("target.maximum", scenario.target.maximum, plan)
    for who in scenario.budget.user_path:
        if who != "*" and who not in plan:
            raise GbadInputError(
                f"budget.user_path.{who}", f"{who} is not one of the plan's allies"
            )
    systems = ref.systems.set_index("system") if "system" in ref.systems else None
    if systems is not None:
        from gbad.procurement.stage import check_rules, procurement_rules

        # procurement and industry.buy: the procurement stage's own check
        check_rules(procurement_rules(scenario), ref.systems, sorted(plan))
        if isinstance(scenario.industry.line_share, Mapping):
            lines = set(ref.production["system"].astype(str))
            for system in scenario.industry.line_share:
                if system not in lines:
                    raise GbadInputError(
                        f"industry.line_share.{system}", f"no production line of {system!r}"
                    )
        for key in scenario.campaign.stockpile:
            iso, _, system = str(key).rpartition("/")
            if system not in systems.index:
                raise GbadInputError(f"campaign.stockpile.{key}", f"unknown system {system!r}")
            if iso and iso not in plan:
                raise GbadInputError(
                    f"campaign.stockpile.{key}", f"{iso} is not one of the plan's allies"
                )
    _check_axes(scenario, ref, plan)
    _check_overrides(scenario, ref)
    _check_plannable(scenario, ref, allies)
    from gbad.targets import compute_targets

    # The targets stage is cheap: bounds that cannot hold (a minimum above a tier's
    # collective target, say) are refused here, not seconds into a run.
    compute_targets(ref, scenario)
    if scenario.engagement.calibration not in (None, "default"):
        from gbad.plan._calibration import calibration_for

        calibration_for(scenario)  # the model file is readable and a model
    from gbad.scenario.limits import check_work

    check_work(scenario, ref, len(allies))


def validate_scenario_full(scenario: Scenario) -> Reference:
    """:func:`check_scenario` and :func:`validate_against_reference`; return the data.

    Raises
    ------
    GbadInputError
        Naming the first key path at fault.
    """
    from gbad.reference import load_reference

    check_scenario(scenario)
    ref = load_reference(overrides=scenario.overrides or None)
    validate_against_reference(scenario, ref)
    return ref
