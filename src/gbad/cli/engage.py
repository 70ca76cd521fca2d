"""CLI commands of the engage stage (registered on :data:`gbad.cli._app.app`)."""

from __future__ import annotations

from gbad.cli._app import app

__all__ = ["app"]
