"""Rule (data/wording.yaml) flags on labelled dev sentences, by category: on overstatements, on
accurate claims and on filler, for writer sets read when the rules were written and for the
newest ones.

The wording flags of every unit of a page are read in context, as `check` reads them (the next
sentence, the list intro, the page's own product); the overstatement back-up is not counted, so
this is the lexicon's precision alone. A labelled sentence takes the flags of the unit that
covers it (most of it). Sets: seeds; dev pages 1-404 and 455-504 ("older"); 405-454 (held back
in session 13, dev since session 14: no rule was tuned on them before); 505-554 and 585-614
("505-614": held back in session 14, dev since session 15, where the session-15 rules were measured
and not read); 635-694 ("635-694": held back in session 15, dev since session 16, not read by a
rule author in session 16); 715-774 ("715-774": held back in session 16, dev since session 17, not
read by a rule author in session 17); 795-854 ("795-854": held back in session 17, dev since session
18, not read by a rule author in session 18); 875-894, 905-924 and 935-944 ("875-944": held back in
session 18, dev since session 19, not read by a rule author in session 19); 955-984 and 995-1014
("955-1014": held back in session 19, dev since session 20, not read by a rule author in session
20); 1015-1064 ("1015-1064": held back in session 20, dev since session 21, not read by a rule
author in session 21); 1065-1114 ("1065-1114": held back in session 21, dev since session 22, not
read by a rule author in session 22); 1115-1164 ("1115-1164": held back in session 22, dev since
session 23, not read by a rule author in session 23); 1165-1234 ("1165-1234": held back in
session 23, dev since session 24, not read by a rule author in session 24); 1235-1344
("1235-1344": held back in session 24, dev since session 25, not read by a rule author in
session 25); 1345-1454 ("1345-1454": held back in session 25, dev since session 26, never read
by a rule author);
555-584, 615-634, 695-714, 775-794, 855-874, 895-904,
925-934, 945-954, 985-994 and 1455 on ("newest").
With ``--baseline REV`` the same is printed for another revision, in the same run. The held-out
and held-back sets are never read.

    python benchmarks/wording_precision.py
    python benchmarks/wording_precision.py --baseline main
    python benchmarks/wording_precision.py --list claim   # each flagged accurate claim
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import copy_accuracy as ca

GROUPS = (
    ("older", 1, 404),
    ("older", 455, 504),
    ("405-454", 405, 454),
    ("505-614", 505, 554),
    ("505-614", 585, 614),
    ("635-694", 635, 694),
    ("715-774", 715, 774),
    ("795-854", 795, 854),
    ("875-944", 875, 894),
    ("875-944", 905, 924),
    ("875-944", 935, 944),
    ("955-1014", 955, 984),
    ("955-1014", 995, 1014),
    ("1015-1064", 1015, 1064),
    ("1065-1114", 1065, 1114),
    ("1115-1164", 1115, 1164),
    ("1165-1234", 1165, 1234),
    ("1235-1344", 1235, 1344),
    ("1345-1454", 1345, 1454),
    ("newest", 555, 9999),
)

# Runs with PYTHONPATH set to one version of src/: prints [doc, label, why, text, codes] rows.
WORKER = r"""
import json, sys
sys.path.insert(0, sys.argv[1])
import copy_accuracy as ca
from claimledger.copy import check
from claimledger.copy.documents import read_document
from claimledger.library.claims import load_claims
seen = []
page_flags = check.page_flags
def recorded(units, quoted):
    out = page_flags(units, quoted)
    seen.extend((ca._key(u.norm)[0], sorted({f.code for f in fl})) for u, fl in zip(units, out))
    return out
check.page_flags = recorded
job = json.load(sys.stdin)
lib = load_claims(job["claims"])
m = check.ClaimMatcher(lib)
rows = []
for name, folder, seeds in job["sets"]:
    s = ca.load_set(ca.Path(folder), seeds=seeds)
    for d, path in enumerate(s.docs):
        seen.clear()
        doc = read_document(path)
        check.check_text(doc.name, doc.text, lib, {}, m, doc.kind, doc.roles)
        number = -1 if seeds else ca._doc_number(path.name)
        for lab in (x for x in s.labels if x.doc == d):
            k = ca._key(lab.text)[0]
            codes = None
            for uk, c in seen:
                short, long_ = sorted((len(k), len(uk)))
                if k and uk and (k in uk or uk in k) and short >= 0.5 * long_:
                    codes = c
                    break
            rows.append([number, lab.label, lab.why, lab.text, codes])
json.dump(rows, sys.stdout)
"""


def rows_for(src: Path, claims: Path) -> list[list[Any]]:
    """The [doc, label, why, text, codes] rows of every labelled dev sentence, with ``src``'s rules."""
    dev = ca.ROOT / "benchmarks" / "copy-dev"
    job = {"claims": str(claims), "sets": [["dev", str(dev), False], ["seeds", str(dev), True]]}
    res = subprocess.run(
        [sys.executable, "-c", WORKER, str(Path(__file__).resolve().parent)],
        input=json.dumps(job),
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(src)},
        check=True,
    )
    out: list[list[Any]] = json.loads(res.stdout)
    return out


def group(doc: int) -> str:
    if doc < 0:
        return "seeds"
    return next((g for g, lo, hi in GROUPS if lo <= doc <= hi), "older")


def table(title: str, rows: list[list[Any]]) -> None:
    """Flags per category: on overstatements, accurate claims and filler, per group of sets."""
    names = [
        "seeds",
        "older",
        "405-454",
        "505-614",
        "635-694",
        "715-774",
        "795-854",
        "875-944",
        "955-1014",
        "1015-1064",
        "1065-1114",
        "1115-1164",
        "1165-1234",
        "1235-1344",
        "1345-1454",
        "newest",
    ]
    totals = Counter((group(r[0]), r[1]) for r in rows)
    flagged: Counter[tuple[str, str, str]] = Counter()
    for doc, label, _, _, codes in rows:
        for c in codes or ():
            flagged[(c, group(doc), label)] += 1
        if codes:
            flagged[("ANY", group(doc), label)] += 1
    print(f"\n{title}")
    head = " | ".join(f"{n}: overstated / accurate / filler" for n in names)
    print(f"| category | {head} |")
    print("|---|" + "---|" * len(names))
    for code in sorted({c for c, _, _ in flagged}, key=lambda c: (c == "ANY", c)):
        cells = [
            " / ".join(str(flagged[(code, n, lab)]) for lab in ("overstated", "claim", "none"))
            for n in names
        ]
        print(f"| {code} | " + " | ".join(cells) + " |")
    cells = [
        " / ".join(str(totals[(n, lab)]) for lab in ("overstated", "claim", "none")) for n in names
    ]
    print("| labelled sentences | " + " | ".join(cells) + " |")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--baseline", metavar="REV", help="also read the rules of this git revision")
    ap.add_argument(
        "--list", choices=("claim", "none"), help="print each accurate claim / filler line flagged"
    )
    args = ap.parse_args()
    if args.baseline:
        with tempfile.TemporaryDirectory() as tmp:
            base = ca.baseline_tree(Path(tmp), args.baseline)
            table(f"rules at {args.baseline}", rows_for(base / "src", base / "claims.yaml"))
    rows = rows_for(ca.ROOT / "src", ca.ROOT / "claims.yaml")
    table("rules in this checkout", rows)
    if args.list:
        for doc, label, _, text, codes in rows:
            if codes and label == args.list:
                print(f"  {doc:4} {group(doc):8} {','.join(codes):40} {text[:100]}")


if __name__ == "__main__":
    main()
