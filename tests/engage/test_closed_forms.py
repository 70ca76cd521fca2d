"""Closed forms against tests/reference/validation.md sections 1, 2 and 6.

Tolerances as listed there.
"""

from __future__ import annotations

import math
from fractions import Fraction

import pytest
from scipy.integrate import solve_ivp

from gbad.engage import closed_forms as cf


@pytest.mark.parametrize(
    ("case", "pk", "k", "n", "pd", "r", "pkill", "p0", "leak", "tol"),
    [
        ("1.1", 0.7, 2, 10, 1.0, 1.0, 0.91, 0.389416118, 0.9, 1e-9),
        ("1.2", 0.7, 1, 10, 1.0, 1.0, 0.7, 0.0282475249, 3.0, 1e-9),
        ("1.3", 0.7, 3, 10, 1.0, 1.0, 0.973, 0.760551, None, 1e-6),
        ("1.4", 0.8, 2, 5, 1.0, 1.0, 0.96, 0.815373, None, 1e-6),
        ("1.5", 0.5, 4, 20, 1.0, 1.0, 0.9375, 0.275059, 1.25, 1e-6),
        ("1.6", 0.7, 2, 10, 0.95, 1.0, 0.8645, 0.233158, 1.355, 1e-6),
        ("1.7", 0.8, 2, 10, 0.9, 0.9, 0.82944, 0.154117, None, 1e-6),
    ],
)
def test_barrage_cases(case, pk, k, n, pd, r, pkill, p0, leak, tol) -> None:
    got = cf.salvo_kill_probability(pk, k, pd, r)
    assert got == pytest.approx(pkill, abs=tol), case
    assert cf.p_zero_leakers(got, n) == pytest.approx(p0, abs=tol), case
    if leak is not None:
        assert cf.expected_leakers(got, n) == pytest.approx(leak, abs=tol), case


def test_leaker_distribution_worked_example() -> None:
    dist = cf.leaker_distribution(0.91, 10)
    assert dist[:4] == pytest.approx([0.389416, 0.385137, 0.171407, 0.045206], abs=1e-6)
    assert sum(dist) == pytest.approx(1.0, abs=1e-12)


def test_single_target_jimjkelly_cases() -> None:
    assert cf.salvo_kill_probability(0.9, 2, 0.9) == pytest.approx(0.891, abs=1e-12)  # 1.8
    assert cf.salvo_kill_probability(0.65, 2, 0.5) == pytest.approx(0.43875, abs=1e-5)  # 1.9


def test_sls_cases() -> None:
    # 1.10 SLS 1+1
    pkill = cf.salvo_kill_probability(0.7, 2)
    assert cf.p_zero_leakers(pkill, 10) == pytest.approx(0.389416, abs=1e-6)
    assert cf.sls_expected_interceptors(0.7, 1, 1) == pytest.approx(1.3, abs=1e-6)
    assert 10 * cf.sls_expected_interceptors(0.7, 1, 1) == pytest.approx(13.0, abs=1e-6)
    # 1.11 SLS 2+2
    pkill = cf.salvo_kill_probability(0.7, 4)
    assert pkill == pytest.approx(0.9919, abs=1e-6)
    assert cf.p_zero_leakers(pkill, 10) == pytest.approx(0.921890, abs=1e-6)
    assert cf.sls_expected_interceptors(0.7, 2, 2) == pytest.approx(2.18, abs=1e-6)
    # 1.12 SLS 1+1 with P_d = 0.95
    pkill = cf.salvo_kill_probability(0.7, 2, 0.95)
    assert cf.p_zero_leakers(pkill, 10) == pytest.approx(0.233158, abs=1e-6)
    assert cf.sls_expected_interceptors(0.7, 1, 1, 0.95) == pytest.approx(1.235, abs=1e-6)


@pytest.mark.parametrize(
    ("case", "pk", "n", "de", "pd", "k", "achieved"),
    [
        ("1.13", 0.7, 10, 0.90, 1.0, 4, 0.921890),
        ("1.14", 0.7, 10, 0.99, 1.0, 6, 0.992734),
        ("1.15", 0.5, 20, 0.90, 1.0, 8, 0.924707),
        ("1.16", 0.8, 5, 0.95, 1.0, 3, 0.960635),
        ("1.17", 0.7, 10, 0.90, 0.99, 7, 0.902406),
    ],
)
def test_shots_needed(case, pk, n, de, pd, k, achieved) -> None:
    got = cf.shots_for_defence_effectiveness(pk, n, de, pd)
    assert got == k, case
    assert cf.salvo_kill_probability(pk, k, pd) ** n == pytest.approx(achieved, abs=1e-6)


def test_shots_needed_infeasible_1_18() -> None:
    per_target = 0.9 ** (1 / 10)
    assert per_target == pytest.approx(0.98952, abs=1e-5)
    assert cf.shots_for_defence_effectiveness(0.7, 10, 0.9, 0.95) is None


def test_salvo_arithmetic_2_1_to_2_3() -> None:
    assert cf.salvo_kill_probability(0.7, 2) == pytest.approx(0.91, abs=1e-12)
    assert cf.at_least_hits_probability(0.5, 3, 2) == pytest.approx(0.5, abs=1e-12)
    assert cf.sls_expected_shots(0.7, 2) == pytest.approx(1.3, abs=1e-12)
    assert cf.sls_expected_shots(0.7, 3) == pytest.approx(1.39, abs=1e-12)


@pytest.mark.parametrize(
    ("case", "a", "c", "expected"),
    [
        ("2.4", 1, 1, Fraction(1, 2)),
        ("2.5", 2, 2, Fraction(2, 5)),
        ("2.6", 1, 2, Fraction(1, 5)),
        ("2.7", 2, 1, Fraction(2, 3)),
        ("2.8", Fraction(1, 2), 3, Fraction(1, 79)),
        ("2.9", 5, 5, Fraction(625, 2194)),
    ],
)
def test_erlang_b_exact(case, a, c, expected) -> None:
    assert cf.erlang_b(Fraction(a), c) == expected, case


@pytest.mark.parametrize(
    ("case", "a", "c", "expected"),
    [
        ("2.9", 5.0, 5, 0.284868),
        ("2.10", 10.0, 10, 0.214582),
        ("2.11", 20.0, 20, 0.158892),
        ("2.12", 25.0, 30, 0.052603),
        ("2.13a", 2.5, 5, 0.069731),
        ("2.13b", 2.5, 6, 0.028234),
        ("2.13c", 2.5, 7, 0.009983),
    ],
)
def test_erlang_b_float(case, a, c, expected) -> None:
    assert cf.erlang_b(a, c) == pytest.approx(expected, abs=1e-6), case


def test_erlang_b_min_channels_and_carried_load() -> None:
    assert cf.erlang_b_min_channels(2.5, 0.01) == 7  # 2.14
    assert cf.erlang_b_min_channels(25.0, 0.05) == 31  # 2.15
    # tests/reference/validation.md quotes B = 0.040700 to four significant figures
    # (exact: 0.0406955).
    assert cf.erlang_b(25.0, 31) == pytest.approx(0.040700, abs=1e-5)
    assert cf.erlang_b_min_channels(10.0, 0.01) == 18  # 2.16
    assert cf.carried_load(5.0, 5) == pytest.approx(3.5757, abs=1e-4)  # 2.17


def test_lanchester_square_2_19() -> None:
    assert cf.lanchester_square_survivors(100, 80) == pytest.approx(60.0, abs=1e-9)

    # Independent check: integrate dA/dt = -B, dB/dt = -A until B reaches 0.
    def hit_zero(_t, y):
        return y[1]

    hit_zero.terminal = True  # type: ignore[attr-defined]
    sol = solve_ivp(
        lambda _t, y: [-y[1], -y[0]],
        (0, 10),
        [100.0, 80.0],
        events=hit_zero,
        rtol=1e-10,
        atol=1e-10,
    )
    assert sol.y_events[0][0][0] == pytest.approx(60.0, abs=1e-3)


def test_stockpile_arithmetic_6_1_to_6_3() -> None:
    per_night = cf.interceptors_per_night(100, 0.9, cf.sls_expected_shots(0.7, 2))
    assert per_night == pytest.approx(117, abs=1e-9)  # 6.1
    assert 30 * per_night == pytest.approx(3510, abs=1e-9)
    nights = cf.nights_of_supply(600, per_night)  # 6.2
    assert nights == pytest.approx(5.128, abs=1e-3)
    assert math.floor(nights) == 5
    barrage = cf.interceptors_per_night(100, 0.9, 2)  # 6.3
    assert barrage == pytest.approx(180, abs=1e-3)
    assert cf.nights_of_supply(600, barrage) == pytest.approx(3.33, abs=1e-2)
    assert cf.replacement_years(150, 12) == pytest.approx(12.5, abs=1e-9)  # 6.5


def test_bad_probabilities_raise() -> None:
    with pytest.raises(ValueError, match="pk"):
        cf.salvo_kill_probability(1.5, 2)
    with pytest.raises(ValueError, match="shots"):
        cf.salvo_kill_probability(0.5, -1)
