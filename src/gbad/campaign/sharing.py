r"""Coalition members sharing interceptor stocks across borders, with a transfer delay.

Without sharing every ally fights with its own stocks. With sharing (a
coalition, :meth:`gbad.campaign.setup.CampaignSetup.with_sharing`), after each
night a member gives interceptors of a type it holds beyond its own *bound on
need* to members of the coalition that will run short of that type; shipments
arrive ``delay`` nights later, before that night's raid.

The bound on need of ally :math:`a` for interceptor type :math:`j` on night
:math:`k` is the most it could fire that night,

.. math::

    u_{akj} = \mathbb 1[n_{aj} > 0] \sum_c \mathbb 1[p_{jc} > 0]\, s_c\, x_{akc},

with :math:`n_{aj}` its fire units, :math:`p_{jc}` the kill probability,
:math:`s_c` the shots per threat of class :math:`c` and :math:`x_{akc}` the
threats aimed at it (the raid spread by exposure: exact for ``draw="fixed"``,
the mean for Poisson draws). A donor gives at most

.. math::

    g_{aj} = \max\Bigl(0,\ \min_{k > t}\ \bigl(S_{aj} + D_{a,\le k,j} - U_{a,\le k,j}\bigr)\Bigr)

(stock now, plus arrivals and minus the bound, cumulated to every later night),
so with fixed raids it never fires fewer interceptors than it would have kept:
sharing moves only stock its holder cannot use. A receiver's shortfall is its
total bound to the end less its stock and arrivals; the stock given is split
over receivers in proportion to shortfall (largest remainders, whole
interceptors). Stocks are conserved: given = received, counting what is in transit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from gbad.campaign.setup import CampaignSetup

__all__ = ["need_bound", "transfers"]

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]


def need_bound(setup: CampaignSetup) -> F64:
    """Most interceptors of each type each ally could fire each night, ``(T, A, S)``.

    Exact threats per ally for ``draw="fixed"`` (the campaign's own largest
    remainders), the expected threats for Poisson draws (then a planning value,
    not a bound).
    """
    from gbad.campaign.model import largest_remainder

    n_t = setup.nights
    n_a, n_c = setup.exposure.shape
    threats = np.zeros((n_t, n_a, n_c))
    for t in range(n_t):
        if setup.draw == "fixed":
            sizes = np.rint(setup.means[t]).astype(np.int64)
            for c in range(n_c):
                threats[t, :, c] = largest_remainder(int(sizes[c]), setup.exposure[:, c])
        else:
            threats[t] = setup.exposure * setup.means[t][None, :]
    engages = (setup.pk > 0).astype(float) * setup.shots[None, :].astype(float)  # (S, C)
    bound = np.einsum("tac,sc->tas", threats, engages)
    return np.asarray(bound * (setup.fire_units > 0)[None], dtype=np.float64)


def transfers(
    stock: F64,
    arrivals: F64,
    bound: F64,
    members: npt.NDArray[np.bool_],
) -> tuple[I64, I64]:
    """Interceptors each member gives and receives after one night.

    Parameters
    ----------
    stock : (A, S) array
        Stock after the night.
    arrivals : (K, A, S) array
        What arrives before each remaining night (production and shipments).
    bound : (K, A, S) array
        Bound on need of each remaining night (:func:`need_bound`).
    members : (A,) bool array
        Coalition members.

    Returns
    -------
    given, received : (A, S) int arrays
        ``given.sum(axis=0) == received.sum(axis=0)``.
    """
    from gbad.campaign.model import largest_remainder

    n_a, n_s = stock.shape
    given = np.zeros((n_a, n_s), dtype=np.int64)
    received = np.zeros((n_a, n_s), dtype=np.int64)
    if bound.shape[0] == 0 or members.sum() < 2:
        return given, received
    margin = stock[None] + np.cumsum(arrivals, axis=0) - np.cumsum(bound, axis=0)  # (K, A, S)
    surplus = np.floor(np.clip(margin.min(axis=0), 0.0, None) + 1e-9)
    surplus = np.minimum(surplus, np.floor(stock + 1e-9))
    short = np.clip(-margin[-1], 0.0, None)
    for j in range(n_s):
        give_j = np.where(members, surplus[:, j], 0.0)
        need_j = np.where(members, short[:, j], 0.0)
        total = int(min(give_j.sum(), np.floor(need_j.sum() + 1e-9)))
        if total <= 0:
            continue
        received[:, j] = largest_remainder(total, need_j)
        given[:, j] = largest_remainder(total, give_j)
    return given, received
