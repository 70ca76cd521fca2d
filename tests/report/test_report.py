"""The HTML report of a real small plan: offline, its numbers equal to plan.json."""

from __future__ import annotations

import copy
import json
import re
from html.parser import HTMLParser
from typing import Any

import pytest

from gbad.plan import STAGES
from gbad.report import ODC_BY_ATTRIBUTION, format_value, render_report
from gbad.report._tables import data_tables

#: Any reference to a remote host in an attribute or CSS: what a browser would fetch.
REMOTE = re.compile(
    r"""(?:\b(?:src|href|srcset|action|data|poster)\s*=\s*["']?\s*(?:https?:)?//)"""
    r"""|(?:url\(\s*["']?\s*(?:https?:)?//)|(?:@import)""",
    re.IGNORECASE,
)


class Collector(HTMLParser):
    """Collects attributes of every element and the summary numbers."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.attrs: list[tuple[str, str, str]] = []
        self.numbers: list[dict[str, Any]] = []
        self._open: dict[str, Any] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        d = {k: v or "" for k, v in attrs}
        self.attrs.extend((tag, k, v) for k, v in d.items())
        if "data-summary-key" in d:
            self._open = {"key": d["data-summary-key"], "value": d["data-value"], "text": ""}
            self._open["pct"] = d.get("data-display") == "pct"
            self._open["none"] = d.get("data-none") == "true"

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._open["text"] += data

    def handle_endtag(self, tag: str) -> None:
        if self._open is not None and tag == "span":
            self.numbers.append(self._open)
            self._open = None


def parse(html: str) -> Collector:
    c = Collector()
    c.feed(html)
    c.close()
    return c


def assert_offline(html: str) -> None:
    assert not REMOTE.search(html), REMOTE.search(html)
    for tag, name, value in parse(html).attrs:
        if name in ("src", "href", "srcset", "action", "poster"):
            assert not re.match(r"\s*([a-z][a-z0-9+.-]*:)?//", value, re.I), (tag, name, value)
            assert not value.lower().startswith(("http:", "https:")), (tag, name, value)
    assert "<script" not in html.lower()  # the report needs no script at all
    assert "<link" not in html.lower()


@pytest.fixture(scope="module")
def data(small_plan: Any) -> dict[str, Any]:
    """Exactly what ``plan.json`` holds for the small plan."""
    return json.loads(json.dumps(small_plan.to_dict()))


@pytest.fixture(scope="module")
def html(data: dict[str, Any]) -> str:
    """The report rendered from the ``plan.json`` dict (as from the run store)."""
    return render_report(data)


def section(html: str, name: str) -> str:
    return html.split(f'<section id="{name}"', 1)[1].split("</section>", 1)[0]


def test_report_of_a_real_plan_is_offline_and_matches(
    small_plan: Any, data: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level("WARNING", logger="gbad.report"):
        live = render_report(small_plan)
    assert not caplog.records, [r.getMessage() for r in caplog.records]  # every figure drawn
    assert_offline(live)
    assert "<svg" in live
    numbers = parse(live).numbers
    for n in numbers:
        assert json.loads(n["value"]) == data["summary"][n["key"]], n
    # Each headline number appears at most twice: its card and its sentence.
    keys = [n["key"] for n in numbers]
    assert all(keys.count(k) <= 2 for k in keys), keys
    text = re.sub(r"<[^>]+>", "", section(live, "summary"))
    assert text.count("defended asset value") <= 1
    for stage in STAGES:
        if small_plan.stages[stage].status == "ok":
            assert "not available in this plan" not in section(live, stage)[:3000]
    for source in data["sources"]:
        assert f"<code>{source['source_id']}</code>" in live


def test_the_dict_and_the_live_plan_give_the_same_numbers(small_plan: Any, html: str) -> None:
    assert parse(html).numbers == parse(render_report(small_plan)).numbers
    assert_offline(html)
    assert "<svg" in html  # the trajectory figure needs no typed result


def test_the_offline_check_can_fail() -> None:
    for bad in (
        '<img src="https://example.org/x.png">',
        "<script src='//cdn.example.org/x.js'></script>",
        '<link rel="stylesheet" href="http://example.org/s.css">',
        "<style>body{background:url(https://example.org/a.png)}</style>",
    ):
        with pytest.raises(AssertionError):
            assert_offline(bad)


def test_summary_numbers_equal_plan_json(data: dict[str, Any], html: str) -> None:
    numbers = parse(html).numbers
    keys = {n["key"] for n in numbers}
    assert {
        "long_medium_baseline",
        "long_medium_target",
        "total_cost_musd",
        "coverage_fraction",
        "missile_coverage_fraction",
        "missile_leak_share",
        "campaign_endurance_nights",
        "coverage_year",
        "campaign_interceptors_produced",
    } <= keys
    # Never a sum over all tiers, and no key the summary does not have.
    assert not {"collective_target", "collective_baseline", "coverage_of"} & keys
    assert keys <= set(data["summary"])
    summary = data["summary"]
    for n in numbers:
        value = summary[n["key"]]
        assert json.loads(n["value"]) == value, n
        if n["none"]:  # a missing number said in words ("not by 2050")
            assert value is None and n["text"].startswith("not"), n
            continue
        shown = None if value is None else (100.0 * value if n["pct"] else value)
        assert n["text"] == format_value(shown, n["key"]), n
    assert f">{summary['coverage_year']}<" in html  # years print without a separator


def test_cards_name_the_year_of_their_force(data: dict[str, Any], html: str) -> None:
    year = data["summary"]["coverage_year"]
    cards = html.split('class="cards"', 1)[1].split("</div>\n  </div>", 1)[0]
    for label in ("Missile coverage", "Missile leak share", "Campaign endurance"):
        assert f"{label}, {year} force" in cards


def test_national_table_by_tier_equals_plan_json(data: dict[str, Any], html: str) -> None:
    summary = data["summary"]
    assert summary["long_medium_target"] == sum(
        summary["collective_target_by_tier"][t] for t in ("long", "medium")
    )
    for row in summary["national_targets"]:
        match = re.search(rf'<tr data-iso3="{row["iso3"]}">(.*?)</tr>', html, re.S)
        assert match, row
        cells = re.findall(r'data-tier="([^"]+)" data-value="([^"]*)"', match.group(1))
        assert {t: json.loads(v) for t, v in cells} == {
            t: [c["baseline"], c["target"]] for t, c in row["tiers"].items()
        }
        assert [t for t, _ in cells] == list(summary["collective_target_by_tier"])
    # The tier table: today and target per tier, as in plan.json.
    table = html.split('class="data tiers"', 1)[1].split("</table>", 1)[0]
    cells = re.findall(r'data-tier="([^"]+)" data-value="([^"]*)"', table)
    expected = [
        *summary["collective_baseline_by_tier"].items(),
        *summary["collective_target_by_tier"].items(),
    ]
    assert [(t, json.loads(v)) for t, v in cells][: len(expected)] == expected


def _keyed_rows(part: str, row_attr: str) -> list[dict[str, Any]]:
    rows = []
    for match in re.finditer(rf"<tr {row_attr}(.*?)</tr>", part, re.S):
        cells = re.findall(r'data-key="([^"]+)" data-value="([^"]*)"', match.group(1))
        rows.append({k: json.loads(html_unescape(v)) for k, v in cells})
    return rows


def html_unescape(text: str) -> str:
    import html as html_module

    return html_module.unescape(text)


def test_trajectory_rows_equal_plan_json_milestones(data: dict[str, Any], html: str) -> None:
    from gbad.report._sections import TRAJECTORY_COLUMNS

    part = section(html, "trajectory")
    assert "same threat with the same random numbers" in part
    assert "<svg" in part
    rows = _keyed_rows(part, "data-year=")
    milestones = data["milestones"]
    assert len(rows) == len(milestones) >= 3
    years = re.findall(r'<tr data-year="(\d+)"', part)
    assert [int(y) for y in years] == [m["year"] for m in milestones]
    for row, m in zip(rows, milestones, strict=True):
        assert row == {key: m[key] for key, _, _ in TRAJECTORY_COLUMNS}
    # The summary's trajectory is the same numbers.
    for t, m in zip(data["summary"]["trajectory"], milestones, strict=True):
        assert all(t[k] == m[k] for k in t)


def test_procurement_table_equals_plan_json(data: dict[str, Any], html: str) -> None:
    part = section(html, "procurement")
    rows = _keyed_rows(part, "data-iso3=")
    columns = ["iso3", "tier", "system", "share", "fire_units", "contracted", "new", "rule"]
    key = lambda r: (r["iso3"], r["tier"], r["system"])  # noqa: E731
    assert sorted(rows, key=key) == sorted(
        ({c: r[c] for c in columns} for r in data["procurement"]), key=key
    )
    for rule in {r["rule"] for r in data["procurement"]}:
        assert f"<dt>{rule}</dt>" in part  # every rule used is explained
    assert "tier default" in part


def test_imputed_table_lists_every_row(data: dict[str, Any], html: str) -> None:
    assert data["imputed"], "the small plan imputes readiness and line shares"
    part = section(html, "imputed")
    listed = [json.loads(html_unescape(v)) for v in re.findall(r'data-imputed="([^"]*)"', part)]
    assert listed == [[r["table"], r["key"], r["column"]] for r in data["imputed"]]
    assert data["summary"]["imputed_values"] == len(data["imputed"])


def test_force_by_year_sums_plan_json_per_tier(data: dict[str, Any], html: str) -> None:
    part = section(html, "force")
    table = part.split('class="data force"', 1)[1].split("</table>", 1)[0]
    for match in re.finditer(r'<tr data-tier="([^"]+)">(.*?)</tr>', table, re.S):
        tier = match.group(1)
        for year, value in re.findall(r'data-year="(\d+)" data-value="([^"]*)"', match.group(2)):
            rows = [r for r in data["force"] if r["tier"] == tier and r["year"] == int(year)]
            assert json.loads(value) == [
                sum(r["fire_units"] for r in rows),
                sum(r["fire_units_ready"] for r in rows),
            ]
    assert "Readiness" in part


def test_stocks_say_when_nothing_arrives(data: dict[str, Any], html: str) -> None:
    part = section(html, "stocks")
    delay = data["scenario"]["campaign"]["resupply_delay_days"]
    assert f"{delay} days" in part
    produced = [m["interceptors_produced"] for m in data["milestones"]]
    assert ("Nothing arrives from production within the campaign" in part) == (not any(produced))
    for m in data["milestones"]:
        assert re.search(rf'<tr data-year="{m["year"]}"><td>{m["year"]}</td>', part)


def test_coverage_and_campaign_name_their_year(data: dict[str, Any], html: str) -> None:
    year = data["coverage"]["year"]
    assert f"the {year} force" in section(html, "coverage").split("</h2>", 1)[0]
    campaign = section(html, "campaign")
    assert f"the {data['campaign']['year']} force" in campaign.split("</h2>", 1)[0]
    assert "trajectory" in campaign
    assert data["coverage"]["coverage_definition"][:40] in html_unescape(html)


def test_every_stage_has_a_section(html: str) -> None:
    for stage in STAGES:
        assert f'<section id="{stage}"' in html
    for name in ("summary", "trajectory", "stocks", "imputed", "assumptions", "sources"):
        assert f'<section id="{name}"' in html


def test_attribution_print_css_and_assumptions(html: str) -> None:
    assert ODC_BY_ATTRIBUTION.split(";")[0] in html.replace("&#34;", '"')
    assert "ODC-BY 1.0" in html
    assert "@media print" in html
    # The changed setting (the small scenario's 5 nights) is highlighted.
    assert re.search(r'<tr class="changed"><td><code>threat\.nights</code></td><td>5</td>', html)


def test_report_escapes_user_text(data: dict[str, Any]) -> None:
    evil = copy.deepcopy(data)
    evil["scenario"]["name"] = "<script>alert(1)</script>"
    evil["procurement"][0]["rule"] = "<b>rule</b>"
    page = render_report(evil)
    assert "<script>alert" not in page and "<b>rule</b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_failed_stage_is_reported_as_such(data: dict[str, Any]) -> None:
    broken = copy.deepcopy(data)
    broken["industry"] = {"status": "failed", "error": "ZeroDivisionError: division by zero"}
    page = render_report(broken)
    industry = section(page, "industry")
    assert "failed with an internal error" in industry
    assert "ZeroDivisionError: division by zero" in industry
    assert_offline(page)


def test_skipped_stage_says_so(data: dict[str, Any]) -> None:
    skipped = copy.deepcopy(data)
    skipped["siting"] = {"status": "skipped"}
    page = render_report(skipped)
    assert "switched off for this plan" in section(page, "siting")
    assert "switched off" not in section(page, "coverage")


def test_a_stored_plan_without_milestones_still_renders(data: dict[str, Any]) -> None:
    """Runs stored before milestones, procurement and force keep opening."""
    old = {
        k: v for k, v in data.items() if k not in ("procurement", "force", "milestones", "imputed")
    }
    old["summary"] = {
        k: v
        for k, v in data["summary"].items()
        if k not in ("coverage_year", "trajectory", "missile_leak_share", "imputed_values")
    }
    page = render_report(old)
    assert_offline(page)
    assert "This plan has no milestone years." in section(page, "trajectory")
    assert "records no procurement decision" in section(page, "procurement")


def test_data_tables_show_scalars_records_and_name_arrays() -> None:
    tables = data_tables(
        {
            "total_cost_musd": 12.5,
            "rows": [{"iso3": "POL", "cost_musd": 1.0}, {"iso3": "DEU", "cost_musd": 2.0}],
            "grid": list(range(100)),
            "status": "ok",
        }
    )
    assert tables[0].rows == [["Total cost", "12.5 million USD"]]
    assert tables[1].columns == ["ISO3", "Cost [million USD]"]
    assert tables[1].rows == [["POL", "1"], ["DEU", "2"]]
    assert "Grid (100 values)" in tables[1].note


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, "n/a"),
        (True, "yes"),
        (1234567, "1,234,567"),
        (2031.0, "2,031"),
        (2031, "2,031"),
        (0.12345, "0.123"),
        (12.345, "12.3"),
        (123456.5, "123,456"),
        (float("nan"), "n/a"),
        (["POL", "DEU"], "POL, DEU"),
    ],
)
def test_format_value(value: Any, text: str) -> None:
    assert format_value(value) == text


def test_years_print_plainly() -> None:
    assert format_value(2031, "funding_year") == "2031"
    assert format_value(2031.0, "year") == "2031"
    assert format_value(2031, "fire_units") == "2,031"


def test_flat_mappings_sharing_keys_become_one_table() -> None:
    tables = data_tables(
        {
            "threats": {"ballistic": 10, "cruise": 20},
            "leakers": {"ballistic": 1, "cruise": 4},
            "per_night": [{"night": 1, "stock": {"patriot": 3}}],
        }
    )
    assert [t.columns for t in tables] == [["", "Threats", "Leakers"]]
    assert tables[0].rows == [["ballistic", "10", "1"], ["cruise", "20", "4"]]
    assert "Per night (1 records)" in tables[0].note  # nested records stay in plan.json


def test_calibration_section_states_the_assumption_and_the_rates(small_plan: Any) -> None:
    data = small_plan.to_dict()
    html = render_report(data)
    cal = data["calibration"]
    section = html[html.index('<section id="calibration">') :]
    section = section[: section.index("</section>")]
    import html as html_lib

    assert cal["assumption"] in html_lib.unescape(section)
    used = parse(section)
    drone = [v for t, k, v in used.attrs if k == "data-value" and v and v != "null"]
    assert json.dumps(cal["ew_defeat"]["drone"]) in drone
    assert "Ukraine, reported" in section
    off = render_report({**data, "calibration": None})
    assert "uses no calibrated electronic-warfare layer" in off


def test_stockout_columns_name_a_night() -> None:
    # ``days_to_first_stockout`` and a stock-out row's ``days`` hold a night index
    # (STOCKOUT_DEFINITION): the report says night, and shows the older ``days``
    # alias only where no ``night`` stands beside it.
    data = {
        "by_system": [
            {"system": "patriot", "tier": "long", "days_to_first_stockout": 4.0},
        ],
        "stockouts": [
            {"iso3": "HUN", "system": "poprad", "night": None, "days": None, "share": 0.5},
            {"iso3": "POL", "system": "patriot", "night": 4.0, "days": 4.0, "share": 1.0},
        ],
    }
    tables = {t.title: t for t in data_tables(data)}
    assert "Night of first stock-out" in tables["By system"].columns
    assert not any("Days" in c for c in tables["By system"].columns)
    cols = tables["Stockouts"].columns
    assert "Night" in cols and "Days" not in cols
