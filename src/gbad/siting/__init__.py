"""Siting: where new fire units should stand (covering location models, HiGHS).

Published models as functions (:mod:`gbad.siting.models`): :func:`mclp`
(brownfield maximal covering), :func:`mclp_budget`, :func:`lscp`,
:func:`lscp_backup` (spopt's LSCP-B), :func:`bacop1`, :func:`bacop2`; instance
reduction in :mod:`gbad.siting.reduce`; the ``gbad site`` contract in
:func:`site_points`; the scenario stage in :func:`site_new_units`.
"""

from __future__ import annotations

from gbad.siting.models import (
    SitingSolution,
    bacop1,
    bacop2,
    coverage_matrix_from_costs,
    lscp,
    lscp_backup,
    mclp,
    mclp_budget,
)
from gbad.siting.points import check_points, site_points
from gbad.siting.reduce import ReducedInstance, dominated_columns, merge_rows, reduce_covering
from gbad.siting.scenario import (
    SitingResult,
    greedy_sequence,
    new_units_from_procurement,
    site_new_units,
    units_in_year,
)

__all__ = [
    "ReducedInstance",
    "SitingResult",
    "SitingSolution",
    "bacop1",
    "bacop2",
    "check_points",
    "coverage_matrix_from_costs",
    "dominated_columns",
    "greedy_sequence",
    "lscp",
    "lscp_backup",
    "mclp",
    "mclp_budget",
    "merge_rows",
    "new_units_from_procurement",
    "reduce_covering",
    "site_new_units",
    "site_points",
    "units_in_year",
]
