"""The topic model's trees (copy/topicmodel.py, data/topic_trees.json): scored in numpy as
LightGBM scores them, blended with the linear model, refused beside another linear model, and
check works with them and without them."""

from __future__ import annotations

import json
import sys
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from claimledger.copy import check
from claimledger.copy.check import check_text
from claimledger.copy.claimtrees import TreeModel
from claimledger.copy.topicmodel import TopicModel, linear_digest, model_of
from claimledger.data.embedding import static_embedding
from claimledger.library.claims import load_claims

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import train_topic as tt  # type: ignore[import-not-found]  # noqa: E402

LIB = load_claims(ROOT / "claims.yaml")
PAGE = """Ketamine infusions for depression

What to expect

Ketamine infusions can ease depression for some adults when other treatments have not helped.
The effects of the infusion wear off within an hour or two, and most people feel clear-headed by the time they leave.
A nurse stays with you the whole time and checks your blood pressure.
Patients tell us they felt like themselves again after their second visit.
"""


def _shipped() -> dict[str, Any]:
    text = resources.files("claimledger").joinpath("data/topic_model.json").read_text()
    data: dict[str, Any] = json.loads(text)
    return data


def _examples(n: int, topics: list[str], seed: int) -> list[tt.Example]:
    """Examples with random own features (a few per sentence, most absent), meaning vectors,
    headings (some none) and neighbours, whose topic follows some of them."""
    rng = np.random.default_rng(seed)
    dim = static_embedding().dim
    names = ["cue:onset", "cue:safety", "match:onset", "match:safety", "sec:onset", "claim:hedge"]
    out = []
    for i in range(n):
        f = {k: float(rng.random()) for k in names if rng.random() < 0.4}
        v = rng.normal(0, 0.1, dim).astype(np.float32)
        head = np.zeros(dim, np.float32) if i % 3 == 0 else rng.normal(0, 0.1, dim)
        beside = rng.normal(0, 0.1, 2 * dim).astype(np.float32)
        t = int(f.get("cue:onset", 0) > 0.5) + 2 * int(v[3] + beside[dim + 5] > 0)
        ex = tt.Example("w", "", topics[t], None, f, v, {}, {}, False, None, None, False,
                        head.astype(np.float32), beside=beside)  # fmt: skip
        out.append(ex)
    return out


def _inputs(exs: list[tt.Example]) -> tuple[Any, ...]:
    return (
        [e.features for e in exs],
        np.vstack([e.vector for e in exs]),
        np.vstack([e.heading for e in exs]),
        np.vstack([e.beside for e in exs]),
    )


def test_the_trees_score_each_topic_as_lightgbm_does() -> None:
    lgb = pytest.importorskip("lightgbm")
    topics = ["a", "b", "c", "d"]
    exs = _examples(400, topics, 1)
    names = tt._names(exs)
    y = np.array([topics.index(e.topic) for e in exs])
    params = {**tt.TREE_PARAMS, "num_class": 4, "min_data_in_leaf": 5}
    data = lgb.Dataset(tt._matrix(exs, names), y, params={"max_bin": tt.TREE_BIN, "verbose": -1})
    booster = lgb.train(params, data, num_boost_round=20)
    flat = tt.flatten(booster.dump_model(), names)
    trees = TreeModel.from_json({"trees": flat, "classes": 4})
    assert len(trees.names) < len(names)  # the split features only
    linear = tt.train(exs, steps=20)
    model = TopicModel(linear.topics, linear.weights, linear.bias, trees)
    # unseen sentences: the columns the runtime builds from features and vectors are the ones
    # training read (train_topic._matrix), so the walk gives LightGBM's raw scores
    fresh = _examples(60, topics, 2)
    want = booster.predict(tt._matrix(fresh, names), raw_score=True)
    np.testing.assert_allclose(model._tree_scores(*_inputs(fresh)), want, atol=1e-9)
    # the blend: the softmax of the mean of the linear logits and the trees' raw scores
    got = model.page_probabilities(*_inputs(fresh))
    alone = linear.page_probabilities(*_inputs(fresh))
    for p, q, raw in zip(got, alone, want, strict=True):
        z = 0.5 * (np.log([q[t] for t in topics]) + raw)
        expect = np.exp(z - z.max()) / np.exp(z - z.max()).sum()
        np.testing.assert_allclose([p[t] for t in topics], expect, atol=1e-9)
    # one sentence alone reads as it does among the page's
    one = model.probabilities(fresh[0].features, fresh[0].vector, fresh[0].heading, fresh[0].beside)
    assert one == pytest.approx(got[0], abs=1e-12)


def test_one_class_walk_is_unchanged_and_multiclass_needs_walk_classes() -> None:
    # two rounds of two classes: tree k adds to class k % 2; a one-leaf tree to its own class
    flat = {"feature": ["a", "a"], "threshold": [0.5, 0.2], "left": [-1, -3], "right": [-2, -4],
            "zero": [0, 0], "leaf": [1.0, 2.0, 10.0, 20.0, 0.5, 0.25],
            "root": [0, 1, -5, -6]}  # fmt: skip
    x = np.array([[0.1], [0.3], [0.9]])
    two = TreeModel.from_json({"trees": flat, "classes": 2})
    assert two.walk_classes(x).tolist() == [[1.5, 10.25], [1.5, 20.25], [2.5, 20.25]]
    with pytest.raises(ValueError, match="walk_classes"):
        two.walk(x)
    assert TreeModel.from_json({"trees": flat}).walk(x).tolist() == [11.75, 21.75, 22.75]
    with pytest.raises(ValueError, match="classes"):
        TreeModel.from_json({"trees": flat, "classes": 3})


def _leaning(data: dict[str, Any], topic: str, lean: float) -> dict[str, Any]:
    """A trees file for the shipped linear model: one one-leaf tree per topic, ``lean`` for
    ``topic`` and 0 for the rest (every sentence pushed toward it)."""
    topics = data["topics"]
    assert topic in topics
    leaf = [lean if t == topic else 0.0 for t in topics]
    flat = {"feature": [], "threshold": [], "left": [], "right": [], "zero": [], "leaf": leaf,
            "root": [-1 - k for k in range(len(topics))]}  # fmt: skip
    return {"linear": linear_digest(data), "topics": topics, "classes": len(topics), "trees": flat}


def test_check_reads_the_blend_and_works_without_the_trees(monkeypatch: pytest.MonkeyPatch) -> None:
    data = _shipped()

    def findings(model: TopicModel) -> list[tuple[str | None, str | None]]:
        monkeypatch.setattr(check, "topic_model", lambda: model)
        return [(f.topic, f.claim_id) for f in check_text("t", PAGE, LIB, {}).findings]

    alone = findings(model_of(data))  # no trees file: the linear model decides
    assert alone[1] == ("safety-short-term", "dissociation-is-temporary")
    assert alone[-1] == ("depression", None)  # "felt like themselves again": no claim matched
    # trees that add nothing halve the linear logits: the same likeliest topic for every
    # sentence, but flatter probabilities (check's pick cut-offs read them); on this page the
    # findings stay
    assert findings(model_of(data, _leaning(data, "durability", 0.0))) == alone
    # trees that lean hard toward a topic move the unmatched sentence's topic there
    assert findings(model_of(data, _leaning(data, "durability", 60.0)))[-1] == ("durability", None)


def test_trees_beside_another_linear_model_are_refused() -> None:
    data = _shipped()
    stale = _leaning(data, "durability", 1.0)
    stale["linear"] = "0" * 16
    with pytest.raises(ValueError, match="another topic_model"):
        model_of(data, stale)
    few = _leaning(data, "durability", 1.0)
    few["trees"]["leaf"].append(0.0)
    few["trees"]["root"].append(-len(few["trees"]["leaf"]))  # a tree more than a round
    with pytest.raises(ValueError, match="not a round"):
        model_of(data, few)
