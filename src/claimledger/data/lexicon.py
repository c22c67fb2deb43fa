"""Domain vocabularies shipped as data (src/claimledger/data/*.yaml): loaded once, read-only.

Judgement code (assess/, copy/) keeps its knowledge of the domain in these files, not in code.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from typing import Any

import yaml

__all__ = ["load_lexicon", "parse_lexicon"]

# A long alternation is wrapped after a bar: "(a|b|" on one line, "c|d)" on the next. YAML folds
# the line break into a space, which would make " c" an alternative that needs a space. The bar
# ending a line is marked before parsing and the fold after it removed, so a wrap adds nothing
# while a space written after a bar on the same line ("(n.t| not)") is kept as written.
_WRAP_MARK = "\ue000"  # a private-use character: never in the lexicons' own text
_WRAPPED = re.compile(r"(?<=[^\s\\])\|[ \t]*$", re.M)  # not "key: |" nor an escaped bar
_FOLD = re.compile(_WRAP_MARK + r"\s*")


@cache
def load_lexicon(name: str) -> dict[str, Any]:
    """The parsed ``data/<name>.yaml`` shipped with the package."""
    raw = resources.files("claimledger").joinpath(f"data/{name}.yaml").read_text(encoding="utf-8")
    return parse_lexicon(raw, f"data/{name}.yaml")


def parse_lexicon(raw: str, where: str = "lexicon") -> dict[str, Any]:
    """A lexicon's YAML text parsed, with alternations wrapped after a bar joined up again."""
    data = _unwrapped(yaml.safe_load(_WRAPPED.sub("|" + _WRAP_MARK, raw)))
    if not isinstance(data, dict):
        raise ValueError(f"{where} must hold a mapping")
    return data


def _unwrapped(value: Any) -> Any:
    """``value`` with every wrap mark and the fold after it removed, in every string it holds."""
    if isinstance(value, str):
        return _FOLD.sub("", value) if _WRAP_MARK in value else value
    if isinstance(value, dict):
        return {_unwrapped(k): _unwrapped(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_unwrapped(v) for v in value]
    return value
