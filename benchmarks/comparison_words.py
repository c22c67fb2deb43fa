"""Which comparative words mark a comparison with another treatment in the labels, and which mark a
product claim: a model-free check of data/copy.yaml ``superiority`` before a word is added.

copy/check.py `_compared_with` reports a sentence about the product that no library claim says as
a claim about another treatment when a superiority word governs that treatment's name
(`_governs`). copy-dev/README.md policy 10 labels such a comparison `other-treatment` (claim null,
treatment the product); a library claim that makes the comparison keeps its topic. For every
labelled claim about the product on dev OUTSIDE the FRESH pages (never the held-out or held-back
sets), this prints, per superiority word that governs a named rival, how many are labelled
comparisons and how many product claims (with and without a library claim), and on how many
pages. Policy 10 came in session 17 and older pages were not relabelled, so the rows are split
at page POLICY_10_FROM, roughly where it starts (pages before it label some comparisons as
product claims; the split is approximate: 795-854 were written around its start).

``--add`` tries candidate words (a regular expression, added as alternatives to ``superiority``;
``--bare`` marks them as bare comparatives, which take a rival only through "than"): only the
labelled claims that no shipped word already governs are counted, so each row is what the
candidate adds. ``--show WORD`` prints the sentences of that row (outside FRESH only).

    python benchmarks/comparison_words.py
    python benchmarks/comparison_words.py --add 'less|higher' --bare
    python benchmarks/comparison_words.py --add 'unlike' --show unlike

Session 26 (topic27, main 8334265), each candidate added alone, outside FRESH, labelled
comparisons | product claims with a library claim | without: "unlike" 23 | 55 | 20 (the
"Unlike SSRIs, ketamine works within hours" library claims); "can't|cannot|couldn't" 9 | 7 | 2;
"mask(s|ed|ing)" 5 | 2 | 2; "(not|non)-inferior" 5 | 4 | 1; "compared with" 4 | 6 | 0; "more"
(bare) 6 | 3 | 4; "less|higher|fewer|greater" (bare) 4 | 1 | 1; "(at least|about|just) as well
as|caught up with|never (could|gave|touched|delivered)" 7 | 0 | 0. Two lexicons built from these
were measured and not kept (treatment_attribution.py --comparisons --matched, dev outside FRESH;
copy_accuracy.py --baseline main): the last four rows plus "more" and "replace(s|d|ing)": other
read as product 614 -> 594, product read as other 249 -> 257; the last two rows only: 614 ->
606, 249 -> 251, end to end right topic on pages 795-1344 8,125 -> 8,126 of 9,897 and on FRESH
1,481 -> 1,481 of 1,901 (noise: the comparisons they add are mostly already read as
other-treatment by the topic model, or matched).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter, defaultdict
from dataclasses import replace
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "src"))

from copy_accuracy import _doc_number  # noqa: E402

from claimledger.copy.check import _governs  # noqa: E402
from claimledger.copy.structure import Domain, _clean, domain  # noqa: E402
from claimledger.data.lexicon import load_lexicon  # noqa: E402
from claimledger.library.lexicon import Caseless  # noqa: E402

LABELS = ROOT / "benchmarks" / "copy-dev" / "labels.yaml"
FRESH = (1345, 1454)  # this session's FRESH pages: never read here
POLICY_10_FROM = 795  # about where policy 10 starts: 795-854 were written at session 17's start
OTHER = "other-treatment"


def _governing(d: Domain, s: str) -> str | None:
    """The first superiority word in ``s`` that governs another treatment's name, or None."""
    if d.superiority is None:
        return None
    rivals = [(a, b) for a, b, name in d.mentions(s) if name != d.product]
    for w in d.superiority.finditer(s):
        if any(_governs(s, w.span(), r, d) for r in rivals):
            return re.sub(r"\W+", " ", w.group(0).lower()).strip()
    return None


def _with(d: Domain, add: str, bare: bool) -> Domain:
    """``d`` with ``add`` as more superiority words (and bare comparatives with ``bare``)."""
    lex = load_lexicon("copy")
    sup = Caseless(rf"\b({add})\b|{lex['superiority']}")
    if not bare:
        return replace(d, superiority=sup)
    return replace(
        d, superiority=sup, bare_comparatives=Caseless(rf"^({add})$|{lex['bare_comparatives']}")
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--add", help="candidate superiority words (a regular expression)")
    ap.add_argument("--bare", action="store_true", help="with --add: bare comparatives")
    ap.add_argument("--show", help="print the sentences of this word's rows (outside FRESH)")
    args = ap.parse_args()
    shipped = domain()
    d = _with(shipped, args.add, args.bare) if args.add else shipped
    rows: Counter[tuple[str, str, str]] = Counter()
    pages: defaultdict[tuple[str, str, str], set[int]] = defaultdict(set)
    for doc in yaml.safe_load(LABELS.read_text())["documents"]:
        n = _doc_number(doc["file"])
        if n is None or FRESH[0] <= n <= FRESH[1]:
            continue
        for e in doc.get("sentences") or []:
            if e.get("label") == "none" or e.get("treatment") != shipped.product:
                continue
            s = _clean(e.get("text") or "")
            if args.add and _governing(shipped, s) is not None:
                continue  # a shipped word already makes it a comparison
            word = _governing(d, s)
            if word is None:
                continue
            kind = (
                "comparison"
                if e.get("topic") == OTHER
                else "product claim"
                if e.get("claim")
                else "product, no claim"
            )
            key = (word, kind, "from 795" if n >= POLICY_10_FROM else "before")
            rows[key] += 1
            pages[key].add(n)
            if args.show and word == args.show.lower():
                print(f"{n} {kind}: {s[:200]}")
    print("| word | labelled as | pages written | claims | pages |")
    for key in sorted(rows):
        print(f"| {' | '.join(key)} | {rows[key]} | {len(pages[key])} |")


if __name__ == "__main__":
    main()
