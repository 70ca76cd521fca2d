"""Raids against layered defences: Monte Carlo (:func:`simulate_raid`) and mean field.

See :mod:`gbad.engage.layered` for the model the Monte Carlo kernel implements.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np

from gbad.engage.batch import random_arrivals
from gbad.engage.closed_forms import erlang_b, salvo_kill_probability, sls_expected_shots
from gbad.engage.layered import F64, I64, UnitArrays, run_raid_kernel
from gbad.engage.model import Doctrine, ExpectedRaidOutcome, FireUnit, Raid, RaidResult

__all__ = ["expected_raid_outcome", "simulate_raid"]

#: Upper bound on the uniforms drawn per chunk of trials (floats), to bound memory.
_CHUNK_FLOATS = 4_000_000


def _classes(raid: Raid) -> list[str]:
    return list(raid.counts)


def unit_arrays(layers: Sequence[Sequence[FireUnit]], classes: Sequence[str]) -> UnitArrays:
    """Flatten ``layers`` into the kernel's arrays (count units pooled)."""
    flat = [unit for layer in layers for unit in layer]
    starts = [0]
    for layer in layers:
        starts.append(starts[-1] + len(layer))
    stock = [unit.magazine * unit.count for unit in flat]
    return UnitArrays(
        layer_start=np.array(starts, dtype=np.int64),
        pk=np.array(
            [[float(unit.pk.get(c, 0.0)) for c in classes] for unit in flat], dtype=np.float64
        ).reshape(len(flat), len(classes)),
        stock=np.array(stock, dtype=np.int64),
        ready_cap=np.array(
            [
                unit.ready_rounds * unit.count if unit.ready_rounds > 0 else s
                for unit, s in zip(flat, stock, strict=True)
            ],
            dtype=np.int64,
        ),
        channels=np.array([unit.channels * unit.count for unit in flat], dtype=np.int64),
        engagement_time_s=np.array([u.engagement_time_s for u in flat], dtype=np.float64),
        reload_time_s=np.array([u.reload_time_s for u in flat], dtype=np.float64),
        window_s=np.array([u.engagement_window_s for u in flat], dtype=np.float64),
    )


def _arrivals(
    raid: Raid, classes: Sequence[str], n_trials: int, rng: np.random.Generator
) -> tuple[F64, I64]:
    base = np.repeat(np.arange(len(classes), dtype=np.int64), [raid.counts[c] for c in classes])
    n = base.size
    if raid.arrival_times_s is not None:
        fixed = np.concatenate(
            [np.asarray(raid.arrival_times_s[c], dtype=np.float64) for c in classes]
            or [np.zeros(0)]
        )
        order = np.argsort(fixed, kind="stable")
        times = np.broadcast_to(fixed[order], (n_trials, n)).copy()
        cls = np.broadcast_to(base[order], (n_trials, n)).copy()
        return times, cls
    return random_arrivals([raid.counts[c] for c in classes], raid.duration_s, n_trials, rng)


def simulate_raid(
    raid: Raid,
    layers: Sequence[Sequence[FireUnit]],
    doctrine: Doctrine,
    *,
    trials: int,
    rng: np.random.Generator,
    engine: str = "numpy",
    interceptor_cost_musd: Mapping[str, float] | None = None,
) -> RaidResult:
    """Monte Carlo of a raid against a layered defence.

    Parameters
    ----------
    raid : Raid
        Threat counts per class and their arrival process.
    layers : sequence of sequences of FireUnit
        Layers ordered outer to inner; leakers of a layer meet the next one.
    doctrine : Doctrine
        Shots per class and firing mode.
    trials : int
        Independent realisations (``1`` gives one realisation, e.g. one night).
    rng : numpy.random.Generator
        The only source of randomness; the same state reproduces the result.
    engine : {"numpy", "numba"}
        Kernel; both give identical numbers for the same generator state.
    interceptor_cost_musd : mapping of str to float, optional
        Unit cost per system [MUSD], for the cost-exchange ratio.

    Returns
    -------
    RaidResult
        Leakers per class, interceptors per system, costs, per-trial arrays.
    """
    if trials < 1:
        raise ValueError(f"trials must be >= 1, got {trials}")
    if engine not in ("numpy", "numba"):
        raise ValueError(f"engine must be 'numpy' or 'numba', got {engine!r}")
    classes = _classes(raid)
    units = unit_arrays(layers, classes)
    flat = [unit for layer in layers for unit in layer]
    shots = np.array([doctrine.shots_for(c) for c in classes], dtype=np.int64)
    kmax = max(1, int(shots.max()) if shots.size else 1)
    mode = 0 if doctrine.mode == "shoot-shoot" else 1
    n = raid.total
    n_layers = len(layers)
    per_trial = max(1, n * max(1, n_layers) * kmax + n)
    chunk = max(1, min(trials, _CHUNK_FLOATS // per_trial))
    leak_parts, used_parts = [], []
    done = 0
    while done < trials:
        b = min(chunk, trials - done)
        times, cls = _arrivals(raid, classes, b, rng)
        u = rng.random((n, b, max(1, n_layers), kmax))
        leak, used = run_raid_kernel(engine, times, cls, u, units, shots, mode, len(classes))
        leak_parts.append(leak)
        used_parts.append(used)
        done += b
    leak_all = leak_parts[0] if len(leak_parts) == 1 else np.concatenate(leak_parts)
    used_all = used_parts[0] if len(used_parts) == 1 else np.concatenate(used_parts)
    return _summarise(raid, classes, flat, leak_all, used_all, interceptor_cost_musd, rng, engine)


def _summarise(  # noqa: PLR0917 - private helper of simulate_raid
    raid: Raid,
    classes: Sequence[str],
    flat: Sequence[FireUnit],
    leak_all: I64,
    used_all: I64,
    interceptor_cost_musd: Mapping[str, float] | None,
    rng: np.random.Generator,
    engine: str,
) -> RaidResult:
    """Statistics over trials, computed with one array operation per quantity."""
    trials = leak_all.shape[0]
    systems = list(dict.fromkeys(unit.system for unit in flat))
    sys_index = {s: i for i, s in enumerate(systems)}
    onehot = np.zeros((len(flat), len(systems)), dtype=np.int64)
    for i, unit in enumerate(flat):
        onehot[i, sys_index[unit.system]] = 1
    used_sys = used_all @ onehot  # (T, systems)
    costs = interceptor_cost_musd or {}
    cost_vec = np.array([float(costs.get(s, 0.0)) for s in systems])
    threat_cost = np.array([float(raid.threat_cost_musd.get(c, 0.0)) for c in classes])
    counts = np.array([raid.counts[c] for c in classes], dtype=np.float64)
    leak_mean = leak_all.mean(axis=0)
    leak_std = leak_all.std(axis=0) if trials > 1 else np.zeros(len(classes))
    used_mean = used_sys.mean(axis=0)
    cost_mean = float(used_mean @ cost_vec)
    value_mean = float((counts - leak_mean) @ threat_cost)
    seed_seq = getattr(rng.bit_generator, "seed_seq", None)
    return RaidResult(
        leakers_mean=dict(zip(classes, leak_mean.tolist(), strict=True)),
        leakers_std=dict(zip(classes, leak_std.tolist(), strict=True)),
        p_zero_leakers=float(np.count_nonzero(leak_all.sum(axis=1) == 0) / trials),
        interceptors_used_mean=dict(zip(systems, used_mean.tolist(), strict=True)),
        interceptor_cost_musd_mean=cost_mean,
        threat_value_destroyed_musd_mean=value_mean,
        cost_exchange_ratio=cost_mean / value_mean if value_mean > 0 else math.nan,
        trials=trials,
        seed={
            "bit_generator": type(rng.bit_generator).__name__,
            "entropy": getattr(seed_seq, "entropy", None),
            "spawn_key": list(getattr(seed_seq, "spawn_key", ())),
        },
        leakers_per_trial={c: leak_all[:, j] for j, c in enumerate(classes)},
        interceptors_used_per_trial={s: used_sys[:, j] for j, s in enumerate(systems)},
        engine=engine,
    )


def expected_raid_outcome(
    raid: Raid,
    layers: Sequence[Sequence[FireUnit]],
    doctrine: Doctrine,
    *,
    interceptor_cost_musd: Mapping[str, float] | None = None,
) -> ExpectedRaidOutcome:
    r"""Mean-field outcome of a raid: expected values, no randomness, microseconds.

    Layer by layer (outer to inner), the expected threats of class :math:`c`
    reaching the layer, :math:`n_c`, are:

    1. thinned by channel saturation: the engaged fraction is
       :math:`1 - B(A, C)` with Erlang B, offered load
       :math:`A = \lambda \bar S`, :math:`\lambda = \sum_c n_c / T` the arrival
       rate over the raid duration :math:`T`, :math:`\bar S` the mean engagement time
       and :math:`C` the layer's channels (with :math:`T = 0`: :math:`\min(1, C/n)`);
    2. offered to the unit with the best Pk for their class; a unit whose stock
       :math:`M_v` is below the expected demand :math:`D_v = \sum_c n_c s_c` (shots
       per engagement :math:`s_c = K` shoot-shoot, :math:`(1-(1-p)^K)/p`
       shoot-look-shoot) serves the fraction :math:`M_v / D_v` and passes the rest to
       its next-best unit in the layer;
    3. killed with :math:`1 - (1 - p)^K` per engaged threat.

    Exact (``exact=True`` in the result) when magazines and channels never bind:
    then leakers of each layer are binomial and the expectations are those of the
    Monte Carlo model. Otherwise an approximation (Erlang B is the steady-state loss
    of an infinite stream; the stock rationing is proportional, not in arrival order).
    Reload pauses are ignored.
    """
    classes = _classes(raid)
    n_c = {c: float(raid.counts[c]) for c in classes}
    used: dict[str, float] = {}
    exact = True
    for layer in layers:
        total = sum(n_c.values())
        if total <= 0:
            continue
        channels = sum(unit.channels * unit.count for unit in layer)
        if channels == 0:
            continue
        if raid.duration_s > 0:
            mean_s = float(np.mean([unit.engagement_time_s for unit in layer]))
            load = total / raid.duration_s * mean_s
            engaged_frac = 1.0 - erlang_b(load, channels)
        else:
            engaged_frac = min(1.0, channels / total)
        if engaged_frac < 1.0 - 1e-12:
            exact = False
        pending = {c: n_c[c] * engaged_frac for c in classes}
        stock = [float(unit.magazine * unit.count) for unit in layer]
        survivors = {c: n_c[c] - pending[c] for c in classes}
        for _ in range(len(layer)):
            # Offer each class's pending threats to its best unit with stock left.
            demand: dict[int, dict[str, float]] = {}
            for c in classes:
                if pending[c] <= 0 or doctrine.shots_for(c) == 0:
                    survivors[c] += pending[c]
                    pending[c] = 0.0
                    continue
                ranked = sorted(
                    (
                        (-layer[i].pk.get(c, 0.0), i)
                        for i in range(len(layer))
                        if layer[i].pk.get(c, 0.0) > 0 and stock[i] > 0
                    ),
                )
                if not ranked:
                    survivors[c] += pending[c]
                    pending[c] = 0.0
                    continue
                demand.setdefault(ranked[0][1], {})[c] = pending[c]
            if not demand:
                break
            for i, per_class in demand.items():
                unit = layer[i]
                shots_needed = {
                    c: _shots_per_engagement(unit.pk.get(c, 0.0), doctrine.shots_for(c), doctrine)
                    for c in per_class
                }
                need = sum(per_class[c] * shots_needed[c] for c in per_class)
                frac = 1.0 if need <= stock[i] else stock[i] / need
                if frac < 1.0:
                    exact = False
                for c, n in per_class.items():
                    served = n * frac
                    pkill = salvo_kill_probability(unit.pk.get(c, 0.0), doctrine.shots_for(c))
                    survivors[c] += served * (1.0 - pkill)
                    pending[c] = n - served
                    fired = served * shots_needed[c]
                    stock[i] -= fired
                    used[unit.system] = used.get(unit.system, 0.0) + fired
                # A unit short of demand has fired all it held: exactly empty, so
                # no rounding residue keeps it ranked first on the next pass.
                stock[i] = 0.0 if frac < 1.0 else max(stock[i], 0.0)
        for c in classes:
            survivors[c] += pending[c]
        n_c = survivors
    for unit in (u for layer in layers for u in layer):
        used.setdefault(unit.system, 0.0)
    costs = interceptor_cost_musd or {}
    cost = sum(v * float(costs.get(s, 0.0)) for s, v in used.items())
    value = sum(
        (raid.counts[c] - n_c[c]) * float(raid.threat_cost_musd.get(c, 0.0)) for c in classes
    )
    return ExpectedRaidOutcome(
        leakers_mean=dict(n_c),
        interceptors_used_mean=used,
        interceptor_cost_musd_mean=cost,
        threat_value_destroyed_musd_mean=value,
        cost_exchange_ratio=cost / value if value > 0 else math.nan,
        exact=exact,
    )


def _shots_per_engagement(pk: float, shots: int, doctrine: Doctrine) -> float:
    if doctrine.mode == "shoot-shoot":
        return float(shots)
    return sls_expected_shots(pk, shots)
