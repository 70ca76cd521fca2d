"""Scenario validation: defaults, key paths in errors, file loading."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gbad.errors import GbadInputError
from gbad.scenario import Scenario, load_scenario, parse_scenario
from tests.scenario.bad_cases import BAD_SCENARIOS


def test_empty_document_is_default() -> None:
    assert parse_scenario({}) == Scenario()
    assert parse_scenario(None) == Scenario()
    sc = Scenario()
    assert (sc.base_year, sc.horizon_year, sc.target.factor) == (2025, 2035, 5.0)


@pytest.mark.parametrize(
    ("document", "path"),
    [
        ({"target": {"factr": 3}}, "target.factr"),
        ({"target": {"factor": -1}}, "target.factor"),
        ({"target": {"method": "jefferson"}}, "target.method"),
        ({"budget": {"gbad_share_of_core_pct": 150}}, "budget.gbad_share_of_core_pct"),
        ({"threat": {"nights": 0}}, "threat.nights"),
        ({"threat": {"raid": {"spaceship": 3}}}, "threat.raid.spaceship"),
        ({"threat": {"raid": {"drone": -5}}}, "threat.raid.drone"),
        ({"nonsense": 1}, "nonsense"),
        ({"horizon_year": 2024}, "horizon_year"),
    ],
)
def test_errors_name_the_key_path(document: dict[str, object], path: str) -> None:
    with pytest.raises(GbadInputError) as exc:
        parse_scenario(document)
    assert exc.value.field == path


def test_years_must_be_in_order() -> None:
    with pytest.raises(GbadInputError, match="horizon_year must be after base_year"):
        parse_scenario({"base_year": 2028, "horizon_year": 2027})


def test_not_a_mapping() -> None:
    with pytest.raises(GbadInputError) as exc:
        parse_scenario([1, 2])
    assert exc.value.field == "scenario"


def test_load_yaml_and_json(tmp_path: Path) -> None:
    yml = tmp_path / "s.yaml"
    yml.write_text("name: test\ntarget:\n  factor: 4\n  key: population\n")
    sc = load_scenario(yml)
    assert (sc.name, sc.target.factor, sc.target.key) == ("test", 4.0, "population")
    js = tmp_path / "s.json"
    js.write_text(json.dumps({"threat": {"nights": 90}}))
    assert load_scenario(js).threat.nights == 90
    empty = tmp_path / "empty.yaml"
    empty.write_text("")
    assert load_scenario(empty) == Scenario()


@pytest.mark.parametrize(
    ("name", "text", "match"),
    [
        ("bad.yaml", "target: [unclosed", "malformed YAML at line"),
        ("bad.json", "{", "malformed JSON"),
        ("unsafe.yaml", "!!python/object/apply:os.system ['true']", "malformed YAML"),
    ],
)
def test_malformed_files(tmp_path: Path, name: str, text: str, match: str) -> None:
    path = tmp_path / name
    path.write_text(text)
    with pytest.raises(GbadInputError, match=match) as exc:
        load_scenario(path)
    assert exc.value.field == "path"


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(GbadInputError, match="file not found"):
        load_scenario(tmp_path / "nope.yaml")


@given(st.floats(min_value=1, max_value=100, allow_nan=False))
def test_factor_round_trips(factor: float) -> None:
    sc = parse_scenario({"target": {"factor": factor}})
    assert parse_scenario(sc.model_dump(mode="json")) == sc


def _refusal(document: dict[str, object]) -> GbadInputError:
    from gbad.scenario import validate_scenario_full

    with pytest.raises(GbadInputError) as exc:
        validate_scenario_full(parse_scenario(document))
    return exc.value


@pytest.mark.parametrize(("document", "path"), BAD_SCENARIOS)
def test_bad_scenarios_are_refused_naming_the_field(document: dict[str, object], path: str) -> None:
    assert _refusal(document).field == path


def test_nan_and_infinity_are_named_as_such() -> None:
    assert "NaN" in _refusal({"target": {"factor": float("nan")}}).message
    assert "infinite" in _refusal({"threat": {"scale": float("inf")}}).message


def test_default_and_ordinary_scenarios_pass_every_check() -> None:
    from gbad.scenario import validate_scenario_full

    for document in (
        {},
        {"countries": ["EST", "LVA", "POL"], "target": {"minimum": {"EST": 3}}},
        {"budget": {"user_path": {"DEU": {"2030": 3.0}, "*": {2035: 3.5}}}},
        {"threat": {"preset": "custom", "raid": {"drone": 100}}},
        {"sweep": {"knobs": {"threat.scale": [0.5, 1, 2]}}},
        {"industry": {"buy": {"short": "skyranger"}, "coalition": ["DEU", "POL"]}},
    ):
        validate_scenario_full(parse_scenario(document))


def test_yaml_reads_exponent_floats_as_numbers(tmp_path: Path) -> None:
    # PyYAML's YAML 1.1 resolver would read these as text ("2e1", "1e308").
    path = tmp_path / "s.yaml"
    path.write_text("threat: {scale: 2e1}\n")
    assert load_scenario(path).threat.scale == 20.0
    path.write_text("overrides: {systems: {patriot: {fire_unit_cost_musd_mid: 1e308}}}\n")
    value = load_scenario(path).overrides["systems"]["patriot"]["fire_unit_cost_musd_mid"]
    assert value == 1e308


@pytest.mark.parametrize("suffix", [".json", ".yaml"])
def test_deep_nesting_is_refused(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"deep{suffix}"
    path.write_text('{"name": ' + "[" * 1000 + "]" * 1000 + "}")
    with pytest.raises(GbadInputError, match="nested"):
        load_scenario(path)
    with pytest.raises(GbadInputError, match="nested"):
        deep: list[object] = []
        node = deep
        for _ in range(1000):
            node.append([])
            node = node[0]  # type: ignore[assignment]
        parse_scenario({"name": deep})
