"""Great-circle geometry on a spherical earth: distances and radius queries.

All distances use the IUGG mean earth radius R_1 = 6371.0088 km. Radius queries
find candidate pairs with a k-d tree on 3-D unit vectors (the chord length is a
monotone function of the great-circle distance) and then keep exactly the pairs
whose haversine distance is at most the radius, so ``d <= r`` holds to the last
bit of the haversine formula, not to the tree's tolerance. Each distinct radius
gets its own search, and columns at the same place with the same radius share one.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from scipy import sparse
from scipy.spatial import cKDTree

from gbad._geo import EARTH_RADIUS_KM, haversine_km

__all__ = [
    "EARTH_RADIUS_KM",
    "haversine_km",
    "pairwise_haversine_km",
    "unit_vectors",
    "within_radius",
]

#: IUGG mean earth radius R_1 [km] (Moritz 2000, Geodetic Reference System 1980).

FloatArray = npt.NDArray[np.float64]


def pairwise_haversine_km(
    lat1_deg: npt.ArrayLike,
    lon1_deg: npt.ArrayLike,
    lat2_deg: npt.ArrayLike,
    lon2_deg: npt.ArrayLike,
) -> FloatArray:
    """Dense matrix of great-circle distances [km], shape ``(len(1), len(2))``."""
    a1 = np.asarray(lat1_deg, dtype=float)[:, None]
    o1 = np.asarray(lon1_deg, dtype=float)[:, None]
    a2 = np.asarray(lat2_deg, dtype=float)[None, :]
    o2 = np.asarray(lon2_deg, dtype=float)[None, :]
    return haversine_km(a1, o1, a2, o2)


def unit_vectors(lat_deg: npt.ArrayLike, lon_deg: npt.ArrayLike) -> FloatArray:
    """Earth-centred unit vectors, shape ``(n, 3)``, of points given in degrees."""
    lat = np.radians(np.asarray(lat_deg, dtype=float))
    lon = np.radians(np.asarray(lon_deg, dtype=float))
    c = np.cos(lat)
    return np.column_stack([c * np.cos(lon), c * np.sin(lon), np.sin(lat)])


def within_radius(
    rows_lat_deg: npt.ArrayLike,
    rows_lon_deg: npt.ArrayLike,
    cols_lat_deg: npt.ArrayLike,
    cols_lon_deg: npt.ArrayLike,
    radius_km: float | npt.ArrayLike,
) -> sparse.csr_array:
    """Boolean sparse matrix: ``M[i, j]`` is true when row point i is within column j's radius.

    Parameters
    ----------
    rows_lat_deg, rows_lon_deg : array_like
        Points that are covered (demand) [degrees].
    cols_lat_deg, cols_lon_deg : array_like
        Points that cover (sites, fire units) [degrees].
    radius_km : float or array_like
        Coverage radius [km], one for all columns or one per column. A pair is
        kept when its great-circle distance is ``<=`` the column's radius; a
        negative or NaN radius keeps none, nor do points with non-finite
        coordinates (their distance is NaN), as in the dense
        ``pairwise_haversine_km(...) <= radius``.

    Returns
    -------
    scipy.sparse.csr_array
        Shape ``(n_rows, n_cols)``, dtype bool.

    Notes
    -----
    Columns are searched once per distinct ``(lat, lon, radius)`` site, and sites
    once per distinct radius with that radius's own chord, so a few long-range
    units do not widen the search for thousands of short-range ones; the kept
    pairs are then copied to every column standing at the site.
    """
    rlat = np.asarray(rows_lat_deg, dtype=float).ravel()
    rlon = np.asarray(rows_lon_deg, dtype=float).ravel()
    clat = np.asarray(cols_lat_deg, dtype=float).ravel()
    clon = np.asarray(cols_lon_deg, dtype=float).ravel()
    n_rows, n_cols = rlat.size, clat.size
    radius = np.broadcast_to(np.asarray(radius_km, dtype=float), (n_cols,))
    empty = sparse.csr_array((n_rows, n_cols), dtype=bool)
    # a pair can only be kept when its haversine distance is a number <= the radius,
    # so columns without a radius >= 0 and points with non-finite coordinates never are
    cols = np.flatnonzero((radius >= 0) & np.isfinite(clat) & np.isfinite(clon))
    rows = np.flatnonzero(np.isfinite(rlat) & np.isfinite(rlon))
    if rows.size == 0 or cols.size == 0:
        return empty
    # columns at the same place with the same radius cover the same rows: search once
    # per distinct (lat, lon, radius), then copy the pairs to every column of the site
    key = np.column_stack([clat[cols], clon[cols], radius[cols]])
    sites, inverse = np.unique(key, axis=0, return_inverse=True)
    inverse = np.asarray(inverse).ravel()
    s_lat, s_lon, s_rad = sites[:, 0], sites[:, 1], sites[:, 2]
    row_tree = cKDTree(unit_vectors(rlat[rows], rlon[rows]))
    site_xyz = unit_vectors(s_lat, s_lon)
    pi: list[np.ndarray] = []
    ps: list[np.ndarray] = []
    # one tree search per distinct radius, each with its own chord
    for rad in np.unique(s_rad):
        grp = np.flatnonzero(s_rad == rad)
        g_i, g_s = _candidate_pairs(row_tree, site_xyz[grp], float(rad))
        pi.append(g_i)
        ps.append(grp[g_s])
    i = rows[np.concatenate(pi)]
    s = np.concatenate(ps)
    d = haversine_km(rlat[i], rlon[i], s_lat[s], s_lon[s])
    keep = d <= s_rad[s]
    i, s = i[keep], s[keep]
    # site -> its columns (CSR-like: columns sorted by site)
    order = np.argsort(inverse, kind="stable")
    starts = np.searchsorted(inverse[order], np.arange(sites.shape[0] + 1))
    per_site = np.diff(starts)
    reps = per_site[s]
    out_i = np.repeat(i, reps)
    # for each kept pair, the offsets of its site's columns
    offs = np.arange(int(reps.sum())) - np.repeat(np.cumsum(reps) - reps, reps)
    out_j = cols[order[np.repeat(starts[s], reps) + offs]]
    mat = sparse.coo_array(
        (np.ones(out_i.size, dtype=bool), (out_i, out_j)), shape=(n_rows, n_cols)
    ).tocsr()
    mat.sum_duplicates()
    return mat


def _candidate_pairs(
    row_tree: cKDTree, site_xyz: FloatArray, radius_km: float
) -> tuple[np.ndarray, np.ndarray]:
    """(row, site) index pairs whose chord is within ``radius_km``'s chord (a superset)."""
    # chord on the unit sphere for the radius, inflated so that rounding in the tree
    # never drops a pair the exact haversine test would keep
    angle = min(radius_km / EARTH_RADIUS_KM, np.pi)
    chord = 2.0 * np.sin(angle / 2.0) * (1.0 + 1e-9) + 1e-12
    site_tree = cKDTree(site_xyz)
    pairs = site_tree.sparse_distance_matrix(row_tree, chord, output_type="ndarray")
    s = pairs["i"].astype(np.int64)
    i = pairs["j"].astype(np.int64)
    # sparse_distance_matrix omits exact zero distances; add coincident points back
    same = site_tree.query_ball_tree(row_tree, 0.0)
    extra_s = np.repeat(np.arange(len(same)), [len(x) for x in same])
    extra_i = np.fromiter((k for x in same for k in x), dtype=np.int64, count=extra_s.size)
    return np.concatenate([i, extra_i]), np.concatenate([s, extra_s])
