"""``render_report``: a plan as one self-contained HTML page.

Everything the page needs is inside it: the CSS is inlined and figures are
inline SVG, so it opens offline and nothing is fetched from another host.
Source URLs are printed as text, not links, for the same reason.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from gbad.report._figures import FigureContext, stage_figures, trajectory_figure
from gbad.report._format import format_value, label_for
from gbad.report._quality import data_quality_panel
from gbad.report._sections import (
    PROCUREMENT_RULES,
    TRAJECTORY_COLUMNS,
    force_by_year,
    leakers_by_ally,
    procurement_rows,
    readiness_rows,
    stocks_and_refill,
)
from gbad.report._tables import censored, data_tables

__all__ = ["ODC_BY_ATTRIBUTION", "STAGE_INTROS", "render_report"]

_TEMPLATES = Path(__file__).parent / "templates"

#: What each stage answers, in a reader's words.
STAGE_INTROS: dict[str, str] = {
    "targets": (
        "How many fire units each ally should field at the horizon. The collective "
        "target is the factor times what the allies hold today; it is shared among "
        "allies by the apportionment key, in whole fire units, and no ally goes "
        "below what it holds today."
    ),
    "procurement": (
        "What each ally buys, per tier: the system (or the shares of several), the "
        "contracts already signed and the new order. Budget, industry, siting, coverage "
        "and the campaign all read this one decision; no later stage picks a system."
    ),
    "budget": (
        "What reaching each national target costs (fire units, a first load of "
        "interceptors, operation) at base-year list prices, before learning and pooling "
        "(those are in the joint-against-national section), against what each ally "
        "can spend on air defence "
        "on its path to the NATO pledge of 3.5% + 1.5% of GDP, and the year each "
        "target is funded."
    ),
    "industry": (
        "When industry can deliver: production lines per system with their announced "
        "ramp-ups, orders from all allies competing for them, and the year each "
        "target is met when money and production are both taken into account. "
        "cost_saved_musd is the pooling price effects (common configuration, framework "
        "discount) at base-year list prices, before learning."
    ),
    "force": (
        "The order of battle of each milestone year: the fire units in service at the "
        "base year, less those that retire, plus what industry delivers (ordered units "
        "arrive in their delivery year). A readiness factor per system gives the fire "
        "units that can fight; coverage counts every in-service fire unit."
    ),
    "siting": (
        "Where the new fire units should stand: sites inside each ally's territory "
        "chosen to cover as much defended value (cities, ports, power plants, "
        "airbases) as possible, with today's fire units kept where they are. "
        "Everything bought is sited once; the optimal sites are then ordered greedily, "
        "and each milestone year takes the first units of that sequence delivered by "
        "then, so each year's layout is a subset of the next."
    ),
    "coverage": (
        "What the fire units protect against each threat class: engagement ranges "
        "limited by the radar horizon for low flyers, and the share of population "
        "and assets covered once, twice or not at all."
    ),
    "campaign": (
        "How long the defence lasts: nights of raids modelled on the Ukrainian "
        "reports, interceptors spent and what production delivers after the resupply "
        "delay, when stocks run out and how many threats then get through."
    ),
}

#: Attribution the ODC-BY 1.0 licence of the Ukrainian attack data requires.
ODC_BY_ATTRIBUTION = (
    "Attack data: Petro Ivaniuk, “Massive Missile Attacks on Ukraine” (Kaggle dataset "
    "piterfm/massive-missile-attacks-on-ukraine), digitised from the daily reports of "
    "the Air Force Command of the Armed Forces of Ukraine; licensed under the Open "
    "Data Commons Attribution License (ODC-BY 1.0)."
)


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(_TEMPLATES),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["fmt"] = format_value
    env.filters["label"] = label_for
    env.filters["pct"] = lambda v: None if v is None else 100.0 * float(v)
    env.filters["json"] = lambda v: json.dumps(v, sort_keys=True)
    return env


def _flatten(prefix: str, node: Any, out: list[tuple[str, Any]]) -> None:
    if isinstance(node, Mapping) and node:
        for key, value in node.items():
            _flatten(f"{prefix}.{key}" if prefix else str(key), value, out)
    else:
        out.append((prefix, node))


def _assumptions(scenario: Mapping[str, Any]) -> list[dict[str, Any]]:
    from gbad.scenario import Scenario

    default: list[tuple[str, Any]] = []
    _flatten("", Scenario().model_dump(mode="json"), default)
    defaults = dict(default)
    rows: list[tuple[str, Any]] = []
    _flatten("", {k: v for k, v in scenario.items() if k != "overrides"}, rows)
    return [
        {
            "key": key,
            "value": json.dumps(value) if isinstance(value, (dict, list)) else format_value(value),
            "changed": key not in defaults or defaults[key] != value,
        }
        for key, value in rows
    ]


def _overrides(overrides: Any) -> list[dict[str, str]]:
    rows: list[tuple[str, Any]] = []
    _flatten("", overrides or {}, rows)
    return [{"key": k, "value": format_value(v)} for k, v in rows if k]


def _borders(plan: Any) -> Any:
    borders = getattr(getattr(plan, "ref", None), "borders", None)
    if borders:
        return borders
    try:
        from gbad.reference import load_borders
    except ImportError:
        return None
    try:
        return load_borders()
    except (OSError, ValueError):
        return None


def _censored_endurance(data: Mapping[str, Any]) -> dict[str, Any]:
    """A campaign's data with a censored endurance shown as ``≥ n (did not run out)``."""
    out = dict(data)
    endurance = data.get("endurance")
    if isinstance(endurance, Mapping) and endurance.get("censored"):
        text = censored(endurance.get("nights"))
        out["endurance_nights"] = text
        out["endurance"] = {**endurance, "nights": text}
    return out


def _pct(value: Any) -> str:
    """A share as a percentage with three significant digits (``n/a`` when missing)."""
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return "n/a"
    return f"{format_value(100.0 * float(value))} %"


def _triple(values: Any) -> str:
    """``low / mid / high`` shares as percentages."""
    if not isinstance(values, (list, tuple)) or len(values) != 3:
        return "n/a"
    return " / ".join(_pct(v) for v in values)


#: Missile classes, in the order the report lists them.
MISSILE_CLASSES: tuple[str, ...] = ("ballistic", "cruise", "glide")


def _ew_caveat(data: Mapping[str, Any]) -> dict[str, Any] | None:
    """Drones (and other threats) the calibrated electronic-warfare layer removes."""
    layer = (data.get("scenario", {}).get("engagement") or {}).get("ew_layer")
    campaign = data.get("campaign") or {}
    ew = campaign.get("ew_defeated") if isinstance(campaign, Mapping) else None
    threats = campaign.get("threats") if isinstance(campaign, Mapping) else None
    if layer != "calibrated" or not isinstance(ew, Mapping) or not isinstance(threats, Mapping):
        return None
    if "drone" not in threats:
        return None
    return {
        "layer": layer,
        "drones_defeated": float(ew.get("drone") or 0.0),
        "drones": float(threats["drone"]),
        "others": sum(float(v or 0.0) for k, v in ew.items() if k != "drone"),
    }


def _engagement_row(rows: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The data-quality row of the envelopes with an estimated Pk."""
    for row in rows:
        if row.get("key") == "engagement" or str(row.get("headline", "")).startswith("Engagement"):
            return row if row.get("total") else None
    return None


def threat_spread(data: Mapping[str, Any]) -> dict[str, Any] | None:
    """How the campaign spread the raid over the allies, when no ``threat.axes`` are set.

    Returns the asset-value rule, the allies that receive no threat (a zero row of
    ``campaign.by_area``, or an ally of ``meta.countries`` without one) and the ally with
    the largest share of the ballistic raid (``campaign.by_area``); ``None`` with axes
    or without a per-ally split.
    """
    threat = data.get("scenario", {}).get("threat") or {}
    if threat.get("axes"):
        return None
    campaign = data.get("campaign") or {}
    areas = campaign.get("by_area") if isinstance(campaign, Mapping) else None
    if not isinstance(areas, list) or not areas:
        return None
    none: list[str] = []
    ballistic: dict[str, float] = {}
    for row in areas:
        if not isinstance(row, Mapping):
            continue
        threats = row.get("threats") or {}
        iso3 = str(row.get("iso3"))
        if sum(float(v or 0.0) for v in threats.values()) <= 0:
            none.append(iso3)
        ballistic[iso3] = float(threats.get("ballistic") or 0.0)
    seen = set(ballistic)
    none += [str(a) for a in (data.get("meta", {}).get("countries") or []) if str(a) not in seen]
    total = sum(ballistic.values())
    top = max(ballistic, key=lambda k: ballistic[k]) if total > 0 else None
    return {
        "asset_value": threat.get("asset_value"),
        "none": none,
        "ballistic_top": top,
        "ballistic_top_share": None if top is None else ballistic[top] / total,
    }


def render_report(plan: Any) -> str:
    """Render a plan as a self-contained HTML report.

    Parameters
    ----------
    plan : Plan or mapping
        A :class:`gbad.plan.Plan`, or its ``plan.json`` dict (e.g. from the run
        store); typed stage results, when present, let stage plots be reused.

    Returns
    -------
    str
        One HTML document with inline CSS and SVG figures; every number in the
        executive summary is ``plan.json["summary"]``'s, and each carries it in
        a ``data-value`` attribute.
    """
    data: Mapping[str, Any] = plan if isinstance(plan, Mapping) else plan.to_dict()
    stages_obj = getattr(plan, "stages", {}) if not isinstance(plan, Mapping) else {}
    from gbad.plan import STAGE_TITLES, STAGES

    borders = _borders(plan)
    timings = data.get("meta", {}).get("timings_s", {}) or {}
    stages: list[dict[str, Any]] = []
    for name in STAGES:
        stage_data = data.get(name, {"status": "not available"})
        if not isinstance(stage_data, Mapping):  # procurement, force: rows of their own
            stages.append(
                {
                    "name": name,
                    "title": STAGE_TITLES[name],
                    "intro": STAGE_INTROS[name],
                    "ok": True,
                    "custom": True,
                    "status": "ok",
                    "reason": "",
                    "figures": [],
                    "tables": [],
                    "seconds": timings.get(name),
                }
            )
            continue
        result = getattr(stages_obj.get(name), "result", None)
        ok = stage_data.get("status") == "ok"
        shown = {
            k: v
            for k, v in stage_data.items()
            if not (name == "coverage" and k in ("year", "coverage_definition"))
        }
        if name == "campaign":
            shown = _censored_endurance(shown)
        stages.append(
            {
                "name": name,
                "title": STAGE_TITLES[name],
                "intro": STAGE_INTROS[name],
                "ok": ok,
                "custom": False,
                "status": stage_data.get("status", "not available"),
                "reason": stage_data.get("reason") or stage_data.get("error") or "",
                "year": stage_data.get("year"),
                "figures": stage_figures(name, FigureContext(data, stage_data, result, borders))
                if ok
                else [],
                "tables": data_tables(shown, title="Figures") if ok else [],
                "seconds": timings.get(name),
            }
        )
    from gbad.plan import SUMMARY_KEYS

    # Every summary key present (None if a stored plan predates it), so the page renders.
    summary: dict[str, Any] = dict.fromkeys(SUMMARY_KEYS) | dict(data.get("summary", {}) or {})
    milestones = [m for m in data.get("milestones", []) or [] if isinstance(m, Mapping)]
    years = [int(m["year"]) for m in milestones if m.get("year") is not None]
    quality = data_quality_panel(data, getattr(plan, "ref", None))
    env = _environment()
    css = (_TEMPLATES / "report.css").read_text(encoding="utf-8")
    html = env.get_template("report.html.j2").render(
        plan=data,
        scenario=data.get("scenario", {}),
        meta=data.get("meta", {}),
        summary=summary,
        names={
            str(r["iso3"]): str(r.get("name") or r["iso3"])
            for r in summary.get("national_targets") or []
            if isinstance(r, Mapping) and "iso3" in r
        },
        stages=stages,
        milestones=milestones,
        trajectory_columns=TRAJECTORY_COLUMNS,
        trajectory_figure=trajectory_figure(milestones),
        procurement=procurement_rows(data.get("procurement")),
        procurement_rules=PROCUREMENT_RULES,
        force=force_by_year(data.get("force"), years),
        readiness=readiness_rows(data.get("force")),
        stocks=stocks_and_refill(data),
        leakers=leakers_by_ally(data),
        imputed=[r for r in data.get("imputed", []) or [] if isinstance(r, Mapping)],
        assumptions=_assumptions(data.get("scenario", {})),
        overrides=_overrides(data.get("meta", {}).get("overrides")),
        sources=data.get("sources", []),
        essi=data.get("essi"),
        requirement=data.get("requirement"),
        burn_vs_build=data.get("burn_vs_build"),
        calibration=data.get("calibration"),
        calib_triple=_triple,
        calib_pct=_pct,
        data_quality=quality,
        pk_rows=_engagement_row(quality),
        ew_caveat=_ew_caveat(data),
        spread=threat_spread(data),
        missile_classes=MISSILE_CLASSES,
        attribution=ODC_BY_ATTRIBUTION,
        css=Markup(css),  # our own stylesheet, not user input
    )
    return html
