"""``gbad serve``: the web app and JSON API over the pipeline and the run store."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import typer

from gbad.cli._app import app
from gbad.errors import GbadInputError

__all__ = ["serve", "server_beacon", "serving_url"]


def server_beacon(db: Path) -> Path:
    """The file next to a store that tells other commands which server holds it."""
    return db.with_name(db.name + ".serve.json")


def serving_url(db: Path) -> str | None:
    """The address of the live ``gbad serve`` holding ``db``, if its beacon says so."""
    from gbad.store._owner import pid_alive

    try:
        info = json.loads(server_beacon(db).read_text())
        pid, url = int(info["pid"]), str(info["url"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return url if pid_alive(pid) else None


@app.command("serve")
def serve(  # noqa: PLR0917 - typer maps parameters to flags
    host: str = typer.Option("127.0.0.1", "--host", help="Address to bind (loopback default)."),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="TCP port."),
    db: Path | None = typer.Option(
        None, "--db", help="Run store file (default: runs.duckdb in the user data directory)."
    ),
    threads: int | None = typer.Option(
        None, "--threads", min=1, max=256, help="Runs executed at once (default: one per core)."
    ),
    queue_size: int | None = typer.Option(
        None, "--queue-size", min=1, max=10_000, help="Runs that may wait (default 8 per slot)."
    ),
    run_timeout_s: float = typer.Option(
        3600.0, "--run-timeout-s", min=1.0, help="Wall-time cap of one run [s]."
    ),
    run_memory_mb: float = typer.Option(
        4096.0, "--run-memory-mb", min=64.0, help="Memory cap of one run [MiB]."
    ),
) -> None:
    """Serve the browser UI and the JSON API (Ctrl-C to stop).

    On any address other than loopback, the token in $GBAD_TOKEN is required
    for every request that changes state (Authorization: Bearer <token>).
    """
    import uvicorn

    from gbad.cli._common import err_console
    from gbad.store import StoreLockedError
    from gbad.web import LOOPBACK_HOSTS, TOKEN_ENV, create_app, is_loopback

    token = os.environ.get(TOKEN_ENV) or None
    loopback = is_loopback(host)
    if not loopback and not token:
        raise GbadInputError(
            "--host", f"{host} is not a loopback address; set {TOKEN_ENV} to require a token"
        )
    if token is not None and len(token) < 16:
        raise GbadInputError(TOKEN_ENV, "token must be at least 16 characters")
    if db is not None and db.exists() and db.is_dir():
        raise GbadInputError("--db", f"{db} is a directory, not a database file")
    _check_can_listen(host, port)
    allowed = [*LOOPBACK_HOSTS, host] if loopback else None
    try:
        web_app = create_app(
            db,
            token=token,
            allowed_hosts=allowed,
            threads=threads,
            max_queue=queue_size,
            wall_time_s=run_timeout_s,
            memory_mb=run_memory_mb,
        )
    except StoreLockedError as exc:
        raise GbadInputError("--db", str(exc)) from None
    store_path = web_app.state.store.path
    interrupted = web_app.state.store.interrupted
    if interrupted:
        err_console.print(f"marked interrupted runs failed: {', '.join(map(str, interrupted))}")
    shown = f"[{host}]" if ":" in host else host
    err_console.print(
        f"gbad serve: http://{shown}:{port}/ (runs in {store_path})"
        + ("; token required for changes" if token else ""),
        highlight=False,
        markup=False,
    )
    config = uvicorn.Config(
        web_app,
        host=host,
        port=port,
        log_level="warning",
        access_log=False,
        server_header=False,
        limit_concurrency=64,
        timeout_keep_alive=5,
    )
    beacon = server_beacon(store_path)
    beacon.write_text(json.dumps({"url": f"http://{shown}:{port}/", "pid": os.getpid()}))
    try:
        uvicorn.Server(config).run()
    finally:
        beacon.unlink(missing_ok=True)
    if web_app.state.worker.busy():
        # A run is still computing in a worker thread (already marked failed and
        # the store closed): leave without waiting for it or finalising native
        # libraries under it.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)


def _check_can_listen(host: str, port: int) -> None:
    """Refuse, naming the flag, an address that cannot be bound (in use, unknown)."""
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise GbadInputError("--host", f"unknown address {host}: {exc.strerror}") from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            reason = exc.strerror or type(exc).__name__
            raise GbadInputError("--port", f"cannot listen on {host}:{port}: {reason}") from None
