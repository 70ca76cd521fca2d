"""The HTML report: offline, its summary equal to plan.json, sources, licence, print CSS."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from typing import Any

import pytest

from gbad.plan import STAGES, run_plan
from gbad.report import ODC_BY_ATTRIBUTION, format_value, render_report
from gbad.report._tables import data_tables
from gbad.scenario import Scenario

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


@pytest.fixture
def fake_plan(fake_stages: None) -> Any:
    return run_plan(Scenario(threat={"nights": 40}))


def test_report_of_a_real_plan_is_offline_and_matches(
    small_plan: Any, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level("WARNING", logger="gbad.report"):
        html = render_report(small_plan)
    assert not caplog.records, [r.getMessage() for r in caplog.records]  # every figure drawn
    assert_offline(html)
    summary = json.loads(json.dumps(small_plan.to_dict()))["summary"]
    numbers = parse(html).numbers
    for n in numbers:
        assert json.loads(n["value"]) == summary[n["key"]], n
    # Each headline number appears at most twice: its card and its sentence.
    keys = [n["key"] for n in numbers]
    assert all(keys.count(k) <= 2 for k in keys), keys
    text = re.sub(r"<[^>]+>", "", html.split('id="summary"')[1].split("</section>")[0])
    assert text.count("defended asset value") <= 1
    for stage in STAGES:
        if small_plan.stages[stage].status == "ok":
            assert (
                "not available in this plan" not in html.split(f'<section id="{stage}"')[1][:3000]
            )
    for source in small_plan.to_dict()["sources"]:
        assert f"<code>{source['source_id']}</code>" in html


def test_report_is_offline_with_figures(fake_plan: Any) -> None:
    html = render_report(fake_plan)
    assert "<svg" in html  # the targets figure is drawn
    assert_offline(html)


def test_the_offline_check_can_fail() -> None:
    for bad in (
        '<img src="https://example.org/x.png">',
        "<script src='//cdn.example.org/x.js'></script>",
        '<link rel="stylesheet" href="http://example.org/s.css">',
        "<style>body{background:url(https://example.org/a.png)}</style>",
    ):
        with pytest.raises(AssertionError):
            assert_offline(bad)


def test_summary_numbers_equal_plan_json(fake_plan: Any) -> None:
    data = json.loads(json.dumps(fake_plan.to_dict()))  # exactly what plan.json holds
    html = render_report(fake_plan)
    numbers = parse(html).numbers
    keys = {n["key"] for n in numbers}
    assert {
        "collective_target",
        "collective_baseline",
        "total_cost_musd",
        "funding_year",
        "delivery_year",
        "campaign_endurance_nights",
        "coverage_fraction",
    } <= keys
    summary = data["summary"]
    for n in numbers:
        value = summary[n["key"]]
        assert json.loads(n["value"]) == value, n
        if n["none"]:  # a missing number said in words ("not by 2050")
            assert value is None and n["text"].startswith("not"), n
            continue
        shown = None if value is None else (100.0 * value if n["pct"] else value)
        assert n["text"] == format_value(shown, n["key"]), n
    # The fake stages' numbers really are in the page, formatted.
    assert "123,456" in html or "123,457" in html
    assert ">155<" in html
    assert ">2031<" in html  # years print without a thousands separator


def test_national_table_equals_plan_json(fake_plan: Any) -> None:
    html = render_report(fake_plan)
    for row in fake_plan.to_dict()["summary"]["national_targets"]:
        match = re.search(rf'<tr data-iso3="{row["iso3"]}">(.*?)</tr>', html, re.S)
        assert match, row
        values = re.findall(r'data-value="([^"]*)"', match.group(1))
        assert [json.loads(v) for v in values] == [row["baseline"], row["target"]]


def test_national_table_by_tier_equals_plan_json(small_plan: Any) -> None:
    html = render_report(small_plan)
    summary = json.loads(json.dumps(small_plan.to_dict()))["summary"]
    assert summary["long_medium_target"] == sum(
        summary["collective_target_by_tier"][t] for t in ("long", "medium")
    )
    assert summary["long_medium_baseline"] == sum(
        summary["collective_baseline_by_tier"][t] for t in ("long", "medium")
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


def test_every_stage_has_a_section_and_unavailable_ones_say_so(fake_plan: Any) -> None:
    html = render_report(fake_plan)
    for stage in STAGES:
        assert f'<section id="{stage}"' in html
    siting = html.split('<section id="siting"', 1)[1].split("</section>", 1)[0]
    assert "not available" in siting
    assert "not part of this test" in siting


def test_report_renders_from_plan_json_dict(fake_plan: Any) -> None:
    data = json.loads(json.dumps(fake_plan.to_dict()))
    html = render_report(data)
    assert parse(html).numbers == parse(render_report(fake_plan)).numbers
    assert_offline(html)


def test_attribution_print_css_and_assumptions(fake_plan: Any) -> None:
    html = render_report(fake_plan)
    assert ODC_BY_ATTRIBUTION.split(";")[0] in html.replace("&#34;", '"')
    assert "ODC-BY 1.0" in html
    assert "@media print" in html
    # The changed setting is highlighted in the assumptions table.
    assert re.search(r'<tr class="changed"><td><code>threat\.nights</code></td><td>40</td>', html)


def test_report_escapes_user_text(fake_stages: None) -> None:
    html = render_report(run_plan(Scenario(name="<script>alert(1)</script>")))
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


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


def test_failed_stage_is_reported_as_such(
    fake_stages: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gbad.plan import _runner

    def broken(ctx: object) -> None:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setitem(_runner.ADAPTERS, "industry", broken)
    plan = run_plan()
    html = render_report(plan)
    industry = html.split('<section id="industry"', 1)[1].split("</section>", 1)[0]
    assert "failed with an internal error" in industry
    assert "ZeroDivisionError: division by zero" in industry
    assert_offline(html)
    # The plan.json form renders the same way (e.g. a failed run from the store).
    assert "failed with an internal error" in render_report(plan.to_dict())


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
