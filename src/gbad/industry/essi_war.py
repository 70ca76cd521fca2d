"""Joint against national buying at war: the horizon force with and without stock sharing.

The war part of :func:`gbad.industry.essi.compute_essi`. Without sharing it is the
campaign the plan's horizon milestone fights (same force, sites, engine,
replications and seeds: the same missile leak share); sharing among the coalition
members (:mod:`gbad.campaign.sharing`), then cross-border defence, are the
variations on top, on the same random numbers. Per ally, the endurance of its
own long- and medium-range fire units (:func:`ally_endurance`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["ally_endurance", "ally_endurance_censored", "campaign_pair"]


def campaign_pair(  # noqa: PLR0917 - internal
    ref: Any,
    scenario: Any,
    industry: Any,
    force: pd.DataFrame,
    year: int,
    coalition: list[str],
    ew_defeat: Mapping[str, float] | None = None,
    fire_units: pd.DataFrame | None = None,
    *,
    rng: np.random.Generator | int = 0,
    replications: int | None = None,
    engine: str = "numba",
) -> dict[str, Any]:
    """The horizon force's campaign without and with stock sharing.

    ``without_sharing`` is the campaign the plan's horizon milestone fights: the
    same setup (force, sited fire units, raid, electronic warfare), engine,
    replications and root entropy (``rng`` as the plan passes it to that
    milestone's campaign), so its missile leak share is that milestone's
    ``missile_leak_share`` exactly, whenever the scenario's own campaign shares
    nothing (``milestone_campaign``). ``with_sharing`` adds stock sharing among
    the members on the same random numbers (common random numbers, so the two
    differ by sharing and the engagement draws it changes); with a spatial
    campaign, ``with_sharing.cross_border_defence`` adds cross-border defence on
    top (members' fire units also engage threats at other members' assets
    inside their envelopes, :mod:`gbad.campaign.spatial`).
    """
    from gbad.campaign.model import simulate_campaign
    from gbad.campaign.result import MISSILE_CLASSES
    from gbad.campaign.setup import build_setup

    setup = build_setup(
        ref,
        scenario,
        industry=industry,
        force=force,
        year=year,
        ew_defeat=ew_defeat,
        fire_units=fire_units,
    )
    camp_cfg = scenario.campaign
    milestone = not (camp_cfg.share_stocks or camp_cfg.defend_neighbours)
    setup = dataclasses.replace(setup, share_members=None)
    if setup.geometry is not None:  # each ally defends its own assets only
        setup = dataclasses.replace(
            setup,
            geometry=dataclasses.replace(setup.geometry, defend_neighbours=False, cells_cache={}),
        )
    reps = int(replications if replications is not None else camp_cfg.replications)
    entropy = int(rng.integers(2**63)) if isinstance(rng, np.random.Generator) else int(rng)
    delay = int(camp_cfg.transfer_delay_days)
    out: dict[str, Any] = {
        "year": int(year),
        "engine": engine,
        "draw": setup.draw,
        "replications": reps,
        "seed_entropy": entropy,
        "milestone_campaign": milestone,
        "transfer_delay_nights": delay,
    }
    shared = setup.with_sharing(coalition, delay)
    runs = [("without_sharing", setup), ("with_sharing", shared)]
    if shared.geometry is not None and shared.share_members is not None:
        both = dataclasses.replace(
            shared,
            geometry=dataclasses.replace(
                shared.geometry,
                defend_neighbours=True,
                members=shared.share_members,
                cells_cache={},
            ),
        )
        runs.append(("with_sharing_and_neighbours", both))
    for name, s in runs:
        r = simulate_campaign(s, rng=entropy, replications=reps, engine=engine)
        idx = [r.classes.index(c) for c in MISSILE_CLASSES]
        threats, leak = r.threats, r.leakers
        per_ally, per_ally_missile = {}, {}
        for i, a in enumerate(r.areas):
            t = float(r.threats_area[i].sum())
            per_ally[a] = round(float(r.leakers_area[i].sum()) / t, 6) if t > 0 else None
            tm = float(r.threats_area[i][idx].sum())
            per_ally_missile[a] = (
                round(float(r.leakers_area[i][idx].sum()) / tm, 6) if tm > 0 else None
            )
        end = r.endurance()
        by_ally = ally_endurance_censored(r)
        out[name] = {
            "leakers": round(float(leak.sum()), 3),
            "leak_share": round(float(leak.sum() / threats.sum()), 6) if threats.sum() else None,
            "missile_leak_share": r.missile_leak_share(),
            "missile_leak_share_se": r.paths_missile_leak_share()["se"],
            "endurance_nights": end["nights"],
            "endurance_reached": end["reached"],
            "endurance_censored": end["censored"],
            "interceptors_shared": round(float(np.sum(r.paths.get("shared_per_system", 0.0))), 1),
            "leak_share_by_ally": per_ally,
            "missile_leak_share_by_ally": per_ally_missile,
            "endurance_nights_by_ally": {k: v[0] for k, v in by_ally.items()},
            "endurance_censored_by_ally": {k: v[1] for k, v in by_ally.items()},
        }
    w, s2 = out["without_sharing"], out["with_sharing"]
    out["leakers_avoided"] = round(w["leakers"] - s2["leakers"], 3)
    nb = out.pop("with_sharing_and_neighbours", None)
    s2["cross_border_defence"] = None
    w["cross_border_defence"] = None
    if nb is not None:
        s2["cross_border_defence"] = {
            "leakers": nb["leakers"],
            "leakers_avoided": round(s2["leakers"] - nb["leakers"], 3),
            "missile_leak_share": nb["missile_leak_share"],
            "missile_leak_share_se": nb["missile_leak_share_se"],
            "missile_leak_share_by_ally": nb["missile_leak_share_by_ally"],
        }
    out["defend_neighbours"] = nb is not None
    return out


def ally_endurance(result: Any) -> dict[str, float | None]:
    """Per ally: nights until a tenth of *its own* long- and medium-range fire units
    have run out (the campaign's endurance definition, one ally at a time; the
    campaign length when not reached; ``None`` for an ally without such units).

    The lower median over replications, as :meth:`CampaignResult.endurance`.
    """
    return {k: v[0] for k, v in ally_endurance_censored(result).items()}


def ally_endurance_censored(result: Any) -> dict[str, tuple[float | None, bool]]:
    """Per ally: :func:`ally_endurance` and whether it is censored (the campaign
    length because the ally's defence lasted the whole campaign):
    :meth:`gbad.campaign.result.CampaignResult.endurance` of its own fire units."""
    out: dict[str, tuple[float | None, bool]] = {}
    for a, iso in enumerate(result.areas):
        e = result.endurance(area=a)
        out[iso] = (e["nights"], bool(e["censored"]))
    return out
