"""Weapon families of the Ukrainian Air Force's nightly reports.

A report row names a weapon ``model`` in free text ("Shahed-136/131", "X-101/X-555 and
Kalibr", "C-300/C-400", "Молнія"). :func:`family_of` maps it to a weapon family: a group
of weapons that meet the defence in the same way (same speed band, same flight profile,
same defending systems). Families are the level at which :mod:`gbad.engage.calibrate`
fits defeat rates, partially pooled towards their gbad threat class
(:func:`gbad.engage.calibrate.threat_class_of`).

The table :data:`FAMILIES` is the documentation: each family's keywords (matched,
lower case, as substrings of one component of the model string), its nominal class,
and whether it stands for the campaign's threat of that class (``campaign``). A model
string joining several weapons with " and " whose components fall in different
families is a mixed salvo, family ``mixed_<class>``. A string matching no keyword is
``other_<class>``; every model string of the embedded reports has a named family
(tested).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["FAMILIES", "Family", "family_info", "family_of", "family_table"]


@dataclass(frozen=True)
class Family:
    """One weapon family.

    Attributes
    ----------
    name : str
        Key used in model files.
    label : str
        Human-readable name.
    threat_class : str
        Nominal gbad threat class (``ballistic``, ``cruise``, ``drone``, ``glide``).
    keywords : tuple of str
        Lower-case substrings identifying one component of a model string.
    campaign : bool
        Whether the family stands for the campaign's threat of its class (long-range
        strike weapons); tactical, reconnaissance, anti-radiation and improvised uses
        (S-300/S-400 fired at the ground) are fitted but do not set the class's rate.
    note : str
        What the family holds and why.
    """

    name: str
    label: str
    threat_class: str
    keywords: tuple[str, ...]
    campaign: bool
    note: str


FAMILIES: tuple[Family, ...] = (
    Family(
        "decoy",
        "Decoy drones (Gerbera, Parodiya)",
        "drone",
        ("gerbera", "гербера", "parodiya", "пародія", "decoy", "imitat", "імітатор"),
        False,
        "Cheap look-alikes of the Shahed. The embedded reports do not list them on "
        "their own rows: from autumn 2024 the Shahed rows count them too.",
    ),
    Family(
        "shahed",
        "Shahed-136/131 (Geran-2/-1)",
        "drone",
        ("shahed", "geran", "герань", "шахед"),
        True,
        "Long-range one-way attack drones; includes decoys where the report does.",
    ),
    Family(
        "loitering",
        "Tactical loitering munitions (Lancet, KUB, Molniya)",
        "drone",
        ("lancet", "ланцет", "kub", "куб", "молнія", "molniya", "молния"),
        False,
        "Front-line strike drones, engaged by short-range means.",
    ),
    Family(
        "recon_uav",
        "Reconnaissance and MALE UAVs (Orlan, ZALA, Supercam, Merlin, Orion, Forpost)",
        "drone",
        (
            "reconnaissance",
            "orlan",
            "орлан",
            "zala",
            "supercam",
            "merlin",
            "orion",
            "forpost",
            "mohajer",
            "eleron",
            "granat",
            "картограф",
            "привет",
            "фенікс",
        ),
        False,
        "Surveillance drones: slow, mostly shot down, not raid weapons.",
    ),
    Family("unknown_uav", "Unidentified UAVs", "drone", ("unknown uav",), False, ""),
    Family(
        "kh101_kalibr",
        "Kh-101/Kh-555 and Kalibr",
        "cruise",
        ("x-101", "x-555", "kh-101", "kh-555", "х-101", "х-555", "kalibr", "калібр"),
        True,
        "Subsonic long-range land-attack cruise missiles (air- and sea-launched).",
    ),
    Family(
        "iskander_k",
        "Iskander-K (9M727/9M728)",
        "cruise",
        ("iskander-k",),
        True,
        "Ground-launched cruise missile.",
    ),
    Family(
        "kh59_69",
        "Kh-59/Kh-69",
        "cruise",
        ("x-59", "x-69", "kh-59", "kh-69"),
        True,
        "Air-launched tactical cruise missiles.",
    ),
    Family(
        "kh22_kh32",
        "Kh-22/Kh-32",
        "cruise",
        ("x-22", "x-32", "kh-22", "kh-32"),
        True,
        "Heavy supersonic cruise missiles in a steep terminal dive; rarely destroyed.",
    ),
    Family(
        "antiship",
        "Anti-ship missiles in ground attack (Kh-35, P-800 Oniks, 3M22 Zircon)",
        "cruise",
        ("x-35", "kh-35", "oniks", "zircon", "циркон"),
        True,
        "Sea-skimming or supersonic anti-ship missiles fired at coastal targets.",
    ),
    Family(
        "kh31",
        "Kh-31P/PD anti-radiation",
        "cruise",
        ("x-31", "kh-31"),
        False,
        "Anti-radiation missiles aimed at air-defence radars.",
    ),
    Family("unknown_missile", "Unidentified missiles", "cruise", ("unknown missile",), False, ""),
    Family(
        "iskander_m_kn23",
        "Iskander-M and KN-23",
        "ballistic",
        ("iskander-m", "kn-23"),
        True,
        "Short-range ballistic missiles; only Patriot (and SAMP/T) engage them.",
    ),
    Family(
        "s300_s400",
        "S-300/S-400 missiles in ground attack",
        "ballistic",
        ("c-300", "c-400", "s-300", "s-400", "с-300", "с-400"),
        False,
        "Surface-to-air missiles fired at ground targets on a quasi-ballistic path from "
        "close range; almost never destroyed (2 of 430).",
    ),
    Family(
        "ballistic_other",
        "Other or unidentified ballistic missiles (incl. the 2024 IRBM)",
        "ballistic",
        ("ballistic missile",),
        False,
        "",
    ),
    Family(
        "kinzhal",
        "Kh-47M2 Kinzhal",
        "glide",
        ("kinzhal", "кинджал"),
        True,
        "Air-launched aeroballistic missile (gbad class ``glide``).",
    ),
    Family(
        "guided_bomb",
        "Guided bombs (GBU, KAB)",
        "glide",
        ("gbu", "aerial bomb", "kab", "каб"),
        False,
        "Glide bombs released from aircraft near the front.",
    ),
)

_BY_NAME = {f.name: f for f in FAMILIES}


def _component_family(component: str) -> str | None:
    text = component.strip().lower()
    for family in FAMILIES:
        if any(k in text for k in family.keywords):
            return family.name
    return None


def family_of(model: str, threat_class: str) -> str:
    """Weapon family of a report's ``model`` string.

    Parameters
    ----------
    model : str
        The ``model`` cell of a report row.
    threat_class : str
        The row's gbad class (from :func:`gbad.engage.calibrate.threat_class_of`), used
        for mixed salvos and unmatched strings.

    Returns
    -------
    str
        A name from :data:`FAMILIES`, else ``mixed_<class>`` (components in different
        families) or ``other_<class>`` (a component matches no family).
    """
    parts = [_component_family(p) for p in str(model).split(" and ")]
    if any(p is None for p in parts):
        return f"other_{threat_class}"
    if len(set(parts)) == 1:
        return str(parts[0])
    return f"mixed_{threat_class}"


def family_info(name: str) -> Family | None:
    """The :class:`Family` called ``name`` (``None`` for ``mixed_*``/``other_*``)."""
    return _BY_NAME.get(name)


def family_table() -> list[dict[str, object]]:
    """:data:`FAMILIES` as rows (for the docs and ``gbad calibrate --json``)."""
    return [
        {
            "family": f.name,
            "label": f.label,
            "threat_class": f.threat_class,
            "keywords": list(f.keywords),
            "campaign": f.campaign,
            "note": f.note,
        }
        for f in FAMILIES
    ]
