"""Benchmark: the 90-night spatial campaign against the pooled campaign.

Both run the default scenario's campaign (today's force, 8 replications, numba
kernel, raids in waves) on the same seed; the spatial one splits each ally's raid
over its defended cells (assets covered by the same fire units, today's inventory
placed by the baseline rule) and engages each cell with its covering units; the
pooled one meets each ally's raid with its whole force; ``target`` is the
spatial campaign with engagement at the target asset only
(``campaign.engage_on_path: false``), ``spatial`` the default (drones, cruise
missiles and aircraft also engaged along their flight path). Set-up (geometry, cells)
is timed apart from the simulation. CPU seconds (``time.process_time``) are
reported next to wall time: the machine is shared.

Run: ``.venv/bin/python bench/bench_spatial.py``.
"""

from __future__ import annotations

import os
import platform
import time

import numpy as np

from gbad.campaign import build_setup, simulate_campaign
from gbad.reference import load_reference
from gbad.scenario import parse_scenario

NIGHTS = 90
REPLICATIONS = 8
SEED = 2026


def timed(fn):
    wall, cpu = time.perf_counter(), time.process_time()
    out = fn()
    return out, time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    ref = load_reference()
    rows = {}
    for name, geometry, on_path in (
        ("pooled", "pooled", False),
        ("target", "spatial", False),
        ("spatial", "spatial", True),
    ):
        sc = parse_scenario(
            {
                "threat": {"nights": NIGHTS},
                "campaign": {"geometry": geometry, "engage_on_path": on_path},
            }
        )
        setup, s_wall, s_cpu = timed(lambda sc=sc: build_setup(ref, sc))
        # First call compiles the numba kernel (cached afterwards); not timed.
        simulate_campaign(setup, rng=SEED, replications=1, engine="numba")
        res, wall, cpu = timed(
            lambda setup=setup: simulate_campaign(
                setup, rng=SEED, replications=REPLICATIONS, engine="numba"
            )
        )
        rows[name] = (s_wall, s_cpu, wall, cpu, res)
    print(
        f"{platform.machine()}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}; "
        f"{NIGHTS} nights, {REPLICATIONS} replications"
    )
    for geometry, (s_wall, s_cpu, wall, cpu, res) in rows.items():
        m = res.paths_missile_leak_share()
        print(
            f"{geometry:8s} setup {s_cpu:6.2f} s CPU ({s_wall:.2f} wall)  "
            f"campaign {cpu:6.2f} s CPU ({wall:.2f} wall)  "
            f"missile leak share {m['mean']:.3f} ± {m['se']:.3f}  "
            f"drone leak {res.leak_fraction[2]:.3f}"
        )
    sp, po, ta = rows["spatial"], rows["pooled"], rows["target"]
    print(
        f"ratio spatial/pooled, CPU: campaign {sp[3] / po[3]:.2f}, "
        f"set-up + campaign {(sp[1] + sp[3]) / (po[1] + po[3]):.2f}; "
        f"path/target-only set-up + campaign {(sp[1] + sp[3]) / (ta[1] + ta[3]):.2f}; "
        f"goal: spatial under 10 s CPU -> {'met' if sp[1] + sp[3] < 10 else 'NOT met'}"
    )
    assert np.isfinite(sp[3])


if __name__ == "__main__":
    main()
