r"""Volume discount of pooled orders from a learning curve.

Wright (1936) observed that the labour per airframe falls by a constant fraction each
time cumulative output doubles: the cost of unit :math:`n` is
:math:`c_n = c_1 n^{b}` with :math:`b = \log_2 r` for a *progress ratio* :math:`r`
(0.8 for the airframes Wright studied). The mean cost of a batch of :math:`Q` units is
:math:`\bar c(Q) \approx c_1 Q^{b}/(1+b)`, so a buyer whose order grows from :math:`q`
to a pooled :math:`Q` pays a factor

.. math::

    m = \max\!\left(\left(\frac{Q}{q}\right)^{b},\; 1 - \delta\right)

of the national price, capped by a maximum discount :math:`\delta`. How much of the
producer's learning is passed on in the price is not published for GBAD contracts: the
default progress ratio 0.95 (5% per doubling, far flatter than Wright's 0.8) and the
20% cap are assumptions (``industry.progress_ratio``, ``industry.max_discount_pct``).

References
----------
.. [1] Wright, T. P. (1936). Factors affecting the cost of airplanes. *Journal of the
   Aeronautical Sciences* 3(4), 122–128. doi:10.2514/8.155
"""

from __future__ import annotations

import math

__all__ = ["volume_price_factor"]


def volume_price_factor(
    pooled_units: float, national_units: float, progress_ratio: float, max_discount_pct: float
) -> float:
    """Price factor (≤ 1) for a national order of ``national_units`` bought in a pool.

    Parameters
    ----------
    pooled_units : float
        Units ordered by the whole pool for the same system.
    national_units : float
        Units the ally orders itself.
    progress_ratio : float
        Learning-curve progress ratio :math:`r` in (0, 1].
    max_discount_pct : float
        Largest discount allowed [%].

    Returns
    -------
    float
        Multiplier on the national unit price.
    """
    if not 0 < progress_ratio <= 1:
        raise ValueError("progress_ratio must be in (0, 1]")
    if national_units <= 0 or pooled_units <= national_units:
        return 1.0
    b = math.log2(progress_ratio)
    return max((pooled_units / national_units) ** b, 1.0 - max_discount_pct / 100.0)
