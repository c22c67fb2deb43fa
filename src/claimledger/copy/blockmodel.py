"""What a block of the page is for, learnt from whole blocks. Pure.

A line's own cues cannot tell an eligibility list, an intake form, a fee table or a review of
the staff from the claims that sit beside them: most blocks that hold false alarms hold more
claims than filler (fa17's error analysis: process sections 422 claims to 227 filler, quotations
988 to 343). A block (a section: a heading or question and the lines under it, as
``block_sections`` cuts the page, for the claim model's section-mates too) is read here as a whole, from the mean of its lines'
classes and meaning and from its heading, by a logistic regression trained on the share of its
labelled lines that are claims (benchmarks/train_claims.py writes data/block_model.json). The
claim model then reads the block's predicted claim share, by the line's role, as a feature
("bf:item" ...): out of fold when it is trained, so it never reads its own labels back.
Not read by the shipped claim model: leaving one writer out it was noise-level (session 17;
train_claims.BLOCK_FUNCTION), kept so the next attempt starts from a measured baseline.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np

from claimledger.data.embedding import Vector

__all__ = [
    "BLOCK_FN",
    "BlockModel",
    "apart",
    "block_inputs",
    "block_model",
    "block_sections",
    "function_features",
]

BLOCK_FN = "bf:"  # prefix of the features the claim model reads: the block's claim share by role
# What a block's mean and its heading are read on: a line's role, subject, mood, cue families
# and verdicts (the claim model's MATES), not its topics
READ = (
    "rule", "role:", "subj:", "subject:", "mood:", "cue:", "effect", "cond", "efficacy_word",
    "hedge", "clause", "question", "named", "logistics", "furniture_words", "business_section",
    "overstated_claim", "capitalised", "digit", "answer", "context", "intro_context",
    "reference", "attribution", "in_progress", "no_lower", "price", "table_row", "frag:",
    "tense:", "narr:", "line:", "blk:", "head:",
)  # fmt: skip
LIMIT = 4.0  # the block's log-odds, clipped: no block is certain


def block_sections(features: Sequence[Mapping[str, float]]) -> list[int]:
    """Each unit's block: a new one opens at every heading and question (which belongs to it);
    the same cut as the claim model's section-mates."""
    out, k = [], 0
    for f in features:
        if f.get("role:heading") or f.get("role:question"):
            k += 1
        out.append(k)
    return out


def block_inputs(
    features: Sequence[Mapping[str, float]], vectors: Sequence[Vector]
) -> tuple[list[dict[str, float]], list[int]]:
    """One input row per block of the page (what the block model reads) and each unit's block
    index: the mean of its lines' READ features ("m:") and meaning ("v:"), its heading's own
    ("h:", "hv:"; "h:none" when it has none) and its size."""
    groups = block_sections(features)
    order = list(dict.fromkeys(groups))
    where = {g: i for i, g in enumerate(order)}
    members: list[list[int]] = [[] for _ in order]
    for i, g in enumerate(groups):
        members[where[g]].append(i)
    rows = []
    for idx in members:
        row: dict[str, float] = {"size": math.log1p(len(idx))}
        for i in idx:
            for k, v in features[i].items():
                if v and k.startswith(READ):
                    row["m:" + k] = row.get("m:" + k, 0.0) + v / len(idx)
        if len(vectors):
            mean = np.mean(np.vstack([vectors[i] for i in idx]), axis=0)
            row.update((f"v:{k:03d}", float(x)) for k, x in enumerate(mean.tolist()))
        first = features[idx[0]]
        if first.get("role:heading") or first.get("role:question"):
            row.update(("h:" + k, v) for k, v in first.items() if v and k.startswith(READ))
            if len(vectors):
                head = vectors[idx[0]].tolist()
                row.update((f"hv:{k:03d}", float(x)) for k, x in enumerate(head))
        else:
            row["h:none"] = 1.0
        rows.append(row)
    return rows, [where[g] for g in groups]


@dataclass(frozen=True)
class BlockModel:
    """Logistic-regression weights over ``block_inputs``: a block's log-odds of a claim."""

    weights: Mapping[str, float]
    bias: float

    def log_odds(self, row: Mapping[str, float]) -> float:
        w = self.weights
        z = self.bias + math.fsum(w[k] * v for k, v in row.items() if k in w)
        return max(-LIMIT, min(LIMIT, z))

    def page_features(
        self, features: Sequence[Mapping[str, float]], vectors: Sequence[Vector]
    ) -> list[dict[str, float]]:
        """Each unit's block-function features (``function_features``), its block read
        without it (``apart``)."""
        rows, block = block_inputs(features, vectors)
        size = [block.count(b) for b in range(len(rows))]
        return [
            function_features(f, self.log_odds(apart(rows[b], size[b], f, vectors, i)))
            for i, (f, b) in enumerate(zip(features, block, strict=True))
        ]


def apart(
    row: Mapping[str, float],
    n: int,
    f: Mapping[str, float],
    vectors: Sequence[Vector],
    i: int,
) -> dict[str, float]:
    """A block's inputs read without unit ``i`` (features ``f``) among its ``n`` lines: the
    unit's own classes are the claim model's already, so its block is its mates and heading.
    (Leaving one writer out, 734 documents: at 0.55 found 13484 -> 13483 of 14743 and false
    alarms 1168 -> 1156 of 19909 against the block with the line in it.)"""
    out = {k: v for k, v in row.items() if not k.startswith(("m:", "v:", "size"))}
    if n < 2:
        return out
    out["size"] = math.log1p(n - 1)
    for k, v in row.items():
        if k.startswith("m:"):
            out[k] = (v * n - f.get(k[2:], 0.0)) / (n - 1)
    if len(vectors):
        for d, x in enumerate(vectors[i].tolist()):
            out[f"v:{d:03d}"] = (row.get(f"v:{d:03d}", 0.0) * n - x) / (n - 1)
    return out


def function_features(f: Mapping[str, float], odds: float) -> dict[str, float]:
    """What the claim model reads of a unit's block: its log-odds of a claim, alone and in the
    unit's role (a review block's quotation, a form's item, a schedule's body line). (Crossed
    also with the line's subject, mood and effect words it was no better: leaving one writer
    out, found +18 and false alarms +18 of 19,909 at 0.55.)"""
    role = next((k.removeprefix("role:") for k, v in f.items() if v and k.startswith("role:")), "")
    out = {f"{BLOCK_FN}all": odds}
    if role:
        out[f"{BLOCK_FN}{role}"] = odds
    return out


@cache
def block_model() -> BlockModel | None:
    """The shipped block model (data/block_model.json, written by benchmarks/train_claims.py),
    or None when there is none."""
    path = resources.files("claimledger").joinpath("data/block_model.json")
    if not path.is_file():
        return None
    data = json.loads(path.read_text())
    return BlockModel(dict(data["weights"]), float(data["bias"]))
