"""Copy checking: page units → claim-like sentences → library match → wording flags. Pure.

Given a document's text, the claims library and what the ledger knows about each claim (grade
and top references), produce findings a medical writer can act on: which library claim each
claim-like sentence makes (or that it is about another treatment, or not in the library, with
the nearest claims), how strong its evidence is, and which words overstate it.

Domain words (treatments, topic cues, page furniture) are in data/copy.yaml and wording flags in
data/wording.yaml; this module holds the logic only.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from functools import cache, cached_property
from typing import Any

import numpy as np

from claimledger.copy.claimmodel import (
    block_features,
    claim_model,
    context_features,
    filler_features,
    framing_features,
    framing_rest_clause,
    framing_rest_number,
    grammar_features,
    length_bucket,
    meaning_vectors,
    reason_features,
    recall_features,
    shape_features,
    structure_features,
    warning_features,
)
from claimledger.copy.normalise import normalise
from claimledger.copy.overmodel import PageReader, overstated_model
from claimledger.copy.structure import (
    Domain,
    Unit,
    domain,
    is_attribution,
    is_question,
    page_units,
)
from claimledger.copy.topic import (
    Qualifiers,
    about_page_treatment,
    flag_topic,
    misses,
    page_treatment,
    section_topics,
    sentence_point,
    topic_hints,
)
from claimledger.copy.topiccontext import section_context
from claimledger.copy.topicmodel import (
    TopicReader,
    likeliest,
    topic_features,
    topic_model,
)
from claimledger.copy.wording import DatedFact, Flag, dated_facts, fact_flag, page_flags
from claimledger.data.embedding import Vector
from claimledger.library.claims import Claim, ClaimsLibrary
from claimledger.library.lexicon import Caseless, CueIndex, forget_texts, shared_index, trigrams
from claimledger.textutil import MAX_SEGMENT_CHARS, content_stems, segment

__all__ = [
    "CHECK_SCHEMA_VERSION",
    "FAIL_ON",
    "MAX_SEGMENT_CHARS",
    "CheckResult",
    "ClaimEvidence",
    "ClaimMatcher",
    "Finding",
    "Flag",
    "check_text",
    "fails",
    "is_claim_like",
    "is_contact",
    "segment",
    "topic_scores",
]

CHECK_SCHEMA_VERSION = (
    2  # 2: flag codes by wording category, flag basis, topic, other_treatment, context
)
FAIL_ON = ("none", "unsupported", "overstated", "unmatched", "any")
MATCH_THRESHOLD = 0.25  # chosen on benchmarks/copy-dev (see benchmarks/copy_accuracy.py)
TOPIC_WEAK = 0.75  # a claim whose topic the sentence touches, but not most
TOPIC_NONE = 0.5  # a claim whose topic the sentence touches far less, or not at all
TOPIC_MARGIN = 1.5  # "far less": this much less cue weight than the sentence's main topic
SECONDARY_CONDITION = 0.5  # a claim about a condition the sentence names, but not first
OTHER_CONDITION = 0.3  # a claim about another condition than the sentence's (or its page's)
# Meaning-based similarity (data/embedding.py, a static table distilled from all-MiniLM-L6-v2):
# a claim's score gains EMBEDDING_WEIGHT x (cosine - EMBEDDING_FLOOR) when the sentence's vector is
# that close to one of the claim's texts. Off by default: chosen leaving one document out
# (benchmarks/copy_accuracy.py --tune-embedding), 0.25 moved right topic by a few sentences in
# 600 (dev 393 -> 398/661, seeds 161 -> 165/206) and right claim not at all (dev 307 -> 312, seeds
# 148 -> 147), while it costs numpy's import and a tenth of check's time. Even the full model
# (numpy forward pass, benchmarks/distill_embeddings.py) did no better as this term: topic cues,
# not wording similarity, decide what the matcher gets wrong.
EMBEDDING_WEIGHT = 0.0
# the topic model (copy/topicmodel.py), both chosen leaving one writer out (benchmarks/
# train_topic.py --report): a matched claim whose topic the model finds less likely than
# TOPIC_KEEP, and TOPIC_MARGIN_P less likely than its likeliest topic, gives way to the best claim
# of that topic scoring TOPIC_MATCH or more (or to none); a claim matched at TOPIC_SURE or more
# always stays. TOPIC_SURE was 0.45: a regulatory sentence names its condition in most of a
# condition claim's words ("licensed for adults with treatment-resistant depression"), so at 0.45
# the words kept the condition claim against a model sure of the approval topic. 0.6, leaving
# one of 8 writer groups out (benchmarks/train_topic.py --cache, the model's folds): right topic
# +12 of 9,307 on the older sets and +5 of 931 on pages 635-694, another claim matched -15 and -1
TOPIC_MARGIN_P = 0.2
TOPIC_KEEP = 0.3
TOPIC_MATCH = 0.2
TOPIC_SURE = 0.6
EMBEDDING_FLOOR = 0.3
# between claims of one topic that both clear MATCH_THRESHOLD, each claim's score gains this much
# of its closest text's cosine to the sentence (ClaimMatcher._nearest; leaving one writer out
# with benchmarks/topic_confusion.py, 0.5 and 1.0 alike turned ~22 wrong matches right)
MEANING_TIE = 0.5
NO_EVIDENCE = "no evidence yet — run claimledger refresh"
_SUPPORTED = ("strong", "moderate")


@dataclass(frozen=True)
class ClaimEvidence:
    """What the ledger says about one claim, as the checker needs it."""

    grade: str  # strong | moderate | ... | needs a non-PubMed source
    provisional: bool = False
    references: tuple[dict[str, str], ...] = ()


OTHER_TREATMENT = "other-treatment"  # the topic of a sentence about another treatment


@dataclass(frozen=True)
class Finding:
    sentence: str
    start: int
    end: int
    claim_id: str | None
    match_score: float
    grade: str | None
    flags: tuple[Flag, ...] = ()
    references: tuple[dict[str, str], ...] = ()
    candidates: tuple[dict[str, Any], ...] = ()
    categories: tuple[str, ...] = ()
    topic: str | None = None  # the matched claim's topic, or the topic the sentence is about
    other_treatment: str | None = None  # set when the sentence is about another treatment
    context: str = ""  # the question or intro line the sentence was read with

    @property
    def about_other_treatment(self) -> bool:
        """About another treatment: one it names (``other_treatment``), or the topic model's
        reading of a sentence that names none (topic ``other-treatment``); never a library claim."""
        return self.other_treatment is not None or self.topic == OTHER_TREATMENT

    @property
    def unsupported(self) -> bool:
        if self.claim_id is None:
            return False
        return self.grade is None or self.grade.split(",")[0].strip() not in _SUPPORTED

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["flags"] = [asdict(f) for f in self.flags]
        d["references"] = list(self.references)
        d["candidates"] = list(self.candidates)
        d["categories"] = list(self.categories)
        return d


@dataclass
class CheckResult:
    document: str
    text: str
    findings: list[Finding] = field(default_factory=list)

    @property
    def summary(self) -> dict[str, int]:
        f = self.findings
        return {
            "claim_like_sentences": len(f),
            "matched": sum(1 for x in f if x.claim_id),
            "not_in_library": sum(1 for x in f if not x.claim_id),
            "flagged": sum(1 for x in f if x.flags),
            "unsupported": sum(1 for x in f if x.unsupported),
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": CHECK_SCHEMA_VERSION,
            "document": self.document,
            "findings": [x.to_dict() for x in self.findings],
            "summary": self.summary,
        }


# --- topics and claim-likeness -------------------------------------------------------------------

# Caseless: any case, matched on the lower-cased text (faster than re.IGNORECASE)
_PREDICATE = Caseless(
    r"\b(is|are|was|were|be|been|can|may|might|could|will|has|have|had|does|do|did|"
    r"\w+(s|ed|es))\b"
)
_CONTACT = re.compile(r"(\(?\d{3}\)?[ .-]\d{3}[ .-]\d{4}|@\w+\.\w+|https?://|www\.)")
_CONTACT_HINT = re.compile(r"[\d@]")  # what the first two need: one scan, no match tried per place


def is_contact(s: str) -> bool:
    """A phone number, e-mail or web address in ``s`` (_CONTACT). Most sentences have no digit,
    "@", "http" nor "www.": those are told without running the pattern at every position."""
    if "http" not in s and "www." not in s and _CONTACT_HINT.search(s) is None:
        return False
    return _CONTACT.search(s) is not None


_LOWER = re.compile(r"[a-z]")
_DIGIT = re.compile(r"\d")
_SUMMARY_ROLES = ("heading", "caption", "furniture", "question", "intro")
_HEADS = ("heading", "question")  # the units a section's topic is read from (copy/topic.py)


def topic_scores(text: str, d: Domain | None = None) -> dict[str, float]:
    """Weight of each library topic's cues in ``text`` (normalised, logistics masked). Among
    equal weights the topic mentioned first wins: a fraction below one is added for that."""
    d = d or domain()
    n = max(len(text), 1)
    low = text.lower()
    index, owners = _topic_cues(d)
    weight: dict[str, float] = {}
    first: dict[str, int] = {}
    for i, m in index.matches(text, low, trigrams(low) if len(low) == len(text) else None):
        topic, w = owners[i]
        weight[topic] = weight.get(topic, 0.0) + w
        first[topic] = min(first.get(topic, n), m.start())
    return {t: w + 0.5 * (1 - first[t] / n) for t in d.topics if (w := weight.get(t, 0.0))}


# the topic cues of each library statement, read once per lexicon (a matcher is made per run of
# check, and per check in benchmarks; the statements and the lexicon do not change between them)
_statement_topics: dict[tuple[int, str], tuple[Domain, Mapping[str, float]]] = {}


def statement_topics(text: str, d: Domain) -> Mapping[str, float]:
    """``topic_scores(text, d)`` of a library statement, kept for the process (read-only)."""
    known = _statement_topics.get((id(d), text))
    if known is None or known[0] is not d:
        if len(_statement_topics) >= 4096:
            _statement_topics.clear()
        known = _statement_topics[id(d), text] = (d, topic_scores(text, d))
    return known[1]


_TopicCues = tuple[CueIndex, tuple[tuple[str, float], ...]]
_topic_cues_of: dict[int, tuple[Domain, _TopicCues]] = {}


def _topic_cues(d: Domain) -> _TopicCues:
    """Every topic cue in one CueIndex, with the topic and weight of each (once per lexicon)."""
    known = _topic_cues_of.get(id(d))
    if known is None or known[0] is not d:
        cues = [(rx, (t, w)) for t, c in d.topics.items() for rx, w in c]
        index = CueIndex([rx for rx, _ in cues])
        known = _topic_cues_of[id(d)] = (d, (index, tuple(o for _, o in cues)))
    return known[1]


def _mask(text: str, d: Domain) -> str:
    """The text without staffing and logistics phrases and asides, whose words make no claim."""
    return d.asides.sub(" ", d.logistics.sub(" ", text))


_SECTION_LABEL = re.compile(r"^\W*[A-Za-z]+ing\b|^\W*[A-Z][a-z]+ (and|&) [A-Z][a-z]+\W*$")
_SERVICE = re.compile(r"^(at [^,]+, )?(we|our (clinic|practice|team|center))\b", re.I)


def _summary_claim(text: str, result: bool, has_subject: bool, cond: float, effect: float) -> bool:
    """Headlines and captions: a claim states a result or risk ("Fast Relief From Dark
    Thoughts"), a section title does not ("Treating Resistant Depression")."""
    if _SECTION_LABEL.match(text):
        return False
    return result and has_subject and (cond > 0 or effect >= 2 or "%" in text)


def _is_clause(text: str) -> bool:
    """A statement, not a noun phrase: it has a verb-like word, or is a full stopped sentence."""
    if _PREDICATE.found(text):  # asked of a sentence by the rules and the features
        return True
    return len(text.split()) >= 4 and text.rstrip().endswith((".", "!", '"'))


def _body_claim(
    text: str, cond: float, effect: float, result: bool, subject: tuple[bool, bool, bool]
) -> bool:
    """Body sentences. ``subject``: (has a subject, names the treatment, names or points at it)."""
    has_subject, named, explicit = subject
    if named and cond >= 2 and not _SERVICE.search(text):
        return True  # the treatment named with a condition: an indication claim
    if has_subject:
        return effect >= 2 or (result and (cond > 0 or effect > 0 or explicit))
    return effect >= 3 or (result and cond >= 2 and effect >= 1)


def _claim_strength(
    text: str,
    role: str,
    d: Domain,
    has_subject: bool,
    named: bool = False,
    explicit: bool = False,
) -> tuple[bool, dict[str, float]]:
    """Is this (masked, normalised) text a claim? Naming a condition is background; a claim
    says something happens (a result, an effect, a risk, a fact about the treatment)."""
    scores = topic_scores(text, d)
    cond = sum(v for t, v in scores.items() if t in d.condition_topics)
    effect = sum(scores.values()) - cond
    result = d.efficacy.found(text)
    if len(text.split()) < 3:
        return False, scores
    if role in _SUMMARY_ROLES:
        return _summary_claim(text, result, has_subject, cond, effect), scores
    if role == "quote":  # a patient's words are a claim when they report a result
        ok = result and (cond > 0 or effect >= 2)
    else:
        ok = _body_claim(text, cond, effect, result, (has_subject, named, explicit))
    return ok and _is_clause(text), scores


def is_claim_like(
    sentence: str, role: str = "body", context: str = ""
) -> tuple[bool, tuple[str, ...]]:
    """Is this a statement about efficacy, onset, duration, safety, mechanism, indications,
    procedure, regulatory status or history? Questions, calls to action, contact, legal, crisis
    and staffing lines are not. Returns the topics it touches."""
    d = domain()
    s = normalise(sentence)
    if is_question(s) or s.endswith(("...", "…")) or d.boilerplate.search(s) or is_contact(s):
        return False, ()
    if not _LOWER.search(s) or (s.isupper() and len(s) > 3):
        return False, ()
    text = _mask(f"{context} {s}" if context else s, d)
    has_subject = bool(d.treatments_in(text) or d.references.search(s) or context)
    ok, scores = _claim_strength(text, role, d, has_subject)
    cats = tuple(sorted(scores, key=lambda t: -scores[t]))
    return ok, cats


def _has_subject(u: Unit, d: Domain) -> bool:
    if u.role in _SUMMARY_ROLES:
        return u.treatment is not None
    return u.named or d.references.found(u.norm) or bool(u.context) or u.role == "item"


def _unit_claim(u: Unit, d: Domain) -> tuple[bool, dict[str, float]]:
    s = u.norm
    if is_question(s) or s.endswith(("...", "…")) or d.boilerplate.found(s) or is_contact(s):
        return False, {}
    if not _LOWER.search(s) or d.in_progress.found(s):
        return False, {}
    short_item = u.role == "item" and len(s.split()) < 5 and not u.context.endswith(":")
    if short_item and not d.efficacy.found(s):
        # "Boosters as needed." under a title is not a claim; "Works for fibromyalgia too" is
        return False, {}
    text = _mask(f"{u.context} {s}" if u.context else s, d)
    role = "quote" if u.role == "body" and _QUOTED.search(s) else u.role
    explicit = u.named or d.references.found(s)  # "ketamine", "this therapy"
    return _claim_strength(text, role, d, _has_subject(u, d), u.named, explicit)


def _overstated_claim(u: Unit, d: Domain) -> bool:
    """A sentence whose wording overstates (puffery, a promise, a patient's result) is a claim
    about the treatment under discussion even without topic cues: "The Safest Way To Reset
    Your Brain", "Real Results.", "This stuff saved my life." Page furniture is not."""
    s = u.norm
    furniture = u.role in ("furniture", "reference")  # a bibliography entry: the page cites it
    if furniture or is_question(s) or d.boilerplate.found(s) or is_contact(s):
        return False
    return u.treatment is not None and (len(s.split()) >= 2 or bool(u.context))


def _page_condition(unit_scores: Sequence[Mapping[str, float]], d: Domain) -> str | None:
    """The condition the page is mostly about (depression on a depression landing page): the one
    most sentences name. Counted by sentence, not by cue weight, so a condition with heavier cues
    (suicidal thoughts) does not outweigh the one the page keeps coming back to."""
    total: dict[str, float] = defaultdict(float)
    for scores in unit_scores:
        for t, w in scores.items():
            if t in d.condition_topics and w >= 1:
                total[t] += 1
    return max(total, key=lambda t: total[t]) if total else None


def _page_subjects(unit_scores: Sequence[Mapping[str, float]]) -> dict[str, float]:
    """What the page is about: the share of its sentences with a clear topic cue (weight one or
    more) whose strongest cue is each topic. A page of warnings (harm reduction, an emergency
    department's sedation notes) or of a medicine's label and rules (an Important Safety
    Information block, a savings programme) tells the topic of the lines on it whose own words
    name none; the topic model weighs it (copy/topicmodel.py)."""
    tops = [t for t in map(strong_topic, unit_scores) if t is not None]
    return {t: round(n / len(tops), 4) for t, n in sorted(Counter(tops).items())}


def aspect_first(scores: Mapping[str, float], text: str, d: Domain) -> dict[str, float]:
    """The sentence's point before its condition: when a predicate cue says how fast, how long,
    how it works, what it risks or when it was approved, the conditions it names weigh less, so
    "the FDA approved it for depression" is about approval. Plain efficacy keeps its condition."""
    aspect = max((w for t, w in scores.items() if t in d.aspects), default=0.0)
    if aspect < d.aspect_min or d.efficacy.found(text):
        return dict(scores)
    f = d.aspect_condition_factor
    return {t: w * f if t in d.condition_topics else w for t, w in scores.items()}


def best_topic(scores: Mapping[str, float]) -> str | None:
    """The topic with the most cue weight (the first mentioned among equals)."""
    return max(scores, key=lambda t: scores[t]) if scores else None


# --- matching ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Said:
    """What a sentence is about, as matching weighs it: its strongest topic, every topic's cue
    weight, the conditions it names and the one it names first."""

    topic: str | None
    topics: Mapping[str, float]
    conditions: frozenset[str]
    first: str | None
    qualifiers: frozenset[str] = frozenset()  # how often, how long, for whom (topic.Qualifiers)
    page: str | None = None  # the page's condition (a condition key), for a sentence naming none


_CONDITION_FREE = ("mechanism", "history", "regulatory")  # topics whose claims may name none


def combine(lexical: float, agreement: float) -> float:
    """A claim's match score: how much of its wording the sentence shares, times how well it
    agrees with what the sentence is about. (The meaning term, when on, is added to the
    lexical side by ClaimMatcher.with_meaning.)"""
    return lexical * agreement


class ClaimMatcher:
    """Which library claim a sentence makes: IDF-weighted content-stem similarity to each claim's
    statement and variants, weighed by agreement on topic and condition (PICO), so that words
    every ketamine page uses cannot outweigh what the sentence is about."""

    def __init__(self, library: ClaimsLibrary) -> None:
        d = domain()
        weak = content_stems(d.weak_words)
        self.claims = {c.id: c for c in library.claims}
        self.topic_of = {c.id: c.topic for c in library.claims}
        docs: list[tuple[str, set[str]]] = []
        for c in library.claims:
            for text in (c.statement, *c.variants):
                stems = content_stems(text)
                if stems:
                    docs.append((c.id, stems))
        df: dict[str, int] = defaultdict(int)
        for _, stems in docs:
            for t in stems:
                df[t] += 1
        n = len(docs) or 1
        self.idf = {t: math.log(1 + n / k) * (0.3 if t in weak else 1.0) for t, k in df.items()}
        self._default_idf = math.log(1 + n)
        self.docs = [
            (cid, stems, math.sqrt(sum(self.idf[t] ** 2 for t in stems))) for cid, stems in docs
        ]
        self._shape = [(cid, dnorm) for cid, _, dnorm in self.docs]
        self._condition_keys = tuple(d.conditions)
        self._condition_cues = shared_index(tuple(d.conditions.values()))
        self._synonym_words = tuple(words for _, words in d.synonyms)
        self._synonym_cues = shared_index(tuple(rx for rx, _ in d.synonyms))
        self.index: dict[str, list[int]] = defaultdict(list)
        for i, (_, stems, _) in enumerate(self.docs):
            for t in stems:
                self.index[t].append(i)
        self.facts = dated_facts([(c.id, c.statement) for c in library.claims])
        self.conditions = {
            c.id: self._read_conditions(text, text.lower())[0]
            for c in library.claims
            for text in (" ".join((c.statement, *c.variants, c.population or "")),)
        }
        self._texts = tuple((c.id, t) for c in library.claims for t in (c.statement, *c.variants))
        self.stated = {
            c.id: self._read_conditions(c.statement, c.statement.lower())[0] for c in library.claims
        }
        self.qualifiers = Qualifiers(
            {c.id: ((c.statement, *c.variants), c.population or "") for c in library.claims}
        )
        # how fast or how long a result comes: an efficacy claim's timeframe (data/copy.yaml)
        self.timeframes = d.timeframes
        # the timeframes each claim states: its topic's, or a timeframe cue in its statement
        # ("Ketamine reduces PTSD symptoms within 24 hours" is a PTSD claim that says how fast)
        self.timed_claims = {
            c.id: frozenset(
                t
                for t, w in statement_topics(c.statement, d).items()
                if t in self.timeframes and (t == c.topic or w >= d.aspect_min)
            )
            | (frozenset((c.topic,)) if c.topic in self.timeframes else frozenset())
            for c in library.claims
        }
        # claims alike in topic, condition, qualifiers and timeframe agree alike with a sentence
        # (see scores)
        q = self.qualifiers
        self._kinds = {
            c.id: (
                c.topic,
                self.conditions[c.id],
                self.stated[c.id],
                q.bound[c.id],
                q.named[c.id],
                self.timed_claims[c.id],
            )
            for c in library.claims
        }
        # each condition topic's own condition ("chronic-pain" -> "pain"; data/copy.yaml
        # condition_topics); none for a topic of mixed conditions ("other-indications")
        self.page_conditions = {t: c for t, c in d.topic_conditions.items() if c is not None}

    def semantic(self, sentence: str, vector: Vector | None = None) -> dict[str, float]:
        """Each claim's best cosine similarity between the sentence and one of its texts.
        ``vector``: the sentence's meaning vector, when the caller already holds it (check
        does: claimmodel.meaning_vectors), so it is not encoded again."""
        from claimledger.data.embedding import nearest_groups  # numpy only when asked

        return nearest_groups(self._texts, sentence, vector)

    def with_meaning(self, sentence: str, lex: dict[str, float]) -> dict[str, float]:
        """Lexical similarity plus the meaning-based term, when EMBEDDING_WEIGHT is on."""
        if EMBEDDING_WEIGHT <= 0:
            return lex
        out = dict(lex)
        for cid, cos in self.semantic(sentence).items():
            gain = EMBEDDING_WEIGHT * (cos - EMBEDDING_FLOOR)
            if gain > 0:
                out[cid] = out.get(cid, 0.0) + gain
        return out

    def _read_conditions(self, text: str, low: str) -> tuple[frozenset[str], str | None]:
        """The conditions the sentence names, and the one it names first: in "depression,
        anxiety and PTSD" the list leads with what the sentence is mostly about."""
        grams = trigrams(low) if len(low) == len(text) else None
        found = [
            (m.start(), self._condition_keys[i])
            for i, m in self._condition_cues.matches(text, low, grams)
        ]
        return frozenset(k for _, k in found), (min(found)[1] if found else None)

    def _expand(self, s: str, low: str) -> str:
        """Domain.expand: ``s`` with the library's words for its everyday phrasings appended."""
        grams = trigrams(low) if len(low) == len(s) else None
        extra = [self._synonym_words[i] for i, _ in self._synonym_cues.matches(s, low, grams)]
        return f"{s} {' '.join(extra)}" if extra else s

    def lexical(self, sentence: str) -> dict[str, float]:
        q = content_stems(sentence)
        if not q:
            return {}
        qnorm = math.sqrt(sum(self.idf.get(t, self._default_idf) ** 2 for t in sorted(q)))
        dot: dict[int, float] = defaultdict(float)
        for t in sorted(q):  # a fixed order keeps float sums identical run to run
            w = self.idf.get(t)
            if w is None:
                continue
            w2 = w * w
            for i in self.index[t]:
                dot[i] += w2
        best: dict[str, float] = {}
        shape = self._shape
        for i, v in dot.items():
            cid, dnorm = shape[i]
            s = 0.6 * v / (qnorm * dnorm) + 0.4 * v / (dnorm * dnorm)
            if s > best.get(cid, 0.0):
                best[cid] = s
        return best

    def scores(
        self,
        sentence: str,
        topics: Mapping[str, float] | None = None,
        page_condition: str | None = None,
    ) -> dict[str, float]:
        """Lexical similarity times PICO agreement (see ``agreement``). ``page_condition``: the
        condition topic the page is mostly about (check's _Page.condition)."""
        d = domain()
        s = normalise(sentence)
        topics = topic_scores(s, d) if topics is None else topics
        low = s.lower()
        said = _Said(
            best_topic(topics),
            topics,
            *self._read_conditions(s, low),
            self.qualifiers.of(s),
            self.page_conditions.get(page_condition or ""),
        )
        out: dict[str, float] = {}
        same: dict[tuple[object, ...], float] = {}
        kinds = self._kinds
        for cid, lex in self.with_meaning(s, self.lexical(self._expand(s, low))).items():
            factor = same.get(kinds[cid])
            if factor is None:
                factor = same[kinds[cid]] = self.agreement(cid, said)
            out[cid] = combine(lex, factor)
        return out

    def _timeframe_of(self, cid: str, said: _Said) -> bool:
        """Does claim ``cid`` say how fast or how long the result the sentence states for its
        condition comes ("relieves treatment-resistant depression within hours")? The
        sentence's condition outweighs its timeframe in cue weight, but a claim of that
        timeframe agrees with both (its condition is weighed next); a condition claim only
        with the condition."""
        d = domain()
        return said.topic in d.condition_topics and any(
            said.topics.get(t, 0.0) >= d.aspect_min for t in self.timed_claims[cid]
        )

    def agreement(self, cid: str, said: _Said) -> float:
        """How well a claim agrees with what the sentence is about (PICO): its topic among the
        sentence's strongest topics, its condition the one the sentence names (first), and no
        condition the sentence does not name. 1.0 is full agreement."""
        claim = self.claims[cid]
        topics, best = said.topics, said.topic
        if best is None:
            factor = 0.8
        elif claim.topic == best or self._timeframe_of(cid, said):
            factor = 1.0
        else:
            close = topics.get(claim.topic, -9) >= topics[best] - TOPIC_MARGIN
            factor = TOPIC_WEAK if close else TOPIC_NONE
        cc = self.conditions[cid]
        if cc and said.conditions and not (cc & said.conditions):
            factor *= OTHER_CONDITION  # a claim about another condition
        elif cc and said.conditions and said.first not in (self.stated[cid] or cc):
            # a condition the sentence lists after its main one, or the sentence's main one is
            # only in the claim's population ("anxious depression" for the anxiety claim)
            factor *= SECONDARY_CONDITION
        elif cc and not said.conditions and claim.topic not in _CONDITION_FREE:
            # a condition claim, and the sentence names no condition: the page's condition is
            # the sentence's population ("Often within hours." on a depression page)
            own = self.stated[cid] or cc  # its statement's condition, before its population's
            factor *= OTHER_CONDITION if said.page and said.page not in own else 0.7
        q = said.qualifiers
        if q or self.qualifiers.bound[cid]:  # else the qualifiers' factor is 1.0 (most sentences)
            factor *= self.qualifiers.factor(cid, q)
        return factor

    def match(
        self, sentence: str, topics: Mapping[str, float] | None = None
    ) -> tuple[str | None, float, list[dict[str, Any]]]:
        d = domain()
        if topics is None:
            topics = topic_scores(normalise(sentence), d)
        return self.pick(self.scores(sentence, topics), topics, sentence=sentence)

    @cached_property
    def topic_reader(self) -> TopicReader:
        """The library's claim texts by meaning and topic (for the topic model)."""
        return TopicReader(
            [(c.topic, t) for c in self.claims.values() for t in (c.statement, *c.variants)]
        )

    def pick(
        self,
        scored: Mapping[str, float],
        topics: Mapping[str, float],
        told: Mapping[str, float] | None = None,
        sentence: str = "",
        vector: Vector | None = None,
    ) -> tuple[str | None, float, list[dict[str, Any]]]:
        """The best claim among ``scored`` (``scores``' output) at MATCH_THRESHOLD or above that
        does not miss the sentence's point (among claims of one topic the words put close, the
        one nearest the ``sentence`` in meaning: ``_nearest``). With ``told`` (the topic
        model's probabilities), a claim whose topic is unlikely (see TOPIC_KEEP) gives way to
        the best claim of the likeliest topic scoring TOPIC_MATCH or more (or to none, which is
        what a likeliest `other-treatment` gives, the library holding no claim of it). A claim
        matched at TOPIC_SURE or more, within TOPIC_MARGIN_P of the likeliest topic, or whose own
        topic is at TOPIC_KEEP or more stays, even when the likeliest is `other-treatment`.
        ``vector``: the ``sentence``'s meaning vector, when already read."""
        cid, score, candidates = self._pick(scored, topics, sentence, vector)
        if not told:
            return cid, score, candidates
        top, p = likeliest(told) or ("", 0.0)
        if cid is not None:
            mine_p = told.get(self.topic_of[cid], 0.0)
            sure = scored[cid] >= TOPIC_SURE  # most of the claim's wording: the words decide
            if sure or p - mine_p < TOPIC_MARGIN_P or mine_p >= TOPIC_KEEP:
                return cid, score, candidates
        mine = [(s, c) for c, s in scored.items() if self.topic_of[c] == top and s >= TOPIC_MATCH]
        if mine:
            s, c = min(mine, key=lambda sc: (-sc[0], sc[1]))
            return c, round(s, 3), candidates
        return None, score, candidates

    def _pick(
        self,
        scored: Mapping[str, float],
        topics: Mapping[str, float],
        sentence: str = "",
        vector: Vector | None = None,
    ) -> tuple[str | None, float, list[dict[str, Any]]]:
        d = domain()
        ranked = sorted(scored.items(), key=lambda kv: (-kv[1], kv[0]))
        candidates = [{"claim_id": cid, "score": round(s, 3)} for cid, s in ranked[:3]]
        point = sentence_point(topics)
        for cid, s in ranked:  # a claim that misses the sentence's point is a nearest claim only
            if s < MATCH_THRESHOLD:
                break
            if not misses(self.claims[cid].topic, topics, point, d):
                cid = self._timed(cid, scored, topics, point) or cid
                cid = self._nearest(cid, scored, sentence, vector) if sentence else cid
                return cid, round(scored[cid], 3), candidates
        return None, round(ranked[0][1], 3) if ranked else 0.0, candidates

    def _nearest(
        self, cid: str, scored: Mapping[str, float], sentence: str, vector: Vector | None = None
    ) -> str:
        """Among the claims of ``cid``'s topic and timeframe at MATCH_THRESHOLD or above (which
        agree with the sentence alike; agreement scales a claim of another condition down, so it
        rarely clears), the best by score plus MEANING_TIE x its closest text's cosine to the
        sentence: the words every claim of a topic shares ("side effects", "within hours") cannot
        tell them apart, their meaning can. Only claims already matched compete, so no sentence matches that did not.
        Claims of another condition compete too: keeping them apart (the claims' conditions or
        their statements' in the rivals' key) lost 7 right claims of 4,286 leaving one writer
        out (benchmarks/topic_confusion.py with --topic-folds, newest sets 800 -> 794)."""
        kind = self.topic_of[cid], self.timed_claims[cid]
        rivals = [
            c
            for c, s in scored.items()
            if s >= MATCH_THRESHOLD and (self.topic_of[c], self.timed_claims[c]) == kind
        ]
        if len(rivals) < 2:
            return cid
        cos = self.semantic(sentence, vector)
        return max(sorted(rivals), key=lambda c: scored[c] + MEANING_TIE * cos.get(c, 0.0))

    def _timed(
        self,
        cid: str,
        scored: Mapping[str, float],
        topics: Mapping[str, float],
        point: tuple[str, float] | None,
    ) -> str | None:
        """The claim to report instead of condition claim ``cid`` when the sentence also says how
        fast or how long (a timeframe cue of the aspects' min_weight or more): the best claim of
        that timeframe at MATCH_THRESHOLD or above that does not miss the sentence's point. It
        agrees with the sentence on more (condition and timeframe; agreement scales a claim of
        another condition down, so it rarely clears), so it wins however many of the condition's
        words the condition claim shares ("patients with treatment-resistant depression improved
        within a day" makes the rapid-onset claim)."""
        d = domain()
        if self.topic_of[cid] not in d.condition_topics or self.timed_claims[cid]:
            return None
        said = [t for t in self.timeframes if topics.get(t, 0.0) >= d.aspect_min]
        timed = [
            (s, c)
            for c, s in scored.items()
            if s >= MATCH_THRESHOLD
            and self.timed_claims[c].intersection(said)
            and not misses(self.topic_of[c], topics, point, d)
        ]
        return min(timed, key=lambda sc: (-sc[0], sc[1]))[1] if timed else None


# --- flags that depend on the ledger -------------------------------------------------------------

_CERTAIN = re.compile(
    r"\b(clinically proven|proven|demonstrat\w*|confirm\w*|establish\w*|"
    r"(research|science|evidence) (shows|has shown|proves)|studies (show|have shown|prove)|"
    r"numerous studies|is effective|are effective|highly effective|guarantee\w*)\b",
    re.I,
)
_HEDGED = Caseless(
    r"\b(may|might|could|can help|some studies|early|preliminary|promising|shows? promise|"
    r"potential(ly)?|suggests?|is believed|is thought|appears? to)\b"
)
_RISK_STATEMENT = Caseless(
    r"\b(side effects?|risks?|adverse|nausea|dizziness|dissociation|blood pressure|heart rate|"
    r"contraindicat\w*|not (suitable|recommended|right)|bladder|urinary|dependence|abuse|misuse|"
    r"hallucinat\w*|cognitive changes|boxed warning)\b"
)


def document_has_risk_statement(sentences: Sequence[str]) -> bool:
    return any(_RISK_STATEMENT.search(s) for s in sentences)


def date_flag(sentence: str, claim: Claim) -> Flag | None:
    """A year in the sentence for an event the matched library claim dates differently
    ("approved ... in 2016" against a claim that says 2019): a misstated fact a reviewer should
    check. The sentence matched the claim, so "it" is the claim's subject; the event must be the
    claim's ("approved as an anaesthetic in 1970" is not the 2019 esketamine approval)."""
    facts = _claim_facts(claim.id, claim.statement)
    return fact_flag(sentence, facts, facts[0].subject) if facts else None


@cache
def _claim_facts(claim_id: str, statement: str) -> tuple[DatedFact, ...]:
    """The dated events of one library claim (read once per claim, not once per sentence)."""
    return dated_facts([(claim_id, statement)])


DATE_MATCH = 0.4  # a date is compared only when the sentence clearly makes the claim


def evidence_flags(
    sentence: str,
    claim: Claim,
    evidence: ClaimEvidence | None,
    doc_states_risks: bool,
    score: float = 1.0,
) -> list[Flag]:
    """Flags that compare the sentence with the library claim it makes and what the ledger knows
    about that claim."""
    dated = date_flag(sentence, claim) if score >= DATE_MATCH else None
    flags: list[Flag] = [dated] if dated else []
    if claim.needs_non_pubmed_source:
        return flags
    grade = evidence.grade if evidence else None
    base = grade.split(",")[0].strip() if grade else None
    certain = _CERTAIN.search(sentence)
    if grade and certain and not _HEDGED.search(sentence) and base != "strong":
        flags.append(
            Flag(
                "CERTAINTY_EXCEEDS_GRADE",
                f'"{certain.group(0)}" states this as settled, but the evidence for it is graded '
                f"{base}; say what the studies found, or soften the wording.",
                "21 CFR 202.1(e)(6)(i)",
            )
        )
    if base in ("contested", "contradicted"):
        flags.append(
            Flag(
                "EVIDENCE_" + base.upper(),
                f"the ledger grades this claim {base}; do not state it as fact.",
                "21 CFR 202.1(e)(6)(iii)",
            )
        )
    if claim.polarity == "asserts-benefit" and not doc_states_risks:
        flags.append(
            Flag(
                "FAIR_BALANCE",
                "a benefit claim in a document that states no risks anywhere; add the main risks "
                "and side effects.",
                "21 CFR 202.1(e)(5)(ii)",
            )
        )
    return flags


# --- the whole check -----------------------------------------------------------------------------

_QUOTED = re.compile(r'^\W*"|"\W*$')


def _is_quoted(u: Unit, testimonial_page: bool) -> bool:
    return u.role == "quote" or testimonial_page or _QUOTED.search(u.norm) is not None


def _grade(ev: ClaimEvidence | None, cid: str | None) -> str | None:
    if ev:
        return ev.grade + (", provisional" if ev.provisional else "")
    return NO_EVIDENCE if cid else None


@dataclass(frozen=True)
class _Page:
    """What the whole page tells about each sentence: does it state risks anywhere, is it a
    testimonials page, which condition is it mostly about."""

    states_risks: bool
    testimonial_page: bool
    condition: str | None
    treatment: str | None = None  # the treatment the page is about (copy/topic.py)
    # what the page is about, topic by topic (``_page_subjects``): read by the topic model
    subjects: Mapping[str, float] = field(default_factory=dict)


def _finding(
    u: Unit,
    scores: Mapping[str, float],
    flags: list[Flag],
    page: _Page,
    m: ClaimMatcher,
    evidence: Mapping[str, ClaimEvidence],
    section: str | None = None,
    reading: tuple[Mapping[str, float], Mapping[str, float]] | None = None,
    vector: Vector | None = None,
) -> Finding:
    """Match one claim-like sentence (unless it is about another treatment), add the flags that
    compare it with the ledger, and say which topic it is about. ``reading``: the topic model's
    probabilities and the matcher's scores (``topic_readings``), when already read; ``vector``:
    the sentence's meaning vector (Judged.vector), when already read."""
    d = domain()
    full, scores, other = _about(u, scores, page, d)
    candidates: list[dict[str, Any]] = []
    cid: str | None = None
    score = 0.0
    p: Mapping[str, float] = {}
    if not other:
        if reading is None:
            reading = {}, m.scores(full, scores, page.condition) if u.treatment is not None else {}
        p, scored = reading
        if u.treatment is not None:
            # the vector is the sentence's own: read with a question or intro line, it is not
            near = vector if vector is not None and full == u.norm else None
            cid, score, candidates = m.pick(scored, scores, p, full, near)
    claim = m.claims.get(cid) if cid else None
    ev = evidence.get(cid) if cid else None
    if claim is not None:
        flags = flags + evidence_flags(full, claim, ev, page.states_risks, score)
    if any(f.code == "MISSTATED_FACT" for f in flags):  # the record's date says it already
        flags = [f for f in flags if f.code != "DATE_DIFFERS_FROM_LIBRARY"]
    elif not other and not any(f.code == "DATE_DIFFERS_FROM_LIBRARY" for f in flags):
        # a dated event, whichever claim was matched; "it" is the page's product
        dated = fact_flag(u.norm, m.facts, d.product if u.treatment == d.product else None)
        flags = [*flags, dated] if dated else flags
    if cid is None and not other:
        other = _compared_with(u, full, d)
    weak = max(scores.values(), default=0) < 1  # only bare words like "sessions"
    guess = None if weak else best_topic(scores)
    told = likeliest(p)
    played_down = flag_topic([f.code for f in flags]) if weak else None
    if told is not None and played_down is None:  # playing a risk down is about safety
        guess = told[0]
    topic = claim.topic if claim else (OTHER_TREATMENT if other else guess)
    return Finding(
        sentence=u.sentence,
        start=u.start,
        end=u.end,
        claim_id=cid,
        match_score=score,
        grade=_grade(ev, cid),
        flags=tuple(flags),
        references=ev.references if ev else (),
        candidates=tuple(candidates) if cid is None else (),
        categories=tuple(sorted(scores, key=lambda t: -scores[t])),
        # a sentence with no topic cue is about the risk its own wording plays down, else its
        # section's heading, else the page's condition
        topic=topic or flag_topic([f.code for f in flags]) or section or page.condition,
        other_treatment=other,
        context=u.context,
    )


def _compared_with(u: Unit, full: str, d: Domain) -> str | None:
    """The other treatment ("comparison with ect") a sentence about the product that no library
    claim says claims to beat or equal ("Better than ECT, without the memory loss"): the claim
    rests on that treatment's evidence too (data/copy.yaml superiority). The comparative word must
    govern the name (``_governs``): a sentence that only names another treatment beside a
    comparative word is not a comparison with it. None otherwise."""
    if u.treatment != d.product or d.superiority is None or not d.superiority.search(full):
        return None
    words = [m.span() for m in d.superiority.finditer(full)]
    for a, b, name in d.mentions(full):
        if name != d.product and any(_governs(full, w, (a, b), d) for w in words):
            return f"comparison with {name}"
    return None


COMPARED_AFTER_WORDS = 5  # "none of the side effects of SSRIs": the word, then the name
COMPARED_BEFORE_WORDS = 3  # "makes ECT obsolete", "opioids are a thing of the past"


def _governs(full: str, word: tuple[int, int], rival: tuple[int, int], d: Domain) -> bool:
    """Does the superiority word at ``word`` govern the treatment named at ``rival``? Yes when
    they overlap ("ECT-level results"); when a comparison word introduces the name ("than",
    "unlike", "compared with") and no new main clause lies between; when the word comes at most
    COMPARED_AFTER_WORDS words before the name in its clause ("safer than daily pills",
    "replaces opioids") and nothing joins them ("safer to combine with SSRIs"); or at most
    COMPARED_BEFORE_WORDS after it, with no list or combination between ("makes ECT obsolete").
    A bare comparative ("better", "safer") needs the comparison word, or the name as what the
    product is an alternative to. data/copy.yaml compared_before, bare_comparatives,
    comparative_alternative, comparison_breaks, comparison_clauses, combination, combined_with."""
    (wa, wb), (a, b) = word, rival
    if wa < b and a < wb:
        return True
    gap = full[wb:a] if wb <= a else full[b:wa]
    if d.comparison_breaks is not None and d.comparison_breaks.search(gap):
        return False
    if d.compared_before is not None and d.compared_before.search(full[:a]):
        return True
    if _bare(full[wa:wb], d) and not (
        d.comparative_alternative is not None and d.comparative_alternative.search(full[:a])
    ):
        return False  # "works better in patients who also receive talk therapy"
    if any(rx is not None and rx.search(gap) for rx in (d.comparison_clauses, d.combination)):
        return False
    if wb <= a:
        return len(gap.split()) <= COMPARED_AFTER_WORDS
    return len(gap.split()) <= COMPARED_BEFORE_WORDS and not (
        d.combined_with is not None and d.combined_with.search(gap)
    )


def _bare(word: str, d: Domain) -> bool:
    """Is this superiority word a bare comparative ("better", "safer"), which takes a rival only
    through "than", "unlike", "compared with" or as "an alternative to" it (data/copy.yaml
    bare_comparatives)?"""
    return d.bare_comparatives is not None and d.bare_comparatives.search(word) is not None


def _about(
    u: Unit, scores: Mapping[str, float], page: _Page, d: Domain
) -> tuple[str, dict[str, float], str | None]:
    """A sentence as matching reads it: with its question or intro line, its topic cues with
    its point before its condition (``aspect_first``), and the other treatment it is about."""
    full = f"{u.context} {u.norm}" if u.context else u.norm
    other = u.treatment if u.treatment not in (None, d.product) else None
    if about_page_treatment(u, page.treatment, d):
        other = page.treatment
    return full, aspect_first(scores, full, d), other


def topic_readings(
    chosen: Sequence[tuple[Judged, Sequence[Flag]]],
    page: _Page,
    m: ClaimMatcher,
    meanings: Mapping[str, Vector] | None = None,
) -> list[tuple[Mapping[str, float], Mapping[str, float]]]:
    """For each reported unit of a page (with its flags): the topic model's probabilities (empty
    without a model, or for a sentence about another treatment) and the matcher's scores, which
    the model reads too (so they are read even when no treatment is named). One pass over
    the page: the model reads every sentence at once. ``meanings``: the meaning vector of each
    unit's text on the page (Judged.vector), where the headings' are found."""
    d = domain()
    model = topic_model()
    out: list[tuple[Mapping[str, float], Mapping[str, float]]] = [({}, {})] * len(chosen)
    asked: list[tuple[int, dict[str, float]]] = []
    scored: dict[tuple[object, ...], dict[str, float]] = {}  # a page repeats lines: score once
    for i, (j, _) in enumerate(chosen):
        full, scores, other = _about(j.unit, j.scores, page, d)
        if other or (model is None and j.unit.treatment is None):
            continue
        key = (full, tuple(scores.items()))
        if key not in scored:
            scored[key] = m.scores(full, scores, page.condition)
        out[i] = ({}, scored[key])
        if model is not None:
            asked.append((i, scores))
    if model is None or not asked:
        return out
    vectors = np.vstack([chosen[i][0].vector for i, _ in asked])
    near = m.topic_reader.near(vectors)
    features = [
        topic_inputs(chosen[i][0], scores, chosen[i][1], page, m, out[i][1], close)
        for (i, scores), close in zip(asked, near, strict=True)
    ]
    heads = [chosen[i][0].unit.heading for i, _ in asked]
    # a heading is a unit of the page whose meaning was read with the others (``meanings``):
    # only a heading not among them (none on a page check reads) is read here, once
    known = meanings or {}
    distinct = list(dict.fromkeys(h for h in heads if h not in known))
    fresh = dict(zip(distinct, meaning_vectors(distinct), strict=True)) if distinct else {}
    # the neighbours' meaning vectors side by side (Judged.beside_vector), for every sentence
    # at once: a zero row at the page's start or end
    zero = np.zeros_like(vectors[0])
    beside = np.hstack(
        [
            np.vstack([zero if (v := chosen[i][0].beside[k]) is None else v for i, _ in asked])
            for k in (0, 1)
        ]
    )
    read = model.page_probabilities(
        features, vectors, np.vstack([known[h] if h in known else fresh[h] for h in heads]), beside
    )
    for (i, _), p in zip(asked, read, strict=True):
        out[i] = (p, out[i][1])
    return out


def topic_inputs(
    j: Judged,
    scores: Mapping[str, float],
    flags: Sequence[Flag],
    page: _Page,
    m: ClaimMatcher,
    scored: Mapping[str, float],
    near: Mapping[str, float],
) -> dict[str, float]:
    """What the topic model reads of a sentence (copy/topicmodel.py topic_features): ``scores``
    its topic cues as matching weighs them (``_about``), ``scored`` the matcher's scores,
    ``near`` its meaning's closeness to each topic's claim texts; the topic phrasings it uses
    are read from it with its question or intro line, as matching reads it; and what its
    section says of the treatment it is about (``Judged.context``, copy/topiccontext.py)."""
    u = j.unit
    matched: dict[str, float] = {}
    for cid, s in scored.items():
        t = m.topic_of[cid]
        if s > matched.get(t, 0.0):
            matched[t] = s
    read = topic_features(
        scores,
        [f.code for f in flags],
        (j.section, page.condition, *j.around),
        j.features,
        matched,
        near,
        sorted(topic_hints(f"{u.context} {u.norm}" if u.context else u.norm)),
        page.subjects,
        sorted(topic_hints(u.heading)) if u.heading else (),
    )
    read.update(j.context)
    return read


@dataclass(frozen=True)
class Judged:
    """One unit of the page with what the checker read from it: the rules' verdict, its topic
    cues, its wording flags, and the features the claim model weighs."""

    unit: Unit
    rule: bool
    scores: Mapping[str, float]
    flags: tuple[Flag, ...]
    features: Mapping[str, float]
    vector: Vector  # the sentence's meaning (claimmodel.meaning_vectors), read with its neighbours
    section: str | None = None  # the topic of the heading or question it sits under
    # the strongest topic cue (weight one or more) of the units just before and after it
    around: tuple[str | None, str | None] = (None, None)
    # the meaning vectors of the units just before and after it (None at the page's start, end)
    beside: tuple[Vector | None, Vector | None] = (None, None)
    # what its section says of the treatment it is about (copy/topiccontext.py), for the topic
    # model
    context: Mapping[str, float] = field(default_factory=dict)

    def beside_vector(self) -> Vector:
        """The neighbours' meaning vectors side by side, as the topic model reads them (a zero
        half for none)."""
        zero = np.zeros_like(self.vector)
        return np.concatenate([zero if v is None else v for v in self.beside])

    @property
    def reportable(self) -> bool:
        """May the claim model report this unit? Not a signature under a quotation ("— Sam,
        52"), read with its neighbours but never a claim, nor an entry under References: the
        page cites a study, it does not claim; nor an intro line ("The most common side effects
        in trials were:", a table's header row): its items say the claim, each read with it as
        context, and writers label the items, not the intro (dev outside the fresh pages: 623
        labelled intro lines, 7 of them claims; the seeds: 2 of 6); nor an item of a form or
        an instruction ("Tick any that apply:", "Call us if you have:"; data/copy.yaml
        instruction_intros). (Overstating wording is reported regardless.)"""
        u = self.unit
        if is_attribution(u.norm) or u.role in _NEVER_REPORTED:
            return False
        rx = domain().instruction_intros
        return not (u.role == "item" and rx is not None and rx.search(u.context) is not None)


_NEVER_REPORTED = ("reference", "intro")


def near_readable(u: Unit) -> bool:
    """May the back-up read this unit when the claim model scored it just under its threshold?
    Not a block quotation (role "quote"; a quote inline in body copy keeps its role): quoted
    lines there that the back-up scores high are a patient's praise of
    the staff or the room more often than an overstatement. On dev outside the fresh pages
    (benchmarks/near_rescue.py, shipped models, the back-up at 0.97 or more within 0.05 of the
    threshold), quotations added 3 overstatements flagged for 6 false alarms; with the threshold
    0.06 higher, 5 for 11 (the others: 27 for 5). The retrain's near-miss threshold
    (train_overstated.py NEAR_PRECISION) is chosen on the lines this reads."""
    return u.role != "quote"


def _framed_claim(rest: str, d: Domain) -> bool:
    """Whether what a framing sentence says besides its framing (claimmodel.framing_rest) is a
    claim: a past year or a counted result ("The story of ketamine began in 1962"), a
    that-clause naming a topic or the product ("It's worth noting, too, that most patients need
    six infusions"), or an efficacy word said of a condition or the product ("In conclusion,
    ketamine offers real hope for treatment-resistant depression"). A bare topic or condition
    word is not: it is what framing frames ("Final thoughts on ketamine for depression",
    "Understanding ketamine means exploring its history")."""
    if framing_rest_number(rest):
        return True
    product = d.treatments.get(d.product)
    that = framing_rest_clause(rest)
    if that and (topic_scores(_mask(that, d), d) or (product and product.found(that))):
        return True
    if not d.efficacy.found(rest):
        return False
    conditions = d.condition_topics.intersection(topic_scores(_mask(rest, d), d))
    return bool(conditions) or bool(product and product.found(rest))


def unit_features(
    u: Unit, d: Domain, rule: bool, scores: Mapping[str, float], flags: Sequence[Flag]
) -> dict[str, float]:
    """What the claim model weighs: round one's verdicts, page role, subject, cue families,
    effect and hedge words, wording categories and length. No content words: on CV over dev +
    seeds they added nothing (they are the dev writers' vocabulary) and cost a tenth of check."""
    s = u.norm
    f: dict[str, float] = {"rule": float(rule), f"role:{u.role}": 1.0}
    f["overstated_claim"] = float(bool(flags) and _overstated_claim(u, d))
    subject = (
        "none" if u.treatment is None else ("product" if u.treatment == d.product else "other")
    )
    f[f"subject:{subject}"] = 1.0
    f["named"] = float(u.named)
    f["reference"] = float(d.references.found(s))
    f["context"] = float(bool(u.context))
    f["intro_context"] = float(u.context.endswith(":"))
    f["standalone"] = float(u.standalone_line)
    for t, w in scores.items():
        f[f"topic:{t}"] = min(w, 4.0) / 4
    cond = sum(v for t, v in scores.items() if t in d.condition_topics)
    f["cond"] = min(cond, 6.0) / 6
    f["effect"] = min(sum(scores.values()) - cond, 6.0) / 6
    f["efficacy_word"] = float(d.efficacy.found(s))
    f["hedge"] = float(_HEDGED.search(s) is not None)
    f["clause"] = float(_is_clause(s))
    f["question"] = float(is_question(s))
    # the rules accept no furniture, so only a rejected unit needs the (long) furniture search
    f["furniture_words"] = float(not rule and bool(d.boilerplate.found(s) or is_contact(s)))
    f["logistics"] = float(d.logistics.search(f"{u.context} {s}") is not None)
    f["in_progress"] = float(not rule and d.in_progress.found(s))  # why rule said no
    f["no_lower"] = float(not _LOWER.search(s))
    f["digit"] = float(_DIGIT.search(s) is not None)
    f[f"len:{length_bucket(len(s.split()))}"] = 1.0
    for fl in flags:
        f[f"flag:{fl.code}"] = 1.0
    f.update(shape_features(s, u.context if is_question(u.context) else ""))
    f.update(grammar_features(s, u.context if u.role == "item" else "", u.named, u.heading))
    f.update(structure_features(u, bool(f["clause"])))
    f.update(context_features(u))
    f.update(block_features(u))
    f.update(framing_features(s, f, lambda rest: _framed_claim(rest, d)))
    f.update(recall_features(u, f))
    f.update(reason_features(u))
    f.update(filler_features(u, f))
    f.update(warning_features(u, f))
    return f


def judge_units(
    text: str, kind: str = "txt", roles: Sequence[tuple[int, int, str]] = ()
) -> tuple[list[Judged], _Page]:
    """Every unit of the page, judged; and what the whole page says about each."""
    forget_texts()  # what was kept per text is for one page (library/lexicon.py)
    d = domain()
    units = list(page_units(text, kind, roles))
    # a page repeats lines (a slogan, a call to action, a refrain): each sentence is read once
    rules: dict[tuple[object, ...], tuple[bool, dict[str, float]]] = {}
    for u in units:
        if (key := _sentence(u)) not in rules:
            rules[key] = _unit_claim(u, d)
    ruled = [(u, *rules[_sentence(u)]) for u in units]
    page = _Page(
        states_risks=document_has_risk_statement([u.norm for u in units]),
        testimonial_page=sum(1 for u in units if u.role == "quote" or _QUOTED.search(u.norm)) >= 3,
        condition=_page_condition([scores for _, _, scores in ruled], d),
        treatment=page_treatment(units, d),
        subjects=_page_subjects([scores for _, _, scores in ruled]),
    )
    # a question or heading is never a claim, so the rules read no topic from it: its section's
    # topic is read here ("Is it safe?", "Addictive?")
    sections = section_topics(
        units,
        [
            sc if sc or u.role not in _HEADS else topic_scores(_mask(u.norm, d), d)
            for u, _, sc in ruled
        ],
    )
    all_flags = page_flags(units, [_is_quoted(u, page.testimonial_page) for u in units])
    meanings = meaning_vectors([u.norm for u in units])
    strongest = [strong_topic(scores) for _, _, scores in ruled]
    places = section_context(units, d)
    features: dict[tuple[object, ...], dict[str, float]] = {}
    out = []
    for i, ((u, ok, scores), flags, section, meaning) in enumerate(
        zip(ruled, all_flags, sections, meanings, strict=True)
    ):
        key = (*_sentence(u), flags)
        if key not in features:
            features[key] = unit_features(u, d, ok, scores, flags)
        around = (strongest[i - 1] if i else None, strongest[i + 1] if i + 1 < len(units) else None)
        beside = (meanings[i - 1] if i else None, meanings[i + 1] if i + 1 < len(units) else None)
        out.append(
            Judged(u, ok, scores, flags, features[key], meaning, section, around, beside, places[i])
        )
    return out, page


def strong_topic(scores: Mapping[str, float]) -> str | None:
    """The strongest topic cue of a unit, if it weighs one or more."""
    t = best_topic(scores)
    return t if t is not None and scores[t] >= 1 else None


def _sentence(u: Unit) -> tuple[object, ...]:
    """What the per-sentence passes read of a unit: all but where it is on the page (the rules'
    verdict and topics, and the claim model's features, are the same wherever it is)."""
    return (u.norm, u.role, u.context, u.treatment, u.named, u.standalone_line, u.heading)


def check_text(
    document: str,
    text: str,
    library: ClaimsLibrary,
    evidence: Mapping[str, ClaimEvidence],
    matcher: ClaimMatcher | None = None,
    kind: str = "txt",
    roles: Sequence[tuple[int, int, str]] = (),
) -> CheckResult:
    """Find every claim-like sentence in ``text``, say what it is about, match it, grade it and
    flag its wording. ``roles`` are the reader's structure hints (see copy/documents.py)."""
    m = matcher or ClaimMatcher(library)
    model, over = claim_model(), PageReader(overstated_model())
    judged, page = judge_units(text, kind, roles)
    result = CheckResult(document=document, text=text)
    chance = model.page_probabilities([j.features for j in judged], [j.vector for j in judged])
    chosen: list[tuple[Judged, list[Flag]]] = []
    for j, p in zip(judged, chance, strict=True):
        # wording that overstates makes a claim about the treatment under discussion even
        # without topic cues ("Real Results."), so the model never drops such a sentence
        readable = j.reportable
        if j.features["overstated_claim"] or (p >= model.threshold and readable):
            # a claim no wording cue flagged is read by the learned back-up (copy/overmodel.py)
            extra = None if j.flags else over.flag(j.unit, j.features, j.vector)
            chosen.append((j, [*j.flags, extra] if extra else list(j.flags)))
        elif (
            # just under the claim threshold: an overstated line is a claim, so the back-up
            # reads it too, at its stricter near-miss threshold (not a quotation: near_readable)
            readable
            and not j.flags
            and near_readable(j.unit)
            and p >= model.threshold - over.model.near
            and (extra := over.flag(j.unit, j.features, j.vector, near_miss=True))
        ):
            chosen.append((j, [extra]))
    readings = topic_readings(chosen, page, m, {j.unit.norm: j.vector for j in judged})
    for (j, flags), reading in zip(chosen, readings, strict=True):
        result.findings.append(
            _finding(j.unit, j.scores, flags, page, m, evidence, j.section, reading, j.vector)
        )
    return result


def fails(results: list[CheckResult], level: str) -> bool:
    """Should `check --fail-on LEVEL` exit 1 for these results?"""
    findings = [f for r in results for f in r.findings]
    if level == "none":
        return False
    checks = {
        "unsupported": any(f.unsupported for f in findings),
        "overstated": any(f.flags for f in findings),
        "unmatched": any(f.claim_id is None for f in findings),
    }
    if level == "any":
        return any(checks.values())
    return checks[level]
