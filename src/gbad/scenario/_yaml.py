"""Reading scenario documents: YAML numbers as numbers, nesting bounded.

PyYAML implements the YAML 1.1 float pattern, which needs a dot: ``1e308`` or
``1E-3`` would load as *text*, and a scenario value ``1e308`` would then be
refused as "not a number" (or, worse, accepted as a name). :data:`ScenarioLoader`
adds the YAML 1.2 core-schema float pattern, so every literal that reads as a
number is one. ``.nan`` and ``.inf`` still load as floats; the scenario model
refuses them by name ("finite number").

Deeply nested documents (``[[[[...]]]]`` a thousand levels deep) would exhaust
the interpreter's recursion limit in the parser or the validator; they are
refused first, naming ``scenario`` (no scenario is deeper than a few levels).
"""

from __future__ import annotations

import json
import re
from typing import Any

import yaml

from gbad.errors import GbadInputError

__all__ = ["MAX_DEPTH", "ScenarioLoader", "check_depth", "loads_json", "loads_yaml", "text_depth"]

#: Deepest nesting of mappings and lists a scenario document may have.
MAX_DEPTH = 32


class ScenarioLoader(yaml.SafeLoader):
    """Safe YAML loader that reads ``1e308`` and ``2E-3`` as floats (YAML 1.2)."""


ScenarioLoader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(
        r"""^(?:[-+]?(?:[0-9][0-9_]*)(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)
        |[-+]?\.[0-9_]+(?:[eE][-+]?[0-9]+)?)$""",
        re.X,
    ),
    list("-+0123456789."),
)


def text_depth(text: str) -> int:
    """Deepest bracket nesting of a JSON or flow-YAML text (strings skipped).

    A linear scan, so a hostile body is measured before any recursive parser
    sees it. Block-style YAML nests by indentation; its depth is checked after
    loading (:func:`check_depth`), which the parser reaches without recursion
    trouble because indentation is bounded by the body size limit.
    """
    depth = deepest = 0
    quote = ""
    escaped = False
    for char in text:
        if quote:
            if escaped:
                escaped = False
            elif char == "\\" and quote == '"':
                escaped = True
            elif char == quote:
                quote = ""
            continue
        if char in "\"'":
            quote = char
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def check_depth(document: Any, field: str = "scenario", limit: int = MAX_DEPTH) -> None:
    """Refuse a decoded document nested deeper than ``limit`` (iteratively, no recursion)."""
    stack: list[tuple[Any, int]] = [(document, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict | list):
            if depth > limit:
                raise GbadInputError(field, f"nested more than {limit} levels deep")
            children = node.values() if isinstance(node, dict) else node
            stack.extend((child, depth + 1) for child in children)


def _guard(text: str, field: str) -> None:
    if text_depth(text) > MAX_DEPTH:
        raise GbadInputError(field, f"nested more than {MAX_DEPTH} levels deep")


def loads_yaml(text: str, field: str = "scenario") -> Any:
    """Load YAML text with :class:`ScenarioLoader`, depth-checked.

    Raises
    ------
    GbadInputError
        Naming ``field`` for malformed or too deeply nested YAML.
    """
    _guard(text, field)
    try:
        document = yaml.load(text, Loader=ScenarioLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise GbadInputError(field, f"malformed YAML{where}") from None
    except RecursionError:
        raise GbadInputError(field, f"nested more than {MAX_DEPTH} levels deep") from None
    check_depth(document, field)
    return document


def loads_json(text: str, field: str = "scenario") -> Any:
    """Load JSON text, depth-checked.

    Raises
    ------
    GbadInputError
        Naming ``field`` for malformed or too deeply nested JSON.
    """
    _guard(text, field)
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise GbadInputError(field, f"malformed JSON at line {exc.lineno}") from None
    except RecursionError:
        raise GbadInputError(field, f"nested more than {MAX_DEPTH} levels deep") from None
    check_depth(document, field)
    return document
