"""Scenario validation: defaults, key paths in errors, file loading."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gbad.errors import GbadInputError
from gbad.scenario import Scenario, load_scenario, parse_scenario


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
    assert exc.value.field == "--scenario"


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(GbadInputError, match="file not found"):
        load_scenario(tmp_path / "nope.yaml")


@given(st.floats(min_value=1, max_value=100, allow_nan=False))
def test_factor_round_trips(factor: float) -> None:
    sc = parse_scenario({"target": {"factor": factor}})
    assert parse_scenario(sc.model_dump(mode="json")) == sc
