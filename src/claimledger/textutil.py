"""Small text helpers shared by stance, matching and copy checking: sentences with offsets, stems.

Pure functions, no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

__all__ = ["STOPWORDS", "Span", "content_stems", "plural", "sentences", "stem", "tokens"]

STOPWORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "also",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "him",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "me",
        "more",
        "most",
        "my",
        "no",
        "nor",
        "not",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "ours",
        "out",
        "over",
        "own",
        "same",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "theirs",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "yours",
        "may",
        "might",
        "must",
        "shall",
        "within",
        "via",
        "per",
        "among",
        "upon",
        "whether",
        "however",
        "thus",
        "therefore",
        "eg",
        "ie",
        "vs",
        "et",
        "al",
    ]
)
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9\-']*|\d+(?:\.\d+)?")
_ABBREV = re.compile(r"\b(?:e\.g|i\.e|vs|et al|approx|fig|no|dr|mr|ms|st|ca|cf|resp|incl)\.$", re.I)
_INITIAL = re.compile(r"\b[A-Z]\.$")
_ABBREV_TAIL = 16  # longer than any abbreviation above plus the character before it
_SUFFIXES = (
    "ational",
    "ization",
    "ations",
    "ation",
    "ments",
    "ment",
    "ness",
    "ities",
    "ity",
    "ings",
    "ing",
    "ies",
    "ied",
    "ives",
    "ive",
    "ers",
    "er",
    "ed",
    "es",
    "ly",
    "al",
    "s",
)


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str
    label: str | None = None  # the abstract section label the sentence sits in, if any


def plural(n: int, word: str, many: str | None = None) -> str:
    """'1 claim', '2 claims': counts in messages agree with their nouns."""
    return f"{n} {word if n == 1 else (many or word + 's')}"


def stem(word: str) -> str:
    """A crude suffix-stripping stem: enough to match 'reduces'/'reduced'/'reduction' loosely."""
    w = word.lower().strip("'-")
    for suf in _SUFFIXES:
        if w.endswith(suf) and len(w) - len(suf) >= 4:
            return w[: -len(suf)]
    return w


def tokens(text: str) -> list[str]:
    return [m.group(0).lower() for m in _WORD.finditer(text)]


# Acronyms the literature and copy use interchangeably with their long forms.
ACRONYMS = {
    "ptsd": "post-traumatic stress disorder",
    "trd": "treatment-resistant depression",
    "mdd": "major depressive disorder",
    "ocd": "obsessive-compulsive disorder",
    "bdnf": "brain-derived neurotrophic factor",
    "nmda": "n-methyl-d-aspartate",
    "nmdar": "n-methyl-d-aspartate receptor",
    "mtor": "mammalian target of rapamycin",
    "gad": "generalized anxiety disorder",
    "crps": "complex regional pain syndrome",
    "si": "suicidal ideation",
    "iv": "intravenous",
    "bp": "blood pressure",
    "gaba": "gamma-aminobutyric acid",
    "ssri": "selective serotonin reuptake inhibitor",
}
_LONG_FORMS = {v: k for k, v in ACRONYMS.items()}


def content_stems(text: str) -> set[str]:
    """Stems of the content words; hyphenated words count whole and by their parts, and known
    acronyms count with their long forms (and long forms with their acronyms)."""
    out: set[str] = set()
    low = text.lower()
    extra = [long for short, long in ACRONYMS.items() if re.search(rf"\b{short}s?\b", low)]
    extra += [
        short
        for long, short in _LONG_FORMS.items()
        if long in low.replace("posttraumatic", "post-traumatic")
    ]
    if extra:
        text = text + " " + " ".join(extra)
    for t in tokens(text):
        parts = [t, *t.split("-")] if "-" in t else [t]
        out.update(stem(p) for p in parts if p not in STOPWORDS and len(p) > 1)
    return out


_SPLIT = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9])")
_LABEL = re.compile(r"^([A-Z][A-Z /&,-]{1,60}):\s+")


def sentences(text: str) -> Iterator[Span]:
    """Sentences of a stored abstract with character offsets into it.

    Abstract sections are stored one per line as 'LABEL: text'; the label is reported, not
    included in the sentence span.
    """
    pos = 0
    for line in text.split("\n"):
        line_start = pos
        pos += len(line) + 1
        label = None
        offset = 0
        m = _LABEL.match(line)
        if m:
            label = m.group(1).strip()
            offset = m.end()
        body = line[offset:]
        start = 0
        for cut in _SPLIT.finditer(body):
            # only the end can be an abbreviation: look at the tail, never re-copy the sentence
            tail = body[max(start, cut.start() - _ABBREV_TAIL) : cut.start()].rstrip()
            if _ABBREV.search(tail) or _INITIAL.search(tail):
                continue
            candidate = body[start : cut.start()].rstrip()
            if candidate.strip():
                s = line_start + offset + start
                yield Span(s, s + len(candidate), candidate, label)
            start = cut.end()
        tail = body[start:].rstrip()
        if tail.strip():
            s = line_start + offset + start
            yield Span(s, s + len(tail), tail, label)
