"""Claim-likeness as a small learned model over interpretable features. Pure.

Round one decided claim-likeness with hand-tuned rules over cue words written against one
writer's vocabulary. Here those rules' verdicts are only features among others (page role,
treatment mention, topic-cue families, verbs of effect, hedges, wording flags, length), weighed by a logistic regression trained on the project's labelled dev pages and seed
labels (benchmarks/train_claims.py regenerates data/claim_model.json byte for byte).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources

__all__ = ["ClaimModel", "claim_model", "length_bucket"]


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
