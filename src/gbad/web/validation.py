"""Scenario bodies of the API: parse JSON/YAML safely, validate, bound run size.

Errors come out as the 422 payload of the API::

    {"detail": [{"loc": ["target", "factor"], "msg": "...", "type": "..."}],
     "field": "target.factor"}
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from gbad._jsonable import dotted_get
from gbad.errors import GbadInputError
from gbad.scenario import Scenario, error_message
from gbad.scenario._yaml import check_depth, loads_json, loads_yaml
from gbad.scenario.checks import check_scenario, validate_against_reference

__all__ = [
    "DEFAULT_LIMITS",
    "ScenarioRejectedError",
    "check_limits",
    "check_reference",
    "limit_errors",
    "parse_body",
    "validate_scenario",
]

#: Bounds on the size of a run started through the web app, tighter than the
#: scenario model's own ranges so one request cannot occupy the server for hours.
#: Each is ``key path: (minimum, maximum)``; ``None`` means unbounded on that side.
DEFAULT_LIMITS: dict[str, tuple[float | None, float | None]] = {
    "threat.nights": (None, 365),
    "engagement.trials": (None, 100_000),
    "campaign.replications": (None, 64),
    "sweep.samples": (None, 1_000),
    "siting.max_candidates": (None, 20_000),
    "siting.grid_km": (10, None),
    "coverage.cell_km": (10, None),
    "countries": (None, 60),
    "threat.scale": (None, 20),
    # Threats per night by class (custom raids): none negative, none beyond ten
    # times the largest night on record (about 800 in 2025).
    **{
        f"threat.raid.{c}": (0, 10_000)
        for c in ("ballistic", "cruise", "drone", "aircraft", "glide")
    },
}

YAML_TYPES = ("application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml")


class ScenarioRejectedError(Exception):
    """A body that is not a valid scenario; ``payload`` is the 422 JSON."""

    def __init__(self, detail: list[dict[str, Any]]) -> None:
        self.detail = detail
        first = detail[0]["loc"] if detail else []
        self.field = ".".join(str(p) for p in first) or "scenario"
        super().__init__(f"{self.field}: {detail[0]['msg'] if detail else 'invalid'}")

    @property
    def payload(self) -> dict[str, Any]:
        """The 422 response body."""
        return {"detail": self.detail, "field": self.field}


def _reject(loc: list[Any], msg: str, kind: str = "value_error") -> ScenarioRejectedError:
    return ScenarioRejectedError([{"loc": loc, "msg": msg, "type": kind}])


def parse_body(body: bytes, content_type: str | None) -> Any:
    """Decode a request body as JSON, or as YAML (safe loader) for YAML media types."""
    media = (content_type or "application/json").split(";")[0].strip().lower()
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise _reject(["body"], "body is not UTF-8 text") from None
    if not text.strip():
        return {}
    if media not in YAML_TYPES and media != "application/json" and not media.endswith("+json"):
        raise _reject(["body"], f"unsupported media type {media}; send JSON or YAML")
    try:
        if media in YAML_TYPES:
            return loads_yaml(text, "body")
        return loads_json(text, "body")
    except GbadInputError as exc:
        raise _reject(["body"], exc.message) from None


def limit_errors(
    document: Mapping[str, Any], limits: Mapping[str, tuple[float | None, float | None]]
) -> list[dict[str, Any]]:
    """422 detail items for the values of ``document`` outside this server's limits."""
    detail = []
    for path, (low, high) in limits.items():
        value = dotted_get(document, path)
        size = len(value) if isinstance(value, list | dict) else value
        if isinstance(size, bool) or not isinstance(size, int | float):
            continue
        loc: list[Any] = path.split(".")
        if high is not None and size > high:
            what = "entries" if isinstance(value, list | dict) else "the value"
            msg = f"this server runs at most {_whole(high)} ({what}); got {_whole(size)}"
            detail.append({"loc": loc, "msg": msg, "type": "run_limit"})
        elif low is not None and size < low:
            msg = f"this server needs at least {_whole(low)}; got {_whole(size)}"
            detail.append({"loc": loc, "msg": msg, "type": "run_limit"})
    return detail


def _whole(value: float) -> str:
    """A number as typed: 1000000, not 1e+06; 2.5 stays 2.5."""
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    return f"{value:g}"


def check_limits(
    scenario: Scenario, limits: Mapping[str, tuple[float | None, float | None]]
) -> None:
    """Refuse runs larger than the server's limits (422 naming the field)."""
    detail = limit_errors(scenario.model_dump(mode="python"), limits)
    if detail:
        raise ScenarioRejectedError(detail)


def check_reference(scenario: Scenario) -> None:
    """Refuse what the reference data cannot serve: unknown allies, bad overrides.

    These would otherwise fail the run seconds later; here they get a 422 naming
    the key (``countries.1``, ``overrides.systems.nope``).
    """
    from gbad.reference import load_reference

    try:
        ref = load_reference(overrides=scenario.overrides or None)
        validate_against_reference(scenario, ref)
    except GbadInputError as exc:
        raise _reject(_loc(exc.field), exc.message) from None


def _loc(field: str) -> list[Any]:
    """A key path as a 422 ``loc`` (list indices as integers)."""
    return [int(p) if p.isdigit() else p for p in field.split(".")]


def validate_scenario(
    document: Any,
    limits: Mapping[str, tuple[float | None, float | None]] | None = None,
    *,
    reference: bool = True,
) -> Scenario:
    """Validate a decoded body as a scenario, the server's run-size limits and,
    with ``reference``, the allies and overrides against the reference data.

    Raises
    ------
    ScenarioRejectedError
        Naming every field at fault (``detail``) and the first one (``field``).
    """
    if document is None:
        document = {}
    if not isinstance(document, dict):
        raise _reject(["body"], "a scenario is a mapping of keys to values")
    try:
        check_depth(document, "body")
    except GbadInputError as exc:
        raise _reject(["body"], exc.message) from None
    try:
        scenario = Scenario.model_validate(document)
        check_scenario(scenario)
    except ValidationError as exc:
        detail = []
        for err in exc.errors(include_url=False):
            loc = [p for p in err.get("loc", ()) if p != "__root__"]
            msg = error_message(err)
            detail.append({"loc": loc, "msg": msg, "type": err.get("type", "value_error")})
        # Report the run-size limits too, so every field at fault is named at once.
        seen = {tuple(d["loc"]) for d in detail}
        extra = [d for d in limit_errors(document, limits or {}) if tuple(d["loc"]) not in seen]
        raise ScenarioRejectedError(detail + extra) from None
    except GbadInputError as exc:
        raise _reject(_loc(exc.field), exc.message) from None
    if limits:
        check_limits(scenario, limits)
    if reference:
        check_reference(scenario)
    return scenario
