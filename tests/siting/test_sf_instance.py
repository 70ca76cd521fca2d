"""spopt's San Francisco instance: tests/reference/validation.md §4.3 cases reproduced exactly."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from gbad.siting import bacop1, coverage_matrix_from_costs, lscp, lscp_backup, mclp
from tests.siting.conftest import SFInstance

S = 5000.0


def test_4_1_mclp_p4_objective(sf: SFInstance) -> None:
    sol = mclp(coverage_matrix_from_costs(sf.cost_matrix, S), sf.weight, 4)
    assert sol.optimal
    assert sol.covered_weight == 875_247  # exact: integer populations
    assert sol.selected.size == 4
    assert sol.total_weight == 955_113


def test_4_2_mclp_p4_uncovered_count(sf: SFInstance) -> None:
    # informative in tests/reference/validation.md (ties), but HiGHS finds the spopt optimum here
    sol = mclp(coverage_matrix_from_costs(sf.cost_matrix, S), sf.weight, 4)
    assert sol.covered_weight == 875_247
    assert 205 - sol.n_covered == 21
    assert 100.0 * sol.n_covered / 205 == pytest.approx(89.75609756097561, rel=1e-15)


@pytest.mark.parametrize("reduce", [True, False])
def test_4_3_mclp_p1_to_p7(sf: SFInstance, reduce: bool) -> None:
    expected = [448_255, 671_938, 791_499, 875_247, 927_402, 941_462, 950_428]
    a = coverage_matrix_from_costs(sf.cost_matrix, S)
    got = [mclp(a, sf.weight, p, reduce=reduce).covered_weight for p in range(1, 8)]
    assert got == expected


def test_4_5_mclp_unweighted(sf: SFInstance) -> None:
    sol = mclp(coverage_matrix_from_costs(sf.cost_matrix, S), None, 4)
    assert sol.covered_weight == 185


@pytest.mark.parametrize(("radius", "n"), [(5000, 8), (4700, 8), (5500, 7), (6000, 5), (7500, 4)])
def test_4_6_4_7_lscp(sf: SFInstance, radius: float, n: int) -> None:
    sol = lscp(coverage_matrix_from_costs(sf.cost_matrix, radius))
    assert sol.feasible and sol.optimal
    assert sol.objective == n
    assert sol.n_covered == 205


def test_4_8_lscp_infeasible_below_max_nearest_distance(sf: SFInstance) -> None:
    threshold = sf.cost_matrix.min(axis=1).max()
    assert threshold == pytest.approx(4644.8457, abs=1e-4)
    assert not lscp(coverage_matrix_from_costs(sf.cost_matrix, 4600)).feasible
    assert lscp(coverage_matrix_from_costs(sf.cost_matrix, threshold)).feasible


@pytest.mark.parametrize(("radius", "p_star", "clients"), [(5000, 8, 167), (5500, 7, 148)])
def test_4_9_4_10_lscp_backup(sf: SFInstance, radius: float, p_star: int, clients: int) -> None:
    first, second = lscp_backup(coverage_matrix_from_costs(sf.cost_matrix, radius))
    assert first.objective == p_star
    assert second.optimal
    assert second.selected.size == p_star
    assert second.objective == clients
    if radius == 5000:
        assert 100.0 * second.objective / 205 == pytest.approx(81.46341463414633, rel=1e-15)
    # spopt's count = clients truly covered twice + clients with a single candidate
    single = int(np.sum((sf.cost_matrix <= radius).sum(axis=1) < 2))
    assert second.n_backup + single == clients


def test_bacop1_unit_weights_matches_lscp_b(sf: SFInstance) -> None:
    a = coverage_matrix_from_costs(sf.cost_matrix, S)
    sol = bacop1(a, None, 8)
    assert sol.feasible
    assert sol.objective == 167 - int(np.sum((sf.cost_matrix <= S).sum(axis=1) < 2))


def test_4_12_mclp_monotone_and_all_sites(sf: SFInstance) -> None:
    a = coverage_matrix_from_costs(sf.cost_matrix, S)
    values = [mclp(a, sf.weight, p).covered_weight for p in range(1, 17)]
    assert all(x <= y for x, y in itertools.pairwise(values))
    assert values[-1] == 955_113


def test_existing_sites_stay_selected(sf: SFInstance) -> None:
    a = coverage_matrix_from_costs(sf.cost_matrix, S)
    free = mclp(a, sf.weight, 4)
    # force one site the free optimum does not use; the brownfield optimum can only be lower
    forced = int(np.setdiff1d(np.arange(16), free.selected)[0])
    brown = mclp(a, sf.weight, 4, existing=[forced])
    assert forced in brown.selected and brown.selected.size == 4
    assert brown.covered_weight <= free.covered_weight
