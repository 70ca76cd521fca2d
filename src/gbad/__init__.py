"""gbad: open planning of Europe's ground-based air defence from public data.

The package is layered like pvlib: published models are plain functions in the
stage modules (:mod:`gbad.engage`, :mod:`gbad.coverage`, :mod:`gbad.siting`, ...),
typed stage results are dataclasses, and :mod:`gbad.cli`, :mod:`gbad.store`,
:mod:`gbad.report` and :mod:`gbad.web` do all I/O.
"""

from __future__ import annotations

__all__ = ["DATA_VERSION", "__version__"]

__version__ = "0.1.0"

#: Version of the embedded reference dataset; bump whenever a CSV under
#: ``gbad/data`` changes, and say in the changelog how much results move.
DATA_VERSION = "2026.11.0"
