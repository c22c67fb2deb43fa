"""Claim-likeness as a small learned model over interpretable features. Pure.

Round one decided claim-likeness with hand-tuned rules over cue words written against one
writer's vocabulary. Here those rules' verdicts are only features among others (page role,
treatment mention, topic-cue families, verbs of effect, hedges, wording flags, length), weighed by
a logistic regression trained on the project's labelled dev pages and seed labels
(benchmarks/train_claims.py regenerates data/claim_model.json byte for byte).

Topic cues are one writer's vocabulary; ``shape_features`` adds what kind of statement a sentence
is in generic terms (data/claim_cues.yaml): a third-person subject (the drug, studies, patients),
a verb of effect or finding, clinical nouns, a timeframe; or a call to action, the clinic speaking
for itself, times and places. These hold across writers where topic cues do not.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources

from claimledger.library.lexicon import Caseless, load_lexicon

__all__ = ["ClaimModel", "claim_model", "length_bucket", "shape_features"]


@dataclass(frozen=True)
class ClaimModel:
    """Logistic-regression weights by feature name; a unit is a claim at ``threshold``."""

    weights: Mapping[str, float]
    bias: float
    threshold: float

    def probability(self, features: Mapping[str, float]) -> float:
        w = self.weights
        z = self.bias + math.fsum(w[k] * v for k, v in features.items() if k in w)
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def is_claim(self, features: Mapping[str, float]) -> bool:
        return self.probability(features) >= self.threshold


def length_bucket(n_words: int) -> str:
    """Sentence length as a coarse class: a fragment, short, ordinary or long."""
    for limit, name in ((3, "fragment"), (8, "short"), (25, "ordinary")):
        if n_words <= limit:
            return name
    return "long"


@cache
def claim_model() -> ClaimModel:
    """The shipped model (data/claim_model.json, written by benchmarks/train_claims.py)."""
    raw = resources.files("claimledger").joinpath("data/claim_model.json").read_text()
    data = json.loads(raw)
    return ClaimModel(dict(data["weights"]), float(data["bias"]), float(data["threshold"]))


@cache
def _cues() -> tuple[tuple[str, Caseless, int], ...]:
    data = load_lexicon("claim_cues")
    counted = data.get("counted", {})
    return tuple((k, Caseless(p), int(counted.get(k, 0))) for k, p in data["families"].items())


def shape_features(s: str, question: str = "") -> dict[str, float]:
    """What kind of statement ``s`` (normalised) is, from generic word classes and its shape.
    ``question``: the question it answers, whose words it asserts or denies ("Does insurance
    cover it?" / "Usually not." is about insurance)."""
    out: dict[str, float] = {"answer": 1.0} if question else {}
    s = f"{question} {s}" if question else s
    low = s.lower()
    for name, rx, cap in _cues():
        if cap:
            n = sum(1 for _ in rx.finditer(s))
            if n:
                out[f"cue:{name}"] = min(n, cap) / cap
        elif rx.search_in(s, low):
            out[f"cue:{name}"] = 1.0
    words = [w for w in s.split() if w[:1].isalpha()]
    if len(words) >= 3:  # Title Case Or Proper Names: headlines, nav rows, addresses
        out["capitalised"] = sum(1 for w in words[1:] if w[:1].isupper()) / (len(words) - 1)
    return out
