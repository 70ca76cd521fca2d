"""Benchmark ``gbad plan`` on the default scenario: its milestones against one year.

1. The default plan (siting, coverage and the campaign for every milestone year:
   base year, two years between, horizon) against the single-year plan of the same
   scenario (``milestones=[base_year]``), in one run with the same reference data.
   Goal: under 30 s on 2 cores, and at most 2x the single-year plan.
2. The report of the milestone plan: :func:`gbad.report.render_report` time and size.
3. The budget: plan + report + writing both files must stay under 60 s.

Wall and CPU time of each: on a busy machine wall time overstates the cost; the
CPU time of this process is what an idle machine takes (numba may use a second
thread, so CPU can exceed wall).

Run: ``.venv/bin/python bench/bench_plan.py``
"""

from __future__ import annotations

import json
import os
import platform
import tempfile
import time
from pathlib import Path

from gbad.plan import run_plan
from gbad.reference import load_reference
from gbad.report import render_report
from gbad.scenario import Scenario

GOAL_S = 30.0
GOAL_RATIO = 2.0
BUDGET_S = 60.0


def timed(scenario: Scenario, ref: object) -> tuple[object, float, float]:
    """A plan with its wall and CPU time [s]."""
    t0, c0 = time.perf_counter(), time.process_time()
    plan = run_plan(scenario, ref=ref)
    return plan, time.perf_counter() - t0, time.process_time() - c0


def main() -> None:
    default = Scenario()
    single = default.model_copy(update={"milestones": [default.base_year]})
    ref = load_reference(overrides=None)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}")

    run_plan(single, ref=ref)  # warm-up: numba compilation and caches, not measured
    one, w_one, c_one = timed(single, ref)
    many, w_many, c_many = timed(default, ref)
    years = many.meta["milestone_years"]  # type: ignore[attr-defined]
    print(f"single-year plan ({default.base_year}): wall {w_one:.2f} s, CPU {c_one:.2f} s")
    print(f"milestone plan {years}: wall {w_many:.2f} s, CPU {c_many:.2f} s")
    print(f"ratio milestones / single year: wall {w_many / w_one:.2f}, CPU {c_many / c_one:.2f}")
    for name, seconds in many.meta["timings_s"].items():  # type: ignore[attr-defined]
        print(f"  {name:<12} {seconds:.2f} s")
    within = c_many < GOAL_S and c_many / c_one <= GOAL_RATIO
    print(
        f"goal (under {GOAL_S:.0f} s, at most {GOAL_RATIO:.0f}x the single year, CPU): "
        f"{'met' if within else 'NOT met'}"
    )

    t0, c0 = time.perf_counter(), time.process_time()
    html = render_report(many)
    t_report, c_report = time.perf_counter() - t0, time.process_time() - c0
    print(f"report {t_report:.2f} s wall, {c_report:.2f} s CPU, {len(html) / 1e6:.1f} MB")

    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        text = json.dumps(many.to_dict(), indent=2, allow_nan=False)  # type: ignore[attr-defined]
        (Path(tmp) / "plan.json").write_text(text)
        (Path(tmp) / "report.html").write_text(html)
        t_write = time.perf_counter() - t0
    total = w_many + t_report + t_write
    cpu = c_many + c_report
    print(
        f"default plan end to end (plan + report + files) wall {total:.1f} s, CPU {cpu:.1f} s: "
        f"{'within' if cpu < BUDGET_S else 'OVER'} the {BUDGET_S:.0f} s budget; "
        f"plan.json {len(text) / 1e6:.1f} MB"
    )
    del one


if __name__ == "__main__":
    main()
