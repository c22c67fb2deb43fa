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
    from claimledger.copy import facts

    facts.page_subjects(lines)  # what a page names is kept for that page too
    assert facts._named_in.cache_info().currsize
    lexicon.forget_texts()
    assert not lexicon._found and not lexicon._grams_of
    assert facts._named_in.cache_info().currsize == 0


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


def _all_patterns() -> list[Caseless]:
    """Every lexicon pattern the checker compiles (copy, wording, claim cues, overstatement)."""
    from claimledger.copy.claimmodel import _cues
    from claimledger.copy.overmodel import _vocabulary

    d, w = domain(), wording()
    pats = [v for v in vars(d).values() if isinstance(v, Caseless)]
    pats += [*d.treatments.values(), *d.conditions.values(), *(rx for rx, _ in d.synonyms)]
    pats += [rx for cues in d.topics.values() for rx, _ in cues]
    for c in w.categories:
        pats += [*c.patterns, *c.unhedged]
        pats += [x for x in (c.unless, c.requires, c.unless_nearby, c.own_only, c.house) if x]
    pats += [x for x in w.approval.values() if isinstance(x, Caseless)]
    pats += list(w.testimonial.values())
    pats += [rx for _, rx, _ in _cues()]
    pats += list(_vocabulary().index._patterns)
    return pats


def _dev_lines(n: int = 500) -> list[str]:
    """Sentences of the project's dev pages (every few lines, so all writers are in)."""
    dev = _TESTS.parent / "benchmarks" / "copy-dev"
    lines = [
        ln.strip(" #*->\"'")
        for p in sorted(dev.glob("*.md")) + sorted(dev.glob("*.txt"))
        for ln in p.read_text(encoding="utf-8").splitlines()
        if len(ln.split()) > 2
    ]
    return lines[:: max(1, len(lines) // n)]


def test_each_alternatives_clauses_never_hide_a_match() -> None:
    """The filter reads, for each alternative of a pattern, its most telling piece AND its other
    clauses: a text it rules out never matches the plain pattern, on the tests' lines and the
    dev pages, for every lexicon pattern."""
    from claimledger.library import lexicon

    pats = _all_patterns()
    lines = _lines() + _dev_lines()
    assert len(pats) > 350 and len(lines) > 700
    sharpened = 0
    for p in pats:
        plain = re.compile(p._i.pattern, re.I)
        sharpened += bool(p._rests)
        for s in lines:
            want = plain.search(s)
            got = p.search(s)
            assert (got.span() if got else None) == (want.span() if want else None), (p._p, s)
        lexicon.forget_texts()
    assert sharpened > 100  # most patterns have alternatives with more than one clause


def test_a_piece_without_the_rest_of_its_alternative_is_ruled_out() -> None:
    rx = Caseless(r"\b(are|is) (rare|mild|minor) and (minor|mild|rare|harmless)\b|\bnothing more\b")
    assert rx._may_match("side effects are rare and mild")
    assert not rx._may_match("ketamine and talk therapy")  # " and " alone
    assert rx._may_match("that is nothing more than a myth")
    assert rx.search("Side effects are rare and mild.") is not None


def test_a_common_word_is_not_the_piece_a_pattern_is_looked_up_by() -> None:
    """A clause that is a common word ("the ") is in most sentences: the pattern is filed under
    its rarer clause, and the common word is the rest looked for after it (both are needed, so
    the answers are the same; only fewer sentences get as far as the regex)."""
    rx = Caseless(r"\bthe (best|finest)\b")
    assert rx.needles == ("best", "finest")
    assert not rx._may_match("the clinic is open on the weekend")
    assert not rx._may_match("our best nurses")  # the rare piece without "the "
    got = rx.search("Simply The Best care.")
    assert got is not None and got.span() == (7, 15)


def test_a_needle_is_filed_under_a_trigram_most_sentences_lack() -> None:
    """A needle is looked for only in texts holding its filter trigram: "you" (in most sentences
    of clinic copy) or "min" (in every "ketamine") would send nearly every text on to the needle
    test, so a rarer trigram of the needle is its filter; the answers are the same."""
    from claimledger.library.lexicon import _by_rare_gram

    for needle, common in [("yourself", "you"), ("antihistamine", "min"), ("ketalar", "ket")]:
        (gram,) = _by_rare_gram([needle])
        assert gram in needle and gram != common, (needle, gram)
    rx = Caseless(r"\b(free yourself|antihistamines?)\b")
    assert not rx._may_match("you can book your ketamine session online")
    got = rx.search("Free yourself from worry.")
    assert got is not None and got.span() == (0, 13)


def test_trigrams_of_a_text_with_one_more_character_are_the_same_as_read_afresh() -> None:
    from claimledger.library import lexicon

    wording()  # the patterns whose trigrams are kept
    for s in [*_lines()[:200], "", "a", "ab", "abc"]:
        low = s.lower()
        lexicon.forget_texts()
        fresh = trigrams(" " + low)
        lexicon.forget_texts()
        trigrams(low)
        assert trigrams(" " + low) == fresh, s


def test_trigrams_are_the_runs_of_three_characters_some_filter_uses() -> None:
    from claimledger.library import lexicon

    wording()  # the patterns whose trigrams are kept
    for s in [*_lines()[:200], "", "a", "ab", "abc", "abcd", "İstanbul safe"]:
        low = s.lower()
        lexicon.forget_texts()
        assert trigrams(low) == {low[i : i + 3] for i in range(len(low) - 2)} & lexicon._used, s


def test_cue_index_runs_the_unicode_form_on_text_that_is_not_plain_ascii() -> None:
    """CueIndex picks the re.ASCII form of its patterns once per text, for printable ASCII text
    only: on other text \\s and \\w keep their Unicode meaning, as in the plain pattern."""
    pats = (Caseless(r"\bsafe\sand\s\w+"), Caseless(r"\bcalm\w*"), Caseless(r"gentle"))
    index = CueIndex(pats)
    for s in (
        "Safe and effective, gentle and calm",
        "safe\x1cand\x1feffective",
        "safe and éffective, calmé",
        "Calmé, safe and sound",
        "safe\tand x",
    ):
        low = s.lower()
        want = [(i, m.span()) for i, p in enumerate(pats) if (m := re.search(p._p, s, re.I))]
        got = [(i, m.span()) for i, m in index.matches(s, low, trigrams(low))]
        assert got == want, s
        assert len(want) >= 1, s


def test_one_pass_over_all_wording_lists_finds_what_each_list_finds_alone() -> None:
    """copy/cues.py: the first match of each category's cue list, read with every other
    category's in one pass, is the first match of that list read alone."""
    w = wording()
    lists = [lst for c in w.categories for lst in (c.unhedged, c.patterns)]
    for s in _lines() + _dev_lines(400):
        low = s.lower()
        grams = trigrams(low) if len(low) == len(s) else None
        read = w.read(s, low, grams)
        for k, lst in enumerate(lists):
            alone = CueIndex(lst).first(s, low, grams)
            got = read.first(k)
            assert (got.span() if got else None) == (alone.span() if alone else None), (k, s)


def test_count_goes_on_from_the_first_match_as_finditer_does() -> None:
    """Caseless.count (the claim model's counted cues) equals counting finditer's matches."""
    from itertools import islice

    from claimledger.copy.claimmodel import _cues

    pats = [rx for _, rx, _ in _cues()] + [
        Caseless(r"\b\w*"),
        Caseless(r"(?=a)|b"),
        Caseless("A|b"),
    ]
    lines = [*_lines(), "a b a b ab ba", "İstanbul AAA bbb"]
    seen = 0
    for rx in pats:
        for s in lines:
            m = rx.search_in(s, s.lower())
            if m is None:
                continue
            for cap in (1, 2, 3, 5):
                assert rx.count(s, s.lower(), m, cap) == sum(1 for _ in islice(rx.finditer(s), cap))
                seen += 1
    assert seen > 500


def _content_stems_plainly(text: str) -> set[str]:
    """textutil.content_stems as first written: the acronym pattern run, and every word
    lower-cased one by one."""
    from claimledger import textutil as t

    low = text.lower()
    found = {m.group(1) for m in t._ACRONYM_RX.finditer(low)}
    extra = [long for short, long in t.ACRONYMS.items() if short in found]
    spelled = low.replace("posttraumatic", "post-traumatic")
    extra += [short for long, short in t._LONG_FORMS.items() if long in spelled]
    if extra:
        text = text + " " + " ".join(extra)
    parts = [p for w in t.tokens(text) for p in ((w, *w.split("-")) if "-" in w else (w,))]
    out: set[str] = set()
    out.update(t.stem(p) for p in parts if p not in t.STOPWORDS and len(p) > 1)
    return out


def test_content_stems_shortcuts_keep_every_stem_and_its_order() -> None:
    """Acronyms read from whole words and ASCII text lower-cased once: the same set, built in
    the same order (matching sums idf over it), as the plain reading."""
    from claimledger.textutil import content_stems

    lines = [
        *_lines(),
        "PTSDs, MDD and SIs; NMDARs vs NMDAs; IVs at 3.5 mg/kg",
        "post-traumatic stress disorder and posttraumatic growth",
        "İstanbul KETAMINE \u212a (Kelvin sign) ptsd-like",
    ]
    for s in lines:
        want = _content_stems_plainly(s)
        got = content_stems(s)
        assert got == want and list(got) == list(want), s


def test_stem_tries_only_the_suffixes_a_word_may_end_with_and_stems_as_before() -> None:
    """stem looks only at the suffixes ending in the word's last letter, in their order: the
    stem is the one trying every suffix in order gives, for every word of the tests' lines."""
    from claimledger import textutil

    def every_suffix(word: str) -> str:
        w = word.lower().strip("'-")
        for suf in textutil._SUFFIXES:
            if w.endswith(suf) and len(w) - len(suf) >= 4:
                return w[: -len(suf)]
        return w

    words = {w for s in _lines() for w in re.findall(r"[\w'-]+", s)}
    words |= {"", "'", "-s", "es", "ational", "relational", "effects'", "İstanbul"}
    assert len(words) > 1000
    for w in words:
        assert textutil.stem.__wrapped__(w) == every_suffix(w), w


def test_contact_hint_rules_out_only_lines_without_contact_details() -> None:
    from claimledger.copy.check import _CONTACT, is_contact

    lines = [
        *_lines(),
        "Call (503) 555-0142 today",
        "Call ٥٠٣ ٥٥٥ ٠١٤٢ today",  # Arabic-Indic digits are digits to the pattern too
        "write to care@clinic.org",
        "see https://example.org or www.example.org",
    ]
    seen = 0
    for s in lines:
        assert is_contact(s) == (_CONTACT.search(s) is not None), s
        seen += is_contact(s)
    assert seen >= 4


def test_subject_filter_skips_only_sentences_that_name_no_subject() -> None:
    """facts._named_in skips the joined subject pattern when its filter says no match is
    possible: the subjects found are those of running the pattern on every sentence."""
    from claimledger.copy import facts

    t = facts.facts()
    lines = [
        *_lines(),
        "Esketamine (Spravato) and ECT; rTMS or NeuroStar; Prozac, the first SSRI.",
        "Zuranolone (Zurzuvae) and brexanolone; magic mushrooms and psilocybin; Ketalar.",
    ]
    named = 0
    for s in lines:
        low = s.lower()
        plain = [m.lastgroup for m in t.any_subject.finditer(low)]
        got = facts._named_in.__wrapped__(low)
        keys = list(t.subjects)
        want: dict[str, int] = {}
        for m in t.any_subject.finditer(low):
            k = keys[int(str(m.lastgroup)[1:])]
            want.setdefault(k, m.start())
        assert got == tuple((i, k) for k, i in want.items()), s
        named += bool(plain)
    assert named > 50


def test_matching_finds_the_patterns_each_found_finds() -> None:
    """``matching`` (one CueIndex pass for a short list asked of every unit: the claim model's
    framing and warning cues) answers as each pattern's own search with re.IGNORECASE."""
    from claimledger.copy.claimmodel import _framing_cues, _warning_cues
    from claimledger.library.lexicon import matching

    lines = _lines()
    hits = 0
    for pats in (_framing_cues(), _warning_cues()):
        plain = [re.compile(p._i.pattern, re.I) for p in pats]
        for s in lines:
            want = frozenset(p for p, rx in zip(pats, plain, strict=True) if rx.search(s))
            assert matching(pats, s) == want, s
            hits += bool(want)
    assert hits > 20  # the comparison saw matches, not only misses


def test_matching_keeps_a_bounded_number_of_indexes_for_lists_made_afresh() -> None:
    """A caller that builds its list anew per call still gets the right answer, and the
    indexes kept for such lists stay bounded."""
    from claimledger.library import lexicon
    from claimledger.library.lexicon import matching

    a, b = Caseless(r"\bsafe\b"), Caseless(r"\bcures?\b")
    for _ in range(3 * lexicon._MATCHING_KEPT):
        pats = (a, b)  # a fresh tuple each time
        assert matching(pats, "Ketamine CURES depression and is safe.") == {a, b}
        assert matching(pats, "Call us today.") == frozenset()
    assert len(lexicon._matching) <= lexicon._MATCHING_KEPT


def test_one_pass_first_mention_and_condition_answer_as_each_pattern_does() -> None:
    """structure._first_mention and claimmodel._names_a_condition read the treatments' and the
    conditions' patterns in one index pass: the same answers as running each pattern."""
    from claimledger.copy.claimmodel import _names_a_condition
    from claimledger.copy.structure import _first_mention

    d = domain()
    seen = 0
    for s in _lines():
        starts = [m.start() for rx in d.treatments.values() if (m := rx.search(s))]
        assert _first_mention(d, s) == min(starts, default=len(s)), s
        assert _names_a_condition(s) == any(rx.search(s) for rx in d.conditions.values()), s
        seen += bool(starts)
    assert seen > 50


def test_patterns_always_run_are_a_frozenset_and_are_run_on_every_text() -> None:
    """An index keeps the patterns it cannot filter as the frozenset its type says (frozenset
    minus a dict's keys is a plain set at run time, which a mypyc build of this module refuses:
    benchmarks/compiled_speed.py), and offers them as candidates for every text."""
    unfiltered = Caseless(r"\b\d{3,}\b")  # no literal piece: never filtered
    filtered = Caseless(r"\bketamine\b")
    index = CueIndex([filtered, unfiltered])
    assert type(index._always) is frozenset and index._always == frozenset({1})
    for text in ("Ketamine works quickly.", "Parking is free."):
        low = text.lower()
        ids = [i for i, _ in index.candidates(text, low, trigrams(low))]
        assert 1 in ids and (0 in ids) == ("ketamine" in low)
