"""Is the static sentence embedding (data/embedding.py) a usable relevance signal? (issue 12)

On the pairs of benchmarks/ketamine_stance.py (each expert-labelled efficacy record with the
library claim of its condition, and with the claim of a condition it was not labelled with,
which must be not-relevant), it prints, in one run:

- the AUC of the cosine between the claim statement and the record's title + abstract for
  relevant against not-relevant pairs, next to the AUC of the benchmark's condition-word baseline
  (does the abstract name the claim's condition);
- what the rule-based relevance gate (assess/relevance.py, via assess_stance) does on the same
  pairs: recall and precision of not-relevant;
- how many relevant pairs the gate set aside have a cosine above every not-relevant pair, or above
  9 in 10 of them: the room an embedding veto on the gate would have.

    python benchmarks/embedding_relevance.py [--records FILE] [--labels FILE]
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import numpy as np
from ketamine_corpus import CORPUS, ROOT, read_jsonl
from ketamine_stance import _CONDITION_WORDS, CONDITION_CLAIMS, pairs, stance_of

from claimledger.data.embedding import static_embedding
from claimledger.library.claims import load_claims


def auc(pos: list[float], neg: list[float]) -> float:
    """Probability that a random positive scores above a random negative (ties count half)."""
    p, n = np.array(pos)[:, None], np.array(neg)[None]
    return float(((p > n).sum() + 0.5 * (p == n).sum()) / (p.size * n.size))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--records", type=Path, default=CORPUS / "records.jsonl")
    ap.add_argument("--labels", type=Path, default=CORPUS / "labels-dev.jsonl")
    a = ap.parse_args()
    table = static_embedding()
    records = {r["pmid"]: r for r in read_jsonl(a.records)}
    library = {c.id: c for c in load_claims(ROOT / "claims.yaml").claims}
    cos, words, relevant, gate_out = [], [], [], []
    for pmid, cond, gold in pairs(read_jsonl(a.labels), records):
        rec, claim = records[pmid], library[CONDITION_CLAIMS[cond]]
        text = f"{rec['title']} {rec['abstract']}"
        cos.append(float(table.encode(claim.statement) @ table.encode(text)))
        words.append(float(bool(re.search(_CONDITION_WORDS[cond], text, re.I))))
        relevant.append(gold != "not-relevant")
        gate_out.append(stance_of(claim, rec)[0] == "not-relevant")
    rel = np.array(relevant)
    out = np.array(gate_out)
    c, w = np.array(cos), np.array(words)
    print(f"{len(rel)} pairs: {int(rel.sum())} relevant, {int((~rel).sum())} not-relevant")
    print(
        f"AUC relevant vs not-relevant: embedding cosine {auc(c[rel], c[~rel]):.3f}; "
        f"condition-word baseline {auc(w[rel], w[~rel]):.3f}"
    )
    print(
        f"relevance gate: not-relevant recall {int((out & ~rel).sum())}/{int((~rel).sum())}, "
        f"precision {int((out & ~rel).sum())}/{int(out.sum())}"
    )
    kept_out = c[rel & out]
    top, p90 = float(c[~rel].max()), float(np.percentile(c[~rel], 90))
    print(
        f"relevant pairs the gate set aside: {len(kept_out)}; cosine above every not-relevant "
        f"pair ({top:.3f}): {int((kept_out > top).sum())}; above 9 in 10 of them ({p90:.3f}): "
        f"{int((kept_out > p90).sum())}"
    )


if __name__ == "__main__":
    main()
