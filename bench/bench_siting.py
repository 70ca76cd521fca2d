"""Siting benchmark: gbad's MCLP (reduction + HiGHS) against spopt's MCLP (PuLP/CBC).

Run: ``.venv/bin/python bench/bench_siting.py [--large]``. One random instance over
Europe (seeded), the same coverage matrix for both solvers, both to optimality;
prints times, objectives and the speed ratio. ``--large`` then solves
5,000 candidates × 100,000 demand points with gbad alone and reports time and
peak memory: the uniform instance (``--large-kind uniform``), a realistic one
(``realistic``: demand clustered around the embedded defended assets, weighted
by population, candidates on a 25 km grid over the allies' land) or both.
``--time-limit`` bounds each large solve; ``--no-warm-start`` switches off the
greedy incumbent.
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


def realistic_instance(
    n_demand: int, n_cand: int, seed: int, grid_km: float = 25.0
) -> tuple[np.ndarray, ...]:
    """GBAD-like demand: points jittered around the embedded assets.

    Each demand point picks an asset with probability proportional to its
    population (capitals and cities) and lies at a normal offset of 15 km
    (north and east) from it; its weight is the asset's population over the
    number of its points, so the weights sum to the assets' population.
    Candidates: a ``grid_km`` grid on the allies' territory, thinned at random
    (seeded) to ``n_cand`` points.
    """
    from gbad.coverage.grid import assign_countries, europe_grid
    from gbad.reference import load_reference

    rng = np.random.default_rng(seed)
    ref = load_reference()
    assets = ref.assets
    pop = np.asarray(assets["population"].fillna(0.0), dtype=float) + 1.0
    k = rng.choice(len(assets), size=n_demand, p=pop / pop.sum())
    lat0 = assets["lat"].to_numpy(float)[k]
    lon0 = assets["lon"].to_numpy(float)[k]
    sd_km = 15.0
    dlat = lat0 + rng.normal(0, sd_km / 111.2, n_demand)
    dlon = lon0 + rng.normal(0, sd_km / 111.2, n_demand) / np.cos(np.radians(lat0))
    per_asset = np.bincount(k, minlength=len(assets))
    w = np.round(pop[k] / per_asset[k], 0) + 1.0
    allies = sorted(set(assets["iso3"].astype(str)))
    grid = assign_countries(europe_grid(grid_km), allies, ref.borders, assets)
    pick = np.sort(rng.choice(len(grid), size=min(n_cand, len(grid)), replace=False))
    return dlat, dlon, w, grid["lat"].to_numpy(float)[pick], grid["lon"].to_numpy(float)[pick]


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


def run_large(
    n_demand: int,
    n_cand: int,
    radius_km: float,
    p: int,
    seed: int,
    kind: str = "uniform",
    time_limit_s: float | None = None,
    warm_start: bool = True,
) -> None:
    if kind == "realistic":
        dlat, dlon, w, clat, clon = realistic_instance(n_demand, n_cand, seed)
    else:
        dlat, dlon, w, clat, clon = instance(n_demand, n_cand, seed)
    t0 = time.perf_counter()
    a = within_radius(dlat, dlon, clat, clon, radius_km)
    t_matrix = time.perf_counter() - t0
    t0 = time.perf_counter()
    sol = mclp(a, w, p, time_limit_s=time_limit_s, warm_start=warm_start)
    t = time.perf_counter() - t0
    peak_gib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
    print(
        f"large {kind} {clat.size} x {n_demand}: matrix {t_matrix:.1f} s ({a.nnz} pairs), "
        f"solve {t:.1f} s, optimal={sol.optimal}, status={sol.status}, gap={sol.mip_gap:.2e}, "
        f"objective {sol.covered_weight:.0f} of {sol.total_weight:.0f}, "
        f"reduction {sol.reduction}, warm start {warm_start}, peak RSS {peak_gib:.2f} GiB",
        flush=True,
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--demand", type=int, default=10_000)
    ap.add_argument("--candidates", type=int, default=1_000)
    ap.add_argument("--radius-km", type=float, default=40.0)
    ap.add_argument("--units", type=int, default=40)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--large", action="store_true")
    ap.add_argument("--large-kind", choices=["uniform", "realistic", "both"], default="both")
    ap.add_argument("--time-limit", type=float, default=None, help="per large solve [s]")
    ap.add_argument("--no-warm-start", action="store_true")
    ap.add_argument("--skip-pair", action="store_true")
    args = ap.parse_args()
    print(f"machine: {platform.machine()}, python {platform.python_version()}")
    print(
        f"instance: {args.candidates} candidates x {args.demand} demand, "
        f"R={args.radius_km} km, p={args.units}"
    )
    if not args.skip_pair:
        run_pair(args.demand, args.candidates, args.radius_km, args.units, args.seed)
    if args.large:
        kinds = ["realistic", "uniform"] if args.large_kind == "both" else [args.large_kind]
        for kind in kinds:
            run_large(
                100_000,
                5_000,
                args.radius_km,
                5 * args.units,
                args.seed + 1,
                kind,
                args.time_limit,
                not args.no_warm_start,
            )


if __name__ == "__main__":
    main()
