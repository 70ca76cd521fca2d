"""Where the tests find the Ukrainian attack reports."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

SHARED_CSV = (
    Path(__file__).resolve().parents[3]
    / "shared"
    / "reference"
    / "data"
    / "ukraine_attacks_2022-09_2025-06.csv"
)


def load_attacks() -> pd.DataFrame:
    """The packaged ``attacks`` table, else the shared reference CSV, else skip."""
    try:
        from gbad.reference import load_table

        return load_table("attacks")
    except (ImportError, KeyError, FileNotFoundError, ValueError):
        pass
    if SHARED_CSV.exists():
        return pd.read_csv(SHARED_CSV)
    pytest.skip("attack reports not available")
    raise AssertionError  # unreachable; pytest.skip raises
