"""Fake stage adapters and a small real plan, shared by tests/plan and tests/report.

The fakes test the pipeline frame and the report with known numbers without the
stage packages; each conftest imports the fixtures it uses from here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import pytest

from gbad.plan import _stages


@dataclass
class FakeTargets:
    collective_baseline: int
    collective_target: int
    countries: pd.DataFrame


@dataclass
class FakeCampaign:
    nights: int
    endurance_nights: int
    draws: list[float] = field(default_factory=list)


def fake_adapters() -> dict[str, Any]:
    """Stage adapters returning small typed results like the real stages do."""

    def targets(ctx: _stages.StageContext) -> FakeTargets:
        frame = pd.DataFrame(
            {"iso3": ["POL", "DEU", "EST"], "baseline": [10, 20, 1], "target": [60, 90, 5]}
        )
        return FakeTargets(31, 155, frame)

    def budget(ctx: _stages.StageContext) -> dict[str, Any]:
        ctx.need("targets")
        return {"total_cost_musd": 123456.5, "funding_year": 2031, "by_year": np.arange(3)}

    def industry(ctx: _stages.StageContext) -> dict[str, Any]:
        ctx.need("targets", "budget")
        return {"delivery_year": 2034, "binding_line": "patriot"}

    def campaign(ctx: _stages.StageContext) -> FakeCampaign:
        return FakeCampaign(
            nights=ctx.scenario.threat.nights,
            endurance_nights=12,
            draws=ctx.rng.random(3).tolist(),
        )

    def unavailable(ctx: _stages.StageContext) -> Any:
        raise _stages.StageUnavailable("not part of this test")

    return {
        "targets": targets,
        "budget": budget,
        "industry": industry,
        "siting": unavailable,
        "coverage": unavailable,
        "campaign": campaign,
    }


#: A small real scenario (one ally, a short campaign): the real stages in seconds.
SMALL: dict[str, Any] = {
    "name": "estonia",
    "countries": ["EST"],
    "threat": {"nights": 5},
    "campaign": {"replications": 2},
}


@pytest.fixture(scope="module")
def small_plan() -> Any:
    """The real pipeline on :data:`SMALL`, run once per test module."""
    from gbad.plan import run_plan
    from gbad.scenario import parse_scenario

    return run_plan(parse_scenario(SMALL))


@pytest.fixture
def fake_stages(monkeypatch: pytest.MonkeyPatch) -> None:
    """Replace the stage adapters with :func:`fake_adapters` for one test."""
    monkeypatch.setattr(_stages, "ADAPTERS", fake_adapters())
    from gbad.plan import _runner

    monkeypatch.setattr(_runner, "ADAPTERS", _stages.ADAPTERS)
