"""One cue pass per sentence: many ordered cue lists read from a sentence at once. Pure.

Why: the checker asks each sentence dozens of questions of the same lexicon (each wording
category has its own cue lists, tried one after the other), and most answers are "no". Asking
list by list cost a set operation, a needle scan and a sort per list, about sixty look-ups per
sentence. Here all the lists of a lexicon are one library.lexicon.CueIndex: one set operation on
the sentence's trigrams says which patterns of ALL lists may match, and each list then runs only
its own candidates, in its own order. The answers are those of running every list's patterns in
order: a pattern is skipped only when the text lacks every literal piece its matches contain.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from claimledger.library.lexicon import Caseless, CueIndex, Runner

__all__ = ["CueLists", "SentenceCues"]


class CueLists:
    """Ordered lists of patterns (list k is ``lists[k]``), read from a text in one pass."""

    __slots__ = ("_index", "_list_of")

    def __init__(self, lists: Sequence[Sequence[Caseless]]) -> None:
        self._index = CueIndex([rx for patterns in lists for rx in patterns])
        # the list each pattern of the flat index belongs to
        self._list_of = tuple(k for k, patterns in enumerate(lists) for _ in patterns)

    def read(self, s: str, low: str, grams: frozenset[str] | None) -> SentenceCues:
        """What each list may match in ``s``: ``low`` is s.lower(), ``grams`` its trigrams
        (library.lexicon.trigrams), None when not known (then every pattern is run)."""
        by_list: dict[int, list[tuple[int, Runner | None]]] = {}
        for i, run in self._index.candidates(s, low, grams):
            by_list.setdefault(self._list_of[i], []).append((i, run))
        return SentenceCues(self._index, s, low, by_list)


class SentenceCues:
    """One text read against a CueLists: the candidates of each list, run when asked."""

    __slots__ = ("_by_list", "_index", "low", "s")

    def __init__(
        self,
        index: CueIndex,
        s: str,
        low: str,
        by_list: dict[int, list[tuple[int, Runner | None]]],
    ) -> None:
        self._index, self.s, self.low, self._by_list = index, s, low, by_list

    def first(self, k: int) -> re.Match[str] | None:
        """The match of list ``k``'s first pattern that matches the text, if any."""
        for i, run in self._by_list.get(k, ()):
            if m := self._index.run(i, run, self.s, self.low):
                return m
        return None
