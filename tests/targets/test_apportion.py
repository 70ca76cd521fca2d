"""Apportionment: textbook examples and invariants as property tests."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from gbad.targets.apportion import (
    ApportionmentInfeasibleError,
    apportion,
    constrained_quotas,
    dhondt,
    hamilton,
    webster,
)

# --- textbook examples -------------------------------------------------------------


def test_alabama_paradox_hamilton() -> None:
    # The classic three-state illustration of the Alabama paradox (Balinski & Young
    # 2001, ch. 5): populations 6, 6, 2. House 10 gives C two seats; house 11 one.
    assert hamilton([6, 6, 2], 10).seats.tolist() == [4, 4, 2]
    assert hamilton([6, 6, 2], 11).seats.tolist() == [5, 5, 1]


def test_divisor_methods_have_no_alabama_paradox_on_the_same_data() -> None:
    for f in (dhondt, webster):
        a10, a11 = f([6, 6, 2], 10).seats, f([6, 6, 2], 11).seats
        assert (a11 >= a10).all()


def test_dhondt_worked_example() -> None:
    # The worked example of the D'Hondt article (Wikipedia, "D'Hondt method"):
    # votes 100,000 / 80,000 / 30,000 / 20,000 and 8 seats give 4 / 3 / 1 / 0.
    assert dhondt([100_000, 80_000, 30_000, 20_000], 8).seats.tolist() == [4, 3, 1, 0]


def test_sainte_lague_worked_example() -> None:
    # Same votes under Sainte-Laguë (Wikipedia, "Sainte-Laguë method"): 3 / 3 / 1 / 1.
    assert webster([100_000, 80_000, 30_000, 20_000], 8).seats.tolist() == [3, 3, 1, 1]


def test_hamilton_worked_example() -> None:
    # Quotas 3.478, 2.783, 1.043, 0.696 -> floors 3, 2, 1, 0; two seats left go to the
    # largest remainders (0.783 and 0.696).
    assert hamilton([100_000, 80_000, 30_000, 20_000], 8).seats.tolist() == [3, 3, 1, 1]


def test_constrained_quotas_water_filling_by_hand() -> None:
    # Equal weights, house 10, ally 0 held at 5: the rest share 5 -> 2.5 each.
    q = constrained_quotas([1, 1, 1], 10, lower=[5, 0, 0])
    assert q == [Fraction(5), Fraction(5, 2), Fraction(5, 2)]
    # Upper bound: ally 0 capped at 2 of 10, the others share 8 by weight 1:3.
    q = constrained_quotas([5, 1, 3], 10, upper=[2, 10, 10])
    assert q == [Fraction(2), Fraction(2), Fraction(6)]


def test_zero_weights_filled_only_when_others_saturate() -> None:
    r = hamilton([1, 0, 0], 10, upper=[2, 10, 10])
    assert r.seats.tolist() == [2, 4, 4]
    assert hamilton([1, 0], 5).seats.tolist() == [5, 0]


def test_infeasible_bounds_name_the_side() -> None:
    with pytest.raises(ApportionmentInfeasibleError) as exc:
        hamilton([1, 1], 3, lower=[2, 2])
    assert exc.value.side == "lower"
    with pytest.raises(ApportionmentInfeasibleError) as exc:
        webster([1, 1], 5, upper=[2, 2])
    assert exc.value.side == "upper"
    with pytest.raises(ValueError, match="unknown"):
        apportion([1], 1, "jefferson")  # type: ignore[arg-type]


# --- properties -------------------------------------------------------------------

METHODS = ("hamilton", "webster", "dhondt")


@st.composite
def instances(draw: st.DrawFn) -> tuple[list[float], int, list[int], list[int]]:
    n = draw(st.integers(1, 8))
    weights = draw(st.lists(st.floats(0, 1e4, allow_nan=False), min_size=n, max_size=n))
    lower = draw(st.lists(st.integers(0, 20), min_size=n, max_size=n))
    extra = draw(st.lists(st.integers(0, 60), min_size=n, max_size=n))
    upper = [lo + e for lo, e in zip(lower, extra, strict=True)]
    house = draw(st.integers(sum(lower), sum(upper)))
    return weights, house, lower, upper


@settings(max_examples=150, deadline=None)
@given(instances(), st.sampled_from(METHODS))
def test_sum_integers_and_bounds(inst: tuple, method: str) -> None:
    weights, house, lower, upper = inst
    r = apportion(weights, house, method, lower, upper)  # type: ignore[arg-type]
    assert r.seats.dtype == np.int64
    assert int(r.seats.sum()) == house
    assert (r.seats >= np.asarray(lower)).all()
    assert (r.seats <= np.asarray(upper)).all()
    assert math.isclose(float(r.quotas.sum()), house, rel_tol=1e-9, abs_tol=1e-9)


@settings(max_examples=150, deadline=None)
@given(instances())
def test_hamilton_quota_rule_on_constrained_quotas(inst: tuple) -> None:
    weights, house, lower, upper = inst
    q = constrained_quotas(weights, house, lower, upper)
    r = hamilton(weights, house, lower, upper)
    for seats, quota in zip(r.seats, q, strict=True):
        assert math.floor(quota) <= seats <= math.ceil(quota)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.floats(0.01, 1e4, allow_nan=False), min_size=1, max_size=8),
    st.integers(0, 200),
)
def test_hamilton_quota_rule_unbounded(weights: list[float], house: int) -> None:
    # Without binding bounds the constrained quota is the ordinary quota h w_i / W.
    r = hamilton(weights, house)
    total = sum(Fraction(w) for w in weights)
    for seats, w in zip(r.seats, weights, strict=True):
        quota = Fraction(house) * Fraction(w) / total
        assert math.floor(quota) <= seats <= math.ceil(quota)


@settings(max_examples=100, deadline=None)
@given(instances(), st.sampled_from(("webster", "dhondt")))
def test_divisor_methods_house_monotone(inst: tuple, method: str) -> None:
    weights, house, lower, upper = inst
    assume(house < sum(upper))
    a = apportion(weights, house, method, lower, upper).seats  # type: ignore[arg-type]
    b = apportion(weights, house + 1, method, lower, upper).seats  # type: ignore[arg-type]
    assert (b >= a).all()
    assert int((b - a).sum()) == 1


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.floats(0.01, 1e4, allow_nan=False), min_size=2, max_size=8),
    st.integers(1, 300),
    st.sampled_from(("webster", "dhondt")),
)
def test_divisor_criterion_holds(weights: list[float], house: int, method: str) -> None:
    # A common divisor exists: max over allies of w/d(a) (next seat) <= min of w/d(a-1).
    off = 0.5 if method == "webster" else 1.0
    a = apportion(weights, house, method).seats  # type: ignore[arg-type]
    nxt = max(w / (s + off) for w, s in zip(weights, a, strict=True))
    last = min(w / (s - 1 + off) for w, s in zip(weights, a, strict=True) if s > 0)
    assert nxt <= last * (1 + 1e-12)
