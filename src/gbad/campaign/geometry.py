r"""Where raids go and which fire units can reach them: the campaign's geometry.

Threats of class :math:`c` fly along *axes* from launch areas
(``launch_areas.csv``) to defended assets (``assets.csv``). Asset :math:`i` draws
the share

.. math::
    w_{ic} = \frac{\sum_k s_{kc}\, \tilde w_{ik}}{\sum_k s_{kc}},\qquad
    \tilde w_{ik} \propto v_i \max\!\left(0,\ 1 - \frac{d(i, L_k)}{R_c}\right)
    [\text{owner}(i) \in T_k]

of the class's raid, with :math:`s_{kc}` the weight of axis :math:`k` in class
:math:`c`, :math:`v_i` the asset value, :math:`d(i, L_k)` its great-circle
distance to the axis's launch area, :math:`R_c` the class's mid range
(``threats.range_km_mid``) and :math:`T_k` the allies the axis aims at. Without
axes in the scenario, an asset's weight is its value times the reach from the
*nearest* launch area of the class (the exposure rule of
:func:`gbad.campaign.setup.threat_exposure`). A class no axis reaches is spread
by asset value.

Fire unit :math:`u` covers asset :math:`i` against class :math:`c` when the
asset lies within the unit's effective radius :math:`r_{s(u)c}`
(:func:`gbad.coverage.envelope.effective_radii`, the horizon-limited envelope
the coverage stage uses, same scenario settings), or, with
``campaign.engage_on_path`` and a class of :data:`PATH_CLASSES`, when the
threat's flight path (the great-circle segment from its launch area to the
asset, :func:`segment_distance_km`) passes within that radius. Targets (assets,
or (asset, launch area) pairs with path engagement) of one ally covered by the
same fire units for every class of a class group (missiles and aircraft; drones)
form one *defended cell*; the campaign engages each cell's threats with the units
covering it (:mod:`gbad.campaign.spatial`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from gbad.errors import GbadInputError
from gbad.scenario.sections import THREAT_CLASSES

__all__ = [
    "GEOMETRY_COLUMNS",
    "AssetGeometry",
    "asset_shares",
    "build_geometry",
    "missing_for_geometry",
    "national_values",
    "origin_shares",
    "path_classes",
    "segment_distance_km",
    "wave_minutes_from_reports",
]

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]

#: Classes a fire unit engages along their flight path, not only at the target:
#: drones, cruise missiles and aircraft fly low or medium through the envelopes
#: between launch area and target. Ballistic missiles and glide vehicles pass
#: over them in boost or midcourse (~50 km for the Iskander class,
#: ``threats.altitude_m_mid``), above the ceiling of the endo-atmospheric
#: systems; the exo-atmospheric tier's (Arrow 3) midcourse reach is what its
#: ballistic radius already stands for, counted at the target. Both are engaged
#: at the target asset only.
PATH_CLASSES: frozenset[str] = frozenset({"drone", "cruise", "aircraft"})

#: Mean earth radius [km] (as :mod:`gbad.coverage.geodesy`).
EARTH_RADIUS_KM = 6371.0088

#: Percentile of the reported attack windows behind each ``campaign.wave_level``.
WAVE_PERCENTILES: dict[str, float] = {"low": 25.0, "mid": 50.0, "high": 75.0}


def _fires(launch: pd.DataFrame, cls: str) -> npt.NDArray[np.bool_]:
    lists = launch["threat_classes"].astype(str).str.split(";")
    return np.array([cls in [x.strip() for x in xs] for xs in lists], dtype=bool)


def national_values(assets: pd.DataFrame, countries: pd.DataFrame | None) -> F64:
    r"""Asset values scaled so each ally's assets weigh its national population.

    .. math:: v'_i = v_i\, \frac{P_a}{\sum_{j \in a} v_j}

    with :math:`v_i` the asset value (city population in millions), :math:`P_a`
    the ally's population (``countries.population_m``). City populations count
    different things from country to country (GeoNames gives Türkiye's
    metropolitan municipalities, whole provinces, and France's communes, city
    proper: Türkiye's cities of 100,000 or more sum to 66 % of its population,
    France's to 15 %); scaled, an ally draws the raid by its population and its
    assets' reach, and its cities share that by their populations. An ally
    without a population, or whose assets sum to zero, keeps its values.
    """
    value = pd.to_numeric(assets["value"], errors="coerce").fillna(0.0).to_numpy(float)
    if countries is None or "population_m" not in countries.columns:
        return value
    pop = pd.to_numeric(countries.set_index("iso3")["population_m"], errors="coerce")
    iso = assets["iso3"].astype(str)
    total = pd.Series(value).groupby(iso.to_numpy()).transform("sum").to_numpy(float)
    target = iso.map(pop).to_numpy(float)
    ok = np.isfinite(target) & (target > 0) & (total > 0)
    scale = np.divide(target, total, out=np.ones_like(total), where=ok)
    return np.asarray(value * scale, dtype=np.float64)


def asset_shares(
    assets: pd.DataFrame,
    launch: pd.DataFrame | None,
    threats: pd.DataFrame | None,
    axes: Sequence[Any] = (),
) -> F64:
    """Share of each class's raid aimed at each asset, ``(M, C)``, columns sum to 1.

    See the module docstring. ``axes`` are :class:`gbad.scenario.sections.AxisSpec`
    (``launch_area``, ``classes``, ``toward``).
    """
    return _shares(assets, launch, threats, axes)[0]


def origin_shares(
    assets: pd.DataFrame,
    launch: pd.DataFrame | None,
    threats: pd.DataFrame | None,
    axes: Sequence[Any] = (),
) -> tuple[F64, F64]:
    """Asset shares ``(M, C)`` (:func:`asset_shares`) and where they fly from.

    The second array, ``(L + 1, M, C)``, is the fraction of asset ``m``'s share
    of class ``c`` launched from launch area ``l`` (rows of ``launch``); row
    ``L`` holds what has no launch area (a class no axis or area reaches, spread
    by value). Fractions sum to one over the first axis wherever the share is
    positive. Without axes an asset's threats of a class come from its nearest
    launch area of the class; with axes, from each axis's launch area in
    proportion to its term of the module docstring's sum.
    """
    return _shares(assets, launch, threats, axes)


def _shares(
    assets: pd.DataFrame,
    launch: pd.DataFrame | None,
    threats: pd.DataFrame | None,
    axes: Sequence[Any] = (),
) -> tuple[F64, F64]:
    from gbad.coverage.geodesy import pairwise_haversine_km

    n_m, n_c = len(assets), len(THREAT_CLASSES)
    value = assets["value"].astype(float).fillna(0.0).to_numpy()
    out = np.zeros((n_m, n_c))
    n_l = 0 if launch is None else len(launch)
    origin = np.zeros((n_l + 1, n_m, n_c))
    if n_m == 0:
        return out, origin
    owner = assets["iso3"].astype(str).to_numpy()
    lat, lon = assets["lat"].to_numpy(float), assets["lon"].to_numpy(float)
    ids = [] if launch is None else [str(x) for x in launch["area_id"]]
    for i, axis in enumerate(axes):
        if axis.launch_area not in ids:
            raise GbadInputError(
                f"threat.axes.{i}.launch_area", f"unknown launch area {axis.launch_area!r}"
            )
        for iso in axis.toward:
            if iso not in set(owner):
                raise GbadInputError(f"threat.axes.{i}.toward", f"no defended asset of {iso!r}")
    for j, c in enumerate(THREAT_CLASSES):
        weights = np.zeros(n_m)
        part = np.zeros((n_l + 1, n_m))
        range_km = math.nan
        if threats is not None:
            row = threats[threats["threat_class"] == c]
            if not row.empty:
                range_km = float(row.iloc[0].get("range_km_mid", math.nan))
        reachable = math.isfinite(range_km) and range_km > 0 and launch is not None
        firing = [
            (a, float(a.classes.get(c, 0.0)) if a.classes else 1.0)
            for a in axes
            if launch is not None
            and (c in a.classes if a.classes else bool(_fires(launch, c)[ids.index(a.launch_area)]))
        ]
        firing = [(a, s) for a, s in firing if s > 0]
        if reachable and firing:
            assert launch is not None
            total = 0.0
            for axis, s in firing:
                site = launch.iloc[ids.index(axis.launch_area)]
                d = pairwise_haversine_km(
                    lat, lon, np.array([site["lat"]]), np.array([site["lon"]])
                )
                w = value * np.clip(1.0 - d[:, 0] / range_km, 0.0, None)
                if axis.toward:
                    w = w * np.isin(owner, list(axis.toward))
                if w.sum() > 0:
                    weights += s * w / w.sum()
                    part[ids.index(axis.launch_area)] += s * w / w.sum()
                    total += s
            if total > 0:
                weights /= total
        elif reachable and not axes:
            assert launch is not None
            fires = np.flatnonzero(_fires(launch, c))
            if fires.size:
                d_all = pairwise_haversine_km(
                    lat,
                    lon,
                    launch["lat"].to_numpy(float)[fires],
                    launch["lon"].to_numpy(float)[fires],
                )
                d = d_all.min(axis=1)
                weights = value * np.clip(1.0 - d / range_km, 0.0, None)
                part[fires[np.argmin(d_all, axis=1)], np.arange(n_m)] = weights
        if weights.sum() <= 0:
            weights = np.asarray(value if value.sum() > 0 else np.ones(n_m), dtype=float)
            part[:] = 0.0
            part[n_l] = weights
        out[:, j] = weights / weights.sum()
        held = part.sum(axis=0)
        origin[:, :, j] = np.divide(part, held[None], out=np.zeros_like(part), where=held > 0)
        origin[n_l, held <= 0, j] = 1.0
    return out, origin


def path_classes() -> npt.NDArray[np.bool_]:
    """``(C,)``: the class is engaged along its flight path (:data:`PATH_CLASSES`)."""
    return np.array([c in PATH_CLASSES for c in THREAT_CLASSES], dtype=bool)


def _bearing(lat1: F64, lon1: F64, lat2: F64, lon2: F64) -> F64:
    """Initial great-circle bearing [rad] from point 1 to point 2 (inputs in radians)."""
    y = np.sin(lon2 - lon1) * np.cos(lat2)
    x = np.cos(lat1) * np.sin(lat2) - np.sin(lat1) * np.cos(lat2) * np.cos(lon2 - lon1)
    return np.asarray(np.arctan2(y, x), dtype=np.float64)


def _central_angle(lat1: F64, lon1: F64, lat2: F64, lon2: F64) -> F64:
    """Haversine central angle [rad] (inputs in radians)."""
    h = (
        np.sin((lat2 - lat1) / 2.0) ** 2
        + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2.0) ** 2
    )
    return np.asarray(2.0 * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0))), dtype=np.float64)


def segment_distance_km(  # noqa: PLR0917 - two segment ends and a point
    lat1_deg: npt.ArrayLike,
    lon1_deg: npt.ArrayLike,
    lat2_deg: npt.ArrayLike,
    lon2_deg: npt.ArrayLike,
    lat3_deg: npt.ArrayLike,
    lon3_deg: npt.ArrayLike,
) -> F64:
    r"""Great-circle distance [km] from point 3 to the great-circle segment 1→2.

    With :math:`\delta_{13}` the angular distance and :math:`\theta_{13},
    \theta_{12}` the initial bearings from point 1, the cross-track and
    along-track angles are (Williams, *Aviation Formulary*, "Cross track
    error"; Veness, *Calculate distance, bearing and more between
    latitude/longitude points*, "Cross-track distance")

    .. math::
        \delta_{xt} = \arcsin(\sin\delta_{13}\,\sin(\theta_{13}-\theta_{12})),
        \qquad
        \delta_{at} = \operatorname{atan2}(\sin\delta_{13}\cos(\theta_{13}-\theta_{12}),
        \ \cos\delta_{13})

    (the second from Napier's rule :math:`\tan\delta_{at} = \tan\delta_{13}
    \cos(\theta_{13}-\theta_{12})`, signed: negative behind point 1). The
    distance to the segment is :math:`R|\delta_{xt}|` when the foot of the
    perpendicular lies on it (:math:`0 \le \delta_{at} \le \delta_{12}`), else the
    distance to the nearer end. Mean earth radius :math:`R` = 6371.0088 km.
    Inputs broadcast against each other (degrees).
    """
    lat1, lon1, lat2, lon2, lat3, lon3 = (
        np.radians(np.asarray(x, dtype=float))
        for x in (lat1_deg, lon1_deg, lat2_deg, lon2_deg, lat3_deg, lon3_deg)
    )
    d13 = _central_angle(lat1, lon1, lat3, lon3)
    d12 = _central_angle(lat1, lon1, lat2, lon2)
    d23 = _central_angle(lat2, lon2, lat3, lon3)
    dtheta = _bearing(lat1, lon1, lat3, lon3) - _bearing(lat1, lon1, lat2, lon2)
    xt = np.abs(np.arcsin(np.clip(np.sin(d13) * np.sin(dtheta), -1.0, 1.0)))
    at = np.arctan2(np.sin(d13) * np.cos(dtheta), np.cos(d13))
    inside = (at >= 0.0) & (at <= d12)
    out = np.where(inside, xt, np.minimum(d13, d23))
    return np.asarray(out * EARTH_RADIUS_KM, dtype=np.float64)


def wave_minutes_from_reports(attacks: pd.DataFrame | None, level: str = "mid") -> F64:
    """Wave duration per class [min] from the attack windows of the nightly reports.

    The window of a report is ``time_end - time_start`` for the reports of 2025
    that give both as clock times; the duration of a class's wave is the
    ``level``'s percentile (:data:`WAVE_PERCENTILES`) of its reports' windows. A
    class with no timed report (aircraft) takes the median over all classes'
    reports. The reports give one window per night and class, not the waves
    within it: one wave per night is what they show directly.
    """
    from gbad.campaign.presets import threat_class_of

    q = WAVE_PERCENTILES[level]
    out = np.full(len(THREAT_CLASSES), math.nan)
    if attacks is None or not {"time_start", "time_end", "model", "weapon_class"} <= set(
        attacks.columns
    ):
        raise GbadInputError("campaign.waves", "the attacks table lacks timed reports")
    start = attacks["time_start"].astype(str)
    end = attacks["time_end"].astype(str)
    timed = (
        (start.str.len() > 10)
        & (end.str.len() > 10)
        & attacks["date"].astype(str).str.startswith("2025")
    )
    rows = attacks[timed]
    minutes = (
        pd.to_datetime(rows["time_end"], format="mixed")
        - pd.to_datetime(rows["time_start"], format="mixed")
    ).dt.total_seconds().to_numpy() / 60.0
    cls = np.array(
        [
            threat_class_of(str(m), str(w))
            for m, w in zip(rows["model"], rows["weapon_class"], strict=True)
        ],
        dtype=object,
    )
    ok = minutes > 0
    for j, c in enumerate(THREAT_CLASSES):
        sel = ok & (cls == c)
        if sel.any():
            out[j] = float(np.percentile(minutes[sel], q))
    fallback = float(np.percentile(minutes[ok], q)) if ok.any() else 360.0
    return np.where(np.isfinite(out), out, fallback)


#: Columns a spatial campaign reads, per reference table.
GEOMETRY_COLUMNS: dict[str, tuple[str, ...]] = {
    "assets": ("asset_id", "iso3", "kind", "lat", "lon", "value"),
    "envelopes": ("system", "threat_class", "range_km"),
    "systems": ("system", "radar_range_km", "reaction_time_s"),
    "threats": ("threat_class", "speed_mps_mid", "altitude_m_mid"),
}


def missing_for_geometry(ref: Any) -> list[str]:
    """``table.column`` entries a spatial campaign needs and the reference lacks."""
    out = []
    for table, columns in GEOMETRY_COLUMNS.items():
        frame = getattr(ref, table, None)
        if not isinstance(frame, pd.DataFrame) or frame.empty:
            out.append(table)
            continue
        out.extend(f"{table}.{c}" for c in columns if c not in frame.columns)
    return out


@dataclass(frozen=True, eq=False)
class AssetGeometry:
    """Defended assets, where the raid goes, and where each ally's fire units stand.

    Attributes
    ----------
    asset_area : (M,) int array
        Area (ally) index of each asset.
    asset_kind : (M,) int array
        Index into ``kinds``.
    kinds : tuple of str
        Asset kinds (``assets.kind``).
    asset_share : (M, C) float array
        Share of each class's raid aimed at each asset (:func:`asset_shares`).
    lat, lon : (M,) float arrays
    radius_km : (S, C) float array
        Effective engagement radius of each system (0: cannot engage).
    sites : dict
        ``{(area, system): (lat, lon)}`` positions of the placed fire units, in
        placement order; the first ``fire_units[area, system]`` stand. Units
        beyond the placed ones (or all of them, when none were placed) stand at
        the ally's assets chosen by :meth:`surplus_sites`: where the raid the
        system can engage is least covered by that system.
    rank : dict
        ``{area: asset indices}`` in placement rank order.
    defend_neighbours : bool
        Coalition members' units engage threats at other members' assets.
    members : (A,) bool array
        The coalition.
    origin : (L + 1, M, C) float array
        Fraction of each asset's share of each class launched from each launch
        area (:func:`origin_shares`; row ``L``: no known launch area).
    launch_lat, launch_lon : (L,) float arrays
        Launch areas.
    engage_on_path : bool
        Units also engage threats of the :data:`PATH_CLASSES` whose flight path
        (the great-circle segment from launch area to asset) passes inside their
        radius for the class, not only those whose target asset lies inside it.
    """

    asset_area: I64
    asset_kind: I64
    kinds: tuple[str, ...]
    asset_share: F64
    lat: F64
    lon: F64
    radius_km: F64
    sites: dict[tuple[int, int], tuple[F64, F64]]
    rank: dict[int, I64]
    defend_neighbours: bool = False
    members: npt.NDArray[np.bool_] = field(default_factory=lambda: np.zeros(0, dtype=bool))
    origin: F64 = field(default_factory=lambda: np.zeros((1, 0, len(THREAT_CLASSES))))
    launch_lat: F64 = field(default_factory=lambda: np.zeros(0))
    launch_lon: F64 = field(default_factory=lambda: np.zeros(0))
    engage_on_path: bool = False
    #: Defended cells already built on this geometry (:func:`gbad.campaign.spatial.build_cells`).
    cells_cache: dict[bytes, Any] = field(default_factory=dict, repr=False)
    #: Sites of units beyond the placed ones, per (area, system, units).
    surplus_cache: dict[tuple[int, int, int], I64] = field(default_factory=dict, repr=False)

    def _on_path(self) -> bool:
        return bool(self.engage_on_path) and self.origin.shape[1] == self.lat.size

    def pairs(self) -> tuple[I64, I64, F64]:
        """Engagement items' targets: asset, launch area and share ``(P, C)`` of each.

        With path engagement, one pair per asset and launch area its threats
        come from (asset order, then launch area; an asset with no share keeps
        one pair of no launch area, index ``L``); otherwise one per asset. The
        pairs' shares sum to the assets' shares.
        """
        n_m = self.lat.size
        n_l = self.launch_lat.size
        if not self._on_path():
            return np.arange(n_m, dtype=np.int64), np.full(n_m, n_l, np.int64), self.asset_share
        part = self.origin * self.asset_share[None]  # (L + 1, M, C)
        held = part.sum(axis=2) > 0
        held[n_l, ~held.any(axis=0)] = True
        m_idx, l_idx = np.nonzero(held.T)
        return (
            m_idx.astype(np.int64),
            l_idx.astype(np.int64),
            np.asarray(part[l_idx, m_idx], dtype=np.float64),
        )

    def for_area(self, area: int, exposure: F64) -> AssetGeometry:
        """Area ``area``'s assets and fire units alone, as area 0; each class's
        shares divided by the area's ``exposure`` so they sum to one (the raid
        aimed at the area is the whole raid of the one-area campaign)."""
        idx = np.flatnonzero(self.asset_area == area)
        local = {int(g): i for i, g in enumerate(idx.tolist())}
        scale = np.where(exposure > 0, exposure, 1.0)
        return AssetGeometry(
            asset_area=np.zeros(idx.size, dtype=np.int64),
            asset_kind=self.asset_kind[idx],
            kinds=self.kinds,
            asset_share=self.asset_share[idx] / scale[None, :],
            lat=self.lat[idx],
            lon=self.lon[idx],
            radius_km=self.radius_km,
            sites={(0, j): v for (a, j), v in self.sites.items() if a == area},
            rank={
                0: np.array(
                    [local[int(g)] for g in self.rank.get(area, idx).tolist()], dtype=np.int64
                )
            },
            origin=self.origin[:, idx] if self._on_path() else self.origin,
            launch_lat=self.launch_lat,
            launch_lon=self.launch_lon,
            engage_on_path=self.engage_on_path,
        )

    def surplus_sites(self, area: int, system: int, n: int) -> I64:
        r"""Asset indices where ``n`` units of ``system`` beyond the placed ones stand.

        Each unit in turn stands at the ally's asset :math:`i` maximising the
        raid share it newly covers,

        .. math::
            g_i = \sum_c \sum_{i' : d(i, i') \le r_{jc},\ n_{i'c} = 0} \hat w_{i'c},

        with :math:`\hat w_{i'c}` the asset's share of the ally's raid of class
        :math:`c` (each class summing to one over the ally's assets, so the choice
        is the same in the whole campaign and in the ally's own,
        :meth:`for_area`), :math:`r_{jc}` the system's effective radius and
        :math:`n_{i'c}` the units of the system (placed, then these) covering
        the asset against the class: the greedy of the maximal covering
        location problem (Church & ReVelle 1974). Once every asset the raid
        aims at is covered, units stack where :math:`\sum_c \sum_{i'} \hat
        w_{i'c} / (1 + n_{i'c})` is largest, the most attacked assets. Ties go
        to placement rank; with no raid it engages at the ally, units go to its
        assets in rank order.
        """
        key = (int(area), int(system), int(n))
        hit = self.surplus_cache.get(key)
        if hit is not None:
            return hit
        from gbad.coverage.geodesy import pairwise_haversine_km

        idx = self.rank.get(int(area), np.flatnonzero(self.asset_area == area))
        out = np.zeros(0, dtype=np.int64)
        if idx.size and n > 0:
            r = self.radius_km[system]
            engaged = np.flatnonzero(r > 0)
            share = self.asset_share[np.ix_(idx, engaged)]
            total = share.sum(axis=0)
            share = np.where(total > 0, share / np.where(total > 0, total, 1.0), 0.0)
            d = pairwise_haversine_km(self.lat[idx], self.lon[idx], self.lat[idx], self.lon[idx])
            within = (d[None, :, :] <= r[engaged][:, None, None]).astype(float)  # (c, i, i')
            site = self.sites.get((int(area), int(system)))
            count = np.zeros((engaged.size, idx.size))
            if site is not None and len(site[0]):
                ds = pairwise_haversine_km(site[0], site[1], self.lat[idx], self.lon[idx])
                count += (ds[None, :, :] <= r[engaged][:, None, None]).sum(axis=1)
            picks: list[int] = []
            for _ in range(int(n)):
                gain = np.einsum("cij,cj->i", within, share.T * (count == 0))
                if gain.max() <= 0:  # every asset covered: stack where the raid is heaviest
                    gain = np.einsum("cij,cj->i", within, share.T / (1.0 + count))
                # No raid the system engages here: the ally's assets in rank order.
                best = (
                    int(np.argmax(np.round(gain, 12))) if gain.max() > 0 else len(picks) % idx.size
                )
                picks.append(best)
                count += within[:, best, :]
            out = idx[np.array(picks, dtype=np.int64)]
        if len(self.surplus_cache) >= 4096:
            self.surplus_cache.clear()
        self.surplus_cache[key] = out
        return out

    def standing(self, fire_units: I64) -> dict[tuple[int, int], tuple[F64, F64]]:
        """Positions of the standing units of each (ally, system), placed ones first.

        The first ``fire_units[a, j]`` placed units of ally ``a`` and system
        ``j``, then the units beyond them at :meth:`surplus_sites`, in standing
        order (one position per unit; (ally, system) pairs with no position left out).
        """
        out: dict[tuple[int, int], tuple[F64, F64]] = {}
        for a, j in zip(*np.nonzero(fire_units > 0), strict=True):
            n = int(fire_units[a, j])
            site = self.sites.get((int(a), int(j)))
            placed = 0 if site is None else min(n, len(site[0]))
            lat = np.zeros(0) if site is None else np.asarray(site[0][:placed], dtype=float)
            lon = np.zeros(0) if site is None else np.asarray(site[1][:placed], dtype=float)
            if n > placed:
                more = self.surplus_sites(int(a), int(j), n - placed)
                lat = np.concatenate([lat, self.lat[more]])
                lon = np.concatenate([lon, self.lon[more]])
            if lat.size:
                out[(int(a), int(j))] = (lat, lon)
        return out

    def unit_groups(self, fire_units: I64) -> tuple[I64, I64, I64, F64, F64]:
        """Standing fire units grouped by ally, system and position.

        Returns ally, system, units, latitude and longitude of each group: the
        positions of :meth:`standing`, units at one position counted together.
        """
        areas: list[int] = []
        systems: list[int] = []
        counts: list[int] = []
        lats: list[float] = []
        lons: list[float] = []
        for (a, j), (lat, lon) in self.standing(fire_units).items():
            pos = np.round(np.column_stack([lat, lon]), 6)
            uniq, per = np.unique(pos, axis=0, return_counts=True)
            areas.extend([a] * len(uniq))
            systems.extend([j] * len(uniq))
            counts.extend(per.tolist())
            lats.extend(uniq[:, 0].tolist())
            lons.extend(uniq[:, 1].tolist())
        return (
            np.array(areas, dtype=np.int64),
            np.array(systems, dtype=np.int64),
            np.array(counts, dtype=np.int64),
            np.array(lats, dtype=float),
            np.array(lons, dtype=float),
        )

    def cover(self, fire_units: I64) -> tuple[I64, I64, I64, npt.NDArray[np.bool_]]:
        """Unit groups (:meth:`unit_groups`: ally, system, units) and ``(C, P, G)``:
        the group's units can engage the class's threats aimed at pair ``p``
        (:meth:`pairs`): the target asset lies within the unit's radius for the
        class or, for a :data:`PATH_CLASSES` class with path engagement, the
        flight path from the pair's launch area does
        (:func:`segment_distance_km`)."""
        from gbad.coverage.geodesy import pairwise_haversine_km

        p_asset, p_origin, _ = self.pairs()
        g_area, g_sys, g_n, g_lat, g_lon = self.unit_groups(fire_units)
        if g_area.size == 0:
            return g_area, g_sys, g_n, np.zeros((len(THREAT_CLASSES), p_asset.size, 0), bool)
        pos = np.column_stack([g_lat, g_lon])
        uniq, inverse = np.unique(pos, axis=0, return_inverse=True)
        inv = inverse.ravel()
        d = pairwise_haversine_km(self.lat, self.lon, uniq[:, 0], uniq[:, 1])[:, inv]
        r = self.radius_km[g_sys]  # (G, C)
        cov = (d[None, p_asset, :] <= r.T[:, None, :]) & (r.T[:, None, :] > 0)
        n_l = self.launch_lat.size
        flown = p_origin < n_l
        if self._on_path() and flown.any():
            pa, po = p_asset[flown], p_origin[flown]
            # Distinct (asset, launch area) segments against distinct positions.
            seg = segment_distance_km(
                self.launch_lat[po][:, None],
                self.launch_lon[po][:, None],
                self.lat[pa][:, None],
                self.lon[pa][:, None],
                uniq[None, :, 0],
                uniq[None, :, 1],
            )[:, inv]
            rows = np.flatnonzero(flown)
            for k in np.flatnonzero(path_classes()).tolist():
                hit = (seg <= r[:, k][None, :]) & (r[:, k][None, :] > 0)
                cov[k, rows] |= hit
        return g_area, g_sys, g_n, cov


def build_geometry(  # noqa: PLR0917 - reference, scenario and the campaign's indices
    ref: Any,
    scenario: Any,
    areas: Sequence[str],
    systems: Sequence[str],
    fire_units_table: pd.DataFrame | None,
    members: Sequence[str] = (),
) -> AssetGeometry | None:
    """The geometry of a campaign, or ``None`` when the reference lacks what it needs.

    Needs assets (``iso3, asset_id, kind, lat, lon, value``), engagement ranges
    (``envelopes.range_km``), radar data (``systems.radar_range_km,
    reaction_time_s``) and threat flight data (``threats.speed_mps_mid,
    altitude_m_mid``); :func:`missing_for_geometry` names what is missing.
    """
    from gbad.coverage.envelope import scenario_radii

    if missing_for_geometry(ref):
        return None
    assets = ref.assets
    assets = assets[assets["iso3"].isin(list(areas))].reset_index(drop=True)
    if assets.empty:
        return None
    launch = getattr(ref, "launch_areas", None)
    launch = launch if isinstance(launch, pd.DataFrame) and not launch.empty else None
    threats = getattr(ref, "threats", None)
    valued = assets
    if scenario.threat.asset_value == "national":
        valued = assets.assign(value=national_values(assets, getattr(ref, "countries", None)))
    shares, origin = origin_shares(
        valued,
        launch,
        threats if isinstance(threats, pd.DataFrame) else None,
        scenario.threat.axes,
    )
    radii = scenario_radii(ref, scenario)
    radius = np.zeros((len(systems), len(THREAT_CLASSES)))
    index = {s: j for j, s in enumerate(systems)}
    for s, c, r in zip(
        radii["system"], radii["threat_class"], radii["effective_radius_km"], strict=True
    ):
        if s in index and c in THREAT_CLASSES and math.isfinite(float(r)):
            radius[index[s], THREAT_CLASSES.index(c)] = max(float(r), 0.0)
    area_index = {a: i for i, a in enumerate(areas)}
    asset_area = np.array([area_index[a] for a in assets["iso3"]], dtype=np.int64)
    kinds = tuple(sorted({str(k) for k in assets["kind"]}))
    asset_kind = np.array([kinds.index(str(k)) for k in assets["kind"]], dtype=np.int64)
    # Placement rank (gbad.coverage.placement.rank_assets): capital, value, asset_id.
    rank: dict[int, I64] = {}
    order = np.lexsort(
        (
            assets["asset_id"].astype(str).to_numpy(),
            -pd.to_numeric(assets["value"], errors="coerce").fillna(0.0).to_numpy(),
            (assets["kind"] != "capital").to_numpy(int),
            asset_area,
        )
    )
    for a in np.unique(asset_area).tolist():
        rank[int(a)] = order[asset_area[order] == a].astype(np.int64)
    sites: dict[tuple[int, int], tuple[F64, F64]] = {}
    if fire_units_table is not None and len(fire_units_table):
        for key, grp in fire_units_table.groupby(["iso3", "system"], sort=False):
            iso, s = (str(x) for x in key)
            if iso in area_index and s in index:
                sites[(area_index[iso], index[s])] = (
                    grp["lat"].to_numpy(float),
                    grp["lon"].to_numpy(float),
                )
    return AssetGeometry(
        asset_area=asset_area,
        asset_kind=asset_kind,
        kinds=kinds,
        asset_share=shares,
        lat=assets["lat"].to_numpy(float),
        lon=assets["lon"].to_numpy(float),
        radius_km=radius,
        sites=sites,
        rank=rank,
        defend_neighbours=bool(scenario.campaign.defend_neighbours),
        members=np.array([a in set(members) for a in areas], dtype=bool),
        origin=origin,
        launch_lat=np.zeros(0) if launch is None else launch["lat"].to_numpy(float),
        launch_lon=np.zeros(0) if launch is None else launch["lon"].to_numpy(float),
        engage_on_path=bool(scenario.campaign.engage_on_path),
    )
