"""The documentation: builds with --strict, generated pages are current, examples run."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"

#: Pages the site must have (the nav names every one of them).
PAGES = {
    "index.md",
    "install.md",
    "first-plan.md",
    "plan.md",
    "scenario.md",
    "methodology.md",
    "glossary.md",
    "targets.md",
    "force.md",
    "budget.md",
    "industry.md",
    "essi.md",
    "requirement.md",
    "siting.md",
    "coverage.md",
    "engagement.md",
    "calibration.md",
    "campaign.md",
    "sweep.md",
    "data.md",
    "web.md",
}


def load_tool(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def nav_files(node: object) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, list):
        return [f for item in node for f in nav_files(item)]
    if isinstance(node, dict):
        return [f for value in node.values() for f in nav_files(value)]
    return []


def test_scenario_reference_is_current() -> None:
    gen = load_tool("gen_scenario_docs")
    committed = (DOCS / "scenario.md").read_text(encoding="utf-8")
    assert committed == gen.generate(), (
        "docs/scenario.md is stale: run .venv/bin/python tools/gen_scenario_docs.py"
    )


def test_scenario_reference_names_every_field() -> None:
    from gbad.scenario import Scenario

    text = (DOCS / "scenario.md").read_text(encoding="utf-8")
    for name, field in Scenario.model_fields.items():
        sub = getattr(field.annotation, "model_fields", None)
        if sub is None:
            assert f"| `{name}` |" in text
        else:
            for child in sub:
                assert f"| `{name}.{child}` |" in text


def test_nav_lists_every_page_and_every_page_exists() -> None:
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    files = nav_files(config["nav"])
    assert set(files) == PAGES
    assert len(files) == len(set(files))
    for name in files:
        assert (DOCS / name).is_file(), name


@pytest.mark.slow
def test_site_builds_strict(tmp_path: Path) -> None:
    config = ["--config-file", str(ROOT / "mkdocs.yml"), "--site-dir", str(tmp_path / "site")]
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", *config],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "site" / "first-plan" / "index.html").is_file()


def python_blocks(page: Path) -> list[str]:
    text = page.read_text(encoding="utf-8")
    return re.findall(r"^```python\n(.*?)^```", text, flags=re.S | re.M)


def test_first_plan_has_examples() -> None:
    assert len(python_blocks(DOCS / "first-plan.md")) >= 4


def test_first_plan_examples_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run the page's Python blocks in order, in one namespace, in an empty directory."""
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {"__name__": "first_plan"}
    for i, block in enumerate(python_blocks(DOCS / "first-plan.md")):
        code = compile(block, f"docs/first-plan.md[python block {i + 1}]", "exec")
        exec(code, namespace)  # our own documentation examples
    assert (tmp_path / "report.html").is_file()
    assert (tmp_path / "plan.json").is_file()


def test_plan_page_explains_every_summary_key() -> None:
    from gbad.plan import SUMMARY_KEYS

    text = (DOCS / "plan.md").read_text(encoding="utf-8")
    for key in SUMMARY_KEYS:
        assert f"| `{key}` |" in text, key
