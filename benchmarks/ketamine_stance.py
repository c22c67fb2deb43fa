"""Stance on real ketamine abstracts against PsyNamic's expert conclusions (and cross-condition pairs).

For each expert-labelled record whose purpose includes efficacy and whose conclusion is Positive,
Negative, Neutral or Mixed, claimledger's stance towards the library's general efficacy claim of
the record's condition (claims.yaml; table CONDITION_CLAIMS below) is compared with the expert's
conclusion: Positive -> supports, Negative -> contradicts, Neutral or Mixed -> inconclusive.
Each such record is also paired with the general claim of one condition it was NOT labelled with
(chosen by a hash of the PMID), which must come out not-relevant.

Prints per-class precision and recall (the precision of supports and of contradicts separately),
the confusion matrix, two baselines from the same run (majority class, and "supports whenever the
abstract names the claim's condition"), and the figure on two fixed halves of the labels (half A
was used to tune the cue lists; half B was not looked at while tuning: a held-out figure).

    python benchmarks/ketamine_stance.py [--records FILE] [--labels FILE] [--claims claims.yaml]
"""

from __future__ import annotations

import argparse
import hashlib
import re
import time
from collections import Counter
from pathlib import Path

from ketamine_corpus import CORPUS, ROOT, half, macro_f1, prf, print_table, read_jsonl, spread

from claimledger.assess.stance import assess_stance
from claimledger.library.claims import Claim, load_claims
from claimledger.service.grading import scope_of

CLASSES = ("supports", "contradicts", "inconclusive", "not-relevant")
EXPECTED = {
    "Positive": "supports",
    "Negative": "contradicts",
    "Neutral": "inconclusive",
    "Mixed": "inconclusive",
}
# PsyNamic condition label -> the library's general efficacy claim for that condition.
CONDITION_CLAIMS = {
    "Depression": "treats-major-depression",
    "Anxiety": "treats-anxiety-disorders",
    "Post-traumatic stress disorder (PTSD)": "treats-ptsd",
    "(Chronic) Pain": "relieves-chronic-pain",
}
_CONDITION_WORDS = {
    "Depression": r"depress",
    "Anxiety": r"anxi",
    "Post-traumatic stress disorder (PTSD)": r"ptsd|traumatic stress",
    "(Chronic) Pain": r"\bpain",
}


def stance_of(claim: Claim, rec: dict[str, str]) -> tuple[str, str, float]:
    scope = scope_of(claim)  # the same PICO reading the service gives the gate
    s = assess_stance(
        claim.statement, claim.polarity, rec["title"], rec["abstract"] or "", scope=scope
    )
    return s.stance, f"{s.rationale} | {s.anchor_text or ''}"[:300], s.confidence


def pairs(labels: list[dict], records: dict[str, dict]) -> list[tuple[str, str, str]]:  # type: ignore[type-arg]
    """(pmid, PsyNamic condition of the claim, expected stance)."""
    out = []
    for lab in labels:
        rec = records.get(lab["pmid"])
        concl = (lab.get("study_conclusion") or [None])[0]
        purposes = lab.get("study_purpose") or []
        conds = [c for c in lab.get("condition") or [] if c in CONDITION_CLAIMS]
        if rec is None or not rec.get("abstract") or "Efficacy endpoints" not in purposes:
            continue
        if concl not in EXPECTED or not conds:
            continue
        for c in conds:
            out.append((lab["pmid"], c, EXPECTED[concl]))
        others = sorted(set(CONDITION_CLAIMS) - set(lab.get("condition") or []))
        pick = int(hashlib.sha256(lab["pmid"].encode()).hexdigest(), 16) % len(others)
        out.append((lab["pmid"], others[pick], "not-relevant"))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--records", type=Path, default=CORPUS / "records.jsonl")
    ap.add_argument("--labels", type=Path, default=CORPUS / "labels-dev.jsonl")
    ap.add_argument("--claims", type=Path, default=ROOT / "claims.yaml")
    ap.add_argument(
        "--show-errors", choices=("A", "B", "all", "none"), help="list misread pairs of a half"
    )
    ap.add_argument("--report", action="store_true", help="confusion matrix of each half")
    a = ap.parse_args()
    records = {r["pmid"]: r for r in read_jsonl(a.records)}
    library = {c.id: c for c in load_claims(a.claims).claims}
    rows = pairs(read_jsonl(a.labels), records)
    t0 = time.perf_counter()
    pred, base2 = [], []
    set_aside: Counter[str] = Counter()
    confs: list[float] = []
    for pmid, cond, gold in rows:
        rec = records[pmid]
        p, why, conf = stance_of(library[CONDITION_CLAIMS[cond]], rec)
        pred.append(p)
        confs.append(conf)
        if p == "not-relevant" and gold != "not-relevant":
            set_aside[why.split(":", 1)[-1].split("(")[0].split(",")[0].strip()[:60]] += 1
        text = f"{rec['title']} {rec['abstract']}"
        base2.append(
            "supports" if re.search(_CONDITION_WORDS[cond], text, re.I) else "not-relevant"
        )
        if a.show_errors in (half(pmid), "all") and p != gold:
            print(f"  {pmid} [{cond[:10]}] gold {gold} pred {p}: {why}")
    secs = time.perf_counter() - t0
    gold = [g for *_, g in rows]
    print(
        f"{len(rows)} (record, claim) pairs from {a.labels.name}: {dict(Counter(gold))}; "
        f"{len(rows) / secs:.0f} pairs/s"
    )
    print_table(gold, pred, CLASSES, "claimledger stance (assess_stance with the claim's PICO)")
    scores = prf(gold, pred, CLASSES)
    print(
        f"precision of supports {scores['supports'][0]:.3f}, "
        f"precision of contradicts {scores['contradicts'][0]:.3f} "
        f"(predicted contradicts: {pred.count('contradicts')})"
    )
    print(
        f"expert-labelled efficacy pairs the relevance gate set aside, by reason: {dict(set_aside.most_common())}"
    )
    for lo, hi in ((0.0, 0.6), (0.6, 0.75), (0.75, 1.01)):
        idx = [i for i, c in enumerate(confs) if lo <= c < hi and pred[i] != "not-relevant"]
        right = sum(pred[i] == gold[i] for i in idx)
        share = f"{right}/{len(idx)} = {right / len(idx):.0%}" if idx else "none"
        mean = f" (mean confidence {sum(confs[i] for i in idx) / len(idx):.2f})" if idx else ""
        print(
            f"calibration: stances with confidence in [{lo:.2f}, {min(hi, 1):.2f}) right {share}"
            f"{mean}"
        )
    majority = Counter(gold).most_common(1)[0][0]
    b1 = macro_f1(gold, [majority] * len(gold), CLASSES)
    b2 = macro_f1(gold, base2, CLASSES)
    for h in ("A", "B"):
        idx = [i for i, (pmid, *_) in enumerate(rows) if half(pmid) == h]
        f = macro_f1([gold[i] for i in idx], [pred[i] for i in idx], CLASSES)
        g_h, p_h = [gold[i] for i in idx], [pred[i] for i in idx]
        big = [c for c in CLASSES if g_h.count(c) >= 5]
        acc = sum(x == y for x, y in zip(g_h, p_h, strict=True)) / len(idx)
        print(
            f"half {h} ({'tuning' if h == 'A' else 'held out'}): n={len(idx)} macro-F1 {f:.3f} "
            f"(accuracy {acc:.3f}; macro-F1 over classes with >=5 gold pairs here "
            f"{macro_f1(g_h, p_h, big):.3f}: {', '.join(big)})"
        )
        pairs_h = Counter(f"{gold[i][:5]}>{pred[i][:5]}" for i in idx if gold[i] != pred[i])
        print(f"  errors (gold>predicted): {dict(sorted(pairs_h.items()))}")
        if a.report:
            print_table([gold[i] for i in idx], [pred[i] for i in idx], CLASSES, f"half {h} only")
    print(spread([p for p, *_ in rows], gold, pred, CLASSES))
    print(
        f"macro-F1 {macro_f1(gold, pred, CLASSES):.3f} vs baselines: majority (always {majority}) "
        f"{b1:.3f}, condition-word {b2:.3f} (n={len(gold)})"
    )


if __name__ == "__main__":
    main()
