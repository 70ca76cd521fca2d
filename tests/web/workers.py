"""Executors for the worker-process tests: module-level so a worker process can import them."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from gbad.scenario import Scenario
from tests.web.conftest import fake_plan


def sleepy(
    scenario: Scenario, progress: Callable[[str, float], None]
) -> tuple[dict[str, Any], dict[str, str]]:
    """Sleeps ``threat.nights`` tenths of a second, reporting progress, then a plan."""
    steps = scenario.threat.nights
    for i in range(steps):
        progress("sleeping", i / steps)
        time.sleep(0.1)
    return fake_plan(scenario), {}


def hog(
    scenario: Scenario, progress: Callable[[str, float], None]
) -> tuple[dict[str, Any], dict[str, str]]:
    """Holds ``threat.nights`` x 10 MiB of memory for a few seconds."""
    progress("allocating", 0.1)
    blocks = [bytearray(10 * 2**20) for _ in range(scenario.threat.nights)]
    for block in blocks:
        block[::4096] = b"\x01" * len(block[::4096])  # touch every page
    time.sleep(5)
    return fake_plan(scenario), {}
