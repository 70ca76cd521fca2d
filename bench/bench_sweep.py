"""Benchmark: sweep throughput of the default scenario's fast path, 1 vs 2 workers.

Runs the same sweep (default scenario, every uncertain parameter, Latin
hypercube, PERT) on the local process pool with 1 and with 2 workers and on a
Dask LocalCluster with 2 workers, checks that the three give identical numbers,
and prints samples per second, the scaling ratio (2 workers / 1 worker) and the
projected time of a 1,000-sample sweep. Each sample also reports the CPU time
its model call took in the worker, so the projection can be made from CPU
seconds when the machine is shared (wall-clock rates then understate what two
free cores do).

Run: ``.venv/bin/python bench/bench_sweep.py [--samples 24] [--big 1000]``
(``--big N`` also times a full N-sample sweep on 2 workers).
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from typing import Any

import numpy as np

from gbad.scenario import Scenario
from gbad.sweep import DaskExecutor, LocalExecutor, SerialExecutor, fast_path, run_sweep
from gbad.sweep.run import default_reference


def timed_fast_path(scenario: Any, ref: Any, rng: np.random.Generator) -> dict[str, float]:
    """The fast path, plus the CPU seconds it took in the worker."""
    start = time.process_time()
    out = fast_path(scenario, ref, rng)
    out["cpu_s"] = time.process_time() - start
    return out


def one(executor: Any, samples: int, seed: int) -> tuple[float, Any]:
    # Warm the workers (imports, reference cache) with one sample first.
    run_sweep(Scenario(), samples=1, seed=seed + 1, executor=executor, model=timed_fast_path)
    start = time.perf_counter()
    result = run_sweep(
        Scenario(), samples=samples, seed=seed, executor=executor, model=timed_fast_path
    )
    return time.perf_counter() - start, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=24)
    parser.add_argument("--seed", type=int, default=20251123)
    parser.add_argument("--big", type=int, default=0, help="also time an N-sample sweep")
    args = parser.parse_args()

    sc = Scenario()
    from gbad.sweep import discover_params

    n_params = len(discover_params(sc, default_reference(sc)))
    print(f"# sweep bench: {platform.machine()}, {os.cpu_count()} cores, load {os.getloadavg()}")
    print(f"default scenario, {n_params} uncertain parameters, {args.samples} samples each\n")

    rows = []
    tables = {}
    for label, make in (
        ("local, 1 worker", lambda: LocalExecutor(1)),
        ("local, 2 workers", lambda: LocalExecutor(2)),
        ("dask LocalCluster, 2 workers", lambda: DaskExecutor(workers=2)),
    ):
        with make() as ex:
            load = os.getloadavg()[0]
            wall, result = one(ex, args.samples, args.seed)
        cpu = result.outputs["cpu_s"].to_numpy()
        tables[label] = result.table().drop(columns=["cpu_s"])
        rows.append((label, wall, args.samples / wall, float(cpu.mean()), load))
        print(
            f"{label:30s} wall {wall:8.1f} s  {args.samples / wall:6.3f} samples/s  "
            f"model CPU {cpu.mean():5.2f} s/sample  (load {load:.1f})"
        )

    base = tables["local, 1 worker"]
    same = all(t.equals(base) for t in tables.values())
    print(f"\nidentical numbers on every executor: {same}")
    rate1, rate2 = rows[0][2], rows[1][2]
    print(f"scaling ratio, 2 workers / 1 worker (wall): {rate2 / rate1:.2f}")
    cpu_per_sample = float(np.mean([r[3] for r in rows]))
    print(
        f"1,000 samples on 2 workers: {1000 / rate2 / 60:.1f} min at the measured wall rate, "
        f"{1000 * cpu_per_sample / 2 / 60:.1f} min from model CPU time on 2 free cores"
    )

    # The sweep's own overhead: the same samples in this process with a model that does
    # nothing, against the fast path (what the executors add on top of the stages).
    with SerialExecutor() as ex:
        start = time.perf_counter()
        run_sweep(sc, samples=args.samples, seed=args.seed, executor=ex, model=_noop)
        overhead = (time.perf_counter() - start) / args.samples
    print(f"sweep overhead per sample (sampling, scenario, reference): {overhead * 1000:.0f} ms")

    # Where a sample's time goes: CPU seconds per stage, serially, for a few samples.
    print("\nCPU seconds per stage call (mean of 3 samples):")
    for stage, secs in stage_times(sc, args.seed, 3).items():
        print(f"  {stage:10s} {secs:6.2f} s")

    if args.big:
        with LocalExecutor(2) as ex:
            wall, _ = one(ex, args.big, args.seed)
        print(f"{args.big} samples on 2 workers: {wall / 60:.1f} min")


def stage_times(scenario: Scenario, seed: int, n: int) -> dict[str, float]:
    """Mean CPU seconds of each fast-path stage over ``n`` sampled scenarios."""
    from gbad.budget import compute_budget
    from gbad.campaign import run_campaign
    from gbad.industry import compute_industry
    from gbad.reference import load_reference
    from gbad.sweep import apply_sample, design_matrix, discover_params
    from gbad.targets import compute_targets

    params = discover_params(scenario, default_reference(scenario))
    totals = dict.fromkeys(("targets", "budget", "industry", "campaign"), 0.0)
    for row in design_matrix(params, n, seed):
        sc = apply_sample(scenario, params, row)
        ref = load_reference(sc.overrides)
        t0 = time.process_time()
        targets = compute_targets(ref, sc)
        t1 = time.process_time()
        budget = compute_budget(ref, sc, targets, least_cost=False)
        t2 = time.process_time()
        industry = compute_industry(ref, sc, targets, budget, what_if=False)
        t3 = time.process_time()
        run_campaign(
            ref,
            sc,
            industry=industry,
            rng=np.random.default_rng(0),
            engine="mean-field",
            replications=1,
        )
        t4 = time.process_time()
        for key, dt in zip(totals, (t1 - t0, t2 - t1, t3 - t2, t4 - t3), strict=True):
            totals[key] += dt / n
    return totals


def _noop(scenario: Any, ref: Any, rng: np.random.Generator) -> dict[str, float]:
    return {"x": float(rng.random())}


if __name__ == "__main__":
    main()
