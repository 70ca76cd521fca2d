r"""Effective intercept models fitted to nightly attack reports (Ukraine 2022-2025).

Per gbad threat class :math:`c`, the fraction of launched threats reported destroyed
in one report row is modelled as

.. math:: \operatorname{logit} \pi = a_c + b_c \ln n + g_c\, t

with :math:`n` the number launched (raid size: saturation shows as :math:`b_c < 0`)
and :math:`t` the years since 2022-09-01 (only when ``time_trend=True``; clamped to
the training period when predicting, so the trend is never extrapolated). The
parameters maximise the binomial likelihood of ``destroyed`` out of ``launched`` with
a small ridge penalty on :math:`b_c` and :math:`g_c` (which keeps the slope of sparse
classes such as ``glide`` near zero).

Rows are mapped to gbad classes by :func:`threat_class_of`; overlapping regional rows
are removed by :func:`deduplicate` (same date and model: keep the row with most
launched, which is the national total when there is one).

The data are Ukrainian Air Force claims (Ivaniuk, "Massive Missile Attacks on
Ukraine", ODC-BY 1.0); "destroyed" mixes kinetic kills and, in some periods,
electronic-warfare effects, so the fitted probability is an *effective* intercept
probability of the whole defence, not a single-shot Pk.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy.optimize import minimize
from scipy.special import expit

from gbad.errors import GbadInputError

__all__ = [
    "MODEL_FORMAT",
    "REQUIRED_FIT_COLUMNS",
    "REQUIRED_PREDICT_COLUMNS",
    "CalibratedModel",
    "deduplicate",
    "evaluate_time_forward",
    "fit_model",
    "load_model",
    "predict_fraction",
    "predict_rows",
    "threat_class_of",
]

MODEL_FORMAT = "gbad-intercept-model/1"
REQUIRED_FIT_COLUMNS = ("date", "model", "weapon_class", "launched", "destroyed")
REQUIRED_PREDICT_COLUMNS = ("date", "model", "weapon_class", "launched")
REFERENCE_DATE = pd.Timestamp("2022-09-01")
_CLASSES = ("ballistic", "cruise", "drone", "aircraft", "glide")
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


def _years(dates: pd.Series, field: str) -> np.ndarray:
    parsed = pd.to_datetime(dates.astype(str).str.slice(0, 10), errors="coerce", format="%Y-%m-%d")
    bad = np.flatnonzero(parsed.isna().to_numpy())
    if bad.size:
        raise GbadInputError(field, f"date is not YYYY-MM-DD in row {int(bad[0]) + 1}")
    return ((parsed - REFERENCE_DATE).dt.days / 365.25).to_numpy(dtype=np.float64)


def _launched(frame: pd.DataFrame, field: str) -> np.ndarray:
    """Launched counts; empty cells are NaN (missing), anything else must be >= 0."""
    raw = frame["launched"]
    values = pd.to_numeric(raw, errors="coerce").to_numpy(dtype=np.float64)
    unparsable = np.isnan(values) & raw.notna().to_numpy() & (raw.astype(str).str.strip() != "")
    bad = np.flatnonzero(unparsable | np.isinf(values) | (values < 0))
    if bad.size:
        raise GbadInputError(
            field, f"launched must be a non-negative number (row {int(bad[0]) + 1})"
        )
    return values


def _prepare(frame: pd.DataFrame, field: str) -> pd.DataFrame:
    data = frame.copy()
    data["launched"] = _launched(data, field)
    data["destroyed"] = pd.to_numeric(data["destroyed"], errors="coerce")
    destroyed = data["destroyed"].to_numpy(dtype=np.float64)
    launched = data["launched"].to_numpy(dtype=np.float64)
    bad = np.flatnonzero(np.isinf(destroyed) | (destroyed < 0))
    if bad.size:
        row = int(bad[0]) + 1
        raise GbadInputError(field, f"destroyed must be a non-negative number (row {row})")
    over = np.flatnonzero(destroyed > launched)
    if over.size:
        row = int(over[0]) + 1
        raise GbadInputError(
            field,
            f"destroyed ({destroyed[over[0]]:g}) exceeds launched ({launched[over[0]]:g}) "
            f"in row {row}",
        )
    data = data[(data["launched"] > 0) & data["destroyed"].notna() & data["date"].notna()]
    data = deduplicate(data)
    data["threat_class"] = [
        threat_class_of(m, w) for m, w in zip(data["model"], data["weapon_class"], strict=True)
    ]
    data["t_years"] = _years(data["date"], field)
    return data


@dataclass(frozen=True)
class CalibratedModel:
    """A fitted intercept model (what ``gbad calibrate`` writes)."""

    classes: Mapping[str, Mapping[str, float]]
    time_trend: bool
    t_min_years: float
    t_max_years: float
    fallback_ratio: float

    def fraction(self, threat_class: str, launched: np.ndarray, t_years: np.ndarray) -> np.ndarray:
        """Predicted fraction destroyed for rows of one class."""
        par = self.classes.get(threat_class)
        if par is None:
            return np.full(launched.shape, self.fallback_ratio)
        t = np.clip(t_years, self.t_min_years, self.t_max_years)
        eta = par["intercept"] + par["log_size_slope"] * np.log(np.maximum(launched, 1.0))
        if self.time_trend:
            eta = eta + par["trend_per_year"] * t
        return np.asarray(expit(eta), dtype=np.float64)


def _fit_class(
    n: np.ndarray, y: np.ndarray, t: np.ndarray, *, time_trend: bool, ridge: float
) -> dict[str, float]:
    x = np.log(n)
    scale = n.sum()
    ratio = float(y.sum() / scale)
    a0 = math.log(max(ratio, 1e-4) / max(1 - ratio, 1e-4))

    def nll(theta: np.ndarray) -> tuple[float, np.ndarray]:
        a, b, g = theta
        eta = a + b * x + (g * t if time_trend else 0.0)
        p = np.clip(expit(eta), 1e-12, 1 - 1e-12)
        value = -(y * np.log(p) + (n - y) * np.log1p(-p)).sum() / scale
        value += 0.5 * ridge * (b * b + g * g) / scale
        r = (n * p - y) / scale
        grad = np.array(
            [r.sum(), (r * x).sum() + ridge * b / scale, (r * t).sum() + ridge * g / scale]
        )
        if not time_trend:
            grad[2] = 0.0
        return float(value), grad

    res = minimize(nll, np.array([a0, 0.0, 0.0]), jac=True, method="L-BFGS-B")
    a, b, g = (float(v) for v in res.x)
    return {
        "intercept": a,
        "log_size_slope": b,
        "trend_per_year": g if time_trend else 0.0,
        "pooled_ratio": ratio,
        "launched_total": float(scale),
        "rows": float(n.size),
    }


def fit_model(
    frame: pd.DataFrame,
    *,
    time_trend: bool = False,
    ridge: float = 5.0,
    field: str = "attacks",
) -> dict[str, Any]:
    """Fit the per-class intercept model; returns the JSON-able model document.

    Parameters
    ----------
    frame : DataFrame
        Rows with ``date, model, weapon_class, launched, destroyed``.
    time_trend : bool
        Fit a linear trend in time per class (see the module docstring).
    ridge : float
        Ridge penalty on slopes (in units of launched threats).
    field : str
        Name of the input for error messages.
    """
    data = _prepare(frame, field)
    if data.empty:
        raise GbadInputError(field, "no rows with launched > 0 and a destroyed count")
    classes: dict[str, dict[str, float]] = {}
    for cls, group in data.groupby("threat_class", sort=True):
        classes[str(cls)] = _fit_class(
            group["launched"].to_numpy(dtype=np.float64),
            group["destroyed"].to_numpy(dtype=np.float64),
            group["t_years"].to_numpy(dtype=np.float64),
            time_trend=time_trend,
            ridge=ridge,
        )
    return {
        "format": MODEL_FORMAT,
        "reference_date": str(REFERENCE_DATE.date()),
        "time_trend": time_trend,
        "t_min_years": float(data["t_years"].min()),
        "t_max_years": float(data["t_years"].max()),
        "fallback_ratio": float(data["destroyed"].sum() / data["launched"].sum()),
        "classes": classes,
        "training": {
            "rows_used": len(data),
            "date_min": str(data["date"].min()),
            "date_max": str(data["date"].max()),
            "deduplication": "one row per (date, model): the most launched",
        },
    }


def load_model(raw: Any, *, field: str = "model") -> CalibratedModel:
    """Validate a model document (from :func:`fit_model` or a JSON file)."""
    if not isinstance(raw, Mapping) or raw.get("format") != MODEL_FORMAT:
        raise GbadInputError(field, f"not a {MODEL_FORMAT} document")
    try:
        classes = {
            str(c): {k: float(v) for k, v in par.items()} for c, par in raw["classes"].items()
        }
        for par in classes.values():
            for key in ("intercept", "log_size_slope", "trend_per_year"):
                if not math.isfinite(par[key]):
                    raise ValueError(key)
        return CalibratedModel(
            classes=classes,
            time_trend=bool(raw["time_trend"]),
            t_min_years=float(raw["t_min_years"]),
            t_max_years=float(raw["t_max_years"]),
            fallback_ratio=float(raw["fallback_ratio"]),
        )
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise GbadInputError(field, f"malformed model document ({exc})") from None


def predict_fraction(model: CalibratedModel, frame: pd.DataFrame, *, field: str) -> np.ndarray:
    """Predicted fraction destroyed for each row of ``frame`` (input order)."""
    launched = _launched(frame, field)
    t = _years(frame["date"], field)
    classes = np.array(
        [threat_class_of(m, w) for m, w in zip(frame["model"], frame["weapon_class"], strict=True)]
    )
    launched = np.nan_to_num(launched, nan=1.0)
    out = np.empty(len(frame))
    for cls in np.unique(classes):
        mask = classes == cls
        out[mask] = model.fraction(str(cls), launched[mask], t[mask])
    return out


def predict_rows(
    model: CalibratedModel, frame: pd.DataFrame, *, field: str = "attacks"
) -> list[dict[str, Any]]:
    """Rows of ``gbad predict``: date, model, weapon_class, launched, predicted_destroyed."""
    fraction = predict_fraction(model, frame, field=field)
    launched = _launched(frame, field)
    return [
        {
            "date": str(d),
            "model": str(m),
            "weapon_class": str(w),
            "launched": float(n) if math.isfinite(n) else None,
            "predicted_destroyed": float(n * f) if math.isfinite(n) else None,
        }
        for d, m, w, n, f in zip(
            frame["date"], frame["model"], frame["weapon_class"], launched, fraction, strict=True
        )
    ]


def _scores(n: np.ndarray, y: np.ndarray, p: np.ndarray) -> dict[str, float]:
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return {
        "mae_per_launched": float(np.abs(n * p - y).sum() / n.sum()),
        "log_loss_per_launched": float(-(y * np.log(p) + (n - y) * np.log1p(-p)).sum() / n.sum()),
        "total_error_fraction": float((n * p).sum() / y.sum() - 1.0),
    }


def evaluate_time_forward(
    frame: pd.DataFrame,
    split_date: str,
    *,
    variants: Sequence[tuple[str, Mapping[str, Any]]] = (
        ("logistic-size", {}),
        ("logistic-size-trend", {"time_trend": True}),
    ),
) -> dict[str, Any]:
    """Train on rows before ``split_date``, score the rows from it on.

    Compares the fitted variants with the naive baseline (the pooled per-class ratio
    of the training rows). Scores, per launched threat: mean absolute error of the
    destroyed count, binomial log loss, and the relative error of the total
    destroyed. Both periods are deduplicated the same way.
    """
    data = _prepare(frame, "attacks")
    dates = pd.to_datetime(data["date"].astype(str).str.slice(0, 10))
    train = data[dates < pd.Timestamp(split_date)]
    test = data[dates >= pd.Timestamp(split_date)]
    n = test["launched"].to_numpy(dtype=np.float64)
    y = test["destroyed"].to_numpy(dtype=np.float64)
    ratio = (
        train.groupby("threat_class")["destroyed"].sum()
        / train.groupby("threat_class")["launched"].sum()
    )
    overall = float(train["destroyed"].sum() / train["launched"].sum())
    naive = test["threat_class"].map(ratio).fillna(overall).to_numpy(dtype=np.float64)
    result: dict[str, Any] = {
        "split_date": split_date,
        "train_rows": len(train),
        "test_rows": len(test),
        "naive": _scores(n, y, naive),
    }
    for name, kwargs in variants:
        fitted = load_model(fit_model(train, **kwargs))
        result[name] = _scores(n, y, predict_fraction(fitted, test, field="attacks"))
    return result
