"""Coverage benchmark: the default plan's coverage stage, today's radius search vs the previous one.

Run: ``.venv/bin/python bench/bench_coverage.py [--repeat N]``. Builds the default
scenario's fire units (targets + siting, not timed), then runs
``gbad.coverage.assess`` twice on them: with :func:`gbad.coverage.geodesy.within_radius`
(one tree search per distinct radius and per distinct site) and with the previous
search kept below (one search with the largest radius for every fire unit, then the
exact haversine test). Both must give identical results (every table and the JSON
summary); prints CPU and wall seconds and the ratio. Also compares the radius search
alone with a dense haversine matrix on all assets × fire units.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from collections.abc import Callable
from typing import Any
from unittest import mock

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy import sparse
from scipy.spatial import cKDTree

from gbad.coverage import assess
from gbad.coverage.envelope import effective_radii, radius_lookup
from gbad.coverage.geodesy import (
    EARTH_RADIUS_KM,
    haversine_km,
    pairwise_haversine_km,
    unit_vectors,
    within_radius,
)
from gbad.procurement import decide_procurement
from gbad.reference import load_reference
from gbad.scenario import parse_scenario
from gbad.siting import site_new_units
from gbad.targets import compute_targets


def within_radius_previous(
    rows_lat_deg: npt.ArrayLike,
    rows_lon_deg: npt.ArrayLike,
    cols_lat_deg: npt.ArrayLike,
    cols_lon_deg: npt.ArrayLike,
    radius_km: float | npt.ArrayLike,
) -> sparse.csr_array:
    """The search before per-radius grouping: the largest radius for every column."""
    rlat = np.asarray(rows_lat_deg, dtype=float)
    rlon = np.asarray(rows_lon_deg, dtype=float)
    clat = np.asarray(cols_lat_deg, dtype=float)
    clon = np.asarray(cols_lon_deg, dtype=float)
    n_rows, n_cols = rlat.size, clat.size
    radius = np.broadcast_to(np.asarray(radius_km, dtype=float), (n_cols,))
    if n_rows == 0 or n_cols == 0 or not np.any(radius >= 0):
        return sparse.csr_array((n_rows, n_cols), dtype=bool)
    angle = min(float(np.max(radius)) / EARTH_RADIUS_KM, np.pi)
    chord = 2.0 * np.sin(angle / 2.0) * (1.0 + 1e-9) + 1e-12
    row_tree = cKDTree(unit_vectors(rlat, rlon))
    col_tree = cKDTree(unit_vectors(clat, clon))
    pairs = col_tree.sparse_distance_matrix(row_tree, chord, output_type="ndarray")
    j = pairs["i"].astype(np.int64)
    i = pairs["j"].astype(np.int64)
    same = col_tree.query_ball_tree(row_tree, 0.0)
    extra_j = np.repeat(np.arange(n_cols), [len(s) for s in same])
    extra_i = np.fromiter((k for s in same for k in s), dtype=np.int64, count=extra_j.size)
    i = np.concatenate([i, extra_i])
    j = np.concatenate([j, extra_j])
    d = haversine_km(rlat[i], rlon[i], clat[j], clon[j])
    keep = d <= radius[j]
    mat = sparse.coo_array(
        (np.ones(int(keep.sum()), dtype=bool), (i[keep], j[keep])), shape=(n_rows, n_cols)
    ).tocsr()
    mat.sum_duplicates()
    return mat


def timed(fn: Callable[[], Any], repeat: int) -> tuple[Any, float, float]:
    """Result and the best CPU and wall seconds of ``repeat`` calls."""
    cpu, wall, out = [], [], None
    for _ in range(repeat):
        c0, w0 = time.process_time(), time.perf_counter()
        out = fn()
        cpu.append(time.process_time() - c0)
        wall.append(time.perf_counter() - w0)
    return out, min(cpu), min(wall)


def same_result(a: Any, b: Any) -> bool:
    for name in ("fire_units", "radii", "assets", "merit", "undefended", "grid"):
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name))
    return json.dumps(a.to_dict(), default=str) == json.dumps(b.to_dict(), default=str)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--repeat", type=int, default=2, help="runs per variant (best is kept)")
    args = ap.parse_args()
    print(f"machine {platform.machine()}, {os.cpu_count()} cores, load {os.getloadavg()}")
    scenario = parse_scenario({})
    ref = load_reference(overrides=scenario.overrides)
    bought = decide_procurement(ref, scenario, compute_targets(ref, scenario))
    fu = site_new_units(ref, scenario, bought).fire_units
    print(
        f"default plan: {len(fu)} fire units at {len(fu[['lat', 'lon']].drop_duplicates())} sites"
    )

    new, cpu_new, wall_new = timed(lambda: assess(ref, scenario, fu), args.repeat)
    with mock.patch("gbad.coverage.merit.within_radius", within_radius_previous):
        old, cpu_old, wall_old = timed(lambda: assess(ref, scenario, fu), args.repeat)
    assert same_result(new, old), "results differ"
    print(f"assess, gbad     : {cpu_new:7.2f} s CPU  {wall_new:7.2f} s wall")
    print(f"assess, previous : {cpu_old:7.2f} s CPU  {wall_old:7.2f} s wall  (identical results)")
    print(f"ratio gbad/previous: CPU {cpu_new / cpu_old:.3f}  wall {wall_new / wall_old:.3f}")

    # the radius search alone, assets x fire units, every class, against a dense matrix
    radii = effective_radii(ref.systems, ref.envelopes, ref.threats)
    assets = ref.assets
    alat, alon = assets["lat"].to_numpy(float), assets["lon"].to_numpy(float)
    flat, flon = fu["lat"].to_numpy(float), fu["lon"].to_numpy(float)
    rs = [radius_lookup(radii, fu["system"], c) for c in ref.threats["threat_class"]]

    def search(fn: Callable[..., sparse.csr_array]) -> list[sparse.csr_array]:
        return [fn(alat, alon, flat, flon, r) for r in rs]

    def dense() -> list[np.ndarray]:
        d = pairwise_haversine_km(alat, alon, flat, flon)
        return [d <= r[None, :] for r in rs]

    m_new, c_new, _ = timed(lambda: search(within_radius), args.repeat)
    m_old, c_old, _ = timed(lambda: search(within_radius_previous), args.repeat)
    m_dense, c_dense, _ = timed(dense, args.repeat)
    for a, b, c in zip(m_new, m_old, m_dense, strict=True):
        assert np.array_equal(a.toarray(), c) and np.array_equal(b.toarray(), c)
    print(
        f"radius search, {alat.size} assets x {flat.size} units x {len(rs)} classes: "
        f"gbad {c_new:.3f} s, previous {c_old:.3f} s, dense haversine {c_dense:.3f} s CPU "
        f"(ratios {c_new / c_old:.3f}, {c_new / c_dense:.3f}; all identical)"
    )


if __name__ == "__main__":
    main()
