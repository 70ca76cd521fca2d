"""Calibrated defeat rates for the campaign: the fitted model at its last level.

What :mod:`gbad.engage.calibrate` learns from the Ukrainian Air Force's nightly
reports, turned into per-class rates a campaign can use (defeated, kinetic and by
electronic warfare, each as low/mid/high) and Ukraine's reported leak ranges for the
report to compare the plan with. Data: Ukrainian Air Force reports compiled by
Ivaniuk (ODC-BY 1.0; source_id ``ivaniuk-attacks``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.special import expit

from gbad.engage.calibrate import (
    DEFEAT_STAGES,
    CalibratedModel,
    default_model,
    load_model,
    month_label,
)
from gbad.engage.families import family_info

__all__ = [
    "ClassDefeatRates",
    "campaign_defeat_rates",
    "reported_leak_ranges",
    "sample_campaign_defeat_rates",
]


@dataclass(frozen=True)
class ClassDefeatRates:
    """Calibrated defeat rates of one gbad threat class, each as (low, mid, high).

    Attributes
    ----------
    threat_class : str
        ``ballistic``, ``cruise``, ``drone`` or ``glide``.
    defeated : tuple of float
        Share of launched threats that do not reach their target (destroyed or lost
        to EW).
    kinetic : tuple of float
        Share of launched threats destroyed.
    ew : tuple of float
        Share of launched threats lost to electronic warfare (``not_reach_goal``).
    level_month : str
        The month (YYYY-MM) whose level the rates hold (the model's last month).
    families : dict of str to float
        The campaign families of the class and their weights (launched in the last
        12 months of the training data).
    raid_size : float
        Launched-weighted mean row size of those families over the same 12 months,
        the size at which the saturation term is evaluated.
    """

    threat_class: str
    defeated: tuple[float, float, float]
    kinetic: tuple[float, float, float]
    ew: tuple[float, float, float]
    level_month: str
    families: Mapping[str, float]
    raid_size: float

    def as_dict(self) -> dict[str, Any]:
        """JSON-able form."""
        return {
            "threat_class": self.threat_class,
            "defeated": list(self.defeated),
            "kinetic": list(self.kinetic),
            "ew": list(self.ew),
            "level_month": self.level_month,
            "families": dict(self.families),
            "raid_size": self.raid_size,
        }


def _beta_draws(rng: np.random.Generator, mean: np.ndarray, rho: float, size: int) -> np.ndarray:
    conc = 1.0 / min(max(rho, 1e-6), 1 - 1e-6) - 1.0
    m = np.clip(mean, 1e-9, 1 - 1e-9)
    return rng.beta(m * conc, (1 - m) * conc, size=size)


def campaign_defeat_rates(
    model: CalibratedModel | Mapping[str, Any] | None = None,
    *,
    draws: int = 20_000,
    seed: int = 20251,
) -> dict[str, ClassDefeatRates]:
    """Calibrated defeat rates per gbad threat class, at the model's last level.

    For each class, the rates are those of Ukraine's defence in the model's last month
    (the local level held, no trend), against the class's campaign families
    (:data:`gbad.engage.families.FAMILIES` with ``campaign=True``: Shahed/Geran;
    Kh-101/Kh-555/Kalibr, Iskander-K, Kh-59/69, Kh-22/32, anti-ship; Iskander-M/KN-23;
    Kinzhal), mixed by their launches over the last 12 months of the training data,
    each at its launched-weighted mean raid size over those months.

    ``mid`` is the expected share of a launched threat; ``low`` and ``high`` are the
    10th and 90th percentiles of the per-night share: draws of the family (by weight),
    of the night's defeat probability from its beta distribution (mean from the
    model, intra-row correlation rho of the class) and of the night's kinetic share of
    defeated likewise. They describe night-to-night spread, not the (smaller)
    uncertainty of the fitted level; a sweep may sample from them. ``aircraft`` is
    absent (the reports have no aircraft rows), as is any class without a campaign
    family in the last 12 months.

    Parameters
    ----------
    model : CalibratedModel or model document, optional
        Default: :func:`default_model` (fitted on the embedded reports).
    draws : int
        Monte Carlo draws per class for the percentiles.
    seed : int
        Seed of the :class:`numpy.random.Generator` (the result is deterministic).

    Returns
    -------
    dict of str to ClassDefeatRates
        Keyed by threat class.

    Notes
    -----
    These are Ukraine's rates (Ukrainian Air Force claims, 2022-2025; source_id
    ``ivaniuk-attacks``). Using them for a European force assumes its defence meets
    each class as Ukraine's did in the last month; the caller must state it.
    """
    fitted = default_model() if model is None else load_model(model)
    rng = np.random.default_rng(seed)
    out: dict[str, ClassDefeatRates] = {}
    for cls, (names, weights, sizes, p, k) in _campaign_families(fitted).items():
        draw = _night_draws(fitted, cls, (weights, p, k), rng, draws)
        means = {
            "defeated": float(weights @ p),
            "kinetic": float(weights @ (p * k)),
            "ew": float(weights @ (p * (1 - k))),
        }
        triples = {
            key: (float(np.quantile(draw[key], 0.1)), mid, float(np.quantile(draw[key], 0.9)))
            for key, mid in means.items()
        }
        out[cls] = ClassDefeatRates(
            threat_class=cls,
            defeated=triples["defeated"],
            kinetic=triples["kinetic"],
            ew=triples["ew"],
            level_month=month_label(fitted.last_month),
            families=dict(zip(names, (float(w) for w in weights), strict=True)),
            raid_size=float(weights @ sizes),
        )
    return out


def sample_campaign_defeat_rates(
    model: CalibratedModel | Mapping[str, Any] | None,
    rng: np.random.Generator,
    draws: int,
) -> dict[str, dict[str, np.ndarray]]:
    """Draws of the per-night shares behind :func:`campaign_defeat_rates`.

    For sweeps: per class, arrays ``defeated``, ``kinetic`` and ``ew`` of length
    ``draws`` (one night each: a campaign family by weight, then its defeat
    probability and kinetic share from their beta distributions), so that
    ``defeated == kinetic + ew`` draw by draw. Their means tend to the ``mid`` of
    :func:`campaign_defeat_rates`, their 10th/90th percentiles to ``low``/``high``.
    """
    fitted = default_model() if model is None else load_model(model)
    return {
        cls: _night_draws(fitted, cls, (weights, p, k), rng, draws)
        for cls, (_, weights, _, p, k) in _campaign_families(fitted).items()
    }


def _campaign_families(
    fitted: CalibratedModel,
) -> dict[str, tuple[list[str], np.ndarray, np.ndarray, np.ndarray, np.ndarray]]:
    """Per class: campaign families, weights, raid sizes, defeat p and kinetic share."""
    month = np.array([fitted.last_month])
    out = {}
    for cls in sorted(fitted.classes):
        par = fitted.classes[cls]
        fams = {
            name: f
            for name, f in par["families"].items()
            if (info := family_info(name)) is not None
            and info.campaign
            and float(f["recent_launched"]) > 0
        }
        if not fams:
            continue
        names = sorted(fams)
        weights = np.array([float(fams[f]["recent_launched"]) for f in names])
        sizes = np.array([float(fams[f]["recent_raid_size"]) for f in names])
        p, k = (
            np.array(
                [
                    expit(fitted.stage_logit(cls, stage, np.array([f]), np.array([s]), month))[0]
                    for f, s in zip(names, sizes, strict=True)
                ]
            )
            for stage in DEFEAT_STAGES
        )
        out[cls] = (names, weights / weights.sum(), sizes, p, k)
    return out


def _night_draws(
    fitted: CalibratedModel,
    cls: str,
    mix: tuple[np.ndarray, np.ndarray, np.ndarray],
    rng: np.random.Generator,
    draws: int,
) -> dict[str, np.ndarray]:
    weights, p, k = mix
    par = fitted.classes[cls]
    pick = rng.choice(weights.size, size=draws, p=weights)
    p_draw = _beta_draws(rng, p[pick], float(par["defeat"]["rho"]), draws)
    k_draw = _beta_draws(rng, k[pick], float(par["kinetic"]["rho"]), draws)
    return {"defeated": p_draw, "kinetic": p_draw * k_draw, "ew": p_draw * (1 - k_draw)}


def reported_leak_ranges(
    model: CalibratedModel | Mapping[str, Any] | None = None,
) -> dict[str, tuple[float, float, float]]:
    """Ukraine's reported leak share per threat class, as (low, mid, high).

    Over the last 12 months of the model's training reports, per night (all rows of
    the class's campaign families on one date summed), the leak share is
    (launched - defeated) / launched; low, mid and high are its 10th, 50th and 90th
    percentiles weighted by the night's launched. Read from the model file (computed
    at fit time); default: :func:`default_model`.
    """
    fitted = default_model() if model is None else load_model(model)
    return {
        cls: (float(v["low"]), float(v["mid"]), float(v["high"]))
        for cls, v in fitted.reported_leak.items()
    }
