"""``gbad serve`` refuses unsafe or impossible set-ups with one line, exit 2."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import pytest

from gbad.cli import main
from gbad.store import RunStore
from gbad.web import is_loopback


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.8.0.1", True),
        ("localhost", True),
        ("::1", True),
        ("[::1]", True),
        ("0.0.0.0", False),
        ("::", False),
        ("192.168.1.10", False),
        ("example.org", False),
    ],
)
def test_is_loopback(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def run_main(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    with pytest.raises(SystemExit) as exc:
        main(args)
    err = capsys.readouterr().err
    assert isinstance(exc.value.code, int)
    return exc.value.code, err


def test_public_address_needs_a_token(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("GBAD_TOKEN", raising=False)
    code, err = run_main(["serve", "--host", "0.0.0.0", "--db", str(tmp_path / "r.duckdb")], capsys)
    assert code == 2
    assert err.startswith("gbad: error: --host:") and "GBAD_TOKEN" in err
    assert len(err.strip().splitlines()) == 1
    assert not (tmp_path / "r.duckdb").exists()  # refused before opening anything


def test_short_token_is_refused(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("GBAD_TOKEN", "short")
    code, err = run_main(["serve", "--host", "0.0.0.0", "--db", str(tmp_path / "r.duckdb")], capsys)
    assert code == 2 and "GBAD_TOKEN" in err


def test_bad_port_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    code, err = run_main(["serve", "--port", "70000"], capsys)
    assert code == 2 and "--port" in err


def test_store_held_by_another_process(tmp_path: Path) -> None:
    db = tmp_path / "runs.duckdb"
    with RunStore(db):
        proc = subprocess.run(
            [sys.executable, "-c", "from gbad.cli import main; main()", "serve", "--db", str(db)],
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
        )
    assert proc.returncode == 2
    assert proc.stderr.startswith("gbad: error: --db:") and "in use" in proc.stderr


def test_port_in_use_is_refused(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        code, err = run_main(
            ["serve", "--port", str(port), "--db", str(tmp_path / "r.duckdb")], capsys
        )
    assert code == 2 and err.startswith("gbad: error: --port:")
