"""Load the lexicons in claimledger/data/ (YAML): domain knowledge is data, not code.

Each lexicon is read once per process. Regexes in a lexicon are compiled by the module that uses
them, which knows what each list means.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from importlib import resources
from typing import Any

import yaml

__all__ = ["Caseless", "load_lexicon"]


@cache
def load_lexicon(name: str) -> dict[str, Any]:
    """The mapping in ``claimledger/data/<name>.yaml``."""
    raw = resources.files("claimledger").joinpath(f"data/{name}.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(raw)
    if not isinstance(data, dict):
        raise ValueError(f"data/{name}.yaml must hold a mapping")
    return data


_CAPITAL = re.compile(r"(?<!\\)[A-Z]")


class Caseless:
    """A lexicon pattern, matched without regard to case.

    Lexicon patterns are long word lists; Python's re.IGNORECASE makes them about twice as slow
    as matching the lower-cased text, which is what this does whenever lower-casing keeps every
    offset (and the pattern has no capitals). Offsets always refer to the text passed in.
    """

    __slots__ = ("_i", "_low")

    def __init__(self, pattern: str) -> None:
        p = " ".join(pattern.split()).replace("| ", "|")
        self._i = re.compile(p, re.I)
        self._low = None if _CAPITAL.search(p) else re.compile(p)

    def _pick(self, s: str) -> tuple[re.Pattern[str], str]:
        if self._low is not None:
            low = s.lower()
            if len(low) == len(s):
                return self._low, low
        return self._i, s

    def search(self, s: str) -> re.Match[str] | None:
        rx, t = self._pick(s)
        return rx.search(t)

    def search_in(self, s: str, low: str) -> re.Match[str] | None:
        """search(s) when the caller already has ``low = s.lower()`` (many patterns, one text)."""
        if self._low is not None and len(low) == len(s):
            return self._low.search(low)
        return self._i.search(s)

    def finditer(self, s: str) -> Iterator[re.Match[str]]:
        rx, t = self._pick(s)
        return rx.finditer(t)

    def sub(self, repl: str, s: str) -> str:
        """``s`` with every match replaced by the literal ``repl``; the rest keeps its case."""
        out: list[str] = []
        last = 0
        for m in self.finditer(s):
            out += [s[last : m.start()], repl]
            last = m.end()
        return "".join([*out, s[last:]])
