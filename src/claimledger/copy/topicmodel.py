"""Which library topic a claim about the product is about: a small learned model. Pure.

The topic cue lists (data/copy.yaml) are one set of writers' words; a sentence on an unseen page
often carries no cue, or a cue of the wrong topic ("the effects fade within an hour or two" is
about short-term safety, not onset). A reviewer reads the sentence's meaning, the section it sits
in and what the library's claims say. This model reads the same, all of it computed by check
already:

- the topic cues' weights and the strongest one (cues still count: they are the best single
  signal);
- the topic of the heading or question the sentence sits under, the page's condition, and the
  strongest topic cue of the sentences just before and after it (a paragraph keeps to a topic);
- the wording categories its flags name (playing a risk down is about safety);
- the claim model's view of it (role, subject, mood, generic statement shapes);
- how well each topic's library claims match it (the matcher's scores, best per topic), and how
  close its meaning vector is to each topic's claim texts (claims.yaml's own words);
- the topic phrasings it uses (data/copy.yaml topic_hints: "It's still gone", "I went back to
  teaching", "by the third infusion", "is indicated for adults with"): a reviewer reads these
  as the point where no cue names it, and an unmatched claim otherwise goes to the page's
  condition; and those its heading or question uses ("Will it last?", "Is it approved?");
- what its page is about: the share of the page's sentences whose strongest cue is each topic
  (a page of warnings, or of a medicine's label and rules, tells the topic of its lines whose
  own words name none);
- its meaning vector (data/embedding.npz), weighed per topic;
- the meaning vector of the heading or question it sits under: a section tells its sentences'
  topic ("What to expect on the day", "Will it last?") even when its heading carries no topic
  cue of its own (leaving one writer out, it raised right topic on 11 writer sets, lowered it
  on 9, net +18 of 4,199; see benchmarks/train_topic.py);
- the meaning vectors of the units just before and after it: a patient's story or an answer
  keeps to its topic over several short lines ("It's been eight months." / "It's still gone.")
  whose words alone tell little (see benchmarks/train_topic.py NEIGHBOURS).

It is a multinomial logistic regression (data/topic_model.json, written by
benchmarks/train_topic.py, which measures it leaving one writer out), blended, when
data/topic_trees.json is shipped, with gradient-boosted trees on the same inputs (a topic is
often an interaction: "a cue of onset, but under a safety heading, and the matcher's best safety
claim close"): each topic's logit is the mean of the linear logit and the trees' raw score
(softmax of the two log-probabilities averaged; benchmarks/topic_trees.py measured it, leaving
writer groups out). The trees are scored in numpy (copy/claimtrees.py TreeModel, multiclass);
without the file the linear model decides alone. Its likeliest topic names
the topic of a sentence that matches no claim, and overrules a matched claim of a much less
likely topic (copy/check.py ClaimMatcher.pick). Besides the library's topics it may have the
class `other-treatment` (train_topic.py OTHER_CLASS): a sentence about another treatment that
names none ("The tablets took the edge off everything") reads to the checker as about the
product, and the model can still tell; the library has no claim of it, so none is matched.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from importlib import resources
from typing import Any

import numpy as np
import numpy.typing as npt

from claimledger.copy.claimmodel import MEANING, meaning_vectors
from claimledger.copy.claimtrees import TreeModel
from claimledger.data.embedding import Vector, static_embedding

__all__ = [
    "BESIDE",
    "HEADING",
    "TopicModel",
    "TopicReader",
    "linear_digest",
    "model_of",
    "topic_features",
    "topic_model",
]

CUE = "cue:"  # feature-name prefixes: a topic's cue weight
BEST = "best:"  # the sentence's strongest cue topic
# its section's topic, the page's condition, the strongest cue before it and after it
PLACE = ("sec:", "page:", "prev:", "next:")
FLAG = "flag:"  # a wording flag's code
MATCH = "match:"  # the best matcher score among a topic's claims
NEAR = "near:"  # the closest claim text of a topic, by meaning
HINT = "hint:"  # a topic's phrasing (data/copy.yaml topic_hints) the sentence uses
HEAD_HINT = (
    "headhint:"  # a topic's phrasing its heading or question uses ("How long does it last?")
)
ABOUT = "about:"  # the share of the page's sentences whose strongest cue is a topic
CLAIM = "claim:"  # what the claim model read of it
# the claim model's features this model reads: what kind of unit it is and what it says in
# generic terms, not its layout or length
HEADING = "head:"  # feature-name prefix of the heading's meaning vector ("head:000" ...)
# feature-name prefixes of the meaning vectors of the units just before and just after it
BESIDE = ("before:", "after:")
FROM_CLAIM = ("role:", "subject:", "subj:", "mood:", "cue:", "named", "context", "hedge", "digit")


_claim_names: dict[str, str] = {}  # a claim-model feature's name here ("" when not read)


def topic_features(
    scores: Mapping[str, float],
    flags: Sequence[str],
    place: tuple[str | None, str | None, str | None, str | None],
    claim_features: Mapping[str, float],
    matched: Mapping[str, float],
    near: Mapping[str, float],
    hints: Sequence[str] = (),
    subjects: Mapping[str, float] | None = None,
    heading_hints: Sequence[str] = (),
) -> dict[str, float]:
    """What the model reads of one sentence (everything but its meaning vector): ``scores`` its
    topic cue weights, ``flags`` its wording flags' codes, ``place`` the topics of its section,
    its page's condition and the strongest cues of the units before and after it,
    ``claim_features`` copy/check.py unit_features, ``matched`` the best matcher score per
    topic, ``near`` the closest claim text's cosine per topic, ``hints`` the topics whose
    phrasings it uses (copy/topic.py topic_hints), ``subjects`` what its page is about (the
    share of the page's sentences whose strongest cue is each topic), ``heading_hints`` the
    topics whose phrasings its heading or question uses."""
    f: dict[str, float] = {}
    for t, w in scores.items():
        f[CUE + t] = min(w, 4.0) / 4
    if scores:
        best = max(scores, key=lambda t: scores[t])
        if scores[best] >= 1:
            f[BEST + best] = 1.0
    for prefix, where in zip(PLACE, place, strict=True):
        if where:
            f[prefix + where] = 1.0
    for code in flags:
        f[FLAG + code] = 1.0
    named = _claim_names
    for k, x in claim_features.items():
        name = named.get(k)
        if name is None:
            name = named[k] = CLAIM + k if k.startswith(FROM_CLAIM) else ""
        if x and name:
            f[name] = x
    for t, s in matched.items():
        f[MATCH + t] = min(s, 1.0)
    for t, c in near.items():
        f[NEAR + t] = max(c, 0.0)
    for t in hints:
        f[HINT + t] = 1.0
    for t in heading_hints:
        f[HEAD_HINT + t] = 1.0
    for t, share in (subjects or {}).items():
        f[ABOUT + t] = share
    return f


@dataclass(frozen=True)
class TopicModel:
    """Multinomial logistic-regression weights: per feature name, one weight per topic in
    ``topics`` ("emb:000" ... weigh the meaning vector, "head:000" ... the heading's,
    "before:000" ... and "after:000" ... its neighbours')."""

    topics: tuple[str, ...]
    weights: Mapping[str, Sequence[float]]
    bias: Sequence[float]
    # the trees blended in (data/topic_trees.json; a class per topic, in ``topics`` order)
    trees: TreeModel | None = None

    def probabilities(
        self,
        features: Mapping[str, float],
        vector: Vector,
        heading: Vector | None = None,
        beside: Vector | None = None,
    ) -> dict[str, float]:
        """Each topic's probability for a sentence with these features and meaning vector (and
        its heading's meaning vector, None: no heading; and its neighbours', side by side)."""
        head = None if heading is None else heading[None, :]
        near = None if beside is None else beside[None, :]
        return self.page_probabilities([features], vector[None, :], head, near)[0]

    def page_probabilities(
        self,
        features: Sequence[Mapping[str, float]],
        vectors: npt.NDArray[np.float32],
        headings: npt.NDArray[np.float32] | None = None,
        beside: npt.NDArray[np.float32] | None = None,
    ) -> list[dict[str, float]]:
        """``probabilities`` for several sentences at once (one row of ``vectors`` each, and of
        ``headings``: their headings' meaning vectors, a zero row for none; and of ``beside``:
        the meaning vectors of the units before and after each, side by side, a zero half at
        the page's start or end)."""
        col = self._columns
        rows: list[int] = []
        cols: list[int] = []
        vals: list[float] = []
        for r, f in enumerate(features):
            for k, v in f.items():
                i = col.get(k)
                if i is not None:
                    rows.append(r)
                    cols.append(i)
                    vals.append(v)
        x = np.zeros((len(features), len(col)))
        x[rows, cols] = vals
        z = _product(x, self._dense) + _product(vectors.astype(np.float64), self._meaning)
        if headings is not None and self._heading is not None:
            z += _product(headings.astype(np.float64), self._heading)
        if beside is not None and self._beside is not None:
            z += _product(beside.astype(np.float64), self._beside)
        z += self._bias
        if self.trees is not None and len(features):
            z = 0.5 * (z + self._tree_scores(features, vectors, headings, beside))
        z -= z.max(axis=1, keepdims=True)
        e = np.exp(z)
        p = e / e.sum(axis=1, keepdims=True)
        return [dict(zip(self.topics, row, strict=True)) for row in p.tolist()]

    def _tree_scores(
        self,
        features: Sequence[Mapping[str, float]],
        vectors: npt.NDArray[np.float32],
        headings: npt.NDArray[np.float32] | None,
        beside: npt.NDArray[np.float32] | None,
    ) -> npt.NDArray[np.float64]:
        """The trees' raw score of each topic (a column each) for these sentences: only the
        columns the trees split on are built, with the values training read
        (train_topic._matrix: a feature a sentence lacks reads 0)."""
        assert self.trees is not None
        own, arrays = self._tree_plan
        t = np.zeros((len(features), len(self.trees.names)))
        for r, f in enumerate(features):
            for k, v in f.items():
                if (i := own.get(k)) is not None:
                    t[r, i] = v
        for (out, src), a in zip(arrays, (vectors, headings, beside), strict=True):
            if a is not None and len(out):
                t[:, out] = a[:, src]
        return self.trees.walk_classes(t)

    @cached_property
    def _tree_plan(
        self,
    ) -> tuple[dict[str, int], tuple[tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]], ...]]:
        """Where each tree column comes from: the own features' columns by name, and (tree
        columns, components) of the meaning vector, the heading's and the neighbours' (before's
        components, then after's)."""
        assert self.trees is not None
        dim = static_embedding().dim
        own: dict[str, int] = {}
        arrays: list[tuple[list[int], list[int]]] = [([], []), ([], []), ([], [])]
        for i, name in enumerate(self.trees.names):
            for which, prefix, offset in (
                (0, MEANING, 0),
                (1, HEADING, 0),
                (2, BESIDE[0], 0),
                (2, BESIDE[1], dim),
            ):
                k = name[len(prefix) :]
                if name.startswith(prefix) and k.isdigit() and int(k) < dim:
                    arrays[which][0].append(i)
                    arrays[which][1].append(offset + int(k))
                    break
            else:
                own[name] = i
        return own, tuple(
            (np.array(o, dtype=np.int64), np.array(c, dtype=np.int64)) for o, c in arrays
        )

    @cached_property
    def _columns(self) -> dict[str, int]:
        names = sorted(k for k in self.weights if not k.startswith((MEANING, HEADING, *BESIDE)))
        return {k: i for i, k in enumerate(names)}

    @cached_property
    def _dense(self) -> npt.NDArray[np.float64]:
        rows = [self.weights[k] for k in self._columns]
        return np.array(rows, dtype=np.float64).reshape(len(rows), len(self.topics))

    @cached_property
    def _bias(self) -> npt.NDArray[np.float64]:
        return np.asarray(self.bias, dtype=np.float64)

    @cached_property
    def _meaning(self) -> npt.NDArray[np.float64]:
        dim = static_embedding().dim
        zero = [0.0] * len(self.topics)
        return np.array([self.weights.get(f"{MEANING}{k:03d}", zero) for k in range(dim)])

    @cached_property
    def _heading(self) -> npt.NDArray[np.float64] | None:
        """The heading meaning's weights (None for a model trained without them)."""
        if not any(k.startswith(HEADING) for k in self.weights):
            return None
        dim = static_embedding().dim
        zero = [0.0] * len(self.topics)
        return np.array([self.weights.get(f"{HEADING}{k:03d}", zero) for k in range(dim)])

    @cached_property
    def _beside(self) -> npt.NDArray[np.float64] | None:
        """The neighbours' meaning weights, the unit before's rows then the unit after's (None
        for a model trained without them)."""
        if not any(k.startswith(BESIDE) for k in self.weights):
            return None
        dim = static_embedding().dim
        zero = [0.0] * len(self.topics)
        return np.array([self.weights.get(f"{p}{k:03d}", zero) for p in BESIDE for k in range(dim)])


def _product(a: npt.NDArray[Any], b: npt.NDArray[Any]) -> npt.NDArray[Any]:
    """``a @ b`` in numpy's own loop, not BLAS: for a page's few hundred rows, BLAS threads
    cost more CPU time waiting for each other than the product itself (several times more on a
    busy machine)."""
    out: npt.NDArray[Any] = np.einsum("ij,jk->ik", a, b)
    return out


@cache
def topic_model() -> TopicModel | None:
    """The shipped model (data/topic_model.json, written by benchmarks/train_topic.py), blended
    with the trees of data/topic_trees.json when that file is shipped; None when no model is
    shipped."""
    f = resources.files("claimledger").joinpath("data/topic_model.json")
    if not f.is_file():
        return None
    shipped = resources.files("claimledger").joinpath("data/topic_trees.json")
    trees = json.loads(shipped.read_text()) if shipped.is_file() else None
    return model_of(json.loads(f.read_text()), trees)


def linear_digest(data: Mapping[str, Any]) -> str:
    """A digest of a topic model file's topics, weights and bias: the trees file names the
    linear model it was trained beside (a stale trees file is refused, not blended)."""
    keys = (data["topics"], data["bias"], dict(sorted(data["weights"].items())))
    return hashlib.sha256(json.dumps(keys).encode()).hexdigest()[:16]


def model_of(data: Mapping[str, Any], trees: Mapping[str, Any] | None = None) -> TopicModel:
    """A topic model from its file's contents, blended with the trees file's when given
    (refused unless trained beside this very linear model, one class per topic in order)."""
    topics = tuple(data["topics"])
    model = None
    if trees is not None:
        if trees.get("linear") != linear_digest(data) or tuple(trees["topics"]) != topics:
            raise ValueError(
                "data/topic_trees.json was trained beside another topic_model.json: retrain both "
                "(benchmarks/train_topic.py) or delete the trees file"
            )
        model = TreeModel.from_json(trees)
        if model.classes != len(topics):
            raise ValueError(f"topic trees: {model.classes} classes for {len(topics)} topics")
    return TopicModel(
        topics,
        {k: tuple(v) for k, v in data["weights"].items()},
        tuple(data["bias"]),
        model,
    )


class TopicReader:
    """The library's claim texts by meaning, by topic: how close a sentence comes to each topic's
    own wording in claims.yaml (statements and variants)."""

    def __init__(self, texts: Sequence[tuple[str, str]]) -> None:
        """``texts``: (topic, text) for every statement and variant of the library."""
        ordered = sorted(texts)  # grouped by topic
        self.topics = tuple(sorted({t for t, _ in ordered}))
        self._vectors = np.ascontiguousarray(meaning_vectors([x for _, x in ordered]).T)
        owners = [t for t, _ in ordered]
        self._starts = np.array([owners.index(t) for t in self.topics], dtype=np.int64)

    def near(self, vectors: npt.NDArray[np.float32]) -> list[dict[str, float]]:
        """For each sentence (a row of ``vectors``), each topic's closest claim text: the
        cosine (vectors are unit length; a sentence with no known word gets none)."""
        if not len(self._starts) or not len(vectors):
            return [{} for _ in range(len(vectors))]
        cos = _product(vectors, self._vectors)  # float32, as the vectors are stored
        best = np.maximum.reduceat(cos, self._starts, axis=1).astype(np.float64).round(4)
        known = [bool(k) for k in np.any(vectors, axis=1).tolist()]
        return [
            dict(zip(self.topics, row, strict=True)) if k else {}
            for row, k in zip(best.tolist(), known, strict=True)
        ]


def likeliest(p: Mapping[str, float]) -> tuple[str, float] | None:
    """The most probable topic and its probability."""
    if not p:
        return None
    t = max(sorted(p), key=lambda k: p[k])
    return t, p[t]
