"""The requirement of the default scenario, and the search against a naive one.

1. ``gbad requirement`` on the default scenario (horizon year, the scenario's
   missile leak target) on its spatial campaign (covering MILP, then the greedy's
   repair), against the same on the pooled campaign: CPU and wall time,
   evaluations, result (goal: under 2 minutes).
2. With ``--naive``, on a small pooled scenario (3 allies, 10 nights), the
   requirement's search (lazy greedy on the mean-field engine per ally, then
   Monte Carlo check and repair) against a
   plain alternative: one fire unit at a time, each candidate valued by a whole
   Monte Carlo campaign (8 replications), the best leak reduction per USD bought,
   until the Monte Carlo missile leak share meets the target. Time and cost of both.

Run: ``.venv/bin/python bench/bench_requirement.py [--naive]``
"""

from __future__ import annotations

import os
import platform
import time
from typing import Any

import numpy as np

from gbad.campaign import build_setup, simulate_campaign
from gbad.plan._calibration import calibration_for
from gbad.procurement import decide_procurement
from gbad.reference import load_reference
from gbad.requirement import compute_requirement, force_from_counts
from gbad.requirement.stage import _MISSILE_IDX
from gbad.scenario import parse_scenario
from gbad.targets import compute_targets

SMALL: dict[str, Any] = {"countries": ["LTU", "POL", "TUR"], "threat": {"nights": 10}}


def _inputs(doc: dict[str, Any] | None) -> tuple[Any, Any, Any, Any, Any]:
    scenario = parse_scenario(doc)
    ref = load_reference(overrides=scenario.overrides)
    targets = compute_targets(ref, scenario)
    cal = calibration_for(scenario)
    return scenario, ref, targets, decide_procurement(ref, scenario, targets), cal


def naive(
    doc: dict[str, Any] | None, target: float, max_steps: int = 10_000
) -> tuple[float, float, int, int]:
    """One unit at a time, every candidate valued by a whole Monte Carlo campaign.

    Returns seconds, cost, campaigns run and units bought (``max_steps`` caps the
    units, to time one step on a large scenario).
    """
    scenario, ref, _, procurement, cal = _inputs(doc)
    ew = None if cal is None else cal.ew_defeat
    res = compute_requirement(ref, scenario, procurement, leak_target=1.0 - 1e-9, ew_defeat=ew)
    force = res.force[["iso3", "system", "existing"]].rename(columns={"existing": "fire_units"})
    counts = {(r.iso3, r.system): int(r.fire_units) for r in force.itertuples()}
    choices = procurement.choices
    cands = [
        (str(i), str(s))
        for i, s in zip(choices["iso3"], choices["system"], strict=True)
        if str(s) in res.unit_cost_musd
    ]
    import pandas as pd

    def share(c: dict[tuple[str, str], int]) -> float:
        frame = pd.DataFrame(
            [(i, s, n) for (i, s), n in c.items() if n > 0],
            columns=["iso3", "system", "fire_units"],
        )
        setup = build_setup(
            ref,
            scenario,
            force=force_from_counts(ref, scenario, frame, res.year),
            year=res.year,
            ew_defeat=ew,
        )
        out = simulate_campaign(setup, rng=7, replications=8)
        t = out.threats_rep[:, _MISSILE_IDX].sum()
        return float(out.leakers_rep[:, _MISSILE_IDX].sum() / t)

    t0 = time.perf_counter()
    now, cost, evals, steps = share(counts), 0.0, 1, 0
    while now > target and steps < max_steps:
        steps += 1
        best = None
        for key in cands:
            trial = dict(counts)
            trial[key] = trial.get(key, 0) + 1
            s = share(trial)
            evals += 1
            ratio = (now - s) / res.unit_cost_musd[key[1]]
            if best is None or ratio > best[0]:
                best = (ratio, key, s)
        assert best is not None
        counts[best[1]] = counts.get(best[1], 0) + 1
        cost += res.unit_cost_musd[best[1][1]]
        now = best[2]
    return time.perf_counter() - t0, cost, evals, steps


def _timed(doc: dict[str, Any] | None) -> tuple[float, float, Any]:
    """CPU and wall seconds of the default requirement of ``doc``, and its result."""
    scenario, ref, targets, procurement, cal = _inputs(doc)
    ew = None if cal is None else cal.ew_defeat
    c0, t0 = time.process_time(), time.perf_counter()
    res = compute_requirement(ref, scenario, procurement, targets=targets, ew_defeat=ew)
    return time.process_time() - c0, time.perf_counter() - t0, res


def _line(name: str, cpu: float, wall: float, res: Any) -> None:
    print(
        f"{name} ({res.geometry}): {cpu:.1f} s CPU, {wall:.1f} s wall, {res.evaluations} "
        f"evaluations, {len(res.rounds)} Monte Carlo checks, share {res.missile_leak_share:.4f} "
        f"(SE {res.missile_leak_share_se:.4f}) against {res.leak_target:.3f}, met {res.met}, "
        f"existing {res.existing_missile_leak_share:.4f}, {int(res.force['added'].sum())} units, "
        f"cost {res.total_cost_musd:.0f} MUSD, x-fold target {res.target_cost_musd:.0f} MUSD"
    )


def main(naive_too: bool = False) -> None:
    print(f"# {time.strftime('%Y-%m-%d %H:%M')} {platform.machine()} {os.cpu_count()} cores")
    # 1. The default scenario on its own (spatial) campaign, and on the pooled one.
    cpu_s, wall_s, res = _timed(None)
    _line("default requirement", cpu_s, wall_s, res)
    for row in res.versus_target:
        print(f"  {row['tier']}: required {row['required']}, target {row['target']}")
    cpu_p, wall_p, pooled = _timed({"campaign": {"geometry": "pooled"}})
    _line("default requirement", cpu_p, wall_p, pooled)
    print(f"CPU ratio spatial / pooled: {cpu_s / cpu_p:.2f}")
    if not naive_too:
        return
    # 2. The search against the naive one (pooled campaign, as first measured).
    small = {**SMALL, "campaign": {"geometry": "pooled"}}
    small_s, ref_s, _, proc_s, cal_s = _inputs(small)
    ew_s = None if cal_s is None else cal_s.ew_defeat
    t0 = time.perf_counter()
    ours = compute_requirement(ref_s, small_s, proc_s, leak_target=0.05, ew_defeat=ew_s)
    t_ours = time.perf_counter() - t0
    t_naive, c_naive, e_naive, _ = naive(small, 0.05)
    print(
        f"small: requirement {t_ours:.1f} s (cost {ours.total_cost_musd:.0f} MUSD, MC share "
        f"{ours.missile_leak_share:.4f}); naive one-at-a-time Monte Carlo {t_naive:.1f} s "
        f"({e_naive} campaigns, cost {c_naive:.0f} MUSD); ratio {t_naive / t_ours:.2f}"
    )
    _ = np


if __name__ == "__main__":
    import sys

    main(naive_too="--naive" in sys.argv[1:])
