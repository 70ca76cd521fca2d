r"""Defeat rates fitted to the Ukrainian Air Force's nightly reports (2022-2025).

Each report row gives, for one weapon model on one night, the number ``launched``,
the number ``destroyed`` (kinetic) and, from mid-2024, the number that did not reach
its target through electronic warfare (``not_reach_goal``). Their sum is
``defeated``. The model factors a row's outcome in two stages,

.. math::

    \text{defeated} &\sim \text{BetaBin}(n,\ \pi,\ \rho_d), &
    \operatorname{logit}\pi &= \ell^{d}_{c,m} + \delta^{d}_{f} + b^{d}_c\,(\ln n - \bar x_c) \\
    \text{destroyed} \mid \text{defeated} &\sim \text{BetaBin}(\text{defeated},\ \kappa,\ \rho_k), &
    \operatorname{logit}\kappa &= \ell^{k}_{c,m} + \delta^{k}_{f} + b^{k}_c\,(\ln n - \bar x_c)

with :math:`n` launched, :math:`c` the gbad threat class (:func:`threat_class_of`),
:math:`f` the weapon family (:func:`gbad.engage.families.family_of`), :math:`m` the
calendar month. So the expected destroyed is :math:`n\pi\kappa` and the expected
number lost to EW :math:`n\pi(1-\kappa)`; destroyed <= defeated <= launched holds by
construction.

- **Families, partially pooled.** :math:`\delta_f \sim N(0, \tau^2)`: a family with
  few launches stays near its class, a family with many (S-300/S-400 in ground attack:
  430 launched, 2 destroyed) takes its own rate.
- **Saturation.** :math:`b_c` is the change of the defeat log-odds per e-fold of raid
  size (negative: the defence's share falls as raids grow).
- **Local level.** :math:`\ell_{c,m}` is a Gaussian random walk over months (step
  sd :math:`\sigma`): the defence's level changes (new systems, interceptor drones, EW,
  adaptation) without a trend. Forecasts hold the last month's level: the model
  never extrapolates a trend.

The parameters are the posterior mode (penalised likelihood): the binomial
log-likelihood of each row weighted by :math:`1/(1+(n-1)\rho)` (the beta-binomial
variance inflation, a quasi-likelihood, so a 500-drone night does not count as 500
independent trials), plus the Gaussian priors. :math:`\rho` per class and stage is the
moment estimate :math:`\sum (r^2 - n p q) / \sum n p q (n-1)` of the residuals, fitted
and re-estimated twice. Predictive intervals are beta-binomial quantiles with that
:math:`\rho` (destroyed: its own marginal :math:`\rho`).

Data: Ivaniuk, "Massive Missile Attacks on Ukraine" (ODC-BY 1.0; source_id
``ivaniuk-attacks``), from Ukrainian Air Force claims. Overlapping regional rows are
removed by :func:`deduplicate`. Missing ``not_reach_goal`` counts as 0 (the reports
did not separate EW before mid-2024); rows whose destroyed + EW exceed launched have
their EW count cut to launched - destroyed. Both are counted in the model file
(``training``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import numpy as np
import pandas as pd
from scipy.special import expit

from gbad.engage._penalised_logit import (
    Hyper,
    beta_binomial_interval,
    fit_stage,
    moment_rho,
    weighted_percentiles,
)
from gbad.engage.families import family_info, family_of
from gbad.errors import GbadInputError

__all__ = [
    "DEFEAT_STAGES",
    "INTERVAL",
    "MODEL_FORMAT",
    "REQUIRED_FIT_COLUMNS",
    "REQUIRED_PREDICT_COLUMNS",
    "CalibratedModel",
    "Hyper",
    "deduplicate",
    "default_model",
    "fit_model",
    "load_model",
    "month_label",
    "predict_fraction",
    "predict_probabilities",
    "predict_rows",
    "prepare_reports",
    "threat_class_of",
]

MODEL_FORMAT = "gbad-defeat-model/2"
REQUIRED_FIT_COLUMNS = ("date", "model", "weapon_class", "launched", "destroyed")
REQUIRED_PREDICT_COLUMNS = ("date", "model", "weapon_class", "launched")
REFERENCE_MONTH = (2022, 9)
INTERVAL = (0.1, 0.9)
"""Quantiles of the predictive interval (an 80 % interval)."""
DEFAULT_MODEL_FILE = "defeat_model.json"
#: The model's two stages: defeated of launched, then kinetic of defeated.
DEFEAT_STAGES = ("defeat", "kinetic")
_RECENT_DAYS = 365
_WEAPON_CLASS_MAP = {
    "uav": "drone",
    "drone": "drone",
    "cruise": "cruise",
    "ballistic": "ballistic",
    # S-300/S-400 fired at ground targets fly quasi-ballistic trajectories.
    "surface-to-air_missile": "ballistic",
    "guided_bomb": "glide",
    "glide": "glide",
    "aircraft": "aircraft",
}


def threat_class_of(model: str, weapon_class: str) -> str:
    """Map a report row's weapon model and class to a gbad threat class.

    Kinzhal alone is ``glide``; Iskander-M, KN-23, ballistic and S-300/S-400 rows are
    ``ballistic``; UAV rows are ``drone``; cruise rows are ``cruise``. Mixed rows
    naming a ballistic missile count as ``ballistic``. Unknown models keep the class
    of their ``weapon_class``; an unknown ``weapon_class`` is ``cruise`` unless the
    model name says otherwise.
    """
    m = str(model).lower()
    w = str(weapon_class).strip().lower()
    ballistic_names = ("iskander-m", "kn-23", "ballistic", "c-300", "c-400", "s-300", "s-400")
    if "kinzhal" in m:
        return "ballistic" if any(b in m for b in ballistic_names) else "glide"
    if w == "mixed_missile":
        return "ballistic" if any(b in m for b in ballistic_names) else "cruise"
    if w in _WEAPON_CLASS_MAP:
        return _WEAPON_CLASS_MAP[w]
    if "shahed" in m or "uav" in m or "geran" in m:
        return "drone"
    if any(b in m for b in ballistic_names):
        return "ballistic"
    return "cruise"


def deduplicate(frame: pd.DataFrame) -> pd.DataFrame:
    """Keep one row per (date, model): the one with most launched (input order kept)."""
    order = frame.assign(_pos=np.arange(len(frame)))
    kept = order.sort_values(["launched", "_pos"], ascending=[False, True]).drop_duplicates(
        ["date", "model"]
    )
    return kept.sort_values("_pos").drop(columns="_pos")


def _months(dates: pd.Series, field: str) -> tuple[np.ndarray, pd.Series]:
    """Month index since 2022-09 of each date, and the parsed dates."""
    parsed = pd.to_datetime(dates.astype(str).str.slice(0, 10), errors="coerce", format="%Y-%m-%d")
    bad = np.flatnonzero(parsed.isna().to_numpy())
    if bad.size:
        raise GbadInputError(field, f"column date is not YYYY-MM-DD in row {int(bad[0]) + 1}")
    month = (parsed.dt.year - REFERENCE_MONTH[0]) * 12 + parsed.dt.month - REFERENCE_MONTH[1]
    return month.to_numpy(dtype=np.int64), parsed


def month_label(index: int) -> str:
    """``YYYY-MM`` of month ``index`` counted from :data:`REFERENCE_MONTH`."""
    year, month0 = divmod(REFERENCE_MONTH[0] * 12 + REFERENCE_MONTH[1] - 1 + index, 12)
    return f"{year:04d}-{month0 + 1:02d}"


def _counts(frame: pd.DataFrame, column: str, field: str) -> np.ndarray:
    """Counts of ``column``; empty cells are NaN, anything else must be a number >= 0."""
    raw = frame[column]
    values = pd.to_numeric(raw, errors="coerce").to_numpy(dtype=np.float64)
    text = raw.astype(str).str.strip()
    unparsable = np.isnan(values) & raw.notna().to_numpy() & ~text.isin(["", "nan"]).to_numpy()
    bad = np.flatnonzero(unparsable | np.isinf(values) | (values < 0))
    if bad.size:
        raise GbadInputError(
            field, f"column {column} must be a non-negative number (row {int(bad[0]) + 1})"
        )
    return values


def _launched(frame: pd.DataFrame, field: str) -> np.ndarray:
    return _counts(frame, "launched", field)


def _classes_families(frame: pd.DataFrame) -> tuple[list[str], list[str]]:
    classes = [
        threat_class_of(m, w) for m, w in zip(frame["model"], frame["weapon_class"], strict=True)
    ]
    families = [family_of(m, c) for m, c in zip(frame["model"], classes, strict=True)]
    return classes, families


def prepare_reports(frame: pd.DataFrame, *, field: str = "attacks") -> pd.DataFrame:
    """Checked, deduplicated report rows with class, family, month and defeated.

    Raises :class:`GbadInputError` naming the column for a negative or non-numeric
    count, a bad date, or ``destroyed`` > ``launched``. Rows without ``launched`` (or
    0) or without ``destroyed`` are dropped. Adds ``ew`` (``not_reach_goal``, 0 where
    empty), ``defeated``, ``threat_class``, ``family``, ``month``, ``day`` (timestamp)
    and the flags ``ew_missing`` and ``ew_capped``.
    """
    missing = [c for c in REQUIRED_FIT_COLUMNS if c not in frame.columns]
    if missing:
        raise GbadInputError(field, f"missing column {missing[0]}")
    data = frame.reset_index(drop=True).copy()
    data["launched"] = _launched(data, field)
    data["destroyed"] = _counts(data, "destroyed", field)
    if "not_reach_goal" in data.columns:
        data["ew"] = _counts(data, "not_reach_goal", field)
    else:
        data["ew"] = np.nan
    over = np.flatnonzero((data["destroyed"] > data["launched"]).to_numpy())
    if over.size:
        raise GbadInputError(field, f"column destroyed exceeds launched in row {int(over[0]) + 1}")
    keep = (data["launched"] > 0) & data["destroyed"].notna() & data["date"].notna()
    data = deduplicate(data[keep])
    data["ew_missing"] = data["ew"].isna()
    ew = data["ew"].fillna(0.0)
    room = data["launched"] - data["destroyed"]
    data["ew_capped"] = ew > room
    data["ew"] = np.minimum(ew, room)
    data["defeated"] = data["destroyed"] + data["ew"]
    data["month"], data["day"] = _months(data["date"], field)
    classes, families = _classes_families(data)
    data["threat_class"] = classes
    data["family"] = families
    return data.reset_index(drop=True)


# --------------------------------------------------------------------------- fitting


def _in_era(month: np.ndarray, era_month: int | None) -> np.ndarray:
    """1.0 for months from the first month with EW losses reported, else 0.0."""
    if era_month is None:
        return np.zeros(month.shape)
    return (month >= era_month).astype(np.float64)


def _reported_leak(data: pd.DataFrame, last_day: pd.Timestamp) -> dict[str, dict[str, Any]]:
    recent = data[(data["day"] > last_day - pd.Timedelta(days=_RECENT_DAYS)) & data["campaign"]]
    out: dict[str, dict[str, Any]] = {}
    for cls, group in recent.groupby("threat_class", sort=True):
        nights = group.groupby("date")[["launched", "defeated"]].sum()
        n = nights["launched"].to_numpy(dtype=np.float64)
        leak = 1.0 - nights["defeated"].to_numpy(dtype=np.float64) / n
        low, mid, high = weighted_percentiles(leak, n, (0.1, 0.5, 0.9))
        out[str(cls)] = {
            "low": low,
            "mid": mid,
            "high": high,
            "pooled": float(1.0 - nights["defeated"].sum() / n.sum()),
            "nights": len(nights),
            "launched": float(n.sum()),
        }
    return out


def fit_model(
    frame: pd.DataFrame,
    *,
    hyper: Hyper | None = None,
    field: str = "attacks",
    time_trend: bool | None = None,
) -> dict[str, Any]:
    """Fit the two-stage defeat model; returns the JSON-able model document.

    Parameters
    ----------
    frame : DataFrame
        Report rows with ``date, model, weapon_class, launched, destroyed`` and,
        optionally, ``not_reach_goal``.
    hyper : Hyper, optional
        Prior scales (defaults of :class:`Hyper`).
    field : str
        Name of the input for error messages.
    time_trend : bool, optional
        Ignored (kept for callers of the earlier linear-trend model: the local level
        replaces the trend).

    Returns
    -------
    dict
        ``format``, ``hyper``, ``last_month``, ``classes`` (per class: month levels,
        slope, rho per stage and family offsets), ``fallback``, ``reported_leak``
        and ``training``. Everything :func:`predict_rows` and
        :func:`campaign_defeat_rates` need; nothing else is read when predicting.
    """
    del time_trend
    hyper = hyper or Hyper()
    data = prepare_reports(frame, field=field)
    if data.empty:
        raise GbadInputError(field, "no rows with launched > 0 and a destroyed count")
    data["campaign"] = [
        bool(info.campaign) if (info := family_info(f)) else False for f in data["family"]
    ]
    last_month = int(data["month"].max())
    reported = data.loc[~data["ew_missing"] & (data["ew"] > 0), "month"]
    era_month = int(reported.min()) if len(reported) else None
    last_day = data["day"].max()
    recent_mask = data["day"] > last_day - pd.Timedelta(days=_RECENT_DAYS)
    classes: dict[str, Any] = {}
    for cls, group in data.groupby("threat_class", sort=True):
        first = int(group["month"].min())
        n_months = last_month - first + 1
        names = sorted(group["family"].unique())
        fam = np.searchsorted(names, group["family"].to_numpy())
        launched = group["launched"].to_numpy(dtype=np.float64)
        log_n = np.log(launched)
        x_mean = float(log_n.mean())
        x = log_n - x_mean
        month = group["month"].to_numpy(dtype=np.int64) - first
        era = _in_era(group["month"].to_numpy(dtype=np.int64), era_month)
        defeated = group["defeated"].to_numpy(dtype=np.float64)
        destroyed = group["destroyed"].to_numpy(dtype=np.float64)
        has = defeated > 0
        stages = {
            "defeat": fit_stage(
                launched, defeated, month, fam, x,
                era=era, n_months=n_months, n_fam=len(names), hyper=hyper,
            ),
            "kinetic": fit_stage(
                defeated[has], destroyed[has], month[has], fam[has], x[has],
                era=era[has], n_months=n_months, n_fam=len(names), hyper=hyper,
            ),
        }  # fmt: skip
        p_def, kappa = (
            expit(
                np.asarray(stages[s]["levels"])[month]
                + stages[s]["offsets"][fam]
                + stages[s]["ew_era_step"] * era
                + (stages[s]["log_size_slope"] + stages[s]["ew_era_slope_change"] * era) * x
            )
            for s in DEFEAT_STAGES
        )
        recent = recent_mask[group.index].to_numpy()
        families: dict[str, Any] = {}
        for i, name in enumerate(names):
            sel = fam == i
            rec = sel & recent
            rec_n = launched[rec]
            families[name] = {
                "defeat_offset": float(stages["defeat"]["offsets"][i]),
                "kinetic_offset": float(stages["kinetic"]["offsets"][i]),
                "rows": int(sel.sum()),
                "launched": float(launched[sel].sum()),
                "defeated": float(defeated[sel].sum()),
                "destroyed": float(destroyed[sel].sum()),
                "recent_launched": float(rec_n.sum()),
                "recent_raid_size": float((rec_n**2).sum() / rec_n.sum()) if rec.any() else None,
            }
        for stage in stages.values():
            del stage["offsets"]
        classes[str(cls)] = {
            "first_month": first,
            "log_size_mean": x_mean,
            "defeat": stages["defeat"],
            "kinetic": stages["kinetic"],
            "destroyed_rho": moment_rho(launched, destroyed, p_def * kappa),
            "families": families,
        }
    total = float(data["launched"].sum())
    return {
        "format": MODEL_FORMAT,
        "source_id": "ivaniuk-attacks",
        "reference_month": month_label(0),
        "last_month": last_month,
        "last_month_label": month_label(last_month),
        "ew_era_month": era_month,
        "interval": list(INTERVAL),
        "hyper": {k: float(v) for k, v in vars(hyper).items()},
        "classes": classes,
        "fallback": {
            "defeat_ratio": float(data["defeated"].sum() / total),
            "kinetic_share": float(data["destroyed"].sum() / max(data["defeated"].sum(), 1.0)),
            "rho": 0.1,
        },
        "reported_leak": _reported_leak(data, last_day),
        "training": {
            "rows_used": len(data),
            "date_min": str(data["date"].min()),
            "date_max": str(data["date"].max()),
            "deduplication": "one row per (date, model): the most launched",
            "rows_not_reach_goal_missing_as_0": int(data["ew_missing"].sum()),
            "rows_not_reach_goal_cut_to_launched": int(data["ew_capped"].sum()),
        },
    }


# --------------------------------------------------------------------------- model


@dataclass(frozen=True)
class CalibratedModel:
    """A fitted defeat model (the document :func:`fit_model` writes, validated)."""

    classes: Mapping[str, Mapping[str, Any]]
    last_month: int
    fallback: Mapping[str, float]
    reported_leak: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    interval: tuple[float, float] = INTERVAL
    ew_era_month: int | None = None
    level_step_sd: float = 0.0

    def stage_logit(
        self, threat_class: str, stage: str, family: np.ndarray, launched: np.ndarray,
        month: np.ndarray,
    ) -> np.ndarray:  # fmt: skip
        """Logit of the defeat (``stage="defeat"``) or kinetic share for one class."""
        par = self.classes[threat_class]
        st = par[stage]
        levels = np.asarray(st["levels"], dtype=np.float64)
        idx = np.clip(month - int(par["first_month"]), 0, levels.size - 1)
        offsets = np.array([par["families"].get(f, {}).get(f"{stage}_offset", 0.0) for f in family])
        x = np.log(np.maximum(launched, 1.0)) - float(par["log_size_mean"])
        era = _in_era(month, self.ew_era_month)
        return np.asarray(
            levels[idx]
            + offsets
            + float(st["ew_era_step"]) * era
            + (float(st["log_size_slope"]) + float(st["ew_era_slope_change"]) * era) * x
        )


def load_model(raw: Any, *, field: str = "model") -> CalibratedModel:
    """Validate a model document (from :func:`fit_model` or a JSON file)."""
    if isinstance(raw, CalibratedModel):
        return raw
    if not isinstance(raw, Mapping) or raw.get("format") != MODEL_FORMAT:
        found = raw.get("format") if isinstance(raw, Mapping) else None
        hint = f" (found {found}: refit with gbad calibrate)" if found else ""
        raise GbadInputError(field, f"not a {MODEL_FORMAT} document{hint}")
    try:
        classes = dict(raw["classes"])
        for par in classes.values():
            int(par["first_month"])
            float(par["log_size_mean"])
            float(par["destroyed_rho"])
            for stage in DEFEAT_STAGES:
                levels = np.asarray(par[stage]["levels"], dtype=np.float64)
                vals = [
                    float(par[stage][k])
                    for k in ("log_size_slope", "rho", "ew_era_step", "ew_era_slope_change")
                ]
                if levels.size == 0 or not np.isfinite(levels).all():
                    raise ValueError(f"{stage} levels")
                if not all(math.isfinite(v) for v in vals):
                    raise ValueError(f"{stage} slope or rho")
            for fam in par["families"].values():
                float(fam["defeat_offset"])
                float(fam["kinetic_offset"])
        fallback = {k: float(raw["fallback"][k]) for k in ("defeat_ratio", "kinetic_share", "rho")}
        lo, hi = (float(v) for v in raw.get("interval", INTERVAL))
        return CalibratedModel(
            classes=classes,
            last_month=int(raw["last_month"]),
            fallback=fallback,
            reported_leak=dict(raw.get("reported_leak", {})),
            interval=(lo, hi),
            ew_era_month=None if raw["ew_era_month"] is None else int(raw["ew_era_month"]),
            level_step_sd=float(raw["hyper"]["level_step_sd"]),
        )
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise GbadInputError(field, f"malformed model document ({exc})") from None


@cache
def _default_document() -> str:
    return resources.files("gbad").joinpath("data", DEFAULT_MODEL_FILE).read_text("utf-8")


def default_model() -> CalibratedModel:
    """The embedded model: :func:`fit_model` on the embedded ``attacks`` table.

    Stored in ``gbad/data/defeat_model.json`` (source_id ``ivaniuk-attacks``);
    regenerate with ``gbad calibrate --attacks src/gbad/data/attacks.csv --out
    src/gbad/data/defeat_model.json`` (deterministic; a test checks they agree).
    """
    import json

    return load_model(json.loads(_default_document()), field=DEFAULT_MODEL_FILE)


# --------------------------------------------------------------------------- predicting


@dataclass(frozen=True)
class RowProbabilities:
    """Per-row predicted probabilities (arrays in input order)."""

    threat_class: np.ndarray
    family: np.ndarray
    defeat: np.ndarray
    kinetic_share: np.ndarray
    rho_defeat: np.ndarray
    rho_destroyed: np.ndarray


def predict_probabilities(
    model: CalibratedModel, frame: pd.DataFrame, *, field: str = "attacks"
) -> RowProbabilities:
    """Defeat probability and kinetic share of defeated for each row of ``frame``.

    Uses only ``model`` and the columns ``date, model, weapon_class, launched``.
    Months after the model's last month use its last level (the mean does not move)
    and widen the intervals: ``rho`` grows by p(1-p) h sigma^2 for h months ahead (the
    random walk's forecast variance); an unknown family uses its class level; an
    unknown class uses the model's pooled ratios.
    """
    missing = [c for c in REQUIRED_PREDICT_COLUMNS if c not in frame.columns]
    if missing:
        raise GbadInputError(field, f"missing column {missing[0]}")
    launched = np.nan_to_num(_launched(frame, field), nan=1.0)
    month, _ = _months(frame["date"], field)
    cls_list, fam_list = _classes_families(frame)
    classes, families = np.array(cls_list, dtype=object), np.array(fam_list, dtype=object)
    size = len(frame)
    p = np.full(size, model.fallback["defeat_ratio"])
    k = np.full(size, model.fallback["kinetic_share"])
    rho_d = np.full(size, model.fallback["rho"])
    rho_k = np.full(size, model.fallback["rho"])
    for cls in set(cls_list) & set(model.classes):
        mask = classes == cls
        args = (families[mask], launched[mask], np.minimum(month[mask], model.last_month))
        p[mask] = expit(model.stage_logit(cls, "defeat", *args))
        k[mask] = expit(model.stage_logit(cls, "kinetic", *args))
        rho_d[mask] = float(model.classes[cls]["defeat"]["rho"])
        rho_k[mask] = float(model.classes[cls]["destroyed_rho"])
    # Months past the last one: the held level is a random walk, its logit variance
    # grows by level_step_sd**2 a month; a logit variance v adds about p(1-p) v to rho.
    ahead = np.maximum(month - model.last_month, 0) * model.level_step_sd**2
    pk = p * k
    rho_d = np.minimum(rho_d + p * (1 - p) * ahead, 0.99)
    rho_k = np.minimum(rho_k + pk * (1 - pk) * ahead, 0.99)
    return RowProbabilities(classes, families, p, k, rho_d, rho_k)


def predict_fraction(model: CalibratedModel, frame: pd.DataFrame, *, field: str) -> np.ndarray:
    """Predicted fraction destroyed (kinetic) for each row of ``frame`` (input order)."""
    prob = predict_probabilities(model, frame, field=field)
    return np.asarray(prob.defeat * prob.kinetic_share)


def predict_rows(
    model: CalibratedModel, frame: pd.DataFrame, *, field: str = "attacks"
) -> list[dict[str, Any]]:
    """Rows of ``gbad predict`` in input order.

    Keys: ``date, model, weapon_class, launched, predicted_destroyed,
    predicted_defeated`` (DESIGN.md), plus ``threat_class``, ``family``,
    ``predicted_not_reach_goal`` (= defeated - destroyed) and the predictive interval
    ``predicted_destroyed_low/high``, ``predicted_defeated_low/high`` (beta-binomial
    quantiles :data:`INTERVAL`). ``null`` where ``launched`` is empty.
    """
    prob = predict_probabilities(model, frame, field=field)
    launched = _launched(frame, field)
    n = np.nan_to_num(launched, nan=0.0)
    d_low, d_high = beta_binomial_interval(n, prob.defeat, prob.rho_defeat, model.interval)
    k_low, k_high = beta_binomial_interval(
        n, prob.defeat * prob.kinetic_share, prob.rho_destroyed, model.interval
    )
    rows = []
    for i, (d, m, w) in enumerate(
        zip(frame["date"], frame["model"], frame["weapon_class"], strict=True)
    ):
        ok = math.isfinite(launched[i])
        defeated = float(n[i] * prob.defeat[i])
        destroyed = float(defeated * prob.kinetic_share[i])

        def val(v: float, ok: bool = ok) -> float | None:
            return float(v) if ok else None

        rows.append(
            {
                "date": str(d),
                "model": str(m),
                "weapon_class": str(w),
                "launched": val(launched[i]),
                "predicted_destroyed": val(destroyed),
                "predicted_defeated": val(defeated),
                "threat_class": str(prob.threat_class[i]),
                "family": str(prob.family[i]),
                "predicted_not_reach_goal": val(defeated - destroyed),
                "predicted_destroyed_low": val(k_low[i]),
                "predicted_destroyed_high": val(k_high[i]),
                "predicted_defeated_low": val(d_low[i]),
                "predicted_defeated_high": val(d_high[i]),
            }
        )
    return rows


def evaluate_time_forward(frame: pd.DataFrame, split_date: str) -> dict[str, Any]:
    """Train on rows before ``split_date``, score all rows from it on.

    A one-cut :func:`gbad.engage.backtest.backtest` without a horizon; returns its
    scores for all classes (``model``, ``pooled``, ``last6``).
    """
    from gbad.engage.backtest import backtest

    result = backtest(frame, [split_date], horizon_months=None)
    return {row["method"]: row for row in result.scores if row["scope"] == "all"}
