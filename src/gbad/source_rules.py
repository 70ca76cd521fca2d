"""Kinds of source the reference-data rules exclude or discourage.

The audit's policy, not reference data: each rule is a regular expression matched
(case-insensitive) in a source's id, title, publisher or URL, the kind of source it
flags and whether that kind is ``excluded`` (never cited: adversary state media,
game files, quizzes; DESIGN.md, "Reference data rules") or ``discouraged`` (re-posting
blogs and content farms, to be replaced by a primary or established source).
:func:`gbad.data_quality.flag_sources` applies them.
"""

from __future__ import annotations

from dataclasses import astuple, dataclass

import pandas as pd

__all__ = ["KINDS", "RULES", "SOURCE_RULES", "SourceRule", "source_rules_frame"]

#: Kinds of source a rule may flag.
KINDS = ("adversary state media", "game files", "quiz", "re-posting blog", "content farm")
#: ``excluded``: never cited; ``discouraged``: to be replaced.
RULES = ("excluded", "discouraged")


@dataclass(frozen=True)
class SourceRule:
    """One rule: ``pattern`` (regular expression), ``kind``, ``rule``, ``reason``."""

    pattern: str
    kind: str
    rule: str
    reason: str


SOURCE_RULES: tuple[SourceRule, ...] = (
    SourceRule("\\btass\\b", "adversary state media", "excluded", "Russian state news agency"),
    SourceRule("sputnik", "adversary state media", "excluded", "Russian state media"),
    SourceRule("\\brt\\.com\\b", "adversary state media", "excluded", "Russian state media"),
    SourceRule("\\bria\\.ru\\b", "adversary state media", "excluded", "Russian state news agency"),
    SourceRule(
        "news-pravda|pravda-[a-z]{2}\\.com",
        "adversary state media",
        "excluded",
        "Pravda network of re-posting sites (Russian influence operation)",
    ),
    SourceRule(
        "topwar",
        "adversary state media",
        "excluded",
        "Russian military news site aligned with the state",
    ),
    SourceRule(
        "dcs world",
        "game files",
        "excluded",
        "Flight-simulator game data: not evidence of real performance",
    ),
    SourceRule(
        "war thunder", "game files", "excluded", "Game data: not evidence of real performance"
    ),
    SourceRule("\\bquiz", "quiz", "excluded", "Quiz content: no provenance"),
    SourceRule("m-ru24", "adversary state media", "discouraged", "Russian news aggregator"),
    SourceRule(
        "vpk-name",
        "adversary state media",
        "discouraged",
        "Russian defence-news aggregator (re-posts)",
    ),
    SourceRule("ruwar", "re-posting blog", "discouraged", "Re-posts of other outlets' reporting"),
    SourceRule(
        "blogspot", "re-posting blog", "discouraged", "Blog that re-posts other outlets' reporting"
    ),
    SourceRule(
        "over-blog", "re-posting blog", "discouraged", "Blog that re-posts other outlets' reporting"
    ),
    SourceRule(
        "24newsbulletin", "content farm", "discouraged", "Aggregator without named authorship"
    ),
    SourceRule(
        "dailynorthern", "content farm", "discouraged", "Aggregator without named authorship"
    ),
    SourceRule(
        "frankfurtsta", "content farm", "discouraged", "Aggregator without named authorship"
    ),
    SourceRule("lbnntv", "content farm", "discouraged", "Aggregator without named authorship"),
    SourceRule("omnixianews", "content farm", "discouraged", "Re-post of Defense News"),
    SourceRule("psyll", "content farm", "discouraged", "Aggregator without named authorship"),
    SourceRule("webjosh", "content farm", "discouraged", "Aggregator without named authorship"),
    SourceRule(
        "tradingfocus", "content farm", "discouraged", "Aggregator without named authorship"
    ),
    SourceRule("good-time-invest", "content farm", "discouraged", "Re-post of El País"),
    SourceRule("suv-report", "content farm", "discouraged", "Aggregator without named authorship"),
    SourceRule("gulftime", "content farm", "discouraged", "Re-post of Bloomberg"),
    SourceRule("menanews", "content farm", "discouraged", "Aggregator without named authorship"),
    SourceRule("mediatop", "content farm", "discouraged", "Aggregator without named authorship"),
    SourceRule("ccschy", "content farm", "discouraged", "Aggregator without named authorship"),
)


def source_rules_frame() -> pd.DataFrame:
    """The rules as a table: ``pattern, kind, rule, reason``."""
    return pd.DataFrame(
        [astuple(r) for r in SOURCE_RULES], columns=["pattern", "kind", "rule", "reason"]
    )
