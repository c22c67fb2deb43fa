"""benchmarks/claim_trees.py's folds and operating points: a writer is never split between
folds, FRESH is a fold of its own, and "at the linear model's found" is the fewest false alarms
that find as many claims."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import claim_trees as ct  # type: ignore[import-not-found]  # noqa: E402
import train_claims as tc  # type: ignore[import-not-found]  # noqa: E402


def _doc(number: int | None, name: str = "dev") -> tc.Doc:
    return tc.Doc(name, 0, number, [], [], [{}])


def test_writers_stay_whole_and_fresh_is_its_own_fold() -> None:
    lo, hi = ct.FRESH  # moves every session, when the held-back sets join dev
    docs = [_doc(n) for n in (1, 2, 15, 16, 25, 35, lo, hi, lo + 15)] + [_doc(None, "seeds")]
    groups = ct.fold_groups(docs, 2)
    assert groups[:2] == [groups[0]] * 2  # pages 1 and 2: one writer set, one fold
    assert groups[2] == groups[3] != groups[0]  # 15-24 dealt to the next fold
    assert groups[6:9] == ["fresh"] * 3
    assert "fresh" not in groups[:6] + groups[9:]
    assert set(groups) == {"fold0", "fold1", "fresh"}


@dataclass
class _Judged:
    reportable: bool = True


def _scored(p: float, y: int, forced: bool = False, reportable: bool = True) -> tc.Scored:
    return tc.Scored(p, y, forced, _doc(1), _Judged(reportable))


def test_at_found_takes_the_most_probable_units_first() -> None:
    part = [
        _scored(0.9, 1),
        _scored(0.8, 0),
        _scored(0.7, 1),
        _scored(0.2, 1, forced=True),  # reported whatever the model says
        _scored(0.99, 1, reportable=False),  # a signature: never reported
        _scored(0.1, 0),
    ]
    assert ct.at_found(part, 1) == (1, 4, 0, 2)  # the forced claim alone
    assert ct.at_found(part, 2) == (2, 4, 0, 2)
    assert ct.at_found(part, 3) == (3, 4, 1, 2)  # the 0.8 filler comes before the 0.7 claim
    assert ct.at_found(part, 4) == (3, 4, 2, 2)  # the signature is never found


def test_numpy_trees_walk_left_at_or_under_the_threshold() -> None:
    # tree 0: a <= 0.5 ? (b <= 1 ? 1.0 : 2.0) : 3.0;  tree 1: a leaf alone, 0.25
    flat: ct.FlatTrees = {
        "feature": ["a", "b"],
        "threshold": [0.5, 1.0],
        "left": [1, -1],
        "right": [-3, -2],
        "zero": [0, 0],
        "leaf": [1.0, 2.0, 3.0, 0.25],
        "root": [0, -4],
    }
    x = np.array([[0.5, 1.0], [0.0, 2.0], [0.9, 0.0]])
    assert ct.evaluate(flat, x, {"a": 0, "b": 1}).tolist() == [1.25, 2.25, 3.25]
    # read as missing, a zero goes the split's default way, not by the comparison
    flat["zero"] = [1, 0]
    assert ct.evaluate(flat, x, {"a": 0, "b": 1}).tolist() == [1.25, 3.25, 3.25]


@pytest.mark.parametrize("zero_as_missing", [False, True])
def test_numpy_trees_give_lightgbms_scores(zero_as_missing: bool) -> None:
    lgb = pytest.importorskip("lightgbm")
    rng = np.random.default_rng(0)
    x = (rng.random((400, 5)) < 0.3).astype(float) * rng.random((400, 5))
    # zeros on one side of the splits, large values on the other (review23 G3's shape)
    y = ((x[:, 0] == 0) | (x[:, 0] > 0.7) | ((x[:, 1] == 0) & (x[:, 3] > 0.5))).astype(float)
    params = {"objective": "binary", "num_leaves": 7, "min_data_in_leaf": 5, "verbose": -1,
              "num_threads": 1, "deterministic": True, "zero_as_missing": zero_as_missing}  # fmt: skip
    booster = lgb.train(params, lgb.Dataset(x, y), num_boost_round=20)
    names = ["a", "b", "c", "d", "e"]
    flat = ct.flatten(booster.dump_model(), names)
    mine = ct.evaluate(flat, x, {n: i for i, n in enumerate(names)})
    assert np.allclose(mine, booster.predict(x, raw_score=True), atol=1e-12)


def test_dense_rows_read_a_missing_feature_as_zero_and_drop_unnamed_ones() -> None:
    m = ct.dense([{"b": 2.0, "z": 9.0}, {}, {"a": -1.0}], {"a": 0, "b": 1})
    assert m.tolist() == [[0.0, 2.0], [0.0, 0.0], [-1.0, 0.0]]


@dataclass
class _Design:
    x: np.ndarray
    y: np.ndarray
    doc: np.ndarray
    names: list[str]


@pytest.mark.parametrize("fold_bins", [True, False])
def test_fold_bins_keep_the_left_out_folds_values_out_of_the_trees(fold_bins: bool) -> None:
    pytest.importorskip("lightgbm")
    rng = np.random.default_rng(1)
    a = rng.random(3000)
    x = np.column_stack([a, np.ones(3000)])  # one feature and the bias column
    y = (a > 0.5).astype(float)
    groups = ["fold0"] * 2000 + ["fold1"] * 1000
    moved = x.copy()  # the left-out fold's other rows crowd the cut: finer bins there
    moved[2500:, 0] = 0.45 + 0.1 * rng.random(500)
    params = {"objective": "binary", "num_leaves": 4, "min_data_in_leaf": 5, "verbose": -1,
              "num_threads": 1, "deterministic": True, "force_row_wise": True}  # fmt: skip
    z = [
        ct.tree_logits(
            _Design(m, y, np.arange(3000), ["a"]), groups, params, 5, fold_bins=fold_bins
        )
        for m in (x, moved)
    ]
    same = np.allclose(z[0][2000:2500], z[1][2000:2500], rtol=0, atol=1e-12)
    # binned on its training rows alone, a fold's trees cannot see the rows they score; binned
    # over every unit, those rows' values move the cuts the trees may split at
    assert same is fold_bins
