"""One quiet way to build a HiGHS solver.

HiGHS prints a banner on file descriptor 1 the first time a ``highspy.Highs`` is
built in a process; the CLI contract reserves stdout for one JSON object, so the
first construction runs with fd 1 pointed at the null device. Later ones only
switch output off.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import sys
import threading
from typing import Any

__all__ = ["new_highs"]

_LOCK = threading.Lock()
_STATE = {"banner_shown": False}


def new_highs() -> Any:
    """Build a ``highspy.Highs`` with all output off and its banner discarded."""
    import highspy

    with _LOCK:
        if _STATE["banner_shown"]:
            h = highspy.Highs()
        else:
            sys.stdout.flush()
            try:
                saved = os.dup(1)
            except OSError:  # no usable stdout: nothing to protect
                saved = -1
            sink = os.open(os.devnull, os.O_WRONLY)
            if saved >= 0:
                os.dup2(sink, 1)
            try:
                h = highspy.Highs()
                with contextlib.suppress(OSError, AttributeError):
                    ctypes.CDLL(None).fflush(None)
            finally:
                if saved >= 0:
                    os.dup2(saved, 1)
                    os.close(saved)
                os.close(sink)
            _STATE["banner_shown"] = True
    h.setOptionValue("output_flag", False)
    return h
