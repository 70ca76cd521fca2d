"""Which process owns a run, and whether that process is still alive.

A run left ``queued`` or ``running`` in the file by a process that died (killed,
crashed, power cut) must be marked failed when the store is next opened, but a
run that another live process (``gbad plan`` in a second terminal) is still
executing must not be. Each run records its owner as ``host:pid:start`` where
``start`` is the process start time from ``/proc`` (guards against pid reuse).
"""

from __future__ import annotations

import os
import socket
import threading
from pathlib import Path

__all__ = ["current_owner", "mark_live", "owner_alive", "pid_alive", "unmark_live"]

_LIVE: set[tuple[str, int]] = set()
_LIVE_LOCK = threading.Lock()


def _start_time(pid: int) -> str:
    """Process start time in clock ticks since boot ('' where /proc is absent)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except OSError:
        return ""
    # Field 2 (comm) may contain spaces; fields after the closing ')' are fixed.
    fields = stat.rsplit(")", 1)[-1].split()
    if len(fields) < 20:
        return ""
    state, start = fields[0], fields[19]
    return "zombie" if state in {"Z", "X"} else start


def current_owner() -> str:
    """The owner tag of this process."""
    pid = os.getpid()
    return f"{socket.gethostname()}:{pid}:{_start_time(pid)}"


def mark_live(db: str, run_id: int) -> None:
    """Record that this process is executing ``run_id`` of store ``db``."""
    with _LIVE_LOCK:
        _LIVE.add((db, run_id))


def unmark_live(db: str, run_id: int) -> None:
    """Forget ``run_id``: it finished or failed."""
    with _LIVE_LOCK:
        _LIVE.discard((db, run_id))


def owner_alive(owner: str | None, db: str, run_id: int) -> bool:
    """Whether the process that owns ``run_id`` may still be executing it."""
    if not owner:
        return False
    host, _, rest = owner.partition(":")
    pid_text, _, start = rest.partition(":")
    if host != socket.gethostname() or not pid_text.isdigit():
        return False
    pid = int(pid_text)
    if pid == os.getpid():
        with _LIVE_LOCK:
            return (db, run_id) in _LIVE
    return pid_alive(pid, start)


def pid_alive(pid: int, start: str = "") -> bool:
    """Whether ``pid`` runs, and is the process that started at ``start`` (if known)."""
    if os.name == "nt":  # os.kill would terminate the process there, not probe it
        return _windows_pid_alive(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    now = _start_time(pid)
    if now == "zombie":
        return False
    return not (start and now and now != start)


def _windows_pid_alive(pid: int) -> bool:  # pragma: no cover - exercised on Windows only
    import ctypes

    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined,unused-ignore]
    handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
    if not handle:
        return False
    try:
        code = ctypes.c_ulong()
        if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
            return True
        return code.value == 259  # STILL_ACTIVE
    finally:
        kernel32.CloseHandle(handle)
