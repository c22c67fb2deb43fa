"""The speed shortcuts over lexicon patterns (library/lexicon.py) never change an answer: each
is compared with running every pattern's plain regular expression, on the project's copy."""

from __future__ import annotations

import re
from pathlib import Path

from claimledger.copy.structure import domain
from claimledger.copy.wording import wording
from claimledger.library.lexicon import Caseless, CueIndex, trigrams

_TESTS = Path(__file__).parent


def _lines() -> list[str]:
    """Sentences of copy: the example page and this directory's test sources (which quote
    many sentences the checker must flag or leave alone), plus cases lower-casing changes."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(_TESTS.glob("test_copy*.py"))]
    texts.append((_TESTS.parent / "src/claimledger/examples/sample-copy.md").read_text())
    lines = [ln.strip(" \"',()") for t in texts for ln in t.splitlines() if len(ln.split()) > 3]
    return [
        *lines,
        "Ketamine is COMPLETELY SAFE.",
        "İstanbul clinic: ketamine is safe and effective.",
    ]


def _pattern_lists() -> list[tuple[Caseless, ...]]:
    d, w = domain(), wording()
    lists = [c.patterns for c in w.categories] + [c.unhedged for c in w.categories]
    lists += [tuple(rx for rx, _ in cues) for cues in d.topics.values()]
    lists.append(tuple(d.treatments.values()))
    return [p for p in lists if p]


def test_cue_index_finds_exactly_the_patterns_that_match_in_order() -> None:
    lines = _lines()
    lists = _pattern_lists()
    assert len(lines) > 300 and sum(map(len, lists)) > 150
    found_any = 0
    for pats in lists:
        index = CueIndex(pats)
        plain = [re.compile(p._i.pattern, re.I) for p in pats]
        for s in lines:
            low = s.lower()
            want = [(i, m.span()) for i, rx in enumerate(plain) if (m := rx.search(s))]
            for grams in (trigrams(low) if len(low) == len(s) else None, None):
                got = [(i, m.span()) for i, m in index.matches(s, low, grams)]
                assert got == want, (pats[0]._i.pattern[:60], s)
                first = index.first(s, low, grams)
                assert (first.span() if first else None) == (want[0][1] if want else None)
            found_any += bool(want)
    assert found_any > 100  # the comparison saw many matches, not only misses


def test_found_is_search_kept_per_page() -> None:
    from claimledger.library import lexicon

    d = domain()
    pats = [d.boilerplate, d.references, d.in_progress, d.logistics]
    lines = _lines()
    for p in pats:
        for s in lines:
            assert p.found(s) == (p.search(s) is not None), (p._i.pattern[:60], s)
            assert p.found(s) == (p.search(s) is not None)  # kept: asked again, same answer
    assert lexicon._found
    lexicon.forget_texts()
    assert not lexicon._found and not lexicon._grams_of


def test_ascii_fast_path_keeps_unicode_meaning_of_spaces_and_words() -> None:
    """re.ASCII is used only on printable ASCII text: \\s still matches the separators
    \\x1c-\\x1f and \\w still matches accented letters, as the plain pattern does."""
    rx = Caseless(r"\bsafe\sand\s\w+")
    for s in (
        "Safe and effective",
        "safe\x1cand\x1feffective",
        "safe and éffective",
        "safe\tand x",
    ):
        want = re.search(r"\bsafe\sand\s\w+", s, re.I)
        got = rx.search(s)
        assert (got.span() if got else None) == (want.span() if want else None), s
        assert [m.span() for m in rx.finditer(s)] == [m.span() for m in re.finditer(rx._p, s, re.I)]


def test_short_needles_rule_out_only_texts_that_cannot_match() -> None:
    """Patterns whose literal pieces are shorter than a trigram ("$", "%", "#", a set of
    characters) get a filter of their own; it never hides a match the plain pattern finds."""
    patterns = [
        r"\d ?%|\bpercent\b",
        r"(^|\s)#\w+|\s[|·•]\s",
        r"\b(insurance|\$\d[\d,]*|per (session|infusion))\b",
        r"\b(no|not|never)\b|n.t\b",
    ]
    texts = [
        "70% of patients respond",
        "seventy percent respond",
        "home | about · contact",
        "#ketamine #healing",
        "each infusion costs $450",
        "we bill insurance",
        "it isn't a cure",
        "relief in hours",
        "rapid relief for many",
    ]
    for p in patterns:
        rx = Caseless(p)
        assert rx.needles is not None, p
        for s in texts:
            want = re.search(p, s, re.I)
            got = rx.search(s)
            assert (got.span() if got else None) == (want.span() if want else None), (p, s)
            assert [m.span() for m in rx.finditer(s)] == [
                m.span() for m in re.finditer(p, s, re.I)
            ], (p, s)
    assert Caseless(r"\d ?%|\bpercent\b").search("relief in hours") is None
