"""The finding-direction reader on generic biomedical conclusions: PubMedQA's expert-labelled set.

PubMedQA (../shared/pubmed-fixtures/pubmedqa_ori_pqal.json, 1,000 PubMed abstracts, MIT) gives each
abstract's conclusion (LONG_ANSWER) and the yes/no/maybe answer to a question made from its title.
The reader (claimledger.assess.direction.read_efficacy, no outcome filter) reads the conclusion
sentences only. A 'yes' is mostly a positive finding, a 'no' a null or negative one and a 'maybe'
an uncertain or mixed one, so this checks the generic English cues (negation, hedged negatives,
doubt about the evidence) outside the ketamine literature; the mapping is loose (a 'yes' to "Is X a
risk factor?" is no benefit), so read the rows, not only the last line. Nothing is tuned on it.
A statistical null ("no significant difference") is read as undecided, as the rubric's convention
says, so many 'no' answers land in the inconclusive column by design: the costly errors are
'supports' on a 'no' or 'maybe' (precision of supports).

    python benchmarks/direction_pubmedqa.py [--cues] [--base REF]
      --cues: each cue's answer mix; --base: the same run with the reader at git REF, in a temp dir
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

from ketamine_corpus import ROOT, SHARED, macro_f1

from claimledger.assess.direction import Sentence, read_efficacy
from claimledger.data.lexicon import load_lexicon
from claimledger.textutil import sentences

PQA = SHARED / "pubmed-fixtures" / "pubmedqa_ori_pqal.json"
ANSWERS = ("yes", "no", "maybe")
EXPECTED = {"yes": "supports", "no": "contradicts", "maybe": "inconclusive"}
CLASSES = ("supports", "contradicts", "inconclusive")


def read(conclusion: str) -> str:
    sents = [Sentence(sp.start, sp.end, sp.text, "conclusion") for sp in sentences(conclusion)]
    return read_efficacy(sents, None).stance


def cue_table(items: list[dict[str, str]]) -> None:
    lex = load_lexicon("direction")
    base = Counter(v["final_decision"] for v in items)
    print(f"answers overall: {dict(base)}")
    for group in ("benefit", "no_effect", "uncertain", "hedge"):
        print(f"{group}:")
        for pat in lex[group]:
            rx = re.compile(r"\b(?:" + pat + r")\b", re.I)
            c = Counter(v["final_decision"] for v in items if rx.search(v["LONG_ANSWER"]))
            n = sum(c.values())
            if n:
                mix = " ".join(f"{a} {c[a] / n:.2f}" for a in ANSWERS)
                print(f"  {n:4d}  {mix}  {pat[:90]}")


def at_ref(ref: str) -> str:
    """This benchmark's output with src/ taken from git ``ref`` (the before figure)."""
    with tempfile.TemporaryDirectory() as tmp:
        tar = subprocess.run(
            ["git", "-C", str(ROOT), "archive", ref, "src"], check=True, capture_output=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", tmp], input=tar, check=True)
        env = {**os.environ, "PYTHONPATH": str(Path(tmp) / "src")}
        out = subprocess.run(
            [sys.executable, __file__], env=env, check=True, capture_output=True, text=True
        )
        return out.stdout


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--cues", action="store_true", help="answer mix of each cue in the lexicon")
    ap.add_argument("--base", help="also run the reader of this git ref (e.g. main)")
    a = ap.parse_args()
    if a.base:
        print(f"--- reader at {a.base} ---")
        print(at_ref(a.base), end="")
        print("--- this tree ---")
    items = list(json.loads(PQA.read_text()).values())
    if a.cues:
        cue_table(items)
    gold = [EXPECTED[v["final_decision"]] for v in items]
    pred = [read(v["LONG_ANSWER"]) for v in items]
    print(f"{len(items)} PubMedQA conclusions: {dict(Counter(v['final_decision'] for v in items))}")
    print(f"{'answer':8}" + "".join(f"{c:>14}" for c in CLASSES))
    for ans in ANSWERS:
        row = [p for v, p in zip(items, pred, strict=True) if v["final_decision"] == ans]
        print(f"{ans:8}" + "".join(f"{row.count(c):14d}" for c in CLASSES))
    said = [i for i, p in enumerate(pred) if p != "inconclusive"]
    right = sum(1 for i in said if pred[i] == gold[i])
    print(f"decided (supports or contradicts): {len(said)}, agreeing with the answer {right}")
    for c in ("supports", "contradicts"):
        idx = [i for i, p in enumerate(pred) if p == c]
        ok = sum(1 for i in idx if gold[i] == c)
        print(f"precision of {c}: {ok}/{len(idx)} = {ok / max(len(idx), 1):.3f}")
    majority = Counter(gold).most_common(1)[0][0]
    print(
        f"macro-F1 {macro_f1(gold, pred, CLASSES):.3f} (yes->supports, no->contradicts, "
        f"maybe->inconclusive) vs majority (always {majority}) "
        f"{macro_f1(gold, [majority] * len(gold), CLASSES):.3f}"
    )


if __name__ == "__main__":
    main()
