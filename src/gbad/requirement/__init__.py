"""The requirement: the least-cost force holding the missile leak share to a target.

- :func:`compute_requirement` (:mod:`gbad.requirement.stage`): the stage.
- :func:`greedy_additions`, :func:`brute_force_additions`
  (:mod:`gbad.requirement.search`): the search and its exact check.
- :func:`force_from_counts`, :func:`check_counts` (:mod:`gbad.requirement.force_table`):
  ``force.csv`` counts as an order of battle; :func:`sites_of_counts` where its
  units stand.
- :func:`covering_additions` (:mod:`gbad.requirement.covering`): counts and sites
  of new units on the spatial campaign, the search's starting point.
- :mod:`gbad.requirement.compare`: the force against the x-fold target, the
  missile class driving each tier, the classes no system engages.
- :func:`burn_vs_build` (:mod:`gbad.requirement.burn`): nights of peak raids a
  year of production sustains.
"""

from gbad.requirement.burn import burn_vs_build
from gbad.requirement.force_table import (
    COUNT_COLUMNS,
    SITE_COLUMNS,
    check_counts,
    counts_of_force,
    force_from_counts,
    sites_of_counts,
)
from gbad.requirement.search import SearchResult, brute_force_additions, greedy_additions
from gbad.requirement.stage import (
    RequirementResult,
    area_setup,
    compute_requirement,
    missile_leak_target,
)

__all__ = [
    "COUNT_COLUMNS",
    "SITE_COLUMNS",
    "RequirementResult",
    "SearchResult",
    "area_setup",
    "brute_force_additions",
    "burn_vs_build",
    "check_counts",
    "compute_requirement",
    "counts_of_force",
    "force_from_counts",
    "greedy_additions",
    "missile_leak_target",
    "sites_of_counts",
]
