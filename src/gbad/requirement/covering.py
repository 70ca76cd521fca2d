r"""Where new fire units stand and how many: a covering MILP on the spatial campaign.

On the spatial campaign (:mod:`gbad.campaign.spatial`) a fire unit engages a
threat only when the threat's target asset lies within the unit's effective
radius for its class, so the requirement must choose sites as well as counts. A
search that values every (ally, system, site) move on the campaign model is far
too slow (hundreds of moves, each a campaign). :func:`covering_additions` instead
solves, once, a linear stand-in of the campaign with HiGHS (Huangfu & Hall 2018):
the maximal covering location problem (Church & ReVelle 1974) with a cost
objective, per-system kill probabilities and one leak budget over all allies. Its
counts and sites are the starting point the greedy on the campaign model repairs
(:func:`gbad.requirement.search.greedy_additions`; Minoux 1978).

Model. Allies' assets :math:`i`, missile classes :math:`c`, the campaign's
expected missiles aimed at the asset after the electronic-warfare layer
:math:`D_{ic} = \sum_t \bar n_{tc}\, w_{ic}\, (1 - \epsilon_{a(i)c})` (``means``,
the geometry's asset shares :math:`w`, the EW defeat :math:`\epsilon`). A new
ready fire unit of candidate system :math:`j` at asset :math:`k` of the same
ally, :math:`y_{jk} \in \{0, 1\}`, costs :math:`c_j / \rho_j` (its price with its
interceptors over its readiness: that many units are bought per ready one). The
share of :math:`D_{ic}` engaged by system :math:`j`, :math:`z_{icj} \in [0, 1]`:

.. math::
    \min \sum_{jk} \frac{c_j}{\rho_j} y_{jk} + M s
    \quad \text{s.t.} \quad
    z_{icj} &\le E_{icj} + \sum_{k:\, d(i,k) \le r_{jc}} y_{jk}
        &\quad\text{(covered)}\\
    \sum_j z_{icj} &\le 1 &\quad\text{(engaged once)}\\
    \sum_{ic} D_{ic} \Big(1 - \sum_j P_{jc} z_{icj}\Big) - s &\le B
        &\quad\text{(leak budget)}

with :math:`E_{icj} = 1` when a unit of :math:`j` of the existing force already
stands within :math:`r_{jc}` of the asset, :math:`r_{jc}` the effective radius
(:func:`gbad.coverage.envelope.scenario_radii`), :math:`P_{jc} = 1-(1-p_{jc})^K`
the kill probability of one engagement (the mean-field model's), :math:`B` the
leak budget and :math:`s` a slack priced at :data:`SLACK_PENALTY_MUSD` per missile
so that a budget no force can meet (classes no system engages) gives the best
achievable force rather than "infeasible".

What it leaves out, and the campaign model then repairs: a threat engaged by
several layers (the model counts one engagement, so it over-buys where layers
overlap), magazines emptied over the nights (drones draw on the same stocks),
channel saturation within a wave. Those are in the mean-field campaign the
greedy values; the Monte Carlo check follows.
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from gbad.scenario.sections import MISSILE_CLASSES, THREAT_CLASSES

__all__ = ["CoveringResult", "covering_additions", "standing_sites"]

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]

#: Price of a missile leaking above the budget in the covering model [MUSD]: far
#: above any fire unit, so slack is used only where no unit can engage.
SLACK_PENALTY_MUSD = 1.0e6
#: HiGHS time limit of the covering model [s] (the best incumbent is used).
TIME_LIMIT_S = 20.0
#: Relative MIP gap at which HiGHS stops.
MIP_GAP = 0.01

_MISSILE_IDX = np.array([THREAT_CLASSES.index(c) for c in MISSILE_CLASSES], dtype=np.int64)


@dataclass
class CoveringResult:
    """New ready fire units by site (:func:`covering_additions`).

    Attributes
    ----------
    sites : dict of (area, system) to list of int
        Asset indices (of the geometry) where new ready units stand, one per unit.
    leakers : float
        Expected missile leakers of the covering model with those units.
    existing_leakers : float
        The same without them.
    status : str
        HiGHS model status.
    seconds : float
        Time to build and solve.
    """

    sites: dict[tuple[int, int], list[int]] = field(default_factory=dict)
    leakers: float = math.nan
    existing_leakers: float = math.nan
    status: str = ""
    seconds: float = 0.0


def standing_sites(geo: Any, fire_units: I64) -> dict[tuple[int, int], tuple[F64, F64]]:
    """Positions of the standing units of each (ally, system), placed ones first,
    as the campaign stands them (:meth:`gbad.campaign.geometry.AssetGeometry.standing`)."""
    return dict(geo.standing(fire_units))


def covering_additions(
    setup: Any,
    candidates: Sequence[Sequence[int]],
    unit_cost: Mapping[int, float],
    readiness: npt.ArrayLike,
    budget: float,
    *,
    time_limit_s: float = TIME_LIMIT_S,
) -> CoveringResult:
    """Least-cost new ready fire units, with their sites, meeting the leak budget.

    Parameters
    ----------
    setup : CampaignSetup
        A spatial campaign (``setup.geometry`` set) with the existing force.
    candidates : list of list of int
        Systems each ally may buy (indices into ``setup.systems``).
    unit_cost : mapping
        Price of one new fire unit with its interceptors, per system [MUSD].
    readiness : (S,) array
        Ready share of fire units in service, per system.
    budget : float
        Expected missile leakers allowed over the campaign, all allies.
    time_limit_s : float
        HiGHS time limit.

    Returns
    -------
    CoveringResult
    """
    import highspy

    from gbad._highs import new_highs
    from gbad.campaign.mix import _engagement_arrays
    from gbad.coverage.geodesy import pairwise_haversine_km

    t0 = time.perf_counter()
    geo = setup.geometry
    if geo is None:
        raise ValueError("covering_additions needs a spatial campaign")
    kill, _ = _engagement_arrays(setup)
    rho = np.asarray(readiness, dtype=float)
    ew = setup.ew_defeat if setup.ew_defeat.ndim == 2 else setup.ew_defeat[None, :]
    ew = np.broadcast_to(ew, setup.exposure.shape)
    total = setup.means.sum(axis=0)
    demand = total[None, :] * geo.asset_share  # (M, C) launched at each asset
    d_eff = demand * (1.0 - ew[geo.asset_area])
    engage_ok = (setup.pk > 0) & (geo.radius_km > 0)  # (S, C)

    # Existing units' cover of each asset against each class, per system. The
    # campaign's items are (asset, launch area) pairs (engagement on the flight
    # path); a unit covers an asset here when it engages every pair that carries
    # the asset's missiles of the class (for ballistic and glide missiles, engaged
    # at their target only, that is the target rule itself).
    g_area, g_sys, _, pair_cover = geo.cover(setup.fire_units)
    p_asset, _, p_share = geo.pairs()
    n_m = geo.lat.size
    existing = np.zeros((n_m, len(THREAT_CLASSES), len(setup.systems)), dtype=bool)
    own = geo.asset_area[:, None] == g_area[None, :]
    for c in _MISSILE_IDX.tolist():
        engaged = np.zeros((n_m, g_area.size))
        np.add.at(engaged, p_asset, p_share[:, c, None] * pair_cover[c])
        whole = engaged >= geo.asset_share[:, c, None] * (1.0 - 1e-9)
        hit = whole & own & engage_ok[g_sys, c][None, :]
        for g in np.flatnonzero(hit.any(axis=0)):
            existing[hit[:, g], c, g_sys[g]] = True

    col_cost: list[float] = []
    col_lb: list[float] = []
    col_ub: list[float] = []
    integer: list[int] = []
    y_key: list[tuple[int, int, int]] = []
    y_index: dict[tuple[int, int, int], int] = {}
    rows_lo: list[float] = []
    rows_hi: list[float] = []
    r_start: list[int] = []
    r_index: list[int] = []
    r_value: list[float] = []
    kills_idx: list[int] = []
    kills_val: list[float] = []
    base_leak = 0.0
    #: Per (asset, class): missiles, and each system's kill with the columns of
    #: the sites that would cover it (``None``: an existing unit covers it).
    groups: list[tuple[float, list[tuple[float, list[int] | None]]]] = []

    def add_col(cost: float, ub: float, is_int: bool) -> int:
        col_cost.append(cost)
        col_lb.append(0.0)
        col_ub.append(ub)
        if is_int:
            integer.append(len(col_cost) - 1)
        return len(col_cost) - 1

    def add_row(lo: float, hi: float, idx: list[int], val: list[float]) -> None:
        rows_lo.append(lo)
        rows_hi.append(hi)
        r_start.append(len(r_index))
        r_index.extend(idx)
        r_value.extend(val)

    for a in range(len(setup.areas)):
        assets = np.flatnonzero(geo.asset_area == a)
        if assets.size == 0:
            continue
        dist = pairwise_haversine_km(
            geo.lat[assets], geo.lon[assets], geo.lat[assets], geo.lon[assets]
        )
        held = {int(j) for j in np.flatnonzero(setup.fire_units[a] > 0)}
        buy = [int(j) for j in candidates[a]]
        for pos, i in enumerate(assets.tolist()):
            for c in _MISSILE_IDX.tolist():
                dic = float(d_eff[i, c])
                if dic <= 0:
                    continue
                base_leak += dic
                zs: list[int] = []
                options: list[tuple[float, list[int] | None]] = []
                for j in sorted(held | set(buy)):
                    if not engage_ok[j, c] or kill[j, c] <= 0:
                        continue
                    covered = bool(existing[i, c, j])
                    near: list[int] = []
                    if not covered and j in buy:
                        near = np.flatnonzero(dist[pos] <= geo.radius_km[j, c]).tolist()
                    if not covered and not near:
                        continue
                    z = add_col(0.0, 1.0, False)
                    zs.append(z)
                    kills_idx.append(z)
                    kills_val.append(dic * float(kill[j, c]))
                    if covered:
                        options.append((float(kill[j, c]), None))
                        continue
                    ys = []
                    for k in near:
                        key = (a, j, int(assets[k]))
                        if key not in y_index:
                            y_index[key] = add_col(
                                float(unit_cost[j]) / max(float(rho[j]), 1e-6), 1.0, True
                            )
                            y_key.append(key)
                        ys.append(y_index[key])
                    add_row(-math.inf, 0.0, [z, *ys], [1.0, *([-1.0] * len(ys))])
                    options.append((float(kill[j, c]), ys))
                groups.append((dic, options))
                if len(zs) > 1:
                    add_row(-math.inf, 1.0, zs, [1.0] * len(zs))
    slack = add_col(SLACK_PENALTY_MUSD, math.inf, False)
    # base_leak - Σ D P z - s <= B  <=>  Σ D P z + s >= base_leak - B
    add_row(base_leak - budget, math.inf, [*kills_idx, slack], [*kills_val, 1.0])

    h = new_highs()
    lp = highspy.HighsLp()
    lp.num_col_ = len(col_cost)
    lp.num_row_ = len(rows_lo)
    lp.col_cost_ = np.asarray(col_cost)
    lp.col_lower_ = np.asarray(col_lb)
    lp.col_upper_ = np.asarray(col_ub)
    lp.row_lower_ = np.asarray(rows_lo)
    lp.row_upper_ = np.asarray(rows_hi)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.start_ = np.asarray([*r_start, len(r_index)], dtype=np.int32)
    lp.a_matrix_.index_ = np.asarray(r_index, dtype=np.int32)
    lp.a_matrix_.value_ = np.asarray(r_value)
    kinds = np.full(len(col_cost), highspy.HighsVarType.kContinuous)
    kinds[integer] = highspy.HighsVarType.kInteger
    lp.integrality_ = list(kinds)
    h.passModel(lp)
    h.setOptionValue("time_limit", float(time_limit_s))
    h.setOptionValue("mip_rel_gap", MIP_GAP)
    h.run()
    status = h.modelStatusToString(h.getModelStatus())
    out = CoveringResult(status=status, existing_leakers=math.nan)
    if h.getInfo().primal_solution_status != highspy.SolutionStatus.kSolutionStatusFeasible:
        out.seconds = time.perf_counter() - t0
        return out
    x = np.asarray(h.getSolution().col_value)
    for key, col in zip(y_key, (y_index[k] for k in y_key), strict=True):
        if x[col] > 0.5:
            out.sites.setdefault((key[0], key[1]), []).append(key[2])
    # Each system's sites, the one covering the most missiles first: units the
    # greedy's pruning removes (the last ones) are those that cover least.
    for (a, j), ks in out.sites.items():
        k_arr = np.asarray(ks, dtype=np.int64)
        mine = np.flatnonzero(geo.asset_area == a)
        d = pairwise_haversine_km(geo.lat[k_arr], geo.lon[k_arr], geo.lat[mine], geo.lon[mine])
        r = geo.radius_km[j, _MISSILE_IDX]
        w = d_eff[np.ix_(mine, _MISSILE_IDX)] * kill[j, _MISSILE_IDX][None, :]
        value = ((d[:, :, None] <= r[None, None, :]) * w[None, :, :]).sum(axis=(1, 2))
        out.sites[(a, j)] = [int(k) for k in k_arr[np.argsort(-value, kind="stable")]]
    # Leakers with the chosen sites, each missile engaged by its best covering
    # system (the model engages no more than the budget asks).
    on = x > 0.5

    def leak(with_new: bool) -> float:
        total = 0.0
        for dic, options in groups:
            best = max(
                (p for p, ys in options if ys is None or (with_new and any(on[y] for y in ys))),
                default=0.0,
            )
            total += dic * (1.0 - best)
        return total

    out.leakers = leak(True)
    out.existing_leakers = leak(False)
    out.seconds = time.perf_counter() - t0
    return out
