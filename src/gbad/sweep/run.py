"""Run a sweep: sample the uncertain parameters, evaluate each sample, collect.

Reproducibility: the design (the points in the unit hypercube) is drawn from
``numpy.random.default_rng(SeedSequence(seed))`` in the calling process, and
sample ``i`` gets the ``i``-th child of ``SeedSequence(seed).spawn(n)`` for its
own random draws, whatever executor or worker evaluates it. Results are
collected by sample index, never by completion order, so the same seed gives
the same numbers on one worker, on two, or on a Dask cluster.
"""

from __future__ import annotations

import functools
import time
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd

from gbad.errors import GbadInputError
from gbad.sweep.executors import Executor, Progress, make_executor
from gbad.sweep.params import UncertainParam, discover_params, sample_document
from gbad.sweep.sampling import Distribution, Sampler, three_point_ppf, unit_design

__all__ = [
    "Method",
    "Model",
    "SweepResult",
    "design_matrix",
    "evaluate_sample",
    "run_sweep",
    "sample_seeds",
]

#: A model maps one sampled scenario, its reference data and its generator to
#: headline outputs (``{name: value}``; ``name@year`` entries form series).
Model = Callable[[Any, Any, np.random.Generator], Mapping[str, float]]
#: Variance-based index: RBD-FAST or delta on the sweep's own samples, or
#: Sobol' indices on a Saltelli design.
Method = Literal["rbd-fast", "delta", "sobol"]
METHODS: tuple[Method, ...] = ("rbd-fast", "delta", "sobol")


def sample_seeds(seed: int, n: int) -> list[np.random.SeedSequence]:
    """Per-sample seeds: child ``i`` of ``SeedSequence(seed).spawn(n)`` for sample ``i``."""
    return np.random.SeedSequence(seed).spawn(n)


def _salib_problem(d: int) -> dict[str, Any]:
    return {"num_vars": d, "names": [f"x{i}" for i in range(d)], "bounds": [[0.0, 1.0]] * d}


def design_matrix(
    params: Sequence[UncertainParam],
    samples: int,
    seed: int,
    *,
    sampler: Sampler = "lhs",
    distribution: Distribution = "pert",
    method: Method = "rbd-fast",
) -> np.ndarray:
    """Sampled parameter values, shape ``(rows, len(params))``.

    Parameters
    ----------
    params : sequence of UncertainParam
        What to sample.
    samples : int
        Number of samples. With ``method="sobol"`` this is the budget of model
        runs: the Saltelli design uses ``N (d + 2)`` rows with ``N`` the largest
        power of two that fits (at least 1).
    seed : int
        Root seed; the design is drawn from ``default_rng(SeedSequence(seed))``.
    sampler, distribution : str
        Unit design (``random``, ``lhs``, ``sobol``) and three-point
        distribution (``pert``, ``triangular``).
    method : str
        ``sobol`` replaces the design by SALib's Saltelli design.
    """
    if samples < 1:
        raise GbadInputError("samples", "must be at least 1")
    d = len(params)
    rng = np.random.default_rng(np.random.SeedSequence(seed))
    if method == "sobol":
        from SALib.sample import sobol as salib_sobol

        if d == 0:
            raise GbadInputError("method", "sobol needs at least one uncertain parameter")
        base = samples // (d + 2)
        if base < 1:
            raise GbadInputError(
                "samples", f"method 'sobol' needs at least {d + 2} samples for {d} parameters"
            )
        base = 2 ** int(np.floor(np.log2(base)))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # SALib notes on sample sizes; size is a power of 2
            unit = salib_sobol.sample(
                _salib_problem(d),
                base,
                calc_second_order=False,
                scramble=True,
                seed=int(rng.integers(2**31 - 1)),
            )
    else:
        unit = unit_design(samples, d, sampler, rng)
    if d == 0:
        return unit
    low = np.array([p.low for p in params])
    mode = np.array([p.mode for p in params])
    high = np.array([p.high for p in params])
    values = three_point_ppf(unit, low, mode, high, distribution)
    integer = np.array([p.integer for p in params])
    if integer.any():
        values[:, integer] = np.round(values[:, integer])
    return np.asarray(values, dtype=float)


def default_reference(scenario: Any) -> Any:
    """Reference data with the scenario's overrides (``gbad.reference.load_reference``)."""
    from gbad.reference import load_reference

    return load_reference(overrides=scenario.overrides)


@dataclass(frozen=True)
class _Context:
    document: dict[str, Any]
    params: tuple[UncertainParam, ...]
    model: Model
    reference: Callable[[Any], Any] | None


#: Key of the wall time a sample took in its worker (kept out of the outputs,
#: which must not depend on timing).
_SECONDS = "__seconds__"


@dataclass(frozen=True)
class _Task:
    index: int
    values: tuple[float, ...]
    seed: np.random.SeedSequence


def evaluate_sample(context: _Context, task: _Task) -> dict[str, Any]:
    """Run the model on one sample (called in a worker).

    A sample whose values a stage rejects (:class:`GbadInputError`), or on
    which a stage fails, yields ``nan`` outputs and the message under
    ``"error"``, so one bad corner of the parameter space does not end a long
    sweep; :func:`run_sweep` raises only when every sample fails.
    """
    from gbad.scenario import parse_scenario

    started = time.perf_counter()
    try:
        scenario = parse_scenario(sample_document(context.document, context.params, task.values))
        if context.reference is None:
            from gbad.sweep.refcache import sampled_reference

            ref = sampled_reference(
                context.document.get("overrides") or {},
                context.params,
                task.values,
                scenario.overrides,
            )
        else:
            ref = context.reference(scenario)
        out = context.model(scenario, ref, np.random.default_rng(task.seed))
    except GbadInputError as exc:
        result: dict[str, Any] = {"error": str(exc)}
    except Exception as exc:  # recorded per sample, see above
        result = {"error": f"{type(exc).__name__}: {exc}"}
    else:
        result = {str(k): float(v) for k, v in out.items()}
    result[_SECONDS] = time.perf_counter() - started
    return result


@dataclass
class SweepResult:
    """A finished sweep.

    Attributes
    ----------
    params : list of UncertainParam
        The sampled parameters, in column order of ``inputs``.
    inputs : pandas.DataFrame
        One row per sample: ``sample`` then one column per parameter name.
    outputs : pandas.DataFrame
        One row per sample: ``sample`` then one column per model output, and
        ``error`` (message, or empty) when a sample was rejected.
    meta : dict
        Seed, samples, sampler, distribution, method, executor, seconds.
    """

    params: list[UncertainParam]
    inputs: pd.DataFrame
    outputs: pd.DataFrame
    meta: dict[str, Any] = field(default_factory=dict)

    def table(self) -> pd.DataFrame:
        """Inputs and outputs side by side, one row per sample."""
        return self.inputs.merge(self.outputs, on="sample", how="left")

    @property
    def output_names(self) -> list[str]:
        """Scalar model outputs (no ``@year`` series, no ``error``)."""
        return [c for c in self.outputs.columns if c not in ("sample", "error") and "@" not in c]


def _model_name(model: Model) -> str:
    return f"{getattr(model, '__module__', '?')}.{getattr(model, '__qualname__', repr(model))}"


def run_sweep(
    scenario: Any = None,
    *,
    samples: int | None = None,
    seed: int | None = None,
    sampler: Sampler | None = None,
    distribution: Distribution | None = None,
    method: Method = "rbd-fast",
    executor: Executor | str = "local",
    workers: int | None = None,
    params: Sequence[UncertainParam] | None = None,
    model: Model | None = None,
    reference: Callable[[Any], Any] | None = None,
    progress: Progress | None = None,
) -> SweepResult:
    """Sample a scenario's uncertain parameters and evaluate the model per sample.

    Parameters
    ----------
    scenario : gbad.scenario.Scenario, optional
        Base scenario (default: the default scenario). ``scenario.sweep``
        supplies defaults for ``samples``, ``sampler`` and ``distribution``;
        ``scenario.seed`` for ``seed``.
    samples, seed, sampler, distribution, method
        See :func:`design_matrix`.
    executor : Executor or str
        An open executor (left open), or a name for :func:`make_executor`
        (opened and closed here).
    workers : int, optional
        Workers when ``executor`` is a name.
    params : sequence of UncertainParam, optional
        What to sample (default: :func:`discover_params` on the scenario).
    model : callable, optional
        ``model(scenario, ref, rng) -> {output: value}``; default
        :func:`gbad.sweep.fastpath.fast_path`. Must be picklable (a module-level
        function) for process and Dask executors.
    reference : callable, optional
        ``reference(scenario) -> Reference`` for a sampled scenario. Must be
        picklable. Default: the embedded reference, loaded once per worker with
        the scenario's own overrides, with each sample's values written in
        (:func:`gbad.sweep.refcache.sampled_reference`; equal to
        :func:`default_reference` of the sampled scenario, and faster).
    progress : Progress, optional
        Progress sink (e.g. :class:`gbad.sweep.executors.RichProgress`).

    Returns
    -------
    SweepResult
    """
    from gbad.scenario import Scenario

    if scenario is None:
        scenario = Scenario()
    cfg = scenario.sweep
    samples = cfg.samples if samples is None else samples
    seed = scenario.seed if seed is None else seed
    sampler = cfg.sampler if sampler is None else sampler
    distribution = cfg.distribution if distribution is None else distribution
    if samples < 1:
        raise GbadInputError("samples", "must be at least 1")
    if seed < 0:
        raise GbadInputError("seed", "must be non-negative")
    if method not in METHODS:
        raise GbadInputError("method", f"unknown method {method!r}")
    if model is None:
        from gbad.sweep.fastpath import fast_path

        model = fast_path
    if params is None:
        params = discover_params(scenario, (reference or default_reference)(scenario))
    params = list(params)

    started = time.perf_counter()
    values = design_matrix(
        params, samples, seed, sampler=sampler, distribution=distribution, method=method
    )
    n = values.shape[0]
    seeds = sample_seeds(seed, n)
    context = _Context(scenario.model_dump(mode="json"), tuple(params), model, reference)
    tasks = [_Task(i, tuple(float(v) for v in values[i]), seeds[i]) for i in range(n)]
    fn = functools.partial(evaluate_sample, context)

    own = isinstance(executor, str)
    ex = make_executor(executor, workers) if isinstance(executor, str) else executor
    try:
        rows = ex.map(fn, tasks, progress, description=f"sweep ({ex.name})")
        described = ex.describe()
    finally:
        if own:
            ex.close()

    inputs = pd.DataFrame(values, columns=[p.name for p in params])
    inputs.insert(0, "sample", np.arange(n))
    sample_seconds = np.array([float(r.pop(_SECONDS, np.nan)) for r in rows])
    outputs = pd.DataFrame.from_records(rows)
    if "error" in outputs.columns:
        outputs["error"] = outputs["error"].fillna("")
        if (outputs["error"] != "").all():
            raise RuntimeError(f"every sample failed; the first: {outputs['error'].iloc[0]}")
    outputs.insert(0, "sample", np.arange(n))
    meta = {
        "samples": n,
        "requested_samples": samples,
        "seed": seed,
        "sampler": "saltelli" if method == "sobol" else sampler,
        "distribution": distribution,
        "method": method,
        "executor": described["name"],
        "workers": described["workers"],
        "model": _model_name(model),
        "n_parameters": len(params),
        "seconds": time.perf_counter() - started,
        "sample_seconds": {
            "mean": float(np.nanmean(sample_seconds)) if n else None,
            "max": float(np.nanmax(sample_seconds)) if n else None,
        },
    }
    return SweepResult(params=params, inputs=inputs, outputs=outputs, meta=meta)
