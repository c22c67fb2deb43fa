"""Where the checker's false alarms on filler come from, with the shipped models.

A filler line (labelled none) that `claimledger check` reports is a false alarm. This splits
them by what made the checker report the line (copy/check.py check_text):

- wording rule: a wording flag made it a claim whatever the claim model said (the unit's
  ``overstated_claim`` feature; data/wording.yaml's area)
- claim model: the claim model scored it at or over its threshold ("model"; "model+wording":
  a wording rule flags it too, "model+back-up": the overstatement back-up flags it)
- near miss: just under the threshold, flagged by the overstatement back-up's near-miss reading

Counted over units as train_claims.py aligns them (a unit takes the label covering most of it),
for the dev sets the shipped models were trained on ("older"), the sets held back in session 23
(FRESH, "fresh": pages 1165-1234, in dev since session 24) and the seeds. The
shipped models saw the older pages and the seeds: those figures are in-sample, the fresh ones are
not (until the next retrain).

    python benchmarks/false_alarm_sources.py --cache /tmp/claim_docs.pkl [--examples 10]
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "src"))

from train_claims import Doc, cached_documents  # noqa: E402

from claimledger.copy.claimmodel import claim_model  # noqa: E402
from claimledger.copy.overmodel import PageReader, overstated_model  # noqa: E402

# pages held back in session 23 (copy_accuracy --docs 1165-1234)
FRESH = frozenset(range(1165, 1235))


def group_of(doc: Doc) -> str:
    if doc.set_name == "seeds":
        return "seeds"
    return "fresh" if doc.number in FRESH else "older"


def sources(doc: Doc) -> list[tuple[str, int, str]]:
    """(source, label, sentence) of each labelled unit the checker reports; source is "rule",
    "model", "model+wording", "model+back-up" or "near"."""
    model, over = claim_model(), PageReader(overstated_model())
    chance = model.page_probabilities(
        [j.features for j in doc.judged], [j.vector for j in doc.judged]
    )
    out = []
    for j, p, y in zip(doc.judged, chance, doc.y, strict=True):
        if y is None:
            continue
        readable = j.reportable
        if j.features["overstated_claim"]:
            out.append(("rule", y, j.unit.sentence))
        elif p >= model.threshold and readable:
            extra = None if j.flags else over.flag(j.unit, j.features, j.vector)
            src = "model+wording" if j.flags else ("model+back-up" if extra else "model")
            out.append((src, y, j.unit.sentence))
        elif (
            readable
            and not j.flags
            and p >= model.threshold - over.model.near
            and over.flag(j.unit, j.features, j.vector, near_miss=True)
        ):
            out.append(("near", y, j.unit.sentence))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--cache", metavar="FILE", help="train_claims.py's judged documents (pickle)")
    ap.add_argument("--examples", type=int, default=0, metavar="N")
    a = ap.parse_args()
    docs = cached_documents(a.cache)
    filler: Counter[str] = Counter()
    alarms: Counter[tuple[str, str]] = Counter()
    shown: Counter[tuple[str, str]] = Counter()
    for doc in docs:
        g = group_of(doc)
        filler[g] += sum(1 for y in doc.y if y == 0)
        for src, y, sentence in sources(doc):
            if y:
                continue
            alarms[(g, src)] += 1
            if shown[(g, src)] < a.examples and g != "fresh":  # FRESH pages stay unread
                shown[(g, src)] += 1
                print(f"  {g:7} {src:10} {sentence[:120]}")
    kinds = ("model", "model+wording", "model+back-up", "rule", "near")
    print("false alarms on filler by source (shipped models; units as train_claims aligns them)")
    for g in ("older", "fresh", "seeds"):
        total = sum(alarms[(g, k)] for k in kinds)
        cells = " | ".join(f"{k} {alarms[(g, k)]}" for k in kinds)
        print(f"  {g:7}: {total}/{filler[g]} ({total / max(filler[g], 1):.1%}): {cells}")


if __name__ == "__main__":
    main()
