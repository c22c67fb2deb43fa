"""Draft claims.yaml entries for claim-like sentences that match no library claim. Pure.

The drafts are starting points for a person: a statement to reword, a guessed topic, kind and
polarity, and a PubMed query built from the intervention and the sentence's distinctive words.
"""

from __future__ import annotations

import re
from typing import Any

from claimledger.library.claims import ClaimsLibrary
from claimledger.library.querysyntax import check_query
from claimledger.textutil import STOPWORDS, tokens

__all__ = ["suggest_claim"]

_TOPIC_CUES = (
    (r"suicid|self-harm", "suicidal-ideation"),
    (r"ptsd|post-traumatic|trauma", "ptsd"),
    (r"\bpain|fibromyalgia|neuropath", "chronic-pain"),
    (r"anxi", "anxiety"),
    (r"\bocd\b|obsessive|bipolar", "other-indications"),
    (r"addict|abuse|misuse|dependen", "dependence"),
    (r"long-term|bladder|urinary|cognitive", "long-term-risk"),
    (r"side effect|nausea|dizz|dissociat|blood pressure|heart rate|safe", "safety-short-term"),
    (r"fda|approv", "regulatory"),
    (r"synthesi|1960s|history|vietnam|patented", "history"),
    (r"nmda|glutamat|receptor|bdnf|mtor|synap|neuro|plasticity|inflamm|brain", "mechanism"),
    (r"session|infusion|minutes|monitor|dose|protocol", "procedure"),
    (r"hours|rapid|quick|fast", "rapid-onset"),
    (r"lasting|sustain|weeks|months", "durability"),
    (r"depress", "depression"),
)
_KIND = {
    "safety-short-term": "safety",
    "long-term-risk": "safety",
    "dependence": "safety",
    "contraindications": "safety",
    "mechanism": "mechanism",
    "regulatory": "regulatory",
    "history": "regulatory",
    "procedure": "procedure",
}
_GENERIC = {
    "ketamine",
    "esketamine",
    "therapy",
    "treatment",
    "patients",
    "individuals",
    "people",
    "also",
    "often",
    "many",
    "help",
    "helps",
    "offers",
    "offering",
    "can",
    "make",
    "makes",
}


def _slug(words: list[str], taken: set[str]) -> str:
    base = "-".join(words[:5]) or "new-claim"
    base = re.sub(r"[^a-z0-9-]+", "", base.lower()).strip("-") or "new-claim"
    base = re.sub(r"-+", "-", base)
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def suggest_claim(sentence: str, document: str, library: ClaimsLibrary) -> dict[str, Any]:
    low = sentence.lower()
    topic = next((t for rx, t in _TOPIC_CUES if re.search(rx, low)), library.topics[0])
    if topic not in library.topics:
        topic = library.topics[0]
    kind = _KIND.get(topic, "efficacy")
    if kind == "safety":
        polarity = (
            "asserts-no-harm"
            if re.search(r"\b(safe|rare|minimal|no |not |mild|temporary|transient)", low)
            else "asserts-harm"
        )
    elif kind == "efficacy":
        polarity = "asserts-benefit"
    else:
        polarity = "asserts-fact"
    words = [
        t
        for t in tokens(sentence)
        if t.isalpha() and t not in STOPWORDS and t not in _GENERIC and len(t) > 3
    ]
    distinctive = sorted(dict.fromkeys(words), key=lambda w: -len(w))[:3]
    drug = (
        "(esketamine[tiab] OR Spravato[tiab])"
        if "esketamine" in low
        else "(Ketamine[mh] OR ketamine[tiab] OR esketamine[tiab])"
    )
    query = " AND ".join([drug, *(f"{w}[tiab]" for w in distinctive)])
    if check_query(query):
        query = drug
    taken = {c.id for c in library.claims}
    return {
        "id": _slug(words, taken),
        "statement": sentence.strip(),
        "topic": topic,
        "kind": kind,
        "polarity": polarity,
        "query": query,
        "variants": [sentence.strip()],
        "sources": [document.rsplit("/", 1)[-1]],
    }
