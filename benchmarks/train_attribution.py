"""Train the treatment-attribution model (copy/attribution.py); writes
src/claimledger/data/attribution_model.json.

Examples are the labelled claims with a topic of the dev pages and seed posts (labels aligned to
the units `claimledger check` reads, as benchmarks/train_claims.py aligns them), found by the
claim model or not: 1 when the label's topic is "other-treatment" (a claim about another
treatment, or a comparison with one, which the library holds no claim for), else 0. Each is read
as check reads it (copy/attribution.py attribution_features, on its page).

Training is an L2-penalised logistic regression solved by Newton's method from zero (features in
sorted order, no randomness), so running it again regenerates the shipped file byte for byte.
The two probabilities past which the model's verdict replaces the rules' (``high``, ``low``) are
chosen on LEAVE-ONE-WRITER-OUT predictions (train_claims.WRITERS), never on training fit.

``--report`` prints, per writer set, how many claims the rules and the model (trained without that
writer, with thresholds chosen on the other writers) attribute rightly.

    python benchmarks/train_attribution.py [--check]   # --check: fail if the shipped file differs
    python benchmarks/train_attribution.py --report
    python benchmarks/train_attribution.py --folds /tmp/attribution_folds.json   # the writer
        # models, for benchmarks/topic_confusion.py --attribution-folds
    python benchmarks/train_attribution.py --without 245-264   # train without those pages (to
        # score them afterwards as pages the model never read)
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "src"))

import train_claims as tc  # noqa: E402
from copy_accuracy import CLAIM_LABELS, _doc_number, _key, _locate  # noqa: E402

from claimledger.copy import check  # noqa: E402
from claimledger.copy.attribution import (  # noqa: E402
    AttributionModel,
    _other_named,
    attribution_features,
    rule_other,
)
from claimledger.copy.documents import read_document  # noqa: E402
from claimledger.copy.structure import domain  # noqa: E402

OUT = ROOT / "src" / "claimledger" / "data" / "attribution_model.json"
OTHER = "other-treatment"
L2 = 3e-2  # the penalty on every weight but the bias (chosen leaving one writer out)
STEPS = 30  # Newton steps at most
GRID = [round(0.05 * k, 2) for k in range(1, 20)]  # candidate thresholds


@dataclass
class Example:
    """One labelled claim with a topic, as check reads it."""

    writer: str
    number: int | None
    text: str
    y: int  # 1: about another treatment (labelled topic other-treatment)
    features: dict[str, float]
    rule: bool  # the rules read it as about another treatment
    movable: bool  # another treatment is named where check would look for one


def examples() -> list[Example]:
    d = domain()
    out: list[Example] = []
    for name, s in tc.dev_sets():
        for i, p in enumerate(s.docs):
            number = _doc_number(p.name) if name != "seeds" else None
            writer = tc.writer_of(tc.Doc(name, i, number, [], []))
            r = read_document(p)
            judged, page = check.judge_units(r.text, r.kind, r.roles)
            units = [j.unit for j in judged]
            key, where = _key(r.text)
            labels = [lab for lab in s.labels if lab.doc == i]
            for lab in labels:
                lab.key_span = None
            _locate(labels, key)
            for k, u in enumerate(units):
                lab = tc.unit_label(labels, where, u.start, u.end)
                if lab is None or lab.label not in CLAIM_LABELS or not lab.topic:
                    continue
                out.append(
                    Example(
                        writer,
                        number,
                        u.sentence,
                        int(lab.topic == OTHER),
                        attribution_features(units, k, page.treatment, d),
                        rule_other(u, page.treatment, d),
                        _other_named(u, page.treatment, d) is not None,
                    )
                )
    return out


def train(exs: Sequence[Example], l2: float = L2) -> tuple[dict[str, float], float]:
    names = sorted({k for e in exs for k in e.features})
    col = {k: i for i, k in enumerate(names)}
    x = np.zeros((len(exs), len(names) + 1))
    for r, e in enumerate(exs):
        for k, v in e.features.items():
            x[r, col[k]] = v
    x[:, -1] = 1.0
    y = np.array([e.y for e in exs], dtype=np.float64)
    n = len(exs)
    pen = np.full(x.shape[1], l2)
    pen[-1] = 0.0
    w = np.zeros(x.shape[1])
    for _ in range(STEPS):
        p = 1.0 / (1.0 + np.exp(-np.clip(x @ w, -30, 30)))
        grad = x.T @ (p - y) / n + pen * w
        h = (x * (p * (1 - p))[:, None]).T @ x / n + np.diag(pen) + 1e-9 * np.eye(x.shape[1])
        step = np.linalg.solve(h, grad)
        w -= step
        if float(np.abs(step).max()) < 1e-8:
            break
    weights = {k: round(float(w[i]), 5) for i, k in enumerate(names) if abs(w[i]) >= 1e-5}
    return weights, round(float(w[-1]), 5)


def decide(e: Example, p: float, high: float, low: float) -> bool:
    """Does check report the example as about another treatment?"""
    if not e.rule and p >= high and e.movable:
        return True
    if e.rule and p <= low:
        return False
    return e.rule


def thresholds(scored: Sequence[tuple[Example, float]]) -> tuple[float, float]:
    """The (high, low) that attribute most examples rightly (ties: the most cautious)."""
    best = (-1, 1.0, 0.0)
    for high in GRID:
        if high < 0.5:
            continue
        for low in GRID:
            if low > 0.5:
                continue
            right = sum(decide(e, p, high, low) == bool(e.y) for e, p in scored)
            if right > best[0] or (right == best[0] and high - low > best[1] - best[2]):
                best = (right, high, low)
    return best[1], best[2]


def out_of_fold(exs: Sequence[Example]) -> tuple[dict[str, AttributionModel], list[float]]:
    """The model for each writer set trained on the others, its thresholds chosen on the other
    writers' out-of-fold predictions; and each example's out-of-fold probability."""
    writers = list(dict.fromkeys(e.writer for e in exs))
    fits = {w: train([e for e in exs if e.writer != w]) for w in writers}

    def prob(e: Example) -> float:
        wts, b = fits[e.writer]
        return AttributionModel(wts, b, 1.0, 0.0).probability(e.features)

    probs = [prob(e) for e in exs]
    models = {}
    for w in writers:
        high, low = thresholds([(e, p) for e, p in zip(exs, probs, strict=True) if e.writer != w])
        models[w] = AttributionModel(*fits[w], high, low)
    return models, probs


def report(
    exs: Sequence[Example], models: Mapping[str, AttributionModel], probs: Sequence[float]
) -> None:
    rows: dict[str, list[int]] = defaultdict(lambda: [0] * 6)
    for e, p in zip(exs, probs, strict=True):
        m = models[e.writer]
        r = rows[e.writer]
        got = decide(e, p, m.high, m.low)
        r[0] += 1
        r[1] += e.rule == bool(e.y)
        r[2] += got == bool(e.y)
        r[3] += e.y
        r[4] += got and not e.y
        r[5] += (not got) and bool(e.y)
    print(
        "leave one writer out, labelled claims with a topic: rightly attributed by the rules · "
        "by the model · (claims about another treatment · model's product read as other · "
        "other read as product)"
    )
    tot = [0] * 6
    for r in rows.values():
        tot = [a + b for a, b in zip(tot, r, strict=True)]
    for w, r in [*rows.items(), ("all", tot)]:
        print(
            f"| {w} | rules {r[1]}/{r[0]} ({100 * r[1] / r[0]:.1f}%) | model {r[2]}/{r[0]} "
            f"({100 * r[2] / r[0]:.1f}%) | {r[3]} · {r[4]} · {r[5]} |"
        )
    print("thresholds per writer (high, low):", {w: (m.high, m.low) for w, m in models.items()})


def payload(m: AttributionModel, n: int) -> dict[str, object]:
    return {
        "trained_on": f"benchmarks/copy-dev labels and seed labels ({n} labelled claims with a "
        "topic)",
        "solver": "Newton",
        "l2": L2,
        "high": m.high,
        "low": m.low,
        "bias": m.bias,
        "weights": dict(sorted(m.weights.items())),
    }


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--check", action="store_true")
    ap.add_argument("--report", action="store_true", help="leave one writer out; write nothing")
    ap.add_argument("--folds", type=Path, help="write the writer models (JSON) here")
    ap.add_argument("--without", help='leave these pages out of training ("245-264")')
    a = ap.parse_args()
    exs = examples()
    if a.without:
        lo, hi = (int(x) for x in a.without.split("-"))
        exs = [e for e in exs if e.number is None or not lo <= e.number <= hi]
    print(
        f"{len(exs)} labelled claims with a topic, {sum(e.y for e in exs)} about another treatment"
    )
    models, probs = out_of_fold(exs)
    if a.folds:
        a.folds.write_text(json.dumps({w: payload(m, 0) for w, m in models.items()}))
    if a.report:
        report(exs, models, probs)
    if a.report or a.folds:
        return
    high, low = thresholds(list(zip(exs, probs, strict=True)))
    model = AttributionModel(*train(exs), high, low)
    tc.write_or_check(OUT, payload(model, len(exs)), a.check)
    print(f"wrote {OUT} from {len(exs)} labelled claims (thresholds {high}, {low})")


if __name__ == "__main__":
    main()
