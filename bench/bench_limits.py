"""Peak memory of the largest run each work limit allows (gbad.scenario.limits).

Run: ``.venv/bin/python bench/bench_limits.py [--quick]``

Each case runs in a fresh process at (or, where noted, a stated fraction of) the
bound of one limit, all other sizes small, and reports the child's peak resident
memory (``ru_maxrss`` from ``os.wait4``) and wall time. The target: every case
under 4 GiB. The alternative the limits replace is no bound at all: the same
commands one step past each limit are refused in well under a second (exit 2),
where before they grew until the kernel killed them (24 GB for ``gbad engage
--threats 1000000000 --channels 2``).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from gbad.scenario.limits import (
    CAMPAIGN_PATH_BYTES,
    ENGAGE_MAX_DRAWS,
    ENGAGE_MAX_ELEMENTS,
    MAX_SITING_CANDIDATES,
    MAX_THREATS_PER_NIGHT,
    MILESTONES_HELD,
)

__all__ = ["main", "run"]

GIB = 2**30


def run(argv: list[str], timeout_s: float) -> tuple[int, float, float]:
    """Exit code, peak RSS [GiB] and wall seconds of ``gbad argv`` in a child process."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", "from gbad.cli import main; main()", *argv],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = start + timeout_s
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            proc.kill()
            pid, status, usage = os.wait4(proc.pid, 0)
            break
        time.sleep(0.05)
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode() if proc.stderr else ""
    if proc.returncode not in (0,):
        print(f"   exit {proc.returncode}: {err.strip().splitlines()[-1:]}", flush=True)
    return proc.returncode, usage.ru_maxrss * 1024 / GIB, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="Smaller fractions of the bounds.")
    parser.add_argument("--timeout-s", type=float, default=600.0)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="gbad-bench-limits-"))

    def scenario(name: str, doc: dict[str, object]) -> str:
        path = tmp / f"{name}.json"
        path.write_text(json.dumps(doc))
        return str(path)

    shots = 2
    threats = ENGAGE_MAX_ELEMENTS // (shots + 2)
    draw_fraction = 0.02 if args.quick else 0.1
    draw_trials = int(ENGAGE_MAX_DRAWS * draw_fraction) // (1000 * shots)
    from gbad.reference import load_reference
    from gbad.scenario import Scenario
    from gbad.scenario.limits import campaign_path_bytes

    systems = len(load_reference().systems)
    path_reps = 49
    one = campaign_path_bytes(
        Scenario.model_validate({"threat": {"nights": 1}, "campaign": {"replications": 1}}),
        30,
        systems,
    )
    path_nights = int(CAMPAIGN_PATH_BYTES // one // path_reps)
    cases = [
        (
            f"engage: threats x (shots + 2) at the bound ({threats:,} threats, 2 shots, "
            "1 trial, 2 channels)",
            [
                "engage", "--threats", str(threats), "--pk", "0.5", "--shots", str(shots),
                "--doctrine", "shoot-look-shoot", "--channels", "2",
                "--arrival-rate-per-min", "100", "--engagement-time-s", "10",
                "--trials", "1", "--seed", "1", "--json",
            ],
        ),
        (
            f"engage: draws at {draw_fraction:.0%} of the bound (1,000 threats x "
            f"{draw_trials:,} trials x 2 shots, 2 channels; memory is chunked, time linear)",
            [
                "engage", "--threats", "1000", "--pk", "0.5", "--shots", str(shots),
                "--doctrine", "shoot-look-shoot", "--channels", "2",
                "--arrival-rate-per-min", "5", "--engagement-time-s", "30",
                "--trials", str(draw_trials), "--seed", "1", "--json",
            ],
        ),
        (
            f"campaign: largest night at the bound ({MAX_THREATS_PER_NIGHT:,} threats, "
            "2 nights, 1 replication)",
            [
                "campaign", "--scenario",
                scenario("night", {
                    "threat": {"preset": "custom", "nights": 2, "draw": "fixed",
                               "raid": {"drone": MAX_THREATS_PER_NIGHT * 0.9,
                                        "cruise": MAX_THREATS_PER_NIGHT * 0.08,
                                        "ballistic": MAX_THREATS_PER_NIGHT * 0.02}},
                    "campaign": {"replications": 1},
                }),
                "--json",
            ],
        ),
        (
            f"campaign: path memory at the bound ({path_nights} nights x {path_reps} "
            f"replications; the bound counts {MILESTONES_HELD} milestone years, this is one)",
            [
                "campaign", "--scenario",
                scenario("paths", {
                    "threat": {"nights": path_nights},
                    "campaign": {"replications": path_reps},
                }),
                "--json",
            ],
        ),
        (
            f"plan: largest night at the bound ({MAX_THREATS_PER_NIGHT:,} threats, 2 nights) "
            "against a 20-fold force",
            [
                "plan", "--no-record", "--out", str(tmp / "night20"), "--scenario",
                scenario("night20", {
                    "target": {"factor": 20},
                    "threat": {"preset": "custom", "nights": 2, "draw": "fixed",
                               "raid": {"drone": MAX_THREATS_PER_NIGHT * 0.9,
                                        "cruise": MAX_THREATS_PER_NIGHT * 0.08,
                                        "ballistic": MAX_THREATS_PER_NIGHT * 0.02}},
                    "campaign": {"replications": 1},
                }),
            ],
        ),
        (
            f"siting: {MAX_SITING_CANDIDATES:,} candidate sites (grid 10 km), whole plan",
            [
                "plan", "--no-record", "--out", str(tmp / "siting"), "--scenario",
                scenario("siting", {
                    "siting": {"grid_km": 10, "max_candidates": MAX_SITING_CANDIDATES},
                    "threat": {"nights": 2}, "campaign": {"replications": 1},
                }),
            ],
        ),
    ]  # fmt: skip
    print(f"bench_limits: {len(cases)} cases, timeout {args.timeout_s:g} s each", flush=True)
    worst = 0.0
    for label, argv in cases:
        code, peak, wall = run(argv, args.timeout_s)
        worst = max(worst, peak)
        status = "ok" if code == 0 else f"exit {code}"
        print(f"- {label}: peak {peak:.2f} GiB, {wall:.1f} s ({status})", flush=True)
    print(f"largest peak {worst:.2f} GiB (target < 4 GiB)")
    over = [
        ["engage", "--threats", str(threats + 1), "--pk", "0.5", "--shots", "2",
         "--doctrine", "shoot-shoot", "--trials", "1", "--json"],
    ]  # fmt: skip
    for argv in over:
        code, peak, wall = run(argv, 60)
        print(f"one past the engage bound: exit {code} in {wall:.2f} s, peak {peak:.2f} GiB")


if __name__ == "__main__":
    main()
