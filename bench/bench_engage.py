"""Engagement engine benchmark: gbad side by side with the alternatives, one run.

1. ``gbad engage --threats 100 --pk 0.7 --shots 2 --doctrine shoot-look-shoot
   --trials 1000000`` (end to end, and the kernel alone), against
   a. a plain-Python loop of the same model (timed on fewer trials and scaled),
   b. numpy drawing only the random numbers the kernel consumes (two binomial
      draws per trial), and, for context, the per-shot uniforms a shot-by-shot
      kernel would consume (130 per trial on average).
2. A layered raid (three layers, 230 threats over an hour) with ``simulate_raid``
   (numpy and numba engines) against a SimPy discrete-event implementation of the
   same model; the means must agree within 5 standard errors.

Run: ``.venv/bin/python bench/bench_engage.py`` (add ``--quick`` for a short run).
"""

from __future__ import annotations

import math
import os
import platform
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from gbad.engage import Doctrine, FireUnit, Raid, simulate_raid
from gbad.engage.kernels import unlimited_kernel

ROOT = Path(__file__).resolve().parents[1]
N, PK, K = 100, 0.7, 2


def best_of(fn, repeat: int = 3) -> float:
    """Least CPU time of ``fn`` over ``repeat`` runs [s].

    CPU time (``time.process_time``) rather than wall time, so that other work on a
    shared machine does not inflate the figures; every kernel here is single-threaded.
    """
    times = []
    for _ in range(repeat):
        t0 = time.process_time()
        fn()
        times.append(time.process_time() - t0)
    return min(times)


def child_cpu(cmd: list[str], repeat: int = 3) -> float:
    """Least CPU time (user + system) of a command over ``repeat`` runs [s]."""
    best = math.inf
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run(cmd, check=True, capture_output=True)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        best = min(best, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime))
    return best


def plain_python_sls(trials: int, seed: int) -> tuple[float, float]:
    """The model shot by shot: each threat gets up to K shots until a kill."""
    rnd = random.Random(seed)
    leak_total = used_total = 0
    for _ in range(trials):
        for _ in range(N):
            for _ in range(K):
                used_total += 1
                if rnd.random() < PK:
                    break
            else:
                leak_total += 1
    return leak_total / trials, used_total / trials


def bench_single(trials: int) -> dict[str, float]:
    gbad = str(ROOT / ".venv" / "bin" / "gbad")
    cmd = [
        gbad,
        "engage",
        "--threats",
        str(N),
        "--pk",
        str(PK),
        "--shots",
        str(K),
        "--doctrine",
        "shoot-look-shoot",
        "--trials",
        str(trials),
        "--seed",
        "1",
        "--json",
    ]
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True)
    cli = time.perf_counter() - t0
    cli_cpu = child_cpu(cmd)
    startup_cpu = child_cpu([sys.executable, "-c", "import gbad.cli"])
    kernel = best_of(
        lambda: unlimited_kernel(np.random.default_rng(1), N, PK, K, trials, look=True)
    )
    unlimited_kernel(np.random.default_rng(1), N, PK, K, 10, look=True, engine="numba")
    kernel_numba = best_of(
        lambda: unlimited_kernel(
            np.random.default_rng(1), N, PK, K, trials, look=True, engine="numba"
        )
    )

    def draws_only() -> None:
        rng = np.random.default_rng(1)
        rng.binomial(N, PK, size=trials)
        rng.binomial(np.full(trials, round(N * (1 - PK))), PK)

    draws = best_of(draws_only)
    uniforms = best_of(lambda: np.random.default_rng(1).random(int(1.3 * N) * trials), 1)
    loop_trials = max(1000, trials // 200)
    loop = best_of(lambda: plain_python_sls(loop_trials, 1), 1) * trials / loop_trials
    return {
        "trials": trials,
        "cli_s": cli,
        "cli_cpu_s": cli_cpu,
        "cli_startup_cpu_s": startup_cpu,
        "kernel_numpy_s": kernel,
        "kernel_numba_s": kernel_numba,
        "draws_only_s": draws,
        "per_shot_uniforms_s": uniforms,
        "plain_python_s": loop,
    }


# ---------------------------------------------------------------- layered raid
RAID = Raid({"drone": 200, "cruise": 20, "ballistic": 10}, duration_s=3600.0)
LAYERS = [
    [
        FireUnit(
            "patriot",
            "long",
            {"ballistic": 0.8, "cruise": 0.85},
            magazine=32,
            channels=9,
            engagement_time_s=60.0,
        )
    ],
    [
        FireUnit(
            "iris-t-slm",
            "medium",
            {"cruise": 0.85, "drone": 0.8},
            magazine=8,
            channels=4,
            count=3,
            engagement_time_s=45.0,
        )
    ],
    [
        FireUnit(
            "gepard",
            "short",
            {"drone": 0.5},
            magazine=100,
            channels=1,
            count=4,
            engagement_time_s=20.0,
        )
    ],
]
DOCTRINE = Doctrine({"ballistic": 2, "cruise": 2, "drone": 1}, mode="shoot-look-shoot")


def simpy_raid(trials: int, seed: int) -> tuple[dict[str, float], dict[str, float]]:
    """The same model as gbad.engage.layered, written as SimPy processes.

    Each fire-unit entry is a ``simpy.Resource`` with its channels; a threat process
    arrives, and per layer asks the unit with the best Pk that has stock and a free
    channel *now* (window 0), holds the channel for the engagement time in a child
    process, and fires shoot-look-shoot shots.
    """
    import simpy

    rnd = random.Random(seed)
    classes = list(RAID.counts)
    leak_sum = dict.fromkeys(classes, 0.0)
    flat = [u for layer in LAYERS for u in layer]
    used_sum = {u.system: 0.0 for u in flat}
    for _ in range(trials):
        env = simpy.Environment()
        res = [simpy.Resource(env, capacity=u.channels * u.count) for u in flat]
        stock = [u.magazine * u.count for u in flat]
        layer_units = []
        start = 0
        for layer in LAYERS:
            layer_units.append(list(range(start, start + len(layer))))
            start += len(layer)
        threats = [c for c in classes for _ in range(RAID.counts[c])]
        rnd.shuffle(threats)
        times = sorted(rnd.random() * RAID.duration_s for _ in threats)

        def hold(env, resource, request, seconds):
            yield env.timeout(seconds)
            resource.release(request)

        def threat(env, t_arr, cls, layer_units=layer_units, res=res, stock=stock):
            yield env.timeout(t_arr)
            for units in layer_units:
                best, best_pk = -1, 0.0
                for v in units:
                    pk = flat[v].pk.get(cls, 0.0)
                    if pk > best_pk and stock[v] > 0 and res[v].count < res[v].capacity:
                        best, best_pk = v, pk
                if best < 0:
                    continue
                req = res[best].request()
                yield req
                env.process(hold(env, res[best], req, flat[best].engagement_time_s))
                avail = min(DOCTRINE.shots_for(cls), stock[best])
                killed = False
                for _ in range(avail):
                    stock[best] -= 1
                    used_sum[flat[best].system] += 1
                    if rnd.random() < best_pk:
                        killed = True
                        break
                if killed:
                    return
            leak_sum[cls] += 1

        for t_arr, cls in zip(times, threats, strict=True):
            env.process(threat(env, t_arr, cls))
        env.run()
    return (
        {c: v / trials for c, v in leak_sum.items()},
        {s: v / trials for s, v in used_sum.items()},
    )


def bench_layered(trials_simpy: int, trials_gbad: int) -> dict[str, object]:
    t0 = time.process_time()
    leak_simpy, used_simpy = simpy_raid(trials_simpy, 2)
    simpy_s = time.process_time() - t0
    out: dict[str, object] = {"simpy_per_trial_s": simpy_s / trials_simpy}
    simulate_raid(RAID, LAYERS, DOCTRINE, trials=5, rng=np.random.default_rng(0), engine="numba")
    for engine in ("numpy", "numba"):
        t0 = time.process_time()
        res = simulate_raid(
            RAID,
            LAYERS,
            DOCTRINE,
            trials=trials_gbad,
            rng=np.random.default_rng(3),
            engine=engine,
        )
        out[f"{engine}_per_trial_s"] = (time.process_time() - t0) / trials_gbad
        out[f"{engine}_leakers"] = res.leakers_mean
    t0 = time.process_time()
    for night in range(50):
        simulate_raid(RAID, LAYERS, DOCTRINE, trials=1, rng=np.random.default_rng(night))
    out["numpy_trials1_s"] = (time.process_time() - t0) / 50
    t0 = time.process_time()
    for night in range(50):
        simulate_raid(
            RAID, LAYERS, DOCTRINE, trials=1, rng=np.random.default_rng(night), engine="numba"
        )
    out["numba_trials1_s"] = (time.process_time() - t0) / 50
    # Agreement: |gbad - simpy| within 5 combined standard errors per class.
    big = simulate_raid(RAID, LAYERS, DOCTRINE, trials=trials_gbad, rng=np.random.default_rng(4))
    agree = {}
    for c in RAID.counts:
        se = big.leakers_std[c] * math.sqrt(1 / trials_gbad + 1 / trials_simpy)
        agree[c] = (
            leak_simpy[c],
            big.leakers_mean[c],
            abs(leak_simpy[c] - big.leakers_mean[c]) <= 5 * se + 1e-9,
        )
    out["agreement"] = agree
    out["simpy_used"] = used_simpy
    out["gbad_used"] = big.interceptors_used_mean
    return out


def main() -> None:
    quick = "--quick" in sys.argv
    single = bench_single(100_000 if quick else 1_000_000)
    layered = bench_layered(20 if quick else 200, 2000 if quick else 20_000)
    sp = single
    simpy_t = layered["simpy_per_trial_s"]
    load = os.getloadavg()[0]
    lines = [
        f"machine: {platform.machine()}, {os.cpu_count()} cores, load {load:.1f},"
        f" python {platform.python_version()}; times are CPU seconds",
        f"gbad engage ({sp['trials']:,} trials, SLS, N=100, K=2)",
        f"  CLI end to end: CPU {sp['cli_cpu_s']:.3f} s (wall {sp['cli_s']:.3f} s)"
        f" (interpreter + CLI imports alone, CPU {sp['cli_startup_cpu_s']:.3f} s)",
        f"  kernel numpy           {sp['kernel_numpy_s']:.3f} s",
        f"  kernel numba           {sp['kernel_numba_s']:.3f} s",
        f"  draws only (binomial)  {sp['draws_only_s']:.3f} s"
        f" -> kernel/draws = {sp['kernel_numpy_s'] / sp['draws_only_s']:.2f}x",
        f"  per-shot uniforms      {sp['per_shot_uniforms_s']:.3f} s"
        f" -> kernel {sp['per_shot_uniforms_s'] / sp['kernel_numpy_s']:.1f}x faster",
        f"  plain Python (scaled)  {sp['plain_python_s']:.1f} s"
        f" -> kernel {sp['plain_python_s'] / sp['kernel_numpy_s']:.0f}x faster,"
        f" CLI (CPU) {sp['plain_python_s'] / sp['cli_cpu_s']:.0f}x",
        "layered raid (230 threats, 3 layers, SLS), CPU time per trial",
    ]
    for engine in ("numpy", "numba"):
        t = layered[f"{engine}_per_trial_s"]
        lines.append(
            f"  {engine:5s} {t * 1e3:8.3f} ms/trial vs SimPy {simpy_t * 1e3:8.2f} ms/trial"
            f" -> {simpy_t / t:.0f}x"
        )
    lines.append(
        f"  trials=1 (one night): numpy {layered['numpy_trials1_s'] * 1e3:.2f} ms,"
        f" numba {layered['numba_trials1_s'] * 1e3:.2f} ms"
    )
    for c, (s_, g, ok) in layered["agreement"].items():
        lines.append(f"  leakers {c:9s} SimPy {s_:8.3f} gbad {g:8.3f} within 5 s.e.: {ok}")
    lines.append(f"  interceptors SimPy {layered['simpy_used']}")
    lines.append(f"  interceptors gbad  {layered['gbad_used']}")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
