"""Helpers every CLI command shares: JSON output, stderr console, input checks.

The contract (DESIGN.md): ``--json`` prints exactly one JSON object on stdout;
progress and logs go to stderr; bad input raises :class:`gbad.errors.GbadInputError`
which :func:`gbad.cli.main` turns into exit code 2 with one line.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd
from rich.console import Console

from gbad._jsonable import to_jsonable
from gbad.errors import GbadInputError

__all__ = [
    "emit_json",
    "err_console",
    "flags_for",
    "load_scenario_file",
    "out_console",
    "read_csv_checked",
    "to_jsonable",
]

#: Console for progress and logs (stderr), never for results.
err_console = Console(stderr=True)
#: Console for human-readable tables (stdout), used when ``--json`` is off.
out_console = Console()


def emit_json(obj: Any) -> None:
    """Print ``obj`` as one JSON object on stdout (and nothing else)."""
    sys.stdout.write(json.dumps(to_jsonable(obj), allow_nan=False))
    sys.stdout.write("\n")
    sys.stdout.flush()


def read_csv_checked(
    path: Path, required: Iterable[str], flag: str, *, as_text: bool = False
) -> pd.DataFrame:
    """Read a user CSV, refusing unreadable files and missing columns.

    Parameters
    ----------
    path : Path
        The file named on the command line.
    required : iterable of str
        Columns that must be present.
    flag : str
        The flag that named the file (``--demand``), used in error messages.
    as_text : bool, default False
        Keep every cell as the text in the file (no type inference, empty cells as
        ``""``), for callers that check values themselves and name the bad ones.

    Raises
    ------
    GbadInputError
        If the file cannot be read or parsed, or lacks a required column.
    """
    try:
        if as_text:
            frame = pd.read_csv(path, skipinitialspace=True, dtype=str, keep_default_na=False)
        else:
            frame = pd.read_csv(path, skipinitialspace=True)
    except FileNotFoundError:
        raise GbadInputError(flag, f"file not found: {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise GbadInputError(flag, f"cannot read {path}: {exc}") from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else "empty file"
        raise GbadInputError(flag, f"malformed CSV {path}: {first}") from None
    frame.columns = [str(c).strip() for c in frame.columns]
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise GbadInputError(flag, f"{path.name} lacks column(s) {', '.join(missing)}")
    return frame


@contextmanager
def flags_for(flag_of: Mapping[str, str]) -> Iterator[None]:
    """Name the CLI flag in errors the library raises about a parameter the flag sets.

    The library names its own parameters and scenario fields (``radius_km``,
    ``samples``); a user of the CLI knows the flags (``--radius-km``, ``--samples``).
    Inside the block, a :class:`GbadInputError` whose ``field`` is a key of
    ``flag_of``, or starts with one followed by ``:`` (a column of the file the
    parameter holds, ``demand: lat``), is raised again naming the flag instead;
    others pass unchanged.
    """
    try:
        yield
    except GbadInputError as exc:
        head, sep, rest = exc.field.partition(":")
        flag = flag_of.get(head)
        if flag is None:
            raise
        raise GbadInputError(flag + sep + rest, exc.message) from None


def load_scenario_file(path: Path | None) -> Any:
    """Load and validate a scenario file for a command's ``--scenario`` flag.

    ``None`` gives the default scenario. The scenario is checked against the
    reference data too (allies, systems, overrides), so bad input is refused
    with exit code 2 before any stage runs.
    """
    from gbad.scenario import Scenario, load_scenario, validate_scenario_full

    if path is None:
        return Scenario()
    with flags_for({"path": "--scenario"}):
        scenario = load_scenario(path)
    validate_scenario_full(scenario)
    return scenario
