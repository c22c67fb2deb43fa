"""Which library topic a claim-like sentence is about, beyond its own cue words. Pure.

The matcher reads one sentence; a reviewer reads it on its page. Three things the page tells:

- the section it sits in: a sentence with no topic cue of its own under "Safety and side
  effects" or "How long does it last?" is about that heading's topic before the page's condition;
- the page's own treatment: on a TMS or supplement page, a sentence that names no treatment and
  points back at none ("Tastes fine, easy to swallow") is about that page's treatment, not about
  the last drug another sentence compared it with;
- the sentence's point: a sentence whose strongest cue is an aspect (approval, dependence,
  contraindication, long-term harm) and a claim whose topic it barely touches do not agree,
  however many words they share ("Ketamine is not FDA-approved for PTSD" is about approval, not
  about the PTSD efficacy claim); nor does an approval or history claim agree with a sentence
  that never mentions approval or history.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from functools import cache

from claimledger.copy.structure import Domain, Unit
from claimledger.data.lexicon import load_lexicon
from claimledger.library.lexicon import Caseless, CueIndex, matching, on_forget, trigrams

__all__ = [
    "POINT_MARGIN",
    "POINT_MIN",
    "QUALIFIER_MISSING",
    "QUALIFIER_OTHER",
    "STATED_MIN",
    "STATED_TOPICS",
    "Qualifiers",
    "about_page_treatment",
    "flag_topic",
    "misses",
    "off_point",
    "page_treatment",
    "section_topics",
    "sentence_point",
    "topic_hints",
]

POINT_MIN = 4.0  # cue weight that makes an aspect the sentence's point (one strong cue)
POINT_MARGIN = 1.5  # a claim topic with this much less cue weight misses that point
# Facts a sentence must mention to state them: an approval, a date in the drug's history. Naming
# the product an approval was for ("Spravato") is not stating the approval.
STATED_TOPICS = frozenset(("regulatory", "history"))
STATED_MIN = 3.0  # the cue weight of a sentence's own point (one clear cue) for that test
_SECTION_ROLES = ("heading", "question")
QUALIFIER_MISSING = 0.6  # a claim bound to a qualifier the sentence lacks
QUALIFIER_OTHER = 0.8  # the sentence's qualifier binds other claims, and this one never names it


def sentence_point(topics: Mapping[str, float]) -> tuple[str, float] | None:
    """The sentence's point: its strongest topic cue and its weight (None for no cue)."""
    if not topics:
        return None
    point = max(topics, key=lambda t: topics[t])
    return point, topics[point]


def off_point(claim_topic: str, topics: Mapping[str, float], d: Domain) -> bool:
    """Does a claim of ``claim_topic`` miss the sentence's point? Two ways: the point is an aspect
    (see data/copy.yaml aspects) weighing at least POINT_MIN and the claim's topic weighs
    POINT_MARGIN less; or the claim states a fact of approval or history (STATED_TOPICS) that the
    sentence, whose point is something else, never mentions ("Spravato is a breakthrough in
    depression care" names the product of an approval claim, but says nothing of approval)."""
    return misses(claim_topic, topics, sentence_point(topics), d)


def misses(
    claim_topic: str,
    topics: Mapping[str, float],
    point: tuple[str, float] | None,
    d: Domain,
) -> bool:
    """``off_point`` with the sentence's point already read (once per sentence, not per claim)."""
    if point is None:  # no topic cue at all: nothing that states an approval or a date either
        return claim_topic in STATED_TOPICS
    if claim_topic == point[0]:
        return False
    weight = topics.get(claim_topic, 0.0)
    if point[0] in d.aspects and point[1] >= POINT_MIN:
        return weight < point[1] - POINT_MARGIN
    return claim_topic in STATED_TOPICS and weight <= 0 and point[1] >= STATED_MIN


def section_topics(
    units: Sequence[Unit], scores: Sequence[Mapping[str, float]]
) -> list[str | None]:
    """For each unit, the topic of the heading or question it sits under (None when that
    heading names no topic, or before the first one). A heading's own topic is its strongest
    cue of weight one or more."""
    out: list[str | None] = []
    current: str | None = None
    for u, sc in zip(units, scores, strict=True):
        if u.role in _SECTION_ROLES:
            strong = {t: w for t, w in sc.items() if w >= 1}
            current = max(strong, key=lambda t: strong[t]) if strong else None
        out.append(current)
    return out


def page_treatment(units: Sequence[Unit], d: Domain) -> str | None:
    """The treatment the page is about: the one most sentences name, the first named counting
    double (a title or opening line), the product on a tie; None when no sentence names one."""
    counts: Counter[str] = Counter()
    first: str | None = None
    for u in units:
        if u.named and u.treatment is not None:
            counts[u.treatment] += 1
            first = first or u.treatment
    if first is None:
        return None
    counts[first] += 2
    top = max(counts.values())
    return d.product if counts[d.product] == top else counts.most_common(1)[0][0]


def about_page_treatment(u: Unit, page: str | None, d: Domain) -> bool:
    """A sentence on another treatment's page that names no treatment, points back at none and
    answers no question: it is about the page's treatment, whatever the page compared it with."""
    return (
        page is not None
        and page != d.product
        and u.treatment == d.product
        and not u.named
        and not u.context
        and d.references.search(u.norm) is None
    )


def flag_topic(codes: Sequence[str]) -> str | None:
    """The topic a sentence's wording tells when its words name none: playing a risk down is
    about safety (data/copy.yaml flag_topics)."""
    table: Mapping[str, str] = load_lexicon("copy").get("flag_topics") or {}
    return next((table[c] for c in codes if c in table), None)


@cache
def _hints() -> tuple[tuple[str, ...], CueIndex]:
    """Each topic's phrasings as one pattern matched without regard to case (Caseless: on the
    lower-cased text, skipped when the text lacks its literal pieces), all in one CueIndex."""
    table: Mapping[str, Sequence[str]] = load_lexicon("copy").get("topic_hints") or {}
    patterns = [Caseless("|".join(f"(?:{p})" for p in ps)) for ps in table.values()]
    return tuple(table), CueIndex(patterns)


_hinted: dict[str, frozenset[str]] = {}  # topic_hints, for the page's texts (see forget_texts)
on_forget(_hinted.clear)
_HINTS_KEPT = 8192  # texts kept at most (a long page's), as library/lexicon.py keeps its own


def topic_hints(text: str) -> frozenset[str]:
    """The topics whose phrasings (data/copy.yaml topic_hints) a sentence uses: a result told as
    lasting, a life given back, a result dated by the visit it came after, a medicine's label
    and rules. Read by the topic model only (copy/topicmodel.py), never by matching. Kept for
    the page: a section's sentences share its heading, read once."""
    known = _hinted.get(text)
    if known is None:
        if len(_hinted) >= _HINTS_KEPT:
            _hinted.clear()
        topics, index = _hints()
        low = text.lower()
        grams = trigrams(low) if len(low) == len(text) else None
        known = _hinted[text] = frozenset(topics[i] for i, _ in index.matches(text, low, grams))
    return known


@cache
def _qualifier_patterns() -> tuple[tuple[str, ...], tuple[Caseless, ...]]:
    """data/copy.yaml qualifiers (names, patterns), compiled once per process as the other
    lexicons are: a matcher is made per run of check, and its Qualifiers with it. The patterns'
    tuple is kept too: library.lexicon.matching finds their index by it."""
    table: Mapping[str, str] = load_lexicon("copy").get("qualifiers") or {}
    return tuple(table), tuple(Caseless(p) for p in table.values())  # any case, as re.I


class Qualifiers:
    """The qualifiers each library claim is bound to or names (data/copy.yaml qualifiers), and
    how a sentence's own qualifiers change its agreement with a claim."""

    def __init__(self, claims: Mapping[str, tuple[Sequence[str], str]]) -> None:
        """``claims``: each claim's texts (statement and variants) and its population."""
        self._names, self._list = _qualifier_patterns()
        self.patterns = dict(zip(self._names, self._list, strict=True))
        self.bound: dict[str, frozenset[str]] = {}
        self.named: dict[str, frozenset[str]] = {}
        for cid, (texts, population) in claims.items():
            has = [self.of(t) for t in texts]
            self.bound[cid] = frozenset.intersection(*has) if has else frozenset()
            self.named[cid] = frozenset().union(*has, self.of(population))
        self.binding = frozenset().union(*self.bound.values()) if self.bound else frozenset()

    def of(self, sentence: str) -> frozenset[str]:
        """The qualifiers a sentence carries (all read in one pass: library.lexicon.matching)."""
        found = matching(self._list, sentence)
        return frozenset(k for k, rx in zip(self._names, self._list, strict=True) if rx in found)

    def factor(self, cid: str, said: frozenset[str]) -> float:
        """1.0, or less when the claim is bound to a qualifier the sentence lacks, or the
        sentence carries a qualifier that binds other claims and this one never names."""
        f = QUALIFIER_MISSING if self.bound[cid] - said else 1.0
        if (said & self.binding) - self.named[cid]:
            f *= QUALIFIER_OTHER
        return f
