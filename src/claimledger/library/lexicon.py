"""Lexicon patterns for copy checking: the data/ loader re-exported, and Caseless, the way the
copy checker matches the regular expressions its lexicons (data/copy.yaml, data/wording.yaml) hold.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from re import _constants as _sre  # type: ignore[attr-defined]
from re import _parser  # type: ignore[attr-defined]
from typing import Any

from claimledger.data.lexicon import load_lexicon

__all__ = ["Caseless", "gram_filter", "load_lexicon", "trigrams"]


_CAPITAL = re.compile(r"(?<!\\)[A-Z]")


class Caseless:
    """A lexicon pattern, matched without regard to case.

    Lexicon patterns are long word lists; Python's re.IGNORECASE makes them about twice as slow
    as matching the lower-cased text, which is what this does whenever lower-casing keeps every
    offset (and the pattern has no capitals). Offsets always refer to the text passed in.
    """

    __slots__ = ("_grams", "_i", "_low", "_needles")

    def __init__(self, pattern: str) -> None:
        p = " ".join(pattern.split()).replace("| ", "|")
        self._i = re.compile(p, re.I)
        self._low = None if _CAPITAL.search(p) else re.compile(p)
        # literal pieces one of which every match contains: a text with none of them is skipped
        # without running the regex (most sentences match few of a lexicon's patterns)
        found = _needles(_parser.parse(p)) if self._low is not None else None
        self._needles = tuple(sorted(found)) if found else None
        self._grams = _rare_grams(self._needles)

    @property
    def needles(self) -> tuple[str, ...] | None:
        """Lower-case literal pieces one of which every match contains (None: not known)."""
        return self._needles

    def _pick(self, s: str) -> tuple[re.Pattern[str], str]:
        if self._low is not None:
            low = s.lower()
            if len(low) == len(s):
                return self._low, low
        return self._i, s

    def search(self, s: str) -> re.Match[str] | None:
        return self.search_in(s, s.lower())

    def search_in(self, s: str, low: str) -> re.Match[str] | None:
        """search(s) when the caller already has ``low = s.lower()`` (many patterns, one text)."""
        if self._low is not None and len(low) == len(s):
            if self._grams is not None and trigrams(low).isdisjoint(self._grams):
                return None  # one set operation: no needle's rarest trigram is in the text
            if self._needles is not None and not any(map(low.__contains__, self._needles)):
                return None
            return self._low.search(low)
        return self._i.search(s)

    def finditer(self, s: str) -> Iterator[re.Match[str]]:
        rx, t = self._pick(s)
        if rx is self._low and self._needles and not any(map(t.__contains__, self._needles)):
            return iter(())
        return rx.finditer(t)

    def sub(self, repl: str, s: str) -> str:
        """``s`` with every match replaced by the literal ``repl``; the rest keeps its case."""
        out: list[str] = []
        last = 0
        for m in self.finditer(s):
            out += [s[last : m.start()], repl]
            last = m.end()
        return "".join([*out, s[last:]])


_GRAM = 3
_GRAMS_KEPT = 256  # texts whose trigram sets are kept (a page's units are probed in turn)
_grams_of: dict[str, frozenset[str]] = {}


def trigrams(low: str) -> frozenset[str]:
    """Every run of three characters in ``low``. Kept for the last texts seen: every pattern of
    every lexicon is tried on the same few texts of a sentence, so each set is made once."""
    grams = _grams_of.get(low)
    if grams is None:
        if len(_grams_of) >= _GRAMS_KEPT:
            _grams_of.clear()
        grams = _grams_of[low] = frozenset(map("".join, zip(low, low[1:], low[2:], strict=False)))
    return grams


def gram_filter(rx: Caseless) -> frozenset[str] | None:
    """One trigram of each literal piece one of which every match of ``rx`` contains: a
    lower-cased text none of whose trigrams is among these cannot match, which one set operation
    tells (checking many patterns against one text). None when that cannot be said."""
    return _rare_grams(rx.needles)


# Space and the letters from the commonest in English to the rarest: of a needle's trigrams the
# one made of the rarest characters is the one a text is least likely to contain, so it rules
# out the most texts
_COMMON = " etaoinshrdlcumwfgypbvkjxqz"


def _commonness(gram: str) -> int:
    return sum(len(_COMMON) - _COMMON.index(c) for c in gram if c in _COMMON)


def _rare_grams(needles: Sequence[str] | None) -> frozenset[str] | None:
    if not needles or min(map(len, needles)) < _GRAM:
        return None
    return frozenset(
        min((x[i : i + _GRAM] for i in range(len(x) - _GRAM + 1)), key=_commonness) for x in needles
    )


def _needles(items: Sequence[Any]) -> frozenset[str] | None:
    """Substrings one of which any match of this parsed pattern must contain, or None when that
    cannot be said simply. A run of literal characters is required as a whole; a group is
    required when it must occur; a branch requires one of its alternatives' needles."""
    best: frozenset[str] | None = None
    run = ""

    def consider(found: frozenset[str] | None) -> None:
        nonlocal best
        shortest = min(map(len, found)) if found else 0
        if found and shortest >= 2 and (best is None or shortest > min(map(len, best))):
            best = found

    for op, arg in items:
        if op is _sre.LITERAL:
            run += chr(arg)
            continue
        consider(frozenset([run]) if run else None)
        run = ""
        if op is _sre.SUBPATTERN:
            consider(_needles(arg[-1]))
        elif op is _sre.BRANCH:
            alts = [_needles(a) for a in arg[1]]
            if all(alts):
                consider(frozenset().union(*[a for a in alts if a]))
        elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT) and arg[0] >= 1:
            consider(_needles(arg[2]))
    consider(frozenset([run]) if run else None)
    return best
