"""Train the stance model's weights on the SciFact train split; writes src/claimledger/data/stance_weights.json.

Deterministic (zero initialisation, full-batch gradient descent, fixed steps, no randomness), so
running it again regenerates the shipped file byte for byte. Only the train split is read; score
on dev with benchmarks/stance_scifact.py.

    python benchmarks/train_stance.py [--check]   # --check: fail if the shipped file differs
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("CLAIMLEDGER_SHARED", ROOT.parent / "shared"))
OUT = ROOT / "src" / "claimledger" / "data" / "stance_weights.json"
STEPS, RATE, L2 = 3000, 0.5, 1e-3
USE_COVID = (
    os.environ.get("STANCE_TRAIN_COVID", "0") == "1"
)  # dev macro-F1 0.596 with it, 0.619 without


Pair = tuple[str, str, list[str], str, list[int]]  # claim, title, sentences, label, rationale


def pairs(claims: Path, corpus: Path) -> list[Pair]:
    """SciFact (claim, cited abstract) pairs; NEI for a cited abstract with no evidence."""
    docs = {}
    for line in corpus.read_text().splitlines():
        d = json.loads(line)
        docs[d["doc_id"]] = d
    out = []
    for line in claims.read_text().splitlines():
        c = json.loads(line)
        for doc_id in c.get("cited_doc_ids", []):
            ev = c.get("evidence", {}).get(str(doc_id))
            label = ev[0]["label"] if ev else "NEI"
            rationale = sorted({i for e in ev for i in e["sentences"]}) if ev else []
            d = docs[doc_id]
            out.append((c["claim"], d["title"], d["abstract"], label, rationale))
    return out


def covid_pairs(claims: Path, corpus: Path) -> list[Pair]:
    """Check-COVID (train split): extra REFUTE examples, which SciFact has few of."""
    docs = {}
    for line in corpus.read_text().splitlines():
        d = json.loads(line)
        docs[d["cord_id"]] = d
    names = {"SUPPORT": "SUPPORT", "REFUTE": "CONTRADICT", "NOTENOUGHINFO": "NEI"}
    out = []
    for line in claims.read_text().splitlines():
        c = json.loads(line)
        d = docs.get(c["cord_id"])
        if d is not None:
            out.append((c["claim"], d.get("title", ""), d["abstract"], names[c["label"]], []))
    return out


def train(X: list[list[float]], y: list[int], k: int) -> list[list[float]]:
    from claimledger.assess.stancemodel import softmax_scores

    n, f = len(X), len(X[0])
    W = [[0.0] * f for _ in range(k)]
    counts = [y.count(c) for c in range(k)]
    cw = [n / (k * counts[c]) for c in range(k)]  # balance the classes
    for _ in range(STEPS):
        G = [[0.0] * f for _ in range(k)]
        for xi, yi in zip(X, y, strict=True):
            p = softmax_scores(W, xi)
            for c in range(k):
                g = (p[c] - (1.0 if c == yi else 0.0)) * cw[yi]
                row = G[c]
                for j in range(f):
                    row[j] += g * xi[j]
        for c in range(k):
            for j in range(f):
                W[c][j] -= RATE * (G[c][j] / n + L2 * W[c][j])
    return [[round(v, 6) for v in row] for row in W]


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--check", action="store_true")
    a = ap.parse_args()
    from claimledger.assess.stancemodel import FEATURES, LABELS, features

    train_file = SHARED / "benchmarks" / "scifact" / "claims_train.jsonl"
    data = pairs(train_file, SHARED / "benchmarks" / "scifact" / "corpus.jsonl")
    covid_file = SHARED / "benchmarks" / "check-covid" / "train.jsonl"
    if USE_COVID:
        data += covid_pairs(covid_file, SHARED / "benchmarks" / "check-covid" / "corpus.jsonl")
    X = [features(c, t, s)[0] for c, t, s, _, _ in data]
    y = [LABELS.index(lab) for _, _, _, lab, _ in data]
    W = train(X, y, len(LABELS))
    digest = hashlib.sha256(train_file.read_bytes()).hexdigest()[:16]
    payload = {
        "version": f"features-1+lr-{digest}",
        "trained_on": f"SciFact claims_train.jsonl ({len(data)} pairs, sha256 {digest})",
        "steps": STEPS,
        "rate": RATE,
        "l2": L2,
        "labels": list(LABELS),
        "features": list(FEATURES),
        "weights": W,
    }
    text = json.dumps(payload, indent=1) + "\n"
    if a.check:
        same = OUT.exists() and OUT.read_text() == text
        print(
            "shipped weights match a fresh training run"
            if same
            else "shipped weights DIFFER from a fresh run"
        )
        sys.exit(0 if same else 1)
    OUT.write_text(text)
    print(f"wrote {OUT} from {len(data)} training pairs")


if __name__ == "__main__":
    main()
