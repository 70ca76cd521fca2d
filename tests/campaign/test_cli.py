"""``gbad campaign``: the DESIGN.md contract (keys, exit codes, --out)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

GBAD = [sys.executable, "-c", "from gbad.cli import main; main()"]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*GBAD, *args], capture_output=True, text=True, timeout=300, check=False)


def test_campaign_json_contract(tmp_path: Path) -> None:
    proc = _run(
        "campaign",
        "--nights",
        "3",
        "--replications",
        "1",
        "--seed",
        "4",
        "--json",
        "--out",
        str(tmp_path),
    )
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["nights"] == 3
    for key in ("threats", "leakers"):
        assert set(doc[key]) == {"ballistic", "cruise", "drone", "aircraft", "glide"}
    for row in doc["by_system"]:
        assert {"system", "stock_start", "produced", "spent", "stock_end"} <= set(row)
        assert row["stock_end"] == pytest.approx(
            row["stock_start"] + row["produced"] - row["spent"]
        )
    for name in ("stocks.png", "leakers.png", "spend.png", "campaign_plotly.json"):
        assert (tmp_path / name).stat().st_size > 0
    again = _run("campaign", "--nights", "3", "--replications", "1", "--seed", "4", "--json")
    assert json.loads(again.stdout)["leakers"] == doc["leakers"]


@pytest.mark.parametrize(
    ("args", "flag"),
    [
        (["--nights", "0"], "--nights"),
        (["--seed", "-1"], "--seed"),
        (["--replications", "0"], "--replications"),
        (["--engine", "fast"], "--engine"),
        (["--scenario", "/no/such/file.yaml"], "--scenario"),
    ],
)
def test_bad_input_exits_2_naming_the_flag(
    args: list[str], flag: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _main(capsys, "campaign", *args, "--json")
    assert code == 2
    assert out == ""
    assert flag in err and len(err.strip().splitlines()) == 1


def test_bad_scenario_key_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "s.yaml"
    path.write_text("campaign:\n  resupply_delay_days: -3\n", encoding="utf-8")
    code, _, err = _main(capsys, "campaign", "--scenario", str(path), "--json")
    assert code == 2
    assert "campaign.resupply_delay_days" in err


def _main(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run the CLI in this process (the exit-2 paths stop before any simulation)."""
    from gbad.cli import main

    with pytest.raises(SystemExit) as exc:
        main(list(args))
    captured = capsys.readouterr()
    return int(exc.value.code or 0), captured.out, captured.err
