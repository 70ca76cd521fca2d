"""Benchmark: a 90-night campaign of the default scenario, gbad against SimPy.

gbad runs the campaign (8 replications, 30 allies) on the engagement engine's
numpy and numba kernels. The alternative is the same stock model written as a
SimPy discrete-event simulation: one ``simpy.Container`` of interceptors per ally
and system, a nightly process that adds the production deliveries and then
engages every threat of the night's raid in plain Python (layers outer to inner,
drones cheapest unit first, shoot-look-shoot, a shot taken only if the container
holds one), with the same raid sizes, spread and Pk. The SimPy model leaves out
fire-channel saturation and reload pauses (the engine's arrival-time detail), so
its leak shares are close to, not equal to, gbad's; the script prints both.

Run: ``.venv/bin/python bench/bench_campaign.py``.
"""

from __future__ import annotations

import os
import platform
import random
import time

import numpy as np
import simpy

from gbad.campaign import build_setup, campaign_seeds, simulate_campaign
from gbad.campaign.model import CHEAPEST_FIRST
from gbad.reference import load_reference
from gbad.scenario import THREAT_CLASSES, TIERS, Scenario

NIGHTS = 90
REPLICATIONS = 8


def simpy_campaign(setup, seed: int, replications: int) -> np.ndarray:
    """Leakers per replication and class from the SimPy version of the stock model."""
    tier_rank = {t: i for i, t in enumerate(TIERS)}
    n_a, n_s = setup.fire_units.shape
    leak_out = np.zeros((replications, len(THREAT_CLASSES)))
    threats_out = np.zeros_like(leak_out)
    seeds = campaign_seeds(seed, replications, setup.nights)
    for r in range(replications):
        env = simpy.Environment()
        stock = {
            (a, j): simpy.Container(env, init=int(setup.stock0[a, j]), capacity=float("inf"))
            for a in range(n_a)
            for j in range(n_s)
            if setup.fire_units[a, j] > 0
        }
        orders = {}
        for a in range(n_a):
            held = [j for j in range(n_s) if setup.fire_units[a, j] > 0]
            for c, cls in enumerate(THREAT_CLASSES):
                able = [j for j in held if setup.pk[j, c] > 0]
                if cls in CHEAPEST_FIRST:
                    able.sort(key=lambda j: (setup.interceptor_cost_musd[j], j))
                    orders[a, c] = [[j] for j in able]
                else:
                    layers: dict[int, list[int]] = {}
                    for j in able:
                        layers.setdefault(tier_rank.get(setup.tiers[j], 99), []).append(j)
                    orders[a, c] = [
                        sorted(layers[k], key=lambda j, c=c: -setup.pk[j, c])
                        for k in sorted(layers)
                    ]

        def night_process(env, r=r, stock=stock, orders=orders):
            for t in range(setup.nights):
                nprng = np.random.default_rng(seeds[r][t])
                py = random.Random(int(nprng.integers(2**63)))
                for (a, j), box in stock.items():
                    if setup.deliveries[t, a, j] > 0:
                        yield box.put(int(setup.deliveries[t, a, j]))
                sizes = nprng.poisson(setup.means[t])
                for c in range(len(THREAT_CLASSES)):
                    if sizes[c] == 0:
                        continue
                    spread = nprng.multinomial(int(sizes[c]), setup.exposure[:, c])
                    threats_out[r, c] += sizes[c]
                    k = int(setup.shots[c])
                    for a in np.flatnonzero(spread):
                        for _ in range(int(spread[a])):
                            alive = True
                            for layer in orders[a, c]:
                                unit = next((j for j in layer if stock[a, j].level > 0), None)
                                if unit is None:
                                    continue
                                for _shot in range(k):
                                    if stock[a, unit].level <= 0:
                                        break
                                    yield stock[a, unit].get(1)
                                    if py.random() < setup.pk[unit, c]:
                                        alive = False
                                        break
                                if not alive:
                                    break
                            if alive:
                                leak_out[r, c] += 1
                yield env.timeout(1)

        env.process(night_process(env))
        env.run()
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(threats_out > 0, leak_out / threats_out, 0.0)


def main() -> None:
    ref = load_reference()
    setup = build_setup(ref, Scenario(), nights=NIGHTS)
    print(
        f"default scenario: {NIGHTS} nights, {len(setup.areas)} allies, "
        f"{len(setup.systems)} systems, {REPLICATIONS} replications"
    )
    simulate_campaign(setup, rng=0, replications=1, engine="numba")  # compile once
    load0 = os.getloadavg()
    times = {}
    cpu = {}
    results = {}
    for engine in ("numpy", "numba"):
        t0, c0 = time.perf_counter(), time.process_time()
        results[engine] = simulate_campaign(
            setup, rng=2025, replications=REPLICATIONS, engine=engine
        )
        times[engine] = time.perf_counter() - t0
        cpu[engine] = time.process_time() - c0
    t0, c0 = time.perf_counter(), time.process_time()
    simpy_frac = simpy_campaign(setup, 2025, REPLICATIONS)
    times["simpy"] = time.perf_counter() - t0
    cpu["simpy"] = time.process_time() - c0
    # The machine may be shared: CPU seconds of this process are the fair measure.
    for name, seconds in times.items():
        print(f"{name:>6}: {cpu[name]:7.3f} s CPU {seconds:7.3f} s wall")
    for engine in ("numpy", "numba"):
        print(
            f"ratio gbad({engine})/simpy = {cpu[engine] / cpu['simpy']:.3f} CPU"
            f"  {times[engine] / times['simpy']:.3f} wall"
        )
    print(f"load average before/after: {load0} / {os.getloadavg()}")
    gb = results["numpy"]
    for k, c in enumerate(THREAT_CLASSES):
        if gb.threats[k] > 0:
            print(
                f"leak share {c:>9}: gbad {gb.leak_fraction[k]:.3f} ± {gb.leak_fraction_se[k]:.3f}"
                f"   simpy {simpy_frac[:, k].mean():.3f}"
            )
    print(f"machine: {platform.machine()}, python {platform.python_version()}")


if __name__ == "__main__":
    main()
