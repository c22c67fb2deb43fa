"""Design level from title, abstract (and MeSH when present) against PsyNamic's expert study types.

Each expert-labelled record is read the way claimledger reads a record PubPub has not indexed yet
(claimledger.assess.design.assess_design on the corpus record; publication types only where the
record has them). Expert study types map to design levels:

    Systematic review/meta-analysis -> L1     Randomized-controlled trial (RCT) -> L2
    Cohort study, Real-world study, Qualitative Study -> L3
    Case report, Case series -> L4            Study protocol -> protocol (never evidence)
    Other -> not a design level (single-arm trials, post-hoc analyses, experiments): left out of
             the F1 and shown separately

Prints per-class precision/recall, the confusion matrix, a majority-class baseline from the same
run, and the figure on two fixed halves of the labels (half A was used to tune the cues; half B
was not looked at while tuning, so it is a held-out figure).

    python benchmarks/ketamine_design.py [--records FILE] [--labels FILE]
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from ketamine_corpus import CORPUS, half, macro_f1, print_table, read_jsonl, spread, to_article

from claimledger.assess.design import assess_design

CLASSES = ("L1", "L2", "L3", "L4", "protocol")
EXPERT = {
    "Systematic review/meta-analysis": "L1",
    "Randomized-controlled trial (RCT)": "L2",
    "Cohort study": "L3",
    "Real-world study": "L3",
    "Qualitative Study": "L3",
    "Case report": "L4",
    "Case series": "L4",
    "Study protocol": "protocol",
}


def predicted(rec: dict[str, object]) -> str:
    d = assess_design(to_article(rec))  # type: ignore[arg-type]
    return "protocol" if not d.counts_as_evidence else d.level


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--records", type=Path, default=CORPUS / "records.jsonl")
    ap.add_argument("--labels", type=Path, default=CORPUS / "labels-dev.jsonl")
    ap.add_argument(
        "--show-errors", choices=("A", "B", "all"), help="list misread records of a half"
    )
    ap.add_argument("--report", action="store_true", help="confusion matrix of each half")
    a = ap.parse_args()
    records = {r["pmid"]: r for r in read_jsonl(a.records)}
    rows = []
    other: Counter[str] = Counter()
    for lab in read_jsonl(a.labels):
        rec = records.get(lab["pmid"])
        types = lab.get("study_type") or []
        if rec is None or not types:
            continue
        p = predicted(rec)
        if types[0] == "Other":
            other[p] += 1
            continue
        if types[0] in EXPERT:
            rows.append((lab["pmid"], EXPERT[types[0]], p))
            if a.show_errors in (half(lab["pmid"]), "all") and EXPERT[types[0]] != p:
                d = assess_design(to_article(rec))
                print(
                    f"  {lab['pmid']} gold {EXPERT[types[0]]} pred {p}: {d.reason} | {rec['title'][:90]}"
                )
    gold = [g for _, g, _ in rows]
    pred = [p for *_, p in rows]
    print(
        f"{len(rows)} expert-typed records from {a.labels.name} (+{sum(other.values())} typed 'Other')"
    )
    print_table(gold, pred, CLASSES, "claimledger design level (assess_design)")
    majority = Counter(gold).most_common(1)[0][0]
    base = macro_f1(gold, [majority] * len(gold), CLASSES)
    for h in ("A", "B"):
        sub = [(g, p) for pmid, g, p in rows if half(pmid) == h]
        f = macro_f1([g for g, _ in sub], [p for _, p in sub], CLASSES)
        print(f"half {h} ({'tuning' if h == 'A' else 'held out'}): n={len(sub)} macro-F1 {f:.3f}")
        if a.report:
            print_table([g for g, _ in sub], [p for _, p in sub], CLASSES, f"half {h} only")
    print(spread([i for i, *_ in rows], gold, pred, CLASSES))
    print(f"'Other' records (not a design level) were read as: {dict(sorted(other.items()))}")
    acc = sum(g == p for g, p in zip(gold, pred, strict=True)) / len(gold)
    print(
        f"macro-F1 {macro_f1(gold, pred, CLASSES):.3f} accuracy {acc:.3f} "
        f"vs majority baseline (always {majority}) macro-F1 {base:.3f} (n={len(gold)})"
    )


if __name__ == "__main__":
    main()
