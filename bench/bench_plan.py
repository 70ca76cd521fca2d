"""Benchmark ``gbad plan`` on the default scenario, side by side with the bare stages.

1. The default plan through :func:`gbad.plan.run_plan` (the pipeline frame:
   adapters, per-stage seeds, JSON conversion of every result, summary, sources)
   against the same six stage functions called directly one after another with
   the same inputs. The ratio is the frame's overhead.
2. The report: :func:`gbad.report.render_report` (inline SVG, dense map layers
   rasterised) against the same figures all in vector SVG; size and time.
3. The budget: plan + report + writing both files must stay under 60 s.

Run: ``.venv/bin/python bench/bench_plan.py``
"""

from __future__ import annotations

import json
import os
import platform
import tempfile
import time
from pathlib import Path

import numpy as np

from gbad.plan import STAGES, run_plan, stage_seeds
from gbad.reference import load_reference
from gbad.report import _svg, render_report
from gbad.scenario import Scenario

BUDGET_S = 60.0


def direct_stages(ref, scenario):  # type: ignore[no-untyped-def]
    """The six stages called by hand, as a user would without the pipeline."""
    from gbad.budget import compute_budget
    from gbad.campaign import run_campaign
    from gbad.coverage.stage import assess
    from gbad.industry import compute_industry
    from gbad.siting.scenario import site_new_units
    from gbad.targets import compute_targets

    seeds = stage_seeds(scenario.seed)
    targets = compute_targets(ref, scenario)
    budget = compute_budget(ref, scenario, targets)
    industry = compute_industry(ref, scenario, targets, budget)
    siting = site_new_units(ref, scenario, targets)
    coverage = assess(ref, scenario, siting.fire_units)
    campaign = run_campaign(
        ref, scenario, industry=industry, rng=np.random.default_rng(seeds["campaign"])
    )
    return targets, budget, industry, siting, coverage, campaign


def main() -> None:
    scenario = Scenario()
    ref = load_reference(overrides=None)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}")

    t0 = time.perf_counter()
    direct_stages(ref, scenario)
    t_direct = time.perf_counter() - t0

    t0, c0 = time.perf_counter(), time.process_time()
    plan = run_plan(scenario, ref=ref)
    t_plan, c_plan = time.perf_counter() - t0, time.process_time() - c0
    print(
        f"run_plan {t_plan:.2f} s, stages called directly {t_direct:.2f} s, "
        f"ratio {t_plan / t_direct:.2f}"
    )
    for name in STAGES:
        print(f"  {name:<9} {plan.stages[name].status:<14} {plan.meta['timings_s'][name]:.2f} s")

    t0, c0 = time.perf_counter(), time.process_time()
    html = render_report(plan)
    t_report, c_report = time.perf_counter() - t0, time.process_time() - c0
    original = _svg.figure_to_svg.__kwdefaults__["max_vector_points"]
    _svg.figure_to_svg.__kwdefaults__["max_vector_points"] = 10**12
    try:
        t0 = time.perf_counter()
        html_vector = render_report(plan)
        t_vector = time.perf_counter() - t0
    finally:
        _svg.figure_to_svg.__kwdefaults__["max_vector_points"] = original
    print(
        f"report {t_report:.2f} s, {len(html) / 1e6:.1f} MB; all-vector alternative "
        f"{t_vector:.2f} s, {len(html_vector) / 1e6:.1f} MB; size ratio "
        f"{len(html) / len(html_vector):.2f}"
    )

    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        text = json.dumps(plan.to_dict(), indent=2, allow_nan=False)
        (Path(tmp) / "plan.json").write_text(text)
        (Path(tmp) / "report.html").write_text(html)
        t_write = time.perf_counter() - t0
    total = plan.meta["timings_s"]["reference"] + t_plan + t_report + t_write
    verdict = "within" if total < BUDGET_S else "OVER"
    print(
        f"default plan end to end (plan + report + files) {total:.1f} s: {verdict} the "
        f"{BUDGET_S:.0f} s budget (ratio {total / BUDGET_S:.2f}); plan.json "
        f"{len(text) / 1e6:.1f} MB"
    )
    # On a busy machine wall time overstates the cost; the CPU time of this process
    # is what an idle machine takes (the stages run single-threaded).
    cpu = c_plan + c_report
    verdict = "within" if cpu < BUDGET_S else "OVER"
    print(
        f"CPU time plan + report {cpu:.1f} s (plan {c_plan:.1f} s, report {c_report:.1f} s): "
        f"{verdict} the budget on an idle machine (ratio {cpu / BUDGET_S:.2f})"
    )


if __name__ == "__main__":
    main()
