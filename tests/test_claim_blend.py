"""The claim model blended with gradient-boosted trees: the runtime blend (copy/treeblend.py,
ClaimModel.page_probabilities), the evaluator's zero-as-missing rule, the blend's threshold rule
and the trees' training determinism (benchmarks/train_claims.py).

The trees here are SYNTHETIC (written for these tests, not trained on any copy)."""

from __future__ import annotations

import math
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from claimledger.copy.claimmodel import (
    ClaimModel,
    TreeModel,
    linear_digest,
    model_of,
    page_features,
)
from claimledger.copy.treeblend import FlatTrees, evaluate

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import train_claims as tc  # type: ignore[import-not-found]  # noqa: E402

# SYNTHETIC trees: tree 0 splits on the unit's own "a" (zero read as missing, going right), then
# on its neighbours' mean "nb:a"; tree 1 on the page-mates' departure "pg:b"
SYNTHETIC: FlatTrees = {
    "feature": ["a", "nb:a", "pg:b"],
    "threshold": [0.5, 0.25, 0.0],
    "left": [1, -1, -4],
    "right": [-3, -2, -5],
    "zero": [1, 0, 0],
    "leaf": [-1.0, 0.5, 2.0, -0.25, 0.75],
    "root": [0, 2],
}


def _page() -> tuple[list[dict[str, float]], list[np.ndarray]]:
    features = [{"a": 1.0, "b": 1.0}, {"a": 0.0}, {"a": 0.3, "b": 1.0}, {"b": 2.0}]
    vectors = [np.full(128, 0.01 * k, dtype=np.float32) for k in range(4)]
    return features, vectors


def test_tree_scores_read_the_page_feature_rows() -> None:
    features, vectors = _page()
    prior = {"b": 0.5}
    rows = page_features(features, vectors, prior)
    names = ["a", "nb:a", "pg:b"]
    x = np.array([[r.get(n, 0.0) for n in names] for r in rows])
    want = evaluate(SYNTHETIC, x, {n: i for i, n in enumerate(names)})
    got = TreeModel.from_json({"trees": SYNTHETIC}).scores(features, vectors, prior)
    assert got.tolist() == want.tolist()
    # unit 1 has a = 0 (missing: right, 2.0); unit 3 lacks "a" altogether (the same)
    assert got[1] - got[3] == pytest.approx(
        evaluate({**SYNTHETIC, "root": [2]}, x[[1]], {n: i for i, n in enumerate(names)})[0]
        - evaluate({**SYNTHETIC, "root": [2]}, x[[3]], {n: i for i, n in enumerate(names)})[0]
    )


def test_zero_reads_as_missing_only_where_the_split_says() -> None:
    flat: FlatTrees = {**SYNTHETIC, "root": [0]}
    col = {"a": 0, "nb:a": 1, "pg:b": 2}
    x = np.array([[0.0, 0.0, 0.0], [1e-40, 0.0, 0.0], [0.4, 0.0, 0.0]])
    # a zero (or under LightGBM's zero threshold) goes right, to leaf 2.0; 0.4 goes left by the
    # comparison, then nb:a = 0 <= 0.25 left again (no zero rule there): -1.0
    assert evaluate(flat, x, col).tolist() == [2.0, 2.0, -1.0]
    flat["zero"] = [0, 0, 0]  # by the comparison: 0 <= 0.5 goes left
    assert evaluate(flat, x, col).tolist() == [-1.0, -1.0, -1.0]


def test_page_probabilities_average_the_linear_and_tree_logits() -> None:
    features, vectors = _page()
    weights = {"a": 1.5, "b": -0.5, "nb:a": 0.25, "pg:b": 0.1}
    linear = ClaimModel(weights, -0.2, 0.5, {"b": 0.5})
    trees = TreeModel.from_json({"trees": SYNTHETIC})
    blended = ClaimModel(weights, -0.2, 0.6, {"b": 0.5}, trees=trees)
    p = linear.page_probabilities(features, vectors)
    score = trees.scores(features, vectors, {"b": 0.5})
    z = [math.log(q / (1 - q)) for q in p]
    want = [1 / (1 + math.exp(-0.5 * (a + b))) for a, b in zip(z, score, strict=True)]
    assert blended.page_probabilities(features, vectors) == pytest.approx(want, abs=1e-12)
    assert blended.page_probabilities([], []) == []
    with pytest.raises(ValueError, match="page_probabilities"):
        blended.is_claim(features[0])


@dataclass
class _Judged:
    reportable: bool = True


def _doc(number: int) -> tc.Doc:
    return tc.Doc("dev", 0, number, [], [], [{}])


def _scored(p: float, y: int, number: int = 1) -> tc.Scored:
    return tc.Scored(p, y, False, _doc(number), _Judged())


def test_blend_threshold_finds_as_many_claims_with_fewer_alarms() -> None:
    # linear: at its own rule's threshold it finds 3 of 4 claims (one filler over them)
    filler = [(0.1, 0)] * 9
    linear = [_scored(p, y) for p, y in [(0.9, 1), (0.7, 1), (0.6, 0), (0.56, 1), (0.05, 1),
                                         *filler]]  # fmt: skip
    found = tc.rates(linear, tc.threshold_for(linear))[0]
    assert found == 0.75
    # the blend ranks the filler lower: the highest threshold finding that share
    blend = [_scored(p, y) for p, y in [(0.95, 1), (0.8, 1), (0.3, 0), (0.62, 1), (0.05, 1),
                                        *filler]]  # fmt: skip
    t = tc.blend_threshold(linear, blend)
    assert tc.rates(blend, t)[0] >= found
    assert tc.rates(blend, round(t + 0.01, 2))[0] < found  # no higher threshold keeps them
    assert t == 0.62


def test_blend_thresholds_per_group_match_the_rule_on_the_other_groups() -> None:
    rng = np.random.default_rng(3)
    numbers = [1, 15, 25, 35]  # four writer sets
    units = [(float(rng.random()), int(rng.random() < 0.5), numbers[k % 4]) for k in range(400)]
    linear = [_scored(p, y, n) for p, y, n in units]
    blend = [_scored(min(1.0, p * (1.2 if y else 0.8)), y, n) for p, y, n in units]
    got = tc.blend_thresholds(linear, blend, tc.writer_of)
    wider = tc.blend_thresholds(linear, blend, tc.writer_of, margin=0.03)
    for w in got:
        lin = [s for s in linear if tc.writer_of(s.doc) != w]
        bl = [s for s in blend if tc.writer_of(s.doc) != w]
        assert got[w] == tc.blend_threshold(lin, bl)
        assert wider[w] == tc.blend_threshold(lin, bl, margin=0.03)
        # a found margin asks for more claims: the threshold never rises, found never falls
        assert wider[w] <= got[w]
        assert tc.rates(bl, wider[w])[0] >= tc.rates(lin, tc.threshold_for(lin))[0] + 0.03 - 1e-12
    assert any(wider[w] < got[w] for w in got)


def test_trees_train_to_the_same_bytes_twice() -> None:
    pytest.importorskip("lightgbm")
    rng = np.random.default_rng(0)
    x = np.hstack([(rng.random((600, 4)) < 0.4) * rng.random((600, 4)), np.ones((600, 1))])
    y = ((x[:, 0] > 0.5) | (x[:, 2] == 0)).astype(float)
    design = tc.Design(x, x[:, :-1] != 0, y, np.arange(600) // 60, ("a", "b", "c", "d"))
    first, second = tc.fit_trees(design), tc.fit_trees(design)
    assert first == second
    assert set(first["all"]["feature"]) <= {"a", "b", "c", "d"}
    folds = tc.fit_trees(design, [f"g{k % 2}" for k in range(10)])
    assert set(folds) == {"g0", "g1"} and folds["g0"] != folds["g1"]


def test_a_trees_file_brings_its_own_threshold_beside_its_own_linear_model() -> None:
    data = {"weights": {"a": 1.0}, "bias": 0.0, "threshold": 0.55, "prior": {"b": 0.5}}
    linear = model_of(data, None, None)
    assert linear.trees is None and linear.threshold == 0.55
    trees = {"linear": linear_digest(data), "threshold": 0.54, "trees": SYNTHETIC}
    blended = model_of(data, None, trees)
    assert blended.threshold == 0.54 and blended.trees is not None
    features, vectors = _page()
    want = TreeModel.from_json({"trees": SYNTHETIC}).scores(features, vectors, {"b": 0.5})
    assert blended.trees.scores(features, vectors, {"b": 0.5}).tolist() == want.tolist()
    assert blended.weights == linear.weights and blended.prior == {"b": 0.5}
    with pytest.raises(ValueError, match="page_probabilities"):
        blended.probability({"a": 1.0})
    # trees left beside a retrained linear model are refused, not blended with it
    retrained = {**data, "weights": {"a": 1.1}}
    with pytest.raises(RuntimeError, match="another claim_model"):
        model_of(retrained, None, trees)
    with pytest.raises(RuntimeError):
        model_of(data, None, {"threshold": 0.54, "trees": SYNTHETIC})  # names no linear model


def test_found_margin_is_the_smallest_that_keeps_every_groups_found() -> None:
    rng = np.random.default_rng(5)
    numbers = [1, 15, 25, 35]  # four writer sets; the blend scores one a little lower
    units = [(float(rng.random()), int(rng.random() < 0.5), numbers[k % 4]) for k in range(4000)]
    linear = [_scored(p, y, n) for p, y, n in units]
    blend = [_scored(p * (0.98 if n == 15 else 1.0), y, n) for p, y, n in units]
    margin, gap = tc.found_margin(linear, blend, tc.writer_of)

    def gaps(m: float) -> list[int]:
        rule = tc.blend_thresholds(linear, blend, tc.writer_of, margin=m)
        out = []
        for w in rule:
            lin = [s for s in linear if tc.writer_of(s.doc) != w]
            mine = [s for s in linear if tc.writer_of(s.doc) == w]
            t = tc.threshold_for(lin)
            want = sum(s.y for s in mine if s.hit(t))
            got = sum(s.y for s in blend if tc.writer_of(s.doc) == w and s.hit(rule[w]))
            out.append(got - want)
        return out

    assert margin is not None and margin > 0  # at margin 0 the set scored lower loses claims
    assert min(gaps(0.0)) < 0
    assert sorted(gap.values()) == sorted(gaps(margin)) and min(gap.values()) >= 0
    below = tc.MARGINS[tc.MARGINS.index(margin) - 1]
    assert min(gaps(below)) < 0  # the smallest such margin
    # scored much lower, that set loses claims at every margin tried: no margin, and its gap
    worse = [_scored(p * (0.95 if n == 15 else 1.0), y, n) for p, y, n in units]
    none, left = tc.found_margin(linear, worse, tc.writer_of)
    assert none is None and left["15-24"] < 0
    # documents that must not lose claims (the seeds) are checked on their own too
    seeds = [_scored(p * (0.97 if n == 25 and p < 0.7 else 1.0), y, n) for p, y, n in units]
    free, _ = tc.found_margin(linear, seeds, tc.writer_of)
    held, seen = tc.found_margin(linear, seeds, tc.writer_of, lambda d: d.number == 25)
    assert "kept" in seen and seen["kept"] >= 0
    assert held is not None and (free is None or held >= free)
    # the gaps at one margin, as the shipped rule reports the seeds (kept, not enforced)
    assert tc.found_gaps(linear, blend, tc.writer_of, margin) == gap
    at = tc.found_gaps(linear, seeds, tc.writer_of, held, lambda d: d.number == 25)
    assert at == seen and "kept" not in tc.found_gaps(linear, seeds, tc.writer_of, held)


def test_own_thresholds_per_group_match_threshold_for_on_the_other_groups() -> None:
    rng = np.random.default_rng(7)
    numbers = [1, 15, 25, 35]
    units = [(float(rng.random()), int(rng.random() < 0.4), numbers[k % 4]) for k in range(600)]
    scored = [_scored(min(1.0, p * (1.4 if y else 0.8)), y, n) for p, y, n in units]
    got = tc.own_thresholds(scored, tc.writer_of)
    assert set(got) == {tc.writer_of(s.doc) for s in scored}
    for w, t in got.items():
        assert t == tc.threshold_for([s for s in scored if tc.writer_of(s.doc) != w])


def test_found_thresholds_hold_a_fixed_share_on_the_other_groups() -> None:
    rng = np.random.default_rng(11)
    numbers = [1, 15, 25, 35]
    units = [(float(rng.random()), int(rng.random() < 0.5), numbers[k % 4]) for k in range(800)]
    scored = [_scored(p, y, n) for p, y, n in units]
    got = tc.found_thresholds(scored, tc.writer_of, 0.8)
    assert set(got) == {"01-14", "15-24", "25-34", "35-44"}
    for w, t in got.items():
        others = [s for s in scored if tc.writer_of(s.doc) != w]
        assert t == tc.threshold_at_found(others, 0.8)
        assert tc.rates(others, t)[0] >= 0.8
        assert tc.rates(others, round(t + 0.01, 2))[0] < 0.8  # the highest that keeps the share
    # a higher share never raises a threshold
    more = tc.found_thresholds(scored, tc.writer_of, 0.85)
    assert all(more[w] <= got[w] for w in got)


def test_shipped_margin_keeps_every_folds_claims_and_only_reports_the_seeds(
    capsys: pytest.CaptureFixture[str],
) -> None:
    rng = np.random.default_rng(5)
    # eight writer sets, then the seeds: dealt round into tree folds, the seeds share fold 0
    writers = [_doc(n) for n in (1, 15, 25, 35, 45, 55, 65, 75)]
    seed = tc.Doc("seeds", 0, None, [], [], [{}])
    docs = [*writers, seed]
    units = [(float(rng.random()), int(rng.random() < 0.5), writers[k % 8]) for k in range(6000)]
    units += [(float(rng.random()), int(rng.random() < 0.5), seed) for _ in range(200)]
    linear = [tc.Scored(p, y, False, d, _Judged()) for p, y, d in units]
    # the blend scores the seeds' claims lower: keeping them asks a wider margin than the folds
    blend = [
        tc.Scored(p * (0.8 if d is seed and y else 1.0), y, False, d, _Judged())
        for p, y, d in units
    ]
    group = tc.tree_fold_of(docs)
    margin = tc.shipped_margin(docs, linear, blend)
    assert margin == tc.found_margin(linear, blend, group)[0]
    assert min(tc.found_gaps(linear, blend, group, margin).values()) >= 0
    kept, _ = tc.found_margin(linear, blend, group, tc.is_seed)
    assert kept is None or kept > margin
    seeds = tc.found_gaps(linear, blend, group, margin, tc.is_seed)["kept"]
    assert seeds < 0  # the seeds lose claims at the shipped margin, and the training says so
    assert f"the seeds' claims found, blend - linear: {seeds}" in capsys.readouterr().err


def test_pooled_folds_deal_writers_in_turn() -> None:
    """--quick --pool N: each writer keeps one fold; neighbouring sets fall in different folds,
    and a writer named twice (its pages in order) is one writer."""
    writers = ["01-14", "01-14", "15-24", "25-34", "35-44", "seeds"]
    folds = tc.pooled_folds(writers, 2)
    assert folds == {"01-14": "fold 0", "15-24": "fold 1", "25-34": "fold 0", "35-44": "fold 1",
                     "seeds": "fold 0"}  # fmt: skip
    assert len(set(tc.pooled_folds(writers, 10).values())) == 5


def _brute_found_threshold(
    scored: list[tc.Scored], fold: Callable[[tc.Doc], str], share: float, how: str
) -> float:
    """found_target_threshold by hand: every FINE_GRID threshold, each fold's share counted."""
    names = sorted({fold(s.doc) for s in scored})
    best: float = tc.FINE_GRID[0]
    for t in tc.FINE_GRID:
        each, hit, pos = [], 0, 0
        for n in names:
            mine = [s for s in scored if fold(s.doc) == n and s.y]
            if not mine:
                continue
            got = sum(1 for s in mine if s.hit(t))
            each.append(got / len(mine))
            hit, pos = hit + got, pos + len(mine)
        value = {"pooled": hit / pos, "median": float(np.median(each)), "worst": min(each)}[how]
        if value >= share - 1e-12:
            best = t
    return best


@pytest.mark.parametrize("how", ["pooled", "median", "worst"])
def test_found_target_threshold_is_the_highest_reaching_the_share(how: str) -> None:
    rng = np.random.default_rng(11)
    numbers = (1, 15, 25, 35, 45)  # five writer sets; the fold: the set itself
    units = [(float(rng.random()), int(rng.random() < 0.4), numbers[k % 5]) for k in range(1000)]
    # the last set's claims score lower: the worst fold asks the lowest threshold
    scored = [_scored(p * (0.7 if n == 45 and y else 1.0), y, n) for p, y, n in units]
    got = tc.found_target_threshold(scored, tc.writer_of, 0.8, how)
    assert got == _brute_found_threshold(scored, tc.writer_of, 0.8, how)
    pooled = tc.found_target_threshold(scored, tc.writer_of, 0.8, "pooled")
    worst = tc.found_target_threshold(scored, tc.writer_of, 0.8, "worst")
    assert worst < pooled  # one weak fold holds the worst-fold threshold down
    # per group: the same rule on the OTHER groups' units (here each group is its own fold)
    per = tc.found_target_thresholds(scored, tc.writer_of, tc.writer_of, 0.8, how)
    assert set(per) == {"01-14", "15-24", "25-34", "35-44", "45-54"}
    for w, t in per.items():
        others = [s for s in scored if tc.writer_of(s.doc) != w]
        assert t == _brute_found_threshold(others, tc.writer_of, 0.8, how)
    # a group inside a bigger fold leaves the fold's other units in (one fold for all here)
    one = tc.found_target_thresholds(scored, tc.writer_of, lambda d: "all", 0.8, how)
    for w, t in one.items():
        others = [s for s in scored if tc.writer_of(s.doc) != w]
        assert t == tc.threshold_at_found(others, 0.8)


def test_tree_folds_never_see_the_left_out_groups_feature_values() -> None:
    """train_claims.fit_trees per group: a fold's trees depend on its training rows only (review
    T5: bins taken over every unit let the left-out group's VALUES shape where trees split)."""
    pytest.importorskip("lightgbm")
    rng = np.random.default_rng(3)
    n, k = 900, 4
    x = np.hstack([rng.normal(size=(n, k)), np.ones((n, 1))])
    y = (x[:, 0] + 0.5 * x[:, 1] + rng.normal(scale=0.5, size=n) > 0).astype(float)
    doc = np.arange(n) // 150  # six documents, two per group
    names = tuple(f"f{i}" for i in range(k))
    groups = ["a", "a", "b", "b", "c", "c"]
    design = tc.Design(x, np.ones((n, k), dtype=bool), y, doc, names)
    before = tc.fit_trees(design, groups)
    moved = x.copy()
    left_out = doc < 2  # group "a"'s rows: new feature values, the same labels
    moved[left_out, :k] = rng.normal(loc=3.0, size=(int(left_out.sum()), k))
    after = tc.fit_trees(tc.Design(moved, design.carried, y, doc, names), groups)
    assert after["a"] == before["a"]
    assert after["b"] != before["b"]  # group "a" trains fold "b": its values do count there


def test_shipped_threshold_is_the_found_target_over_the_tree_folds(
    capsys: pytest.CaptureFixture[str],
) -> None:
    rng = np.random.default_rng(8)
    writers = [_doc(n) for n in (1, 15, 25, 35, 45, 55, 65, 75)]
    seed = tc.Doc("seeds", 0, None, [], [], [{}])
    docs = [*writers, seed]
    units = [(float(rng.random()), int(rng.random() < 0.5), writers[k % 8]) for k in range(4000)]
    units += [(float(rng.random()), int(rng.random() < 0.5), seed) for _ in range(100)]
    linear = [tc.Scored(p, y, False, d, _Judged()) for p, y, d in units]
    blend = [tc.Scored(p * 0.9 + 0.1 * y, y, False, d, _Judged()) for p, y, d in units]
    got = tc.shipped_threshold(docs, linear, blend)
    group = tc.tree_fold_of(docs)
    assert got == tc.found_target_threshold(blend, group, tc.FOUND_SHARE, tc.FOUND_HOW)
    assert tc.rates(blend, got)[0] >= tc.FOUND_SHARE  # pooled: the share over every unit
    assert tc.rates(blend, round(got + 0.01, 2))[0] < tc.FOUND_SHARE
    assert f"blend threshold {got}" in capsys.readouterr().err


def test_shipped_threshold_refuses_a_share_no_threshold_reaches() -> None:
    """Claims the checker never reports (a References entry ...) can put FOUND_SHARE out of
    reach: the training stops rather than ship a threshold that reports nearly every unit."""
    docs = [_doc(1), _doc(15)]
    units = [(0.9, 1, docs[0])] * 10 + [(0.05, 1, docs[1])] * 10 + [(0.2, 0, docs[1])] * 10
    scored = [tc.Scored(p, y, False, d, _Judged(reportable=p > 0.5)) for p, y, d in units]
    with pytest.raises(SystemExit, match="no threshold"):
        tc.shipped_threshold(docs, scored, scored)
