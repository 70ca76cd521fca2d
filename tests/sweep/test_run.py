"""Sweeps are reproducible: same seed, same numbers, whatever executor and workers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from gbad.errors import GbadInputError
from gbad.scenario import Scenario
from gbad.sweep.executors import (
    DaskExecutor,
    LocalExecutor,
    SerialExecutor,
    make_executor,
    parse_dask_address,
)
from gbad.sweep.params import discover_params
from gbad.sweep.run import design_matrix, run_sweep, sample_seeds
from tests.sweep.fixtures import tiny_reference, tiny_reference_for, toy_model

SAMPLES = 24


def _sweep(executor: object, **kw: object) -> pd.DataFrame:
    result = run_sweep(
        Scenario(),
        samples=SAMPLES,
        seed=11,
        executor=executor,  # type: ignore[arg-type]
        model=toy_model,
        reference=tiny_reference_for,
        **kw,  # type: ignore[arg-type]
    )
    return result.table()


@pytest.fixture(scope="module")
def serial_table() -> pd.DataFrame:
    return _sweep("serial")


def test_sample_i_gets_child_i_of_the_seed_sequence(serial_table: pd.DataFrame) -> None:
    children = np.random.SeedSequence(11).spawn(SAMPLES)
    expected = [np.random.default_rng(c).random() for c in children]
    assert serial_table["noise"].tolist() == expected
    assert [s.spawn_key for s in sample_seeds(11, 3)] == [(0,), (1,), (2,)]


def test_sampled_values_reach_the_model(serial_table: pd.DataFrame) -> None:
    # toy_model: cost = 2 * patriot + 3 * iris-t-slm fire-unit cost, scaled by the GBAD share.
    t = serial_table
    share = t["scenario.budget.gbad_share_of_core_pct"] / 6.0
    expected = (
        2 * t["systems.patriot.fire_unit_cost_musd"]
        + 3 * t["systems.iris-t-slm.fire_unit_cost_musd"]
    ) * share
    np.testing.assert_allclose(t["cost_musd"], expected, rtol=1e-12)
    assert t["cost_musd"].nunique() == SAMPLES


@pytest.mark.parametrize("workers", [1, 2])
def test_local_pool_matches_serial(serial_table: pd.DataFrame, workers: int) -> None:
    pd.testing.assert_frame_equal(_sweep("local", workers=workers), serial_table)


def test_dask_local_cluster_matches_serial(serial_table: pd.DataFrame) -> None:
    with DaskExecutor(workers=2, chunk_size=5) as ex:
        assert ex.workers == 2
        pd.testing.assert_frame_equal(_sweep(ex), serial_table)


def test_design_depends_only_on_seed() -> None:
    params = discover_params(Scenario(), tiny_reference())
    a = design_matrix(params, 16, 5)
    assert np.array_equal(a, design_matrix(params, 16, 5))
    assert not np.array_equal(a, design_matrix(params, 16, 6))
    lows = np.array([p.low for p in params])
    highs = np.array([p.high for p in params])
    assert np.all((a >= lows) & (a <= highs))


def test_saltelli_design_size_and_budget() -> None:
    params = discover_params(Scenario(), tiny_reference())
    d = len(params)
    x = design_matrix(params, 10 * (d + 2), 5, method="sobol")
    assert x.shape == (8 * (d + 2), d)  # the largest power of two base that fits
    with pytest.raises(GbadInputError, match="samples"):
        design_matrix(params, d, 5, method="sobol")


def _square(x: int) -> int:
    return x * x


def _reject_all(scenario: object, ref: object, rng: object) -> dict[str, float]:
    raise GbadInputError("overrides", "rejected")


_CALLS: list[int] = []


def _fail_some(scenario: object, ref: object, rng: object) -> dict[str, float]:
    _CALLS.append(1)
    if len(_CALLS) % 3 == 2:
        raise GbadInputError("overrides", "rejected")
    if len(_CALLS) % 3 == 0:
        return {"x": 1 / 0}
    return {"x": 1.0}


def test_executors_keep_item_order_and_progress() -> None:
    events: list[tuple[str, int]] = []

    class Sink:
        def start(self, total: int, description: str) -> None:
            events.append(("start", total))

        def advance(self, n: int) -> None:
            events.append(("advance", n))

        def stop(self) -> None:
            events.append(("stop", 0))

    items = list(range(23))
    for ex in (SerialExecutor(), LocalExecutor(2, chunk_size=4)):
        with ex:
            events.clear()
            assert ex.map(_square, items, Sink()) == [i * i for i in items]
            assert events[0] == ("start", 23) and events[-1] == ("stop", 0)
            assert sum(n for e, n in events if e == "advance") == 23


def test_failed_samples_are_recorded_not_raised() -> None:
    result = run_sweep(
        Scenario(),
        samples=4,
        seed=1,
        executor="serial",
        model=_fail_some,
        reference=tiny_reference_for,
    )
    errors = result.outputs["error"].tolist()
    assert errors[0] == "" and result.outputs["x"].iloc[0] == 1.0
    assert "rejected" in errors[1] and errors[2].startswith("ZeroDivisionError")
    with pytest.raises(RuntimeError, match="every sample failed"):
        run_sweep(
            Scenario(),
            samples=2,
            seed=1,
            executor="serial",
            model=_reject_all,
            reference=tiny_reference_for,
        )


@pytest.mark.parametrize(
    ("spec", "workers", "flag"),
    [
        ("threads", None, "executor"),
        ("dask://", None, "executor"),
        ("dask://host", None, "executor"),
        ("dask://host:99999", None, "executor"),
        ("dask://host:port", None, "executor"),
        ("local", 0, "workers"),
    ],
)
def test_bad_executors_name_the_parameter(spec: str, workers: int | None, flag: str) -> None:
    with pytest.raises(GbadInputError) as exc:
        make_executor(spec, workers)
    assert exc.value.field == flag


def test_dask_addresses() -> None:
    assert parse_dask_address("dask://127.0.0.1:8786") == "tcp://127.0.0.1:8786"
    assert parse_dask_address("dask://scheduler.svc:8786/") == "tcp://scheduler.svc:8786"
    assert parse_dask_address("dask://[::1]:8786") == "tcp://[::1]:8786"
