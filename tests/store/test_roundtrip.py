"""Property: whatever JSON a plan holds comes back from the store unchanged."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gbad.store import RunStore
from gbad.store.tables import extract_tables

json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=8),
)
json_values = st.recursive(
    json_scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=5),
        st.dictionaries(st.text(max_size=6), children, max_size=5),
    ),
    max_leaves=40,
)
records = st.lists(
    st.fixed_dictionaries(
        {"iso3": st.sampled_from(["DEU", "POL", "FRA"]), "n": st.integers(0, 99)}
    ),
    min_size=1,
    max_size=4,
)
plans = st.dictionaries(
    st.text(min_size=1, max_size=6), st.one_of(json_values, records), min_size=1, max_size=6
)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunStore]:
    with RunStore(tmp_path_factory.mktemp("rt") / "runs.duckdb") as s:
        yield s


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(plan=plans)
def test_results_round_trip(store: RunStore, plan: dict[str, Any]) -> None:
    run_id = store.create_run({"name": "rt"})
    store.save_results(run_id, plan)
    assert store.get_results(run_id) == plan
    tables = dict(extract_tables(plan))
    assert store.table_names(run_id) == sorted(tables)
    for name, rows in tables.items():
        assert len(store.get_table(run_id, name)) == len(rows)


def test_non_finite_numbers_are_stored_as_null(tmp_path: Path) -> None:
    """Strict JSON has no NaN or infinity: they are stored as null, never as invalid JSON."""
    with RunStore(tmp_path / "runs.duckdb") as s:
        run_id = s.create_run({})
        s.save_results(run_id, {"x": float("nan"), "y": [1.0, float("inf")]})
        assert s.get_results(run_id) == {"x": None, "y": [1.0, None]}


def test_numpy_and_pandas_values_are_stored_as_json(tmp_path: Path) -> None:
    import numpy as np
    import pandas as pd

    frame = pd.DataFrame({"iso3": ["DEU", "POL"], "target": np.array([50, 40], dtype=np.int64)})
    with RunStore(tmp_path / "runs.duckdb") as s:
        run_id = s.create_run({})
        s.save_results(
            run_id, {"n": np.int64(3), "v": np.array([1.5, 2.5]), "ok": np.bool_(True), "t": frame}
        )
        assert s.get_results(run_id) == {
            "n": 3,
            "v": [1.5, 2.5],
            "ok": True,
            "t": [{"iso3": "DEU", "target": 50}, {"iso3": "POL", "target": 40}],
        }
        assert s.table_names(run_id) == ["t"]
