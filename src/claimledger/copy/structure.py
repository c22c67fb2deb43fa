"""Page structure and subjects: what each sentence of a page is, what it answers, what it is about.

A FAQ answer ("Under medical supervision, no.") means something only with its question; a bullet
("a slight rise in blood pressure") only with its intro line; "it", "this treatment" and "the
procedure" point at the treatment the page or section is discussing; nav, contact and legal
lines are page furniture. Pure: text and reader hints in, units out.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from claimledger.copy.normalise import normalise
from claimledger.library.lexicon import Caseless, CueIndex, load_lexicon, trigrams
from claimledger.textutil import bare_table_rows, segment

__all__ = ["Domain", "Unit", "domain", "is_attribution", "is_question", "page_units"]

_LIST_ITEM = re.compile(r"^\s*([-*+•]|\d+[.)])\s+")
_MD_HEADING = re.compile(r"^\s*#{1,6}\s")
_MD_QUOTE = re.compile(r"^\s*>\s?")
_QUESTION = re.compile(r"\?[\"'”’)\]]*\s*$")


def is_question(s: str) -> bool:
    """Ends with a question mark, perhaps inside closing quotes ('Is it just another drug?"')."""
    return _QUESTION.search(s) is not None


# "— Sam, 52", "- Dana R., patient since 2023": who said the quotation above, not a statement
# (an initial or a title keeps its full stop: "— Tori S.", "— Dr. Lee, medical director")
_ATTRIBUTION = re.compile(
    r"^\s*(—|–|--)\s*[A-Z]([^.!?:;]|(?<=\b[A-Z])\.|(?<=\b(Dr|Mr|Ms|Jr|Sr|St))\.){0,60}$"
)


def is_attribution(s: str) -> bool:
    """A signature line under a quotation (a dash, then a name and perhaps who they are)."""
    return len(s.split()) <= 8 and _ATTRIBUTION.match(s) is not None


_TERMINAL = re.compile(r"[.!?;\"'”’)\]]\s*$")


@dataclass(frozen=True)
class Domain:
    """The compiled domain lexicon (data/copy.yaml)."""

    product: str
    treatments: dict[str, Caseless]
    references: Caseless
    comparator_openings: Caseless
    comparisons_proper: Caseless
    topics: dict[str, tuple[tuple[Caseless, float], ...]]
    conditions: dict[str, Caseless]
    weak_words: str
    boilerplate: Caseless
    logistics: Caseless
    asides: Caseless
    short_answers: Caseless
    in_progress: Caseless
    efficacy: Caseless
    condition_topics: frozenset[str]
    synonyms: tuple[tuple[Caseless, str], ...]
    # the product's dosage-form words ("infusions", "lozenges"): after another treatment's name
    # they are that treatment's form ("vitamin infusions"), not a mention of the product
    product_forms: re.Pattern[str] | None = None
    # the product as the drug a programme treats people for ("rehab for ketamine addiction"):
    # before and after its name; only beside another treatment's name
    misused_before: re.Pattern[str] | None = None
    misused_after: re.Pattern[str] | None = None
    aspects: frozenset[str] = frozenset()  # topics a predicate asserts (how fast, how it works)
    aspect_min: float = 2.0  # cue weight that makes an aspect the sentence's point
    aspect_condition_factor: float = 1.0  # what the condition topics then weigh, relatively
    # each condition topic's condition (a key of ``conditions``; None for a topic of mixed
    # conditions), and the aspects that say how fast or how long a result comes (PICO's T)
    topic_conditions: Mapping[str, str | None] = field(default_factory=dict)
    timeframes: frozenset[str] = frozenset()
    # a claim that the product beats or equals another treatment (see data/copy.yaml superiority)
    superiority: Caseless | None = None
    # a comparison word right before another treatment's name: "than", "unlike", "compared with"
    compared_before: Caseless | None = None
    # what ends a sentence's comparison (a new main clause)
    comparison_breaks: Caseless | None = None
    # a subordinate clause ("..., which ..."): ends a comparison no comparison word introduced
    comparison_clauses: Caseless | None = None
    # words that join the product and another treatment ("safer to combine with SSRIs")
    combination: Caseless | None = None
    # between a name and a superiority word after it: a list or combination ("with X, and ...")
    combined_with: Caseless | None = None
    # comparatives that take a rival only through a comparison word or as an alternative to it
    bare_comparatives: Caseless | None = None
    comparative_alternative: Caseless | None = None
    # an intro whose items are a form's choices or an instruction's triggers, never claims
    instruction_intros: Caseless | None = None

    def expand(self, s: str) -> str:
        """``s`` with the library's words for its everyday phrasings appended (for matching)."""
        extra = [words for rx, words in self.synonyms if rx.search(s)]
        return f"{s} {' '.join(extra)}" if extra else s

    def treatments_in(self, s: str) -> list[str]:
        """Treatments named in ``s``, in order of first mention."""
        index, rows = _treatment_index(self)
        low = s.lower()
        named = index.matches(s, low, trigrams(low) if len(low) == len(s) else None)
        return [n for _, n in sorted((m.start(), rows[i][0]) for i, m in named)]

    def mentions(self, s: str) -> list[tuple[int, int, str]]:
        """Every mention of a treatment in ``s``: (start, end, treatment), in order."""
        index, rows = _treatment_index(self)
        low = s.lower()
        named = index.matches(s, low, trigrams(low) if len(low) == len(s) else None)
        return sorted(
            (m.start(), m.end(), rows[i][0])
            for i, first in named
            for m in rows[i][1].finditer_from(s, low, first)
        )


def _rx(p: str) -> Caseless:
    return Caseless(p)


@cache
def domain() -> Domain:
    d = load_lexicon("copy")
    _check_declared(d)
    aspects = d.get("aspects", {})
    return Domain(
        product=d["product"],
        treatments={k: _rx(v) for k, v in d["treatments"].items()},
        references=_rx(d["references"]),
        comparator_openings=_rx(d["comparator_openings"]),
        comparisons_proper=_rx(d["comparisons_proper"]),
        topics={t: tuple((_rx(p), float(w)) for p, w in cues) for t, cues in d["topics"].items()},
        conditions={k: _rx(v) for k, v in d["conditions"].items()},
        weak_words=d["weak_words"],
        boilerplate=_rx(d["boilerplate"]),
        logistics=_rx(d["logistics"]),
        asides=_rx(d["asides"]),
        short_answers=_rx(d["short_answers"]),
        in_progress=_rx(d["in_progress"]),
        efficacy=_rx(d["efficacy"]),
        condition_topics=frozenset(d["condition_topics"]),
        synonyms=tuple((_rx(k), v) for k, v in d.get("synonyms", {}).items()),
        product_forms=re.compile(d["product_forms"], re.I) if "product_forms" in d else None,
        misused_before=re.compile(d["misused_before"], re.I) if "misused_before" in d else None,
        misused_after=re.compile(d["misused_after"], re.I) if "misused_after" in d else None,
        aspects=frozenset(aspects.get("topics", ())),
        aspect_min=float(aspects.get("min_weight", 2.0)),
        aspect_condition_factor=float(aspects.get("condition_factor", 1.0)),
        topic_conditions=dict(d["condition_topics"]),
        timeframes=frozenset(aspects.get("timeframes", ())),
        superiority=_rx(d["superiority"]) if "superiority" in d else None,
        compared_before=_rx(d["compared_before"]) if "compared_before" in d else None,
        comparison_breaks=_rx(d["comparison_breaks"]) if "comparison_breaks" in d else None,
        combined_with=_rx(d["combined_with"]) if "combined_with" in d else None,
        bare_comparatives=_rx(d["bare_comparatives"]) if "bare_comparatives" in d else None,
        comparative_alternative=(
            _rx(d["comparative_alternative"]) if "comparative_alternative" in d else None
        ),
        combination=_rx(d["combination"]) if "combination" in d else None,
        comparison_clauses=_rx(d["comparison_clauses"]) if "comparison_clauses" in d else None,
        instruction_intros=(_rx(d["instruction_intros"]) if "instruction_intros" in d else None),
    )


def _check_declared(d: Mapping[str, Any]) -> None:
    """data/copy.yaml's cross-references: each condition topic declares its condition (a key of
    ``conditions``, or null for a topic of mixed conditions), and each timeframe is an aspect
    topic. A mistake there would silently change what the matcher agrees with."""
    declared = d["condition_topics"]
    if not isinstance(declared, Mapping):
        raise ValueError("data/copy.yaml condition_topics must map each topic to its condition")
    aspects = d.get("aspects", {})
    wrong = [f"condition topic {t!r} is not a topic" for t in declared if t not in d["topics"]]
    wrong += [
        f"condition topic {t!r}: {c!r} is not a condition"
        for t, c in declared.items()
        if c is not None and c not in d["conditions"]
    ]
    wrong += [
        f"timeframe {t!r} is not an aspect topic"
        for t in aspects.get("timeframes", ())
        if t not in d["topics"] or t not in aspects.get("topics", ())
    ]
    if wrong:
        raise ValueError("data/copy.yaml: " + "; ".join(wrong))


@dataclass(frozen=True)
class Unit:
    """One sentence of the page with what the checker needs to judge it."""

    start: int
    end: int
    sentence: str  # as written, whitespace collapsed
    norm: str  # normalised, list/heading markers removed
    role: str  # body | heading | question | intro | item | caption | quote | furniture | reference
    context: str  # the question or intro line it needs, or ""
    treatment: str | None  # what it is about (a key of data/copy.yaml treatments)
    named: bool  # the treatment is named in the sentence itself
    standalone_line: bool
    heading: str = ""  # the heading (or question) of the section it sits in
    table_row: bool = False  # a row of a table without outer bars ("Onset | Hours | Weeks")


def _line_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    a = text.rfind("\n", 0, start) + 1
    b = text.find("\n", end)
    return a, len(text) if b < 0 else b


def _indent(line: str) -> int:
    """The width of a line's leading whitespace (a tab counts four)."""
    blank = line[: len(line) - len(line.lstrip(" \t"))]
    return len(blank.expandtabs(4))


def _base_indent(text: str) -> int:
    """The page's own indentation: the least of its non-blank lines' (a pasted e-mail indents
    every paragraph; only a line indented beyond that is set in)."""
    return min((_indent(ln) for ln in text.splitlines() if ln.strip()), default=0)


def _role(
    text: str, start: int, end: int, raw: str, hint: str | None, base: int = 0
) -> tuple[str, bool]:
    a, b = _line_bounds(text, start, end)
    whole = text[a:b].strip() == raw.strip()
    s = raw.strip()
    if hint == "furniture":
        return "furniture", whole
    if s.startswith("|"):  # a Markdown table: the header row introduces the rows under it
        above = text[text.rfind("\n", 0, max(a - 1, 0)) + 1 : max(a - 1, 0)].strip()
        # (an HTML table's first row that holds data is marked an item by the reader)
        first_is_data = hint == "item"
        return ("item" if (a and above.startswith("|")) or first_is_data else "intro"), whole
    if _MD_HEADING.match(s):  # "## Can it erase memories?" opens a question like a FAQ's
        return ("question" if is_question(s) else "heading"), whole
    if _MD_QUOTE.match(s):
        return "quote", whole
    if hint in ("heading", "caption", "quote", "question"):
        return ("question" if is_question(s) else hint), whole
    if is_question(s):
        return "question", whole
    if s.endswith(":"):
        return "intro", whole
    if hint == "item" or _LIST_ITEM.match(s):
        return "item", whole
    if whole and not _TERMINAL.search(s) and len(s.split()) <= 14:
        # a heading, or a list line without a marker (_list_lines); one indented beyond the
        # page's own indentation is a list's, and one of two or more words in capitals a heading
        # (a lone word in capitals, "PTSD" or "SAFETY", is decided by the line after it)
        if s.isupper():
            return ("heading" if len(s.split()) >= 2 else _CAPS_LINE), whole
        set_in = _indent(text[a:start]) >= base + 2
        return (_INDENTED_LINE if set_in else _PLAIN_LINE), whole
    return "body", whole


_PLAIN_LINE = "line"  # a short line of its own without end punctuation: see _list_lines
_INDENTED_LINE = "indented line"
_CAPS_LINE = "capitals line"  # one word in capitals: a list's acronym item or a section heading


def _list_lines(found: Sequence[tuple[str, bool]]) -> list[tuple[str, bool]]:
    """Plain short lines without end punctuation are headings, unless they continue a list: a
    run of such lines right under an intro line ("During a session you may feel:" /
    "light-headed or dizzy" / "mildly nauseous") is that intro's list, written without bullet
    markers, as plain text and e-mail often are; so is an indented one. The run ends at any other
    kind of line (a heading in capitals among them). A lone word in capitals inside the run is
    an item ("PTSD") only when the list goes on after it; otherwise it heads what follows
    ("SAFETY")."""
    out = []
    listing = False
    for i, (role, whole) in enumerate(found):
        if role == _CAPS_LINE:
            after = found[i + 1][0] if i + 1 < len(found) else None
            goes_on = after in (_PLAIN_LINE, _INDENTED_LINE, _CAPS_LINE)
            role = "item" if listing and goes_on else "heading"
            listing = role == "item"
        elif role == _INDENTED_LINE:
            role = "item"
        elif role == _PLAIN_LINE:
            role = "item" if listing else "heading"
        else:
            listing = role == "intro"
        out.append((role, whole))
    return out


_WORDS = re.compile(r"[^\W_]")


def _clean(s: str) -> str:
    s = _LIST_ITEM.sub("", _MD_QUOTE.sub("", _MD_HEADING.sub("", s)))
    if s.lstrip().startswith("|"):  # a table row: its cells, in order ("Success rate 90% 70%");
        # a cell without a letter or digit (a form's "☐", a tick, a dash) has no words to read,
        # so "| Have you been diagnosed with depression? | ☐ | ☐ |" reads as its question
        s = " ".join(c.strip() for c in s.split("|") if _WORDS.search(c))
    s = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", s)  # Markdown links: keep the words
    return normalise(s.replace("**", "").replace("__", "").strip("*_ "))


_COMPARED = re.compile(
    r"\b(than|compared (to|with)|unlike|versus|vs\.?|instead of|rather than|like|alternatives? to|without|"
    # another medicine given with the treatment ("approved ..., used with an oral antidepressant")
    r"(used|given|taken|combined|paired|prescribed) (together )?with|alongside|along with|"
    r"together with|in combination with|in addition to|added to|on top of|"
    # treatments that failed before: the sentence is about the condition they left
    r"respond(ed|ing)? to|tried|failed|"
    # a recovery programme the patient went through before coming for the treatment ("most of
    # our patients have been through rehab"): a prior step, not what the sentence sells
    r"(been|gone|went|come|came) through|completed|finished|graduated from|"
    # a condition that other treatments left as it was ("depression that has not improved after
    # two antidepressants", "works where opioids fail")
    r"(not|\w+n.t|never) (\w+ ){0,2}(improv|eas|lift|budg|respond|chang|got better)\w* (after|with|on|despite)|"
    r"where)\s+(the\s+)?(\w+[- ]){0,4}$",
    re.I,
)
# a medicine the patient is on while having the treatment ("only for patients who are on a mood
# stabiliser", "stable on lithium"): a condition of that treatment, not the subject; read only
# when the treatment is named too (see _co_medication)
_ON = re.compile(
    r"\b(already|currently|still|stable|stays?|remains?|while|who are|who is|are|is|were) on\s+"
    r"(the\s+)?(\w+[- ]){0,4}$",
    re.I,
)
# the clinic as the one giving the treatment ("Because of that, we only treat bipolar depression
# in patients who are on a mood stabiliser"): its own treatment is the sentence's subject
_CLINIC_GIVES = re.compile(
    r"\b(we|our (clinic|team|doctors?|providers?|clinicians?|practice))( \w+){0,2} "
    r"(treat|offer|give|provide|accept|see|infuse|dose)\w*\b",
    re.I,
)
# the medicine as a condition of eligibility ("if you are already on an antidepressant", "when
# mood is stable on a mood stabiliser"): the unnamed treatment is what it is a condition of
_ELIGIBLE = re.compile(
    r"(\b(only|if|when|unless|provided|as long as)\b[^.;:]*|\bstable)\s+on\s+", re.I
)
# what the treatment lets people stop or cut down: its object, not its subject; but a reason for
# stopping it ("common reasons people stop antidepressants", "why patients come off opioids") is
# about the medicine stopped
_SPARED = re.compile(
    r"\b(stop(ped|ping)?|cut( down)?|reduc\w+|taper\w*|wean\w*|(come|came|get|got|go|went) off|"
    r"off of|need for|reliance on|(never|no longer|not) need( to take)?|throw away|ditch|give up|"
    r"lower|fewer|less)\s+(the\s+|their\s+|your\s+|his\s+|her\s+|my\s+)?(\w+[- ]){0,4}$",
    re.I,
)
_REASON = re.compile(r"\b(reasons?|why|causes?)( (that|why))?( \w+){0,2}\s*$", re.I)
# a name made an adjective of likeness ("Ketamine-Like Mood Support") is what is compared with
_LIKENED = re.compile(r"(-(like|style|type|inspired)| alternatives?)\b", re.I)
# names listed as examples are what the sentence is about, whatever a pronoun before them points at
# ("several medications have FDA approval for it, including naltrexone")
_EXAMPLES = re.compile(
    r"\b(including|such as|e\.g\.|for example|for instance|namely)\s+(\w+[- ]){0,3}$", re.I
)
# a pronoun in a fronted subordinate clause points ahead, at the main clause's subject
# ("Because it is FDA-approved, Spravato ...")
_FRONTED = re.compile(
    r"^(because|since|although|though|even though|while|when|whenever|if|as|once|after|before|"
    r"unless|until|now that)\b[^,;]*,\s*",
    re.I,
)
# what the page's treatment spares the patient: "No daily pills, no weight gain" is about the
# treatment on offer, not the pills
_ABSENT = re.compile(r"\b(no|zero)\s+(\w+[- ]){0,1}$", re.I)
# the product named as what another treatment is paired with ("Our trauma-focused psychotherapy
# sessions are paired with low-dose ketamine infusions", "Therapy alongside infusions"): the
# clinic's combined service, of which the product is part, not a medicine added to another
# (review25 P2; benchmarks/treatment_attribution.py --comparisons --matched, outside FRESH: agree
# 19,342 -> 19,344 of 19,970, product read as other 182 -> 179 on sets 295-304, 785-794,
# 1155-1164, other read as product 446 -> 447 on 215-224; FRESH and seeds unchanged)
_COMBINED_WITH = re.compile(
    r"\b((combined|paired) (together )?with|alongside|along with|together with|"
    r"in combination with)\s+(the\s+|a\s+|an\s+)?(\w+[- ]){0,3}$",
    re.I,
)
_FAILED = re.compile(
    r"^[^.;:]{0,40}?\b(ha(ve|s|d)n.t|ha(ve|s|d) not|did(n.t| not)|fail(ed)? to) (help|work|relieve)",
    re.I,
)


def _subject(d: Domain, s: str, page: str | None = None) -> list[str]:
    """Treatments the sentence is about, subject first. A treatment named only as the comparator
    ("compared with SSRIs", "Unlike SSRIs, ...") is not the subject; a sentence naming the
    page's own treatment next to others is about the page's treatment."""
    return _page_first(_find_named(d, s), page)


def _page_first(found: Sequence[str], page: str | None) -> list[str]:
    named = list(found)
    if page in named:
        named.remove(page)
        named.insert(0, page)
    return named


_Named = tuple[CueIndex, tuple[tuple[str, Caseless], ...]]
_treatment_index_of: dict[int, tuple[Domain, _Named]] = {}


def _treatment_index(d: Domain) -> _Named:
    """The treatment patterns in one CueIndex, with their names (once per lexicon)."""
    known = _treatment_index_of.get(id(d))
    if known is None or known[0] is not d:
        rows = tuple(d.treatments.items())
        index = CueIndex([rx for _, rx in rows])
        known = _treatment_index_of[id(d)] = (d, (index, rows))
    return known[1]


def _find_named(d: Domain, s: str) -> tuple[str, ...]:
    """Treatments named in ``s`` that are not only a comparator, in order of mention."""
    mentions = d.mentions(s)
    if not mentions:  # most sentences name no treatment: nothing below to read
        return ()
    others = [(a, b) for a, b, name in mentions if name != d.product]
    found = []
    opening = d.comparator_openings.search(s) is not None
    for a, b, name in mentions:
        if name == d.product and any(a2 <= a <= b2 + 1 for a2, b2 in others) and _form(d, s[a:b]):
            continue  # "lidocaine infusions", "vitamin infusions": the named treatment's
        compared = (
            (
                _COMPARED.search(s[:a]) is not None
                and not (name == d.product and _COMBINED_WITH.search(s[:a]) is not None)
            )
            or _LIKENED.match(s, b) is not None  # "ketamine-like", "Spravato-style"
            or _spared(s[:a])
            or (name == d.product and bool(others) and _misused(d, s, a, b))
            or _ABSENT.search(s[:a]) is not None
            or _FAILED.search(s[b : min((a2 for a2, _, _ in mentions if a2 >= b), default=None)])
            is not None  # "antidepressants have not helped", before any other name
            or (opening and "," in s[b:] and a < s.find(","))
        )
        found.append((compared, a, name))
    found = _co_medication(s, mentions, found)
    found.sort()
    return tuple(dict.fromkeys(n for c, _, n in _own_forms(d, s, mentions, found) if not c))


def _co_medication(
    s: str, mentions: Sequence[tuple[int, int, str]], found: list[tuple[bool, int, str]]
) -> list[tuple[bool, int, str]]:
    """``found`` with a medicine the patient is "on" made a condition of the treatment, only
    when that treatment is named outside the "on" phrase, the clinic is the one giving it, or
    the medicine is a condition of eligibility ("only if you are on", "stable on"):
    "Many people who are on SSRIs feel emotionally flat" is about SSRIs, and "People who are on
    Spravato must be watched" about Spravato, but "ketamine is only for patients already on a
    mood stabiliser" about ketamine."""
    names = {a: n for a, _, n in mentions}
    on = {a for c, a, _ in found if not c and _ON.search(s[:a]) is not None}
    if not on:
        return found
    named = any(not c and a not in on and names[a] != names[b] for c, a, _ in found for b in on)
    eligible = any(_ELIGIBLE.search(s[:a]) for a in on)
    if not (named or eligible or _CLINIC_GIVES.search(s)):
        return found
    return [(c or a in on, a, n) for c, a, n in found]


# between another treatment's name and a dosage-form word: an apposition that says what the
# treatment is ("Brexanolone, an IV infusion", "Zulresso, given as a 60-hour infusion")
_APPOSITION = re.compile(
    r"^\s*,\s*((given|taken|delivered|used) )?(as )?(an?|the) [^,;.()]{0,40}$", re.I
)


def _own_forms(
    d: Domain,
    s: str,
    mentions: Sequence[tuple[int, int, str]],
    found: list[tuple[bool, int, str]],
) -> list[tuple[bool, int, str]]:
    """``found`` without the product's bare dosage-form words in an apposition to another
    treatment's name: they say what that treatment is ("Brexanolone, an IV infusion for
    postpartum depression, was approved in 2019"), not the product. The product's own names
    always count, and so does a form word elsewhere ("after their first infusion")."""
    ends = {a: b for a, b, _ in mentions}
    others = [(a, ends[a]) for c, a, n in found if not c and n != d.product]
    return [
        f
        for f in found
        if not (
            f[2] == d.product
            and _form(d, s[f[1] : ends[f[1]]])
            and any(b <= f[1] and _APPOSITION.match(s[b : f[1]]) for _, b in others)
        )
    ]


def _form(d: Domain, mention: str) -> bool:
    """Is this product mention only a dosage-form word ("infusions"), not the product's name?
    (Without the lexicon's list, every mention counts as one, as before.)"""
    return d.product_forms is None or d.product_forms.fullmatch(mention) is not None


def _misused(d: Domain, s: str, a: int, b: int) -> bool:
    """Is the product named at ``s[a:b]`` the drug people are treated for ("recovery from
    ketamine", "ketamine addiction"), not a treatment (data/copy.yaml misused_before/after)?"""
    before, after = d.misused_before, d.misused_after
    return (before is not None and before.search(s[:a]) is not None) or (
        after is not None and after.match(s, b) is not None
    )


def _spared(before: str) -> bool:
    """Is a treatment named after ``before`` what the product lets people stop ("helps patients
    cut down opioids"), rather than what the sentence is about ("reasons people stop SSRIs")?
    Stopping that opens the sentence as its subject ("Stopping an SSRI suddenly can cause
    dizziness") is about the medicine stopped too."""
    m = _SPARED.search(before)
    if m is None or _REASON.search(before[: m.start()]) is not None:
        return False
    opening = not before[: m.start()].strip(" \"'“‘*-")
    return not (opening and _GERUND.match(before, m.start()) is not None)


# read only where _SPARED's match starts, so the -ing word is the spared verb itself, used as the
# sentence's subject: "Stopping ...", "Tapering ...", "Weaning ...", "Coming off ..." (_SPARED's
# "coming off"); "Reducing ..." too (_SPARED's reduc\w+)
_GERUND = re.compile(r"\w+ing\b", re.I)


def page_treatment(
    d: Domain, sentences: Sequence[str], named_in: Sequence[Sequence[str]] | None = None
) -> str | None:
    """The treatment the page is about: the one that is the subject of most sentences, the first
    one the page names counting double (its title or opening line); the product on a tie; None
    for a page that names no treatment. A supplement page that calls itself "the natural
    alternative to ketamine" is about the supplement. ``named_in``: each sentence's
    _find_named, when the caller has it."""
    counts: Counter[str] = Counter()
    first: str | None = None
    for i, s in enumerate(sentences):
        named = named_in[i] if named_in is not None else _find_named(d, s)
        counts.update(list(dict.fromkeys(named)))  # page order, not hash order: ties are stable
        first = first or (named[0] if named else None)
    if first is None:
        return None
    counts[first] += 2
    top = max(counts.values())
    return d.product if counts[d.product] == top else counts.most_common(1)[0][0]


def _first_mention(d: Domain, s: str) -> int:
    """Where the first treatment named in ``s`` starts (len(s) when none is): each treatment's
    first match, read in one pass of their index."""
    index, _ = _treatment_index(d)
    low = s.lower()
    named = index.matches(s, low, trigrams(low) if len(low) == len(s) else None)
    return min((m.start() for _, m in named), default=len(s))


_PRONOUN = Caseless(r"\b(it|this|these|they)\b")  # any case


def _roles_lookup(
    roles: Sequence[tuple[int, int, str]],
) -> tuple[list[int], Sequence[tuple[int, int, str]]]:
    return [r[0] for r in roles], roles


def _hint(starts: list[int], roles: Sequence[tuple[int, int, str]], pos: int) -> str | None:
    i = bisect.bisect_right(starts, pos) - 1
    if i >= 0 and roles[i][0] <= pos < roles[i][1]:
        return roles[i][2]
    return None


# an answer that leans on its question: a few words, or one that opens by denying or limiting
# ("Not the way we use it.", "Only under supervision.", "Never at home.")
_LEANING = re.compile(r"^(not|never|only|none|nothing|neither|both|either|just)\b", re.I)
SHORT_ANSWER_WORDS = 8


def _elliptical(norm: str) -> bool:
    """The first sentence after a question that needs the question to be understood."""
    return len(norm.split()) <= SHORT_ANSWER_WORDS or _LEANING.match(norm) is not None


@dataclass
class _Reading:
    """Where a reader is on the page: the open question, intro line, quotation and treatment."""

    page: str | None
    current: str | None
    question: str = ""
    intro: str = ""
    in_quote: bool = False
    answered: bool = True  # the open question's answer has begun
    heading: str = ""  # the last heading or question
    section: str | None = None  # the treatment the section's heading names, else the page's
    same_paragraph: bool = False  # no paragraph break, question or heading since ``current``

    def quote_role(self, role: str, norm: str, new_line: bool) -> str:
        """Sentences inside a quotation that spans several sentences are the patient's words.
        A quotation is open after an odd number of quote marks ('"I felt better," says Maria.'
        opens and closes its own; '"Six infusions in.' opens one that 'This works." — J.'
        closes); it never runs past a heading, question, list or a new paragraph that does not
        reopen it (a quote over paragraphs reopens each with a mark)."""
        opens = norm.startswith('"')
        if role not in ("body", "quote") or new_line or opens:
            self.in_quote = False
        if (self.in_quote or opens) and role in ("body", "quote"):
            role = "quote"
        if norm.count('"') % 2:
            self.in_quote = not self.in_quote
        return role

    def context(self, d: Domain, role: str, norm: str, named: list[str], before_items: bool) -> str:
        """The question or intro line this sentence needs; updates what is open."""
        context = ""
        if role == "heading" or role == "question":
            self.heading = norm
        if role in ("heading", "furniture") and not is_question(norm):
            self.question = self.intro = ""
            self.current = self.section = named[0] if named else self.page
            if before_items:
                self.intro = norm  # a title over bullets gives them their subject
        elif role == "question":
            self.question, self.intro, self.answered = norm, "", False
        elif role == "intro":
            self.intro = norm
        elif role == "item" and self.intro:
            context = self.intro
        elif (
            self.question
            and role == "body"
            and (d.short_answers.search(norm) or (not self.answered and _elliptical(norm)))
        ):
            context = self.question  # "Under medical supervision, no." needs its question
        if role == "body":
            self.answered = True
        if role not in ("item", "intro", "question", "heading"):
            self.intro = ""
        return context

    def treatment(
        self, d: Domain, norm: str, named: list[str], role: str, context: str
    ) -> str | None:
        """What the sentence is about: what it names, unless a pronoun before the name points back
        ("the FDA approved it for ..., used with an oral antidepressant"); else what its question
        or intro names; else the treatment under discussion."""
        pronoun = _PRONOUN.search(norm) if named and self.current else None
        if pronoun and pronoun.start() < (first := _first_mention(d, norm)):
            ahead = _FRONTED.match(norm)
            # "Unlike these, ketamine ...": a pronoun in a comparator opening is the comparator
            compared = d.comparisons_proper.search(norm) and pronoun.start() < norm.find(",")
            if (
                not (ahead and 0 <= first - ahead.end() <= 4)
                and not _EXAMPLES.search(norm[:first])
                and not compared
            ):
                return self.current
        if named:
            return named[0]
        if role != "question" and (context or self.question):
            q_named = _subject(d, context or self.question, self.page)
            if q_named:
                return q_named[0]
        return self._carried(d, norm)

    def _carried(self, d: Domain, norm: str) -> str | None:
        """The treatment a sentence that names none is about: another treatment named before
        carries over to the rest of its paragraph and to a sentence that points back at it
        ("They also cause weight gain."); past a paragraph break, a question or a heading, any
        other sentence is about its section's treatment ("Is it safe?" / "Safer than the drive
        here." on a ketamine page, after a paragraph on SSRIs)."""
        if (
            self.current in (self.section, self.page)
            or self.same_paragraph
            or d.references.search(norm)
        ):
            return self.current
        return self.section


# A heading over a list of the works a page cites ("References", "Sources mentioned",
# "Further reading"): the entries under it, up to the next heading, are page furniture. An entry
# is a title of a study ("Efficacy of intravenous ketamine for ...: a randomized trial"), which
# reads like a finding but is the page citing it.
_REFERENCES = re.compile(
    r"^\W*(references?|sources?( cited| mentioned| used)?|citations?|works cited|bibliography|"
    r"further reading|reading list|studies (cited|mentioned)|selected (references|studies|reading)|"
    r"key (references|studies|papers))\W*$",
    re.I,
)


_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")


def page_units(
    text: str, kind: str = "txt", roles: Sequence[tuple[int, int, str]] = ()
) -> Iterator[Unit]:
    """The page's sentences in order, each with its role, context and treatment."""
    d = domain()
    spans = list(segment(text, kind))
    # a table without outer bars ("Feature | Ketamine | TMS"): its header introduces its rows
    bare = {r: "item" if i else "intro" for t in bare_table_rows(text) for i, r in enumerate(t)}
    rows = [bare.get((a, b)) for a, b, _ in spans]
    norms = [_clean(f"| {s} |" if row else s) for (_, _, s), row in zip(spans, rows, strict=True)]
    mentions = [_find_named(d, n) for n in norms]  # once per sentence: the page and units ask
    page = page_treatment(d, norms, mentions)
    starts, hints = _roles_lookup(roles)
    base = _base_indent(text)
    found = _list_lines(
        [
            (row, True) if row else _role(text, a, b, raw, _hint(starts, hints, a), base)
            for (a, b, raw), row in zip(spans, rows, strict=True)
        ]
    )
    reading = _Reading(page, page, section=page)
    in_references = False
    for i, ((a, b, raw), norm) in enumerate(zip(spans, norms, strict=True)):
        new_line = i == 0 or _PARAGRAPH_BREAK.search(text, spans[i - 1][1], a) is not None
        role = reading.quote_role(found[i][0], norm, new_line)
        if new_line or role in ("heading", "question", "intro", "furniture"):
            reading.same_paragraph = False
        if role in ("heading", "question", "intro"):
            in_references = _REFERENCES.match(norm) is not None
        elif in_references and role in ("item", "body"):
            role = "reference"  # a bibliography entry names a finding; the page cites it
        named = _page_first(mentions[i], page)
        before_items = i + 1 < len(found) and found[i + 1][0] == "item"
        context = reading.context(d, role, norm, named, before_items)
        treatment = reading.treatment(d, norm, named, role, context)
        yield Unit(
            a,
            b,
            " ".join(raw.split()),
            norm,
            role,
            context,
            treatment,
            bool(named),
            found[i][1],
            reading.heading if role not in ("heading", "question") else "",
            rows[i] is not None,
        )
        if named and role not in ("furniture", "reference"):
            reading.current = named[0]
            reading.same_paragraph = role not in ("heading", "question", "intro")
