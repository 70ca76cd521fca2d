"""Systems that fire the same interceptor share one missile line in the schedule."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gbad.industry import simulate
from gbad.industry.lines import missile_lines
from gbad.reference import load_reference

YEARS = [2026, 2027, 2028]


def _orders(rows: list[tuple[str, str, str, int]]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"iso3": a, "tier": t, "system": s, "fire_units": n, "order_year": 2025}
            for a, t, s, n in rows
        ]
    )


def _cap(rates: dict[str, float]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"system": s, "year": y, "fire_units": 100.0, "interceptors": r}
            for s, r in rates.items()
            for y in YEARS
        ]
    )


def _run(orders: pd.DataFrame, rates: dict[str, float], line: dict[str, str] | None):
    return simulate(
        orders,
        _cap(rates),
        YEARS,
        rule="first-come",
        price_musd={},
        interceptors_per_fu={"a": 10, "b": 10},
        opex_musd={},
        missile_line=line,
    )


def test_a_system_takes_what_its_sibling_leaves_on_the_line() -> None:
    # Line output 5 + 15 = 20 a year; only system a is ordered (2 units of 10 rounds).
    orders = _orders([("X", "long", "a", 2)])
    alone = _run(orders, {"a": 5.0, "b": 15.0}, None).deliveries
    shared = _run(orders, {"a": 5.0, "b": 15.0}, {"a": "L", "b": "L"}).deliveries
    assert alone.groupby("year")["interceptors"].sum().to_dict() == {2026: 5, 2027: 5, 2028: 5}
    assert shared.groupby("year")["interceptors"].sum().to_dict() == {2026: 20}


@settings(max_examples=40, deadline=None)
@given(
    ra=st.integers(0, 40),
    rb=st.integers(0, 40),
    na=st.integers(0, 6),
    nb=st.integers(0, 6),
)
def test_two_systems_on_one_line_never_exceed_its_output(
    ra: int, rb: int, na: int, nb: int
) -> None:
    orders = _orders([("X", "long", "a", na), ("Y", "medium", "b", nb)])
    sched = _run(orders, {"a": float(ra), "b": float(rb)}, {"a": "L", "b": "L"})
    per_year = sched.deliveries.groupby("year")["interceptors"].sum()
    assert (per_year <= ra + rb).all()
    # reported per system, the line's capacity adds up to its output: spare rounds
    # (capacity less delivered, what the campaign may draw on) are counted once
    lines = sched.lines.groupby("year")[["int_capacity", "int_delivered"]].sum()
    assert lines["int_capacity"].to_numpy() == pytest.approx([ra + rb] * len(YEARS))
    assert (lines["int_capacity"] >= lines["int_delivered"]).all()
    # nothing is lost either: each year the line delivers all it can or all that is owed
    owed = 10 * (na + nb)
    got = int(per_year.sum())
    assert got == min(owed, (ra + rb) * len(YEARS))


def test_the_data_put_both_samp_t_on_the_aster_line_and_sky_sabre_on_camm() -> None:
    lines = missile_lines(load_reference())
    assert lines["samp-t"] == lines["samp-t-ng"]
    assert lines["sky-sabre"] == lines["camm"]
    assert "camm-er" not in lines  # a larger missile, its own line
