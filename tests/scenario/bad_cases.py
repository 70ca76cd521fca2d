"""Scenarios the pipeline cannot run correctly, and the key path each is refused at.

Shared by the scenario, CLI and web tests: every one is refused when the scenario
is parsed (exit 2 / HTTP 422 naming the field), before any stage runs.
"""

from __future__ import annotations

from typing import Any

#: (document, field named in the refusal)
BAD_SCENARIOS: list[tuple[dict[str, Any], str]] = [
    # accepted and silently wrong before
    ({"countries": []}, "countries"),
    ({"countries": ["EST", "EST"]}, "countries.1"),
    ({"countries": ["est"]}, "countries.0"),
    ({"budget": {"user_path": {"DEU": {2030: -4.0}}}}, "budget.user_path.DEU.2030"),
    ({"budget": {"user_path": {"DEU": {1900: 3.0}}}}, "budget.user_path.DEU.1900"),
    ({"budget": {"user_path": {"DEU": {}}}}, "budget.user_path.DEU"),
    (
        {"overrides": {"systems": {"iris-t-slm": {"fire_unit_cost_musd_mid": -500}}}},
        "overrides.systems.iris-t-slm.fire_unit_cost_musd_mid",
    ),
    ({"engagement": {"shots": {"ballistic": -1}}}, "engagement.shots.ballistic"),
    ({"engagement": {"shots": {"ballistic": 0}}}, "engagement.shots.ballistic"),
    ({"engagement": {"ew_layer": "jammers"}}, "engagement.ew_layer"),
    ({"industry": {"coalition": ["ZZZ"]}}, "industry.coalition.0"),
    ({"industry": {"coalition": []}}, "industry.coalition"),
    ({"industry": {"coalition": ["POL", "POL"]}}, "industry.coalition.1"),
    ({"target": {"minimum": {"XXX": 5}}}, "target.minimum.XXX"),
    ({"target": {"minimum": {"POL": -1}}}, "target.minimum.POL"),
    # The Baltic states hold no long-range unit: a multiple of 0 is 0, below a minimum of 3.
    ({"countries": ["EST", "LVA", "LTU"], "target": {"minimum": {"EST": 3}}}, "target.minimum.EST"),
    ({"target": {"minimum": {"POL:space": 1}}}, "target.minimum.POL:space"),
    ({"target": {"maximum": {"USA": 5}}}, "target.maximum.USA"),  # not a plan ally
    ({"target": {"blend": {"gdp": -1, "population": 2}}}, "target.blend.gdp"),
    ({"target": {"blend": {"gdp": 0}}}, "target.blend"),
    ({"target": {"factor": True}}, "target.factor"),
    ({"target": {"factor": "3"}}, "target.factor"),
    ({"threat": {"nights": "30"}}, "threat.nights"),
    ({"siting": {"backup": 1}}, "siting.backup"),
    ({"target": {"factor": float("nan")}}, "target.factor"),
    ({"threat": {"scale": float("inf")}}, "threat.scale"),
    ({"industry": {"buy": {"short": "no-such-system"}}}, "industry.buy.short"),
    ({"industry": {"buy": {"short": "patriot"}}}, "industry.buy.short"),
    ({"industry": {"buy": {"space": "patriot"}}}, "industry.buy.space"),
    ({"procurement": {"POL:short": {}}}, "procurement.POL:short"),
    ({"procurement": {"POL:short": "no-such-system"}}, "procurement.POL:short"),
    ({"procurement": {"POL:short": {"camm": 0}}}, "procurement.POL:short.camm"),
    ({"industry": {"line_share": {"no-such-line": 0.5}}}, "industry.line_share.no-such-line"),
    ({"industry": {"line_share": 1.5}}, "industry.line_share"),
    ({"milestones": [2024]}, "milestones"),
    ({"milestones": [2030, 2030]}, "milestones"),
    ({"engagement": {"calibration": "/no/such/model.json"}}, "engagement.calibration"),
    ({"campaign": {"stockpile": {"no-such-system": 10}}}, "campaign.stockpile.no-such-system"),
    ({"campaign": {"waves": -1}}, "campaign.waves"),
    ({"campaign": {"engage_on_path": "sometimes"}}, "campaign.engage_on_path"),
    ({"threat": {"asset_value": "gdp"}}, "threat.asset_value"),
    ({"campaign": {"wave_minutes": {"drone": 0}}}, "campaign.wave_minutes.drone"),
    ({"campaign": {"geometry": "flat"}}, "campaign.geometry"),
    ({"threat": {"axes": [{"launch_area": "nowhere"}]}}, "threat.axes.0.launch_area"),
    (
        {"threat": {"axes": [{"launch_area": "belarus", "classes": {"ballistic": 1}}]}},
        "threat.axes.0.classes.ballistic",
    ),
    (
        {"threat": {"axes": [{"launch_area": "kaliningrad", "toward": ["USA"]}]}},
        "threat.axes.0.toward.0",
    ),
    (
        {"threat": {"axes": [{"launch_area": "kaliningrad", "classes": {"cruise": 0}}]}},
        "threat.axes.0.classes",
    ),
    # accepted, then failed late before
    ({"target": {"factor": 0.5}}, "target.factor"),
    ({"target": {"tiers": {"long": 0.5}}}, "target.tiers.long"),
    ({"threat": {"preset": "custom"}}, "threat.raid"),
    ({"threat": {"preset": "custom", "raid": {"drone": 0}}}, "threat.raid"),
    ({"countries": ["ISL"]}, "countries"),
    (
        {"overrides": {"envelopes": {"patriot/ballistic": {"pk_mid": 1.7}}}},
        "overrides.envelopes.patriot/ballistic.pk_mid",
    ),
    (
        {"overrides": {"systems": {"iris-t-slm": {"fire_unit_cost_musd_mid": 1e308}}}},
        "overrides.systems.iris-t-slm.fire_unit_cost_musd_mid",
    ),
    (
        {"overrides": {"countries": {"DEU": {"population_m": -3}}}},
        "overrides.countries.DEU.population_m",
    ),
    ({"overrides": {"systems": {}}}, "overrides.systems"),
    ({"sweep": {"knobs": {"threat.scale": [2, 1, 0.5]}}}, "sweep.knobs.threat.scale"),
    # exhausts the machine
    (
        {"threat": {"preset": "custom", "raid": {"drone": 10_000}, "scale": 20}},
        "threat.raid",
    ),
    ({"threat": {"scale": 1000}}, "threat.scale"),
    ({"threat": {"nights": 365}, "campaign": {"replications": 64}}, "campaign.replications"),
    ({"siting": {"grid_km": 2, "max_candidates": 200_000}}, "siting.max_candidates"),
]
