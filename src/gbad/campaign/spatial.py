r"""Spatial engagement: each defended cell's threats meet the fire units covering it.

With an :class:`gbad.campaign.geometry.AssetGeometry` in the campaign set-up, a
night's raid on an ally (drawn and spread over the allies as in the pooled
campaign) is split over the ally's *defended cells*, the groups of its assets
covered by the same fire units for every class of a class group (missiles and
aircraft; drones): multinomially in proportion to the raid aimed at each cell
(largest remainders for fixed raids). With ``campaign.engage_on_path`` a cell
groups (asset, launch area) pairs instead of assets, since the units that can
engage a drone, cruise missile or aircraft also depend on the path it flies
(:meth:`gbad.campaign.geometry.AssetGeometry.cover`). Each (cell, class group) is one item of the
batch engagement kernel (:mod:`gbad.engage.batch`) or of the mean-field model,
met by the units covering the cell, which draw on their ally's national stock of
their interceptor type; a cell no unit covers lets every threat through.

**Channels.** A fire unit covering several cells has its fire channels and ready
rounds split over them in proportion to the threats expected there (the raid's
mean, :math:`E_k = \sum_{c} \bar n_c\, w_{kc}`), rounded to whole channels with at
least one per covered cell. A unit covering more cells than it has channels is
therefore counted more than once (an upper bound on its rate of fire); its stock
is never double-counted (one national pool). With every unit covering every
asset each ally has one cell and the split is exact: the spatial campaign is then
the pooled one, draw for draw.

**Defending neighbours.** With ``campaign.defend_neighbours`` and a coalition, the
threats that leak through an ally's own defence of a cell meet, in a second pass
after every ally's own engagements of the night, the fire units of *other*
members covering the cell's assets. A helper fires only stock it can spare: its
stock beyond its bound on need for every remaining night
(:func:`gbad.campaign.sharing.need_bound`, the rule that limits stock sharing), so
for fixed raids its own defence is never weakened and the second pass can only
remove leakers. The helper's channels in that pass are split over the cells it
helps as above, in addition to those of its own cells (an approximation: the two
passes are in truth simultaneous).

**Waves.** With ``setup.waves = W > 0`` a night's threats come in ``W`` waves
starting every ``raid_duration_s / W``; a threat of class :math:`c` arrives
uniformly within its wave's duration :math:`d_c` (``setup.wave_s``), each wave
equally likely. Without waves arrivals are uniform over ``raid_duration_s``.
"""

from __future__ import annotations

from copy import copy as _copy
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from gbad.scenario.sections import THREAT_CLASSES, TIERS

if TYPE_CHECKING:
    from gbad.campaign.geometry import AssetGeometry
    from gbad.campaign.setup import CampaignSetup

__all__ = [
    "Cell",
    "SpatialEngine",
    "arrival_times",
    "build_cells",
    "effective_duration_s",
    "spare_stock",
]

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]

#: Classes engaged cheapest interceptor first (as :data:`gbad.campaign.model.CHEAPEST_FIRST`).
_CHEAPEST: tuple[str, ...] = ("drone",)
#: Class indices of each group: missiles and aircraft first, then drones.
GROUPS: tuple[tuple[int, ...], tuple[int, ...]] = (
    tuple(k for k, c in enumerate(THREAT_CLASSES) if c not in _CHEAPEST),
    tuple(k for k, c in enumerate(THREAT_CLASSES) if c in _CHEAPEST),
)

#: One entry of a cell's defence: (ally, system, effective units, engages class (C,)).
Entry = tuple[int, int, float, npt.NDArray[np.bool_]]


@dataclass
class Cell:
    """Targets of one ally covered by the same fire units for one class group.

    ``assets`` indexes the geometry's pairs (:meth:`AssetGeometry.pairs`): assets,
    or (asset, launch area) pairs with path engagement.
    """

    area: int
    group: int
    assets: I64
    share: F64
    within: F64
    kinds: F64
    units: list[Entry] = field(default_factory=list)
    helpers: list[tuple[F64, F64, list[Entry]]] = field(default_factory=list)


def _entries(  # noqa: PLR0917 - internal
    keys: dict[int, list[tuple[int, ...]]],
    weight: dict[int, float],
    u_area: I64,
    u_sys: I64,
    u_n: I64,
    group: tuple[int, ...],
) -> dict[int, list[Entry]]:
    """Entries of each cell from its covering unit groups (``keys[cell][class] = groups``)."""
    covers: dict[int, list[int]] = {}
    for k, per_class in keys.items():
        for u in sorted({u for units in per_class for u in units}):
            covers.setdefault(u, []).append(k)
    share: dict[tuple[int, int], float] = {}
    for u, cells in covers.items():
        w = np.array([weight[k] for k in cells], dtype=float)
        w = w / w.sum() if w.sum() > 0 else np.full(len(cells), 1.0 / len(cells))
        for k, x in zip(cells, w.tolist(), strict=True):
            share[(k, u)] = x
    out: dict[int, list[Entry]] = {}
    for k, per_class in keys.items():
        agg: dict[tuple[int, int], list[Any]] = {}
        for pos, units in zip(group, per_class, strict=True):
            for u in units:
                key = (int(u_area[u]), int(u_sys[u]))
                item = agg.setdefault(key, [set(), np.zeros(len(THREAT_CLASSES), dtype=bool)])
                item[0].add(u)
                item[1][pos] = True
        out[k] = [
            (b, j, float(sum(share[(k, u)] * int(u_n[u]) for u in sorted(units))), engages)
            for (b, j), (units, engages) in sorted(agg.items())
        ]
    return out


def build_cells(setup: CampaignSetup, geo: AssetGeometry) -> list[list[Cell]]:
    """Defended cells of each class group (area by area), with their defences.

    Built once per fire-unit count, raid and engagement data on a geometry (the
    last few kept in ``geo.cells_cache``).
    """
    key = b"".join(
        np.ascontiguousarray(x).tobytes()
        for x in (setup.fire_units, setup.exposure, setup.means.mean(axis=0), setup.pk)
    )
    hit = geo.cells_cache.get(key)
    if hit is None:
        hit = _build_cells(setup, geo)
        if len(geo.cells_cache) >= 4:
            geo.cells_cache.pop(next(iter(geo.cells_cache)))
        geo.cells_cache[key] = hit
    return list(hit)


def _build_cells(setup: CampaignSetup, geo: AssetGeometry) -> list[list[Cell]]:
    u_area, u_sys, u_n, cover = geo.cover(setup.fire_units)
    p_asset, _, p_share = geo.pairs()
    p_area = geo.asset_area[p_asset]
    p_kind = geo.asset_kind[p_asset]
    engages = setup.pk[u_sys] > 0 if u_sys.size else np.zeros((0, len(THREAT_CLASSES)), bool)
    mean = setup.means.mean(axis=0) if setup.means.size else np.zeros(len(THREAT_CLASSES))
    n_kinds = len(geo.kinds)
    members = geo.members
    help_on = bool(geo.defend_neighbours) and members.size > 0 and int(members.sum()) > 1
    out: list[list[Cell]] = []
    for g, group in enumerate(GROUPS):
        own = p_area[:, None] == u_area[None, :]  # (P, G)
        sig = np.concatenate([cover[c] & engages[:, c][None, :] & own for c in group], axis=1)
        groups: dict[tuple[int, bytes], list[int]] = {}
        for m in range(p_asset.size):
            groups.setdefault((int(p_area[m]), sig[m].tobytes()), []).append(m)
        cells: list[Cell] = []
        keys: dict[int, list[tuple[int, ...]]] = {}
        weight: dict[int, float] = {}
        n_g = u_area.size
        for (a, _), assets in sorted(groups.items(), key=lambda kv: (kv[0][0], kv[1][0])):
            row = sig[assets[0]]
            key = [
                tuple(np.flatnonzero(row[i * n_g : (i + 1) * n_g]).tolist())
                for i in range(len(group))
            ]
            idx = np.array(assets, dtype=np.int64)
            share = p_share[idx].sum(axis=0)
            expo = setup.exposure[a]
            within = np.divide(share, expo, out=np.zeros_like(share), where=expo > 0)
            kinds = np.zeros((n_kinds, len(THREAT_CLASSES)))
            np.add.at(kinds, p_kind[idx], p_share[idx])
            kinds = np.divide(kinds, share[None], out=np.zeros_like(kinds), where=share[None] > 0)
            k = len(cells)
            cells.append(Cell(a, g, idx, share, within, kinds))
            keys[k] = key
            weight[k] = float(sum(mean[c] * share[c] for c in group))
        for k, entries in _entries(keys, weight, u_area, u_sys, u_n, group).items():
            cells[k].units = entries
        if help_on:
            _add_helpers(
                cells, geo, cover, engages, (u_area, u_sys, u_n), group, mean, (p_kind, p_share)
            )
        out.append(cells)
    return out


def _add_helpers(  # noqa: PLR0917 - internal
    cells: list[Cell],
    geo: AssetGeometry,
    cover: npt.NDArray[np.bool_],
    engages: npt.NDArray[np.bool_],
    units: tuple[I64, I64, I64],
    group: tuple[int, ...],
    mean: F64,
    pairs: tuple[I64, F64],
) -> None:
    """Other members' units covering each cell's items, the cell split by them."""
    p_kind, p_share = pairs
    u_area, u_sys, u_n = units
    members = geo.members
    keys: dict[int, list[tuple[int, ...]]] = {}
    weight: dict[int, float] = {}
    parts: list[tuple[int, F64, F64]] = []
    for ci, cell in enumerate(cells):
        if not members[cell.area]:
            continue
        foreign = (u_area != cell.area) & members[u_area]
        subs: dict[tuple[tuple[int, ...], ...], list[int]] = {}
        for m in cell.assets.tolist():
            key = tuple(
                tuple(np.flatnonzero(cover[c, m] & engages[:, c] & foreign).tolist()) for c in group
            )
            if any(key):
                subs.setdefault(key, []).append(m)
        for key, assets in subs.items():
            idx = np.array(assets, dtype=np.int64)
            share = p_share[idx].sum(axis=0)
            within = np.divide(share, cell.share, out=np.zeros_like(share), where=cell.share > 0)
            kinds = np.zeros((len(geo.kinds), len(THREAT_CLASSES)))
            np.add.at(kinds, p_kind[idx], p_share[idx])
            kinds = np.divide(kinds, share[None], out=np.zeros_like(kinds), where=share[None] > 0)
            s = len(parts)
            parts.append((ci, within, kinds))
            keys[s] = list(key)
            weight[s] = float(sum(mean[c] * share[c] for c in group))
    for s, entries in _entries(keys, weight, u_area, u_sys, u_n, group).items():
        ci, within, kinds = parts[s]
        cells[ci].helpers.append((within, kinds, entries))


def effective_duration_s(setup: CampaignSetup, counts: npt.ArrayLike) -> float:
    """Span the threats of ``counts`` (per class) are spread over [s], for the mean field.

    Without waves the raid duration; with ``W`` waves of (count-weighted) mean
    duration :math:`\\bar d` starting every :math:`T/W`, the time the waves take
    together, :math:`\\min(W \\bar d,\\ T (W-1)/W + \\bar d)`.
    """
    if setup.waves <= 0:
        return float(setup.raid_duration_s)
    n = np.asarray(counts, dtype=float)
    d = float(n @ setup.wave_s / n.sum()) if n.sum() > 0 else float(setup.wave_s.mean())
    w = int(setup.waves)
    return float(min(w * d, setup.raid_duration_s * (w - 1) / w + d))


def arrival_times(setup: CampaignSetup, times: F64, cls: I64, per_item: I64) -> tuple[F64, I64]:
    """Arrival times [s] in waves from unit uniforms ``times``, re-sorted within each item.

    ``times`` are sorted uniforms on ``[0, 1)`` paired with classes in random order
    (:func:`gbad.engage.batch.draw_batch` with ``duration_s = 1``): each uniform
    picks a wave (its first ``log W`` digits) and the place in it (the rest).
    """
    w = int(setup.waves)
    scaled = times * w
    wave = np.minimum(np.floor(scaled), w - 1)
    frac = scaled - wave
    t = wave * (setup.raid_duration_s / w) + frac * setup.wave_s[cls]
    item = np.repeat(np.arange(per_item.size), per_item)
    order = np.lexsort((t, item))
    return np.asarray(t[order], dtype=np.float64), np.asarray(cls[order], dtype=np.int64)


def spare_stock(setup: CampaignSetup, stock: F64, t: int, bound: F64) -> F64:
    """Stock ``(R, A, S)`` each ally can spare after night ``t``'s own engagements.

    Its stock less what its bound on need for every remaining night could take,
    net of deliveries (the donor rule of :func:`gbad.campaign.sharing.transfers`);
    on the last night, all of it.
    """
    held = np.floor(stock + 1e-9)
    if t + 1 >= setup.nights:
        return np.asarray(held, dtype=np.float64)
    margin = (
        stock[:, None]
        + np.cumsum(setup.deliveries[t + 1 :], axis=0)[None]
        - np.cumsum(bound[t + 1 :], axis=0)[None]
    )
    spare = np.floor(np.clip(margin.min(axis=1), 0.0, None) + 1e-9)
    return np.asarray(np.minimum(spare, held), dtype=np.float64)


def _fire_unit(setup: CampaignSetup, entry: Entry, magazine: float) -> Any:
    from gbad.campaign.setup import ENGAGEMENT_TIME_S, ENGAGEMENT_WINDOW_S
    from gbad.engage import FireUnit

    b, j, x, engages = entry
    pk: dict[str, float] = {
        c: float(setup.pk[j, k])
        for k, c in enumerate(THREAT_CLASSES)
        if setup.pk[j, k] > 0 and engages[k]
    }
    return FireUnit(
        system=f"{b}/{j}",
        tier=setup.tiers[j],
        pk=pk,
        magazine=int(np.floor(magazine + 1e-9)),
        channels=max(1, round(int(setup.channels[j]) * x)),
        engagement_time_s=ENGAGEMENT_TIME_S,
        reload_time_s=float(setup.reload_time_s[j]),
        count=1,
        ready_rounds=max(1, round(int(setup.load[j]) * x)),
        engagement_window_s=ENGAGEMENT_WINDOW_S,
    )


def _layers(
    setup: CampaignSetup,
    entries: list[Entry],
    wanted: npt.NDArray[np.bool_],
    cheapest_first: bool,
    stock: F64 | None,
) -> tuple[list[list[Any]], list[tuple[int, int]]]:
    """Layers of an item (as :func:`gbad.campaign.model._group_layers`) and their pools."""
    tier_rank: dict[str, int] = {t: i for i, t in enumerate(TIERS)}
    units = []
    for entry in entries:
        b, j, _, engages = entry
        if not np.any((setup.pk[j] > 0) & engages & wanted):
            continue
        mag = 0.0 if stock is None else float(stock[b, j])
        if cheapest_first:
            key: tuple[float, ...] = (float(setup.interceptor_cost_musd[j]), float(j), float(b))
        else:
            key = (float(tier_rank.get(setup.tiers[j], 99)), 0.0)
        units.append((key, _fire_unit(setup, entry, mag), (b, j)))
    layers: list[list[Any]] = []
    pools: list[tuple[int, int]] = []
    last: tuple[float, ...] | None = None
    for key, unit, pool in sorted(units, key=lambda kup: kup[0]):
        if cheapest_first or key != last:
            layers.append([])
        layers[-1].append(unit)
        pools.append(pool)
        last = key
    return layers, pools


def _split(total: int, weights: F64, rng: np.random.Generator, fixed: bool) -> I64:
    from gbad.campaign.model import largest_remainder

    w = np.asarray(weights, dtype=float)
    if total <= 0 or w.sum() <= 0:
        return np.zeros(w.shape, dtype=np.int64)
    if np.count_nonzero(w) == 1:
        out = np.zeros(w.shape, dtype=np.int64)
        out[int(np.flatnonzero(w)[0])] = total
        return out
    if fixed:
        return largest_remainder(total, w)
    return np.asarray(rng.multinomial(total, w / w.sum()), dtype=np.int64)


class SpatialEngine:
    """Nights of a spatial campaign: cells as items of the engagement kernel.

    ``engine`` ``numpy``/``numba`` (Monte Carlo, one kernel call per pass and
    night for every replication) or ``mean-field``.
    """

    def __init__(self, setup: CampaignSetup, engine: str) -> None:
        assert setup.geometry is not None
        self.setup = setup
        self.engine = engine
        self.cells = build_cells(setup, setup.geometry)
        n_a = len(setup.areas)
        #: Cells of each (group, area), as indices into ``self.cells[group]``.
        self.by_area = [
            [[k for k, c in enumerate(cells) if c.area == a] for a in range(n_a)]
            for cells in self.cells
        ]
        self.n_kinds = len(setup.geometry.kinds)
        self.shots = np.asarray(setup.shots, dtype=np.int64)
        self.kmax = max(1, int(self.shots.max()) if self.shots.size else 1)
        self.mode = 0 if setup.doctrine == "shoot-shoot" else 1
        self.helping = any(c.helpers for cells in self.cells for c in cells)
        self._plan_split()
        self.cell_area = [np.array([c.area for c in cells], dtype=np.int64) for cells in self.cells]
        self.cell_kinds = [
            np.stack([c.kinds for c in cells])
            if cells
            else np.zeros((0, self.n_kinds, len(THREAT_CLASSES)))
            for cells in self.cells
        ]
        #: Unit set of (cell, classes present as bits) per group; -1 until first met.
        self.set_table = [
            np.full((len(cells), 1 << len(THREAT_CLASSES)), -1, dtype=np.int64)
            for cells in self.cells
        ]
        self._sets: dict[tuple[Any, ...], int] = {}
        self._templates: dict[tuple[int, int, int], Any] = {}
        from gbad.engage.batch import UnitSetBuilder

        self.builder = UnitSetBuilder(THREAT_CLASSES)
        self.set_layers: list[int] = []

    # -- splitting -------------------------------------------------------------
    def _plan_split(self) -> None:
        """Per group and class: the one cell of each ally with a single target cell,
        and the allies whose raid is split over several."""
        n_a = len(self.setup.areas)
        self.single: list[dict[int, I64]] = []
        self.multi: list[dict[int, list[tuple[int, list[int], F64]]]] = []
        for g, cells in enumerate(self.cells):
            single: dict[int, I64] = {}
            multi: dict[int, list[tuple[int, list[int], F64]]] = {}
            for c in GROUPS[g]:
                target = np.full(n_a, -1, dtype=np.int64)
                multi[c] = []
                for a in range(n_a):
                    ks = [k for k in self.by_area[g][a] if cells[k].within[c] > 0]
                    if len(ks) == 1:
                        target[a] = ks[0]
                    elif len(ks) > 1:
                        multi[c].append((a, ks, np.array([cells[k].within[c] for k in ks])))
                single[c] = target
            self.single.append(single)
            self.multi.append(multi)
        #: Padded arrays of the multi-cell allies per (group, class): allies, cells, shares.
        self.multi_arrays: list[dict[int, tuple[I64, I64, F64]]] = []
        for multi in self.multi:
            arrays: dict[int, tuple[I64, I64, F64]] = {}
            for c, entries in multi.items():
                if not entries:
                    continue
                width = max(len(ks) for _, ks, _ in entries)
                cells_m = np.full((len(entries), width), -1, dtype=np.int64)
                p = np.zeros((len(entries), width))
                for i, (_, ks, w) in enumerate(entries):
                    cells_m[i, : len(ks)] = ks
                    p[i, : len(ks)] = w / w.sum()
                areas = np.array([a for a, _, _ in entries], dtype=np.int64)
                arrays[c] = (areas, cells_m, p)
            self.multi_arrays.append(arrays)

    def split(self, threats: I64, rng: np.random.Generator) -> list[I64]:
        """An ally's threats ``(A, C)`` split over each group's cells: ``[(K_g, C)]``.

        Multinomially (one generator call per group and class, over the allies
        whose raid of the class has several target cells), or by largest
        remainders for fixed raids; no random number is drawn when every ally's
        raid of a class has one target cell.
        """
        fixed = self.setup.draw == "fixed"
        out = []
        for g, cells in enumerate(self.cells):
            counts = np.zeros((len(cells), len(THREAT_CLASSES)), dtype=np.int64)
            for c in GROUPS[g]:
                target = self.single[g][c]
                ok = (target >= 0) & (threats[:, c] > 0)
                counts[target[ok], c] += threats[ok, c]
                if fixed:
                    for a, ks, w in self.multi[g][c]:
                        n = int(threats[a, c])
                        if n > 0:
                            counts[ks, c] = _split(n, w, rng, fixed)
                elif c in self.multi_arrays[g]:
                    areas, cells_m, p = self.multi_arrays[g][c]
                    n = threats[areas, c]
                    hit = n > 0
                    if hit.any():
                        draws = rng.multinomial(n[hit], p[hit])
                        idx = cells_m[hit]
                        valid = idx >= 0
                        np.add.at(counts[:, c], idx[valid], draws[valid])
            out.append(counts)
        return out

    def _set(self, kind: tuple[Any, ...], entries: list[Entry], mask: int, g: int) -> int:
        key = (*kind, mask)
        s = self._sets.get(key)
        if s is None:
            n_s = len(self.setup.systems)
            wanted = (mask >> np.arange(len(THREAT_CLASSES))) & 1 > 0
            layers, pools = _layers(self.setup, entries, wanted, g == 1, None)
            s = self.builder.add(layers, [b * n_s + j for b, j in pools])
            self.set_layers.append(len(layers))
            self._sets[key] = s
        return s

    # -- one pass of Monte Carlo items -----------------------------------------
    def _run_items(
        self,
        reps: I64,
        counts: I64,
        sets: I64,
        pool_stock: I64,
        rngs: list[np.random.Generator],
    ) -> tuple[I64, I64]:
        from gbad.engage.batch import draw_batch, run_raid_batch_arrays

        setup = self.setup
        n_layers = np.array(self.set_layers, dtype=np.int64)[sets] if sets.size else sets
        bounds = np.searchsorted(reps, np.arange(len(rngs) + 1)).tolist()
        waves = setup.waves > 0
        duration = 1.0 if waves else setup.raid_duration_s
        parts = [
            draw_batch(g, counts[lo:hi], n_layers[lo:hi], self.kmax, duration)
            for g, lo, hi in zip(rngs, bounds[:-1], bounds[1:], strict=True)
        ]
        times, cls, u = (np.concatenate(x) for x in zip(*parts, strict=True))
        per_item = counts.sum(axis=1)
        if waves:
            times, cls = arrival_times(setup, times, cls, per_item)
        n_pool = len(setup.areas) * len(setup.systems)
        return run_raid_batch_arrays(
            self.engine,
            times,
            cls,
            u,
            per_item,
            sets,
            reps * n_pool,
            self.builder.build(),
            self.shots,
            self.kmax,
            self.mode,
            pool_stock,
        )

    def nights(
        self,
        threats: I64,
        stock: F64,
        rngs: list[np.random.Generator],
        spare: Any = None,
    ) -> tuple[F64, F64, F64]:
        """Engage one night of each replication (Monte Carlo engines).

        ``threats`` ``(R, A, C)``, ``stock`` ``(R, A, S)``; ``spare(stock)`` gives
        the stock each ally may fire at its neighbours' threats. Returns leakers
        ``(R, A, C)``, spent ``(R, A, S)`` and leakers by asset kind ``(R, A, K, C)``.
        """
        setup = self.setup
        n_r, n_a, n_c = threats.shape
        n_s = len(setup.systems)
        split = [self.split(threats[r], rngs[r]) for r in range(n_r)]
        bits = 1 << np.arange(n_c)
        parts = []
        for g in range(len(self.cells)):
            per = np.stack([split[r][g] for r in range(n_r)])  # (R, K_g, C)
            r_idx, k_idx = np.nonzero(per.sum(axis=2))
            c = per[r_idx, k_idx]
            parts.append((r_idx, self.cell_area[g][k_idx], np.full(r_idx.size, g), k_idx, c))
        r_all, a_all, g_all, k_all, counts = (np.concatenate(x) for x in zip(*parts, strict=True))
        order = np.lexsort((k_all, g_all, a_all, r_all))
        r_all, a_all, g_all, k_all = r_all[order], a_all[order], g_all[order], k_all[order]
        counts = np.asarray(counts[order], dtype=np.int64).reshape(order.size, n_c)
        masks = (counts > 0) @ bits
        sets = np.empty(order.size, dtype=np.int64)
        for g in range(len(self.cells)):
            sel = np.flatnonzero(g_all == g)
            found = self.set_table[g][k_all[sel], masks[sel]]
            for i in np.flatnonzero(found < 0).tolist():
                k, m = int(k_all[sel[i]]), int(masks[sel[i]])
                if self.set_table[g][k, m] < 0:
                    self.set_table[g][k, m] = self._set(("own", g, k), self.cells[g][k].units, m, g)
                found[i] = self.set_table[g][k, m]
            sets[sel] = found
        rows = list(
            zip(r_all.tolist(), a_all.tolist(), g_all.tolist(), k_all.tolist(), strict=True)
        )
        reps = r_all.astype(np.int64)
        pool = np.floor(stock.ravel() + 1e-9).astype(np.int64)
        leak, used = self._run_items(reps, counts, sets, pool, rngs)
        spent = np.asarray(used, dtype=float).reshape(n_r, n_a, n_s)
        leakers = np.zeros((n_r, n_a, n_c))
        np.add.at(leakers, (r_all, a_all), leak)
        kinds = np.zeros((n_r, n_a, self.n_kinds, n_c))
        for g in range(len(self.cells)):
            sel = g_all == g
            if sel.any():
                np.add.at(
                    kinds,
                    (r_all[sel], a_all[sel]),
                    self.cell_kinds[g][k_all[sel]] * leak[sel][:, None, :],
                )
        if self.helping and spare is not None and rows:
            helped, extra = self._help(rows, leak, stock - spent, rngs, spare)
            leakers -= helped.sum(axis=2)
            kinds -= helped
            spent += extra
        return leakers, spent, kinds

    def _help(
        self,
        rows: list[tuple[int, int, int, int]],
        leak: I64,
        stock: F64,
        rngs: list[np.random.Generator],
        spare: Any,
    ) -> tuple[F64, F64]:
        """Second pass: leakers of each cell meet other members' spare fire."""
        setup = self.setup
        n_r, n_a, n_s = stock.shape
        n_c = len(THREAT_CLASSES)
        fixed = setup.draw == "fixed"
        sub_rows: list[tuple[int, int, int, int, int]] = []
        sub_counts: list[I64] = []
        for i, (r, a, g, k) in enumerate(rows):
            cell = self.cells[g][k]
            if not cell.helpers or leak[i].sum() == 0:
                continue
            n_h = len(cell.helpers)
            per = np.zeros((n_h, n_c), dtype=np.int64)
            for c in GROUPS[g]:
                n = int(leak[i, c])
                if n > 0:
                    w = np.array([h[0][c] for h in cell.helpers] + [0.0])
                    w[-1] = max(0.0, 1.0 - w[:-1].sum())
                    per[:, c] = _split(n, w, rngs[r], fixed)[:-1]
            for h in np.flatnonzero(per.sum(axis=1)).tolist():
                sub_rows.append((r, a, g, k, h))
                sub_counts.append(per[h])
        helped = np.zeros((n_r, n_a, self.n_kinds, n_c))
        extra = np.zeros((n_r, n_a, n_s))
        if not sub_rows:
            return helped, extra
        counts = np.stack(sub_counts)
        bits = 1 << np.arange(n_c)
        masks = ((counts > 0) @ bits).tolist()
        sets = np.array(
            [
                self._set(("help", g, k, h), self.cells[g][k].helpers[h][2], m, g)
                for (_, _, g, k, h), m in zip(sub_rows, masks, strict=True)
            ],
            dtype=np.int64,
        )
        reps = np.array([r for r, *_ in sub_rows], dtype=np.int64)
        pool = np.floor(spare(stock).ravel() + 1e-9).astype(np.int64)
        leak2, used = self._run_items(reps, counts, sets, pool, rngs)
        extra += np.asarray(used, dtype=float).reshape(n_r, n_a, n_s)
        for i, (r, a, g, k, h) in enumerate(sub_rows):
            killed = counts[i] - leak2[i]
            helped[r, a] += self.cells[g][k].helpers[h][1] * killed[None]
        return helped, extra

    # -- mean field ------------------------------------------------------------
    def _stocked_layers(
        self, entries: list[Entry], wanted: npt.NDArray[np.bool_], g: int, pool: F64
    ) -> tuple[list[list[Any]], list[tuple[int, int]]]:
        """An item's layers with magazines from ``pool``: the layers are built once
        per (defence, classes present), the magazines set on shallow copies."""
        key = (id(entries), int(wanted @ (1 << np.arange(wanted.size))), g)
        hit = self._templates.get(key)
        if hit is None:
            hit = _layers(self.setup, entries, wanted, g == 1, None)
            self._templates[key] = hit
        layers, pools = hit
        out: list[list[Any]] = []
        it = iter(pools)
        for layer in layers:
            row = []
            for unit in layer:
                b, j = next(it)
                stocked = _copy(unit)
                object.__setattr__(stocked, "magazine", int(np.floor(pool[b, j] + 1e-9)))
                row.append(stocked)
            out.append(row)
        return out, pools

    def night_mean_field(
        self, threats: I64, stock: F64, rng: np.random.Generator, spare: Any = None
    ) -> tuple[F64, F64, F64]:
        """One night of one replication in the mean-field model (cells in kernel order)."""
        from gbad.campaign.model import _doctrine
        from gbad.engage import Raid, expected_raid_outcome

        setup = self.setup
        n_a, n_c = threats.shape
        n_s = len(setup.systems)
        split = self.split(threats, rng)
        doctrine = _doctrine(setup)
        left = np.asarray(stock, dtype=float).copy()
        leakers = np.zeros((n_a, n_c))
        kinds = np.zeros((n_a, self.n_kinds, n_c))
        cell_leak: list[tuple[int, int, F64]] = []
        order = sorted(
            (cells[k].area, g, k)
            for g, cells in enumerate(self.cells)
            for k in np.flatnonzero(split[g].sum(axis=1)).tolist()
        )

        def engage(counts: I64, entries: list[Entry], g: int, pool: F64) -> F64:
            layers, pools = self._stocked_layers(entries, counts > 0, g, pool)
            raid = Raid(
                counts={c: int(counts[i]) for i, c in enumerate(THREAT_CLASSES)},
                duration_s=effective_duration_s(setup, counts),
            )
            outcome = expected_raid_outcome(raid, layers, doctrine)
            for (b, j), unit in zip(pools, (u for layer in layers for u in layer), strict=True):
                pool[b, j] = max(pool[b, j] - outcome.interceptors_used_mean[unit.system], 0.0)
            return np.array([outcome.leakers_mean[c] for c in THREAT_CLASSES])

        for a, g, k in order:
            cell = self.cells[g][k]
            leak = engage(split[g][k], cell.units, g, left)
            leakers[a] += leak
            kinds[a] += cell.kinds * leak[None]
            cell_leak.append((g, k, leak))
        spent = np.asarray(stock, dtype=float) - left
        if self.helping and spare is not None:
            pool = spare(left[None])[0]
            before = pool.copy()
            for g, k, leak in cell_leak:
                cell = self.cells[g][k]
                if not cell.helpers:
                    continue
                whole = np.floor(leak + 1e-9).astype(np.int64)
                for within, kshare, entries in cell.helpers:
                    counts = np.zeros(n_c, dtype=np.int64)
                    for c in GROUPS[g]:
                        counts[c] = int(np.floor(whole[c] * within[c] + 1e-9))
                    if counts.sum() == 0:
                        continue
                    rest = engage(counts, entries, g, pool)
                    killed = counts - rest
                    leakers[cell.area] -= killed
                    kinds[cell.area] -= kshare * killed[None]
            spent += before - pool
        return leakers, spent.reshape(n_a, n_s), kinds
