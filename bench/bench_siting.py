"""Siting benchmark: gbad's MCLP (reduction + HiGHS) against spopt's MCLP (PuLP/CBC).

Run: ``.venv/bin/python bench/bench_siting.py [--large]``. One random instance over
Europe (seeded), the same coverage matrix for both solvers, both to optimality;
prints times, objectives and the speed ratio. ``--large`` then solves
5,000 candidates × 100,000 demand points with gbad alone and reports time and
peak memory.
"""

from __future__ import annotations

import argparse
import platform
import resource
import time

import numpy as np

from gbad.coverage.geodesy import pairwise_haversine_km, within_radius
from gbad.siting import mclp


def instance(n_demand: int, n_cand: int, seed: int) -> tuple[np.ndarray, ...]:
    rng = np.random.default_rng(seed)
    # demand clustered around 200 "cities", candidates uniform over central Europe
    centres = np.column_stack([rng.uniform(44, 56, 200), rng.uniform(-2, 26, 200)])
    k = rng.integers(0, 200, n_demand)
    dlat = centres[k, 0] + rng.normal(0, 0.4, n_demand)
    dlon = centres[k, 1] + rng.normal(0, 0.6, n_demand)
    w = rng.lognormal(3.0, 1.0, n_demand).round(0) + 1
    clat = rng.uniform(44, 56, n_cand)
    clon = rng.uniform(-2, 26, n_cand)
    return dlat, dlon, w, clat, clon


def run_pair(n_demand: int, n_cand: int, radius_km: float, p: int, seed: int) -> dict[str, float]:
    dlat, dlon, w, clat, clon = instance(n_demand, n_cand, seed)
    t0 = time.perf_counter()
    a = within_radius(dlat, dlon, clat, clon, radius_km)
    t_matrix = time.perf_counter() - t0
    t0 = time.perf_counter()
    ours = mclp(a, w, p)
    t_gbad = time.perf_counter() - t0
    print(
        f"gbad  : {t_gbad:8.2f} s  objective {ours.covered_weight:.0f}  optimal={ours.optimal}  "
        f"reduction {ours.reduction}  (matrix {t_matrix:.2f} s)"
    )

    import pulp
    from spopt.locate import MCLP

    cost = pairwise_haversine_km(dlat, dlon, clat, clon)
    # spopt covers when cost <= radius; the dense haversine equals the sparse test
    assert np.array_equal(cost <= radius_km, a.toarray())
    t0 = time.perf_counter()
    model = MCLP.from_cost_matrix(cost, w, radius_km, p_facilities=p)
    model = model.solve(pulp.PULP_CBC_CMD(msg=False))
    t_spopt = time.perf_counter() - t0
    obj = float(pulp.value(model.problem.objective))
    print(f"spopt : {t_spopt:8.2f} s  objective {obj:.0f}  (PuLP/CBC, build + solve)")
    same = abs(obj - ours.covered_weight) <= 1e-6 * max(1.0, obj)
    print(f"same optimum: {same}; speed ratio spopt/gbad = {t_spopt / t_gbad:.1f}x")
    return {"gbad_s": t_gbad, "spopt_s": t_spopt, "ratio": t_spopt / t_gbad, "same": float(same)}


def run_large(n_demand: int, n_cand: int, radius_km: float, p: int, seed: int) -> None:
    dlat, dlon, w, clat, clon = instance(n_demand, n_cand, seed)
    t0 = time.perf_counter()
    a = within_radius(dlat, dlon, clat, clon, radius_km)
    t_matrix = time.perf_counter() - t0
    t0 = time.perf_counter()
    sol = mclp(a, w, p)
    t = time.perf_counter() - t0
    peak_gib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
    print(
        f"large {n_cand} x {n_demand}: matrix {t_matrix:.1f} s ({a.nnz} pairs), solve {t:.1f} s, "
        f"optimal={sol.optimal}, gap={sol.mip_gap}, objective {sol.covered_weight:.0f}, "
        f"reduction {sol.reduction}, peak RSS {peak_gib:.2f} GiB"
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--demand", type=int, default=10_000)
    ap.add_argument("--candidates", type=int, default=1_000)
    ap.add_argument("--radius-km", type=float, default=40.0)
    ap.add_argument("--units", type=int, default=40)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--large", action="store_true")
    args = ap.parse_args()
    print(f"machine: {platform.machine()}, python {platform.python_version()}")
    print(
        f"instance: {args.candidates} candidates x {args.demand} demand, "
        f"R={args.radius_km} km, p={args.units}"
    )
    run_pair(args.demand, args.candidates, args.radius_km, args.units, args.seed)
    if args.large:
        run_large(100_000, 5_000, args.radius_km, 5 * args.units, args.seed + 1)


if __name__ == "__main__":
    main()
