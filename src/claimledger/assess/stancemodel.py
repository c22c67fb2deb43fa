"""A small, transparent stance model: hand-built alignment features + multinomial logistic regression.

The features read the task the way a reviewer does: find the abstract sentence that best covers
the claim's terms (preferring conclusions), then compare what the claim asserts with what that
sentence reports: negation, direction of effect (increase/decrease, antonyms), no-effect and
hedging language, numbers the abstract never states. The weights are trained on the SciFact
train split by benchmarks/train_stance.py, which regenerates data/stance_weights.json exactly.
Pure: no I/O except reading the shipped weights once.
"""

from __future__ import annotations

import itertools
import json
import math
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from claimledger.textutil import STOPWORDS, content_stems, tokens

__all__ = ["FEATURES", "LABELS", "ModelStance", "features", "predict", "softmax_scores"]

LABELS = ("SUPPORT", "CONTRADICT", "NEI")
_NEG = re.compile(
    r"\b(not|no|never|none|neither|nor|without|lack(s|ing)?|absence|absent|fail(s|ed)?|cannot|"
    r"unable|unaffected|unchanged|independent of|irrespective|doesn't|don't|didn't|isn't|aren't|"
    r"wasn't|weren't|can't|won't)\b",
    re.I,
)
_NULL = re.compile(
    r"\bno (statistically )?significant|\bnot (statistically )?significant|\bno (difference|effect|"
    r"association|change|correlation|benefit|evidence)|\bsimilar\b|\bcomparable\b|\bunchanged\b|"
    r"\bdid not (differ|change|affect|alter|improve|reduce|increase)|\bnon-?significant",
    re.I,
)
_HEDGE = re.compile(
    r"\b(may|might|could|possibl[ey]|suggest\w*|potential(ly)?|unclear|uncertain)\b", re.I
)
_UP = re.compile(
    r"\b(increas\w*|higher|greater|more|elevat\w*|enhanc\w*|improv\w*|promot\w*|activat\w*|induc\w*|"
    r"up-?regulat\w*|stimulat\w*|rais\w*|gain\w*|accelerat\w*|augment\w*|exacerbat\w*|positive(ly)?)\b",
    re.I,
)
_DOWN = re.compile(
    r"\b(decreas\w*|lower|less|fewer|reduc\w*|inhibit\w*|suppress\w*|down-?regulat\w*|impair\w*|"
    r"attenuat\w*|diminish\w*|block\w*|loss|declin\w*|prevent\w*|protect\w*|negative(ly)?|slow\w*)\b",
    re.I,
)
_ANTONYMS = [
    ("increase", "decrease"),
    ("higher", "lower"),
    ("more", "less"),
    ("greater", "smaller"),
    ("activate", "inhibit"),
    ("promote", "suppress"),
    ("enhance", "impair"),
    ("gain", "loss"),
    ("positive", "negative"),
    ("upregulate", "downregulate"),
    ("high", "low"),
    ("increased", "reduced"),
    ("risk", "protect"),
    ("harmful", "beneficial"),
    ("induce", "prevent"),
    ("faster", "slower"),
    ("improve", "worsen"),
    ("rise", "fall"),
    ("major", "minor"),
    ("common", "rare"),
]
_NUM = re.compile(r"\b\d+(?:[.,]\d+)?\b")

FEATURES = (
    "bias",
    "best_cov",
    "second_cov",
    "doc_cov",
    "title_cov",
    "best_is_late",
    "claim_neg",
    "sent_neg",
    "neg_mismatch",
    "sent_null",
    "claim_null",
    "null_mismatch",
    "dir_match",
    "dir_mismatch",
    "antonym_flip",
    "sent_hedge",
    "num_missing",
    "num_present",
    "claim_len",
    "best_len",
    "exact_bigrams",
    "top3_neg_mismatch",
    "top3_dir_mismatch",
    "top3_flip",
    "top3_null",
    "neg_x_cov",
    "dir_x_cov",
    "flip_x_cov",
    "null_x_cov",
    "missing_terms",
    "cov_sq",
)


def _stems(text: str) -> set[str]:
    return content_stems(text)


def _weight(stem: str) -> float:
    """Rarer-looking words count more: numbers, acronyms and long words carry the claim."""
    if any(ch.isdigit() for ch in stem):
        return 2.0
    return 1.0 + min(len(stem), 12) / 12


def _coverage(claim: set[str], other: set[str]) -> float:
    # sorted: float sums must not depend on set order (hash seeds differ between runs)
    total = sum(_weight(s) for s in sorted(claim)) or 1.0
    return sum(_weight(s) for s in sorted(claim & other)) / total


def _direction(text: str) -> int:
    up, down = len(_UP.findall(text)), len(_DOWN.findall(text))
    return 1 if up > down else -1 if down > up else 0


def _bigrams(text: str) -> set[tuple[str, str]]:
    ws = [w for w in tokens(text) if w not in STOPWORDS]
    return set(itertools.pairwise(ws))


@dataclass(frozen=True)
class ModelStance:
    label: str
    probabilities: dict[str, float]
    anchor: int | None  # index of the sentence the stance rests on


def _flips(claim_lower: str, text_lower: str) -> bool:
    """The claim and the text use opposite words of an antonym pair."""
    return any(
        (re.search(rf"\b{a}", claim_lower) and re.search(rf"\b{b}", text_lower))
        or (re.search(rf"\b{b}", claim_lower) and re.search(rf"\b{a}", text_lower))
        for a, b in _ANTONYMS
    )


def _top3(
    sentences: list[str], covs: list[float], claim_neg: bool, dc: int, cl: str
) -> tuple[float, float, float, float]:
    """Negation, direction, antonym and no-effect mismatches among the three best-covering
    sentences, each weighted by that sentence's coverage of the claim."""
    top3 = sorted(range(len(sentences)), key=lambda i: -covs[i])[:3]
    neg = dirn = flip = null = 0.0
    for i in top3:
        t = sentences[i]
        neg = max(neg, float(claim_neg != bool(_NEG.search(t))) * covs[i])
        dt = _direction(t)
        dirn = max(dirn, float(dc != 0 and dt != 0 and dc != dt) * covs[i])
        flip = max(flip, float(_flips(cl, t.lower())) * covs[i])
        null = max(null, float(bool(_NULL.search(t))) * covs[i])
    return neg, dirn, flip, null


def features(
    claim: str, title: str, sentences: list[str], anchor: int | None = None
) -> tuple[list[float], int | None]:
    """The feature vector of one (claim, abstract) pair and the index of the best sentence.

    ``anchor`` forces the sentence the comparison rests on (benchmarks/stance_ablation.py uses
    it to ask how much a perfect choice of sentence would help).
    """
    cs = _stems(claim)
    covs = [_coverage(cs, _stems(s)) for s in sentences]
    n = len(sentences)
    best = None
    if covs:
        # prefer later (results/conclusion) sentences on near-ties
        best = max(range(n), key=lambda i: covs[i] + (0.03 if i >= n - 3 else 0))
    if anchor is not None and 0 <= anchor < n:
        best = anchor
    ordered = sorted(covs, reverse=True)
    sent = sentences[best] if best is not None else ""
    claim_neg = bool(_NEG.search(claim))
    sent_neg = bool(_NEG.search(sent))
    claim_null = bool(_NULL.search(claim))
    sent_null = bool(_NULL.search(sent))
    dc, ds = _direction(claim), _direction(sent)
    cl = claim.lower()
    sl = sent.lower()
    flip = _flips(cl, sl)
    claim_nums = set(_NUM.findall(claim))
    doc_text = " ".join([title, *sentences])
    doc_nums = set(_NUM.findall(doc_text))
    cb = _bigrams(claim)
    top3_neg, top3_dir, top3_flip, top3_null = _top3(sentences, covs, claim_neg, dc, cl)
    vec = [
        1.0,
        ordered[0] if ordered else 0.0,
        ordered[1] if len(ordered) > 1 else 0.0,
        _coverage(cs, _stems(doc_text)),
        _coverage(cs, _stems(title)),
        1.0 if best is not None and best >= n - 3 else 0.0,
        float(claim_neg),
        float(sent_neg),
        float(claim_neg != sent_neg),
        float(sent_null),
        float(claim_null),
        float(claim_null != sent_null),
        float(dc != 0 and dc == ds),
        float(dc != 0 and ds != 0 and dc != ds),
        float(flip),
        float(bool(_HEDGE.search(sent))),
        float(bool(claim_nums - doc_nums)),
        float(bool(claim_nums & doc_nums)),
        min(len(cs), 30) / 30,
        min(len(_stems(sent)), 60) / 60,
        len(cb & _bigrams(sent)) / (len(cb) or 1),
        top3_neg,
        top3_dir,
        top3_flip,
        top3_null,
    ]
    best_cov = vec[1]
    missing = cs - _stems(doc_text)
    vec += [
        vec[8] * best_cov,
        vec[13] * best_cov,
        vec[14] * best_cov,
        vec[11] * best_cov,
        min(len(missing), 10) / 10,
        best_cov * best_cov,
    ]
    return vec, best


def softmax_scores(weights: list[list[float]], vec: list[float]) -> list[float]:
    z = [sum(w * x for w, x in zip(row, vec, strict=True)) for row in weights]
    m = max(z)
    e = [math.exp(v - m) for v in z]
    s = sum(e)
    return [v / s for v in e]


@cache
def _weights() -> dict[str, object]:
    raw = resources.files("claimledger").joinpath("data/stance_weights.json").read_text()
    data: dict[str, object] = json.loads(raw)
    if data.get("features") != list(FEATURES):
        raise RuntimeError(
            "data/stance_weights.json does not match the feature list; rerun benchmarks/train_stance.py"
        )
    return data


def model_version() -> str:
    return str(_weights()["version"])


def predict(claim: str, title: str, sentences: list[str]) -> ModelStance:
    vec, best = features(claim, title, sentences)
    w = _weights()["weights"]
    assert isinstance(w, list)
    probs = softmax_scores(w, vec)
    label = LABELS[max(range(len(LABELS)), key=lambda i: probs[i])]
    return ModelStance(label, dict(zip(LABELS, probs, strict=True)), best)
