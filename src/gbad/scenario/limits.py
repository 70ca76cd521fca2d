"""Bounds on the work one run may ask for, refused up front with the limit named.

Each bound is on a *product* of sizes, since no single field is large on its own
in the runs that exhaust a machine (365 nights x 64 replications x a raid of
50,000 threats a night). The bounds come from the memory each element takes:

- campaign paths: four arrays of ``replications x nights x allies x (classes or
  systems)`` float64 (threats, leakers, interceptors spent, stocks at dawn), kept
  for every milestone year, so ``8 x allies x 2 x (classes + systems)`` bytes per
  night-replication and milestone; :data:`CAMPAIGN_PATH_BYTES` caps the total;
- a night's raid: each threat carries uniform draws for every shot at every layer
  it meets; :data:`MAX_THREATS_PER_NIGHT` bounds the largest night;
- ``gbad engage``: the engagement kernel holds, per trial row, ``threats x (shots +
  2)`` values (arrival times, draws, classes) and temporaries of the same size;
  :data:`ENGAGE_MAX_ELEMENTS` bounds ``threats x (shots + 2)`` and
  :data:`ENGAGE_MAX_DRAWS` the random draws ``threats x trials x shots`` (time);
- siting candidates: the covering MILP has one column per candidate and one row
  per demand point; :data:`MAX_SITING_CANDIDATES` bounds the candidate grid.

``bench/limits_memory.py`` runs the largest run each bound allows and records its
peak memory in ``bench/RESULTS.md`` (under 4 GiB).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from gbad.errors import GbadInputError

if TYPE_CHECKING:
    from gbad.scenario import Scenario

__all__ = [
    "CAMPAIGN_PATH_BYTES",
    "ENGAGE_MAX_DRAWS",
    "ENGAGE_MAX_ELEMENTS",
    "ENGAGE_MAX_SHOTS",
    "EUROPE_AREA_KM2",
    "MAX_SITING_CANDIDATES",
    "MAX_THREATS_PER_NIGHT",
    "campaign_path_bytes",
    "check_engage_size",
    "check_work",
    "peak_threats_per_night",
    "work_limits",
]

#: Bytes of campaign path arrays one run may hold (all milestone years together).
CAMPAIGN_PATH_BYTES = 1_500_000_000
#: Milestone years whose campaign results a plan keeps at once (base, mid, horizon).
MILESTONES_HELD = 4
#: Threats in the largest night of a campaign (the record night of 2025 was about 800).
MAX_THREATS_PER_NIGHT = 100_000
#: ``threats x (shots + 2)`` of ``gbad engage``: about 38 bytes each in the kernel's
#: arrays and temporaries (measured: 25 million threats with 2 shots peaked at 3.6 GiB,
#: bench/bench_limits.py), so about 1.5 GiB at the bound.
ENGAGE_MAX_ELEMENTS = 40_000_000
#: ``threats x trials x shots`` random draws of ``gbad engage`` (a few minutes at most).
ENGAGE_MAX_DRAWS = 500_000_000
#: Shots per threat of ``gbad engage`` (no published doctrine fires more than 4).
ENGAGE_MAX_SHOTS = 100
#: Candidate sites of the siting MILP.
MAX_SITING_CANDIDATES = 50_000
#: Land area of the European allies [km^2] (about 6 million; sizes the candidate grid).
EUROPE_AREA_KM2 = 6.0e6
_CLASSES = 5


def work_limits() -> dict[str, float]:
    """The bounds, by name, as served by ``GET /api/limits``."""
    return {
        "campaign_path_bytes": CAMPAIGN_PATH_BYTES,
        "max_threats_per_night": MAX_THREATS_PER_NIGHT,
        "engage_max_elements": ENGAGE_MAX_ELEMENTS,
        "engage_max_draws": ENGAGE_MAX_DRAWS,
        "engage_max_shots": ENGAGE_MAX_SHOTS,
        "max_siting_candidates": MAX_SITING_CANDIDATES,
    }


def check_engage_size(threats: int, shots: int, trials: int) -> None:
    """Refuse a ``gbad engage`` whose arrays or draws exceed the bounds (naming the flag)."""
    if shots > ENGAGE_MAX_SHOTS:
        raise GbadInputError("--shots", f"at most {ENGAGE_MAX_SHOTS}, got {shots}")
    elements = threats * (shots + 2)
    if elements > ENGAGE_MAX_ELEMENTS:
        raise GbadInputError(
            "--threats",
            f"threats x (shots + 2) = {elements:,} exceeds the limit {ENGAGE_MAX_ELEMENTS:,} "
            "(memory of one trial)",
        )
    draws = threats * trials * max(shots, 1)
    if draws > ENGAGE_MAX_DRAWS:
        raise GbadInputError(
            "--trials",
            f"threats x trials x shots = {draws:,} exceeds the limit {ENGAGE_MAX_DRAWS:,} "
            "(random draws); use fewer trials",
        )


def peak_threats_per_night(scenario: Scenario, base_raid: dict[str, float]) -> float:
    """Mean threats of the campaign's largest night (raid x scale x growth)."""
    th = scenario.threat
    total = sum(float(v) for v in base_raid.values()) * th.scale
    growth = 1.0 + th.growth_pct_per_month / 100.0
    months = (th.nights - 1) / 30.4375
    peak = max(1.0, growth**months) if growth > 0 else 1.0
    return total * peak


def campaign_path_bytes(scenario: Scenario, allies: int, systems: int) -> int:
    """Bytes of the campaign path arrays of a run (all milestone years)."""
    per = 8 * allies * 2 * (_CLASSES + systems)
    reps = scenario.campaign.replications
    return per * reps * scenario.threat.nights * MILESTONES_HELD


def _base_raid(scenario: Scenario, ref: Any) -> dict[str, float]:
    th = scenario.threat
    if th.preset == "custom":
        return {str(k): float(v) for k, v in th.raid.items()}
    from gbad.campaign.setup import raid_per_night
    from gbad.errors import GbadInputError

    try:
        return dict(raid_per_night(ref, scenario))
    except GbadInputError:  # no attacks table: the stage names it
        return {str(k): float(v) for k, v in th.raid.items()}


def check_work(scenario: Scenario, ref: Any, allies: int) -> None:
    """Refuse a scenario whose run would exceed a work bound (naming field and limit).

    Raises
    ------
    GbadInputError
        Naming ``threat.raid`` / ``threat.scale`` (largest night),
        ``campaign.replications`` (path memory) or ``siting.max_candidates``.
    """
    raid = _base_raid(scenario, ref)
    peak = peak_threats_per_night(scenario, raid)
    if not math.isfinite(peak) or peak > MAX_THREATS_PER_NIGHT:
        field = "threat.raid" if scenario.threat.preset == "custom" else "threat.scale"
        if scenario.threat.growth_pct_per_month > 0 and scenario.threat.nights > 1:
            field = "threat.growth_pct_per_month"
        raise GbadInputError(
            field,
            f"the largest night would carry {peak:,.0f} threats; the limit is "
            f"{MAX_THREATS_PER_NIGHT:,} (memory of one night's engagements)",
        )
    systems = len(ref.systems) if getattr(ref, "systems", None) is not None else 40
    size = campaign_path_bytes(scenario, max(allies, 1), systems)
    if size > CAMPAIGN_PATH_BYTES:
        raise GbadInputError(
            "campaign.replications",
            f"nights x replications = {scenario.threat.nights * scenario.campaign.replications:,} "
            f"needs {size / 2**30:.1f} GiB of campaign paths; the limit is "
            f"{CAMPAIGN_PATH_BYTES / 2**30:.1f} GiB (fewer nights or replications)",
        )
    grid = EUROPE_AREA_KM2 / scenario.siting.grid_km**2
    candidates = min(float(scenario.siting.max_candidates), grid)
    if candidates > MAX_SITING_CANDIDATES:
        raise GbadInputError(
            "siting.max_candidates",
            f"{candidates:,.0f} candidate sites; the limit is {MAX_SITING_CANDIDATES:,} "
            "(size of the siting MILP)",
        )
