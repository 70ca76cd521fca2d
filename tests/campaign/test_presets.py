"""Raid presets from the nightly reports: class mapping, nightly table, statistics."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from gbad.campaign.presets import (
    classify_attacks,
    draw_raid_sizes,
    growth_pct_per_month,
    nightly_counts,
    raid_means,
    raid_presets,
    threat_class_of,
)
from gbad.errors import GbadInputError
from gbad.scenario import THREAT_CLASSES


def _reports() -> pd.DataFrame:
    rows = [
        ("2025-01-01", "Shahed-136/131", "uav", 100, 80),
        ("2025-01-01", "Orlan-10", "uav", 5, 5),
        ("2025-01-02", "Shahed-136/131", "uav", 50, 40),
        ("2025-01-02", "Iskander-M", "ballistic", 4, 1),
        ("2025-01-02", "X-47 Kinzhal", "ballistic", 2, 1),
        ("2025-01-04", "X-101/X-555", "cruise", 30, 27),
        ("2025-01-04", "C-300", "surface-to-air_missile", 6, 0),
        ("2025-01-04", "GBU", "guided_bomb", 3, 0),
        ("2024-12-31", "Shahed-136/131", "uav", 999, 900),
    ]
    return pd.DataFrame(rows, columns=["date", "model", "weapon_class", "launched", "destroyed"])


def test_class_mapping() -> None:
    assert threat_class_of("Shahed-136/131", "uav") == "drone"
    assert threat_class_of("Orlan-10", "uav") is None  # reconnaissance, not a raid threat
    assert threat_class_of("X-47 Kinzhal", "ballistic") == "glide"
    assert threat_class_of("Iskander-M", "ballistic") == "ballistic"
    assert threat_class_of("C-300", "surface-to-air_missile") == "ballistic"
    assert threat_class_of("Kalibr", "cruise") == "cruise"
    assert threat_class_of("GBU", "guided_bomb") is None


def test_nightly_counts_fill_quiet_nights_with_zero() -> None:
    table = nightly_counts(_reports(), start="2025-01-01", end="2025-01-04")
    assert list(table.columns) == list(THREAT_CLASSES)
    assert len(table) == 4  # 2025-01-03 had no report: a night with no attack
    assert table.loc["2025-01-03"].sum() == 0
    assert table.loc["2025-01-01", "drone"] == 100  # the Orlan-10 is left out
    assert table.loc["2025-01-04", "ballistic"] == 6
    assert table.loc["2025-01-02", "glide"] == 2


def test_presets_are_the_stated_statistics() -> None:
    presets = raid_presets(_reports(), year=2025)
    drones = np.array([100, 50, 0, 0], dtype=float)  # nights of 1..4 Jan 2025
    assert presets["typical"].threats_per_night["drone"] == np.median(drones)
    assert presets["average"].threats_per_night["drone"] == pytest.approx(drones.mean())
    assert presets["peak"].threats_per_night["drone"] == pytest.approx(np.quantile(drones, 0.95))
    assert presets["record"].threats_per_night["drone"] == 100
    assert presets["record"].threats_per_night["cruise"] == 30
    assert all(p.threats_per_night["aircraft"] == 0 for p in presets.values())


def test_presets_of_the_reference_reports() -> None:
    from gbad.reference import load_table

    presets = raid_presets(load_table("attacks"), year=2025)
    typical, peak, record = (presets[k].threats_per_night for k in ("typical", "peak", "record"))
    # Ordering holds for every class by construction of the statistics.
    for c in THREAT_CLASSES:
        assert typical[c] <= peak[c] <= record[c]
    # The record drone night of the first half of 2025 is in the hundreds.
    assert 300 <= record["drone"] <= 1000
    assert typical["drone"] > 0


def test_growth_fit_recovers_an_exponential() -> None:
    days = pd.date_range("2024-01-01", "2024-12-31", freq="D")
    month = np.array([(d.year - 2024) * 12 + d.month - 1 for d in days])
    drones = 10.0 * 1.1**month
    frame = pd.DataFrame(0.0, index=days, columns=list(THREAT_CLASSES))
    frame["drone"] = drones
    growth = growth_pct_per_month(frame)
    assert growth["drone"] == pytest.approx(10.0, abs=1e-9)
    assert growth["cruise"] == 0.0


def test_raid_means_growth_and_scale() -> None:
    means = raid_means({"drone": 100.0}, 62, growth_pct_per_month=10.0, scale=2.0)
    d = THREAT_CLASSES.index("drone")
    assert means[0, d] == 200.0
    assert means[61, d] == pytest.approx(200.0 * 1.1 ** (61 / (365.25 / 12)))
    assert means[:, THREAT_CLASSES.index("cruise")].sum() == 0


def test_poisson_draws_follow_the_mean() -> None:
    means = np.full((400, len(THREAT_CLASSES)), 50.0)
    rngs = [np.random.default_rng(s) for s in np.random.SeedSequence(1).spawn(400)]
    sizes = draw_raid_sizes(means, "poisson", rngs)
    # 2000 Poisson(50) draws: SE of the mean = sqrt(50/2000) = 0.158; 4 SE = 0.63.
    assert abs(sizes.mean() - 50.0) < 4 * math.sqrt(50.0 / sizes.size)
    assert np.array_equal(draw_raid_sizes(means, "fixed", rngs), np.full(means.shape, 50))


def test_bad_reports_are_input_errors() -> None:
    with pytest.raises(GbadInputError, match="attacks"):
        classify_attacks(pd.DataFrame({"date": ["2025-01-01"]}))
    with pytest.raises(GbadInputError, match="year"):
        raid_presets(_reports(), year=2019)
