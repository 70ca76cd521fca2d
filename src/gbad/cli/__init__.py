"""The ``gbad`` command line.

Every command exits 0 on success, 2 on bad input with one line naming the bad
field or flag, and 1 on an internal error (set ``GBAD_DEBUG=1`` for a traceback).
Commands live one module per stage in this package and register themselves on
:data:`gbad.cli._app.app`.
"""

from __future__ import annotations

import os
import sys
import traceback

# Importing the stage modules registers their commands on ``app``.
from gbad.cli import (  # noqa: F401  (imported for their side effect)
    campaign,
    coverage,
    data,
    engage,
    plan,
    requirement,
    runs,
    serve,
    sweep,
    targets,
)
from gbad.cli._app import app
from gbad.errors import GbadInputError

__all__ = ["app", "main"]


def _one_line(text: str) -> str:
    return " ".join(text.split())


def main(argv: list[str] | None = None) -> None:
    """Run the CLI and exit with the contract's exit codes."""
    try:
        code = app(args=argv, standalone_mode=False, prog_name="gbad")
    except GbadInputError as exc:
        print(f"gbad: error: {_one_line(str(exc))}", file=sys.stderr)
        sys.exit(2)
    except KeyboardInterrupt:
        print("gbad: interrupted", file=sys.stderr)
        sys.exit(130)
    except Exception as exc:  # the contract: internal errors exit 1, one line
        # typer vendors click; its usage errors carry ``format_message`` and exit code 2.
        if hasattr(exc, "format_message") and getattr(exc, "exit_code", None) == 2:
            print(f"gbad: error: {_one_line(exc.format_message())}", file=sys.stderr)
            sys.exit(2)
        if type(exc).__name__ == "Abort":
            print("gbad: aborted", file=sys.stderr)
            sys.exit(130)
        if os.environ.get("GBAD_DEBUG"):
            traceback.print_exc()
        print(
            f"gbad: internal error: {type(exc).__name__}: {_one_line(str(exc))} "
            "(set GBAD_DEBUG=1 for a traceback)",
            file=sys.stderr,
        )
        sys.exit(1)
    if code == 130:  # typer turns Ctrl-C into exit code 130 before it reaches us
        print("gbad: interrupted", file=sys.stderr)
    sys.exit(code if isinstance(code, int) else 0)
