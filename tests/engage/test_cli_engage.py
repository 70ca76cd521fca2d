"""``gbad engage`` contract (DESIGN.md) and its exit-2 cases."""

from __future__ import annotations

import json

import pytest

from gbad.cli import main


def run(capsys: pytest.CaptureFixture[str], args: list[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exc:
        main(args)
    out, err = capsys.readouterr()
    code = exc.value.code
    return (code if isinstance(code, int) else 0), out, err


BASE = ["engage", "--threats", "10", "--pk", "0.7", "--shots", "2"]


@pytest.mark.parametrize("doctrine", ["shoot-shoot", "shoot-look-shoot"])
def test_engage_json_contract(capsys, doctrine) -> None:
    code, out, err = run(
        capsys, [*BASE, "--doctrine", doctrine, "--trials", "20000", "--seed", "1", "--json"]
    )
    assert code == 0, err
    data = json.loads(out)
    for key in ("p_zero_leakers", "expected_leakers", "mean_interceptors_used", "trials"):
        assert key in data
        assert key in data["analytic"] or key == "trials"
    assert data["trials"] == 20000
    assert data["analytic"]["p_zero_leakers"] == pytest.approx(0.389416118, abs=1e-9)
    assert data["analytic"]["mean_interceptors_used"] == pytest.approx(
        20.0 if doctrine == "shoot-shoot" else 13.0, abs=1e-9
    )
    se = data["standard_errors"]["expected_leakers"]
    assert abs(data["expected_leakers"] - 0.9) < 5 * se


def test_engage_seed_reproduces(capsys) -> None:
    args = [*BASE, "--doctrine", "shoot-look-shoot", "--trials", "500", "--seed", "7", "--json"]
    first = json.loads(run(capsys, args)[1])
    second = json.loads(run(capsys, args)[1])
    assert first == second


def test_engage_magazine_has_exact_analytic(capsys) -> None:
    code, out, _ = run(
        capsys,
        [*BASE, "--doctrine", "shoot-shoot", "--interceptors", "15", "--seed", "2", "--json"],
    )
    assert code == 0
    data = json.loads(out)
    # 7 threats get 2 shots, the 8th gets 1, the last 2 none: exact expected leakers.
    assert data["analytic"]["expected_leakers"] == pytest.approx(7 * 0.09 + 0.3 + 2, abs=1e-12)
    assert data["mean_interceptors_used"] == 15


def test_engage_channels_reports_erlang_b_not_analytic(capsys) -> None:
    code, out, _ = run(
        capsys,
        [
            *BASE,
            "--doctrine",
            "shoot-look-shoot",
            "--channels",
            "2",
            "--arrival-rate-per-min",
            "2",
            "--engagement-time-s",
            "60",
            "--trials",
            "2000",
            "--seed",
            "3",
            "--json",
        ],
    )
    assert code == 0
    data = json.loads(out)
    assert "analytic" not in data
    assert data["erlang_b"]["blocking_probability"] == pytest.approx(0.4, abs=1e-12)


def test_engage_table_output(capsys) -> None:
    code, out, _ = run(capsys, [*BASE, "--doctrine", "shoot-shoot", "--trials", "100"])
    assert code == 0
    assert "expected_leakers" in out


@pytest.mark.parametrize(
    ("extra", "flag"),
    [
        (["--pk", "1.5"], "--pk"),
        (["--pk", "-0.1"], "--pk"),
        (["--threats", "-1"], "--threats"),
        (["--shots", "-2"], "--shots"),
        (["--interceptors", "-3"], "--interceptors"),
        (["--trials", "0"], "--trials"),
        (["--doctrine", "shoot-and-pray"], "--doctrine"),
        (["--channels", "2"], "--arrival-rate-per-min"),
        (["--channels", "2", "--arrival-rate-per-min", "1"], "--engagement-time-s"),
        (
            ["--channels", "0", "--arrival-rate-per-min", "1", "--engagement-time-s", "5"],
            "--channels",
        ),
        (
            ["--channels", "2", "--arrival-rate-per-min", "-1", "--engagement-time-s", "5"],
            "--arrival-rate-per-min",
        ),
        (["--arrival-rate-per-min", "1"], "--arrival-rate-per-min"),
        (["--engine", "fortran"], "--engine"),
        (["--pk", "abc"], "--pk"),
    ],
)
def test_engage_bad_values_exit_2_naming_flag(capsys, extra, flag) -> None:
    args = {"--threats": "10", "--pk": "0.7", "--shots": "2", "--doctrine": "shoot-shoot"}
    rest: list[str] = []
    it = iter(extra)
    for key in it:
        value = next(it)
        if key in args:
            args[key] = value
        else:
            rest += [key, value]
    argv = ["engage", *[x for kv in args.items() for x in kv], *rest, "--json"]
    code, out, err = run(capsys, argv)
    assert code == 2
    assert flag in err
    assert len(err.strip().splitlines()) == 1
    assert out == ""
