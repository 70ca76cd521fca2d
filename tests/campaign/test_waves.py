"""Raids in waves: arrival times, saturation against Erlang B, durations from the reports."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from gbad.campaign.geometry import wave_minutes_from_reports
from gbad.campaign.spatial import arrival_times, effective_duration_s
from gbad.engage import FireUnit
from gbad.engage.batch import draw_batch, run_raid_batch_arrays, unit_sets
from gbad.engage.closed_forms import erlang_b
from gbad.scenario.sections import THREAT_CLASSES

DRONE = THREAT_CLASSES.index("drone")


def _wave_setup(waves: int, night_s: float, wave_s: float) -> SimpleNamespace:
    return SimpleNamespace(
        waves=waves, raid_duration_s=night_s, wave_s=np.full(len(THREAT_CLASSES), wave_s)
    )


def _loss(setup: SimpleNamespace, n: int, items: int, channels: int, hold_s: float, seed: int):
    """Share of each item's ``n`` drones finding every channel busy (no waiting, Pk 1)."""
    unit = FireUnit(
        system="gun",
        tier="c-uas",
        pk={"drone": 1.0},
        magazine=10**9,
        channels=channels,
        engagement_time_s=hold_s,
        reload_time_s=0.0,
        engagement_window_s=0.0,
    )
    sets = unit_sets([([[unit]], [0])], THREAT_CLASSES)
    counts = np.zeros((items, len(THREAT_CLASSES)), dtype=np.int64)
    counts[:, DRONE] = n
    rng = np.random.default_rng(seed)
    times, cls, u = draw_batch(rng, counts, np.ones(items, dtype=np.int64), 1, 1.0)
    times, cls = arrival_times(setup, times, cls, counts.sum(axis=1))
    shots = np.ones(len(THREAT_CLASSES), dtype=np.int64)
    leak, _ = run_raid_batch_arrays(
        "numpy",
        times,
        cls,
        u,
        counts.sum(axis=1),
        np.zeros(items, dtype=np.int64),
        np.arange(items, dtype=np.int64),
        sets,
        shots,
        1,
        1,
        np.full(items, 10**9, dtype=np.int64),
    )
    return leak[:, DRONE] / n


def test_one_long_wave_of_poisson_arrivals_loses_what_erlang_b_says() -> None:
    # Authority: Erlang B (closed form, insensitive to the holding-time law). A wave
    # of n uniform arrivals over T is a Poisson stream of rate n/T conditioned on n;
    # with no waiting (window 0) and Pk 1 a threat leaks exactly when every channel
    # is busy. T = 2000 holding times makes the empty start (which lowers the loss
    # by about h/T relative) negligible against the tolerance.
    channels, hold_s, offered = 4, 60.0, 3.0
    night_s = 2000 * hold_s
    n = int(offered / hold_s * night_s)
    loss = _loss(_wave_setup(1, night_s, night_s), n, 24, channels, hold_s, seed=5)
    expected = erlang_b(offered, channels)
    se = loss.std(ddof=1) / np.sqrt(loss.size)
    # 4 standard errors of the mean over 24 independent items (two-sided ~6e-5 of
    # failing by chance), plus the start-up bias bound h/T * expected.
    assert abs(loss.mean() - expected) <= 4 * se + expected * hold_s / night_s


def test_waves_saturate_channels_a_spread_raid_does_not() -> None:
    # Same threats, same channels: 300 drones over 6 h barely load 4 channels
    # (offered 0.83 Erlang); in 3 waves of 10 minutes the offered load is 10 Erlang
    # and Erlang B says most are lost. The loss must rise accordingly.
    spread = _loss(_wave_setup(0 + 1, 6 * 3600.0, 6 * 3600.0), 300, 20, 4, 60.0, seed=1)
    waves = _loss(_wave_setup(3, 6 * 3600.0, 600.0), 300, 20, 4, 60.0, seed=1)
    assert spread.mean() < erlang_b(300 / 21600 * 60, 4) + 0.05
    assert waves.mean() > erlang_b(100 / 600 * 60, 4) - 0.1


@settings(max_examples=40, deadline=None)
@given(
    waves=st.integers(1, 8),
    night_h=st.floats(1.0, 12.0),
    wave_min=st.floats(1.0, 300.0),
    n=st.integers(1, 60),
    seed=st.integers(0, 2**32 - 1),
)
def test_every_arrival_falls_inside_a_wave_and_items_stay_sorted(
    waves: int, night_h: float, wave_min: float, n: int, seed: int
) -> None:
    setup = _wave_setup(waves, night_h * 3600.0, wave_min * 60.0)
    counts = np.array([[n, 0, n, 0, 0], [0, n, 0, 0, 1]], dtype=np.int64)
    rng = np.random.default_rng(seed)
    times, cls, _ = draw_batch(rng, counts, np.ones(2, dtype=np.int64), 1, 1.0)
    t, c = arrival_times(setup, times, cls, counts.sum(axis=1))
    gap = setup.raid_duration_s / waves
    assert np.all(t >= 0) and np.all(t <= (waves - 1) * gap + setup.wave_s[c] + 1e-6)
    if wave_min * 60.0 < gap:  # waves apart: each arrival within its wave's duration
        offset = t - np.floor(t / gap) * gap
        assert np.all(offset <= setup.wave_s[c] + 1e-6)
    first = int(counts[0].sum())
    assert np.all(np.diff(t[:first]) >= 0) and np.all(np.diff(t[first:]) >= 0)
    # Classes are kept, item by item.
    assert np.array_equal(np.bincount(c[:first], minlength=5), counts[0])
    assert np.array_equal(np.bincount(c[first:], minlength=5), counts[1])


def test_effective_duration_of_waves() -> None:
    setup = _wave_setup(3, 6 * 3600.0, 600.0)
    assert effective_duration_s(setup, np.array([0, 0, 30, 0, 0])) == 1800.0
    assert effective_duration_s(_wave_setup(0, 7200.0, 1.0), np.ones(5)) == 7200.0
    # Overlapping waves: from the first start to the last end.
    long = _wave_setup(2, 3600.0, 3600.0)
    assert effective_duration_s(long, np.ones(5)) == 1800.0 + 3600.0


def test_wave_durations_are_percentiles_of_the_reported_windows() -> None:
    attacks = pd.DataFrame(
        {
            "date": ["2025-01-01", "2025-01-02", "2025-01-03", "2024-05-05"],
            "time_start": ["2025-01-01 01:00", "2025-01-02 01:00", "2025-01-03 01:00", "x"],
            "time_end": ["2025-01-01 02:00", "2025-01-02 03:00", "2025-01-03 04:00", "y"],
            "model": ["Shahed", "Shahed", "Shahed", "Shahed"],
            "weapon_class": ["uav", "uav", "uav", "uav"],
        }
    )
    mid = wave_minutes_from_reports(attacks, "mid")
    low = wave_minutes_from_reports(attacks, "low")
    assert mid[DRONE] == 120.0  # median of 60, 120, 180 min
    assert low[DRONE] == 90.0  # 25th percentile, linear interpolation
    # A class without timed reports takes the median over all reports.
    assert mid[THREAT_CLASSES.index("aircraft")] == 120.0
