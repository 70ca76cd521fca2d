"""``gbad data list`` and ``gbad data show``: output formats and exit codes."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pandas as pd
import pytest

from gbad.reference import list_tables, load_table


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from gbad.cli import main; main()", "data", *args],
        capture_output=True,
        text=True,
        check=False,
    )


def test_list_json_is_one_object_with_every_table() -> None:
    proc = run("list", "--json")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert [t["name"] for t in out["tables"]] == [t.name for t in list_tables()]
    for t in out["tables"]:
        assert set(t) == {"name", "rows", "description"}
        assert t["rows"] > 0
    rows = {t["name"]: t["rows"] for t in out["tables"]}
    assert rows["countries"] == 32 and rows["threats"] == 5
    assert rows["assets"] >= 300


def test_list_plain_prints_a_table() -> None:
    proc = run("list")
    assert proc.returncode == 0
    assert "inventory" in proc.stdout


def test_show_json_rows_carry_source_ids() -> None:
    proc = run("show", "systems", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    rows = json.loads(proc.stdout)
    assert isinstance(rows, list)
    assert len(rows) == len(load_table("systems"))
    assert all(r["source_id"] for r in rows)
    patriot = next(r for r in rows if r["system"] == "patriot")
    assert patriot["tier"] == "long"
    # missing numbers are JSON null, never NaN
    s400 = next(r for r in rows if r["system"] == "s-400")
    assert s400["fire_unit_cost_musd_mid"] is None


def test_show_csv_round_trips() -> None:
    proc = run("show", "countries", "--format", "csv")
    assert proc.returncode == 0, proc.stderr
    frame = pd.read_csv(io.StringIO(proc.stdout))
    assert list(frame["iso3"]) == list(load_table("countries")["iso3"])
    assert frame["population_m"].sum() == pytest.approx(
        load_table("countries")["population_m"].sum()
    )


def test_show_plain_terminal_table() -> None:
    proc = run("show", "threats")
    assert proc.returncode == 0
    assert "ballistic" in proc.stdout


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("show", "no-such-table"), "no-such-table"),
        (("show", "threats", "--format", "xml"), "--format"),
        (("list", "--bogus"), "--bogus"),
    ],
)
def test_bad_input_exits_2_with_one_line(args: tuple[str, ...], needle: str) -> None:
    proc = run(*args)
    assert proc.returncode == 2
    assert needle in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    assert proc.stdout == ""


def test_audit_json_counts_what_the_tables_hold() -> None:
    proc = run("audit", "--json")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert set(out) >= {"tables", "imputed", "sources", "flagged_sources", "gaps", "problems"}
    assert out["problems"] == []
    inv = load_table("inventory")
    assert out["tables"]["inventory"]["rows"] == len(inv)
    assert out["tables"]["inventory"]["estimate"] == int((inv["basis"] == "estimate").sum())
    sources = load_table("sources")
    assert out["sources"]["without_url"] == int((sources["url"] == "").sum())
    gaps = {g["system"]: g["missing"] for g in out["gaps"]}
    systems = load_table("systems").set_index("system")
    for system, missing in gaps.items():
        for column in missing:
            assert pd.isna(systems.loc[system, column])
    imputed = {(r["key"], r["column"]) for r in out["imputed"]}
    assert all((s, c) in imputed for s, cols in gaps.items() for c in cols)
    assert not [f for f in out["flagged_sources"] if f["rule"] == "excluded"]


def test_audit_plain_and_bad_flag() -> None:
    proc = run("audit")
    assert proc.returncode == 0, proc.stderr
    assert "sources without a URL" in proc.stdout
    bad = run("audit", "--jsn")
    assert bad.returncode == 2
    assert "--jsn" in bad.stderr and "Traceback" not in bad.stderr
