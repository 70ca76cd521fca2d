"""Batches of raids: item by item on the same draws, pools carried, draws distributed right."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gbad.engage import Doctrine, FireUnit, Raid, simulate_raid, simulate_raids_batch
from gbad.engage.batch import draw_batch, run_raid_batch_arrays, unit_sets
from tests.engage.test_raid import _assert_same_distribution, _defence

CLASSES = ("drone", "cruise", "ballistic")
SHOTS = np.array([1, 2, 2])


def _raids(rng: np.random.Generator, n: int) -> list[Raid]:
    return [
        Raid(dict(zip(CLASSES, map(int, rng.integers(0, [40, 8, 4])), strict=True)), 900.0)
        for _ in range(n)
    ]


def _layers(i: int) -> list[list[FireUnit]]:
    """Defences that differ from raid to raid: all, outer only, inner only, none."""
    full = _defence()
    return [full, full[:1], full[1:], []][i % 4]


def _slices(counts: np.ndarray, n_layers: np.ndarray, kmax: int) -> list[tuple[slice, slice]]:
    """Each item's threats and uniforms in the flat draws."""
    n = counts.sum(axis=1)
    m = n * np.maximum(n_layers, 1) * kmax
    t0, m0 = np.concatenate([[0], np.cumsum(n)]), np.concatenate([[0], np.cumsum(m)])
    return [(slice(t0[i], t0[i + 1]), slice(m0[i], m0[i + 1])) for i in range(len(n))]


@settings(max_examples=20, deadline=None)
@given(
    seed=st.integers(0, 2**32),
    stock=st.integers(0, 30),
    n_items=st.integers(1, 6),
    engine=st.sampled_from(["numpy", "numba"]),
    mode=st.integers(0, 1),
)
def test_shared_pools_carry_the_stock_from_item_to_item(
    seed: int, stock: int, n_items: int, engine: str, mode: int
) -> None:
    """Items sharing pools equal the same items run one call each, on the same draws,
    each starting from the pools the previous left (per engine)."""
    rng = np.random.default_rng(seed)
    raids = _raids(rng, n_items)
    flat = unit_sets([(_defence(), [0, 1, 2])], CLASSES)
    counts = np.array([[r.counts[c] for c in CLASSES] for r in raids])
    items = np.zeros(n_items, dtype=np.int64)
    n_layers = items + flat.n_layers(0)
    draws = draw_batch(np.random.default_rng(seed + 1), counts, n_layers, 2, 900.0)
    pools = np.full(3, stock, dtype=np.int64)
    leak, used = run_raid_batch_arrays(
        engine, *draws, counts.sum(axis=1), items, items, flat, SHOTS, 2, mode, pools
    )
    np.testing.assert_array_equal(pools, stock - used)  # conservation per pool
    one_by_one = np.full(3, stock, dtype=np.int64)
    for i, (ts, us) in enumerate(_slices(counts, n_layers, 2)):
        leak_i, _ = run_raid_batch_arrays(
            engine,
            draws[0][ts],
            draws[1][ts],
            draws[2][us],
            counts[i : i + 1].sum(axis=1),
            items[:1],
            items[:1],
            flat,
            SHOTS,
            2,
            mode,
            one_by_one,
        )
        np.testing.assert_array_equal(leak_i[0], leak[i])
    np.testing.assert_array_equal(one_by_one, pools)


@pytest.mark.parametrize("engine", ["numpy", "numba"])
def test_items_of_different_sets_and_pools_run_as_if_alone(engine: str) -> None:
    """Six raids, two unit sets, pools shared by some items: each item's leakers equal
    a run of that item alone on its draws and on the pools as left by the items
    before it that share them."""
    raids = _raids(np.random.default_rng(3), 6)
    flat = unit_sets([(_defence(), [0, 1, 2]), (_defence()[1:], [1, 2])], CLASSES)
    counts = np.array([[r.counts[c] for c in CLASSES] for r in raids])
    sets = np.arange(6) % 2
    offsets = 3 * (np.arange(6) % 3)
    n_layers = 2 - sets
    draws = draw_batch(np.random.default_rng(4), counts, n_layers, 2, 900.0)
    pools = np.full(9, 12, dtype=np.int64)
    leak, used = run_raid_batch_arrays(
        engine, *draws, counts.sum(axis=1), sets, offsets, flat, SHOTS, 2, 0, pools
    )
    alone = np.full(9, 12, dtype=np.int64)
    for i, (ts, us) in enumerate(_slices(counts, n_layers, 2)):
        leak_i, _ = run_raid_batch_arrays(
            engine,
            draws[0][ts],
            draws[1][ts],
            draws[2][us],
            counts[i : i + 1].sum(axis=1),
            sets[i : i + 1],
            offsets[i : i + 1],
            flat,
            SHOTS,
            2,
            0,
            alone,
        )
        np.testing.assert_array_equal(leak_i[0], leak[i])
    np.testing.assert_array_equal(alone, pools)
    assert used.sum() > 0


def test_batch_and_simulate_raid_agree_in_distribution() -> None:
    """One realisation per raid in batches against ``simulate_raid`` trials of the
    same raid (numba engine, independent draws): same distribution of leakers and
    interceptors (tolerances of tests.engage.test_raid)."""
    raid = Raid({"drone": 30, "cruise": 6, "ballistic": 3}, 900.0)
    doctrine = Doctrine({"drone": 1, "cruise": 2, "ballistic": 2})
    n = 2000
    batch = simulate_raids_batch(
        [raid] * n, [_defence()] * n, doctrine, rng=np.random.default_rng(5), engine="numba"
    )
    trials = simulate_raid(
        raid, _defence(), doctrine, trials=n, rng=np.random.default_rng(6), engine="numba"
    )
    for k, c in enumerate(CLASSES):
        _assert_same_distribution(batch.leakers[:, k], trials.leakers_per_trial[c], c)
    for s, per_trial in trials.interceptors_used_per_trial.items():
        _assert_same_distribution(batch.interceptors_used[:, batch.systems.index(s)], per_trial, s)


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 2**32),
    counts=st.lists(st.lists(st.integers(0, 40), min_size=3, max_size=3), max_size=6),
    layers=st.integers(0, 3),
    duration=st.sampled_from([0.0, 900.0]),
)
def test_draw_batch_shapes_and_reproducibility(
    seed: int, counts: list[list[int]], layers: int, duration: float
) -> None:
    """Each item's classes are its counts in some order, its times sorted in the
    window; the uniforms are as many as the kernel reads; the same generator state
    gives the same draws whatever the engine argument."""
    arr = np.array(counts, dtype=np.int64).reshape(len(counts), 3)
    n_layers = np.full(len(counts), layers, dtype=np.int64)
    times, cls, u = draw_batch(np.random.default_rng(seed), arr, n_layers, 2, duration)
    again = draw_batch(np.random.default_rng(seed), arr, n_layers, 2, duration, "numba")
    for x, y in zip((times, cls, u), again, strict=True):
        np.testing.assert_array_equal(x, y)
    assert u.size == arr.sum() * max(1, layers) * 2
    assert ((u >= 0) & (u < 1)).all()
    for ts, _ in _slices(arr, n_layers, 2):
        i = len([s for s in _slices(arr, n_layers, 2) if s[0].start < ts.start])
        np.testing.assert_array_equal(np.bincount(cls[ts], minlength=3), arr[i])
        assert (np.diff(times[ts]) >= 0).all()
        assert ((times[ts] >= 0) & (times[ts] <= duration)).all()


def test_draw_batch_orders_classes_uniformly() -> None:
    """Two threats of two classes per item: the first is class 0 with probability
    1/2. 20,000 items: SE = sqrt(0.25 / 20000) = 0.0035; 4.5 SE = 0.016. Arrival
    times are uniform: their mean is duration/2 within 4.5 SE (SE = 900 /
    sqrt(12 * 40000) = 1.30 s)."""
    n = 20_000
    counts = np.tile([1, 1], (n, 1))
    times, cls, _ = draw_batch(np.random.default_rng(1), counts, np.ones(n, int), 1, 900.0)
    first = cls[0::2]
    assert abs(np.mean(first == 0) - 0.5) <= 4.5 * math.sqrt(0.25 / n)
    assert abs(times.mean() - 450.0) <= 4.5 * 900.0 / math.sqrt(12 * 2 * n)


@pytest.mark.parametrize("engine", ["numpy", "numba"])
def test_raids_without_any_defence_all_leak(engine: str) -> None:
    raids = _raids(np.random.default_rng(7), 4)
    batch = simulate_raids_batch(
        raids, [[]] * 4, Doctrine({}), rng=np.random.default_rng(8), engine=engine
    )
    want = [[r.counts[c] for c in CLASSES] for r in raids]
    assert batch.leakers.tolist() == want
    mixed = simulate_raids_batch(
        raids, [[], _defence(), [], []], Doctrine({}), rng=np.random.default_rng(8), engine=engine
    )
    assert mixed.leakers[[0, 2, 3]].tolist() == [want[0], want[2], want[3]]
