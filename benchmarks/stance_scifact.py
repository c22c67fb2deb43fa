"""Score claimledger's stance model on SciFact-format data, per (claim, cited abstract) pair.

Three classes: SUPPORT, CONTRADICT, NEI (a cited abstract with no evidence for the claim).
Prints macro-F1, per-class precision and recall (CONTRADICT recall separately: missing
contradicting evidence is the costly error for a compliance reviewer), the confusion matrix and,
in the same run, a majority-class baseline. The model is claimledger.assess.stance.assess_stance, the
same code that grades claims; SciFact claims are read as factual assertions (polarity
asserts-fact, or asserts-benefit where noted by --polarity).

    python benchmarks/stance_scifact.py --claims ../shared/benchmarks/scifact/claims_dev.jsonl \\
        --corpus ../shared/benchmarks/scifact/corpus.jsonl
    python benchmarks/stance_scifact.py --claims ../shared/benchmarks/healthver/claims_dev.jsonl \\
        --corpus ../shared/benchmarks/healthver/corpus.jsonl
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from pathlib import Path

from ketamine_corpus import prf

from claimledger.assess.stance import assess_stance

LABELS = ("SUPPORT", "CONTRADICT", "NEI")
TO_LABEL = {
    "supports": "SUPPORT",
    "contradicts": "CONTRADICT",
    "inconclusive": "NEI",
    "not-relevant": "NEI",
}


def load_pairs(claims_path: Path, corpus_path: Path) -> list[tuple[str, dict[str, object], str]]:
    corpus = {}
    with open(corpus_path) as fh:
        for line in fh:
            d = json.loads(line)
            corpus[d["doc_id"]] = d
    pairs = []
    with open(claims_path) as fh:
        for line in fh:
            c = json.loads(line)
            # SciFact names the cited abstracts cited_doc_ids; HealthVer (MultiVerS format) doc_ids
            for doc_id in c.get("cited_doc_ids") or c.get("doc_ids") or []:
                ev = c.get("evidence", {}).get(str(doc_id))
                label = ev[0]["label"] if ev else "NEI"
                if doc_id in corpus:
                    pairs.append((c["claim"], corpus[doc_id], label))
    return pairs


def predict(claim: str, doc: dict[str, object], polarity: str) -> str:
    sentences = doc["abstract"]
    assert isinstance(sentences, list)
    s = assess_stance(claim, polarity, str(doc["title"]), " ".join(sentences))
    return TO_LABEL[s.stance]


def report(gold: list[str], pred: list[str], name: str) -> float:
    f1s = []
    print(f"\n{name}")
    print("class        precision  recall   F1    support")
    for lab, (prec, rec, f1, support) in prf(gold, pred, LABELS).items():
        f1s.append(f1)
        print(f"{lab:12} {prec:9.3f} {rec:7.3f} {f1:6.3f} {support:8d}")
    macro = sum(f1s) / len(f1s)
    print(f"macro-F1 {macro:.3f}")
    return macro


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--claims", type=Path, required=True)
    ap.add_argument("--corpus", type=Path, required=True)
    ap.add_argument("--polarity", default="asserts-fact")
    a = ap.parse_args()
    pairs = load_pairs(a.claims, a.corpus)
    gold = [g for *_, g in pairs]
    t = time.perf_counter()
    pred = [predict(c, d, a.polarity) for c, d, _ in pairs]
    secs = time.perf_counter() - t
    print(
        f"{len(pairs)} (claim, abstract) pairs from {a.claims.name}: {dict(Counter(gold))}; "
        f"{len(pairs) / secs:.0f} pairs/s on the CPU"
    )
    macro = report(gold, pred, "claimledger stance (" + assess_stance.__module__ + ")")
    majority = Counter(gold).most_common(1)[0][0]
    base = report(gold, [majority] * len(gold), f"majority-class baseline (always {majority})")
    print("\nconfusion (rows gold, columns predicted):")
    print("             " + "  ".join(f"{lab:>10}" for lab in LABELS))
    for g in LABELS:
        print(
            f"{g:12} "
            + "  ".join(
                f"{sum(1 for x, y in zip(gold, pred, strict=True) if x == g and y == p):10d}"
                for p in LABELS
            )
        )
    print(
        f"\nmacro-F1 {macro:.3f} vs majority baseline {base:.3f} (target >= 0.70); "
        f"CONTRADICT recall is the row above"
    )


if __name__ == "__main__":
    main()
