"""Batches of raids: equal, draw for draw, to one ``simulate_raid`` call per raid."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gbad.engage import Doctrine, FireUnit, Raid, simulate_raid, simulate_raids_batch
from gbad.engage.batch import BatchDraws, run_raid_batch, unit_sets
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
    outs = []
    for engine in ("numpy", "numba"):
        draws = BatchDraws.empty()
        gen = np.random.default_rng(seed + 1)
        for raid in raids:
            draws.add(
                gen, [raid.counts[c] for c in CLASSES], raid.duration_s, flat.n_layers(0), 0, 0, 2
            )
        pools = np.full(3, stock, dtype=np.int64)
        leak, used = run_raid_batch(engine, draws, flat, np.array([1, 2, 2]), 2, 1, pools)
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
    draws = BatchDraws.empty()
    gen = np.random.default_rng(4)
    for i, raid in enumerate(raids):
        draws.add(
            gen,
            [raid.counts[c] for c in CLASSES],
            raid.duration_s,
            flat.n_layers(i % 2),
            i % 2,
            3 * (i % 3),
            2,
        )
    outs = []
    for kernel in (raid_batch_scalar, raid_batch_lists, _numba_batch_kernel()):
        pools = np.full(9, 12, dtype=np.int64)
        monkeypatch.setattr("gbad.engage.batch.batch_kernel", lambda _engine, k=kernel: k)
        leak, used = run_raid_batch("numpy", draws, flat, np.array([1, 2, 2]), 2, 0, pools)
        outs.append((leak, used, pools))
    for out in outs[1:]:
        for a, b in zip(out, outs[0], strict=True):
            np.testing.assert_array_equal(a, b)
    assert outs[0][1].sum() > 0
