"""Does the reader keep each labelled sentence, and as one unit? Counts per set and file format.

copy_accuracy.py counts a labelled claim as found when a reported unit covers it; a sentence the
reader loses, splits into pieces or merges with its neighbours cannot be found, whatever the
models do. This script reads every labelled page as `check` does (read_document, then the
page's units, structure.page_units) and puts each labelled item in one class:

- one unit: a single unit covers it and little else
- merged: a unit covers it together with (most of) another labelled item
- split: no unit covers half of it (copy_accuracy may still count a unit lying inside it)
- split, found: two or more units share it, but one covers at least half of it (the
  finding of that unit counts for it in copy_accuracy)
- lost, reader: its words are in the file (markup and link targets removed) but not in the
  text the reader produced
- lost, label: its words are not in the file either (the label does not quote the page)
- no words: the label has no letter or digit (a row of stars, a divider): nothing to locate

Printed per set (dev without the fresh pages, the fresh pages 1345-1454, seeds)
and file format, for all labelled items and for claims (claim or overstated) alone, no model
involved. ``--show CLASS`` prints the items of a class (pages outside the fresh ones only, unless
``--docs`` asks for them: keep them a test, read only their counts).

    python benchmarks/reader_coverage.py
    python benchmarks/reader_coverage.py --show lost --show split
    python benchmarks/reader_coverage.py --docs 1-100 --show merged
"""

from __future__ import annotations

import argparse
import bisect
import html
import re
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import copy_accuracy as ca

from claimledger.copy.documents import read_document
from claimledger.copy.structure import page_units

# held back in session 20, in dev since session 21; rules are not written from their text
FRESH = frozenset(range(1345, 1455))
CLASSES = (
    "one unit",
    "merged",
    "split, found",
    "split",
    "lost, reader",
    "lost, label",
    "no words",
)
_TAG = re.compile(r"<[^>]*>")
_MD_LINK = re.compile(r"\]\([^)]*\)")


def _source_key(path: Path) -> str:
    """The file's words without markup: what a label quoting the page could match."""
    raw = path.read_text(encoding="utf-8", errors="replace")
    raw = html.unescape(_TAG.sub(" ", raw)) if path.suffix in (".html", ".htm") else raw
    return ca._key(_MD_LINK.sub("] ", raw))[0]


def classify(path: Path, labels: list[ca.Label]) -> list[str]:
    """One class of CLASSES for each of ``labels`` (all of one document, in page order)."""
    d = read_document(path)
    key, where = ca._key(d.text)
    for lab in labels:
        lab.key_span = None
    ca._locate(labels, key)
    units = []
    for u in page_units(d.text, d.kind, d.roles):
        a, b = bisect.bisect_left(where, u.start), bisect.bisect_left(where, u.end)
        if b > a:
            units.append((a, b))
    source: str | None = None
    out = []
    for lab in labels:
        if not ca._key(lab.text)[0]:
            out.append("no words")
            continue
        if lab.key_span is None:
            source = _source_key(path) if source is None else source
            k = ca._key(lab.text)[0]
            out.append("lost, reader" if k and k in source else "lost, label")
            continue
        a, b = lab.key_span
        over = [(ua, ub) for ua, ub in units if min(b, ub) - max(a, ua) > 0]
        cover = [(ua, ub) for ua, ub in over if min(b, ub) - max(a, ua) >= 0.5 * (b - a)]
        if len(over) > 1 or not cover:
            out.append("split, found" if cover else "split")
            continue
        ua, ub = cover[0]
        others = [
            o
            for o in labels
            if o is not lab
            and o.key_span is not None
            and min(ub, o.key_span[1]) - max(ua, o.key_span[0])
            >= 0.5 * (o.key_span[1] - o.key_span[0])
        ]
        out.append("merged" if others else "one unit")
    return out


def _row(name: str, c: Counter[str]) -> str:
    total = sum(c.values())
    cells = " | ".join(f"{c[k]}" for k in CLASSES)
    return f"| {name} | {total} | {cells} |"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", help='only these dev pages ("15-34"); seeds skipped')
    ap.add_argument("--show", action="append", default=[], help="print items of a class")
    args = ap.parse_args()
    dev = ca.load_set(ca.ROOT / "benchmarks" / "copy-dev", docs=args.docs)
    sets = [("dev", dev)]
    if not args.docs:
        sets.append(("seeds", ca.load_set(ca.ROOT / "benchmarks" / "copy-dev", seeds=True)))
    counts: dict[tuple[str, str, str], Counter[str]] = {}
    for title, s in sets:
        for i, path in enumerate(s.docs):
            labels = [lab for lab in s.labels if lab.doc == i]
            n = ca._doc_number(path.name)
            group = title
            if title == "dev":
                group = "fresh" if n in FRESH else "dev without fresh"
            fmt = path.suffix.lstrip(".")
            for lab, cls in zip(labels, classify(path, labels), strict=True):
                for which in ("all", "claims"):
                    if which == "claims" and lab.label not in ca.CLAIM_LABELS:
                        continue
                    for key in ((group, fmt, which), (group, "all", which)):
                        counts.setdefault(key, Counter())[cls] += 1
                readable = group != "fresh" or args.docs
                if readable and any(cls.startswith(w) for w in args.show):
                    print(f"  {cls:13} {lab.label:10} {path.name}: {lab.text[:110]}")
    for which in ("all", "claims"):
        print(f"\n{'every labelled item' if which == 'all' else 'claims (claim or overstated)'}")
        print("| set, format | items | " + " | ".join(CLASSES) + " |")
        print("|---" * (len(CLASSES) + 2) + "|")
        for (group, fmt, w), c in sorted(
            counts.items(), key=lambda kv: (kv[0][0], kv[0][1] != "all", kv[0][1])
        ):
            if w == which:
                print(_row(f"{group}, {fmt}", c))


if __name__ == "__main__":
    main()
