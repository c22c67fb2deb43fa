"""Where the checker's false alarms on filler come from, with the shipped models.

A filler line (labelled none) that `claimledger check` reports is a false alarm. This splits
them by what made the checker report the line (copy/check.py check_text):

- wording rule: a wording flag made it a claim whatever the claim model said (the unit's
  ``overstated_claim`` feature; data/wording.yaml's area)
- claim model: the claim model scored it at or over its threshold ("model"; "model+wording":
  a wording rule flags it too, "model+back-up": the overstatement back-up flags it)
- near miss: just under the threshold, flagged by the overstatement back-up's near-miss reading

Counted over units as train_claims.py aligns them (a unit takes the label covering most of it),
for the dev sets the shipped models were trained on ("older"), the sets held back in session 25
(FRESH, "fresh": pages 1345-1454, in dev since session 26) and the seeds. The
shipped models saw the older pages and the seeds: those figures are in-sample, the fresh ones are
not (until the next retrain).

``--kinds`` also splits every group's filler and claims by the unit's structural kind (what the
reader made of it: nav or footer furniture, heading, FAQ question, table row, list item under an
intro, contact or legal line, attribution, caption, a FAQ answer, body...), with each kind's false
alarms on filler and claims found, so a structural rule can be aimed at the kinds where filler
dominates. Only counts are printed for the fresh pages.

    python benchmarks/false_alarm_sources.py --cache /tmp/claim_docs.pkl [--examples 10] [--kinds]
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "src"))

from train_claims import Doc, cached_documents  # noqa: E402

from claimledger.copy.check import Judged, is_contact, near_readable  # noqa: E402
from claimledger.copy.claimmodel import claim_model  # noqa: E402
from claimledger.copy.overmodel import PageReader, overstated_model  # noqa: E402
from claimledger.copy.structure import domain, is_attribution, is_question  # noqa: E402

# pages held back in session 25 (copy_accuracy --docs 1345-1454)
FRESH = frozenset(range(1345, 1455))


def group_of(doc: Doc) -> str:
    if doc.set_name == "seeds":
        return "seeds"
    return "fresh" if doc.number in FRESH else "older"


_PRICE = re.compile(r"[$£€]\s?\d")
_CRISIS = re.compile(r"\b(988|911|999|crisis|emergency room|hotline|lifeline)\b", re.I)


def kind_of(j: Judged) -> str:
    """The unit's structural kind: the reader's role, split where the genre has distinct blocks
    (a table row, a list item under an intro, an answer under a FAQ question, a contact, legal
    or crisis line, a price)."""
    u, d = j.unit, domain()
    s = u.norm
    if u.role in ("furniture", "reference"):
        return u.role
    if is_attribution(s):
        return "attribution"
    if is_contact(s):
        return "contact"
    if d.boilerplate.found(s):
        return "boilerplate words"
    if _CRISIS.search(s):
        return "crisis line"
    if _PRICE.search(s):
        return "price"
    if u.table_row or s.startswith("|") or u.sentence.startswith("|"):
        return "table row"
    if u.role == "item":
        return "item (intro)" if u.context else "item"
    if u.role == "body":
        if is_question(u.heading):
            return "body (answer)"
        return "body (short line)" if u.standalone_line and len(s.split()) <= 6 else "body"
    return u.role


def sources(doc: Doc) -> list[tuple[str, int, str]]:
    """(source, label, sentence) of each labelled unit the checker reports; source is "rule",
    "model", "model+wording", "model+back-up" or "near"."""
    return [(src, y, j.unit.sentence) for src, y, j in reported(doc)]


def reported(doc: Doc) -> list[tuple[str, int, Judged]]:
    """(source, label, unit) of each labelled unit the checker reports (see ``sources``)."""
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
            out.append(("rule", y, j))
        elif p >= model.threshold and readable:
            extra = None if j.flags else over.flag(j.unit, j.features, j.vector)
            src = "model+wording" if j.flags else ("model+back-up" if extra else "model")
            out.append((src, y, j))
        elif (
            readable
            and not j.flags
            and near_readable(j.unit)
            and p >= model.threshold - over.model.near
            and over.flag(j.unit, j.features, j.vector, near_miss=True)
        ):
            out.append(("near", y, j))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--cache", metavar="FILE", help="train_claims.py's judged documents (pickle)")
    ap.add_argument("--examples", type=int, default=0, metavar="N")
    ap.add_argument("--kinds", action="store_true", help="split by the unit's structural kind")
    a = ap.parse_args()
    docs = cached_documents(a.cache)
    if a.kinds:
        print_kinds(docs)
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


def print_kinds(docs: list[Doc]) -> None:
    """Per group and structural kind: filler units, false alarms, claim units, claims found."""
    cells: dict[tuple[str, str], Counter[str]] = {}
    for doc in docs:
        g = group_of(doc)
        hit = {id(j) for _, _, j in reported(doc)}
        for j, y in zip(doc.judged, doc.y, strict=True):
            if y is None:
                continue
            c = cells.setdefault((g, kind_of(j)), Counter())
            c["claims" if y else "filler"] += 1
            if id(j) in hit:
                c["found" if y else "alarms"] += 1
    for g in ("older", "fresh", "seeds"):
        rows = sorted(
            ((k, c) for (h, k), c in cells.items() if h == g), key=lambda r: -r[1]["alarms"]
        )
        print(
            f"\n{g}: kind | filler | false alarms (rate, share of the group's) | claims | found | missed"
        )
        total = sum(c["alarms"] for _, c in rows) or 1
        for k, c in rows:
            print(
                f"  {k:18} | {c['filler']:6} | {c['alarms']:5} ({c['alarms'] / max(c['filler'], 1):5.1%},"
                f" {c['alarms'] / total:5.1%}) | {c['claims']:6} | {c['found']:6} | {c['claims'] - c['found']:4}"
            )


if __name__ == "__main__":
    main()
