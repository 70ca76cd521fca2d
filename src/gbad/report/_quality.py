"""The report's data-quality panel: rows of ``plan.json["data_quality"]``.

Computed with the plan (:mod:`gbad.plan._quality`); a stored plan without the key
is computed here from its reference.
"""

from __future__ import annotations

from gbad.plan._quality import data_quality_panel

__all__ = ["data_quality_panel"]
