"""Met years read from cumulative deliveries, including the ally nothing reaches."""

from __future__ import annotations

import pandas as pd

from gbad.industry.completion import met_year


def test_met_year_reads_the_first_year_at_need_and_none_when_nothing_arrives() -> None:
    done = pd.Series(
        [1.0, 3.0], index=pd.MultiIndex.from_tuples([("EST", "long", 2026), ("EST", "long", 2027)])
    )
    assert met_year(done, "EST", "long", 3, 2025) == 2027
    assert met_year(done, "EST", "long", 4, 2025) is None
    assert met_year(done, "EST", "medium", 1, 2025) is None  # no row of this tier
    assert met_year(done, "EST", "medium", 0, 2025) == 2025  # nothing needed
    # A plan whose schedule delivers nothing at all (no budget): an empty series.
    assert met_year(pd.Series(dtype=float), "EST", "long", 3, 2025) is None
