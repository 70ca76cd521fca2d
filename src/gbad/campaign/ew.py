"""The electronic-warfare layer of a campaign: threats defeated before any fire unit engages.

Electronic warfare (jamming and spoofing of navigation and data links) is a defeat
layer, not an interceptor: it fires no round, so it has no stock, no channel and
no cost per defeat. Each launched threat of class :math:`c` aimed at ally
:math:`a` is defeated by it with probability :math:`p_{ac}`, independently, before
the fire units engage (:func:`gbad.campaign.model.simulate_night`).

Two models give :math:`p_{ac}` (``engagement.ew_layer``):

``calibrated`` (the default)
    Every ally has Ukraine's electronic-warfare rate :math:`p^{UA}_c`: the share of
    launched threats of the class the Ukrainian Air Force reported as lost to
    electronic warfare (``not_reach_goal``), from the embedded calibration
    (:func:`gbad.engage.campaign_rates.campaign_defeat_rates`), times
    ``engagement.ew_factor``. It assumes the allies field electronic warfare as
    dense and effective as Ukraine's.

``fielded``
    The layer of each ally comes from the electronic-warfare systems it fields in
    the campaign year (``effectors.effector == "ew"``)::

        sigma_as = min(1, n_as * k_s / N_a)
        p_ac     = min(1, f * (1 - prod_s (1 - sigma_as * q_sc)))

    with :math:`n_{as}` the ready EW fire units of system :math:`s`,
    :math:`k_s` the defended assets one covers (``effectors.ew_sites_per_fu``),
    :math:`N_a` the ally's defended assets (``assets`` rows; at least 1),
    :math:`q_{sc}` the probability the system defeats a threat of the class inside
    its coverage (``envelopes.pk`` at ``engagement.calibration_level``) and
    :math:`f` = ``engagement.ew_factor``. :math:`\\sigma_{as}` is the share of the
    ally's threats that fly into that system's coverage (threats spread evenly
    over the ally's assets); different systems act independently. An ally that
    fields no EW system has no layer.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from gbad.scenario.sections import THREAT_CLASSES

__all__ = ["EW_EFFECTOR", "ew_systems", "fielded_ew_defeat", "fielded_ew_layer"]

F64 = npt.NDArray[np.float64]

#: ``effectors.effector`` of electronic-warfare systems.
EW_EFFECTOR = "ew"


def ew_systems(ref: Any) -> frozenset[str]:
    """Systems whose effector is electronic warfare (empty without an effectors table)."""
    eff = getattr(ref, "effectors", None)
    if not isinstance(eff, pd.DataFrame) or eff.empty or "effector" not in eff.columns:
        return frozenset()
    return frozenset(eff.loc[eff["effector"].astype(str) == EW_EFFECTOR, "system"].astype(str))


def fielded_ew_defeat(
    units: npt.ArrayLike,
    sites_per_fu: npt.ArrayLike,
    assets: npt.ArrayLike,
    defeat: npt.ArrayLike,
    factor: float = 1.0,
) -> F64:
    """Defeat probability ``(A, C)`` of the electronic-warfare layer fielded by each ally.

    Parameters
    ----------
    units : (A, S) array
        Ready electronic-warfare fire units per ally and EW system.
    sites_per_fu : (S,) array
        Defended assets one fire unit of each system covers (:math:`k_s`).
    assets : (A,) array
        Defended assets of each ally (:math:`N_a`; values below 1 count as 1).
    defeat : (S, C) array
        Probability the system defeats a threat of each class inside its coverage.
    factor : float
        ``engagement.ew_factor``; the result is capped at 1.

    Returns
    -------
    (A, C) float array
        :math:`\\min(1, f(1 - \\prod_s (1 - \\sigma_{as} q_{sc})))` with
        :math:`\\sigma_{as} = \\min(1, n_{as} k_s / N_a)`.

    Examples
    --------
    One system covering half of an ally's assets, defeating a third of the drones
    inside its coverage, defeats a sixth of the ally's drones:

    >>> fielded_ew_defeat([[2]], [1.0], [4], [[1 / 3]]).round(4).tolist()
    [[0.1667]]
    """
    n = np.asarray(units, dtype=float)
    k = np.asarray(sites_per_fu, dtype=float)
    big_n = np.maximum(np.asarray(assets, dtype=float), 1.0)
    q = np.asarray(defeat, dtype=float)
    if n.ndim != 2 or q.ndim != 2 or n.shape[1] != q.shape[0] or k.shape != (q.shape[0],):
        raise ValueError("units (A, S), sites_per_fu (S,), defeat (S, C) do not match")
    if big_n.shape != (n.shape[0],):
        raise ValueError("assets must have one entry per ally")
    sigma = np.clip(np.maximum(n, 0.0) * k[None, :] / big_n[:, None], 0.0, 1.0)  # (A, S)
    survive = np.prod(1.0 - sigma[:, :, None] * np.clip(q, 0.0, 1.0)[None, :, :], axis=1)
    return np.asarray(np.clip(factor * (1.0 - survive), 0.0, 1.0), dtype=np.float64)


def fielded_ew_layer(
    ref: Any,
    force: pd.DataFrame,
    areas: Sequence[str],
    *,
    level: str = "mid",
    factor: float = 1.0,
) -> F64:
    """The ``fielded`` layer ``(A, C)`` of ``areas`` for a force (see the module docstring).

    Parameters
    ----------
    ref : Reference
        ``effectors``, ``envelopes`` and (for :math:`N_a`) ``assets``.
    force : DataFrame
        The campaign's order of battle (``iso3, system, fire_units_ready``).
    areas : sequence of str
        The allies, in the campaign's order.
    level : str
        Which of the envelopes' ``pk_low/mid/high`` is :math:`q_{sc}`.
    factor : float
        ``engagement.ew_factor``.
    """
    n_c = len(THREAT_CLASSES)
    names = sorted(ew_systems(ref))
    if not names:
        return np.zeros((len(areas), n_c))
    eff = ref.effectors.set_index("system")
    k = pd.to_numeric(eff.loc[names, "ew_sites_per_fu"], errors="coerce").fillna(0.0)
    units = np.zeros((len(areas), len(names)))
    if len(force):
        rows = force[force["system"].astype(str).isin(names) & force["iso3"].isin(list(areas))]
        ready = "fire_units_ready" if "fire_units_ready" in rows.columns else "fire_units"
        for iso, system, n in zip(rows["iso3"], rows["system"], rows[ready], strict=True):
            units[list(areas).index(str(iso)), names.index(str(system))] += float(n)
    assets_t = getattr(ref, "assets", None)
    counts = np.ones(len(areas))
    if isinstance(assets_t, pd.DataFrame) and not assets_t.empty:
        per = assets_t.groupby("iso3").size()
        counts = np.array([float(per.get(a, 1)) for a in areas])
    q = np.zeros((len(names), n_c))
    env = ref.envelopes
    col = f"pk_{level}"
    for r in env[env["system"].astype(str).isin(names)].itertuples(index=False):
        c = str(r.threat_class)
        if c in THREAT_CLASSES:
            value = float(getattr(r, col))
            q[names.index(str(r.system)), THREAT_CLASSES.index(c)] = (
                0 if math.isnan(value) else value
            )
    return fielded_ew_defeat(units, k.to_numpy(dtype=float), counts, q, factor)
