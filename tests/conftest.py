"""Shared fixtures."""

from __future__ import annotations

import os
import tempfile

# Tests never reach the network and never depend on a hidden global seed.
os.environ.setdefault("GBAD_OFFLINE", "1")
# Runs recorded by tests go to a throw-away store, never the user's data directory.
os.environ["GBAD_DB"] = os.path.join(  # noqa: PTH118 - set before any gbad import
    tempfile.mkdtemp(prefix="gbad-test-store-"), "runs.duckdb"
)

from hypothesis import HealthCheck, settings

# Timing belongs in bench/, not in tests: the 200 ms default deadline fails on a
# loaded two-core machine without saying anything about correctness. Under CI the
# examples are derandomized so a green main stays green; locally they vary.
settings.register_profile(
    "gbad",
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=bool(os.environ.get("CI")),
)
settings.load_profile("gbad")
