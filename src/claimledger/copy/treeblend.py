"""The claim model's gradient-boosted trees at runtime, the plain way. Pure; no lightgbm.

benchmarks/train_claims.py fits LightGBM trees on the linear claim model's own feature rows
(``page_features``: the unit's features, its meaning, its neighbours' means, its section's and
page's departures from the average unit) and writes them to data/claim_trees.json as flat node
tables (``FlatTrees``, split features by NAME). ``ClaimModel.page_probabilities`` blends them
with the linear model: logit = 0.5 (linear logit + the trees' raw score); blended, false alarms
fell at equal claims found on writers the trees never saw (benchmarks/claim_trees.py).

The file's tables and their plain numpy walk on full ``page_features`` rows (``dense``,
``evaluate``: exact, slow; what training and the benchmarks read) live here, and nothing here
imports the claim model. At runtime copy/claimtrees.py's TreeModel scores a page the same way,
building only the columns the trees split on.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, TypedDict

import numpy as np
import numpy.typing as npt

__all__ = ["ZERO", "FlatTrees", "dense", "evaluate", "flatten"]

# LightGBM reads a value this close to 0 as zero (kZeroThreshold)
ZERO = 1e-35


class FlatTrees(TypedDict):
    """Trees as flat node tables (``flatten``): per split node its feature name, threshold,
    children (a leaf ``k`` as ``-1 - k``) and where a zero goes when LightGBM reads zero as
    missing (``zero``: 0 by the comparison, -1 left, 1 right); the leaf values; each tree's
    root (a one-leaf tree's root is that leaf)."""

    feature: list[str]
    threshold: list[float]
    left: list[int]
    right: list[int]
    zero: list[int]
    leaf: list[float]
    root: list[int]


def flatten(model: Mapping[str, Any], names: Sequence[str]) -> FlatTrees:
    """A LightGBM model (``Booster.dump_model()``) as flat node tables, what a numpy evaluator
    (``evaluate``) reads: the form the shipped model takes (JSON, no lightgbm at runtime).
    A split goes left when the value is at most the threshold; in a split that reads zero as
    missing (missing_type "Zero") a zero goes its default_left way instead. Splits on NaN or on
    categories are refused (the unit features have neither)."""
    flat = FlatTrees(feature=[], threshold=[], left=[], right=[], zero=[], leaf=[], root=[])

    def walk(n: Mapping[str, Any]) -> int:
        if "leaf_value" in n:
            flat["leaf"].append(float(n["leaf_value"]))
            return -len(flat["leaf"])
        missing = n.get("missing_type", "None")
        if n["decision_type"] != "<=" or missing not in ("None", "Zero"):
            raise ValueError(f"unsupported split {n['decision_type']} {missing}")
        k = len(flat["feature"])
        flat["feature"].append(names[int(n["split_feature"])])
        flat["threshold"].append(float(n["threshold"]))
        flat["zero"].append(0 if missing == "None" else (-1 if n["default_left"] else 1))
        flat["left"].append(0)
        flat["right"].append(0)
        flat["left"][k] = walk(n["left_child"])
        flat["right"][k] = walk(n["right_child"])
        return k

    for tree in model["tree_info"]:
        flat["root"].append(walk(tree["tree_structure"]))
    return flat


def dense(rows: Sequence[Mapping[str, float]], col: Mapping[str, int]) -> npt.NDArray[np.float64]:
    """Feature rows as a matrix of the columns ``col`` names (a feature a row lacks reads 0, as
    in training; features outside ``col`` are dropped): what ``evaluate`` reads."""
    m = np.zeros((len(rows), len(col)))
    for i, r in enumerate(rows):
        for k, v in r.items():
            if (c := col.get(k)) is not None:
                m[i, c] = v
    return m


def evaluate(
    flat: FlatTrees, x: npt.NDArray[np.float64], col: Mapping[str, int]
) -> npt.NDArray[np.float64]:
    """The trees' summed raw score of each row of ``x`` (columns named by ``col``), in numpy:
    every tree walked at once, one level per step."""
    feat = np.array([col[f] for f in flat["feature"]], dtype=np.int64)
    thr = np.asarray(flat["threshold"], dtype=float)
    zero = np.asarray(flat["zero"], dtype=np.int64)
    kids = np.stack([np.asarray(flat["left"]), np.asarray(flat["right"])])
    leaf = np.asarray(flat["leaf"], dtype=float)
    node = np.tile(np.asarray(flat["root"], dtype=np.int64), (len(x), 1))
    rows = np.arange(len(x))[:, None]
    while (inner := node >= 0).any():
        k = np.where(inner, node, 0)
        v = x[rows, feat[k]]
        go = (v > thr[k]).astype(np.int64)
        go = np.where((zero[k] != 0) & (np.abs(v) <= ZERO), (zero[k] > 0).astype(np.int64), go)
        node = np.where(inner, kids[go, k], node)
    out: npt.NDArray[np.float64] = np.where(node < 0, leaf[np.maximum(-1 - node, 0)], 0.0).sum(
        axis=1
    )
    return out
