"""A small real plan, shared by tests/plan and tests/report.

Each conftest imports the fixtures it uses from here.
"""

from __future__ import annotations

from typing import Any

import pytest

#: A small real scenario (two allies, a short campaign): the real stages in seconds.
SMALL: dict[str, Any] = {
    "name": "estonia and latvia",
    "countries": ["EST", "LVA"],
    "threat": {"nights": 5},
    "campaign": {"replications": 2},
}


@pytest.fixture(scope="module")
def small_plan() -> Any:
    """The real pipeline on :data:`SMALL`, run once per test module."""
    from gbad.plan import run_plan
    from gbad.scenario import parse_scenario

    return run_plan(parse_scenario(SMALL))
