"""The report's "Joint against national" section renders plan.json["essi"]."""

from __future__ import annotations

import json
import re
from pathlib import Path

from gbad._jsonable import to_jsonable
from gbad.budget import compute_budget
from gbad.industry.essi import compute_essi
from gbad.reference import load_table
from gbad.report._render import _environment
from gbad.scenario import Scenario
from gbad.targets import compute_targets
from tests.targets.fixtures import make_ref

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "gbad" / "report" / "templates"


def test_section_shows_cost_split_delivery_and_allies() -> None:
    ref = make_ref()
    ref.pooling = load_table("pooling")
    sc = Scenario()
    t = compute_targets(ref, sc)
    r = compute_essi(ref, sc, t, compute_budget(ref, sc, t))
    data = to_jsonable(r.to_dict())
    html = _environment().get_template("_essi.html.j2").render(essi=data)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert "Joint against national" in text
    assert "framework-contract discount" in text
    total = data["cost"]["total"]["national_musd"]
    assert f'data-value="{json.dumps(total)}"' in html
    for row in data["cost"]["by_ally"]:
        assert row["iso3"] in text
    assert "in war" not in text  # no force given: no campaign table
    assert _environment().get_template("_essi.html.j2").render(essi=None).strip() == ""


def test_main_template_includes_the_section() -> None:
    main = (TEMPLATES / "report.html.j2").read_text(encoding="utf-8")
    assert '{% include "_essi.html.j2" %}' in main
