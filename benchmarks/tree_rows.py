"""What the claim trees cost at runtime: ``page_features`` rows and claim_trees.evaluate (the
way the trees were measured) against copy/claimtrees.py's ``TreeModel`` (only the split
features' columns, straight into an array; QuickScorer's walk), in one run.

The trees: a trees file (``--trees``, {"lightgbm", "params", "trees": FlatTrees}, as trees24's
train_claims.py writes it), or trees trained here as claim_trees.py trains them (its parameters,
on every labelled unit outside FRESH; ``--dump PATH`` writes them in that format: for timing
and tests only, never shipped). On ``--pages`` older dev pages (outside FRESH) it prints CPU ms
per 5,000 words (the words of the pages' units): the linear model's ``page_probabilities``;
the rows and the walk each way; and the largest gap between the two ways' scores (they must
agree to ~1e-9) and whether the columns are the same floats.

Measured (session 23; trees trained here: 300 trees, 4,200 splits on 834 features, of which
191 nb:, 199 x:, 126 emb:, 74 pg:, 66 sec:, 70 ix:; 300 older dev pages, 15,198 units,
152,377 words; one run, CPU ms per 5,000 words, best of 3): linear model 10.1; trees as
measured 210.8 (page_features rows 173.8 + evaluate 37.0); TreeModel 12.2 (rows 7.5 + walk
4.7); the same columns bit for bit, largest score gap 1.5e-14 (the leaves summed in another
order). The first TreeModel (dict-free rows, QuickScorer with np.where and AND-reduceat) gave
20.9 (10.4 + 10.6) against 185.2 in its own run.

    python benchmarks/tree_rows.py --cache /tmp/NAME/claim_docs.pkl --dump /tmp/NAME/trees.json
    python benchmarks/tree_rows.py --cache /tmp/NAME/claim_docs.pkl --trees /tmp/NAME/trees.json
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "src"))

from claim_trees import dense, evaluate, flatten, is_fresh  # noqa: E402
from train_claims import Design, _class_weights, cached_documents  # noqa: E402

from claimledger.copy.claimmodel import claim_model, page_features  # noqa: E402
from claimledger.copy.claimtrees import TreeModel  # noqa: E402


def train(docs: list[Any], rounds: int, rate: float, seed: int) -> dict[str, Any]:
    """Trees as claim_trees.py fits them (its default parameters), on every labelled unit
    outside FRESH, in the trees file's format."""
    import lightgbm as lgb

    design = Design.of(docs)
    keep = ~np.array([is_fresh(docs[k]) for k in design.doc])
    params: dict[str, object] = {
        "objective": "binary", "learning_rate": rate, "num_leaves": 15, "min_data_in_leaf": 50,
        "feature_fraction": 0.3, "lambda_l2": 1.0, "feature_fraction_seed": seed,
        "deterministic": True, "force_row_wise": True, "num_threads": 1, "verbose": -1,
        "seed": seed,
    }  # fmt: skip
    x = design.x[keep, :-1]
    data = lgb.Dataset(x, design.y[keep], weight=_class_weights(design.y[keep]),
                       params={"max_bin": 63, "verbose": -1})  # fmt: skip
    booster = lgb.train(params, data, num_boost_round=rounds)
    flat = flatten(booster.dump_model(), design.names)
    return {"lightgbm": lgb.__version__, "params": params, "trees": flat}


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--cache", metavar="FILE", help="the judged documents (train_claims --cache)")
    ap.add_argument("--trees", type=Path, help="a trees file to time (else trees trained here)")
    ap.add_argument("--dump", type=Path, help="write the trees trained here to this file")
    ap.add_argument("--rounds", type=int, default=300)
    ap.add_argument("--rate", type=float, default=0.1)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--pages", type=int, default=300, help="older dev pages timed")
    ap.add_argument("--repeat", type=int, default=3, help="each way timed so often (best kept)")
    a = ap.parse_args()
    docs = cached_documents(a.cache)
    if a.trees:
        obj = json.loads(a.trees.read_text())
    else:
        t0 = time.perf_counter()
        obj = train(docs, a.rounds, a.rate, a.seed)
        print(f"trees trained outside FRESH in {time.perf_counter() - t0:.0f} s")
        if a.dump:
            a.dump.write_text(json.dumps(obj) + "\n")
    flat = obj["trees"]
    trees = TreeModel.from_json(obj)
    kinds: dict[str, int] = {}
    for n in trees.names:
        k = n.split(":", 1)[0] + ":" if ":" in n else "own"
        kinds[k] = kinds.get(k, 0) + 1
    print(f"{len(flat['root'])} trees, {len(flat['feature'])} splits on {len(trees.names)} "
          f"features ({', '.join(f'{k} {v}' for k, v in sorted(kinds.items()))})")  # fmt: skip
    model = claim_model()
    sample = [d for d in docs if not is_fresh(d) and d.set_name == "dev" and d.judged][: a.pages]
    pages = [([j.features for j in d.judged], [j.vector for j in d.judged]) for d in sample]
    words = sum(len(j.unit.sentence.split()) for d in sample for j in d.judged)
    col = {n: i for i, n in enumerate(trees.names)}
    trees.scores(*pages[0], model.prior)  # compiled once per model (not timed)
    best: dict[str, float] = {}
    gap, same = 0.0, True
    for _ in range(a.repeat):
        clock = dict.fromkeys(("linear", "features", "evaluate", "rows", "walk"), 0.0)
        for f, v in pages:
            t0 = time.process_time()
            model.page_probabilities(f, v)
            t1 = time.process_time()
            rows = page_features(f, v, model.prior)
            m = dense(rows, col)
            t2 = time.process_time()
            slow = evaluate(flat, m, col)
            t3 = time.process_time()
            x = trees.rows(f, v, model.prior)
            t4 = time.process_time()
            fast = trees.walk(x)
            t5 = time.process_time()
            for k, dt in zip(clock, (t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4), strict=True):
                clock[k] += dt
            gap = max(gap, float(np.abs(slow - fast).max(initial=0.0)))
            same = same and np.array_equal(m, x)
        for k, v in clock.items():
            best[k] = min(best.get(k, v), v)
    per = {k: 1000 * v * 5000 / words for k, v in best.items()}
    units = sum(len(f) for f, _ in pages)
    print(f"{len(pages)} older dev pages, {units} units, {words} words; CPU ms per 5,000 words "
          f"(best of {a.repeat}): linear model {per['linear']:.1f}; trees as measured "
          f"{per['features'] + per['evaluate']:.1f} (page_features rows {per['features']:.1f} + "
          f"evaluate {per['evaluate']:.1f}); TreeModel {per['rows'] + per['walk']:.1f} (rows "
          f"{per['rows']:.1f} + walk {per['walk']:.1f})")  # fmt: skip
    print(f"the same columns (bit for bit): {same}; largest score gap {gap:.1e}")


if __name__ == "__main__":
    main()
