"""Diffs of runs: flattening, labelled records, numeric deltas."""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from gbad.store import diff_documents
from gbad.store.tables import extract_tables, flatten_scalars

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.floats(-1e6, 1e6, allow_nan=False),
    st.text(max_size=5),
)
keys = st.text("abcdefgh", min_size=1, max_size=4)
documents = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(keys, children, max_size=4)
    ),
    max_leaves=30,
)


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(keys, documents, max_size=5))
def test_a_document_does_not_differ_from_itself(doc: dict[str, Any]) -> None:
    assert diff_documents(doc, copy.deepcopy(doc)) == []


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(keys, documents, max_size=5), st.floats(-1e3, 1e3, allow_nan=False))
def test_changing_one_number_reports_exactly_that_path(doc: dict[str, Any], bump: float) -> None:
    """Whatever surrounds it, one changed leaf gives one diff item with its delta."""
    base = {**doc, "probe": {"x": [{"iso3": "DEU", "y": 1.5}]}}
    changed = copy.deepcopy(base)
    changed["probe"]["x"][0]["y"] = 2.5 + abs(bump)
    diff = diff_documents(base, changed)
    assert [d["path"] for d in diff] == ["probe.x[DEU].y"]
    assert diff[0]["delta"] == (2.5 + abs(bump)) - 1.5


def test_records_are_labelled_by_their_key() -> None:
    a = {"t": [{"iso3": "DEU", "target": 50}, {"iso3": "POL", "target": 40}]}
    b = {"t": [{"iso3": "POL", "target": 44}, {"iso3": "DEU", "target": 50}]}  # reordered
    assert diff_documents(a, b) == [
        {"path": "t[POL].target", "a": 40, "b": 44, "delta": 4.0, "rel": 0.1}
    ]


def test_duplicate_labels_compose_keys() -> None:
    doc = {"t": [{"iso3": "DEU", "tier": "long", "n": 1}, {"iso3": "DEU", "tier": "short", "n": 2}]}
    assert flatten_scalars(doc) == {
        "t[DEU/long].iso3": "DEU",
        "t[DEU/long].tier": "long",
        "t[DEU/long].n": 1,
        "t[DEU/short].iso3": "DEU",
        "t[DEU/short].tier": "short",
        "t[DEU/short].n": 2,
    }


def test_long_arrays_are_summarised() -> None:
    grid = [[1.0] * 100 for _ in range(3)]
    assert flatten_scalars({"grid": grid}) == {"grid.len": 3, "grid.sum": 300.0}


def test_keys_on_one_side_only() -> None:
    diff = diff_documents({"a": 1}, {"b": 2})
    assert diff == [{"path": "a", "a": 1, "b": None}, {"path": "b", "a": None, "b": 2}]


def test_float_noise_is_not_a_change() -> None:
    # 0.1 + 0.2 differs from 0.3 by one ulp: summation order, not a model change.
    assert diff_documents({"x": 0.1 + 0.2}, {"x": 0.3}) == []
    assert len(diff_documents({"x": 0.3}, {"x": 0.3001})) == 1


def test_extract_tables_finds_nested_record_lists() -> None:
    doc = {"a": {"rows": [{"k": 1}], "nums": [1, 2]}, "b": [{"k": 2}, {"k": 3}], "c": []}
    assert dict(extract_tables(doc)) == {"a.rows": [{"k": 1}], "b": [{"k": 2}, {"k": 3}]}


def test_run_diff_leaves_out_wall_clock_times() -> None:
    from datetime import datetime

    from gbad.store import RunRecord, diff_records

    def record(run_id: int, seconds: float, target: int) -> RunRecord:
        results = {
            "siting": {"solve_seconds": seconds, "new_units": target},
            "meta": {"timings_s": {"siting": seconds}, "total_s": seconds},
            "scenario": {"name": str(run_id)},
        }
        return RunRecord(
            id=run_id, name=str(run_id), kind="plan", source="python", status="done",
            error=None, created_at=datetime(2026, 1, 1), started_at=None, finished_at=None,
            scenario={"name": str(run_id)}, data_version="d", gbad_version="g", seed=1,
            timings={}, progress=1.0, stage=None, results=results,
        )  # fmt: skip

    same = diff_records(record(1, 0.5, 10), record(2, 0.9, 10))
    assert same["results"] == [] and same["scenario"] == [{"path": "name", "a": "1", "b": "2"}]
    moved = diff_records(record(1, 0.5, 10), record(2, 0.9, 12))
    assert [d["path"] for d in moved["results"]] == ["siting.new_units"]
