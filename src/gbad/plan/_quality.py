"""The data-quality panel of a plan: how much of each headline rests on estimates.

For each headline of a plan, the share of the inputs behind it that are estimates
(``basis == "estimate"`` in the reference, an assumption of the scenario, or a
value filled in at load time):

- capex: the share of ``budget.lines`` capital cost bought at an estimated unit cost
  (the system row is an estimate, or a fire-unit or interceptor cost was imputed);
- baseline fire units: the share of the base-year force (``force`` rows of the base
  year) whose inventory count is an estimate;
- new fire units: the share of the fire units bought (``procurement`` contracts and
  new orders, the plan's ``siting.new_fire_units``) of systems whose production rows
  are estimates (or that have none), which sets the delivery year;
- engagement: the share of the envelope rows of the systems in the force whose Pk
  is an estimate (all of them: no credible public Pk exists);
- electronic warfare: the threats the campaign's electronic-warfare layer removes
  before any engagement when ``engagement.ew_layer`` is ``calibrated`` (Ukraine's
  calibrated defeat rate given to every ally: an assumption);
- values filled in: the ``imputed`` rows, and how many of them the plan's force or
  budget uses.

Pure: takes the ``plan.json`` parts and a reference, returns typed rows;
:func:`gbad.plan.run_plan` writes them to ``plan.json["data_quality"]``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

__all__ = ["DataQualityRow", "data_quality_panel", "imputed_in_use", "plan_data_quality"]


@dataclass(frozen=True)
class DataQualityRow:
    """One headline of the panel.

    Attributes
    ----------
    key : str
        Stable name of the row (``capex``, ``baseline_fire_units``, ``new_fire_units``,
        ``engagement``, ``ew_layer``, ``imputed``).
    headline : str
        The headline in a reader's words.
    basis : str
        Which inputs count as estimated.
    estimated : float
        Estimated inputs [``unit``].
    total : float or None
        All inputs behind the headline [``unit``] (``None``: no share, a count only).
    estimated_share : float or None
        ``estimated / total`` [0-1] (``None`` without a total or with a zero one).
    unit : str
    used : int or None
        ``imputed`` only: values filled in that the plan's force or budget uses [count].
    """

    key: str
    headline: str
    basis: str
    estimated: float
    total: float | None
    estimated_share: float | None
    unit: str
    used: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """The row as plain JSON values."""
        return asdict(self)


def _share(part: float, total: float | None) -> float | None:
    return None if total is None or total <= 0 else part / total


def _row(  # noqa: PLR0917 - the row's fields, in order
    key: str,
    headline: str,
    basis: str,
    estimated: float,
    total: float | None,
    unit: str,
    used: int | None = None,
) -> DataQualityRow:
    return DataQualityRow(
        key, headline, basis, float(estimated), total, _share(estimated, total), unit, used
    )


def _key_parts(key: Any) -> set[str]:
    return {p for p in re.split(r"[^A-Za-z0-9_.+-]+", str(key)) if p}


def imputed_in_use(
    imputed: Iterable[Mapping[str, Any]],
    force: Iterable[Mapping[str, Any]],
    budget_lines: Iterable[Mapping[str, Any]],
) -> int:
    """Values filled in that the plan uses: ``imputed`` rows whose key names a system
    or ally of the plan's force (rows with fire units) or budget lines.

    Parameters
    ----------
    imputed : iterable of mapping
        ``plan.json["imputed"]`` rows (``table``, ``key``, ``column``...).
    force : iterable of mapping
        ``plan.json["force"]`` rows (``iso3``, ``system``, ``fire_units``).
    budget_lines : iterable of mapping
        ``plan.json["budget"]["lines"]`` rows (``iso3``, ``system``).

    Returns
    -------
    int
    """
    systems: set[str] = set()
    allies: set[str] = set()
    for r in force:
        if float(r.get("fire_units") or 0) > 0:
            systems.add(str(r.get("system")))
            allies.add(str(r.get("iso3")))
    for r in budget_lines:
        systems.add(str(r.get("system")))
        allies.add(str(r.get("iso3")))
    used = 0
    for r in imputed:
        parts = _key_parts(r.get("key"))
        by_ally = str(r.get("table")) in ("countries", "budgets", "assets")
        if parts & systems or (by_ally and parts & allies):
            used += 1
    return used


def plan_data_quality(plan: Mapping[str, Any], ref: Any) -> list[DataQualityRow]:
    """The panel's rows for a plan.

    Parameters
    ----------
    plan : mapping
        The ``plan.json`` parts read: ``budget`` (``base_year``, ``lines``), ``force``,
        ``procurement``, ``imputed``, ``campaign`` (``threats``, ``ew_defeated``) and
        ``scenario`` (``engagement.ew_layer``); a missing part gives empty totals.
    ref : Reference
        The reference the plan used (``systems``, ``imputed``, ``inventory``,
        ``production``, ``envelopes``).

    Returns
    -------
    list of DataQualityRow
    """
    systems = ref.systems.set_index("system")
    imputed_ref = ref.imputed
    cost_cols = {c for c in imputed_ref.get("column", []) if "cost" in str(c)}
    cost_imputed = set(
        imputed_ref.loc[
            imputed_ref["column"].isin(cost_cols) & (imputed_ref["table"] == "systems"), "key"
        ]
    )
    est_cost = {
        s for s in systems.index if systems.loc[s].get("basis") == "estimate" or s in cost_imputed
    }
    rows: list[DataQualityRow] = []

    budget = plan.get("budget") or {}
    lines = budget.get("lines") or []
    capex = sum(float(r.get("capex_musd") or 0.0) for r in lines)
    capex_est = sum(float(r.get("capex_musd") or 0.0) for r in lines if r["system"] in est_cost)
    rows.append(
        _row(
            "capex",
            "Capital cost",
            "capex bought at an estimated unit cost (system row an estimate, "
            "or a fire-unit or interceptor cost filled in)",
            capex_est,
            capex,
            "MUSD",
        )
    )

    inv = ref.inventory
    inv = inv[inv["status"] == "in service"]
    est = inv["basis"] == "estimate"
    est_count = set(zip(inv.loc[est, "iso3"], inv.loc[est, "system"], strict=True))
    force = plan.get("force") or []
    base_year = budget.get("base_year") or (plan.get("scenario") or {}).get("base_year")
    base = [r for r in force if r.get("year") == base_year]
    fu = sum(float(r.get("fire_units") or 0) for r in base)
    fu_est = sum(
        float(r.get("fire_units") or 0) for r in base if (r["iso3"], r["system"]) in est_count
    )
    rows.append(
        _row(
            "baseline_fire_units",
            "Baseline fire units",
            "base-year fire units whose inventory count is an estimate",
            fu_est,
            fu,
            "fire units",
        )
    )

    prod = ref.production
    published_lines = set(prod.loc[prod["basis"] != "estimate", "system"])
    procurement = plan.get("procurement") or []

    def bought(r: Mapping[str, Any]) -> float:
        return float(r.get("new") or 0) + float(r.get("contracted") or 0)

    new = sum(bought(r) for r in procurement)
    new_est = sum(bought(r) for r in procurement if r["system"] not in published_lines)
    rows.append(
        _row(
            "new_fire_units",
            "Delivery of new fire units (contracts and new orders)",
            "fire units bought of systems whose production rate is an estimate "
            "(or not published at all)",
            new_est,
            new,
            "fire units",
        )
    )

    held = {r["system"] for r in force}
    env = ref.envelopes[ref.envelopes["system"].isin(held)]
    rows.append(
        _row(
            "engagement",
            "Engagement (leakers, interceptors spent)",
            "envelope rows of the force's systems with an estimated Pk",
            float(len(env)),  # every single-shot Pk is a planning estimate
            float(len(env)),
            "envelope rows",
        )
    )

    campaign = plan.get("campaign") or {}
    layer = ((plan.get("scenario") or {}).get("engagement") or {}).get("ew_layer")
    ew = campaign.get("ew_defeated") or {}
    threats = campaign.get("threats") or {}
    if layer == "calibrated" and ew:
        rows.append(
            _row(
                "ew_layer",
                "Electronic-warfare layer (engagement.ew_layer: calibrated)",
                "threats removed before any engagement by Ukraine's calibrated "
                "electronic-warfare defeat rate, given to every ally (an assumption)",
                sum(float(v) for v in ew.values()),
                sum(float(v) for v in threats.values()),
                "threats",
            )
        )

    imputed = list(plan.get("imputed") or [])
    used = imputed_in_use(imputed, force, lines)
    rows.append(
        _row(
            "imputed",
            "Values filled in",
            "reference values filled in at load time (listed in plan.json imputed); "
            "'used' counts those of a system or ally in the plan's force or budget",
            float(len(imputed)),
            None,
            "values",
            used,
        )
    )
    return rows


def data_quality_panel(plan: Mapping[str, Any], ref: Any = None) -> list[dict[str, Any]]:
    """The panel as plain rows: ``plan["data_quality"]`` when present, else computed.

    Parameters
    ----------
    plan : mapping
        The ``plan.json`` dict.
    ref : Reference, optional
        For a plan stored without ``data_quality``: the reference it used; default the
        embedded one with the plan's ``meta.overrides``. An unloadable reference gives
        no rows.
    """
    stored = plan.get("data_quality")
    if isinstance(stored, list):
        return [dict(r) for r in stored if isinstance(r, Mapping)]
    if ref is None:
        try:
            from gbad.reference import load_reference

            ref = load_reference(plan.get("meta", {}).get("overrides") or None)
        except Exception:
            return []
    return [r.to_dict() for r in plan_data_quality(plan, ref)]
