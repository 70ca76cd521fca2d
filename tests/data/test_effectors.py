"""The effectors table: every system's kind of effector, and the counter-UAS rows' sources."""

from __future__ import annotations

import pandas as pd

from gbad.data_quality import flag_sources
from gbad.reference import load_reference, load_table

#: Systems and holdings added for the counter-UAS effectors; each systems and inventory
#: row cites a source with a URL (not only gbad's own estimate markers).
NEW_SYSTEMS = ("san", "merops", "sting", "frankenburg-mk1", "dragonfire", "skyctrl")


def test_every_system_has_exactly_one_effector_row() -> None:
    systems = load_table("systems")["system"]
    effectors = load_table("effectors")
    assert not effectors["system"].duplicated().any()
    assert sorted(effectors["system"]) == sorted(systems)


def test_only_electronic_warfare_rows_cover_sites_and_fire_no_round() -> None:
    ref = load_reference()
    eff = ref.effectors.set_index("system")
    ew = eff.index[eff["effector"] == "ew"]
    assert len(ew) >= 1
    assert (eff.loc[ew, "ew_sites_per_fu"] > 0).all()
    assert eff.loc[eff["effector"] != "ew", "ew_sites_per_fu"].isna().all()
    systems = ref.systems.set_index("system")
    # no round, no load, no price: the cost-exchange ratio never books an EW "interceptor"
    assert systems.loc[ew, "interceptor_cost_musd_mid"].isna().all()
    assert (
        not ref.imputed["key"].isin(ew).any()
        or not (
            ref.imputed.loc[ref.imputed["key"].isin(ew), "column"].str.startswith("interceptor")
        ).any()
    )
    load = systems.loc[ew, "launchers_per_fu"] * systems.loc[ew, "missiles_per_launcher"]
    assert (load == 0).all()
    assert (systems.loc[ew, "fire_unit_cost_musd_mid"] > 0).all()
    # an EW system's defeat probabilities are its envelope rows, each a probability
    env = ref.envelopes[ref.envelopes["system"].isin(ew)]
    assert set(env["system"]) == set(ew)
    assert env[["pk_low", "pk_mid", "pk_high"]].apply(lambda c: c.between(0, 1)).all().all()


def test_every_firing_effector_in_service_or_on_order_has_rounds_and_prices() -> None:
    ref = load_reference()
    inv = ref.inventory[ref.inventory["status"].isin(["in service", "on order"])]
    eff = ref.effectors.set_index("system")
    firing = [s for s in set(inv["system"]) if eff.loc[s, "effector"] != "ew"]
    systems = ref.systems.set_index("system").loc[sorted(firing)]
    for col in (
        "launchers_per_fu",
        "missiles_per_launcher",
        "fire_unit_cost_musd_mid",
        "interceptor_cost_musd_low",
        "interceptor_cost_musd_mid",
        "interceptor_cost_musd_high",
    ):
        assert (systems[col] > 0).all(), col
    lo, mid, hi = (systems[f"interceptor_cost_musd_{x}"] for x in ("low", "mid", "high"))
    assert ((lo <= mid) & (mid <= hi)).all()


def test_new_counter_uas_rows_cite_a_source_with_a_url_and_nothing_flagged() -> None:
    sources = load_table("sources").set_index("source_id")
    flagged = set(flag_sources(load_table("sources").reset_index(drop=True))["source_id"])
    frames = {
        "systems": load_table("systems"),
        "envelopes": load_table("envelopes"),
        "inventory": load_table("inventory"),
    }
    for name, frame in frames.items():
        rows = frame[frame["system"].isin(NEW_SYSTEMS)]
        assert len(rows) > 0, name
        for ids, basis in zip(rows["source_id"], rows["basis"], strict=True):
            cited = [i for i in ids.split(";") if i]
            assert not set(cited) & flagged, (name, ids)
            with_url = [i for i in cited if str(sources.loc[i, "url"]).startswith("http")]
            # an envelope that is a gbad estimate (a gun's Pk as Skynex) may cite gbad alone
            assert with_url or (name == "envelopes" and basis == "estimate"), (name, ids)


def test_manpads_of_italy_greece_turkiye_and_denmark_are_no_longer_unknown() -> None:
    inv = load_table("inventory")
    rows = inv[
        inv["iso3"].isin(["ITA", "GRC", "TUR", "DNK"])
        & (inv["tier"] == "very-short")
        & (inv["status"] == "in service")
    ]
    assert set(rows["iso3"]) == {"ITA", "GRC", "TUR", "DNK"}
    assert rows["count_known"].all()
    assert (rows["fire_units_high"] > 0).all()
    # estimates, so a band and a stated reason
    assert (rows["fire_units_low"] < rows["fire_units_high"]).all()
    assert (rows["basis"] == "estimate").all()
    assert rows["notes"].str.contains("ESTIMATE").all()


def test_counter_uas_orders_carry_delivery_years() -> None:
    inv = load_table("inventory")
    orders = inv[(inv["tier"] == "c-uas") & (inv["status"] == "on order")]
    assert len(orders) >= 3
    assert orders["delivery_year"].notna().all()
    assert pd.api.types.is_numeric_dtype(orders["delivery_year"])
