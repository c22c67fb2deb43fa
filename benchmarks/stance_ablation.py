"""Where the stance model's errors come from: sentence choice or the reading of the sentence.

Trains the stance model's features with the same class-balanced logistic regression as
benchmarks/train_stance.py (numpy here, for speed; numpy comes with biopython) and scores the
SciFact dev split, in one run:

- shipped: the sentence the model picks itself (as claimledger runs);
- oracle sentence: SUPPORT/CONTRADICT pairs anchored on their first gold rationale sentence,
  both in training and in scoring (an upper bound for a better sentence picker);
- 5-fold cross-validation on the train split (folds by claim), to show how far the dev figure
  is from a second estimate on other data;
- the majority-class baseline.

    python benchmarks/stance_ablation.py
"""

from __future__ import annotations

import numpy as np
from train_stance import L2, RATE, SHARED, STEPS, Pair, pairs  # same data and settings

from claimledger.assess.stancemodel import LABELS, features

SCIFACT = SHARED / "benchmarks" / "scifact"


def matrix(data: list[Pair], oracle: bool) -> tuple[np.ndarray, np.ndarray]:
    X = [features(c, t, s, r[0] if oracle and r else None)[0] for c, t, s, _, r in data]
    y = [LABELS.index(lab) for _, _, _, lab, _ in data]
    return np.array(X), np.array(y)


def train(X: np.ndarray, y: np.ndarray) -> np.ndarray:
    n, k = len(y), len(LABELS)
    W = np.zeros((k, X.shape[1]))
    weight = (n / (k * np.bincount(y, minlength=k)))[y]
    Y = np.eye(k)[y]
    for _ in range(STEPS):
        Z = X @ W.T
        P = np.exp(Z - Z.max(1, keepdims=True))
        P /= P.sum(1, keepdims=True)
        W -= RATE * (((P - Y) * weight[:, None]).T @ X / n + L2 * W)
    return W


def macro_f1(gold: np.ndarray, pred: np.ndarray) -> tuple[float, list[float]]:
    f1s = []
    for c in range(len(LABELS)):
        tp = int(((gold == c) & (pred == c)).sum())
        fp = int(((gold != c) & (pred == c)).sum())
        fn = int(((gold == c) & (pred != c)).sum())
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        f1s.append(2 * p * r / (p + r) if p + r else 0.0)
    return sum(f1s) / len(f1s), f1s


def show(name: str, gold: np.ndarray, pred: np.ndarray) -> None:
    macro, f1s = macro_f1(gold, pred)
    per = "  ".join(f"{lab} {f:.3f}" for lab, f in zip(LABELS, f1s, strict=True))
    print(f"{name:44} macro-F1 {macro:.3f}   ({per})")


def main() -> None:
    corpus = SCIFACT / "corpus.jsonl"
    train_pairs = pairs(SCIFACT / "claims_train.jsonl", corpus)
    dev_pairs = pairs(SCIFACT / "claims_dev.jsonl", corpus)
    print(f"SciFact: {len(train_pairs)} train pairs, {len(dev_pairs)} dev pairs\n")
    Xtr, ytr = matrix(train_pairs, oracle=False)
    Xdv, ydv = matrix(dev_pairs, oracle=False)
    show("dev, shipped (model picks the sentence)", ydv, (Xdv @ train(Xtr, ytr).T).argmax(1))
    Xtr_o, _ = matrix(train_pairs, oracle=True)
    Xdv_o, _ = matrix(dev_pairs, oracle=True)
    show("dev, oracle sentence (gold rationale)", ydv, (Xdv_o @ train(Xtr_o, ytr).T).argmax(1))
    claims = sorted({c for c, *_ in train_pairs})
    fold = np.array([claims.index(c) % 5 for c, *_ in train_pairs])
    pred = np.zeros_like(ytr)
    for k in range(5):
        W = train(Xtr[fold != k], ytr[fold != k])
        pred[fold == k] = (Xtr[fold == k] @ W.T).argmax(1)
    show("train, 5-fold cross-validation (shipped)", ytr, pred)
    majority = np.bincount(ydv).argmax()
    show(f"dev, majority class ({LABELS[majority]})", ydv, np.full_like(ydv, majority))


if __name__ == "__main__":
    main()
