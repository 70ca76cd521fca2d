"""Procurement: what each ally buys per tier, decided once for every later stage.

>>> from gbad.procurement import decide_procurement  # doctest: +SKIP
"""

from gbad.procurement.stage import (
    CONTRACT_STATUSES,
    ProcurementResult,
    decide_procurement,
    procurement_rules,
)

__all__ = ["CONTRACT_STATUSES", "ProcurementResult", "decide_procurement", "procurement_rules"]
