"""The single-tier, single-class engagement behind ``gbad engage``.

``N`` identical threats are engaged in arrival order by one fire unit. Shoot-shoot
fires ``K`` interceptors together at each threat, shoot-look-shoot up to ``K`` one at
a time until a kill; each shot kills with probability ``p``. An optional magazine
``M`` caps the interceptors: a threat that finds it empty, or can get only part of
its ``K`` shots, gets what is left. With channels, threats arrive as a Poisson stream
of rate ``R`` per minute, each engagement holds one of ``C`` channels for ``S``
seconds, and a threat arriving while all are busy leaks.

Which kernel runs:

- no magazine, no channels: aggregated binomial draws (:mod:`gbad.engage.kernels`);
- otherwise the layered raid kernel (:mod:`gbad.engage.layered`) with one unit.

Closed forms (``analytic``): binomial (no magazine, no channels, tests/reference/validation.md 1.2);
exact dynamic programme (magazine, no channels, :mod:`gbad.engage.magazine`). With
channels no closed form for a finite raid is used; ``erlang_b`` then reports the
steady-state approximation.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from gbad.engage.closed_forms import salvo_kill_probability, sls_expected_shots
from gbad.engage.kernels import unlimited_kernel
from gbad.engage.layered import UnitArrays, run_raid_kernel
from gbad.engage.magazine import magazine_exact
from gbad.engage.model import DOCTRINES
from gbad.engage.queueing import erlang_b_approximation, poisson_arrivals_s

__all__ = ["SingleTierResult", "engage_single"]

#: Largest ``N (M + 1)`` for which the exact magazine programme is run.
_DP_LIMIT = 50_000_000
_CHUNK_FLOATS = 4_000_000


@dataclass
class SingleTierResult:
    """Outcome of ``gbad engage`` (Monte Carlo, with closed forms where they exist).

    ``*_se`` are Monte Carlo standard errors of the means.
    """

    p_zero_leakers: float
    expected_leakers: float
    mean_interceptors_used: float
    trials: int
    p_zero_leakers_se: float
    expected_leakers_se: float
    mean_interceptors_used_se: float
    analytic: dict[str, float] | None
    analytic_method: str | None
    erlang_b: dict[str, float] | None
    engine: str


def engage_single(
    threats: int,
    pk: float,
    shots: int,
    doctrine: str,
    *,
    interceptors: int | None = None,
    channels: int | None = None,
    arrival_rate_per_min: float | None = None,
    engagement_time_s: float | None = None,
    trials: int = 10_000,
    rng: np.random.Generator,
    engine: str = "numpy",
) -> SingleTierResult:
    """Monte Carlo of one fire unit against ``threats`` identical threats.

    Parameters
    ----------
    threats : int
        ``N`` threats.
    pk : float
        Single-shot kill probability ``p``.
    shots : int
        Shots per threat ``K``.
    doctrine : {"shoot-shoot", "shoot-look-shoot"}
        Firing doctrine.
    interceptors : int, optional
        Magazine ``M`` (default unlimited).
    channels : int, optional
        Fire channels ``C``; requires ``arrival_rate_per_min`` and
        ``engagement_time_s``.
    arrival_rate_per_min : float, optional
        Poisson arrival rate ``R`` [1/min].
    engagement_time_s : float, optional
        Channel holding time per engagement ``S`` [s].
    trials : int
        Monte Carlo trials.
    rng : numpy.random.Generator
        Source of randomness.
    engine : {"numpy", "numba"}
        Kernel; identical results for the same generator state.
    """
    if doctrine not in DOCTRINES:
        raise ValueError(f"doctrine must be one of {DOCTRINES}, got {doctrine!r}")
    if not 0.0 <= pk <= 1.0:
        raise ValueError(f"pk must be in [0, 1], got {pk}")
    if threats < 0 or shots < 0 or trials < 1:
        raise ValueError("threats and shots must be >= 0 and trials >= 1")
    if channels is not None and (arrival_rate_per_min is None or engagement_time_s is None):
        raise ValueError("channels need arrival_rate_per_min and engagement_time_s")
    look = doctrine == "shoot-look-shoot"
    if channels is None and interceptors is None:
        leak, used = unlimited_kernel(rng, threats, pk, shots, trials, look=look, engine=engine)
    else:
        leak, used = _general(
            threats,
            pk,
            shots,
            look,
            interceptors,
            channels,
            arrival_rate_per_min,
            engagement_time_s,
            trials,
            rng,
            engine,
        )
    analytic, method = _analytic(
        threats, pk, shots, look, interceptors=interceptors, channels=channels
    )
    erl: dict[str, Any] | None = None
    if channels is not None:
        assert arrival_rate_per_min is not None and engagement_time_s is not None
        approx = erlang_b_approximation(
            threats,
            salvo_kill_probability(pk, shots),
            shots_per_engagement=sls_expected_shots(pk, shots) if look else float(shots),
            arrival_rate_per_min=arrival_rate_per_min,
            engagement_time_s=engagement_time_s,
            channels=channels,
        )
        erl = {
            "offered_load_erlang": approx.offered_load_erlang,
            "blocking_probability": approx.blocking_probability,
            "expected_leakers_steady_state": approx.expected_leakers_steady_state,
            "mean_interceptors_used_steady_state": approx.mean_interceptors_used_steady_state,
        }
    zero = (leak == 0).astype(np.float64)
    root = math.sqrt(trials)
    return SingleTierResult(
        p_zero_leakers=float(zero.mean()),
        expected_leakers=float(leak.mean()),
        mean_interceptors_used=float(used.mean()),
        trials=trials,
        p_zero_leakers_se=float(zero.std() / root),
        expected_leakers_se=float(leak.std() / root),
        mean_interceptors_used_se=float(used.std() / root),
        analytic=analytic,
        analytic_method=method,
        erlang_b=erl,
        engine=engine,
    )


def _analytic(
    threats: int,
    pk: float,
    shots: int,
    look: bool,
    *,
    interceptors: int | None,
    channels: int | None,
) -> tuple[dict[str, float] | None, str | None]:
    if channels is not None:
        return None, None
    if interceptors is None:
        pkill = salvo_kill_probability(pk, shots)
        per_target = sls_expected_shots(pk, shots) if look else float(shots)
        return {
            "p_zero_leakers": pkill**threats,
            "expected_leakers": threats * (1.0 - pkill),
            "mean_interceptors_used": threats * per_target,
        }, "binomial"
    if threats * (interceptors + 1) > _DP_LIMIT:
        return None, None
    exact = magazine_exact(threats, pk, shots, interceptors, look=look)
    return {
        "p_zero_leakers": exact.p_zero_leakers,
        "expected_leakers": exact.expected_leakers,
        "mean_interceptors_used": exact.mean_interceptors_used,
    }, "magazine dynamic programme"


def _general(  # noqa: PLR0917 - private helper of engage_single
    threats: int,
    pk: float,
    shots: int,
    look: bool,
    interceptors: int | None,
    channels: int | None,
    rate_per_min: float | None,
    engagement_time_s: float | None,
    trials: int,
    rng: np.random.Generator,
    engine: str,
) -> tuple[np.ndarray, np.ndarray]:
    stock = threats * shots if interceptors is None else interceptors
    units = UnitArrays(
        layer_start=np.array([0, 1], dtype=np.int64),
        pk=np.array([[pk]], dtype=np.float64),
        stock=np.array([stock], dtype=np.int64),
        ready_cap=np.array([stock], dtype=np.int64),
        channels=np.array([1 if channels is None else channels], dtype=np.int64),
        engagement_time_s=np.array(
            [0.0 if engagement_time_s is None else engagement_time_s], dtype=np.float64
        ),
        reload_time_s=np.zeros(1),
        window_s=np.zeros(1),
    )
    shots_arr = np.array([shots], dtype=np.int64)
    kmax = max(1, shots)
    chunk = max(1, min(trials, _CHUNK_FLOATS // max(1, threats * (kmax + 1))))
    leaks, useds = [], []
    done = 0
    while done < trials:
        b = min(chunk, trials - done)
        if channels is None:
            times = np.zeros((b, threats))
        else:
            assert rate_per_min is not None
            times = poisson_arrivals_s(rate_per_min, threats, rng, b)
        u = rng.random((threats, b, 1, kmax))
        cls = np.zeros((b, threats), dtype=np.int64)
        leak, used = run_raid_kernel(engine, times, cls, u, units, shots_arr, int(look), 1)
        leaks.append(leak[:, 0])
        useds.append(used[:, 0])
        done += b
    return np.concatenate(leaks), np.concatenate(useds)
