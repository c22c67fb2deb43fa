"""Lexicon patterns for copy checking: the data/ loader re-exported, and Caseless, the way the
copy checker matches the regular expressions its lexicons (data/copy.yaml, data/wording.yaml) hold.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from itertools import chain, islice
from re import _constants as _sre  # type: ignore[attr-defined]
from re import _parser  # type: ignore[attr-defined]
from typing import Any

from claimledger.data.lexicon import load_lexicon

__all__ = [
    "Caseless",
    "CueIndex",
    "forget_texts",
    "gram_filter",
    "load_lexicon",
    "lower_keeping_offsets",
    "matching",
    "on_forget",
    "plain_ascii",
    "shared_index",
    "trigrams",
]


_CAPITAL = re.compile(r"(?<!\\)[A-Z]")


def plain_ascii(s: str) -> bool:
    """Printable ASCII: on such text a regular expression compiled with re.ASCII finds what it
    finds without (\\w, \\d and \\b differ only on other characters, and \\s only on those and
    on the control characters \\x1c-\\x1f), and runs about a third faster."""
    return s.isascii() and s.isprintable()


def lower_keeping_offsets(s: str) -> str:
    """``s`` lower-cased character by character, one character for one: str.lower() turns "İ"
    into two ("i" and a combining dot), which moves every offset after it; here it is "i", so
    an offset found in the result is one in ``s``."""
    low = s.lower()
    if len(low) == len(s):
        return low
    return "".join(c if len(c) == 1 else c[0] for c in map(str.lower, s))


class Caseless:
    """A lexicon pattern, matched without regard to case.

    Lexicon patterns are long word lists; Python's re.IGNORECASE makes them about twice as slow
    as matching the lower-cased text, which is what this does whenever lower-casing keeps every
    offset (and the pattern has no capitals). Offsets always refer to the text passed in. On
    printable ASCII text the pattern compiled with re.ASCII is run (see plain_ascii): it finds
    the same matches, about a third faster.
    """

    __slots__ = (
        "_ascii",
        "_bare",
        "_by_gram",
        "_grams",
        "_i_rx",
        "_low",
        "_needles",
        "_p",
        "_part_by_gram",
        "_part_grams",
        "_rests",
        "_short",
    )

    def __init__(self, pattern: str) -> None:
        # runs of white space are one space; a space after a bar is kept ("(n.t| not)" needs
        # it): lexicons wrapped after a bar are joined up by load_lexicon, not here
        p = " ".join(pattern.split())
        self._p = p
        self._i_rx: re.Pattern[str] | None = None  # see _i
        self._low = None if _CAPITAL.search(p) else re.compile(p)
        self._ascii = None if self._low is None else re.compile(p, re.ASCII)
        # literal pieces one of which every match contains: a text with none of them is skipped
        # without running the regex (most sentences match few of a lexicon's patterns)
        parsed = _parser.parse(p) if self._low is not None else None
        found = _needles(parsed) if parsed is not None else None
        # sharper when known: each alternative's most telling piece, and what else it needs
        # (see _requirements): a text with the piece but not the rest is skipped too
        required = _requirements(parsed) if parsed is not None else None
        self._rests: dict[str, Rests] = {}
        if required:
            found = frozenset(required)
            self._rests = {n: r for n, r in required.items() if r}
        self._needles = tuple(sorted(found)) if found else None
        # each needle filed under its filter trigram: a text can hold only the needles filed
        # under trigrams it has, so only those are looked for
        self._by_gram = _by_rare_gram(self._needles)
        self._grams = frozenset(self._by_gram) if self._by_gram else None
        _use(self._grams)
        # needles too short for a trigram ("$", "%", "#"): those are looked for as they are, the
        # others through their trigrams as above (a filter of its own: gram_filter stays exact)
        self._short: tuple[str, ...] | None = None
        self._part_by_gram: dict[str, tuple[str, ...]] = {}
        self._part_grams: frozenset[str] = frozenset()
        if self._needles is not None and self._grams is None:
            self._short = tuple(n for n in self._needles if len(n) < _GRAM)
            self._part_by_gram = _by_rare_gram([n for n in self._needles if len(n) >= _GRAM])
            self._part_grams = frozenset(self._part_by_gram)
            _use(self._part_grams or None)
        # a needle of one letter or a space ("s" of "\w+s", "n" of "n.t") is in nearly every
        # sentence: looking for the needles then costs more than the regex runs it saves, so the
        # regex is run as it is (a filter only ever skips texts that cannot match)
        self._bare = self._short is not None and any(
            len(n) == 1 and (n.isalpha() or n.isspace()) for n in self._short
        )

    @property
    def needles(self) -> tuple[str, ...] | None:
        """Lower-case literal pieces one of which every match contains (None: not known)."""
        return self._needles

    @property
    def _i(self) -> re.Pattern[str]:
        """The pattern with re.IGNORECASE, for text whose lower-casing moves offsets (or a
        pattern with capitals): compiled when first needed, as most texts never need it."""
        if self._i_rx is None:
            self._i_rx = re.compile(self._p, re.I)
        return self._i_rx

    def search_lower(self, low: str) -> re.Match[str] | None:
        """The lower-case pattern run on ``low`` (lower-cased text that keeps the offsets of
        the text it came from), with no filter: for callers that have filtered already."""
        rx = self._ascii if low.isascii() and low.isprintable() else self._low  # plain_ascii
        assert rx is not None, "a pattern with capitals has no lower-case form"
        return rx.search(low)

    def search(self, s: str) -> re.Match[str] | None:
        return self.search_in(s, s.lower())

    def found(self, s: str) -> bool:
        """Whether ``search(s)`` matches, kept for the page (see forget_texts): the checker's
        passes (claim rules, features, overstatement) ask the same sentence again, and the long
        alternations no literal filter rules out (page furniture) are the slowest to run."""
        known = _found.get((self, s))
        if known is None:
            if len(_found) >= _TEXTS_KEPT:
                _found.clear()
            known = _found[self, s] = self.search_in(s, s.lower()) is not None
        return known

    def search_in(self, s: str, low: str) -> re.Match[str] | None:
        """search(s) when the caller already has ``low = s.lower()`` (many patterns, one text)."""
        if self._low is not None and len(low) == len(s):
            grams = self._grams
            if grams is not None:  # the common case, inline (one call fewer per pattern and text)
                have = _grams_of.get(low) or trigrams(low)
                if grams.isdisjoint(have):  # usually: one set test, no set made
                    return None
                if not self._holds(have & grams, low):
                    return None
            elif not self._bare and not self._may_match(low):
                return None
            # search_lower, inline (once per pattern and text that gets this far)
            rx = self._ascii if low.isascii() and low.isprintable() else self._low
            return rx.search(low)  # type: ignore[union-attr]  # not None: _low is not
        return self._i.search(s)

    def may_match(self, low: str) -> bool:
        """False only when the lower-case pattern cannot match the lower-case text ``low`` (it
        lacks the literal pieces every match holds); True when it may (or cannot be told)."""
        return self._low is None or self._may_match(low)

    def _may_match(self, low: str) -> bool:
        """False when ``low`` (lower-cased, offsets kept) holds none of the needles, so the
        pattern cannot match it; True when it may."""
        if self._grams is not None:
            have = _grams_of.get(low) or trigrams(low)
            if self._grams.isdisjoint(have):  # usually: one set test, no set made
                return False
            return self._holds(have & self._grams, low)
        if self._short is not None:
            if any(self._has(n, low) for n in filter(low.__contains__, self._short)):
                return True
            hits = trigrams(low) & self._part_grams
            return bool(hits) and any(
                self._has(n, low) for g in hits for n in self._part_by_gram[g]
            )
        return self._needles is None or any(map(low.__contains__, self._needles))

    def _holds(self, hits: frozenset[str], low: str) -> bool:
        """``low`` holds a needle filed under one of ``hits`` (trigrams it has) and what else
        an alternative that needle starts needs (plain loops: a generator per text cost more)."""
        rests = self._rests
        for g in hits:
            for n in self._by_gram[g]:
                if n in low and (n not in rests or _rest_in(rests[n], low)):
                    return True
        return False

    def _has(self, needle: str, low: str) -> bool:
        """``low`` holds the needle and what else an alternative it starts needs."""
        return needle in low and (needle not in self._rests or _rest_in(self._rests[needle], low))

    def finditer(self, s: str) -> Iterator[re.Match[str]]:
        low = s.lower()
        rx = self._ascii if plain_ascii(low) else self._low
        if rx is None or len(low) != len(s):
            return self._i.finditer(s)
        if not self._may_match(low):
            return iter(())
        return rx.finditer(low)

    def count(self, s: str, low: str, first: re.Match[str], cap: int) -> int:
        """How many matches ``finditer(s)`` gives, up to ``cap``, when ``first`` is its first
        (the match ``search_in(s, low)`` found)."""
        return sum(1 for _ in islice(self.finditer_from(s, low, first), cap))

    def finditer_from(self, s: str, low: str, first: re.Match[str]) -> Iterator[re.Match[str]]:
        """``finditer(s)`` when ``first`` is its first match (the match ``search_in(s, low)``
        found, or a CueIndex's): the search goes on from where ``first`` ends, as finditer
        does, instead of finding ``first`` again."""
        if first.end() == first.start():  # an empty match: finditer steps on by itself
            return self.finditer(s)
        if self._low is not None and len(low) == len(s):
            rx, text = (self._ascii if plain_ascii(low) else self._low), low
        else:
            rx, text = self._i, s
        assert rx is not None
        return chain((first,), rx.finditer(text, first.end()))

    def sub(self, repl: str, s: str) -> str:
        """``s`` with every match replaced by the literal ``repl``; the rest keeps its case."""
        out: list[str] = []
        last = 0
        for m in self.finditer(s):
            out += [s[last : m.start()], repl]
            last = m.end()
        return "".join([*out, s[last:]])


_GRAM = 3
# A page's sentences are read in several passes (claim rules, wording flags, features, matching),
# so the trigrams of every text of the page are kept (up to this many texts, a long page's), not
# only those of the sentence at hand. Only the trigrams some pattern's filter uses are kept (a
# few dozen per text, not a hundred).
_TEXTS_KEPT = 8192
_grams_of: dict[str, frozenset[str]] = {}
# every trigram a Caseless filter uses: a frozenset, whose intersection with the text's runs is
# itself the frozenset trigrams keeps (half the time of a set's, which must then be copied)
_used: frozenset[str] = frozenset()
_found: dict[tuple[Caseless, str], bool] = {}  # Caseless.found, for the page's texts


_forgets: list[Callable[[], None]] = []  # other per-text stores, dropped with these


def forget_texts() -> None:
    """Drop what is kept per text (trigram sets, Caseless.found, and what ``on_forget``
    registered): called when a new page is read, so a check's time and memory do not depend on
    the pages checked before it (nor does a benchmark that checks one page again)."""
    _grams_of.clear()
    _found.clear()
    for clear in _forgets:
        clear()


def on_forget(clear: Callable[[], None]) -> None:
    """Have ``forget_texts`` call ``clear`` too: for a module's own per-text store."""
    _forgets.append(clear)


def _use(grams: frozenset[str] | None) -> None:
    """Note a new pattern's filter: trigram sets kept so far lack its trigrams, so are dropped."""
    global _used
    if grams and not grams <= _used:
        _used = _used | grams
        _grams_of.clear()


def trigrams(low: str) -> frozenset[str]:
    """The runs of three characters in ``low`` that some pattern's filter (gram_filter) uses:
    enough to tell which patterns cannot match. Kept per text (see _TEXTS_KEPT). A set fetched
    before a pattern was made may lack that pattern's trigrams: fetch it after making the patterns
    it is tested against (lexicons are compiled once, before any text is read)."""
    grams = _grams_of.get(low)
    if grams is None:
        if len(_grams_of) >= _TEXTS_KEPT:
            _grams_of.clear()
        tail = _grams_of.get(low[1:])  # " " + a text read already (unit_features' logistics)
        if tail is not None:
            grams = tail | _used.intersection((low[:3],)) if len(low) >= _GRAM else tail
        else:
            # each run of three characters joined from three shifted copies of the text: about a
            # fifth less CPU time than slicing at each offset (on the trigrams of a dev page)
            runs = zip(low, low[1:], low[2:], strict=False)  # the shorter copies end it
            grams = _used.intersection(map("".join, runs))
        _grams_of[low] = grams
    return grams


def gram_filter(rx: Caseless) -> frozenset[str] | None:
    """One trigram of each literal piece one of which every match of ``rx`` contains: a
    lower-cased text none of whose trigrams is among these cannot match, which one set operation
    tells (checking many patterns against one text). None when that cannot be said."""
    return rx._grams


Runner = Callable[[str], "re.Match[str] | None"]  # a pattern's regex, run on lower-cased text


class CueIndex:
    """A list of patterns tried on one text, as one set operation on the text's trigrams instead
    of a test per pattern: pattern i can match only if the text has one of the literal pieces its
    gram_filter stands for (filed under that trigram). A pattern whose pieces are partly too short
    for a trigram ("%", "vs") has those looked for once per text for the whole list, the others
    filed as above. Patterns with no filter are always run."""

    __slots__ = (
        "_always",
        "_always_runs",
        "_ascii_always_runs",
        "_ascii_filtered",
        "_by_gram",
        "_filtered",
        "_grams",
        "_patterns",
        "_short",
    )

    def __init__(self, patterns: Sequence[Caseless]) -> None:
        by_gram: dict[str, list[tuple[int, str, Rests]]] = {}
        short: dict[str, list[tuple[int, Rests]]] = {}
        filtered: dict[int, Runner] = {}
        for i, rx in enumerate(patterns):
            if rx._low is None:
                continue
            if rx._by_gram:
                filed = rx._by_gram
            elif rx._short is not None and not rx._bare:
                filed = rx._part_by_gram
                for n in rx._short:
                    short.setdefault(n, []).append((i, rx._rests.get(n, ())))
            else:
                continue
            filtered[i] = rx.search_lower
            for g, needles in filed.items():
                by_gram.setdefault(g, []).extend((i, n, rx._rests.get(n, ())) for n in needles)
        self._patterns = tuple(patterns)
        # a frozenset, as mypy reads it (frozenset minus a dict's keys is a plain set at run
        # time, which a compiled build, mypyc, refuses)
        self._always = frozenset(range(len(patterns))) - frozenset(filtered)
        # an unfiltered pattern is run directly when it never looks for its needles (_bare)
        filtered.update({i: patterns[i].search_lower for i in self._always if patterns[i]._bare})
        # each runner is the compiled regex's own search (no Python frame per run), the one
        # search_lower would pick: re.ASCII for printable ASCII text (plain_ascii), else not
        self._filtered: dict[int, Runner] = {
            i: patterns[i]._low.search  # type: ignore[union-attr]  # filtered: has _low
            for i in filtered
        }
        self._ascii_filtered: dict[int, Runner] = {
            i: patterns[i]._ascii.search  # type: ignore[union-attr]
            for i in filtered
        }
        self._always_runs: list[tuple[int, Runner | None]] = [
            (i, self._filtered.get(i)) for i in sorted(self._always)
        ]
        self._ascii_always_runs: list[tuple[int, Runner | None]] = [
            (i, self._ascii_filtered.get(i)) for i in sorted(self._always)
        ]
        self._by_gram = {g: _by_needle([(n, i, r) for i, n, r in e]) for g, e in by_gram.items()}
        self._grams = frozenset(by_gram)
        self._short = _by_needle([(n, i, r) for n, owners in short.items() for i, r in owners])

    def matches(
        self, s: str, low: str, grams: frozenset[str] | None
    ) -> Iterator[tuple[int, re.Match[str]]]:
        """Each pattern that matches ``s``, in list order, with its match. ``low`` is s.lower();
        ``grams`` its trigrams (library.trigrams), None when not known (every pattern is run)."""
        for i, run in self.candidates(s, low, grams):
            m = run(low) if run is not None else self._patterns[i].search_in(s, low)
            if m:
                yield i, m

    def first(self, s: str, low: str, grams: frozenset[str] | None) -> re.Match[str] | None:
        """The match of the first pattern that matches (``matches`` without the others)."""
        for i, run in self.candidates(s, low, grams):
            m = run(low) if run is not None else self._patterns[i].search_in(s, low)
            if m:
                return m
        return None

    def run(self, i: int, run: Runner | None, s: str, low: str) -> re.Match[str] | None:
        """Pattern ``i`` on the text, given as ``candidates`` lists it."""
        return run(low) if run is not None else self._patterns[i].search_in(s, low)

    def candidates(
        self, s: str, low: str, grams: frozenset[str] | None
    ) -> list[tuple[int, Runner | None]]:
        """The patterns to run, in order (a superset of those that match), each with its regex
        when it is to be run directly on ``low`` (its literal piece is there) or None
        (Caseless.search_in decides); ``run`` runs one."""
        if grams is None or len(low) != len(s):
            return [(i, None) for i in range(len(self._patterns))]
        ids: set[int] = set()
        by_gram = self._by_gram
        for g in self._grams.intersection(grams):  # _owners_in, inline (once per gram found)
            for needle, plain, rested in by_gram[g]:
                if needle in low:
                    ids |= plain
                    for i, rest in rested:
                        if i not in ids and _rest_in(rest, low):  # not again once in
                            ids.add(i)
        if self._short:  # pieces too short for a trigram: "%", "vs"
            _owners_in(self._short, low, ids)
        ascii_text = low.isascii() and low.isprintable()  # plain_ascii: the regexes to run
        if not ids:  # the usual case: no literal piece of any filtered pattern
            return self._ascii_always_runs if ascii_text else self._always_runs
        filtered = self._ascii_filtered if ascii_text else self._filtered
        return [(i, filtered.get(i)) for i in sorted(ids.union(self._always))]


# A CueIndex's literal pieces, each looked for once however many patterns need it: the
# patterns that need nothing else (their ids, added at once), and those that need more (Rests)
_Owners = tuple[tuple[str, frozenset[int], tuple[tuple[int, "Rests"], ...]], ...]


def _by_needle(entries: Sequence[tuple[str, int, Rests]]) -> _Owners:
    """(piece, pattern, what else it needs) entries grouped by piece, in first-seen order."""
    plain: dict[str, set[int]] = {}
    rested: dict[str, list[tuple[int, Rests]]] = {}
    for n, i, rest in entries:
        plain.setdefault(n, set())
        rested.setdefault(n, [])
        if rest:
            rested[n].append((i, rest))
        else:
            plain[n].add(i)
    return tuple((n, frozenset(plain[n]), tuple(rested[n])) for n in plain)


def _owners_in(owners: _Owners, low: str, ids: set[int]) -> None:
    """Add to ``ids`` the patterns whose piece (and what else they need) ``low`` holds."""
    for needle, plain, rested in owners:
        if needle in low:
            ids |= plain
            for i, rest in rested:
                if _rest_in(rest, low):
                    ids.add(i)


_shared: dict[tuple[int, ...], tuple[tuple[Caseless, ...], CueIndex]] = {}


def shared_index(patterns: Sequence[Caseless]) -> CueIndex:
    """The CueIndex of these patterns, made once per process: a lexicon's patterns are compiled
    once, so an index of them need not be made again per page or per sentence."""
    key = tuple(map(id, patterns))
    known = _shared.get(key)
    if known is None or any(a is not b for a, b in zip(known[0], patterns, strict=True)):
        known = _shared[key] = (tuple(patterns), CueIndex(patterns))
    return known[1]


def matching(patterns: Sequence[Caseless], s: str) -> frozenset[Caseless]:
    """Those of ``patterns`` that match ``s`` (each where its ``found(s)`` is True), read in one
    pass of their shared CueIndex: for a short list of patterns asked of every unit, one set
    operation on the text's trigrams instead of a call per pattern. Pass a list the caller keeps
    (a cached tuple): its index is looked up by the list itself, so a list made afresh per call
    makes a new index each time (at most _MATCHING_KEPT are kept)."""
    known = _matching.get(id(patterns))
    if known is None or known[0] is not patterns:  # a list kept by its caller: looked up once
        if len(_matching) >= _MATCHING_KEPT:
            _matching.clear()
        known = _matching[id(patterns)] = (patterns, shared_index(patterns))
    low = s.lower()
    grams = trigrams(low) if len(low) == len(s) else None
    return frozenset(patterns[i] for i, _ in known[1].matches(s, low, grams))


_matching: dict[int, tuple[Sequence[Caseless], CueIndex]] = {}  # matching's index of each list
_MATCHING_KEPT = 64


# Space and the letters from the commonest in English to the rarest, and the commonest English
# trigrams: of a needle's trigrams the one made of the rarest characters, and not among the
# commonest, is the one a text is least likely to contain, so it rules out the most texts
_COMMON = " etaoinshrdlcumwfgypbvkjxqz"
_FREQUENT_TEXT = (
    "the and ing ion tio ent ati for her ter hat tha ere ate his con res ver all ons nce men ith "
    "ted ers pro thi wit are ess not ive was ect rea com eve per int est sta cti ica ist ear ain "
    "one our iti rat you"
)
# and the commonest at a word's edge (written with "_" for the space): "you" or "ng " is in
# most sentences, though its letters are not the commonest
_FREQUENT_EDGES = (
    "_th he_ _of of_ ed_ _an nd_ ng_ _to to_ er_ _in in_ is_ _is es_ re_ on_ at_ _co as_ _be "
    "or_ _re ly_ _wh st_ nt_ al_ ve_ te_ _wi _on _yo ou_ _pr _fo _ha le_ se_ _ma _se _st ce_ "
    "ts_ _we _ca _de _me _so it_ _it _no _mo _su _di _pa _fe _do _a_ _i_"
)
# and those of the words every page of the genre uses (ketamine, infusion, medication, medicine,
# session, treatment, patient, depression, minutes, days, spray, over). In code, not data/: like
# the lists above it only picks which trigram a needle is looked up by (any of its trigrams gives
# the same answers), so it is a speed setting of this compiler, not vocabulary a judgement reads
_FREQUENT_GENRE = (
    "ket eta tam ami min ine inf nfu fus usi sio dic edi ica ssi ses tre eat atm tme pat tie "
    "dep epr pre day ays spr ove"
)
_FREQUENT = frozenset((*_FREQUENT_TEXT.split(), *_FREQUENT_GENRE.split())) | frozenset(
    g.replace("_", " ") for g in _FREQUENT_EDGES.split()
)


def _commonness(gram: str) -> int:
    letters = sum(len(_COMMON) - _COMMON.index(c) for c in gram if c in _COMMON)
    return letters + (100 if gram in _FREQUENT else 0)


def _by_rare_gram(needles: Sequence[str] | None) -> dict[str, tuple[str, ...]]:
    """The needles by the rarest of their trigrams (see _commonness); empty when a needle is
    shorter than a trigram."""
    out: dict[str, tuple[str, ...]] = {}
    if not needles or min(map(len, needles)) < _GRAM:
        return out
    for x in needles:
        g = min((x[i : i + _GRAM] for i in range(len(x) - _GRAM + 1)), key=_commonness)
        out[g] = (*out.get(g, ()), x)
    return out


# What else an alternative of a pattern needs besides its most telling piece: clauses, each a
# tuple of literal pieces one of which must be in the text; several such lists when the piece
# starts several alternatives (any one of them will do); () when the piece alone may do
Rests = tuple[tuple[tuple[str, ...], ...], ...]
_MAX_CLAUSE = 12  # a clause of more pieces costs more to look for than the regex does
_MAX_REST = 3  # clauses kept per alternative (the most telling)
# The commonest English words: a clause with one of these among its pieces ("the ", " and ",
# "in ") is in most sentences, so it tells little; a clause of rarer words is looked for first
# (where a pattern has one), and these are left to the rest. Speed only: every clause chosen is
# one every match needs, so a filter stays exact whichever is first.
_FUNCTION_WORDS_TEXT = (
    "a an and are as at be but by can for from has have in is it its no not of on or our than "
    "that the their they this to was we were will with you your"
)
_FUNCTION_WORDS = frozenset(_FUNCTION_WORDS_TEXT.split())


def _telling(clause: tuple[str, ...]) -> tuple[bool, bool, int, int]:
    """How a clause ranks as a filter (lowest first): pieces long enough for a trigram, no
    common word among them, the longest shortest piece, the fewest pieces. (Among clauses with
    a piece too short for a trigram, "we" or "re", each is in most texts: their order is kept.)"""
    shortest = min(map(len, clause))
    common = shortest >= _GRAM and any(p.strip() in _FUNCTION_WORDS for p in clause)
    return shortest < _GRAM, common, -shortest, len(clause)


def _rest_in(rests: Rests, low: str) -> bool:
    """Some alternative started by the piece found has every other clause in ``low``."""
    # plain loops: a call of any(map(...)) per clause cost half as much again (10,000 calls a page)
    for rest in rests:
        for clause in rest:
            for piece in clause:
                if piece in low:
                    break
            else:  # no piece of this clause: not this alternative
                break
        else:
            return True
    return False


_NOT_REQUIRED = (_sre.AT, _sre.ASSERT, _sre.ASSERT_NOT)


def _requirements(items: Sequence[Any]) -> dict[str, Rests] | None:
    """For a parsed pattern: the piece that starts each alternative's requirement (its most
    telling clause: see _telling) mapped to the rest of its clauses; None when some
    alternative requires no literal piece. Every match contains, for one alternative, a piece of
    each of its clauses: a text lacking them cannot match. Exact, like _needles, and sharper:
    "(are|is) (rare|mild) and (minor|mild)" needs " and " AND one of "rare", "mild" AND ...."""
    out: dict[str, list[tuple[tuple[str, ...], ...]]] = {}
    for clauses in _alternatives(items):
        if not clauses:
            return None
        ranked = sorted(clauses, key=_telling)
        first, rest = ranked[0], tuple(c for c in ranked[1:] if len(c) <= _MAX_CLAUSE)
        for n in first:
            out.setdefault(n, []).append(rest[:_MAX_REST])
    return {n: (() if () in r else tuple(r)) for n, r in out.items()}


def _alternatives(items: Sequence[Any]) -> list[list[tuple[str, ...]]]:
    """The pattern's top-level alternatives ("a|b", "\\b(a|b)\\b"), each as its clauses."""
    core = [(op, arg) for op, arg in items if op not in _NOT_REQUIRED]
    if len(core) == 1 and core[0][0] is _sre.SUBPATTERN:
        return _alternatives(core[0][1][-1])
    if len(core) == 1 and core[0][0] is _sre.BRANCH:
        return [c for alt in core[0][1][1] for c in _alternatives(alt)]
    return [_clauses(items)]


def _clauses(items: Sequence[Any]) -> list[tuple[str, ...]]:
    """What a sequence requires: a clause for each literal run, each set of literal characters,
    each branch whose alternatives all have needles (one of them), and the same of each group
    and of each repeat that must occur at least once."""
    out: list[tuple[str, ...]] = []
    run = ""
    for op, arg in items:
        if op is _sre.LITERAL:
            run += chr(arg)
            continue
        if run:
            out.append((run,))
            run = ""
        if op is _sre.IN and arg and all(o is _sre.LITERAL for o, _ in arg):
            out.append(tuple(sorted({chr(c) for _, c in arg})))
        elif op is _sre.SUBPATTERN:
            out += _clauses(arg[-1])
        elif op is _sre.BRANCH:
            alts = [_needles(a) for a in arg[1]]
            if all(alts):
                out.append(tuple(sorted(frozenset().union(*[a for a in alts if a]))))
        elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT) and arg[0] >= 1:
            out += _clauses(arg[2])
    if run:
        out.append((run,))
    return out


def _needles(items: Sequence[Any]) -> frozenset[str] | None:
    """Substrings one of which any match of this parsed pattern must contain, or None when that
    cannot be said simply. A run of literal characters is required as a whole; a group is
    required when it must occur; a branch requires one of its alternatives' needles."""
    best: frozenset[str] | None = None
    run = ""

    def consider(found: frozenset[str] | None) -> None:
        nonlocal best
        shortest = min(map(len, found)) if found else 0
        if found and shortest >= 1 and (best is None or shortest > min(map(len, best))):
            best = found

    for op, arg in items:
        if op is _sre.LITERAL:
            run += chr(arg)
            continue
        consider(frozenset([run]) if run else None)
        run = ""
        if op is _sre.IN and arg and all(o is _sre.LITERAL for o, _ in arg):
            consider(frozenset(chr(c) for _, c in arg))  # one of a few characters: "[|·•]"
        elif op is _sre.SUBPATTERN:
            consider(_needles(arg[-1]))
        elif op is _sre.BRANCH:
            alts = [_needles(a) for a in arg[1]]
            if all(alts):
                consider(frozenset().union(*[a for a in alts if a]))
        elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT) and arg[0] >= 1:
            consider(_needles(arg[2]))
    consider(frozenset([run]) if run else None)
    return best
