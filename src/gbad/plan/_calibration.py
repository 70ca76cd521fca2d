"""The engagement calibration a plan uses: Ukraine's electronic-warfare defeat rates.

:func:`calibration_for` reads the scenario's ``engagement.calibration`` (the embedded
model, or a model file of ``gbad calibrate``) and returns what the campaign uses,
the electronic-warfare defeat probability per threat class, with the calibrated
rates and Ukraine's reported leak ranges the report compares the plan with. It reads
a file, so it belongs with the reference data, not in a stage.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from gbad.errors import GbadInputError

__all__ = ["FIELDED_ASSUMPTION", "TRANSFER_ASSUMPTION", "CalibrationUse", "calibration_for"]

#: How Ukraine's rates are carried over to a European force (stated in the report).
TRANSFER_ASSUMPTION = (
    "The campaign gives each launched threat a chance of being defeated by electronic "
    "warfare before any fire unit engages it: the share of launched threats of that "
    "class Ukraine's defence reported as lost to electronic warfare (not_reach_goal) at "
    "the model's last monthly level, for the families that stand for the class. This "
    "assumes the allies field electronic warfare as effective as Ukraine's was then. "
    "Kinetic kills stay with the allies' own fire units and their estimated Pk: "
    "Ukraine's kinetic rates reflect its own mix of systems and are reported for "
    "comparison only."
)

#: The same, when ``engagement.ew_layer`` is ``fielded`` (:mod:`gbad.campaign.ew`).
FIELDED_ASSUMPTION = (
    "The campaign's electronic-warfare layer comes from the electronic-warfare systems "
    "each ally fields in the campaign year: the share of its defended assets they "
    "cover times their defeat probability inside their coverage (Ukraine's calibrated "
    "rate for a SKYctrl-class site). An ally that fields none has no layer. Ukraine's "
    "calibrated rates below are for comparison only."
)


@dataclass(frozen=True)
class CalibrationUse:
    """The calibration of one plan.

    Attributes
    ----------
    source : str
        ``"default"`` or the model file's path.
    level : str
        Which of the calibrated (low, mid, high) rates the campaign uses.
    ew_defeat : dict of str to float
        Electronic-warfare defeat probability per threat class (the campaign's layer).
    rates : dict
        Per class: ``defeated``, ``kinetic``, ``ew`` as [low, mid, high] and the
        ``level_month``.
    reported_leak : dict
        Per class: Ukraine's reported leak share [low, mid, high] (10th, 50th and
        90th percentiles per night over the model's last 12 months).
    """

    source: str
    level: str
    ew_defeat: dict[str, float]
    rates: dict[str, dict[str, Any]]
    reported_leak: dict[str, list[float]]
    assumption: str = TRANSFER_ASSUMPTION
    factor: float = 1.0
    plan_leak: dict[str, dict[str, float | None]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The plan's ``calibration`` entry."""
        return {
            "source": self.source,
            "level": self.level,
            "factor": self.factor,
            "ew_defeat": dict(self.ew_defeat),
            "rates": self.rates,
            "reported_leak": self.reported_leak,
            "plan_leak": self.plan_leak,
            "assumption": self.assumption,
            "source_id": "ivaniuk-attacks",
        }


def calibration_for(scenario: Any) -> CalibrationUse | None:
    """The scenario's calibration (``None`` when ``engagement.calibration`` is null).

    Raises
    ------
    GbadInputError
        ``engagement.calibration`` naming a file that cannot be read or is not a model.
    """
    from gbad.engage.calibrate import load_model

    eng = scenario.engagement
    source = eng.calibration
    if source is None:
        return None
    factor = float(eng.ew_factor)
    if source == "default":
        use = _scaled(_default_use(str(eng.calibration_level)), factor)
    else:
        path = Path(source)
        try:
            model = load_model(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError) as exc:
            raise GbadInputError("engagement.calibration", f"cannot use {path}: {exc}") from None
        use = _scaled(_use(model, str(source), str(eng.calibration_level)), factor)
    if getattr(eng, "ew_layer", "calibrated") == "fielded":
        use = replace(use, assumption=FIELDED_ASSUMPTION)
    return use


def _scaled(use: CalibrationUse, factor: float) -> CalibrationUse:
    """The layer with every rate times ``engagement.ew_factor`` (capped at one)."""
    if factor == 1.0:
        return use
    scaled = {c: min(1.0, p * factor) for c, p in use.ew_defeat.items()}
    return replace(use, ew_defeat=scaled, factor=factor)


@functools.cache
def _default_use(level: str) -> CalibrationUse:
    """The embedded model's use (computed once per process: sweeps call it per sample)."""
    from gbad.engage.calibrate import default_model

    return _use(default_model(), "default", level)


def _use(model: Any, source: str, level: str) -> CalibrationUse:
    from gbad.engage.campaign_rates import campaign_defeat_rates, reported_leak_ranges

    k = {"low": 0, "mid": 1, "high": 2}[level]
    rates = campaign_defeat_rates(model)
    return CalibrationUse(
        source=source,
        level=level,
        ew_defeat={c: float(r.ew[k]) for c, r in rates.items()},
        rates={
            c: {
                "defeated": list(r.defeated),
                "kinetic": list(r.kinetic),
                "ew": list(r.ew),
                "level_month": r.level_month,
            }
            for c, r in rates.items()
        },
        reported_leak={c: list(v) for c, v in reported_leak_ranges(model).items()},
    )
