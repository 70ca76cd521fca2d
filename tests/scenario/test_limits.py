"""Work bounds: the largest run each allows passes, one step beyond is refused by name."""

from __future__ import annotations

import pytest

from gbad.errors import GbadInputError
from gbad.reference import load_reference
from gbad.scenario import parse_scenario
from gbad.scenario.limits import (
    CAMPAIGN_PATH_BYTES,
    ENGAGE_MAX_DRAWS,
    ENGAGE_MAX_ELEMENTS,
    MAX_THREATS_PER_NIGHT,
    campaign_path_bytes,
    check_engage_size,
    check_work,
)


def test_engage_bounds_at_and_past_the_limit() -> None:
    threats = ENGAGE_MAX_ELEMENTS // 4  # shots 2: threats x (2 + 2) at the bound
    check_engage_size(threats, 2, 1)
    with pytest.raises(GbadInputError, match="limit") as exc:
        check_engage_size(threats + 1, 2, 1)
    assert exc.value.field == "--threats"
    trials = ENGAGE_MAX_DRAWS // (1000 * 2)
    check_engage_size(1000, 2, trials)
    with pytest.raises(GbadInputError) as exc:
        check_engage_size(1000, 2, trials + 1)
    assert exc.value.field == "--trials"


def test_largest_night_at_and_past_the_limit() -> None:
    ref = load_reference()
    ok = parse_scenario({"threat": {"preset": "custom", "raid": {"drone": MAX_THREATS_PER_NIGHT}}})
    check_work(ok, ref, 30)
    over = parse_scenario(
        {"threat": {"preset": "custom", "raid": {"drone": MAX_THREATS_PER_NIGHT + 1}}}
    )
    with pytest.raises(GbadInputError, match=f"{MAX_THREATS_PER_NIGHT:,}") as exc:
        check_work(over, ref, 30)
    assert exc.value.field == "threat.raid"
    growing = parse_scenario(
        {"threat": {"preset": "custom", "raid": {"drone": 1000}, "nights": 3650,
                    "growth_pct_per_month": 10}}
    )  # fmt: skip
    with pytest.raises(GbadInputError) as exc:
        check_work(growing, ref, 30)
    assert exc.value.field == "threat.growth_pct_per_month"


def test_campaign_paths_at_and_past_the_limit() -> None:
    ref = load_reference()
    systems = len(ref.systems)
    one = campaign_path_bytes(parse_scenario({"threat": {"nights": 1}}), 30, systems) // 8
    nights = CAMPAIGN_PATH_BYTES // one  # with 1 replication
    check_work(
        parse_scenario({"threat": {"nights": min(nights, 3650)}, "campaign": {"replications": 1}}),
        ref,
        30,
    )
    reps = CAMPAIGN_PATH_BYTES // (one * 100) + 1
    with pytest.raises(GbadInputError, match="GiB") as exc:
        check_work(
            parse_scenario({"threat": {"nights": 100}, "campaign": {"replications": reps}}),
            ref,
            30,
        )
    assert exc.value.field == "campaign.replications"


def test_every_embedded_value_lies_in_its_columns_override_range() -> None:
    """Overriding a value with the data's own value is never refused."""
    import pandas as pd

    from gbad.reference import KEY_COLUMNS
    from gbad.scenario.checks import column_range

    ref = load_reference()
    checked = 0
    for table in KEY_COLUMNS:
        if table == "sources":
            continue
        frame = ref.table(table)
        for column in frame.columns:
            series = frame[column]
            if pd.api.types.is_bool_dtype(series) or not pd.api.types.is_numeric_dtype(series):
                continue
            low, high, exclusive = column_range(str(column))
            values = series.dropna()
            outside = values[(values < low) | (values > high) | ((values == low) & exclusive)]
            assert outside.empty, (table, column, outside.tolist()[:3])
            checked += 1
    assert checked > 50
