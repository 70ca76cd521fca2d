"""``gbad site`` contract: JSON keys, brownfield, and exit 2 on malformed CSVs."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from gbad.coverage.geodesy import within_radius
from gbad.siting import mclp

DEMAND = "id,lat,lon,weight\na,50,10,5\nb,50.5,10,3\nc,52,12,4\nd,48,8,1\n"
CANDS = "id,lat,lon\ns1,50.2,10\ns2,52,12\ns3,48,8\n"


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from gbad.cli import main; main()", *args],
        capture_output=True,
        text=True,
        check=False,
    )


def _files(tmp_path: Path, demand: str = DEMAND, cands: str = CANDS) -> tuple[str, str]:
    d, c = tmp_path / "d.csv", tmp_path / "c.csv"
    d.write_text(demand)
    c.write_text(cands)
    return str(d), str(c)


def test_site_json_contract(tmp_path: Path) -> None:
    d, c = _files(tmp_path)
    proc = _run(
        "site", "--demand", d, "--candidates", c, "--radius-km", "40", "--units", "2", "--json"
    )
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert {"covered_weight", "coverage_fraction", "selected", "optimal", "solve_seconds"} <= set(
        out
    )
    # a(5)+b(3) lie within 40 km of s1 (22 and 33 km), c(4) sits on s2: 12 of 13
    assert out["covered_weight"] == 12.0
    assert out["coverage_fraction"] == pytest.approx(12 / 13)
    assert out["selected"] == ["s1", "s2"]
    assert out["optimal"] is True


def test_site_existing_fixed(tmp_path: Path) -> None:
    d, c = _files(tmp_path)
    proc = _run(
        "site",
        "--demand",
        d,
        "--candidates",
        c,
        "--radius-km",
        "40",
        "--units",
        "2",
        "--existing",
        "s3",
        "--json",
    )
    out = json.loads(proc.stdout)
    assert "s3" in out["selected"] and len(out["selected"]) == 2
    assert out["existing"] == ["s3"] and out["new"] == ["s1"]
    assert out["covered_weight"] == 9.0


def test_site_boundary_is_inclusive(tmp_path: Path) -> None:
    # radius exactly the haversine distance (R = 6371.0088 km): covered
    from gbad.coverage.geodesy import haversine_km

    r = float(haversine_km(50.0, 10.0, 50.2, 10.0))
    d, c = _files(tmp_path, "id,lat,lon,weight\na,50,10,1\n", "id,lat,lon\ns1,50.2,10\n")
    out = json.loads(
        _run(
            "site",
            "--demand",
            d,
            "--candidates",
            c,
            "--radius-km",
            repr(r),
            "--units",
            "1",
            "--json",
        ).stdout
    )
    assert out["covered_weight"] == 1.0
    out = json.loads(
        _run(
            "site",
            "--demand",
            d,
            "--candidates",
            c,
            "--radius-km",
            repr(float(np.nextafter(r, 0))),
            "--units",
            "1",
            "--json",
        ).stdout
    )
    assert out["covered_weight"] == 0.0


BAD = [
    ("missing column", "id,lat,lon\na,50,10\n", CANDS, [], "weight"),
    ("lat range", "id,lat,lon,weight\na,91,10,1\n", CANDS, [], "--demand: lat"),
    ("lon range", "id,lat,lon,weight\na,50,181,1\n", CANDS, [], "--demand: lon"),
    ("cand lat range", DEMAND, "id,lat,lon\ns1,-95,10\n", [], "--candidates: lat"),
    ("duplicate id", "id,lat,lon,weight\na,50,10,1\na,51,10,1\n", CANDS, [], "duplicate"),
    ("duplicate cand", DEMAND, "id,lat,lon\ns1,50,10\ns1,51,10\n", [], "--candidates: id"),
    ("non-numeric", "id,lat,lon,weight\na,fifty,10,1\n", CANDS, [], "--demand: lat"),
    ("non-numeric weight", "id,lat,lon,weight\na,50,10,lots\n", CANDS, [], "--demand: weight"),
    ("empty value", "id,lat,lon,weight\na,50,,1\n", CANDS, [], "--demand: lon"),
    ("negative weight", "id,lat,lon,weight\na,50,10,-1\n", CANDS, [], "--demand: weight"),
    ("unknown existing", DEMAND, CANDS, ["--existing", "s9"], "--existing"),
    ("too many existing", DEMAND, CANDS, ["--existing", "s1,s2,s3"], "--existing"),
    ("p above candidates", DEMAND, CANDS, ["--units", "4"], "--units"),
    ("no rows", "id,lat,lon,weight\n", CANDS, [], "--demand"),
    ("p zero", DEMAND, CANDS, ["--units", "0"], "--units"),
    ("radius", DEMAND, CANDS, ["--radius-km", "-3"], "--radius-km"),
]


@pytest.mark.parametrize(
    ("case", "demand", "cands", "extra", "named"), BAD, ids=[b[0] for b in BAD]
)
def test_site_bad_input_exits_2(
    tmp_path: Path, case: str, demand: str, cands: str, extra: list[str], named: str
) -> None:
    d, c = _files(tmp_path, demand, cands)
    args = {"--radius-km": "40", "--units": "2"}
    rest: list[str] = []
    it = iter(extra)
    for flag in it:
        if flag in args:
            args[flag] = next(it)
        else:
            rest += [flag, next(it)]
    cmd = [
        "site",
        "--demand",
        d,
        "--candidates",
        c,
        *[x for kv in args.items() for x in kv],
        *rest,
        "--json",
    ]
    proc = _run(*cmd)
    assert proc.returncode == 2, (case, proc.stderr)
    assert named in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    assert proc.stdout == ""


def test_missing_file_exits_2(tmp_path: Path) -> None:
    _, c = _files(tmp_path)
    proc = _run(
        "site",
        "--demand",
        str(tmp_path / "nope.csv"),
        "--candidates",
        c,
        "--radius-km",
        "5",
        "--units",
        "1",
        "--json",
    )
    assert proc.returncode == 2 and "--demand" in proc.stderr


def test_python_api_agrees_with_cli(tmp_path: Path) -> None:
    a = within_radius([50, 50.5, 52, 48], [10, 10, 12, 8], [50.2, 52, 48], [10, 12, 8], 40.0)
    assert mclp(a, [5, 3, 4, 1], 2).covered_weight == 12.0


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"radius_km": -1.0}, "radius_km"),
        ({"units": 0}, "units"),
        ({"existing": ["s9"]}, "existing"),
        ({"existing": ["s1", "s2", "s3"], "units": 2}, "existing"),
    ],
)
def test_the_library_names_its_parameters_not_flags(kwargs: dict, field: str) -> None:
    """Python and web callers see the parameter; the CLI maps it to its flag (above)."""
    import io

    import pandas as pd

    from gbad.errors import GbadInputError
    from gbad.siting.points import site_points

    args = {"radius_km": 100.0, "units": 2, "existing": [], **kwargs}
    with pytest.raises(GbadInputError) as exc:
        site_points(
            pd.read_csv(io.StringIO(DEMAND)),
            pd.read_csv(io.StringIO(CANDS)),
            args["radius_km"],
            args["units"],
            args["existing"],
        )
    assert exc.value.field == field
    assert "--" not in str(exc.value)
