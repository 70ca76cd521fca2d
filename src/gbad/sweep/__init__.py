"""Uncertainty sweeps: sample every uncertain input, rerun the pipeline, summarise.

>>> from gbad.sweep import run_sweep, summarise          # doctest: +SKIP
>>> result = run_sweep(samples=200, seed=1, executor="local", workers=2)
>>> summary = summarise(result)
>>> summary["outputs"]["targets_cost_musd"]["p95"]
"""

from __future__ import annotations

from gbad.sweep.analysis import (
    PERCENTILES,
    fan_table,
    sensitivity,
    spearman_matrix,
    summarise,
    summarise_outputs,
    variance_indices,
)
from gbad.sweep.executors import (
    DaskExecutor,
    Executor,
    LocalExecutor,
    RichProgress,
    SerialExecutor,
    make_executor,
    parse_dask_address,
)
from gbad.sweep.fastpath import HEADLINE_OUTPUTS, fast_path, full_path
from gbad.sweep.params import (
    UncertainParam,
    apply_sample,
    discover_params,
    filter_params,
    reference_params,
    scenario_knob_params,
)
from gbad.sweep.run import SweepResult, design_matrix, run_sweep, sample_seeds
from gbad.sweep.sampling import pert_ppf, three_point_ppf, triangular_ppf, unit_design

__all__ = [
    "HEADLINE_OUTPUTS",
    "PERCENTILES",
    "DaskExecutor",
    "Executor",
    "LocalExecutor",
    "RichProgress",
    "SerialExecutor",
    "SweepResult",
    "UncertainParam",
    "apply_sample",
    "design_matrix",
    "discover_params",
    "fan_table",
    "fast_path",
    "filter_params",
    "full_path",
    "make_executor",
    "parse_dask_address",
    "pert_ppf",
    "reference_params",
    "run_sweep",
    "sample_seeds",
    "scenario_knob_params",
    "sensitivity",
    "spearman_matrix",
    "summarise",
    "summarise_outputs",
    "three_point_ppf",
    "triangular_ppf",
    "unit_design",
    "variance_indices",
]
