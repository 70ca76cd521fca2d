"""Property tests: a generated scenario is refused up front naming a field, or runs.

Never accepted and then failed: whatever passes :func:`validate_scenario_full`
runs every stage of the pipeline without failing. Scenarios are kept small (few
allies, few nights, one replication) so each run takes seconds.
"""

from __future__ import annotations

import math
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from gbad.errors import GbadInputError
from gbad.scenario import parse_scenario, validate_scenario_full

ALLIES = ["EST", "LVA", "LTU", "POL", "ISL", "LUX", "XXX", "est"]
NUMBERS = st.one_of(
    st.floats(min_value=-10, max_value=10),
    st.sampled_from([0, 1, 2, 0.5, 1e308, -1e308, math.nan, math.inf, True, "3", None]),
)


@st.composite
def documents(draw: st.DrawFn) -> dict[str, Any]:
    """Small scenarios with a fair share of bad values in the fields users get wrong."""
    doc: dict[str, Any] = {
        "threat": {"nights": draw(st.integers(1, 2))},
        "campaign": {"replications": 1},
        "countries": draw(st.lists(st.sampled_from(ALLIES), min_size=0, max_size=3)),
    }
    if draw(st.booleans()):
        doc["target"] = {"factor": draw(st.one_of(st.floats(1, 8), NUMBERS))}
    if draw(st.booleans()):
        preset = draw(st.sampled_from(["typical", "custom"]))
        doc["threat"]["preset"] = preset
        if draw(st.booleans()):
            doc["threat"]["raid"] = {"drone": draw(st.one_of(st.integers(0, 50), NUMBERS))}
    if draw(st.booleans()):
        doc["engagement"] = {"shots": {"ballistic": draw(st.one_of(st.integers(-1, 4), NUMBERS))}}
    if draw(st.booleans()):
        column, row, table = draw(
            st.sampled_from(
                [
                    ("pk_mid", "patriot/ballistic", "envelopes"),
                    ("fire_unit_cost_musd_mid", "iris-t-slm", "systems"),
                    ("gdp_usd_bn_mid", "POL", "countries"),
                ]
            )
        )
        value = draw(st.one_of(st.floats(0, 2), NUMBERS))
        doc["overrides"] = {table: {row: {column: value}}}
    if draw(st.booleans()):
        who = draw(st.sampled_from(["*", "POL", "XXX"]))
        doc.setdefault("budget", {})["user_path"] = {
            who: {draw(st.sampled_from([1900, 2030, "2031"])): draw(NUMBERS)}
        }
    if draw(st.booleans()):
        doc.setdefault("industry", {})["coalition"] = draw(
            st.lists(st.sampled_from(ALLIES), max_size=2)
        )
    if draw(st.booleans()):
        doc.setdefault("target", {})["minimum"] = {draw(st.sampled_from(ALLIES)): draw(NUMBERS)}
    return doc


def _outcome(document: dict[str, Any]) -> Any:
    try:
        scenario = parse_scenario(document)
        validate_scenario_full(scenario)
    except GbadInputError as exc:
        top = exc.field.split(".")[0]
        assert top in document, (exc.field, document)  # names a field of the document
        assert exc.message
        return None
    return scenario


@settings(max_examples=150, deadline=None)
@given(documents())
def test_refused_naming_a_field_or_accepted(document: dict[str, Any]) -> None:
    _outcome(document)


@st.composite
def plausible(draw: st.DrawFn) -> dict[str, Any]:
    """Small scenarios a user may well write, near the edges of what is allowed."""
    allies = draw(st.lists(st.sampled_from(ALLIES[:6]), min_size=1, max_size=3, unique=True))
    doc: dict[str, Any] = {
        "countries": allies,
        "target": {"factor": draw(st.floats(1, 8)), "key": draw(st.sampled_from(["gdp", "equal"]))},
        "threat": {"nights": draw(st.integers(1, 2))},
        "campaign": {"replications": 1},
        "engagement": {"shots": {"drone": draw(st.integers(1, 3))}},
    }
    if draw(st.booleans()):
        doc["threat"] |= {
            "preset": "custom",
            "raid": {"drone": draw(st.integers(0, 40)), "cruise": 1},
        }
    if draw(st.booleans()):
        doc["overrides"] = {
            "envelopes": {"patriot/ballistic": {"pk_mid": draw(st.floats(0, 1))}},
            "systems": {"iris-t-slm": {"fire_unit_cost_musd_mid": draw(st.floats(1, 1e4))}},
        }
    if draw(st.booleans()):
        doc["budget"] = {"user_path": {allies[0]: {2030: draw(st.floats(0, 10))}}}
    return doc


@settings(max_examples=5, deadline=None)
@given(plausible())
def test_accepted_scenarios_run_every_stage(document: dict[str, Any]) -> None:
    from gbad.plan import run_plan

    scenario = _outcome(document)
    if scenario is None:  # refused up front, naming a field: allowed (e.g. only ISL and LUX)
        return
    plan = run_plan(scenario)  # a stage error would raise here
    assert all(o.status == "ok" for o in plan.stages.values()), document
