"""Would one lexicon pass per text make check faster? A replay of the lexicon engine's filter.

check asks each text of a page of several CueIndexes (claim cues, topic cues, every wording
category's cues, treatments, conditions, ...; library/lexicon.py): each index intersects the
text's trigrams with its own and tests the literal pieces filed under those it finds
(CueIndex.candidates), then runs the regexes of the patterns whose pieces are there. The route
speed25 saw: find every index's pieces in ONE pass per text, and let each index read its own
candidates from that. This checks the spread dev pages as check_speed.py does (nothing of the
FRESH pages is printed: only totals over the nine pages), records every CueIndex.candidates call
and replays them, CPU time, best of seven:

- the calls as check makes them (CueIndex.candidates), and the part of it that tests the pieces;
- the one-pass route: per distinct text, the pieces of every index found at once (each piece
  looked for once however many indexes file it), then each call's candidates read from those; its
  candidates are checked equal to CueIndex.candidates' (same patterns, same order, same runner);
- the regex runs of all those candidates (CueIndex.run; check runs fewer: a ``first`` stops at
  the first match), those that match and those that do not.

    python benchmarks/lexicon_pass.py

Session 25 (speed26, at 7f2f2ae, a loaded machine): 5,597 calls on 1,220 texts, 14 indexes; as
now 21.6 ms (piece tests 15.2); one pass 9.5 ms + 16.0 ms = 25.6 ms, slower: the indexes share
few pieces (2,778 distinct of 3,913 filed), and reading a text's pieces back per index costs
what testing them did. Even free passes would save under 6 ms of a ~300 ms check. The regex runs
(4.3 ms matching, 16.0 ms not) are a long tail: 427 patterns miss at least once, none costs a
millisecond a check. Also tried then, not kept: moving each leading ``\\b`` behind the first
literal so that sre scans for the first characters (51 patterns: 5.3 ms -> 7.7 ms, slower);
reading alternatives anchored at the start with str.startswith (exact; about 2 ms, below the
machine's noise); freezing the collector after loading (its collections cost about 1.5 ms).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from check_speed import forget_words, spread_pages  # noqa: E402

from claimledger.copy import check as copy_check  # noqa: E402
from claimledger.copy.check import ClaimMatcher  # noqa: E402
from claimledger.copy.documents import read_document  # noqa: E402
from claimledger.library import lexicon  # noqa: E402
from claimledger.library.claims import load_claims  # noqa: E402

Call = tuple[lexicon.CueIndex, str, str, frozenset[str] | None]


def record() -> list[Call]:
    """Every CueIndex.candidates call of one check of the spread pages (after a warm-up)."""
    library = load_claims(ROOT / "claims.yaml")
    docs = [read_document(p) for p in spread_pages(5000)]
    calls: list[Call] = []
    plain = lexicon.CueIndex.candidates

    def kept(self: lexicon.CueIndex, s: str, low: str, grams: frozenset[str] | None) -> Any:
        calls.append((self, s, low, grams))
        return plain(self, s, low, grams)

    for _ in range(2):  # the first check compiles the lexicons
        calls.clear()
        lexicon.CueIndex.candidates = kept  # type: ignore[method-assign]
        try:
            forget_words()
            matcher = ClaimMatcher(library)
            for d in docs:
                copy_check.check_text(d.name, d.text, library, {}, matcher, d.kind, d.roles)
        finally:
            lexicon.CueIndex.candidates = plain  # type: ignore[method-assign]
    return calls


class OnePass:
    """The pieces of every index in ``indexes`` filed under one trigram table: a text's pieces
    are found once (``present``), and each index reads its candidates from them (``candidates``,
    which gives what CueIndex.candidates gives)."""

    def __init__(self, indexes: list[lexicon.CueIndex]) -> None:
        table: dict[str, set[str]] = {}
        self.owners: dict[int, tuple[frozenset[str], dict[str, tuple[Any, Any]]]] = {}
        for ix in indexes:
            own: dict[str, tuple[Any, Any]] = {}
            for g, entries in ix._by_gram.items():
                for needle, plain, rested in entries:
                    table.setdefault(g, set()).add(needle)
                    had = own.get(needle, (frozenset(), ()))
                    own[needle] = (had[0] | plain, had[1] + rested)
            self.owners[id(ix)] = (frozenset(own), own)
        self.table = {g: tuple(sorted(v)) for g, v in table.items()}
        self.grams = frozenset(self.table)

    def present(self, low: str, grams: frozenset[str]) -> frozenset[str]:
        """Every index's pieces that ``low`` holds (the one pass)."""
        table = self.table
        return frozenset(n for g in self.grams.intersection(grams) for n in table[g] if n in low)

    def candidates(
        self, ix: lexicon.CueIndex, s: str, low: str, grams: frozenset[str] | None, found: Any
    ) -> list[tuple[int, Any]]:
        if grams is None or len(low) != len(s):
            return [(i, None) for i in range(len(ix._patterns))]
        keys, own = self.owners[id(ix)]
        ids: set[int] = set()
        for needle in keys.intersection(found):
            plain, rested = own[needle]
            ids |= plain
            for i, rest in rested:
                if i not in ids and lexicon._rest_in(rest, low):
                    ids.add(i)
        if ix._short:
            lexicon._owners_in(ix._short, low, ids)
        ascii_text = low.isascii() and low.isprintable()
        if not ids:
            return ix._ascii_always_runs if ascii_text else ix._always_runs
        runners = ix._ascii_filtered if ascii_text else ix._filtered
        return [(i, runners.get(i)) for i in sorted(ids.union(ix._always))]


def best(fn: Callable[[], object], repeat: int = 7) -> float:
    times = []
    for _ in range(repeat):
        t = time.process_time()
        fn()
        times.append(time.process_time() - t)
    return min(times) * 1000


def piece_tests(calls: list[Call]) -> None:
    """CueIndex.candidates' own test of the pieces (its loop over the trigrams found)."""
    for ix, _, low, grams in calls:
        if grams is None:
            continue
        ids: set[int] = set()
        by_gram = ix._by_gram
        for g in ix._grams.intersection(grams):
            for needle, plain, rested in by_gram[g]:
                if needle in low:
                    ids |= plain
                    for i, rest in rested:
                        if i not in ids and lexicon._rest_in(rest, low):
                            ids.add(i)


def main() -> None:
    calls = record()
    indexes = list({id(ix): ix for ix, _, _, _ in calls}.values())
    texts = {low: grams for _, _, low, grams in calls if grams is not None}
    one = OnePass(indexes)
    found = {low: one.present(low, grams) for low, grams in texts.items()}
    for ix, s, low, grams in calls:  # exactness first: the same candidates, in the same order
        assert one.candidates(ix, s, low, grams, found.get(low)) == ix.candidates(s, low, grams)
    print(
        f"{len(calls):,} CueIndex.candidates calls on {len(texts):,} distinct texts, "
        f"{len(indexes)} indexes (the spread dev pages, one check); one-pass candidates: identical"
    )
    now = best(lambda: [ix.candidates(s, low, g) for ix, s, low, g in calls])
    print(
        f"as now (CueIndex.candidates): {now:6.1f} ms, of which its piece tests "
        f"{best(lambda: piece_tests(calls)):.1f} ms"
    )
    passes = best(lambda: [one.present(low, g) for low, g in texts.items()])
    reads = best(lambda: [one.candidates(ix, s, low, g, found.get(low)) for ix, s, low, g in calls])
    print(
        f"one pass per text: {passes:6.1f} ms for the passes + {reads:.1f} ms for the calls "
        f"reading them = {passes + reads:.1f} ms"
    )
    runs = [(ix, i, run, s, low) for ix, s, low, g in calls for i, run in ix.candidates(s, low, g)]
    hit = [r for r in runs if r[0].run(r[1], r[2], r[3], r[4])]
    miss = [r for r in runs if not r[0].run(r[1], r[2], r[3], r[4])]
    print(
        f"regex runs of every candidate: {len(runs):,} ({len(hit):,} match) "
        f"{best(lambda: [ix.run(i, run, s, low) for ix, i, run, s, low in hit]):.1f} ms matching, "
        f"{best(lambda: [ix.run(i, run, s, low) for ix, i, run, s, low in miss]):.1f} ms not"
    )


if __name__ == "__main__":
    main()
