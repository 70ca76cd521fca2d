"""One rate per missile line, on one basis, in the campaign's ``by_system`` rows.

``spare_production_per_year`` is what is left of ``europe_production_per_year``
after the first loads of new fire units (docs/plan.md), so it never exceeds it;
both are the rates of the system's missile line, on the basis the industry
schedule ran (its joint line expansion included).
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from gbad.campaign import build_setup, simulate_campaign
from tests.campaign.conftest import mini_reference, mini_scenario

#: The joint line expansion of the stand-in industry schedule (``line_expansion_pct``).
EXPANSION = 1.25


def _lined_reference() -> SimpleNamespace:
    ref = mini_reference()
    # Stinger and IRIS-T SLM drawing on one line: an artificial pairing that
    # stands for Sky Sabre on the CAMM line.
    ref.systems["missile_line"] = ["", "iris", "", "iris"]
    return ref


def _industry() -> SimpleNamespace:
    """An industry result whose lines were expanded by :data:`EXPANSION`.

    Capacity 600, 800 and 5000 a year expanded; the spare output is what the
    schedule left after first loads, split over the systems of the shared line.
    """
    capacity = pd.DataFrame(
        {
            "system": ["patriot", "iris-t-slm", "skynex"],
            "year": [2025] * 3,
            "interceptors": [600.0 * EXPANSION, 800.0 * EXPANSION, 5000.0 * EXPANSION],
        }
    )
    spare = pd.DataFrame(
        {
            "system": ["patriot", "iris-t-slm", "stinger", "skynex"],
            "year": [2025] * 4,
            "interceptors": [700.0, 500.0, 400.0, 6000.0],
        }
    )
    return SimpleNamespace(spare_interceptors=spare, interceptor_capacity=capacity)


@pytest.fixture(scope="module")
def rows() -> dict[str, dict[str, object]]:
    setup = build_setup(_lined_reference(), mini_scenario(), industry=_industry())
    res = simulate_campaign(setup, rng=1, replications=2, engine="mean-field")
    return {str(r["system"]): r for r in res.by_system()}


def test_spare_never_exceeds_the_line_rate(rows: dict[str, dict[str, object]]) -> None:
    for r in rows.values():
        rate, spare = r["europe_production_per_year"], r["spare_production_per_year"]
        assert isinstance(rate, float) and isinstance(spare, float)
        assert spare <= rate + 1e-9, r
    # Both on the expanded basis: the line's capacity the schedule ran with.
    assert rows["patriot"]["europe_production_per_year"] == pytest.approx(600.0 * EXPANSION)
    assert rows["patriot"]["spare_production_per_year"] == pytest.approx(700.0)


def test_systems_on_one_line_report_the_line_rate(rows: dict[str, dict[str, object]]) -> None:
    a, b = rows["iris-t-slm"], rows["stinger"]
    assert a["missile_line"] == b["missile_line"] == "iris"
    assert rows["patriot"]["missile_line"] == "patriot"
    for key in ("europe_production_per_year", "spare_production_per_year", "line_spent"):
        assert a[key] == b[key]
    assert a["europe_production_per_year"] == pytest.approx(800.0 * EXPANSION)
    assert a["spare_production_per_year"] == pytest.approx(500.0 + 400.0)
    spent = float(np.sum([a["spent"], b["spent"]]))
    assert a["line_spent"] == pytest.approx(spent)


def test_without_industry_the_announced_output_on_both() -> None:
    setup = build_setup(_lined_reference(), mini_scenario())
    res = simulate_campaign(setup, rng=1, replications=2, engine="mean-field")
    by = {str(r["system"]): r for r in res.by_system()}
    # No line share table: all of a line's output open to the allies (imputed 1).
    assert by["patriot"]["europe_production_per_year"] == pytest.approx(600.0)
    assert by["patriot"]["spare_production_per_year"] == pytest.approx(600.0)
    assert by["stinger"]["europe_production_per_year"] == pytest.approx(800.0)
    assert by["stinger"]["spare_production_per_year"] == pytest.approx(800.0)


def test_leak_fraction_is_all_leakers_over_all_threats(mini_ref: SimpleNamespace) -> None:
    # One name, one meaning: the per-class ``leak_fraction`` pools replications
    # (the ratio of the means), as ``missile_leak_share`` does.
    setup = build_setup(mini_ref, mini_scenario())
    res = simulate_campaign(setup, rng=4, replications=6, engine="mean-field")
    threats, leaked = res.threats_rep.sum(axis=0), res.leakers_rep.sum(axis=0)
    launched = threats > 0
    assert launched.any()
    np.testing.assert_allclose(
        res.leak_fraction[launched], leaked[launched] / threats[launched], rtol=1e-12
    )
    missiles = [res.classes.index(c) for c in ("ballistic", "cruise", "glide")]
    share = leaked[missiles].sum() / threats[missiles].sum()
    assert res.missile_leak_share() == pytest.approx(share, rel=1e-12)


def test_leak_fraction_se_with_fixed_raids_is_the_ratio_se(mini_ref: SimpleNamespace) -> None:
    # With the same threats every replication (``draw: fixed``) the delta-method
    # error of the ratio of means is exactly the standard error of the
    # replications' own ratios: an independent closed form.
    scenario = mini_scenario()
    scenario = scenario.model_copy(
        update={"threat": scenario.threat.model_copy(update={"draw": "fixed"})}
    )
    setup = build_setup(mini_ref, scenario)
    res = simulate_campaign(setup, rng=9, replications=5)
    x, y = res.threats_rep, res.leakers_rep
    ok = x[0] > 0
    assert np.all(x == x[0])
    ratio = y[:, ok] / x[:, ok]
    expected = ratio.std(axis=0, ddof=1) / np.sqrt(res.replications)
    np.testing.assert_allclose(res.leak_fraction_se[ok], expected, rtol=1e-9, atol=1e-15)
