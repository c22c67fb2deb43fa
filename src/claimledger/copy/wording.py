"""Wording flags from the lexicon in data/wording.yaml: overstatement a reviewer sees in the words.

Each category carries its regulatory basis; the patterns live in the YAML so a reviewer can
extend them without touching code. Pure: normalised sentence in, flags out.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from claimledger.library.lexicon import Caseless, load_lexicon

__all__ = [
    "DatedFact",
    "Flag",
    "Wording",
    "answer_flags",
    "dated_facts",
    "fact_flag",
    "lexicon_flags",
    "wording",
]


@dataclass(frozen=True)
class Flag:
    code: str
    message: str
    basis: str = ""


def _rx(pattern: str | None) -> Caseless | None:
    return Caseless(pattern) if pattern else None


@dataclass(frozen=True)
class _Category:
    code: str
    title: str
    basis: str
    message: str
    patterns: tuple[Caseless, ...]
    unhedged: tuple[Caseless, ...]
    unless: Caseless | None
    requires: Caseless | None
    hedgeable: bool

    def first_match(self, s: str, hedged: bool, low: str | None = None) -> re.Match[str] | None:
        low = s.lower() if low is None else low
        if self.unless and self.unless.search_in(s, low):
            return None
        if self.requires and not self.requires.search_in(s, low):
            return None
        for rx in self.unhedged:
            m = rx.search_in(s, low)
            if m:
                return m
        if self.hedgeable and hedged:
            return None
        for rx in self.patterns:
            m = rx.search_in(s, low)
            if m:
                return m
        return None

    def flag(self, words: str) -> Flag:
        return Flag(self.code, f"{_quote(words)} — {self.title}: {self.message}.", self.basis)


def _quote(words: str) -> str:
    """The flagged words in quotation marks. A span that carries its own marks is shown as
    written when they are not just around it ('"I felt better," says Maria.'), so no mark is
    left unpaired."""
    inner = words.strip().strip("\"“”'‘’").strip()
    return words.strip() if re.search('["“”]', inner) else f'"{inner}"'


@dataclass(frozen=True)
class Wording:
    hedges: Caseless
    categories: tuple[_Category, ...]
    approval: dict[str, Any]
    testimonial: dict[str, Caseless]


@cache
def wording() -> Wording:
    data = load_lexicon("wording")
    cats = []
    approval: dict[str, Any] = {}
    testimonial: dict[str, Caseless] = {}
    for name, c in data["categories"].items():
        code = name.upper().replace("-", "_")
        cat = _Category(
            code,
            c["title"],
            c["basis"],
            c["message"],
            tuple(p for p in (_rx(x) for x in c.get("patterns", ())) if p),
            tuple(p for p in (_rx(x) for x in c.get("unhedged", ())) if p),
            _rx(c.get("unless")),
            _rx(c.get("requires")),
            bool(c.get("hedgeable")),
        )
        cats.append(cat)
        if name == "approval-scope":
            approval = {
                "category": cat,
                "approval": _rx(c["approval"]),
                "off_label_product": _rx(c["off_label_product"]),
                "approved_product": _rx(c["approved_product"]),
                "uses": {k: _rx(v) for k, v in c["approved_uses"].items()},
            }
        if name == "testimonials-as-proof":
            testimonial = {
                "first_person": Caseless(c["first_person"]),
                "result": Caseless(c["result"]),
                "balanced": Caseless(c["balanced"]),
                "attribution": Caseless(c["attribution"]),
            }
    hedges = _rx(data["hedges"])
    assert hedges is not None
    return Wording(hedges, tuple(cats), approval, testimonial)


def _approval_flag(s: str, w: Wording) -> Flag | None:
    """FDA approval stated for a use outside the approved ones (ketamine: anaesthesia;
    esketamine nasal spray: depression), or without saying the use is off-label."""
    a = w.approval
    cat: _Category = a["category"]
    m = a["approval"].search(s)
    if not m or (cat.unless and cat.unless.search(s)):
        return None
    approved_product = a["approved_product"].search(s) is not None
    off_label = a["off_label_product"].search(s) is not None
    if approved_product and not re.search(
        r"\bketamine is\b|\bketamine,? (was|has been)\b", s, re.I
    ):
        use_ok = a["uses"]["esketamine"].search(s) is not None
    elif off_label:
        use_ok = a["uses"]["ketamine"].search(s) is not None
    else:
        return None
    return None if use_ok else cat.flag(s[m.start() : m.end()])


def _testimonial_flag(s: str, w: Wording, quoted: bool) -> Flag | None:
    cat = next(c for c in w.categories if c.code == "TESTIMONIALS_AS_PROOF")
    m = cat.first_match(s, hedged=False)
    if m:
        return cat.flag(s[m.start() : m.end()])
    t = w.testimonial
    if t["balanced"].search(s):
        return None
    told = (quoted and t["first_person"].search(s)) or t["attribution"].search(s)
    if told and (r := t["result"].search(s)):
        return cat.flag(s[r.start() : r.end()] if len(s) > 60 else s)
    return None


def lexicon_flags(sentence: str, quoted: bool = False) -> list[Flag]:
    """Every wording category that the (normalised) sentence falls into, one flag each.

    ``quoted``: the sentence is a patient's words (in quotation marks, or on a testimonials page).
    """
    w = wording()
    low = sentence.lower()
    hedged = w.hedges.search_in(sentence, low) is not None
    out: list[Flag] = []
    for cat in w.categories:
        if cat.code == "APPROVAL_SCOPE":
            f = _approval_flag(sentence, w)
        elif cat.code == "TESTIMONIALS_AS_PROOF":
            f = _testimonial_flag(sentence, w, quoted)
        else:
            m = cat.first_match(sentence, hedged, low)
            f = cat.flag(sentence[m.start() : m.end()]) if m else None
        if f:
            out.append(f)
    return out


# --- short answers ------------------------------------------------------------------------------


@cache
def _answers() -> tuple[dict[str, Caseless], Caseless, tuple[tuple[Caseless, str, str], ...]]:
    d = load_lexicon("wording")["short-answers"]
    kinds = {k: Caseless(d[k]) for k in ("affirm", "absolute", "deny")}
    rules = tuple((Caseless(q), kind, cat.upper().replace("-", "_")) for q, kind, cat in d["rules"])
    return kinds, Caseless(d["hedged"]), rules


def answer_flags(question: str, answer: str, quoted: bool = False) -> list[Flag]:
    """Wording flags of a short FAQ answer read with its question ("Is it addictive?" / "Never.").
    An affirmative answer also asserts the question, which is then checked as a statement."""
    kinds, hedged, rules = _answers()
    a = answer.strip()
    if hedged.search(a):
        return []
    by_code = {c.code: c for c in wording().categories}
    out: list[Flag] = []
    for q, kind, code in rules:
        if kinds[kind].search(a) and q.search(question) and code not in {f.code for f in out}:
            out.append(by_code[code].flag(a))
    if kinds["affirm"].search(a):
        stem = question.rstrip(" ?")
        seen = {f.code for f in out}
        out += [f for f in lexicon_flags(stem, quoted) if f.code not in seen]
    return out


# --- dated facts ---------------------------------------------------------------------------------

_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)(s)?\b")


@dataclass(frozen=True)
class DatedFact:
    """An event the library dates ("esketamine approval, 2019") or names a value for ("ketamine
    battlefield use, Vietnam War"); the claim id is for the message."""

    subject: str
    event: str
    years: tuple[tuple[int, bool], ...]  # (year, is a decade such as "1960s")
    claim_id: str
    names: tuple[str, ...] = ()  # other values, lower-case ("vietnam war")


@cache
def _dated() -> tuple[
    dict[str, Caseless], dict[str, Caseless], tuple[Caseless, ...], Caseless, str, str
]:
    d = load_lexicon("wording")["dated-facts"]
    return (
        {k: Caseless(p) for k, p in d["subjects"].items()},
        {k: Caseless(p) for k, p in d["events"].items()},
        tuple(Caseless(p) for p in d.get("named_values", {}).values()),
        Caseless(d["same_event_unless"]),
        d["code"],
        d["basis"],
    )


def _slot(text: str, default: str | None = None) -> tuple[str | None, list[str]]:
    """The subject a sentence dates (the first one it names, else ``default``) and the events
    it names. "Ketamine, the parent of esketamine, was approved in 1970" dates ketamine."""
    subjects, events, *_ = _dated()
    named = [(m.start(), k) for k, rx in subjects.items() if (m := rx.search(text))]
    subject = min(named)[1] if named else default
    return subject, [k for k, rx in events.items() if rx.search(text)]


def _years(text: str) -> list[tuple[int, bool, str]]:
    return [(int(m.group(1)), bool(m.group(2)), m.group(0)) for m in _YEAR.finditer(text)]


def _names(text: str) -> list[str]:
    return [m.group(0).lower() for rx in _dated()[2] for m in rx.finditer(text)]


def dated_facts(statements: Sequence[tuple[str, str]]) -> tuple[DatedFact, ...]:
    """The library's dated (or named) events, from (claim id, statement) pairs."""
    out: list[DatedFact] = []
    for cid, text in statements:
        years = tuple((y, dec) for y, dec, _ in _years(text))
        names = tuple(_names(text))
        subject, events = _slot(text)
        if (years or names) and subject:
            out.extend(DatedFact(subject, e, years, cid, names) for e in events)
    return tuple(out)


def _fits(year: int, decade: bool, known: int, known_decade: bool) -> bool:
    """Same year, or overlapping spans when either is a decade ("the 1960s" fits 1962)."""
    a, b = (year, year + 10) if decade else (year, year + 1)
    c, d = (known, known + 10) if known_decade else (known, known + 1)
    return a < d and c < b


def _differs(fact: DatedFact, years: list[tuple[int, bool, str]], names: list[str]) -> str | None:
    """What the sentence says that the fact contradicts (None: nothing comparable, or it fits)."""
    fits = any(_fits(y, dec, k, kd) for y, dec, _ in years for k, kd in fact.years)
    if fact.years and years and not fits:
        return ", ".join(sorted({w for _, _, w in years}))
    if fact.names and names and not set(names) & set(fact.names):
        return ", ".join(sorted({n.title() for n in names}))
    return None


def fact_flag(
    sentence: str, facts: Sequence[DatedFact], default_subject: str | None = None
) -> Flag | None:
    """A year (or named value) the sentence gives for an event the library gives otherwise
    ("the FDA approved Spravato in 2016" against 2019; "used in the Korean War" against Vietnam).
    The sentence must name the event and its subject (or the caller knows the subject:
    ``default_subject``); an expanded approval is another event, and a value that fits the
    library's anywhere in the sentence clears it."""
    years, names = _years(sentence), _names(sentence)
    _, _, _, other_event, code, basis = _dated()
    if not (years or names) or other_event.search(sentence):
        return None
    subject, events = _slot(sentence, default_subject)
    for fact in facts:
        if fact.subject != subject or fact.event not in events:
            continue
        stated = _differs(fact, years, names)
        if stated is None:
            continue
        dated = stated[:1].isdigit()
        library = ", ".join(
            [f"{k}{'s' if dec else ''}" for k, dec in fact.years]
            if dated
            else [n.title() for n in fact.names]
        )
        return Flag(
            code,
            f'"{stated}": the library {"dates this to" if dated else "says"} {library} '
            f"({fact.claim_id}); check it against the source.",
            basis,
        )
    return None
