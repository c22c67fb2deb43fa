"""Misstated facts: a sentence that contradicts a dated regulatory or history fact of data/facts.yaml.

Grammar cannot tell "approved in 2016" from "approved in 2019"; a small table of sourced facts
can. A sentence is compared with a fact only when it names the fact's subject (or opens with "it"
on a page about it) and its event, and is flagged only when every date it gives for that event
falls outside the fact's dates, or when it says something a fact rules out. Pure: sentence in,
flag out.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from claimledger.library.lexicon import Caseless, CueIndex, load_lexicon, on_forget, trigrams

__all__ = ["Fact", "fact_check", "facts", "page_subjects"]


@dataclass(frozen=True)
class Fact:
    """A dated event (or a statement some wording contradicts) with its public source."""

    id: str
    subject: str | None
    event: str | None
    spans: tuple[tuple[int, int], ...]  # the years it happened, as [first, last] spans
    says: str
    source: str
    first_year: int | None = None  # the first event of its kind, for "first approved in ..."
    check: str = "always"  # always | first (only "first ..." is compared) | never
    not_before: int | None = None  # nothing about the subject happened before this year
    pattern: Caseless | None = None  # contradictions: wording the fact rules out
    unless: Caseless | None = None


@dataclass(frozen=True)
class Measure:
    """A figure the record gives for a subject (a half-life), as a range of hours."""

    id: str
    subject: str
    quantity: Caseless
    unless: Caseless | None
    hours: tuple[float, float]
    says: str
    source: str


@dataclass(frozen=True)
class _Table:
    code: str
    title: str
    basis: str
    advice: str
    subjects: dict[str, Caseless]
    any_subject: re.Pattern[str]  # every subject in one pattern (lower case), group s<i> = i-th
    treatment: dict[str, str]  # subject -> the data/copy.yaml treatment it is a form of
    reference: re.Pattern[str]  # short patterns, matched on lower case
    unnamed_unless: re.Pattern[str]
    events: dict[str, Caseless]
    other_regulator: Caseless
    expanded: Caseless
    first: Caseless
    clause_break: re.Pattern[str]
    forerunner: Caseless
    eras: tuple[tuple[Caseless, int, int], ...]
    latest: int
    durations: Caseless
    dated: tuple[Fact, ...]
    contradictions: tuple[Fact, ...]
    measures: tuple[Measure, ...] = ()


def _fact(d: dict[str, Any]) -> Fact:
    if "span" in d:
        spans: tuple[tuple[int, int], ...] = ((int(d["span"][0]), int(d["span"][1])),)
    else:
        spans = tuple((int(y), int(y)) for y in d.get("years") or ())
    return Fact(
        id=d["id"],
        subject=d.get("subject"),
        event=d.get("event"),
        spans=spans,
        says=" ".join(str(d["says"]).split()),
        source=" ".join(str(d["source"]).split()),
        first_year=d.get("first_year"),
        check=d.get("check", "always"),
        not_before=d.get("not_before"),
        pattern=Caseless(d["pattern"]) if d.get("pattern") else None,
        unless=Caseless(d["unless"]) if d.get("unless") else None,
    )


@cache
def facts() -> _Table:
    d = load_lexicon("facts")
    return _Table(
        code=d["code"],
        title=d["title"],
        basis=d["basis"],
        advice=d["advice"],
        subjects={k: Caseless(v[0]) for k, v in d["subjects"].items()},
        any_subject=re.compile(
            "|".join(f"(?P<s{i}>{v[0]})" for i, v in enumerate(d["subjects"].values()))
        ),
        treatment={k: str(v[1]) for k, v in d["subjects"].items()},
        reference=re.compile(d["reference"]),
        unnamed_unless=re.compile(d["unnamed_unless"]),
        events={k: Caseless(v) for k, v in d["events"].items()},
        other_regulator=Caseless(d["other_regulator"]),
        expanded=Caseless(d["expanded"]),
        first=Caseless(d["first"]),
        clause_break=re.compile(d["clause_break"], re.I),
        forerunner=Caseless(d["forerunner"]),
        eras=tuple((Caseless(p), int(a), int(b)) for p, (a, b) in d["eras"].items()),
        latest=int(d["latest_copy_year"]),
        durations=Caseless(d["durations"]),
        dated=tuple(_fact(f) for f in d["facts"]),
        contradictions=tuple(_fact(f) for f in d["contradictions"]),
        measures=tuple(
            Measure(
                id=m["id"],
                subject=m["subject"],
                quantity=Caseless(m["quantity"]),
                unless=Caseless(m["unless"]) if m.get("unless") else None,
                hours=(float(m["hours"][0]), float(m["hours"][1])),
                says=" ".join(str(m["says"]).split()),
                source=" ".join(str(m["source"]).split()),
            )
            for m in d.get("measures") or ()
        ),
    )


# --- dates in a sentence -------------------------------------------------------------------------

# a sentence without one of these gives no date (years, decades, wars, centuries)
_DATED = re.compile(r"\d|\b(war|wars|century|vietnam|desert storm|ww ?i)", re.I)
_SPAN = re.compile(r"\b(years|decades)\b", re.I)  # a duration ("used for 80 years")
# a timeline entry: a year, then a colon or dash, then the event ("2016: Esketamine approved")
_TIMELINE = re.compile(r"^\W*((?:1[5-9]|20)\d\ds?)\s*[:–—]\s", re.I)
_YEAR = re.compile(r"\b(?:(early|mid|late)[- ])?(1[5-9]\d\d|20\d\d)(s)?\b", re.I)
_NUMBERS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100,
}  # fmt: skip


@dataclass(frozen=True)
class _Date:
    first: int
    last: int
    start: int  # where the sentence says it
    end: int
    words: str
    era: bool = False  # a named period (a war, a century): wider than the date it stands beside


def _dates(s: str, t: _Table) -> list[_Date]:
    """Every year, decade ("the late 1960s"), century ("the 1800s") or named period ("World
    War II") the sentence gives, as a span of years."""
    out = []
    for m in _YEAR.finditer(s):
        y = int(m.group(2))
        if m.group(3) and y % 100 == 0 and y < 2000:  # "the 1800s": a century
            a, b = y, y + 99
        elif m.group(3):
            a, b = y, y + 9
            part = (m.group(1) or "").lower()
            a, b = {"early": (a, a + 4), "mid": (a + 3, a + 7), "late": (a + 5, b)}.get(
                part, (a, b)
            )
        else:
            a = b = y
        out.append(_Date(a, b, m.start(), m.end(), m.group(0)))
    for rx, a, b in t.eras:
        for m in rx.finditer(s):
            out.append(_Date(a, b, m.start(), m.end(), m.group(0), era=True))
    return out


def _fits(d: _Date, spans: Sequence[tuple[int, int]]) -> bool:
    return any(d.first <= b and a <= d.last for a, b in spans)


# --- subjects and events -------------------------------------------------------------------------


def page_subjects(texts: Sequence[str]) -> tuple[str, ...]:
    """The fact subjects (data/facts.yaml ``subjects``) a page names, most named first."""
    t = facts()
    counts: dict[str, int] = {}
    for text in texts:
        for _, k in _named(text, t):
            counts[k] = counts.get(k, 0) + 1
    return tuple(sorted(counts, key=lambda k: (-counts[k], k)))


def _named(s: str, t: _Table, low: str | None = None) -> list[tuple[int, str]]:
    """(where, subject) for the first mention of each subject the text names."""
    return list(_named_in(s.lower() if low is None else low))


@lru_cache(maxsize=4096)
def _named_in(low: str) -> tuple[tuple[int, str], ...]:
    """One pass of the joined pattern (a page's sentences are read twice: for the page's
    subjects, then each on its own); kept for the page only (see on_forget)."""
    t = facts()
    if not _any_subject_filter(t.any_subject.pattern).may_match(low):
        return ()  # most sentences: none of the subjects' words, told without the long pattern
    keys = list(t.subjects)
    first: dict[str, int] = {}
    for m in t.any_subject.finditer(low):
        k = keys[int(str(m.lastgroup)[1:])] if m.lastgroup else None
        if k is not None and k not in first:
            first[k] = m.start()
    return tuple((i, k) for k, i in first.items())


on_forget(_named_in.cache_clear)  # kept for one page, as the lexicon's per-text stores are


@cache
def _any_subject_filter(pattern: str) -> Caseless:
    """The joined subject pattern with its groups unnamed (what matches is the same; group names
    have capitals, which would leave Caseless without its literal filter)."""
    return Caseless(re.sub(r"\(\?P<s\d+>", "(", pattern))


def _subjects(
    s: str, t: _Table, page: Sequence[str], treatment: str | None
) -> tuple[list[str], bool]:
    """The subjects the sentence may be about, and whether it names them: those it names in
    order, else, when it refers back ("It was first used ...") or states a bare approval
    ("Approved since 2017!"), the subjects its page names that are forms of ``treatment`` (what
    the sentence is about: data/copy.yaml treatments)."""
    low = s.lower()
    named = [k for _, k in sorted(_named(s, t, low))]
    if named:
        return named, True
    if treatment is None or not page:
        return [], False
    bare = t.events["approval"].search_in(s, low) and not t.unnamed_unless.search(low)
    if not (bare or t.reference.search(low)):
        return [], False
    return [k for k in page if t.treatment[k] == treatment], False


def _near(s: str, event: re.Match[str], d: _Date, t: _Table) -> bool:
    """The date belongs to the event: no other clause starts between them ("In 2022 our clinic
    began offering Spravato, which is approved ..." does not date the approval). A year that
    heads a timeline entry ("2017: Spravato approved") dates the whole entry."""
    lead = _TIMELINE.match(s)
    if lead is not None and lead.end(1) == d.end:  # the entry is the event (review25 O4)
        return lead.end() <= event.start() and not t.clause_break.search(
            s[lead.end() : event.start()]
        )
    a, b = (event.end(), d.start) if event.end() <= d.start else (d.end, event.start())
    return not t.clause_break.search(s[a:b])


# --- the checks ----------------------------------------------------------------------------------


def _flag(t: _Table, words: str, fact: Fact) -> tuple[str, str, str]:
    return (
        t.code,
        f'"{words}" — {t.title}: {fact.says}, according to {fact.source.replace("; ", " and ")}; '
        f"{t.advice}.",
        t.basis,
    )


def _dated_flag(
    s: str, t: _Table, subjects: Sequence[str], dates: Sequence[_Date]
) -> tuple[str, str, str] | None:
    """A date given for an event of a named subject that none of its facts fit.

    A sentence can date two events ("first made in 1956 and approved in 1970"): each date is
    compared with the event it stands nearest to, and each event on its own, so a right date for
    one event no longer clears a wrong date for the other."""
    if not dates:
        return None
    first = t.first.search(s) is not None and not t.expanded.search(s)
    read: list[tuple[re.Match[str], list[Fact], list[_Date]]] = []
    for ev, rx in t.events.items():
        m = rx.search(s)
        if m is None or (ev == "approval" and t.other_regulator.search(s)):
            continue
        relevant = sorted(
            (f for f in t.dated if f.subject in subjects and f.event == ev and f.check != "never"),
            key=lambda f: subjects.index(str(f.subject)),
        )
        relevant = [f for f in relevant if f.check == "always" or first]
        near = [d for d in dates if _near(s, m, d, t)]
        # a year or decade given for the event is what the sentence dates it by: a war named
        # beside it ("invented in the 1970s for troops in Vietnam") does not make it fit
        near = [d for d in near if not d.era] or near
        if relevant and near:
            read.append((m, relevant, near))
    wrong: tuple[_Date, Fact] | None = None
    for m, relevant, near in read:
        # the dates this event owns: copy dates an event after naming it ("approved in 1970"),
        # so a date belongs to the last event before it, or to the first after it when none is
        own = [d for d in near if _owner(d, [m2 for m2, _, near2 in read if d in near2]) is m]
        if not own:
            continue
        allowed = [
            ((f.first_year, f.first_year),) if first and f.first_year else f.spans for f in relevant
        ]
        if any(_fits(d, sp) for d in own for sp in allowed):
            continue  # a date the record gives: the sentence fits this event (or is about it)
        wrong = wrong or (own[0], relevant[0])
    if wrong:
        return _flag(t, wrong[0].words, wrong[1])
    return None


def _owner(d: _Date, events: Sequence[re.Match[str]]) -> re.Match[str] | None:
    """Of the events a date is near, the one it dates: the last that starts before it, else the
    first after it."""
    before = [m for m in events if m.start() < d.start]
    if before:
        return max(before, key=lambda m: m.start())
    return min(events, key=lambda m: m.start(), default=None)


def _origin_flag(
    s: str, t: _Table, subjects: Sequence[str], named: bool, all_dates: Sequence[_Date]
) -> tuple[str, str, str] | None:
    """A use dated before the subject existed ("first used in World War II" of a 1962
    compound), or said to have lasted longer than it has existed ("used for 80 years"). A
    sentence that only refers back is flagged only when every subject it may mean came later."""
    origins = {f.subject: f.not_before for f in t.dated if f.not_before}
    about = subjects[:1] if named else subjects
    if not (all_dates or _SPAN.search(s)):
        return None
    if not about or not all(k in origins for k in about) or t.forerunner.search(s):
        return None
    since = min(int(origins[k] or 0) for k in about)
    origin = next(f for f in t.dated if f.subject in about and f.not_before == since)
    for rx in t.events.values():  # any event: a use, an approval, field surgery ...
        if (event := rx.search(s)) is None:
            continue
        dates = [d for d in all_dates if _near(s, event, d, t)]
        if dates and all(d.last < since for d in dates):
            return _flag(t, dates[0].words, origin)
    for m in t.durations.finditer(s):
        n = _number(m.group(4))
        years = n * 10 if m.group(6).lower() == "decades" else n
        if n and t.latest - years < since:
            return _flag(t, m.group(0), origin)
    return None


def _number(word: str) -> int:
    if word.isdigit():
        return int(word)
    parts = word.lower().split("-")
    return sum(_NUMBERS.get(p, 0) for p in parts) if all(p in _NUMBERS for p in parts) else 0


def _contradiction(
    s: str, t: _Table, subjects: Sequence[str], named: bool
) -> tuple[str, str, str] | None:
    """Wording a fact rules out, said of the fact's subject (the first the sentence names, or
    one its page names when it refers back)."""
    about = subjects[:1] if named else subjects
    index, facts_of = _contradiction_index(t)
    low = s.lower()
    # the facts whose wording may be in the sentence, in order (library.lexicon.CueIndex)
    for i, run in index.candidates(s, low, trigrams(low) if len(low) == len(s) else None):
        f = facts_of[i]
        if f.subject is not None and f.subject not in about:
            continue
        m = index.run(i, run, s, low)
        if m and not (f.unless and f.unless.search(s)):
            return _flag(t, m.group(0), f)
    return None


_contradictions_of: dict[int, tuple[_Table, tuple[CueIndex, tuple[Fact, ...]]]] = {}


def _contradiction_index(t: _Table) -> tuple[CueIndex, tuple[Fact, ...]]:
    """The contradiction facts that have wording, as one CueIndex (once per table)."""
    known = _contradictions_of.get(id(t))
    if known is None or known[0] is not t:
        worded = tuple(f for f in t.contradictions if f.pattern is not None)
        index = CueIndex([f.pattern for f in worded if f.pattern is not None])
        known = _contradictions_of[id(t)] = (t, (index, worded))
    return known[1]


_FIGURE_WORDS = {
    "a": 1.0, "an": 1.0, "one": 1.0, "two": 2.0, "three": 3.0, "four": 4.0, "five": 5.0,
    "six": 6.0, "seven": 7.0, "eight": 8.0, "nine": 9.0, "ten": 10.0, "eleven": 11.0,
    "twelve": 12.0, "twenty-four": 24.0, "twenty four": 24.0, "thirty-six": 36.0,
    "forty-eight": 48.0, "seventy-two": 72.0, "half an": 0.5, "half a": 0.5,
}  # fmt: skip
_NUM = r"\d+(?:\.\d+)?|" + "|".join(sorted(_FIGURE_WORDS, key=len, reverse=True))
# a figure with its unit, or a range of two ("two to three hours", "2-3 hours")
_FIGURE = re.compile(
    rf"\b(?P<a>{_NUM})(?P<ah> and a half)?(?:\s*(?:to|-|–|or)\s*(?P<b>{_NUM})(?P<bh> and a half)?)?"
    r"\s*(?P<u>minutes?|mins?|hours?|hrs?|days?)\b",
    re.I,
)
_PER_HOUR = {"m": 1 / 60, "h": 1.0, "d": 24.0}
_DIFFERENCE = re.compile(r"\s*(longer|shorter|more|less|extra)\b", re.I)
# the words between a quantity and its figure
_GIVEN_AS = re.compile(
    r"^\s*(?:is|was|of|:|,|lasts|runs)?\s*(?:(?:only|just|about|roughly|around|approximately|"
    r"nearly|almost|close to|under|over|less than|more than|some|somewhere near|typically|"
    r"usually)\s+)*",
    re.I,
)


def _hours(word: str, half: str | None) -> float:
    w = word.lower()
    n = float(w) if w[0].isdigit() else _FIGURE_WORDS[w]
    return n + (0.5 if half else 0.0)


def _measure_flag(
    s: str, t: _Table, subjects: Sequence[str], named: bool
) -> tuple[str, str, str] | None:
    """A figure given for a quantity the record measures (ketamine's half-life), outside the
    record's range. The figure must follow the quantity in its own clause."""
    about = subjects[:1] if named else subjects
    for m in t.measures:
        if m.subject not in about or (m.unless and m.unless.search(s)):
            continue
        q = m.quantity.search(s)
        if q is None:
            continue
        # the figure the quantity is given as ("half-life of about 12 hours", "half-life is
        # roughly two to three hours"), not any figure after it (review25 O2)
        rest = _GIVEN_AS.sub("", s[q.end() : q.end() + 60], count=1)
        f = _FIGURE.match(rest)
        # a difference ("45 minutes longer in older adults") is not the half-life itself
        if f is None or _DIFFERENCE.match(rest, f.end()):
            continue
        unit = _PER_HOUR[f.group("u")[0].lower()]
        a = _hours(f.group("a"), f.group("ah")) * unit
        b = _hours(f.group("b"), f.group("bh")) * unit if f.group("b") else a
        lo, hi = m.hours
        if b < lo or a > hi:
            return _flag(t, f.group(0), Fact(m.id, m.subject, None, (), m.says, m.source))
    return None


def fact_check(
    sentence: str, page: Sequence[str] = (), treatment: str | None = None
) -> tuple[str, str, str] | None:
    """(code, message, basis) when the sentence clearly contradicts a fact of data/facts.yaml,
    else None. ``page``: the subjects (``subjects`` keys) the page names, what "it" may be;
    ``treatment``: what the sentence is about (a data/copy.yaml treatment)."""
    t = facts()
    subjects, named = _subjects(sentence, t, page, treatment)
    if not subjects:  # most sentences: only the facts about no subject in particular
        return _contradiction(sentence, t, subjects, named)
    dates = _dates(sentence, t) if _DATED.search(sentence) else []
    return (
        _dated_flag(sentence, t, subjects, dates)
        or _origin_flag(sentence, t, subjects, named, dates)
        or _contradiction(sentence, t, subjects, named)
        or _measure_flag(sentence, t, subjects, named)
    )
