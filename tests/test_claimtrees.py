"""copy/claimtrees.py: the trees' runtime builds the very columns ``page_features`` would (the
same floats, on real dev pages and on every kind of split feature) and its walk gives
claim_trees.evaluate's and LightGBM's scores."""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from claimledger.copy.check import judge_units
from claimledger.copy.claimmodel import claim_model, page_features
from claimledger.copy.claimtrees import TreeModel
from claimledger.copy.documents import read_document
from claimledger.data.embedding import Vector, static_embedding

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import claim_trees as ct  # type: ignore[import-not-found]  # noqa: E402

DEV = ROOT / "benchmarks" / "copy-dev"
FRESH = range(1345, 1455)  # never read here: no rule or test is fitted on them
# dev pages from many writer sets (page numbers), outside FRESH
PAGES = (1, 9, 27, 48, 103, 206, 311, 420, 537, 648, 755, 871, 960, 1042, 1101)
# names page_features never makes (a neighbour's mean of a section feature, a section mean of
# a meaning component, a page mean of a crossed feature, a product of no frame, a meaning
# component past the embedding): the runtime must give them 0 as page_features' rows do
ODD = ("nb:sec:rule", "nb:nothing", "sec:emb:001", "pg:x:heading*effect", "ix:effect*nothing",
       "x:heading*emb:999", "x:body*effect", "sec:nothing")  # fmt: skip


def _dev_pages() -> list[tuple[list[Mapping[str, float]], list[Vector]]]:
    by_number = {
        int(p.name.split("-")[0]): p
        for p in DEV.iterdir()
        if p.name.split("-")[0].isdigit() and p.suffix in (".html", ".md", ".txt")
    }
    out = []
    for n in PAGES:
        assert n not in FRESH
        if (p := by_number.get(n)) is not None:
            d = read_document(p)
            judged, _ = judge_units(d.text, d.kind, d.roles)
            out.append(([j.features for j in judged], [j.vector for j in judged]))
    if len(out) < 5:
        pytest.skip("the dev pages are not here")
    return out


def random_trees(
    names: Sequence[str], trees: int, depth: int, rng: np.random.Generator, zero: bool = True
) -> ct.FlatTrees:
    """Random trees numbered as ``flatten`` numbers LightGBM's (split nodes and leaves in
    pre-order, tree after tree), thresholds drawn around 0 (where most values lie)."""
    flat = ct.FlatTrees(feature=[], threshold=[], left=[], right=[], zero=[], leaf=[], root=[])

    def grow(d: int) -> int:
        if d == depth or (d and rng.random() < 0.2):
            flat["leaf"].append(float(rng.normal()))
            return -len(flat["leaf"])
        k = len(flat["feature"])
        flat["feature"].append(names[int(rng.integers(len(names)))])
        flat["threshold"].append(float(rng.choice([0.0, 1e-36, *rng.normal(0, 0.3, 4)])))
        flat["zero"].append(int(rng.integers(-1, 2)) if zero else 0)
        flat["left"].append(0)
        flat["right"].append(0)
        flat["left"][k] = grow(d + 1)
        flat["right"][k] = grow(d + 1)
        return k

    for _ in range(trees):
        flat["root"].append(grow(0))
    return flat


def _dense(rows: Sequence[Mapping[str, float]], names: Sequence[str]) -> np.ndarray:
    return np.array([[r.get(n, 0.0) for n in names] for r in rows]).reshape(len(rows), len(names))


def _check(
    pages: Sequence[tuple[Sequence[Mapping[str, float]], Sequence[Vector]]],
    names: Sequence[str],
    prior: Mapping[str, float],
    rng: np.random.Generator,
) -> None:
    """Exact columns, and the trees' scores as claim_trees.evaluate gives them, page by page."""
    flat = random_trees(names, 300, 6, rng)
    model = TreeModel.from_json({"lightgbm": "test", "params": {}, "trees": flat})
    assert set(model.names) <= set(names)
    col = {n: i for i, n in enumerate(names)}
    for features, vectors in pages:
        want = _dense(page_features(features, vectors, prior), names)
        got = model.rows(features, vectors, prior)
        mine = want[:, [col[n] for n in model.names]]
        assert np.array_equal(got, mine), [
            model.names[c] for c in np.flatnonzero((got != mine).any(axis=0))
        ]
        expected = ct.evaluate(flat, want, col)
        np.testing.assert_allclose(model.scores(features, vectors, prior), expected, atol=1e-9)


def test_columns_and_scores_equal_page_features_on_real_dev_pages() -> None:
    pages = _dev_pages()
    prior = claim_model().prior
    names = sorted({k for f, v in pages for r in page_features(f, v, prior) for k in r})
    kinds = {n.split(":")[0] for n in names}
    assert {"nb", "sec", "pg", "ix", "x", "emb"} <= kinds  # every kind of column is there
    rng = np.random.default_rng(0)
    # every name, then (the trees' use) a few hundred of them, some twice
    _check(pages, [*names, *ODD], prior, rng)
    few = [str(n) for n in rng.choice(names, 300)]
    _check(pages, list(dict.fromkeys(few)), prior, rng)


def _synthetic_page(rng: np.random.Generator) -> tuple[list[dict[str, float]], list[Vector]]:
    """Made-up units (synthetic: no page's): every role, sections opened by headings and
    questions, claim-content and line-frame features, mates' features."""
    pool = ["effect", "cond", "named", "rule", "hedge", "clause", "digit", "efficacy_word",
            "mood:imperative", "subj:clinic", "cue:percent", "cue:second_person", "question",
            "logistics", "frame:aside", "topic:x", "len:short", "price", "tense:past"]  # fmt: skip
    roles = ["role:heading", "role:item", "role:quote", "role:question", "role:body", ""]
    units = []
    for _ in range(int(rng.integers(1, 12))):
        f = {k: float(rng.choice([1.0, 0.0, 0.5, -2.0])) for k in rng.choice(pool, 8)}
        for r in rng.choice(roles, 2):  # sometimes two roles: the first of CROSSED_ROLES wins
            if r:
                f[str(r)] = 1.0
        units.append(f)
    dim = static_embedding().dim
    vectors = [rng.normal(size=dim).astype(np.float32) for _ in units]
    return units, vectors


def test_synthetic_trees_split_on_every_kind_of_column() -> None:
    """Synthetic: made-up units and trees whose splits read every kind of column."""
    rng = np.random.default_rng(1)
    pages = [_synthetic_page(rng) for _ in range(40)]
    # "topic:x" is no mates' feature: page_features measures the mates against it all the same
    prior = {"effect": 0.3, "role:heading": 0.1, "mood:imperative": 0.05, "frame:aside": 0.02,
             "topic:x": 0.2}  # fmt: skip
    names = sorted({k for f, v in pages for r in page_features(f, v, prior) for k in r})
    _check(pages, [*names, *ODD], prior, rng)
    _check(pages, names, {}, rng)  # no prior: the mates measured against 0


def test_the_runtime_does_not_import_the_claim_model() -> None:
    """claimmodel loads the trees: claimtrees reads the feature names from claimnames."""
    import ast

    import claimledger.copy.claimtrees as ctr

    tree = ast.parse(Path(ctr.__file__).read_text())
    imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    assert "claimledger.copy.claimmodel" not in imported


def test_walk_goes_left_at_or_under_the_threshold_and_zero_its_default_way() -> None:
    # tree 0: a <= 0.5 ? (b <= 1 ? 1.0 : 2.0) : 3.0;  tree 1: a leaf alone, 0.25
    flat: dict[str, Any] = {
        "feature": ["a", "b"],
        "threshold": [0.5, 1.0],
        "left": [1, -1],
        "right": [-3, -2],
        "zero": [0, 0],
        "leaf": [1.0, 2.0, 3.0, 0.25],
        "root": [0, -4],
    }
    x = np.array([[0.5, 1.0], [0.0, 2.0], [0.9, 0.0]])
    assert TreeModel.from_json({"trees": flat}).walk(x).tolist() == [1.25, 2.25, 3.25]
    flat["zero"] = [1, 0]  # a zero read as missing goes right at "a", whatever the comparison
    assert TreeModel.from_json({"trees": flat}).walk(x).tolist() == [1.25, 3.25, 3.25]
    assert TreeModel.from_json({"trees": flat}).walk(np.zeros((0, 2))).tolist() == []


def test_trees_numbered_otherwise_are_refused() -> None:
    flat = {"feature": ["a"], "threshold": [0.0], "left": [-2], "right": [-1], "zero": [0],
            "leaf": [1.0, 2.0], "root": [0]}  # fmt: skip
    with pytest.raises(ValueError, match="left to right"):
        TreeModel.from_json({"trees": flat}).walk(np.zeros((1, 1)))


def test_an_empty_page_scores_nothing() -> None:
    flat = random_trees(["effect", "nb:rule", "sec:rule"], 5, 3, np.random.default_rng(2))
    assert TreeModel.from_json({"trees": flat}).scores([], [], {}).shape == (0,)


@pytest.mark.parametrize("zero_as_missing", [False, True])
def test_lightgbms_trees_on_dev_pages_score_as_lightgbm(zero_as_missing: bool) -> None:
    lgb = pytest.importorskip("lightgbm")
    pages = _dev_pages()
    prior = claim_model().prior
    rows = [page_features(f, v, prior) for f, v in pages]
    names = sorted({k for page in rows for r in page for k in r})
    x = np.vstack([_dense(page, names) for page in rows])
    rng = np.random.default_rng(3)
    y = (x[:, names.index("effect")] + rng.normal(0, 0.5, len(x)) > 0.5).astype(float)
    params = {"objective": "binary", "num_leaves": 15, "min_data_in_leaf": 5, "verbose": -1,
              "num_threads": 1, "deterministic": True, "force_row_wise": True,
              "zero_as_missing": zero_as_missing, "feature_fraction": 0.3, "seed": 7}  # fmt: skip
    booster = lgb.train(params, lgb.Dataset(x, y), num_boost_round=40)
    flat = ct.flatten(booster.dump_model(), names)
    model = TreeModel.from_json({"lightgbm": lgb.__version__, "params": params, "trees": flat})
    got = np.concatenate([model.scores(f, v, prior) for f, v in pages])
    np.testing.assert_allclose(got, booster.predict(x, raw_score=True), atol=1e-9)
