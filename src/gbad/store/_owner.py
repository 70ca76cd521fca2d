"""Which process owns a run, and whether that process is still alive.

A run left ``queued`` or ``running`` in the file by a process that died (killed,
crashed, power cut) must be marked failed when the store is next opened, but a
run that another live process (``gbad plan`` in a second terminal) is still
executing must not be. Each run records its owner as ``host:pid:start`` where
``start`` is the process creation time from psutil (seconds since the epoch, to the
millisecond), which guards against a new process reusing the pid. psutil answers on
every platform it supports; a zombie counts as dead.
"""

from __future__ import annotations

import os
import socket
import threading

import psutil

__all__ = ["current_owner", "mark_live", "owner_alive", "pid_alive", "unmark_live"]

_LIVE: set[tuple[str, int]] = set()
_LIVE_LOCK = threading.Lock()


def _start_time(pid: int) -> str:
    """Creation time of ``pid`` as recorded in owner tags ('' if it cannot be read)."""
    try:
        return f"{psutil.Process(pid).create_time():.3f}"
    except (psutil.Error, OSError):
        return ""


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
    """Whether ``pid`` runs, and is the process created at ``start`` (if given).

    ``start`` is the creation time of an owner tag; any other value (a recycled pid,
    or a tag of another format) means the owner is gone.
    """
    try:
        proc = psutil.Process(pid)
        if proc.status() == psutil.STATUS_ZOMBIE:
            return False
        now = f"{proc.create_time():.3f}"
    except psutil.NoSuchProcess:
        return False
    except psutil.AccessDenied:  # exists, owned by someone else: cannot check more
        return True
    return not (start and now != start)
