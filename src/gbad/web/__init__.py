"""The web app of ``gbad serve``: JSON API and browser UI over the pipeline and run store.

>>> from gbad.web import create_app                       # doctest: +SKIP
>>> app = create_app("runs.duckdb")          # an ASGI app for uvicorn or TestClient
"""

from __future__ import annotations

from gbad.web.app import LOOPBACK_HOSTS, create_app
from gbad.web.security import TOKEN_ENV, is_loopback
from gbad.web.validation import DEFAULT_LIMITS

__all__ = ["DEFAULT_LIMITS", "LOOPBACK_HOSTS", "TOKEN_ENV", "create_app", "is_loopback"]
