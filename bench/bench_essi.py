"""Which pooling assumption matters most? A sweep of joint against national buying.

The default scenario's targets, procurement and budget are computed once; then the
pooling assumptions (``pooling`` table, :mod:`gbad.industry.pooling`) are sampled
together from their low/mid/high ranges (Latin hypercube, PERT, through
:mod:`gbad.sweep.sampling`) and :func:`gbad.industry.essi.compute_essi` runs on
each sample (cost and delivery; no campaign). Outputs: the coalition's saving
(national − joint cost) and the collective target years gained. Ranked by
Spearman's rank correlation (:func:`gbad.sweep.analysis.spearman_matrix`), and by
one at a time: each assumption from low to high with the others at mid.

The ESSI comparison's own cost inside the default plan is timed too (with the
mean-field campaign pair), against the plan's other stages.

Run: ``.venv/bin/python bench/bench_essi.py [--samples 48]``
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import platform
import time

import numpy as np
import pandas as pd

from gbad.budget import compute_budget
from gbad.industry.essi import compute_essi, pooling_assumptions
from gbad.industry.pooling import POOLING_EFFECTS, PoolingAssumptions
from gbad.procurement import decide_procurement
from gbad.reference import load_reference
from gbad.scenario import Scenario
from gbad.sweep.analysis import spearman_matrix
from gbad.sweep.sampling import three_point_ppf, unit_design
from gbad.targets import compute_targets

#: Sampled assumptions: the effects, plus the expansion lag (how fast).
SAMPLED = (*POOLING_EFFECTS, "line_expansion_lag_years")


def outputs(r) -> dict[str, float]:  # type: ignore[no-untyped-def]
    tot = r.totals()
    last = r.trajectory["year"].max() + 1
    nat, joint = r.met_year["national"] or last, r.met_year["joint"] or last
    return {"saving_musd": -tot["difference_musd"], "years_gained": float(nat - joint)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--samples", type=int, default=48)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    ref = load_reference()
    sc = Scenario()
    t0 = time.perf_counter()
    targets = compute_targets(ref, sc)
    proc = decide_procurement(ref, sc, targets)
    budget = compute_budget(ref, sc, targets, proc, least_cost=False)
    print(f"stages before industry: {time.perf_counter() - t0:.1f} s")
    table = ref.pooling.set_index("effect")
    mid = pooling_assumptions(ref, sc)
    low = PoolingAssumptions.from_table(ref.pooling, "low")
    high = PoolingAssumptions.from_table(ref.pooling, "high")

    rng = np.random.default_rng(args.seed)
    u = unit_design(args.samples, len(SAMPLED), "lhs", rng)
    rows_in, rows_out = [], []
    t0 = time.perf_counter()
    for i in range(args.samples):
        values = {}
        for k, name in enumerate(SAMPLED):
            lo, md, hi = (float(table.loc[name, c]) for c in ("low", "mid", "high"))
            lo, hi = min(lo, hi), max(lo, hi)
            values[name] = float(three_point_ppf(u[i, k], lo, md, hi)) if hi > lo else md
        a = dataclasses.replace(mid, **values, level="sampled")
        r = compute_essi(ref, sc, targets, budget, assumptions=a, by_effect=False)
        rows_in.append({"sample": i, **values})
        rows_out.append({"sample": i, **outputs(r)})
    per = (time.perf_counter() - t0) / args.samples
    inputs = pd.DataFrame(rows_in)
    outs = pd.DataFrame(rows_out)
    rho = spearman_matrix(inputs, outs, ["saving_musd", "years_gained"])
    print(f"\n{args.samples} samples, {per:.2f} s each")
    print(outs[["saving_musd", "years_gained"]].describe().round(1).to_string())
    print("\nSpearman rank correlation (input x output):")
    print(rho.round(2).to_string())

    print("\nOne at a time (others at mid): saving [MUSD] and years gained, low -> high")
    base = outputs(compute_essi(ref, sc, targets, budget, assumptions=mid, by_effect=False))
    print(f"all at mid: saving {base['saving_musd']:,.0f}, years gained {base['years_gained']:.0f}")
    rows = []
    for name in SAMPLED:
        res = {}
        for tag, src in (("low", low), ("high", high)):
            a = dataclasses.replace(mid, **{name: getattr(src, name)})
            res[tag] = outputs(
                compute_essi(ref, sc, targets, budget, assumptions=a, by_effect=False)
            )
        rows.append(
            {
                "assumption": name,
                "saving_low": res["low"]["saving_musd"],
                "saving_high": res["high"]["saving_musd"],
                "swing_musd": res["high"]["saving_musd"] - res["low"]["saving_musd"],
                "years_low": res["low"]["years_gained"],
                "years_high": res["high"]["years_gained"],
            }
        )
    oat = pd.DataFrame(rows).sort_values("swing_musd", key=abs, ascending=False)
    print(oat.round(0).to_string(index=False))

    from gbad.plan import run_plan

    t0 = time.perf_counter()
    plan = run_plan(sc, ref=ref)
    total = time.perf_counter() - t0
    essi_s = plan.meta["timings_s"].get("essi", float("nan"))
    print(
        f"\ndefault plan {total:.1f} s, of which essi {essi_s:.1f} s ({essi_s / total:.0%}); "
        f"machine {platform.machine()}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}"
    )


if __name__ == "__main__":
    main()
