"""Batches of raids: equal, draw for draw, to one ``simulate_raid`` call per raid."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gbad.engage import Doctrine, FireUnit, Raid, simulate_raid, simulate_raids_batch
from gbad.engage.batch import draw_batch, run_raid_batch_arrays, unit_sets
from gbad.engage.layered import raid_batch_lists, raid_batch_scalar
from tests.engage.test_raid import _defence

CLASSES = ("drone", "cruise", "ballistic")


def _raids(rng: np.random.Generator, n: int) -> list[Raid]:
    return [
        Raid(dict(zip(CLASSES, map(int, rng.integers(0, [40, 8, 4])), strict=True)), 900.0)
        for _ in range(n)
    ]


def _layers(i: int) -> list[list[FireUnit]]:
    """Defences that differ from raid to raid: all, outer only, inner only, none."""
    full = _defence()
    return [full, full[:1], full[1:], []][i % 4]


@pytest.mark.parametrize("engine", ["numpy", "numba"])
@pytest.mark.parametrize("mode", ["shoot-shoot", "shoot-look-shoot"])
def test_batch_equals_one_simulate_raid_per_raid(engine: str, mode: str) -> None:
    raids = _raids(np.random.default_rng(1), 9)
    layers = [_layers(i) for i in range(9)]
    doctrine = Doctrine({"drone": 1, "cruise": 2, "ballistic": 2}, mode=mode)  # type: ignore[arg-type]
    batch = simulate_raids_batch(
        raids, layers, doctrine, rng=np.random.default_rng(5), engine=engine
    )
    rng = np.random.default_rng(5)
    for i, (raid, defence) in enumerate(zip(raids, layers, strict=True)):
        one = simulate_raid(raid, defence, doctrine, trials=1, rng=rng, engine=engine)
        assert batch.leakers[i].tolist() == [one.leakers_per_trial[c][0] for c in CLASSES]
        for s, per_trial in one.interceptors_used_per_trial.items():
            assert batch.interceptors_used[i, batch.systems.index(s)] == per_trial[0]
    assert batch.leakers.sum() > 0


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 2**32), stock=st.integers(0, 30), n_items=st.integers(1, 6))
def test_shared_pools_carry_the_stock_from_item_to_item(
    seed: int, stock: int, n_items: int
) -> None:
    """Items sharing pools equal the same raids run one by one, each on what the
    previous left; the numba and list kernels agree."""
    rng = np.random.default_rng(seed)
    raids = _raids(rng, n_items)
    defence = _defence()
    doctrine = Doctrine({"drone": 1, "cruise": 2, "ballistic": 2})
    flat = unit_sets([(defence, [0, 1, 2])], CLASSES)
    counts = np.array([[r.counts[c] for c in CLASSES] for r in raids])
    items = np.zeros(n_items, dtype=np.int64)
    outs = []
    for engine in ("numpy", "numba"):
        gen = np.random.default_rng(seed + 1)
        draws = draw_batch(gen, counts, items + flat.n_layers(0), 2, 900.0, engine)
        pools = np.full(3, stock, dtype=np.int64)
        leak, used = run_raid_batch_arrays(
            engine, *draws, counts.sum(axis=1), items, items, flat, np.array([1, 2, 2]), 2, 1, pools
        )
        outs.append((leak, used, pools))
    for a, b in zip(*outs, strict=True):
        np.testing.assert_array_equal(a, b)
    leak, used, pools = outs[0]
    np.testing.assert_array_equal(pools, stock - used)  # conservation per pool
    # One by one: each raid on its own, magazines equal to what is left.
    left = [stock] * 3
    gen = np.random.default_rng(seed + 1)
    for i, raid in enumerate(raids):
        units = [u for layer in defence for u in layer]
        mags = [
            FireUnit(
                **{
                    **u.__dict__,
                    "magazine": left[k],
                    "count": 1,
                    "channels": u.channels * u.count,
                    "ready_rounds": u.ready_rounds * u.count,
                }
            )
            for k, u in enumerate(units)
        ]
        layers = [mags[:1], mags[1:]]
        one = simulate_raid(raid, layers, doctrine, trials=1, rng=gen)
        assert leak[i].tolist() == [one.leakers_per_trial[c][0] for c in CLASSES]
        for k, u in enumerate(mags):
            left[k] -= int(one.interceptors_used_per_trial[u.system][0])
    assert left == pools.tolist()


def test_batch_kernels_identical_on_the_same_draws(monkeypatch: pytest.MonkeyPatch) -> None:
    """The numba-compiled batch kernel and its list version, uncompiled scalar too."""
    from gbad.engage.layered import _numba_batch_kernel

    raids = _raids(np.random.default_rng(3), 6)
    flat = unit_sets([(_defence(), [0, 1, 2]), (_defence()[1:], [1, 2])], CLASSES)
    counts = np.array([[r.counts[c] for c in CLASSES] for r in raids])
    sets = np.arange(6) % 2
    draws = draw_batch(np.random.default_rng(4), counts, 2 - sets, 2, 900.0)
    outs = []
    for kernel in (raid_batch_scalar, raid_batch_lists, _numba_batch_kernel()):
        pools = np.full(9, 12, dtype=np.int64)
        monkeypatch.setattr("gbad.engage.batch.batch_kernel", lambda _engine, k=kernel: k)
        leak, used = run_raid_batch_arrays(
            "numpy",
            *draws,
            counts.sum(axis=1),
            sets,
            3 * (np.arange(6) % 3),
            flat,
            np.array([1, 2, 2]),
            2,
            0,
            pools,
        )
        outs.append((leak, used, pools))
    for out in outs[1:]:
        for a, b in zip(out, outs[0], strict=True):
            np.testing.assert_array_equal(a, b)
    assert outs[0][1].sum() > 0


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 2**32),
    counts=st.lists(st.lists(st.integers(0, 40), min_size=3, max_size=3), max_size=6),
    layers=st.integers(0, 3),
    duration=st.sampled_from([0.0, 900.0]),
    pre=st.integers(0, 3),
)
def test_compiled_draws_equal_the_generator_calls(
    seed: int, counts: list[list[int]], layers: int, duration: float, pre: int
) -> None:
    """Draws from raw outputs equal Generator.permuted/random, item by item, and leave
    the generator in the same state (also with a buffered 32-bit half)."""
    from gbad.engage.batch import draw_raid
    from gbad.engage.draws import draws_from_raw

    arr = np.array(counts, dtype=np.int64).reshape(len(counts), 3)
    n_layers = np.full(len(counts), layers, dtype=np.int64)
    a, b = np.random.default_rng(seed), np.random.default_rng(seed)
    for g in (a, b):
        g.integers(0, 7, size=pre)  # odd numbers of 32-bit draws leave a half buffered
    parts = [draw_raid(a, arr[i], duration, layers, 2) for i in range(len(counts))]
    got = draw_batch(b, arr, n_layers, 2, duration, "numba")
    for k in range(3):
        want = np.concatenate([p[k] for p in parts]) if parts else np.zeros(0)
        np.testing.assert_array_equal(got[k], want)
    assert a.bit_generator.state == b.bit_generator.state
    assert a.random() == b.random()
    # The uncompiled source gives the same draws.
    c = np.random.default_rng(seed)
    c.integers(0, 7, size=pre)
    state = c.bit_generator.state
    n, m = arr.sum(), arr.sum() * max(1, layers) * 2
    out = (np.zeros(n), np.zeros(n, dtype=np.int64), np.zeros(m))
    raw = c.bit_generator.random_raw(4 * n + m + 64)
    used, _, _ = draws_from_raw(
        raw, state["has_uint32"], np.uint64(state["uinteger"]), arr, n_layers, 2, duration, *out
    )
    assert used >= 0
    for k in range(3):
        np.testing.assert_array_equal(out[k], got[k])


def test_draw_batch_draws_again_when_the_raw_block_runs_out(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A raw block too short for the shuffle's rejections: drawn again, same draws."""
    from gbad.engage import draws
    from gbad.engage.batch import draw_raid

    real = draws.numba_draws()
    sizes: list[int] = []

    def short_first(raw: np.ndarray, *args: object) -> tuple[int, int, np.uint64]:
        sizes.append(raw.size)
        return real(raw[: raw.size // 8] if len(sizes) == 1 else raw, *args)

    monkeypatch.setattr(draws, "numba_draws", lambda: short_first)
    counts = np.array([[30, 5, 2], [0, 3, 1]])
    a, b = np.random.default_rng(8), np.random.default_rng(8)
    got = draw_batch(a, counts, np.array([2, 1]), 2, 900.0, "numba")
    parts = [draw_raid(b, counts[i], 900.0, [2, 1][i], 2) for i in range(2)]
    for k in range(3):
        np.testing.assert_array_equal(got[k], np.concatenate([p[k] for p in parts]))
    assert len(sizes) == 2 and sizes[1] == 2 * sizes[0]
    assert a.bit_generator.state == b.bit_generator.state
