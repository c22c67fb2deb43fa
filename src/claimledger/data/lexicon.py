"""Domain vocabularies shipped as data (src/claimledger/data/*.yaml): loaded once, read-only.

Judgement code (assess/, copy/) keeps its knowledge of the domain in these files, not in code.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml

__all__ = ["load_lexicon"]


@cache
def load_lexicon(name: str) -> dict[str, Any]:
    """The parsed ``data/<name>.yaml`` shipped with the package."""
    raw = resources.files("claimledger").joinpath(f"data/{name}.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(raw)
    if not isinstance(data, dict):
        raise ValueError(f"data/{name}.yaml must hold a mapping")
    return data
