"""The data-quality panel of the report: how much of each headline rests on estimates.

For each headline of a plan, the share of the inputs behind it that are estimates
(``basis == "estimate"`` in the reference, or a value filled in at load time):

- capex: the share of ``budget.lines`` capital cost bought at an estimated unit cost
  (the system row is an estimate, or a fire-unit or interceptor cost was imputed);
- baseline fire units: the share of the base-year force (``force`` rows of the base
  year) whose inventory count is an estimate;
- new fire units: the share of ``procurement`` new fire units of systems whose
  production rows are estimates (or that have none), which sets the delivery year;
- engagement: the share of the envelope rows of the systems in the force whose Pk
  is an estimate (all of them: no credible public Pk exists).

Pure: takes the ``plan.json`` dict and a reference, returns plain rows.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["data_quality_panel"]


def _share(part: float, whole: float) -> float | None:
    return None if whole <= 0 else part / whole


def data_quality_panel(plan: Mapping[str, Any], ref: Any = None) -> list[dict[str, Any]]:
    """Rows ``{headline, basis, estimated_share, estimated, total, unit}`` of the panel.

    Parameters
    ----------
    plan : mapping
        The ``plan.json`` dict.
    ref : Reference, optional
        The reference the plan used; default the embedded one with the plan's
        ``meta.overrides``. An unloadable reference gives no rows.
    """
    if ref is None:
        try:
            from gbad.reference import load_reference

            ref = load_reference(plan.get("meta", {}).get("overrides") or None)
        except Exception:
            return []
    systems = ref.systems.set_index("system")
    imputed = ref.imputed
    cost_cols = {c for c in imputed.get("column", []) if "cost" in str(c)}
    cost_imputed = set(
        imputed.loc[imputed["column"].isin(cost_cols) & (imputed["table"] == "systems"), "key"]
    )
    est_cost = {
        s for s in systems.index if systems.loc[s].get("basis") == "estimate" or s in cost_imputed
    }
    rows: list[dict[str, Any]] = []

    lines = plan.get("budget", {}).get("lines") or []
    capex = sum(float(r.get("capex_musd") or 0.0) for r in lines)
    capex_est = sum(float(r.get("capex_musd") or 0.0) for r in lines if r["system"] in est_cost)
    rows.append(
        {
            "headline": "Capital cost",
            "basis": "capex bought at an estimated unit cost (system row an estimate, "
            "or a fire-unit or interceptor cost filled in)",
            "estimated": capex_est,
            "total": capex,
            "unit": "MUSD",
        }
    )

    inv = ref.inventory
    inv = inv[inv["status"] == "in service"]
    est_count = set(
        zip(
            inv.loc[inv["basis"] == "estimate", "iso3"],
            inv.loc[inv["basis"] == "estimate", "system"],
            strict=True,
        )
    )
    force = plan.get("force") or []
    base_year = plan.get("budget", {}).get("base_year") or plan.get("scenario", {}).get("base_year")
    base = [r for r in force if r.get("year") == base_year]
    fu = sum(float(r.get("fire_units") or 0) for r in base)
    fu_est = sum(
        float(r.get("fire_units") or 0) for r in base if (r["iso3"], r["system"]) in est_count
    )
    rows.append(
        {
            "headline": "Baseline fire units",
            "basis": "base-year fire units whose inventory count is an estimate",
            "estimated": fu_est,
            "total": fu,
            "unit": "fire units",
        }
    )

    prod = ref.production
    published_lines = set(prod.loc[prod["basis"] != "estimate", "system"])
    procurement = plan.get("procurement") or []
    new = sum(float(r.get("new") or 0) for r in procurement)
    new_est = sum(
        float(r.get("new") or 0) for r in procurement if r["system"] not in published_lines
    )
    rows.append(
        {
            "headline": "Delivery of new fire units",
            "basis": "new fire units of systems whose production rate is an estimate "
            "(or not published at all)",
            "estimated": new_est,
            "total": new,
            "unit": "fire units",
        }
    )

    held = {r["system"] for r in force}
    env = ref.envelopes[ref.envelopes["system"].isin(held)]
    rows.append(
        {
            "headline": "Engagement (leakers, interceptors spent)",
            "basis": "envelope rows of the force's systems with an estimated Pk",
            "estimated": float(len(env)),  # every single-shot Pk is a planning estimate
            "total": float(len(env)),
            "unit": "envelope rows",
        }
    )
    rows.append(
        {
            "headline": "Values filled in",
            "basis": "reference values filled in at load time (listed in plan.json imputed)",
            "estimated": float(len(plan.get("imputed") or [])),
            "total": None,
            "unit": "values",
        }
    )
    for row in rows:
        total = row["total"]
        row["estimated_share"] = None if total is None else _share(row["estimated"], total)
    return rows
