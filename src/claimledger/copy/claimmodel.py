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

Two signals beyond cues (``meaning_features``, ``with_neighbours``): the sentence's meaning, as
the mean of its tokens' vectors in the shipped static embedding (data/embedding.npz; 128 numbers
whose weights are learnt with the rest), and its neighbours: a line among navigation, contact or
logistics lines is filler more often than the same line among statements about a treatment.
Both were kept because they raised the figure that counts, leaving one WRITER out (an unseen
writer's pages): out-of-fold AUC 0.950 -> 0.960 (benchmarks/train_claims.py --report).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from importlib import resources
from itertools import chain, islice

import numpy as np
import numpy.typing as npt

from claimledger.copy.structure import domain, is_attribution, is_question
from claimledger.data.embedding import Vector, static_embedding
from claimledger.library.lexicon import Caseless, CueIndex, load_lexicon, trigrams

__all__ = [
    "ClaimModel",
    "claim_model",
    "clause_head",
    "grammar_features",
    "length_bucket",
    "meaning_features",
    "meaning_vectors",
    "page_features",
    "shape_features",
]


MEANING = "emb:"  # feature-name prefix of the sentence vector's components
NEIGHBOUR = "nb:"  # prefix of the neighbours' mean features
NEIGHBOURS = 1  # how many units on each side count as neighbours


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

    def page_probabilities(
        self, features: Sequence[Mapping[str, float]], vectors: Sequence[Vector]
    ) -> list[float]:
        """Each unit's probability, as ``probability`` gives it for the unit's features joined
        with its meaning components and its neighbours' means (``page_features``), without
        building those: the model is linear, so a neighbour counts by its own score under the
        "nb:" weights, and a vector by its dot product with the weight vector."""
        w, wn = self.weights, self._neighbour_weights
        own = [math.fsum(w[k] * v for k, v in f.items() if k in w) for f in features]
        nb = [math.fsum(wn[k] * v for k, v in f.items() if k in wn) for f in features]
        if len(vectors):
            v = np.vstack(vectors)
            own = (np.asarray(own) + v @ self._vector(MEANING)).tolist()
            nb = (np.asarray(nb) + v @ self._vector(NEIGHBOUR + MEANING)).tolist()
        out = []
        n = len(features)
        for i in range(n):
            around = [nb[k] for k in _around(i, n)]
            z = self.bias + own[i] + (math.fsum(around) / len(around) if around else 0.0)
            out.append(1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z)))))
        return out

    @cached_property
    def _neighbour_weights(self) -> dict[str, float]:
        """The "nb:" weights by the name of the feature they weigh (made once per model)."""
        n = len(NEIGHBOUR)
        return {k[n:]: v for k, v in self.weights.items() if k.startswith(NEIGHBOUR)}

    def _vector(self, prefix: str) -> npt.NDArray[np.float64]:
        dim = static_embedding().dim
        return np.array([self.weights.get(f"{prefix}{k:03d}", 0.0) for k in range(dim)])


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


@cache
def _cue_index() -> CueIndex:
    return CueIndex([rx for _, rx, _ in _cues()])


def shape_features(s: str, question: str = "") -> dict[str, float]:
    """What kind of statement ``s`` (normalised) is, from generic word classes and its shape.
    ``question``: the question it answers, whose words it asserts or denies ("Does insurance
    cover it?" / "Usually not." is about insurance)."""
    out: dict[str, float] = {"answer": 1.0} if question else {}
    s = f"{question} {s}" if question else s
    low = s.lower()
    cues = _cues()
    for i, _ in _cue_index().matches(s, low, trigrams(low) if len(low) == len(s) else None):
        name, rx, cap = cues[i]
        n = sum(1 for _ in islice(rx.finditer(s), cap)) if cap else 1  # counted: up to cap times
        out[f"cue:{name}"] = n / cap if cap else 1.0
    words = [w for w in s.split() if w[:1].isalpha()]
    if len(words) >= 3:  # Title Case Or Proper Names: headlines, nav rows, addresses
        out["capitalised"] = sum(1 for w in words[1:] if w[:1].isupper()) / (len(words) - 1)
    return out


@dataclass(frozen=True)
class _Grammar:
    adverbial: re.Pattern[str]
    subjects: tuple[tuple[str, re.Pattern[str]], ...]
    imperative: re.Pattern[str]
    obligation: Caseless  # any case (as the others), on the lower-cased text
    business: Caseless


@cache
def _grammar() -> _Grammar:
    data = load_lexicon("claim_cues")
    return _Grammar(
        re.compile(data["opening_adverbial"], re.I),
        tuple((k, re.compile(p, re.I)) for k, p in data["subjects"].items()),
        re.compile(data["mood"]["imperative"], re.I),
        Caseless(data["mood"]["obligation"]),
        Caseless(data["business_section"]),
    )


def clause_head(s: str) -> str:
    """``s`` from the head of its main clause: without an opening adverbial ("At our clinic, we
    ..." -> "we ..."; "In 2014, our founder ..." -> "our founder ...")."""
    g = _grammar()
    for _ in range(2):  # "In 2014, at 34, she ..."
        m = g.adverbial.match(s)
        if not m:
            break
        s = s[m.end() :]
    return s


def grammar_features(
    s: str, intro: str = "", treatment_named: bool = False, heading: str = ""
) -> dict[str, float]:
    """Who the subject of ``s`` (normalised) is and what mood it is in: a treatment's effect,
    risk or status asserted of the treatment, its evidence or its patients is a claim; the
    clinic, its staff or the reader as the subject, or an instruction to the reader, describes
    the business or tells the reader what to do (policy 2, rules 1, 2, 9). ``intro``: the line
    a list item sits under ("Please bring:"), whose mood the item inherits; ``heading``: the
    heading of its section ("Meet Our Team", "Fees & Insurance")."""
    g = _grammar()
    head = clause_head(s.lstrip("\"'*([ ").strip())
    out: dict[str, float] = {}
    subject = next((k for k, rx in g.subjects if rx.match(head)), None)
    if subject is None and treatment_named and _first_words_name_a_treatment(head):
        subject = "treatment"
    if subject:
        out[f"subj:{subject}"] = 1.0
    if g.imperative.match(head) and not is_question(s):
        out["mood:imperative"] = 1.0
    if g.obligation.search(s):
        out["mood:obligation"] = 1.0
    if intro and (g.imperative.match(clause_head(intro)) or "please" in intro.lower()):
        out["mood:intro_imperative"] = 1.0
    if is_attribution(s):  # "— Sam, 52": who said the quotation above
        out["attribution"] = 1.0
    if heading and g.business.found(
        heading
    ):  # kept: a section's units share it  # under "Our Team", "Fees & Insurance"
        out["business_section"] = 1.0
    return out


def _first_words_name_a_treatment(head: str) -> bool:
    first = " ".join(head.split()[:4])
    return bool(domain().treatments_in(first))


def meaning_vectors(texts: Sequence[str]) -> npt.NDArray[np.float32]:
    """Each text's unit-length mean token vector in the shipped static embedding (one row per
    text; zeros for a text with no known token): what a sentence is about and how it is said,
    beyond any cue list. The same as ``static_embedding().encode`` text by text, in one pass."""
    e = static_embedding()
    ids = [e.token_ids(t) if t else [] for t in texts]
    rows = e.rows[np.fromiter(chain.from_iterable(ids), dtype=np.int64)]  # all texts at once
    owner = np.repeat(np.arange(len(texts)), [len(i) for i in ids])
    known = rows >= 0  # a token without a vector adds nothing
    rows, owner = rows[known], owner[known]
    out = np.zeros((len(texts), e.dim), dtype=np.float32)
    filled = np.unique(owner)
    if len(filled):
        counts = np.bincount(owner)[filled]
        starts = np.searchsorted(owner, filled)
        sums = np.add.reduceat(e.vectors[rows], starts)
        means = sums / counts[:, None]
        norms = np.linalg.norm(means, axis=1, keepdims=True)
        out[filled] = np.where(norms > 0, means / np.where(norms > 0, norms, 1.0), means)
    return out


def meaning_features(v: Vector) -> dict[str, float]:
    """A meaning vector as features, one per component ("emb:000" ...), for training."""
    return {f"{MEANING}{k:03d}": x for k, x in enumerate(v.tolist())}


def _around(i: int, n: int) -> range | list[int]:
    """The units within NEIGHBOURS of unit ``i`` on each side, not ``i`` itself."""
    return [k for k in range(max(0, i - NEIGHBOURS), min(n, i + NEIGHBOURS + 1)) if k != i]


def page_features(
    features: Sequence[Mapping[str, float]], vectors: Sequence[Vector]
) -> list[dict[str, float]]:
    """Each unit's features with its meaning components, plus the mean of its neighbours' (those
    within NEIGHBOURS on each side; "nb:" + name): the block of the page it sits in. What the
    model is trained on; ``ClaimModel.page_probabilities`` scores the same without building it."""
    full = [{**f, **meaning_features(v)} for f, v in zip(features, vectors, strict=True)]
    out = []
    for i, f in enumerate(full):
        around = [full[k] for k in _around(i, len(full))]
        total: dict[str, float] = {}
        for g in around:
            for name, v in g.items():
                total[name] = total.get(name, 0.0) + v
        mine = dict(f)
        mine.update((NEIGHBOUR + name, v / len(around)) for name, v in total.items())
        out.append(mine)
    return out
