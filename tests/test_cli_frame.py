"""The CLI frame: exit codes and one-line errors of the contract."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from gbad.cli import main


def run(args: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from gbad.cli import main; main()", *args],
        capture_output=True,
        text=True,
        check=False,
    )


def test_version_json() -> None:
    proc = run(["version", "--json"])
    assert proc.returncode == 0
    assert set(json.loads(proc.stdout)) == {"version", "data_version"}


def test_unknown_flag_exits_2_with_one_line() -> None:
    proc = run(["version", "--bogus"])
    assert proc.returncode == 2
    assert "--bogus" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    assert proc.stdout == ""


def test_unknown_command_exits_2() -> None:
    with pytest.raises(SystemExit) as exc:
        main(["no-such-command"])
    assert exc.value.code == 2
