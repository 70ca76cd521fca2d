"""Shared fixtures."""

from __future__ import annotations

import os

# Tests never reach the network and never depend on a hidden global seed.
os.environ.setdefault("GBAD_OFFLINE", "1")
