"""Weapon families: every model string of the embedded reports has a named family."""

from __future__ import annotations

import pytest

from gbad.engage.calibrate import threat_class_of
from gbad.engage.families import FAMILIES, family_info, family_of, family_table
from gbad.reference import load_table


def test_every_embedded_model_string_has_a_named_family() -> None:
    """No report row falls to ``other_<class>``; single-weapon families agree with the
    class rule (mixed salvos take the row's class)."""
    frame = load_table("attacks")
    pairs = frame[["model", "weapon_class"]].drop_duplicates()
    unmatched = []
    for model, weapon_class in pairs.itertuples(index=False):
        cls = threat_class_of(model, weapon_class)
        fam = family_of(model, cls)
        if fam.startswith("other_"):
            unmatched.append(model)
            continue
        info = family_info(fam)
        if info is not None:
            assert info.threat_class == cls, (model, fam, cls)
        else:
            assert fam == f"mixed_{cls}", (model, fam)
    assert unmatched == []
    assert len(pairs) >= 60


@pytest.mark.parametrize(
    ("model", "cls", "family"),
    [
        ("Shahed-136/131", "drone", "shahed"),
        ("Gerbera", "drone", "decoy"),
        ("X-101/X-555 and Kalibr", "cruise", "kh101_kalibr"),
        ("X-22 and X-32", "cruise", "kh22_kh32"),
        ("X-59/X-69", "cruise", "kh59_69"),
        ("Iskander-M/KN-23", "ballistic", "iskander_m_kn23"),
        ("C-300/C-400", "ballistic", "s300_s400"),
        ("X-47 Kinzhal", "glide", "kinzhal"),
        ("Iskander-K", "cruise", "iskander_k"),
        ("Молнія", "drone", "loitering"),
        ("Orlan-10 and ZALA and Supercam", "drone", "recon_uav"),
        ("X-101/X-555 and Kalibr and X-59/X-69", "cruise", "mixed_cruise"),
        ("C-300/C-400 and Iskander-M", "ballistic", "mixed_ballistic"),
        ("Brand-new drone", "drone", "other_drone"),
    ],
)
def test_family_examples(model, cls, family) -> None:
    assert family_of(model, cls) == family


def test_family_table_is_complete_and_unique() -> None:
    rows = family_table()
    names = [r["family"] for r in rows]
    assert len(names) == len(set(names)) == len(FAMILIES)
    assert {r["threat_class"] for r in rows} == {"ballistic", "cruise", "drone", "glide"}
    # every class the campaign uses has at least one campaign family
    assert {r["threat_class"] for r in rows if r["campaign"]} == {
        "ballistic",
        "cruise",
        "drone",
        "glide",
    }
