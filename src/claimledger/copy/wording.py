"""Wording flags from the lexicon in data/wording.yaml: overstatement a reviewer sees in the words.

Each category carries its regulatory basis; the patterns live in the YAML so a reviewer can
extend them without touching code. Pure: normalised sentence in, flags out.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

from claimledger.copy.cues import CueLists, SentenceCues
from claimledger.copy.facts import fact_check, page_subjects
from claimledger.copy.structure import Unit, domain, is_question
from claimledger.library.lexicon import Caseless, load_lexicon, lower_keeping_offsets, trigrams

__all__ = [
    "CUE_SOURCES",
    "DatedFact",
    "Flag",
    "Wording",
    "answer_flags",
    "dated_facts",
    "fact_flag",
    "lexicon_flags",
    "page_flags",
    "quote_runs",
    "word_classes",
    "wording",
]


@dataclass(frozen=True)
class Flag:
    code: str
    message: str
    basis: str = ""


def _rx(pattern: str | None) -> Caseless | None:
    return Caseless(pattern) if pattern else None


_CLASS_REF = re.compile(r"\{([a-z_]+)\}")


def expand(pattern: str, classes: dict[str, str]) -> str:
    """A grammar pattern with its word classes filled in: ``{harm}`` becomes the alternation of
    data/wording.yaml's ``word-classes: harm`` (regex quantifiers such as ``{0,3}`` are left)."""
    return _CLASS_REF.sub(lambda m: classes.get(m.group(1), m.group(0)), pattern)


def word_classes(data: dict[str, Any]) -> dict[str, str]:
    """Each word class as one non-capturing alternation; a class may use classes defined above it."""
    out: dict[str, str] = {}
    for name, c in (data.get("word-classes") or {}).items():
        words = [expand(" ".join(str(w).split()), out) for w in c["words"]]
        out[name] = "(?:" + "|".join(words) + ")"
    return out


def _blank(rx: Caseless, low: str) -> str:
    """``low`` with ``rx``'s matches blanked out, offsets kept."""
    out = low
    for m in rx.finditer(low):
        out = out[: m.start()] + " " * (m.end() - m.start()) + out[m.end() :]
    return out


_NO_CUES = CueLists(())


@dataclass(frozen=True)
class Clauses:
    """Where a sentence's clauses end (data/wording.yaml ``clause_breaks``), and which clauses go
    on with the one before (``clause_continues``: "not a cure, a quick fix, or a guarantee")."""

    breaks: re.Pattern[str]
    continues: re.Pattern[str] | None = None

    def spans(self, low: str) -> list[tuple[int, int]]:
        """The (start, end) of each clause of ``low``: the text between clause breaks."""
        out, start = [], 0
        for m in self.breaks.finditer(low):
            if m.start() > start:
                out.append((start, m.start()))
            start = max(start, m.end())
        if start < len(low):
            out.append((start, len(low)))
        return out

    def withdrawn(self, unless: Caseless, low: str) -> str | None:
        """``low`` with each clause that ``unless`` matches on its own blanked out (offsets kept),
        and the elliptical clauses that go on with it; None when nothing is left."""
        out, before = low, False
        for a, b in self.spans(low):
            clause = low[a:b]
            before = unless.search(clause) is not None or (
                before and self.continues is not None and self.continues.search(clause) is not None
            )
            if before:
                out = out[:a] + " " * (b - a) + out[b:]
        return None if not out.strip() else out


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
    unless_nearby: Caseless | None = None  # withdraws the flag from the next sentence too
    own_only: Caseless | None = (
        None  # terms of art that overstate only about the page's own product
    )
    house: Caseless | None = None  # in-house data: a source in the next sentence does not cover it
    gate: re.Pattern[str] | None = None  # a sentence this does not match cannot be in the category
    # the cue lists of every category are read from a sentence in one pass (copy/cues.py):
    # this category's ``unhedged`` and ``patterns`` are lists ``lists`` of ``cues``
    cues: CueLists = _NO_CUES
    lists: tuple[int, int] = (-1, -1)
    # where ``unless`` withdraws the flag: the clause it is found in (data/wording.yaml
    # ``clause_breaks``), so a cue in another clause still holds; None: the whole sentence
    clauses: Clauses | None = None

    def first_match(
        self,
        s: str,
        hedged: bool,
        low: str | None = None,
        following: str = "",
        own: bool = True,
        grams: frozenset[str] | None = None,
        read: SentenceCues | None = None,
    ) -> re.Match[str] | None:
        """The words that put the sentence in this category, if any. ``following``: the next
        sentence (a source there withdraws a figure); ``own``: the sentence is about the page's
        own product (terms of art such as "gold standard" overstate only about that).
        ``read``: the sentence already read against every category's cues (``Wording.read``)."""
        low = s.lower() if low is None else low
        if not own and self.own_only:
            s = low = _blank(self.own_only, lower_keeping_offsets(s))  # offsets of ``s``
            read = None  # another text
        if self.gate is not None and not self.gate.search(low):
            return None
        if read is None:
            read = self.cues.read(s, low, grams if len(low) == len(s) else None)
        m = self._cue(read, hedged)
        # the withdrawing patterns are long; most sentences match no cue, so they come second
        if m is not None and self.unless and self.unless.search_in(s, low):
            m = self._outside_withdrawn(s, low, hedged, m)
        if m is None:
            return None
        if self.requires and not self.requires.search_in(s, low):
            return None
        if (
            self.unless_nearby
            and following
            and self.unless_nearby.search(following)
            and not (self.house and self.house.search_in(s, low))
        ):
            return None
        return m

    def _outside_withdrawn(
        self, s: str, low: str, hedged: bool, m: re.Match[str]
    ) -> re.Match[str] | None:
        """A cue outside the clauses ``unless`` withdraws: "Whether you are 20 or 70, it is safe
        for everyone" is not withdrawn by "whether ... is safe", which spans two clauses, and a
        rival's "neither is a cure" leaves "ketamine cures it" in the next clause standing."""
        if self.clauses is None or self.unless is None:
            return None
        if len(low) != len(s):  # "İ" lower-cases to two characters: read a form keeping offsets
            low = lower_keeping_offsets(s)
        kept = self.clauses.withdrawn(self.unless, low)
        if kept is None:
            return None  # every clause withdrawn
        if kept == low:  # found only across a clause break: no clause withdraws the cue
            return m
        return self._cue(self.cues.read(kept, kept, None), hedged)

    def _cue(self, read: SentenceCues, hedged: bool) -> re.Match[str] | None:
        unhedged, patterns = self.lists
        m = read.first(unhedged)
        if m or (self.hedgeable and hedged):
            return m
        return read.first(patterns)

    def flag(self, words: str) -> Flag:
        return Flag(self.code, f"{_quote(words)} — {self.title}: {self.message}.", self.basis)


def _quote(words: str) -> str:
    """The flagged words in quotation marks. A span that carries its own marks is shown as
    written when they are not just around it ('"I felt better," says Maria.'), so no mark is
    left unpaired."""
    inner = words.strip().strip("\"“”'‘’").strip()
    return words.strip() if re.search('["“”]', inner) else f'"{inner}"'


@dataclass(frozen=True)
class Contrasts:
    """Side effects a treatment is documented not to cause (data/wording.yaml
    ``accurate-contrasts``): a plain denial of only those, said of the treatment, is a sourced
    fact, so the categories in ``withdraws`` do not flag it."""

    withdraws: frozenset[str]  # category codes
    denial: re.Pattern[str]
    promise: re.Pattern[str]
    rival: str  # put before a subject: the subject is the one compared against
    other_effects: re.Pattern[str]
    subjects: tuple[
        tuple[str, re.Pattern[str], re.Pattern[str], re.Pattern[str], re.Pattern[str]], ...
    ]
    # (treatment, subject, the subject as a rival, its absent effects, a list of them)

    def rest(self, s: str, treatment: str | None) -> str | None:
        """When the (normalised) sentence ``s`` denies, plainly and of the treatment itself, only
        effects the treatment is documented not to cause: the sentence without that denial and
        without the rival it is set against ("Unlike antidepressants, "), to be read again for
        any other claim it makes. None when it does not."""
        if self.promise.search(s):
            return None
        d = self.denial.search(s)
        if d is None:
            return None
        for name, subject, as_rival, absent, listed in self.subjects:
            named = subject.search(s)
            if named is None or named.start() > d.start() or as_rival.search(s):
                continue
            if treatment not in (None, name):
                continue
            effects = listed.match(s, d.end())  # the denied list, right after the denial
            if effects is None or self.other_effects.search(absent.sub(" ", s)):
                continue
            lead = re.match(r"\W*(and |but )?" + self.rival + r"[^,;]{0,40}, ", s, re.I)
            start = lead.end() if lead else 0
            return s[start : d.start()] + s[effects.end() :]
        return None


def _contrasts(c: dict[str, Any] | None, classes: dict[str, str]) -> Contrasts | None:
    if not c:
        return None

    def rx(p: str) -> re.Pattern[str]:
        return re.compile(expand(p, classes), re.I)

    return Contrasts(
        withdraws=frozenset(k.upper().replace("-", "_") for k in c["withdraws"]),
        denial=rx(c["denial"]),
        promise=rx(c["promise"]),
        rival=c["rival"],
        other_effects=rx(c["other_effects"]),
        subjects=tuple(
            (
                name,
                rx(t["subject"]),
                rx(c["rival"] + t["subject"]),
                rx(t["absent"]),
                rx(c["effect_list"].replace("{effect}", "(" + t["absent"] + ")")),
            )
            for name, t in c["treatments"].items()
        ),
    )


@dataclass(frozen=True)
class Wording:
    hedges: Caseless
    categories: tuple[_Category, ...]
    approval: dict[str, Any]
    testimonial: dict[str, Caseless]
    not_asserted: Caseless | None = None
    # minimisation read with the sentence before: a bare dismissal, and what it dismisses
    dismissal: tuple[Caseless, Caseless] | None = None
    cues: CueLists = _NO_CUES  # every category's cue lists, read in one pass (copy/cues.py)
    contrasts: Contrasts | None = None  # accurate side-effect contrasts (withdraw some flags)

    def read(self, s: str, low: str, grams: frozenset[str] | None) -> SentenceCues:
        """The (normalised) sentence read against every category's cues at once."""
        return self.cues.read(s, low, grams if len(low) == len(s) else None)


# Which cue lists are read: "patterns" (cues read from the dev writers' copy) and "grammar" (cues
# built from word classes by the grammar of each category). benchmarks/wording_by_writer.py sets
# this to measure the grammar alone; wording() is cached, so set it before the first check.
CUE_SOURCES: frozenset[str] = frozenset({"patterns", "grammar"})


def _compiled(c: dict[str, Any], key: str, classes: dict[str, str]) -> tuple[Caseless, ...]:
    return tuple(p for p in (_rx(expand(x, classes)) for x in c.get(key, ())) if p)


def _one(c: dict[str, Any], key: str, classes: dict[str, str]) -> Caseless | None:
    return _rx(expand(c[key], classes)) if c.get(key) else None


def _category(
    name: str, c: dict[str, Any], classes: dict[str, str], clauses: Clauses | None = None
) -> _Category:
    patterns: tuple[Caseless, ...] = ()
    unhedged: tuple[Caseless, ...] = ()
    if "patterns" in CUE_SOURCES:
        patterns += _compiled(c, "patterns", classes)
        unhedged += _compiled(c, "unhedged", classes)
    if "grammar" in CUE_SOURCES:
        patterns += _compiled(c, "grammar", classes)
        unhedged += _compiled(c, "grammar_unhedged", classes)
    return _Category(
        code=name.upper().replace("-", "_"),
        title=c["title"],
        basis=c["basis"],
        message=c["message"],
        patterns=patterns,
        unhedged=unhedged,
        unless=_one(c, "unless", classes),
        requires=_one(c, "requires", classes),
        hedgeable=bool(c.get("hedgeable")),
        unless_nearby=_one(c, "unless_nearby", classes),
        own_only=_one(c, "own_only", classes),
        house=_one(c, "house", classes),
        gate=re.compile(c["gate"]) if c.get("gate") else None,
        clauses=clauses if c.get("unless_scope", "clause") == "clause" else None,
    )


@cache
def wording() -> Wording:
    data = load_lexicon("wording")
    classes = word_classes(data)
    cats = []
    approval: dict[str, Any] = {}
    testimonial: dict[str, Caseless] = {}
    dismissal: tuple[Caseless, Caseless] | None = None
    clauses = None
    if data.get("clause_breaks"):
        more = data.get("clause_continues")
        clauses = Clauses(re.compile(data["clause_breaks"]), re.compile(more) if more else None)
    for name, c in data["categories"].items():
        cat = _category(name, c, classes, clauses)
        cats.append(cat)
        if name == "minimisation" and c.get("dismissal"):
            dismissal = (Caseless(c["dismissal"]), Caseless(expand(c["dismissed"], classes)))
        if name == "approval-scope":
            approval = {
                "category": cat,
                "approval": _one(c, "approval", classes),
                "off_label_product": _rx(c["off_label_product"]),
                "approved_product": _rx(c["approved_product"]),
                "racemic": _rx(c["racemic_product"]),
                "contrast": _rx(c["contrast"]),
                "universal_scope": _rx(c["universal_scope"]),
                "uses": {k: _rx(v) for k, v in c["approved_uses"].items()},
                "unapproved": {k: _rx(v) for k, v in c["unapproved_uses"].items()},
                "clause_end": re.compile(c["clause_end"], re.I),
                "minors": _rx(c["minors"]),
                "listed": Caseless(c["listed_conditions"]),
                "condition": Caseless(classes["condition"]),
                "regulator": Caseless(r"\b" + classes["regulator"] + r"\b"),
                "others": {
                    k: (None if v is None else _rx(expand(v, classes)))
                    for k, v in (c.get("other_treatments") or {}).items()
                },
            }
        if name == "testimonials-as-proof":
            testimonial = {
                k: Caseless(expand(c[k], classes))
                for k in (
                    "first_person",
                    "result",
                    "balanced",
                    "attribution",
                    "group_told",
                    "improvement",
                    "narrative",
                    "reviews",
                    "outcome",
                )
            }
    hedges = _rx(data["hedges"])
    assert hedges is not None
    not_asserted = _rx(data.get("not_asserted"))
    cues = CueLists([p for c in cats for p in (c.unhedged, c.patterns)])
    shared = tuple(replace(c, cues=cues, lists=(2 * k, 2 * k + 1)) for k, c in enumerate(cats))
    if approval:
        approval["category"] = next(c for c in shared if c.code == "APPROVAL_SCOPE")
    contrasts = _contrasts(data.get("accurate-contrasts"), classes)
    return Wording(hedges, shared, approval, testimonial, not_asserted, dismissal, cues, contrasts)


def _approval_flag(
    s: str, w: Wording, treatment: str | None = None, product: str | None = None
) -> Flag | None:
    """Approval stated for a use outside the approved ones (ketamine: anaesthesia; esketamine
    nasal spray: depression, in adults; another treatment: its own approvals or clearances, or
    none at all), or without saying the use is off-label. ``product``: what a sentence that names
    no product is about on this page ("ketamine" or "esketamine"; None when the page names both)."""
    a = w.approval
    cat: _Category = a["category"]
    m = a["approval"].search(s)
    if not m or (cat.unless and cat.unless.search(s)):
        return None
    if a["universal_scope"].search(s):
        return cat.flag(s[m.start() : m.end()])
    racemic = a["racemic"].search(s) is not None and not a["contrast"].search(s)
    approved_product = a["approved_product"].search(s) is not None and not racemic
    off_label = a["off_label_product"].search(s) is not None
    unnamed = not (approved_product or off_label) and treatment == "ketamine"
    if (
        unnamed
        and not product
        and (
            (a["minors"].search(_clause(s, m, a)) and not a["uses"]["ketamine"].search(s))
            or _beyond_scope(s, m, a, "esketamine")
        )
    ):
        # on a page naming both forms, a use neither is approved for (anxiety, PTSD, pain), or
        # any use in young people but anaesthesia (the nasal spray is for adults only)
        return cat.flag(s[m.start() : m.end()])
    if (
        unnamed
        and product
        and not domain().treatments_in(s)  # it names no treatment (not even another one)
    ):
        # an unnamed product ("FDA-approved treatment for depression") on a page about one form
        approved_product, off_label = product == "esketamine", product == "ketamine"
    if approved_product and not re.search(
        r"\bketamine is\b|\bketamine,? (was|has been)\b", s, re.I
    ):
        kind = "esketamine"
        # the nasal spray is approved for depression: an approval that names no condition at
        # all ("FDA-approved nasal spray, 2019") is accurate; one naming another use is not
        names_a_use = a["condition"].search(s) is not None
        use_ok = not a["minors"].search(_clause(s, m, a)) and (
            not names_a_use or a["uses"]["esketamine"].search(s) is not None
        )
    elif off_label:
        kind = "ketamine"
        use_ok = a["uses"]["ketamine"].search(s) is not None
    elif treatment in a["others"] and (
        a["condition"].search(s)
        # a treatment no regulator has approved for anything (a supplement, psilocybin)
        or (a["others"][treatment] is None and a["regulator"].search(s))
    ):
        uses = a["others"][treatment]
        use_ok = uses is not None and uses.search(s) is not None
        if use_ok and uses is not None and _listed_beyond(s, m, a, uses):
            use_ok = False
        kind = ""
    else:
        return None
    if use_ok and kind and _beyond_scope(s, m, a, kind):
        use_ok = False
    return None if use_ok else cat.flag(s[m.start() : m.end()])


def _beyond_scope(s: str, m: re.Match[str], a: dict[str, Any], kind: str) -> bool:
    """The approval's own clause names a condition the approval does not cover ("approved for
    anaesthesia and chronic pain")."""
    rest = s[m.end() :]
    end = a["clause_end"].search(rest)
    clause = rest[: end.start()] if end else rest
    if kind == "ketamine" and a["approved_product"].search(clause):
        return False  # "... and for depression as Spravato": the nasal spray's own approval
    return a["unapproved"][kind].search(clause) is not None


def _listed_beyond(s: str, m: re.Match[str], a: dict[str, Any], uses: Caseless) -> bool:
    """The approval's own clause lists a condition outside another treatment's clearances
    ("TMS is FDA-cleared for depression, anxiety and PTSD": anxiety and PTSD are not cleared)."""
    clause = _clause(s, m, a)
    # a cleared use covers the noun phrase it opens ("postpartum depression"), up to the next
    # item of the list; an item naming a cleared use covers its condition too ("anxiety symptoms
    # in adults with depression")
    covered = [(u.start(), _item_end(s, u.end())) for u in uses.finditer(s)]
    at = m.end()
    return any(
        not any(lo < at + c.end() and at + c.start() < hi for lo, hi in covered)
        and not uses.search(clause[c.end() : _item_end(clause, c.end())])
        for c in a["listed"].finditer(clause)
    )


def _clause(s: str, m: re.Match[str], a: dict[str, Any]) -> str:
    """The clause an approval holds: from the approval's words to a stop or a new clause."""
    rest = s[m.end() :]
    end = a["clause_end"].search(rest)
    return rest[: end.start()] if end else rest


_LIST_ITEM_END = re.compile(r"[,;/&]|\b(and|or|as well as|plus)\b", re.I)


def _item_end(s: str, at: int) -> int:
    """Where the list item running on at ``at`` ends (a comma or "and"), or the end of ``s``."""
    m = _LIST_ITEM_END.search(s, at)
    return m.start() if m else len(s)


_QUOTATION = re.compile(r'"([^"]{3,})"')  # a patient's words quoted inside a sentence


def _testimonial_flag(
    s: str,
    w: Wording,
    quoted: bool,
    context: str = "",
    in_quote: bool = False,
    read: SentenceCues | None = None,
) -> Flag | None:
    """``quoted``: the sentence is a patient's words (on a testimonials page, every sentence);
    ``in_quote``: it sits inside quotation marks itself. ``read``: as Wording.read gives it."""
    cat = next(c for c in w.categories if c.code == "TESTIMONIALS_AS_PROOF")
    low = s.lower()
    m = cat.first_match(s, hedged=False, low=low, grams=trigrams(low), read=read)
    if m:
        return cat.flag(s[m.start() : m.end()])
    t = w.testimonial
    if t["balanced"].search_in(s, low):
        return None
    inner = quoted or any(t["first_person"].search(q) for q in _QUOTATION.findall(s))
    if r := t["reviews"].search_in(s, low):  # reviews or patients' sayings offered as the proof
        return cat.flag(s[r.start() : r.end()] if len(s) > 60 else s)
    if in_quote and (r := t["outcome"].search_in(s, low)):  # a quoted "my panic attacks stopped"
        return cat.flag(s[r.start() : r.end()] if len(s) > 60 else s)
    told = (
        (inner or t["narrative"].search_in(s, low)) and t["first_person"].search_in(s, low)
    ) or t["attribution"].search_in(s, low)
    if told and (r := t["result"].search_in(s, low)):
        return cat.flag(s[r.start() : r.end()] if len(s) > 60 else s)
    # a group told as the source, in the sentence or its intro ("Clients tell us they feel:")
    if t["group_told"].search_in(s, low) or (context and t["group_told"].search(context)):
        r = t["result"].search_in(s, low) or t["improvement"].search_in(s, low)
        if r:
            return cat.flag(s[r.start() : r.end()] if len(s) > 60 else s)
    return None


def lexicon_flags(
    sentence: str,
    quoted: bool = False,
    *,
    following: str = "",
    context: str = "",
    treatment: str | None = None,
    own: bool = True,
    product: str | None = None,
    in_quote: bool = False,
) -> list[Flag]:
    """Every wording category that the (normalised) sentence falls into, one flag each.

    ``quoted``: the sentence is a patient's words (in quotation marks, or on a testimonials page).
    ``following``: the next sentence, where a figure's source may be. ``context``: the intro line
    of a list item. ``treatment``: what the sentence is about (data/copy.yaml treatments), for
    approval claims about other treatments. ``own``: it is about the page's own product.
    ``product``: the form of ketamine a sentence that names none is about on this page.
    ``in_quote``: the sentence itself sits inside quotation marks (a patient's own words).
    """
    w = wording()
    low = sentence.lower()
    if w.not_asserted and w.not_asserted.found(sentence):  # kept: _sentence_flags asks again
        return []
    hedged = w.hedges.search_in(sentence, low) is not None
    grams = trigrams(low)
    read = w.read(sentence, low, grams)  # every category's cues in one pass
    out: list[Flag] = []
    for cat in w.categories:
        if cat.code == "APPROVAL_SCOPE":
            f = _approval_flag(sentence, w, treatment, product)
            if f is None and cat.patterns:  # an approval carried over to another form
                m = cat.first_match(sentence, hedged, low, following, own, grams, read)
                f = cat.flag(sentence[m.start() : m.end()]) if m else None
        elif cat.code == "TESTIMONIALS_AS_PROOF":
            f = _testimonial_flag(sentence, w, quoted, context, in_quote, read)
        else:
            m = cat.first_match(sentence, hedged, low, following, own, grams, read)
            f = cat.flag(sentence[m.start() : m.end()]) if m else None
        if f:
            out.append(f)
    c = w.contrasts
    if c and any(f.code in c.withdraws for f in out):
        rest = c.rest(sentence, treatment)
        if rest is not None:  # kept only for what the rest of the sentence still claims
            again = {f.code for f in lexicon_flags(rest, quoted, treatment=treatment, own=own)}
            out = [f for f in out if f.code not in c.withdraws or f.code in again]
    return out


def page_flags(units: Sequence[Unit], quoted: Sequence[bool]) -> list[tuple[Flag, ...]]:
    """Wording flags of every unit of a page, read with what is around it: the next sentence
    (a figure's source), a list item's intro, the page's own product, the question a short
    answer answers, and testimonials told over several sentences. ``quoted``: each unit is a
    patient's words."""
    named = Counter(u.treatment for u in units if u.named).most_common(1)
    main = named[0][0] if named else None
    subjects = page_subjects([u.norm for u in units])  # what "it" may be, for dated facts
    forms = [k for k in subjects if k in ("ketamine", "esketamine")]
    product = forms[0] if len(forms) == 1 else None  # an unnamed product's form, if one
    runs = quote_runs([u.norm for u in units])
    nearby = {c.code for c in wording().categories if c.unless_nearby}
    read: dict[tuple[object, ...], list[Flag]] = {}  # a page repeats lines: each is read once
    out: list[tuple[Flag, ...]] = []
    for i, u in enumerate(units):
        where = (quoted[i], u.treatment in (None, main), product, runs[i] is not None)
        key = (u.norm, u.context, u.treatment, *where)
        if key not in read:
            read[key] = _sentence_flags(u, subjects, "", *where)
        flags = list(read[key])
        following = units[i + 1].norm if i + 1 < len(units) else ""
        if following and any(f.code in nearby for f in flags):  # the next sentence may withdraw it
            flags = _sentence_flags(u, subjects, following, *where)
        if i and (f := _dismissal_flag(u.norm, units[i - 1].norm, flags)):
            flags.append(f)
            # the side effect it dismisses is played down with it ("A bit of nausea. That's it."),
            # unless that sentence was hedged ("Some people feel dizzy for a bit. That's it.")
            before = units[i - 1].norm
            if all(g.code != f.code for g in out[i - 1]) and not wording().hedges.search(before):
                out[i - 1] = (*out[i - 1], f)
        out.append(tuple(flags))
    return _spread_testimonials([u.norm for u in units], out)


def _sentence_flags(
    u: Unit,
    subjects: Sequence[str],
    following: str,
    quoted: bool,
    own: bool,
    product: str | None,
    in_run: bool,
) -> list[Flag]:
    """The flags of one unit read with its next sentence (``following``; only a category with
    ``unless_nearby`` reads it, to withdraw its flag), its list intro or question, and the page's
    own product; ``in_run``: it is part of a quotation told over several sentences."""
    flags = lexicon_flags(
        u.norm,
        quoted,
        following=following,
        context=u.context,
        treatment=u.treatment,
        own=own,
        product=product,
        in_quote=in_run or '"' in u.norm,
    )
    if is_question(u.context):  # a short FAQ answer says what its question asks
        have = {f.code for f in flags}
        flags += [f for f in answer_flags(u.context, u.norm, quoted) if f.code not in have]
    asks = wording().not_asserted  # a question or a quoted myth states no fact to check
    fact = None if asks and asks.found(u.norm) else fact_check(u.norm, subjects, u.treatment)
    if fact and all(f.code != fact[0] for f in flags):
        flags.append(Flag(*fact))
    return flags


def _dismissal_flag(s: str, before: str, flags: Sequence[Flag]) -> Flag | None:
    """A bare "That's it." after a sentence naming a side effect ("A bit of nausea. That's it.")
    plays the side effects down: minimisation, read with the sentence before."""
    w = wording()
    if w.dismissal is None or any(f.code == "MINIMISATION" for f in flags):
        return None
    dismissal, dismissed = w.dismissal
    if not dismissal.search(s) or not dismissed.search(before):
        return None
    cat = next(c for c in w.categories if c.code == "MINIMISATION")
    return cat.flag(s)


def _spread_testimonials(
    sentences: Sequence[str], flags: list[tuple[Flag, ...]]
) -> list[tuple[Flag, ...]]:
    """A testimonial told over several sentences of one quotation is one testimonial: its flag
    holds for every sentence of the quotation, the scene it sets included."""
    runs = quote_runs(sentences)
    told: dict[int, Flag] = {}
    for run, fl in zip(runs, flags, strict=True):
        f = next((f for f in fl if f.code == "TESTIMONIALS_AS_PROOF"), None)
        if run is not None and f is not None:
            told.setdefault(run, f)
    out = []
    for run, fl in zip(runs, flags, strict=True):
        f = told.get(run) if run is not None else None
        out.append((*fl, f) if f and f not in fl else fl)
    return out


def quote_runs(sentences: Sequence[str]) -> list[int | None]:
    """For each sentence, the quotation it belongs to when a quotation spans several sentences
    (None otherwise): a patient's story told over two sentences is one testimonial."""
    out: list[int | None] = []
    run, is_open = 0, False
    for s in sentences:
        starts_open = is_open
        if s.count('"') % 2:
            is_open = not is_open
        inside = starts_open or is_open
        if inside and not starts_open:
            run += 1  # a quotation opens here
        out.append(run if inside else None)
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


# each library statement's dated facts, read once per process: a matcher is made per run of
# check (and per check in benchmarks), and the library's statements do not change between them
_FACTS_KEPT = 4096
_facts_of: dict[tuple[str, str], tuple[DatedFact, ...]] = {}


def dated_facts(statements: Sequence[tuple[str, str]]) -> tuple[DatedFact, ...]:
    """The library's dated (or named) events, from (claim id, statement) pairs."""
    out: list[DatedFact] = []
    for pair in statements:
        known = _facts_of.get(pair)
        if known is None:
            if len(_facts_of) >= _FACTS_KEPT:
                _facts_of.clear()
            known = _facts_of[pair] = _statement_facts(*pair)
        out.extend(known)
    return tuple(out)


def _statement_facts(cid: str, text: str) -> tuple[DatedFact, ...]:
    """One statement's dated (or named) events."""
    years = tuple((y, dec) for y, dec, _ in _years(text))
    names = tuple(_names(text))
    subject, events = _slot(text)
    if (years or names) and subject:
        return tuple(DatedFact(subject, e, years, cid, names) for e in events)
    return ()


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
