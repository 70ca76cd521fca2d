"""Typed inputs and results of the engagement stage: fire units, raids, doctrine.

Units: times in seconds (``_s``), costs in millions of US dollars (``_musd``).
Threat classes and tiers use the shared vocabulary of
:mod:`gbad.scenario.sections` (``THREAT_CLASSES``, ``TIERS``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

__all__ = ["DOCTRINES", "Doctrine", "ExpectedRaidOutcome", "FireUnit", "Raid", "RaidResult"]

#: Firing doctrines: a barrage of K together, or up to K one at a time with a look.
DOCTRINES = ("shoot-shoot", "shoot-look-shoot")


def _check_prob_map(name: str, values: Mapping[str, float]) -> None:
    for key, value in values.items():
        if not (isinstance(value, (int, float)) and 0.0 <= float(value) <= 1.0):
            raise ValueError(f"{name}[{key!r}] must be a probability in [0, 1], got {value!r}")


@dataclass(frozen=True)
class FireUnit:
    """One fire-unit type of a layer, ``count`` identical units.

    The ``count`` units of one entry are pooled: they share ``count * magazine``
    interceptors and ``count * channels`` fire channels (as when they defend one
    asset together).

    Parameters
    ----------
    system : str
        System slug (``patriot``, ``iris-t-slm``...), the key of interceptor use.
    tier : str
        Tier of the unit (``long``, ``medium``, ``short``, ``very-short``, ``c-uas``).
    pk : mapping of str to float
        Single-shot kill probability per threat class; classes absent (or 0) are
        not engaged by this unit.
    magazine : int
        Interceptors available per unit for the raid (the stock at hand).
    channels : int
        Fire channels per unit: simultaneous engagements.
    engagement_time_s : float
        Time one engagement holds a channel [s].
    reload_time_s : float
        Time to reload the launchers once the ready rounds are spent [s]; used only
        when ``ready_rounds > 0``.
    count : int
        Number of identical units.
    ready_rounds : int
        Rounds ready on the launchers per unit; ``0`` means the whole magazine is
        ready (no reload pauses).
    engagement_window_s : float
        How long a threat that finds every channel busy (or the unit reloading) can
        wait for one and still be engaged [s]; ``0`` means it passes at once.
    """

    system: str
    tier: str
    pk: Mapping[str, float]
    magazine: int
    channels: int = 1
    engagement_time_s: float = 30.0
    reload_time_s: float = 0.0
    count: int = 1
    ready_rounds: int = 0
    engagement_window_s: float = 0.0

    def __post_init__(self) -> None:
        _check_prob_map("pk", self.pk)
        for name in ("magazine", "channels", "count", "ready_rounds"):
            value = getattr(self, name)
            if int(value) != value or value < 0:
                raise ValueError(f"{name} must be a non-negative integer, got {value!r}")
        for name in ("engagement_time_s", "reload_time_s", "engagement_window_s"):
            value = getattr(self, name)
            if not (math.isfinite(value) and value >= 0.0):
                raise ValueError(f"{name} must be finite and >= 0, got {value!r}")


@dataclass(frozen=True)
class Raid:
    """A raid: how many threats of each class, arriving over ``duration_s``.

    Unless ``arrival_times_s`` is given, the arrival times are a Poisson process
    conditioned on the counts: independent uniform times on ``[0, duration_s]``,
    with classes in random order (``duration_s = 0``: all at once).

    Parameters
    ----------
    counts : mapping of str to int
        Threats per class.
    duration_s : float
        Length of the arrival window [s].
    threat_cost_musd : mapping of str to float
        Unit cost per class [MUSD], for the cost-exchange ratio (optional).
    arrival_times_s : mapping of str to sequence of float, optional
        Explicit arrival times per class [s], one per threat (overrides the random
        arrival process).
    """

    counts: Mapping[str, int]
    duration_s: float = 3600.0
    threat_cost_musd: Mapping[str, float] = field(default_factory=dict)
    arrival_times_s: Mapping[str, Sequence[float]] | None = None

    def __post_init__(self) -> None:
        for key, value in self.counts.items():
            if int(value) != value or value < 0:
                raise ValueError(f"counts[{key!r}] must be a non-negative integer, got {value!r}")
        if not (math.isfinite(self.duration_s) and self.duration_s >= 0.0):
            raise ValueError(f"duration_s must be finite and >= 0, got {self.duration_s!r}")
        if self.arrival_times_s is not None:
            for key, n in self.counts.items():
                times = self.arrival_times_s.get(key, ())
                if len(times) != n:
                    raise ValueError(f"arrival_times_s[{key!r}] needs {n} times, got {len(times)}")

    @property
    def total(self) -> int:
        """Number of threats in the raid."""
        return int(sum(self.counts.values()))


@dataclass(frozen=True)
class Doctrine:
    """Firing doctrine: maximum shots per threat class and the firing mode.

    Classes absent from ``shots`` get one shot.
    """

    shots: Mapping[str, int]
    mode: Literal["shoot-shoot", "shoot-look-shoot"] = "shoot-look-shoot"

    def __post_init__(self) -> None:
        if self.mode not in DOCTRINES:
            raise ValueError(f"mode must be one of {DOCTRINES}, got {self.mode!r}")
        for key, value in self.shots.items():
            if int(value) != value or value < 0:
                raise ValueError(f"shots[{key!r}] must be a non-negative integer, got {value!r}")

    def shots_for(self, threat_class: str) -> int:
        """Maximum shots at one threat of ``threat_class``."""
        return int(self.shots.get(threat_class, 1))


@dataclass
class RaidResult:
    """Outcome of a raid against a layered defence, over ``trials`` realisations.

    Attributes
    ----------
    leakers_mean, leakers_std : dict of str to float
        Mean and standard deviation of leakers per threat class [threats].
    p_zero_leakers : float
        Fraction of trials in which no threat of any class leaked.
    interceptors_used_mean : dict of str to float
        Mean interceptors fired per system.
    interceptor_cost_musd_mean : float
        Mean cost of the interceptors fired [MUSD] (0 when no costs are given).
    threat_value_destroyed_musd_mean : float
        Mean cost of the threats destroyed [MUSD] (0 when no costs are given).
    cost_exchange_ratio : float
        ``interceptor_cost_musd_mean / threat_value_destroyed_musd_mean`` (NaN when
        nothing of value was destroyed).
    trials : int
        Number of realisations.
    seed : dict
        The generator's bit generator and seed entropy, for reproduction.
    leakers_per_trial : dict of str to ndarray
        Leakers per class in each trial (int arrays of length ``trials``).
    interceptors_used_per_trial : dict of str to ndarray
        Interceptors fired per system in each trial.
    engine : str
        The kernel that ran (``numpy`` or ``numba``).
    """

    leakers_mean: dict[str, float]
    leakers_std: dict[str, float]
    p_zero_leakers: float
    interceptors_used_mean: dict[str, float]
    interceptor_cost_musd_mean: float
    threat_value_destroyed_musd_mean: float
    cost_exchange_ratio: float
    trials: int
    seed: dict[str, Any]
    leakers_per_trial: dict[str, npt.NDArray[np.int64]] = field(repr=False)
    interceptors_used_per_trial: dict[str, npt.NDArray[np.int64]] = field(repr=False)
    engine: str = "numpy"


@dataclass
class ExpectedRaidOutcome:
    """Mean-field (no randomness) outcome of a raid; see :func:`expected_raid_outcome`."""

    leakers_mean: dict[str, float]
    interceptors_used_mean: dict[str, float]
    interceptor_cost_musd_mean: float
    threat_value_destroyed_musd_mean: float
    cost_exchange_ratio: float
    exact: bool
