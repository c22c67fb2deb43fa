"""Load the lexicons in claimledger/data/ (YAML): domain knowledge is data, not code.

Each lexicon is read once per process. Regexes in a lexicon are compiled by the module that uses
them, which knows what each list means.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml

__all__ = ["load_lexicon"]


@cache
def load_lexicon(name: str) -> dict[str, Any]:
    """The mapping in ``claimledger/data/<name>.yaml``."""
    raw = resources.files("claimledger").joinpath(f"data/{name}.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(raw)
    if not isinstance(data, dict):
        raise ValueError(f"data/{name}.yaml must hold a mapping")
    return data
